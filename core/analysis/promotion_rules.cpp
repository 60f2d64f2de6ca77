// SPDX-License-Identifier: GPL-3.0-or-later
#include "promotion_rules.h"

#include <QHash>

namespace runlens {

QString verdictText(RuleVerdict verdict)
{
    switch (verdict) {
    case RuleVerdict::NoRule: return QStringLiteral("has no rule");
    case RuleVerdict::Waiting: return QStringLiteral("is still running");
    case RuleVerdict::Meets: return QStringLiteral("meets the rule");
    case RuleVerdict::Fails: return QStringLiteral("fails the rule");
    case RuleVerdict::Baseline: return QStringLiteral("is the baseline");
    case RuleVerdict::Trashed: return QStringLiteral("is in the trash");
    }
    return {};
}

RuleCheck checkPromotionRules(const RunTable& table, const QueryContext& context,
                              const std::function<QString(int row)>& ruleOf)
{
    RuleCheck out;
    out.verdicts.assign(size_t(table.rowCount()), RuleVerdict::NoRule);
    const ValueColumn* trashed = table.tag(kTrashedTag);
    const bool haveBaselines = context.baselineRows.size() == size_t(table.rowCount());
    // Each distinct rule compiles once, over the rows it judges.
    QHash<QString, std::vector<int>> rowsOfRule;
    for (int r = 0; r < table.rowCount(); ++r) {
        const QString rule = ruleOf(r).trimmed();
        if (rule.isEmpty())
            continue;
        if (trashed && trashed->has(r)) {
            out.verdicts[size_t(r)] = RuleVerdict::Trashed;
            continue;
        }
        if (haveBaselines && context.baselineRows[size_t(r)] == r) {
            out.verdicts[size_t(r)] = RuleVerdict::Baseline;
            continue;
        }
        if (table.status(r) == RunStatus::Running) {
            out.verdicts[size_t(r)] = RuleVerdict::Waiting;
            continue;
        }
        out.verdicts[size_t(r)] = RuleVerdict::Fails;
        if (table.status(r) == RunStatus::Finished)
            rowsOfRule[rule].push_back(r);
    }
    for (auto it = rowsOfRule.cbegin(); it != rowsOfRule.cend(); ++it) {
        std::vector<bool> matches;
        if (auto error = RunQuery(it.key()).test(table, &context, it.value(), matches)) {
            out.errors.emplace_back(it.key(), *error);
            continue;
        }
        for (size_t i = 0; i < matches.size(); ++i)
            if (matches[i])
                out.verdicts[size_t(it.value()[i])] = RuleVerdict::Meets;
    }
    return out;
}

std::vector<ExperimentCandidates> candidatesByExperiment(const RunTable& table, const RuleCheck& check)
{
    std::vector<ExperimentCandidates> out;
    QHash<QString, size_t> indexOf;   // one pass over the runs, not one per experiment
    for (const QString& experiment : table.experiments()) {
        indexOf.insert(experiment, out.size());
        out.push_back({experiment, {}, {}, {}});
    }
    for (int r = 0; r < table.rowCount(); ++r) {
        if (table.isTrashed(r))
            continue;
        ExperimentCandidates& e = out[indexOf.value(table.experiment(r))];
        e.rows.push_back(r);
        if (isCandidate(table, r))
            e.promoted.push_back(r);
        else if (size_t(r) < check.verdicts.size() && check.verdicts[size_t(r)] == RuleVerdict::Meets)
            e.meeting.push_back(r);
    }
    return out;
}

PromotionPlan planPromotion(const RunTable& table, std::span<const int> rows, const QString& why, bool force,
                            const RuleCheck& check, const QueryContext& context,
                            const std::function<QString(int row)>& ruleOf)
{
    PromotionPlan plan;
    std::vector<PromotionContext> contexts;
    for (int r : rows) {
        const QString rule = ruleOf(r);
        const RuleVerdict v = size_t(r) < check.verdicts.size() ? check.verdicts[size_t(r)] : RuleVerdict::NoRule;
        if (!rule.isEmpty() && promotionNeedsForce(v))
            plan.refused.push_back(r);
        const int b = size_t(r) < context.baselineRows.size() ? context.baselineRows[size_t(r)] : -1;
        contexts.push_back({rule, v == RuleVerdict::Meets, b < 0 ? QString() : table.name(b)});
    }
    if (plan.refused.empty() || force)
        plan.edit = promotionEdit(table, rows, why, contexts);
    return plan;
}

} // namespace runlens
