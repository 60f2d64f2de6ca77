// SPDX-License-Identifier: GPL-3.0-or-later
// Distributions: a metric over a param's values for the shown runs, as box
// plots with every run a dot (BoxPlotWidget) and Welch's t-test between two
// chosen groups, worded as the Seeds view words it; or over two params at
// once as a heat map of the mean per cell (HeatMapWidget). The numbers come
// from core/analysis/param_distribution.
//
// Threading: the grouping runs on a pool thread from a shared, read-only
// table (tens of ms at 10,000 runs, bench_distribution, more on a busy
// machine); a result that arrives after the runs or the choices changed
// again is dropped. setSynchronous(true) computes in place (snapshots, tests).
#pragma once

#include "box_plot_widget.h"
#include "heat_map_widget.h"
#include "param_distribution.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QStackedWidget;

namespace runlens::ui {

class DistributionView : public QWidget {
    Q_OBJECT

public:
    enum class Mode { Box, HeatMap };

    explicit DistributionView(QWidget* parent = nullptr);
    // `metric`: the one to start with when the user has not chosen (the table's sort).
    void setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows, const QString& metric = {});
    void setMetric(const QString& metric);
    void setParam(const QString& key);
    // The heat map's second param (its rows); the first is its columns.
    void setSecondParam(const QString& key);
    void setMode(Mode mode);
    // The two groups Welch's test compares (indices into the groups).
    void compareGroups(int a, int b);
    void setSelectedRows(const std::vector<int>& rows);

    QString metric() const;
    QString param() const;
    QString secondParam() const;
    Mode mode() const;
    QString summary() const;
    QString comparison() const;   // the Welch line
    const ParamDistribution& distribution() const { return box_->distribution(); }
    const ParamHeatMap& heatMap() const { return heat_->heatMap(); }
    BoxPlotWidget* boxPlot() const { return box_; }
    HeatMapWidget* heatMapWidget() const { return heat_; }
    void setSynchronous(bool synchronous) { synchronous_ = synchronous; }
    bool computing() const { return computing_; }

signals:
    void runClicked(int row, bool add);
    void runsClicked(const std::vector<int>& rows);

private:
    struct Result {
        ParamDistribution box;
        ParamHeatMap heat;
    };
    void fillParams();
    void recompute();
    void showResult(Result result);
    void updateComparison();

    std::shared_ptr<const RunTable> runs_;
    std::vector<int> rows_;
    QComboBox* metric_;
    QComboBox* param_;
    QComboBox* mode_;
    QLabel* secondLabel_;
    QComboBox* second_;
    QLabel* summary_;
    QWidget* compareBar_;
    QComboBox* groupA_;
    QComboBox* groupB_;
    QLabel* welch_;
    QStackedWidget* stack_;
    BoxPlotWidget* box_;
    HeatMapWidget* heat_;
    quint64 generation_ = 0;   // of the last computation asked for
    bool synchronous_ = false;
    bool computing_ = false;
};

} // namespace runlens::ui
