// SPDX-License-Identifier: GPL-3.0-or-later
// The selected runs side by side (2 to 50): params, tags, metric summaries,
// data versions, environment and git, with only the differences shown by
// default, one run as the baseline and the others' deltas against it, and
// a Markdown or LaTeX copy of what is shown. Values read compact (numbers to
// six digits, long JSON elided); the exact value is the tooltip, Copy
// (Ctrl+C) and, for a long one, a viewer on double-click. Other tools'
// internal tags (mlflow.*) are left out unless shown.
#pragma once

#include "run_diff.h"

#include <QAbstractTableModel>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableView;

namespace runlens::ui {

class RunComparisonModel : public QAbstractTableModel {
    Q_OBJECT

public:
    // The value as logged (every digit, the whole text); none for a missing one.
    enum Roles { ExactTextRole = Qt::UserRole + 1 };

    using QAbstractTableModel::QAbstractTableModel;
    void setComparison(RunComparison comparison);
    void setOnlyDifferences(bool only);
    void setBaseline(int run);   // -1: none
    const RunComparison& comparison() const { return comparison_; }
    bool onlyDifferences() const { return only_; }
    int baseline() const { return baseline_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void rebuild();
    RunComparison comparison_;
    std::vector<int> shown_;   // rows of comparison_ on screen
    bool only_ = true;
    int baseline_ = 0;
};

class DiffView : public QWidget {
    Q_OBJECT

public:
    explicit DiffView(QWidget* parent = nullptr);
    void setRuns(const std::vector<RunDetails>& runs);
    void setShowToolTags(bool show);
    bool showToolTags() const;
    QCheckBox* toolTagsBox() const { return toolTags_; }
    QTableView* table() const { return table_; }
    // The current cell's exact value (what Ctrl+C copies).
    QString copyText() const;
    RunComparisonModel* model() const { return model_; }
    QString markdown() const;
    QString latex() const;
    static constexpr int kMaxRuns = 50;

private:
    RunComparisonModel* model_;
    QTableView* table_;
    QCheckBox* only_;
    QCheckBox* toolTags_;
    std::vector<RunDetails> runs_; // compared again when the tags shown change
    QComboBox* baseline_;
    QLabel* summary_;
};

} // namespace runlens::ui
