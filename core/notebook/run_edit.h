// SPDX-License-Identifier: GPL-3.0-or-later
// One change a user makes to runs after they ran: rename, notes, hypothesis,
// or a tag set or removed, on one or several runs at once. Each run keeps its
// value before and after, so the inverse edit is the undo and the record in
// the edit history says what changed.
#pragma once

#include "run_details.h"
#include "run_table.h"

#include <QDateTime>
#include <QString>

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace runlens {

enum class RunField { Name, Notes, Hypothesis, Tag };
QString runFieldName(RunField field);   // "name", "notes", "hypothesis", "tag"
std::optional<RunField> runFieldFromName(const QString& name);

struct RunChange {
    QString runId;
    std::optional<QString> before, after;   // nullopt: no such tag (or, for text fields, empty)
};

class RunEdit {
public:
    RunEdit() = default;
    RunEdit(RunField field, QString key, std::vector<RunChange> changes);

    // `after` for every row of `table` (nullopt removes a tag), with the
    // values before read from the table (notes and hypotheses too, unless
    // `textBefore` gives them).
    static RunEdit forRows(const RunTable& table, std::span<const int> rows, RunField field, const QString& key,
                           const std::optional<QString>& after,
                           const std::function<QString(int row)>& textBefore = {});

    RunField field() const { return field_; }
    const QString& key() const { return key_; }   // the tag's key; empty otherwise
    const std::vector<RunChange>& changes() const { return changes_; }
    bool empty() const { return changes_.empty(); }

    // The edit that puts every run back.
    RunEdit inverse() const;
    // Leaves out the runs whose value would not change.
    RunEdit withoutNoOps() const;
    // Edit > Undo's text: "Rename run", "Tag 3 runs owner=ana", "Star 2 runs".
    QString describe() const;
    // Refuses what no store should keep: an empty name or tag key, a tag key
    // with control characters, text over 1 MiB. Empty when the edit is fine.
    QString problem() const;

    // The same change made to an in-memory table (rows found by run id; runs
    // not in the table are skipped) and to one run's details.
    void applyTo(RunTable& table) const;
    void applyTo(RunDetails& details) const;

private:
    RunField field_ = RunField::Tag;
    QString key_;
    std::vector<RunChange> changes_;
};

// Who makes an edit, for the history: the login name, else "unknown".
QString currentUserName();
// What trashing now records as the tag's value.
QString trashedNow();

} // namespace runlens
