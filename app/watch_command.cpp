// SPDX-License-Identifier: GPL-3.0-or-later
// `runlens watch`: the window's live watch (core/workspace/run_watch.h) for a
// terminal on a headless server. One line per event on stdout, as it
// happens; what it watches and any trouble reading on stderr; with
// --exit-on-failure it ends on the first event, so a CI job or a shell loop
// can react, and with --until-done when no watched run is still running.
#include "cli_command.h"
#include "opened_store.h"

#include "run_watch.h"
#include "store_registry.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <cmath>
#include <numeric>

namespace runlens::cli {

namespace {

QString eventLine(const WatchEvent& e, const QString& format)
{
    const QString when = QDateTime::fromMSecsSinceEpoch(e.time, Qt::UTC).toString(Qt::ISODate);
    if (format == QLatin1String("json")) {
        QJsonObject o{{QStringLiteral("time"), when}, {QStringLiteral("event"), e.kindName()},
            {QStringLiteral("run_id"), e.runId}, {QStringLiteral("run"), e.runName},
            {QStringLiteral("experiment"), e.experiment}, {QStringLiteral("text"), e.text()}};
        if (e.kind == WatchEvent::Kind::NonFinite) {
            o.insert(QStringLiteral("metric"), e.metric);
            o.insert(QStringLiteral("value"), e.kindName());   // "nan", "inf", "-inf": JSON has no such numbers
            o.insert(QStringLiteral("step"), double(e.step));
        }
        return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    return QStringLiteral("%1  %2  %3  %4").arg(when, e.kindName().leftJustified(7), e.runId.left(8), e.text());
}

} // namespace

ExitCode watchCommand(const CliCall& call)
{
    bool ok = true;
    const double interval = call.value(QStringLiteral("interval")).toDouble(&ok);
    if (!ok || !std::isfinite(interval) || interval < 0.05 || interval > 86400)
        return usageError(QStringLiteral("watch"), QStringLiteral("--interval takes seconds, 0.05 to 86400"), call.err);
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), false, call.err, code);
    if (!s)
        return code;
    WatchRules rules;
    rules.query = call.value(QStringLiteral("query"));
    rules.metrics = call.list(QStringLiteral("metric"));
    // Bad syntax ends it at once; a key no run has yet matches nothing until
    // one has it (the watch may start before the training does).
    if (const RunQuery query(rules.query); !query.isValid()) {
        call.err << "runlens: invalid query, " << query.error()->describe() << '\n';
        return BadQuery;
    }
    RunWatch watch;
    watch.setRules(rules);
    const bool exitOnFailure = call.isSet(QStringLiteral("exit-on-failure"));
    const bool untilDone = call.isSet(QStringLiteral("until-done"));
    bool anyEvent = false;
    for (bool first = true;; first = false) {
        const QuerySelection selection = s->select(rules.query);
        std::vector<int> all(size_t(s->table().rowCount()));
        std::iota(all.begin(), all.end(), 0);
        const auto events = watch.update(s->table(), all, selection.rows, QDateTime::currentMSecsSinceEpoch());
        if (first) {
            call.err << "runlens watch: " << watch.watchedCount() << " run(s) of " << storeShownLocation(call.positionals[0])
                     << (rules.query.isEmpty() ? QString() : QStringLiteral(" matching the query"))
                     << ", every " << interval << " s; Ctrl+C stops\n";
            call.err.flush();
        }
        anyEvent = anyEvent || !events.empty();
        for (const auto& e : events) {
            call.out << eventLine(e, call.format) << '\n';
            call.out.flush();
        }
        if (exitOnFailure && !events.empty())
            return RunFailed;
        if (untilDone && watch.sawRunning() && !watch.anyRunning()) {
            // A CI step waiting on training fails when the training did.
            call.err << "runlens watch: the watched runs have ended"
                     << (anyEvent ? ", not all of them well" : "") << '\n';
            return anyEvent ? RunFailed : Ok;
        }
        QThread::msleep(static_cast<unsigned long>(interval * 1000));
        // A store another process is writing may fail a read now and then: say so and try again.
        if (const auto reloaded = s->reload(); !reloaded) {
            call.err << "runlens watch: could not read the store this time: " << reloaded.error() << '\n';
            call.err.flush();
        }
    }
}

} // namespace runlens::cli
