// SPDX-License-Identifier: GPL-3.0-or-later
// Parallel coordinates over runs (Qt Charts has none): one vertical axis per
// param or metric, a line per run coloured by the last axis' metric (colour
// bar on the right), missing values on a band below the axes. Drag along an
// axis to brush a range (any number of axes; click to clear); drag an axis
// title to reorder; right-click a title to flip it, switch log scale or
// remove it. Hover shows a run's values. Lines are drawn into a cached
// image, so a brush redraws lines once, not per mouse move elsewhere; with
// thousands of runs that image is drawn on a pool thread.
//
// Threading: GUI thread; the line image is drawn from copies of the axes.
#pragma once

#include "parallel_axes.h"

#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>

namespace runlens::ui {

class ParallelCoordinatesView : public QWidget {
    Q_OBJECT

public:
    explicit ParallelCoordinatesView(QWidget* parent = nullptr);
    void setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows, const QString& sortMetric = {});
    ParallelAxes& axes() { return axes_; }
    // Brushes change the kept rows; the view redraws and reports them.
    void setBrush(int axis, std::optional<std::pair<double, double>> brush);
    // Lines drawn in the last full render (for the benchmark).
    int lastRenderedLines() const { return lastLines_; }
    void invalidate();
    // Draw every frame on the GUI thread (snapshots, benchmarks).
    void setSynchronous(bool synchronous);
    // Params and metrics not on an axis, that the shown runs have.
    QStringList axisChoices() const;
    // Adds an axis before the colour axis; the layout is then the user's.
    void addAxis(const QString& key);
    // Colours the lines by a metric: the last axis becomes it.
    void colourBy(const QString& metric);
    // Puts an axis first (adding it when it is not shown): the param the
    // Importance tab points at reads beside the run's colour key.
    void moveAxisFirst(const QString& key);
    // The colour axis has one value for every shown run: no scale to read.
    bool colourIsConstant() const;

signals:
    void brushChanged(const std::vector<int>& keptRows, bool anyBrush);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    QRectF plotRect() const;
    double axisX(int axis) const;
    double yOf(double fraction) const;
    double fractionAt(double y) const;
    int axisNear(double x, double tolerance) const;
    QColor colorOf(int row) const;
    void renderLines();
    void rebuildAxes(const QStringList& keys);
    void emitBrush();

    std::shared_ptr<const RunTable> table_;
    ParallelAxes axes_;
    QImage lines_;
    bool dirty_ = true;
    bool customAxes_ = false;   // the user reordered or removed axes: keep them
    bool synchronous_ = false;
    bool rendering_ = false;    // a pool thread is drawing the lines
    quint64 generation_ = 0;
    int lastLines_ = 0;
    double colorMin_ = 0, colorMax_ = 1;
    // Interaction.
    enum class Drag { None, Brush, Move } drag_ = Drag::None;
    int dragAxis_ = -1;
    double dragFrom_ = 0, dragTo_ = 0;
    int hoverRow_ = -1;
};

} // namespace runlens::ui
