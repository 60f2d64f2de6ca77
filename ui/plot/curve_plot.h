// SPDX-License-Identifier: GPL-3.0-or-later
// One chart of overlaid metric curves. A QPainter raster plot: each frame
// draws series decimated to the plot's pixel columns (M4, see
// core/plot_series.h), so a frame costs the same for 1k or 1M points and
// every spike stays visible; zooming in reaches the raw points.
//
// Mouse: drag to zoom into a rectangle, wheel to zoom X around the cursor,
// Shift+drag or middle-drag to pan, double-click to reset. Hover shows a
// crosshair and each run's value at that x.
//
// Threading: GUI thread; series are immutable and shared.
#pragma once

#include "group_bands.h"
#include "plot_series.h"

#include <QColor>
#include <QElapsedTimer>
#include <QTimer>
#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

namespace runlens::ui {

struct CurveSeries {
    QString runId;
    QString label;
    QColor color;
    std::shared_ptr<const PlotSeries> raw;
    std::shared_ptr<const PlotSeries> smoothed;   // null when smoothing is off
    int group = -1;                               // index into the groups, in group mode
};

struct CurveGroup {
    QString label;
    QColor color;
};

class CurvePlot : public QWidget {
    Q_OBJECT

public:
    explicit CurvePlot(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    const QString& title() const { return title_; }
    void setXLabel(const QString& label);
    const QString& xLabel() const { return xLabel_; }
    void setSeries(std::vector<CurveSeries> series);
    const std::vector<CurveSeries>& series() const { return series_; }
    void setLogY(bool log);
    // Decimate to a column per `pixels` pixels (1: every pixel). Vector
    // exports use 2: half the points, no visible change, extremes kept.
    void setPixelsPerColumn(int pixels);
    void setShowRaw(bool show);   // the raw line, faint behind a smoothed one
    // Scale y to the 5th-95th percentile of the points shown, widened by
    // half that span (curve_plot.cpp says why), not to their extremes: one
    // spike (a loss's first steps) no longer flattens the curves. A clipped
    // point leaves a mark on the edge it went past.
    void setIgnoreOutliers(bool ignore);
    bool ignoresOutliers() const { return ignoreOutliers_; }
    // Marks drawn in the last frame for points beyond the y range (tests).
    int lastClipMarks() const { return lastClipMarks_; }
    // Group mode: one line per group (the mean) with a band.
    void setGroups(std::vector<CurveGroup> groups, BandKind band);
    void clearGroups();

    // The shown x range; nullopt follows the data.
    void setXRange(std::optional<std::pair<double, double>> range);
    std::pair<double, double> xRange() const;
    std::pair<double, double> yRange() const;
    void resetView();

    // Points drawn in the last frame (for tests and the benchmark).
    size_t lastFramePoints() const { return lastFramePoints_; }
    // The raw points the last frame decimated for a series (tests).
    const std::vector<PlotPoint>& framePoints(int seriesIndex) const { return frame_[size_t(seriesIndex)].raw; }
    // Decimated points of one series at the current view and width.
    std::vector<PlotPoint> visiblePoints(int seriesIndex) const;
    QRect plotArea() const;
    // Frames drawn until the motion stops are coarser (as while dragging).
    void beginInteraction();

signals:
    void xRangeChanged(double x0, double x1);
    void viewReset();
    // The user turned "Ignore Outliers" on or off in the chart's menu.
    void ignoreOutliersToggled(bool ignore);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    std::pair<double, double> dataXRange() const;
    std::pair<double, double> autoYRange(double x0, double x1) const;
    struct FrameSeries {
        std::vector<PlotPoint> raw, smoothed;
    };
    // `moving`: a frame while the view moves (PlotSeries::decimateWhileMoving).
    QImage lineLayer_;   // drawSeries()'s layer of 1 px lines, reused
    std::vector<FrameSeries> decimateAll(double x0, double x1, int columns, bool moving = false) const;
    std::pair<double, double> rangeOf(const std::vector<FrameSeries>& frames, double x0, double x1) const;
    // Decimates every series once for a frame; y range and drawing share it.
    void prepareFrame(double x0, double x1, int columns);
    // While panning, columns sit on a grid fixed in data space, so a frame
    // keeps the previous one's columns and decimates only those scrolled in.
    void preparePanFrame(double x0, double x1, int columns);
    std::vector<FrameSeries> frame_;
    struct PanGrid {
        double width = 0;   // of a column, in x units
        double from = 0, to = 0;   // the grid span frame_ covers: [from, to)
    };
    std::optional<PanGrid> panGrid_;   // reset whenever what is decimated changes
    double toPixelX(double x, const QRectF& area) const;
    double toPixelY(double y, const QRectF& area) const;
    double fromPixelX(double px, const QRectF& area) const;
    double fromPixelY(double py, const QRectF& area) const;
    double yTransform(double y) const;
    void drawAxes(QPainter& p, const QRectF& area);
    void drawSeries(QPainter& p, const QRectF& area);
    void drawGroups(QPainter& p, const QRectF& area);
    void drawHover(QPainter& p, const QRectF& area);
    void drawClipMarks(QPainter& p, const QRectF& area);
    void setInteracting();

    QString title_, xLabel_;
    std::vector<CurveSeries> series_;
    std::vector<CurveGroup> groups_;
    BandKind band_ = BandKind::MinMax;
    bool logY_ = false;
    bool showRaw_ = true;
    bool ignoreOutliers_ = false;
    int lastClipMarks_ = 0;
    std::optional<std::pair<double, double>> xView_, yView_;   // transformed y for yView_
    // Mouse state.
    int pixelsPerColumn_ = 1;
    enum class Drag { None, Zoom, Pan } drag_ = Drag::None;
    QPoint dragStart_, dragNow_;
    std::pair<double, double> panX_, panY_;
    std::optional<QPoint> hover_;
    bool interacting_ = false;
    QTimer interactionEnd_;
    size_t lastFramePoints_ = 0;
};

} // namespace runlens::ui
