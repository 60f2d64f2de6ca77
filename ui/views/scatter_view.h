// SPDX-License-Identifier: GPL-3.0-or-later
// Scatter: any param or metric (x) against a metric (y), one point per run
// in its colour, linear or log axes, hover names the run, a click selects it
// (Ctrl+click adds it), selected runs are drawn larger. Qt Charts carries
// this well: it is at most a few thousand points.
#pragma once

#include "run_table.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;

class QChartView;
class QScatterSeries;

namespace runlens::ui {

class ScatterView : public QWidget {
    Q_OBJECT

public:
    explicit ScatterView(QWidget* parent = nullptr);
    void setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows, const QString& metric = {});
    void setAxes(const QString& xKey, const QString& yMetric);
    int pointCount() const;
    QChartView* chartView() const { return view_; }
    // Runs drawn larger (the table's selection).
    void setSelectedRows(const std::vector<int>& rows);
    // The run behind a point; -1 for none.
    int rowAt(const QPointF& point) const;
    // Marks the runs no other run beats on both axes, lower or higher being
    // better on each (by default from the metrics' names: losses lower).
    void setParetoShown(bool shown);
    void setParetoDirections(bool lowerXBetter, bool lowerYBetter);
    // The rows on the front as drawn (empty when not shown).
    const std::vector<int>& paretoRows() const { return paretoRows_; }

signals:
    // A point was clicked: its run, and whether to add it to the selection.
    void runClicked(int row, bool add);

private:
    void rebuild();
    void markSelected();
    void chooseParetoWay();
    std::optional<double> valueOf(const QString& key, int row) const;

    std::shared_ptr<const RunTable> table_;
    std::vector<int> rows_;
    std::vector<int> pointRows_;   // the row behind each point
    std::vector<int> selected_;
    QComboBox* x_;
    QComboBox* y_;
    QCheckBox* logX_;
    QCheckBox* logY_;
    QCheckBox* pareto_;
    QComboBox* paretoWay_;
    std::vector<int> paretoRows_;
    QChartView* view_;
    QScatterSeries* series_ = nullptr;
};

} // namespace runlens::ui
