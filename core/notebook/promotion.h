// SPDX-License-Identifier: GPL-3.0-or-later
// Graduating a run to candidate: the record of who promoted it, when, why,
// under which rule (did it meet it?) and against which baseline, with the
// run's metrics at that moment. It is the value of the reserved tag
// runlens.candidate, so promoting is a notebook edit like any other: undone
// with Ctrl+Z, kept in our store's run_events or another tool's overlay,
// exported with the annotations, and listed in the run's edit history.
#pragma once

#include "run_edit.h"
#include "run_table.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace runlens {

struct PromotionRecord {
    QString user;
    QDateTime when;   // UTC
    QString why;
    QString rule;         // the experiment's rule then; empty: it had none
    bool metRule = false; // false: promoted against the rule (forced)
    QString baseline;     // the baseline run's name then; empty: none
    std::vector<std::pair<QString, double>> metrics;   // the run's last values then, by key
    // Set when the promotion is a model version registered from the run
    // (runlens/model_registry.h writes the record then): the same mark, seen
    // from the model.
    QString model;
    qint64 version = 0;

    // One line for a report or a diff: "promoted 2026-12-01 14:03 by ana (met
    // the rule): beats prod by a point", or "registered as churn v3
    // 2026-12-01 14:03 by ana".
    QString summary() const;
    // "val_auc 0.912 · loss 0.231 · +3 more": the metrics the rule names
    // first, then the ones people compare on (metric_priority.h), not the
    // record's key order (which starts with epoch counters).
    QString metricsText(int most = 5) const;
    QString toJson() const;
    // nullopt when `json` is not a record (a tag set by hand): the run is
    // still a candidate, with nothing known of how it became one.
    static std::optional<PromotionRecord> fromJson(const QString& json);
};

// What a promotion records of each run beyond the table: its experiment's
// rule then, whether it met it, and its baseline's name.
struct PromotionContext {
    QString rule;
    bool metRule = false;
    QString baseline;
};

// The edit promoting `rows` of `table` (one undoable edit): one record per
// run, with its own rule, verdict, baseline and metrics (the rule's first),
// by the current user now. `contexts` has one entry per row.
RunEdit promotionEdit(const RunTable& table, std::span<const int> rows, const QString& why,
                      std::span<const PromotionContext> contexts);
// The edit that takes the candidate mark off `rows` (the history keeps the record).
RunEdit demotionEdit(const RunTable& table, std::span<const int> rows);

bool isCandidate(const RunTable& table, int row);
// The record of a candidate row; nullopt when it is none or the record is unreadable.
std::optional<PromotionRecord> promotionOf(const RunTable& table, int row);
// A candidate mark's value as one line: the record's summary, or the value
// itself when it is not a record (a tag set by hand).
QString promotionSummary(const QString& tagValue);

} // namespace runlens
