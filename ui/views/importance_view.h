// SPDX-License-Identifier: GPL-3.0-or-later
// Which params matter for a metric over the shown runs: one row per param
// with its kind, importance (drawn as a bar), correlation (Spearman's rho or
// Kruskal-Wallis epsilon-squared) and the runs it rests on, sortable by any
// column (core/analysis/param_importance.h does the maths). A click on a
// param asks the window to put it on the scatter's x axis and first among
// the parallel axes; a double-click also opens the scatter.
//
// Threading: the fit runs on a pool thread (60-140 ms at 10,000 runs x 50
// params, bench_importance) from a shared, read-only table; a result that
// arrives after the runs or the metric changed again is dropped.
#pragma once

#include "param_importance.h"

#include <QAbstractTableModel>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace runlens::ui {

class ImportanceModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Param, Kind, Importance, Correlation, Runs, ColumnCount };
    // The value a column sorts by (numbers as numbers; correlation by strength).
    static constexpr int SortRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;
    void setResult(ImportanceResult result);
    const ImportanceResult& result() const { return result_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    ImportanceResult result_;
};

class ImportanceView : public QWidget {
    Q_OBJECT

public:
    explicit ImportanceView(QWidget* parent = nullptr);
    // `metric`: the one to start with when the user has not chosen (the table's sort).
    void setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows, const QString& metric = {});
    void setMetric(const QString& metric);
    QString metric() const;
    const ImportanceResult& result() const { return model_->result(); }
    QTableView* table() const { return table_; }
    // The param key of a row as shown (after sorting).
    QString paramAt(int viewRow) const;
    QString summary() const;
    // Compute on the calling thread (snapshots).
    void setSynchronous(bool synchronous) { synchronous_ = synchronous; }
    bool computing() const { return computing_; }

signals:
    // A param was clicked (activated: double-clicked or Enter).
    void paramChosen(const QString& paramKey, const QString& metric);
    void paramActivated(const QString& paramKey, const QString& metric);

private:
    void recompute();
    void showResult(ImportanceResult result);

    std::shared_ptr<const RunTable> runs_;
    std::vector<int> rows_;
    QComboBox* metric_;
    QLabel* summary_;
    QLabel* skipped_;
    QTableView* table_;
    ImportanceModel* model_;
    QSortFilterProxyModel* proxy_;
    quint64 generation_ = 0;   // of the last fit asked for
    bool synchronous_ = false;
    bool computing_ = false;
};

} // namespace runlens::ui
