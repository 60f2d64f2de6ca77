// SPDX-License-Identifier: GPL-3.0-or-later
// `runlens derive`: the derived metrics kept with a store (a metric computed
// from a run's metrics and params, core/query/derived_metrics.h), listed,
// shown, kept or removed. Every other command sees them as metric columns
// (openAndLoad adds them), so `runs --columns metrics.gap`, `--query
// 'metrics.gap > 0.1'`, `metric STORE RUN gap` and reports need nothing more.
#include "cli_command.h"
#include "opened_store.h"

#include "derived_metrics.h"
#include "metric_expression.h"
#include "store_entries.h"

#include <QCommandLineParser>

namespace runlens::cli {

ExitCode deriveCommand(const CliCall& call)
{
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), false, call.err, code);
    if (!s)
        return code;
    const auto kept = readDerivedMetrics(*s->reader);
    const bool clear = call.isSet(QStringLiteral("clear"));
    if (call.positionals.size() == 1) {
        if (clear)
            return usageError(QStringLiteral("derive"), QStringLiteral("--clear needs the NAME to remove"), call.err);
        for (const auto& e : kept)
            call.out << e.name << " = " << e.value << '\n';
        if (kept.empty())
            call.err << "runlens: the store keeps no derived metric; add one with runlens derive STORE NAME EXPRESSION\n";
        return Ok;
    }
    const QString name = call.positionals[1];
    const auto it = std::find_if(kept.begin(), kept.end(), [&](const StoreEntry& e) { return e.name == name; });
    if (call.positionals.size() == 2 && !clear) {
        if (it == kept.end()) {
            call.err << "runlens: the store keeps no derived metric '" << name << "'\n";
            return Failed;
        }
        call.out << it->value << '\n';
        return Ok;
    }
    if (clear && call.positionals.size() > 2)
        return usageError(QStringLiteral("derive"), QStringLiteral("give an EXPRESSION or --clear, not both"), call.err);
    const QString expression = clear ? QString() : call.positionals[2].trimmed();
    const RunTable& t = *s->runs.table;
    if (!clear) {
        if (const QString bad = derivedMetricNameError(name); !bad.isEmpty()) {
            call.err << "runlens: " << bad << '\n';
            return Failed;
        }
        const MetricExpression parsed(expression);
        if (parsed.error()) {
            call.err << "runlens: invalid expression, " << parsed.error()->describe() << '\n';
            return BadQuery;
        }
        if (const MetricColumn* logged = t.metric(name); logged && logged->expression.isEmpty()) {
            call.err << "runlens: the runs log a metric '" << name << "'; give the derived one another name\n";
            return Failed;
        }
        if (parsed.seriesKeys(t).contains(name)) {
            call.err << "runlens: '" << name << "' cannot read itself\n";
            return Failed;
        }
        // A key no run has yet may come with the next run: kept, with a word.
        std::vector<double> values;
        if (const auto unknown = parsed.evaluate(t, nullptr, values))
            call.err << "runlens: warning: " << unknown->describe() << " (kept: runs that log it will have a value)\n";
    } else if (it == kept.end()) {
        call.err << "runlens: the store keeps no derived metric '" << name << "'\n";
        return Failed;
    }
    if (const auto done = writeDerivedMetric(*s->reader, name, expression); !done) {
        call.err << "runlens: " << done.error() << '\n';
        return Failed;
    }
    call.out << (clear ? QStringLiteral("removed the derived metric ") + name : name + QStringLiteral(" = ") + expression)
             << '\n';
    return Ok;
}

} // namespace runlens::cli
