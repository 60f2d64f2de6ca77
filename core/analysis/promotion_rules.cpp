// SPDX-License-Identifier: GPL-3.0-or-later
#include "promotion_rules.h"

#include <QHash>

namespace runlens {

QString verdictText(RuleVerdict verdict)
{
    switch (verdict) {
    case RuleVerdict::NoRule: return {};
    case RuleVerdict::Waiting: return QStringLiteral("running");
    case RuleVerdict::Meets: return QStringLiteral("meets the rule");
    case RuleVerdict::Fails: return QStringLiteral("fails the rule");
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
        if (trashed && trashed->has(r))
            continue;
        if (haveBaselines && context.baselineRows[size_t(r)] == r)
            continue;
        const QString rule = ruleOf(r).trimmed();
        if (rule.isEmpty())
            continue;
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

} // namespace runlens
