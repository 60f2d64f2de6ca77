// SPDX-License-Identifier: GPL-3.0-or-later
// Which runs meet their experiment's promotion rule: a query over the run,
// its baseline and its seed group (run_query.h), such as
//
//   metrics.val_auc >= baseline.val_auc + 0.005 and seeds >= 3 and welch_p < 0.05
//
// Only a finished run can meet it (a running one is still waiting, a failed
// one fails); the baseline is not judged against itself, nor the trash. The table flags the runs that meet it, `runlens candidates`
// gates CI on it, and a promotion records it.
#pragma once

#include "promotion.h"
#include "run_query.h"
#include "run_table.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

namespace runlens {

// Baseline and Trashed: not judged (the baseline is what runs are compared
// with; the trash is out of the comparison).
enum class RuleVerdict : std::uint8_t { NoRule, Waiting, Meets, Fails, Baseline, Trashed };
// "meets the rule", "fails the rule", "is still running", "is the baseline",
// "is in the trash", "has no rule": what every view and the CLI say.
QString verdictText(RuleVerdict verdict);
// Whether promoting a run with this verdict needs the user to insist.
inline bool promotionNeedsForce(RuleVerdict verdict)
{
    return verdict == RuleVerdict::Fails || verdict == RuleVerdict::Waiting || verdict == RuleVerdict::Trashed;
}

struct RuleCheck {
    std::vector<RuleVerdict> verdicts;   // per row of the table
    // Rules that do not resolve against the table (a metric no run logged
    // yet): their runs fail, and this says why.
    std::vector<std::pair<QString, QueryError>> errors;   // rule, error
};

// `ruleOf(row)`: the rule of the row's experiment in its store, empty when it has none.
RuleCheck checkPromotionRules(const RunTable& table, const QueryContext& context,
                              const std::function<QString(int row)>& ruleOf);

// Per experiment, in the table's order, what the Candidates tab and
// `runlens candidates` list: its runs outside the trash, the candidates
// among them, and the others that meet the rule.
struct ExperimentCandidates {
    QString experiment;
    std::vector<int> rows, promoted, meeting;
};
std::vector<ExperimentCandidates> candidatesByExperiment(const RunTable& table, const RuleCheck& check);

// Promote to Candidate, as the app and the CLI both do it: one undoable edit
// with a record per run (its own rule, verdict and baseline). Runs whose
// verdict needs insisting (promotionNeedsForce) are listed in `refused` and
// the edit is empty, unless `force`.
struct PromotionPlan {
    RunEdit edit;
    std::vector<int> refused;
};
PromotionPlan planPromotion(const RunTable& table, std::span<const int> rows, const QString& why, bool force,
                            const RuleCheck& check, const QueryContext& context,
                            const std::function<QString(int row)>& ruleOf);

} // namespace runlens
