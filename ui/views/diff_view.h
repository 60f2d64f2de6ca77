// SPDX-License-Identifier: GPL-3.0-or-later
// The selected runs side by side (2 to 50): params, tags, metric summaries,
// data versions, environment and git, with only the differences shown by
// default, one run as the baseline and the others' deltas against it, and
// a Markdown or LaTeX copy of what is shown.
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
    RunComparisonModel* model() const { return model_; }
    QString markdown() const;
    QString latex() const;
    static constexpr int kMaxRuns = 50;

private:
    RunComparisonModel* model_;
    QTableView* table_;
    QCheckBox* only_;
    QComboBox* baseline_;
    QLabel* summary_;
};

} // namespace runlens::ui
