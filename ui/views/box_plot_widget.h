// SPDX-License-Identifier: GPL-3.0-or-later
// A metric's box plot per param group with every run drawn over it as a dot
// in its run colour (core/analysis/param_distribution computes the numbers
// and where each dot goes). A config's seeds stand in one column, joined by
// a thin line, so seed noise reads apart from the difference between
// configs. Hover a dot for its run, a label for its group's numbers; click a
// dot to select the run (Ctrl adds it), a label to choose the group to
// compare (Shift: the second one).
//
// Drawn with QPainter rather than Qt Charts' QBoxPlotSeries: that series
// draws boxes only, and the dots (10,000 of them, each in its run's colour,
// laid out by config) would need a scatter series per colour on top.
//
// Threading: GUI thread only; it only draws what it is given.
#pragma once

#include "param_distribution.h"

#include <QWidget>

#include <memory>
#include <optional>

namespace runlens::ui {

class BoxPlotWidget : public QWidget {
    Q_OBJECT

public:
    explicit BoxPlotWidget(QWidget* parent = nullptr);
    void setDistribution(std::shared_ptr<const RunTable> table, ParamDistribution distribution);
    const ParamDistribution& distribution() const { return distribution_; }
    // Runs drawn larger (the table's selection).
    void setSelectedRows(const std::vector<int>& rows);
    // The two groups compared (-1: none), drawn with a tinted slot.
    void setComparedGroups(int a, int b);
    // What a hover at `pos` shows (empty: nothing there), and the run of the dot at it (-1: none).
    QString toolTipAt(const QPointF& pos) const;
    int rowAt(const QPointF& pos) const;
    // Where the dot of `row` is drawn, if it is.
    std::optional<QPointF> pointOf(int row) const;
    int groupAtLabel(const QPointF& pos) const;

signals:
    void runClicked(int row, bool add);
    // A group's label was clicked: choose it as the first (or, with Shift, the second) to compare.
    void groupClicked(int group, bool second);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Dot {
        QPointF at;
        int row = -1;
        size_t group = 0, point = 0;
    };
    void layOut();
    QRectF plotRect() const;
    double yOf(double value) const;
    double slotWidth() const;
    QRectF labelRect(size_t group) const;

    std::shared_ptr<const RunTable> table_;
    ParamDistribution distribution_;
    std::vector<Dot> dots_;   // where each run is drawn, for hovering and clicks
    std::vector<int> selected_;
    int comparedA_ = -1, comparedB_ = -1;
    double lo_ = 0, hi_ = 1;   // the value axis
};

} // namespace runlens::ui
