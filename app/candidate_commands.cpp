// SPDX-License-Identifier: GPL-3.0-or-later
// Candidates with explicit criteria from the command line: `baseline` marks
// the run an experiment is compared with, `rule` keeps an experiment's
// promotion rule, `promote` marks runs (a notebook edit with its record and
// history; `demote`, in edit_commands.cpp, takes the mark off), `candidates`
// lists them and the runs that meet the rule, and with --run gates CI: exit
// 1 when a given run does not meet its experiment's rule.
#include "cli_command.h"
#include "opened_store.h"

#include "baselines.h"
#include "promotion.h"
#include "promotion_rules.h"
#include "run_edit_writer.h"
#include "store_entries.h"

#include <QCommandLineParser>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace runlens::cli {

namespace {


// A loaded store with each row's baseline and its experiment's rule.
struct Judged {
    Opened store;
    QHash<QString, QString> rules;   // experiment -> rule
    QueryContext context;
    RuleCheck check;
};

std::optional<Judged> openJudged(const CliCall& call, ExitCode& code)
{
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), false, call.err, code);
    if (!s)
        return std::nullopt;
    Judged j{std::move(*s), {}, {}, {}};
    for (const auto& e : readPromotionRules(*j.store.reader))
        j.rules.insert(e.name, e.value);
    const RunTable& t = *j.store.runs.table;
    j.context = queryContextOf(j.store);
    j.check = checkPromotionRules(t, j.context, [&](int row) { return j.rules.value(t.experiment(row)); });
    for (const auto& [rule, error] : j.check.errors)
        call.err << "runlens: warning: the rule \"" << oneLine(rule) << "\" does not apply yet: " << error.describe() << '\n';
    return j;
}

QJsonObject runJson(const RunTable& t, int row)
{
    return {{QStringLiteral("id"), t.id(row)}, {QStringLiteral("name"), t.name(row)},
            {QStringLiteral("experiment"), t.experiment(row)}};
}

} // namespace

ExitCode baselineCommand(const CliCall& call)
{
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), false, call.err, code);
    if (!s)
        return code;
    const RunTable& t = *s->runs.table;
    const int row = findRunOrFail(t, call.positionals[1], call.err);
    if (row < 0)
        return RunNotFound;
    const bool clear = call.isSet(QStringLiteral("clear"));
    if (const auto kept = writeBaseline(*s->reader, t.experiment(row), clear ? QString() : t.id(row)); !kept) {
        call.err << "runlens: " << kept.error() << '\n';
        return Failed;
    }
    call.out << (clear ? QStringLiteral("cleared the baseline of %1").arg(t.experiment(row))
                       : QStringLiteral("%1 is the baseline of %2").arg(t.name(row), t.experiment(row)))
             << '\n';
    return Ok;
}

ExitCode ruleCommand(const CliCall& call)
{
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), false, call.err, code);
    if (!s)
        return code;
    const QString experiment = call.positionals[1];
    const bool clear = call.isSet(QStringLiteral("clear"));
    if (call.positionals.size() < 3 && !clear) {
        for (const auto& e : readPromotionRules(*s->reader))
            if (e.name == experiment) {
                call.out << e.value << '\n';
                return Ok;
            }
        call.err << "runlens: experiment '" << experiment << "' has no promotion rule\n";
        return Failed;
    }
    if (clear && call.positionals.size() >= 3)
        return usageError(QStringLiteral("rule"), QStringLiteral("give a rule or --clear, not both"), call.err);
    const QString rule = clear ? QString() : call.positionals[2].trimmed();
    if (!clear) {
        if (const auto problem = RunQuery::ruleError(rule)) {
            call.err << "runlens: invalid rule, " << problem->describe() << '\n';
            return BadQuery;
        }
        if (!s->runs.table->experiments().contains(experiment))
            call.err << "runlens: warning: no run is in experiment '" << experiment << "' yet\n";
    }
    if (const auto kept = writePromotionRule(*s->reader, experiment, rule); !kept) {
        call.err << "runlens: " << kept.error() << '\n';
        return Failed;
    }
    call.out << (clear ? QStringLiteral("cleared the promotion rule of ") : QStringLiteral("promotion rule of "))
             << experiment << (clear ? QString() : QStringLiteral(": ") + rule) << '\n';
    return Ok;
}

ExitCode promoteCommand(const CliCall& call)
{
    ExitCode code = Ok;
    auto j = openJudged(call, code);
    if (!j)
        return code;
    const RunTable& t = *j->store.runs.table;
    const auto rows = t.findRuns(call.positionals.mid(1));
    if (!rows) {
        call.err << "runlens: " << rows.error() << '\n';
        return RunNotFound;
    }
    const bool force = call.isSet(QStringLiteral("force"));
    const auto ruleOf = [&](int row) { return j->rules.value(t.experiment(row)); };
    const PromotionPlan plan = planPromotion(t, *rows, call.value(QStringLiteral("why")), force, j->check, j->context, ruleOf);
    for (int r : plan.refused)
        call.err << "runlens: " << oneLine(t.name(r)) << ' ' << verdictText(j->check.verdicts[size_t(r)]) << " of "
                 << oneLine(t.experiment(r)) << ": " << oneLine(ruleOf(r)) << '\n';
    if (!plan.refused.empty() && !force) {
        call.err << "runlens: nothing promoted; --force promotes anyway and records that the rule was not met\n";
        return Failed;
    }
    if (const QString why = plan.edit.problem(); !why.isEmpty()) {
        call.err << "runlens: " << why << '\n';
        return Usage;
    }
    // One write for every run: all of them are candidates, or none.
    if (const auto written = writeRunEdit(*j->store.reader, plan.edit); !written) {
        call.err << "runlens: " << written.error() << '\n';
        return Failed;
    }
    for (int r : *rows) {
        const RuleVerdict v = j->check.verdicts[size_t(r)];
        call.out << "promoted " << oneLine(t.name(r)) << " to candidate ("
                 << (ruleOf(r).isEmpty() ? QStringLiteral("its experiment has no rule")
                         : v == RuleVerdict::Meets ? QStringLiteral("meets the rule")
                         : promotionNeedsForce(v)  ? QStringLiteral("forced: it ") + verdictText(v)
                                                   : verdictText(v))
                 << ")\n";
    }
    return Ok;
}

ExitCode candidatesCommand(const CliCall& call)
{
    ExitCode code = Ok;
    auto j = openJudged(call, code);
    if (!j)
        return code;
    const RunTable& t = *j->store.runs.table;
    const bool json = call.format == QLatin1String("json");

    // The gate: every given run must meet its experiment's rule.
    if (call.isSet(QStringLiteral("run"))) {
        const auto rows = t.findRuns(call.parser.values(QStringLiteral("run")));
        if (!rows) {
            call.err << "runlens: " << rows.error() << '\n';
            return RunNotFound;
        }
        bool allMeet = true;
        QJsonArray out;
        for (int r : *rows) {
            const RuleVerdict v = j->check.verdicts[size_t(r)];
            const QString rule = j->rules.value(t.experiment(r));
            const QString verdict = verdictText(v);
            allMeet = allMeet && v == RuleVerdict::Meets;
            if (json) {
                QJsonObject o = runJson(t, r);
                o.insert(QStringLiteral("rule"), rule);
                o.insert(QStringLiteral("meets"), v == RuleVerdict::Meets);
                o.insert(QStringLiteral("verdict"), verdict);
                out.append(o);
            } else {
                call.out << oneLine(t.name(r)) << " (" << t.id(r).left(8) << "): " << verdict
                         << (rule.isEmpty() ? QString() : QStringLiteral(": ") + oneLine(rule)) << '\n';
            }
        }
        if (json)
            call.out << QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Indented));
        return allMeet ? Ok : Failed;
    }

    const QString only = call.value(QStringLiteral("experiment"));
    if (!only.isEmpty() && !t.experiments().contains(only)) {
        call.err << "runlens: no experiment '" << only << "'; there are: " << t.experiments().join(QStringLiteral(", "))
                 << '\n';
        return RunNotFound;
    }
    QJsonArray experiments;
    for (const auto& [experiment, rows, promoted, meeting] : candidatesByExperiment(t, j->check)) {
        if (!only.isEmpty() && experiment != only)
            continue;
        const QString rule = j->rules.value(experiment);
        if (rule.isEmpty() && promoted.empty() && only.isEmpty())
            continue;
        if (json) {
            QJsonArray c, m;
            for (int r : promoted) {
                QJsonObject o = runJson(t, r);
                if (const auto record = promotionOf(t, r))
                    o.insert(QStringLiteral("promotion"), QJsonDocument::fromJson(record->toJson().toUtf8()).object());
                c.append(o);
            }
            for (int r : meeting)
                m.append(runJson(t, r));
            experiments.append(QJsonObject{{QStringLiteral("experiment"), experiment}, {QStringLiteral("rule"), rule},
                                           {QStringLiteral("candidates"), c}, {QStringLiteral("meets_rule"), m}});
            continue;
        }
        call.out << experiment << (rule.isEmpty() ? QStringLiteral(" (no promotion rule)") : QStringLiteral(": ") + rule)
                 << '\n';
        if (promoted.empty())
            call.out << "  no candidates\n";
        for (int r : promoted) {
            const auto record = promotionOf(t, r);
            call.out << "  candidate " << oneLine(t.name(r)) << " (" << t.id(r).left(8) << ")";
            if (record) {
                call.out << ", promoted " << record->when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                         << " by " << record->user;
                if (!record->metRule)
                    call.out << (record->rule.isEmpty() ? QStringLiteral(", with no rule")
                                                        : QStringLiteral(", against the rule"));
                if (!record->why.isEmpty())
                    call.out << ": " << oneLine(record->why);
            }
            call.out << '\n';
        }
        for (int r : meeting)
            call.out << "  meets the rule, not promoted: " << oneLine(t.name(r)) << " (" << t.id(r).left(8) << ")\n";
    }
    if (json)
        call.out << QString::fromUtf8(QJsonDocument(experiments).toJson(QJsonDocument::Indented));
    return Ok;
}

} // namespace runlens::cli
