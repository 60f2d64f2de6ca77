// SPDX-License-Identifier: GPL-3.0-or-later
// Two params against each other, a cell per pair of their values (or bins):
// the cell's colour is the metric's mean there (viridis, with its legend),
// its text the mean and the number of runs when they fit. A cell no run
// reached is hatched grey and says "no runs": nothing is interpolated, so
// the picture never claims what was not tried (MLflow's contour plot
// smooths over such holes). Hover a cell for its numbers; click it to
// select its runs.
//
// Threading: GUI thread only; it only draws what it is given.
#pragma once

#include "param_distribution.h"

#include <QWidget>

namespace runlens::ui {

class HeatMapWidget : public QWidget {
    Q_OBJECT

public:
    explicit HeatMapWidget(QWidget* parent = nullptr);
    void setHeatMap(ParamHeatMap map);
    const ParamHeatMap& heatMap() const { return map_; }
    // The cell under `pos` as (x, y) indices; (-1, -1) outside.
    std::pair<int, int> cellAt(const QPointF& pos) const;
    QRectF cellRect(int xi, int yi) const;
    QString toolTipAt(const QPointF& pos) const;
    // The runs of a cell: those in both its column's and its row's group.
    std::vector<int> rowsOf(int xi, int yi) const;

signals:
    void runsClicked(const std::vector<int>& rows);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    QRectF gridRect() const;
    double leftMargin() const;

    ParamHeatMap map_;
};

} // namespace runlens::ui
