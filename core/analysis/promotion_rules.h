// SPDX-License-Identifier: GPL-3.0-or-later
// Which runs meet their experiment's promotion rule: a query over the run,
// its baseline and its seed group (run_query.h), such as
//
//   metrics.val_auc >= baseline.val_auc + 0.005 and seeds >= 3 and welch_p < 0.05
//
// Only a finished run can meet it (a running one is still waiting, a failed
// one fails), the baseline is not judged against itself, and the trash is
// left out. The table flags the runs that meet it, `runlens candidates`
// gates CI on it, and a promotion records it.
#pragma once

#include "run_query.h"
#include "run_table.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace runlens {

enum class RuleVerdict : std::uint8_t { NoRule, Waiting, Meets, Fails };
// "meets the rule", "fails the rule", "running", "" (no rule).
QString verdictText(RuleVerdict verdict);

struct RuleCheck {
    std::vector<RuleVerdict> verdicts;   // per row of the table
    // Rules that do not resolve against the table (a metric no run logged
    // yet): their runs fail, and this says why.
    std::vector<std::pair<QString, QueryError>> errors;   // rule, error
};

// `ruleOf(row)`: the rule of the row's experiment in its store, empty when it has none.
RuleCheck checkPromotionRules(const RunTable& table, const QueryContext& context,
                              const std::function<QString(int row)>& ruleOf);

} // namespace runlens
