// SPDX-License-Identifier: GPL-3.0-or-later
#include "curve_plot.h"

#include "axis_ticks.h"
#include "group_bands.h"
#include "pan_frame.h"
#include "view_motion.h"
#include "figure_export.h"
#include "line_rasterizer.h"
#include "number_text.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <climits>
#include <cmath>
#include <thread>

namespace runlens::ui {

namespace {

constexpr int kLeft = 62, kRight = 14, kTop = 26, kBottom = 36;
constexpr int kHoverPixels = 6; // how near the cursor a point must be to be read out

// Every point within a pixel of the first: a line through them draws
// nothing (a metric logged twice at one step with one value, as yolov5's
// Comet integration does at the end of a run).
bool collapsed(const std::vector<QPointF>& pts)
{
    return std::all_of(pts.begin(), pts.end(), [&](const QPointF& q) {
        return std::abs(q.x() - pts.front().x()) < 1.0 && std::abs(q.y() - pts.front().y()) < 1.0;
    });
}

void drawPolyline(QPainter& p, const std::vector<QPointF>& pts)
{
    if (pts.size() == 1 || (pts.size() > 1 && collapsed(pts))) {
        // A lone point (a metric logged once) gets a visible marker.
        const QBrush old = p.brush();
        p.setBrush(p.pen().color());
        p.drawEllipse(pts.front(), 3.0, 3.0);
        p.setBrush(old);
    } else if (pts.size() > 1)
        p.drawPolyline(pts.data(), int(pts.size()));
}

} // namespace

CurvePlot::CurvePlot(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(260, 180);
    setAttribute(Qt::WA_OpaquePaintEvent);
    interactionEnd_.setSingleShot(true);
    interactionEnd_.setInterval(180);
    connect(&interactionEnd_, &QTimer::timeout, this, [this] {
        interacting_ = false;
        update();
    });
}

void CurvePlot::setTitle(const QString& title)
{
    title_ = title;
    update();
}

void CurvePlot::setXLabel(const QString& label)
{
    xLabel_ = label;
    update();
}

void CurvePlot::setSeries(std::vector<CurveSeries> series)
{
    panGrid_.reset();
    series_ = std::move(series);
    update();
}

void CurvePlot::setLogY(bool log)
{
    if (logY_ != log) {
        logY_ = log;
        yView_.reset();
        update();
    }
}

void CurvePlot::setShowRaw(bool show)
{
    panGrid_.reset();
    showRaw_ = show;
    update();
}

void CurvePlot::setIgnoreOutliers(bool ignore)
{
    if (ignoreOutliers_ != ignore) {
        ignoreOutliers_ = ignore;
        yView_.reset();
        update();
    }
}

void CurvePlot::setGroups(std::vector<CurveGroup> groups, BandKind band)
{
    panGrid_.reset();
    groups_ = std::move(groups);
    band_ = band;
    update();
}

void CurvePlot::clearGroups()
{
    panGrid_.reset();
    groups_.clear();
    update();
}

void CurvePlot::setXRange(std::optional<std::pair<double, double>> range)
{
    if (xView_ == range)
        return;
    xView_ = range;
    yView_.reset();
    update();
}

void CurvePlot::resetView()
{
    xView_.reset();
    yView_.reset();
    update();
}

QRect CurvePlot::plotArea() const
{
    return rect().adjusted(kLeft, kTop, -kRight, -kBottom);
}

std::pair<double, double> CurvePlot::dataXRange() const
{
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& s : series_) {
        if (!s.raw || s.raw->empty())
            continue;
        lo = std::min(lo, s.raw->xMin());
        hi = std::max(hi, s.raw->xMax());
    }
    if (!(lo <= hi))
        return {0, 1};
    if (lo == hi)
        return {lo - 0.5, hi + 0.5};
    return {lo, hi};
}

std::pair<double, double> CurvePlot::xRange() const
{
    return xView_ ? *xView_ : dataXRange();   // not value_or: that would scan the data every call
}

double CurvePlot::yTransform(double y) const
{
    if (!logY_)
        return y;
    return y > 0 ? std::log10(y) : NAN;
}

std::vector<PlotPoint> CurvePlot::visiblePoints(int seriesIndex) const
{
    const auto& s = series_[size_t(seriesIndex)];
    const auto& src = s.smoothed ? s.smoothed : s.raw;
    if (!src)
        return {};
    const auto [x0, x1] = xRange();
    return src->decimate(x0, x1, std::max(1, plotArea().width()));
}

std::vector<CurvePlot::FrameSeries> CurvePlot::decimateAll(double x0, double x1, int columns, bool moving) const
{
    std::vector<FrameSeries> frames(series_.size());
    auto points = [&](const PlotSeries& s) {
        return moving ? s.decimateWhileMoving(x0, x1, columns) : s.decimate(x0, x1, columns);
    };
    auto work = [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            const auto& s = series_[i];
            frames[i].raw = s.raw && (!s.smoothed || showRaw_ || !groups_.empty()) ? points(*s.raw)
                                                                                   : std::vector<PlotPoint>();
            frames[i].smoothed = s.smoothed ? points(*s.smoothed) : std::vector<PlotPoint>();
        }
    };
    // Decimation is memory-bound per series: spread many series over the cores.
    const size_t n = series_.size();
    const size_t threads = n >= 8 ? std::min<size_t>(4, std::max(1u, std::thread::hardware_concurrency())) : 1;
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < threads; ++t)
        helpers.emplace_back(work, n * t / threads, n * (t + 1) / threads);
    work(0, n / threads);
    for (auto& h : helpers)
        h.join();
    return frames;
}

std::pair<double, double> CurvePlot::rangeOf(const std::vector<FrameSeries>& frames, double x0, double x1) const
{
    double lo = INFINITY, hi = -INFINITY;
    std::vector<double> shown;   // for the percentiles, when outliers are ignored
    for (const auto& f : frames) {
        for (const auto* pts : {&f.raw, &f.smoothed}) {
            for (const auto& p : *pts) {
                if (p.x < x0 || p.x > x1)
                    continue;
                const double y = yTransform(p.y);
                if (std::isfinite(y)) {
                    lo = std::min(lo, y);
                    hi = std::max(hi, y);
                    if (ignoreOutliers_)
                        shown.push_back(y);
                }
            }
        }
    }
    if (!(lo <= hi))
        return {0, 1};
    // Percentiles of the decimated points: each pixel column's extremes, so a
    // spike counts once per column it spans, as the eye sees it. Too few
    // points to call any of them an outlier: the extremes stay.
    if (ignoreOutliers_ && shown.size() >= 20) {
        const auto at = [&](double q) {
            auto nth = shown.begin() + std::ptrdiff_t(q * double(shown.size() - 1));
            std::nth_element(shown.begin(), nth, shown.end());
            return *nth;
        };
        // Not the 5th-95th percentile itself: a falling loss's last, best
        // values are its lowest 5%, and cutting there hides what matters.
        // Half that span again on either side keeps a curve's own tail and
        // still leaves out a spike many times its size.
        const double p5 = at(0.05), p95 = at(0.95), reach = (p95 - p5) * 0.5;
        if (p5 < p95) {
            lo = std::max(lo, p5 - reach);
            hi = std::min(hi, p95 + reach);
        }
    }
    // Equal, or equal but for rounding (a metric every run ends on): give
    // the line room rather than a range of a few ulps.
    if (hi - lo <= std::max(std::abs(lo), std::abs(hi)) * 1e-9) {
        const double pad = lo == 0 ? 1 : std::abs(lo) * 0.05;
        return {lo - pad, hi + pad};
    }
    const double pad = (hi - lo) * 0.04;
    return {lo - pad, hi + pad};
}

std::pair<double, double> CurvePlot::autoYRange(double x0, double x1) const
{
    return rangeOf(decimateAll(x0, x1, std::max(1, plotArea().width())), x0, x1);
}

void CurvePlot::setPixelsPerColumn(int pixels)
{
    panGrid_.reset();
    pixelsPerColumn_ = std::max(1, pixels);
    update();
}

void CurvePlot::prepareFrame(double x0, double x1, int columns)
{
    columns = std::max(1, columns / pixelsPerColumn_);
    // While the view moves, two pixels a column: half the work, and the
    // full-resolution frame follows as soon as the motion stops.
    if (interacting_) {
        preparePanFrame(x0, x1, std::max(1, columns / 2));
        return;
    }
    panGrid_.reset();
    frame_ = decimateAll(x0, x1, columns);
}

void CurvePlot::preparePanFrame(double x0, double x1, int columns)
{
    double width = (x1 - x0) / columns;
    const bool sameZoom = panGrid_ && std::abs(width - panGrid_->width) <= 1e-9 * width;
    if (sameZoom)
        width = panGrid_->width;   // a pan keeps the span up to rounding: keep the grid exact
    const double from = std::floor(x0 / width) * width, to = std::ceil(x1 / width) * width;
    auto span = [&](double a, double b) { return std::max(1, int(std::lround((b - a) / width))); };
    // A zoom, a first frame, or a jump past most of the last frame: all anew.
    if (!sameZoom || from >= panGrid_->to || to <= panGrid_->from
        || (panGrid_->from - from) + (to - panGrid_->to) > (to - from) / 2) {
        frame_ = decimateAll(from, to, span(from, to), true);
        panGrid_ = PanGrid{width, from, to};
        return;
    }
    // Columns scrolled in on either side, decimated on the same grid.
    const double keptFrom = std::max(from, panGrid_->from), keptTo = std::min(to, panGrid_->to);
    const auto left = from < keptFrom ? decimateAll(from, keptFrom, span(from, keptFrom), true) : std::vector<FrameSeries>();
    const auto right = keptTo < to ? decimateAll(keptTo, to, span(keptTo, to), true) : std::vector<FrameSeries>();
    for (size_t i = 0; i < frame_.size(); ++i) {
        frame_[i].raw = stitchPanFrame(left.empty() ? nullptr : &left[i].raw, frame_[i].raw,
                                       right.empty() ? nullptr : &right[i].raw, from, keptFrom, keptTo, to);
        frame_[i].smoothed = stitchPanFrame(left.empty() ? nullptr : &left[i].smoothed, frame_[i].smoothed,
                                            right.empty() ? nullptr : &right[i].smoothed, from, keptFrom, keptTo, to);
    }
    panGrid_ = PanGrid{width, from, to};
}

std::pair<double, double> CurvePlot::yRange() const
{
    if (yView_)
        return *yView_;
    const auto [x0, x1] = xRange();
    return autoYRange(x0, x1);
}

double CurvePlot::toPixelX(double x, const QRectF& a) const
{
    const auto [x0, x1] = xRange();
    return a.left() + (x - x0) / (x1 - x0) * a.width();
}

double CurvePlot::toPixelY(double y, const QRectF& a) const
{
    const auto [y0, y1] = yRange();
    return a.bottom() - (y - y0) / (y1 - y0) * a.height();
}

double CurvePlot::fromPixelX(double px, const QRectF& a) const
{
    const auto [x0, x1] = xRange();
    return x0 + (px - a.left()) / a.width() * (x1 - x0);
}

double CurvePlot::fromPixelY(double py, const QRectF& a) const
{
    const auto [y0, y1] = yRange();
    return y0 + (a.bottom() - py) / a.height() * (y1 - y0);
}

void CurvePlot::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QRectF area = plotArea();
    if (area.width() < 10 || area.height() < 10)
        return;
    // Fix both ranges for the frame: every mapping below uses them, and
    // deriving them from the data per point would cost a scan each time.
    const bool hadX = xView_.has_value();
    xView_ = xRange();
    prepareFrame(xView_->first, xView_->second, std::max(1, int(area.width())));
    const auto y = yView_ ? *yView_ : rangeOf(frame_, xView_->first, xView_->second);
    const bool hadView = yView_.has_value();
    yView_ = y;
    drawAxes(p, area);
    p.save();
    p.setClipRect(area.adjusted(-1, -1, 1, 1));
    if (groups_.empty())
        drawSeries(p, area);
    else
        drawGroups(p, area);
    p.restore();
    if (drag_ == Drag::Zoom) {
        QColor c = pal.color(QPalette::Highlight);
        c.setAlpha(50);
        p.fillRect(QRect(dragStart_, dragNow_).normalized(), c);
        p.setPen(pal.color(QPalette::Highlight));
        p.drawRect(QRect(dragStart_, dragNow_).normalized());
    }
    lastClipMarks_ = 0;
    if (ignoreOutliers_ && groups_.empty() && !hadView)
        drawClipMarks(p, area);
    if (hover_ && drag_ == Drag::None)
        drawHover(p, area);
    if (!hadView)
        yView_.reset();
    if (!hadX)
        xView_.reset();
}

void CurvePlot::drawAxes(QPainter& p, const QRectF& area)
{
    const QPalette pal = palette();
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(28);
    QColor axisText = pal.color(QPalette::Text);
    axisText.setAlpha(170);
    const auto [x0, x1] = xRange();
    const auto [y0, y1] = yRange();
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    const QFontMetrics fm(small);

    // Y ticks; with a log axis the transformed values are exponents.
    std::vector<double> yt = niceTicks(y0, y1, std::max(2, int(area.height() / 42)));
    if (logY_) {
        std::vector<double> whole;
        for (double e = std::ceil(y0); e <= y1; e += std::max(1.0, std::ceil((y1 - y0) / 6)))
            whole.push_back(e);
        if (whole.size() >= 2)
            yt = whole;
    }
    const QStringList yLabels = logY_ ? logTickLabels(yt) : tickLabels(yt, y1 - y0);
    const std::vector<double> xt = niceTicks(x0, x1, std::max(2, int(area.width() / 70)));
    const QStringList xLabels = tickLabels(xt, x1 - x0);
    // The grid opaque (its colour over the background, which it is drawn on)
    // and on whole pixels: the raster engine fills those as spans, where a
    // translucent line at fractional coordinates took its blending stroker,
    // some 7 ms a frame for twenty lines.
    const QColor base = pal.color(QPalette::Base);
    const double alpha = grid.alphaF();
    const QColor gridOnBase = QColor::fromRgbF(float(grid.redF() * alpha + base.redF() * (1 - alpha)),
                                               float(grid.greenF() * alpha + base.greenF() * (1 - alpha)),
                                               float(grid.blueF() * alpha + base.blueF() * (1 - alpha)));
    std::vector<QLine> gridLines;
    const QRect whole = area.toAlignedRect();
    for (double v : yt) {
        const int py = int(std::lround(toPixelY(v, area)));
        gridLines.emplace_back(whole.left(), py, whole.right(), py);
    }
    for (double v : xt) {
        const int px = int(std::lround(toPixelX(v, area)));
        gridLines.emplace_back(px, whole.top(), px, whole.bottom());
    }
    p.setPen(QPen(gridOnBase, 1));   // width 1, not cosmetic: exports scale it as before
    p.drawLines(gridLines.data(), int(gridLines.size()));
    p.setPen(axisText);
    for (size_t i = 0; i < yt.size(); ++i) {
        const double py = toPixelY(yt[i], area);
        p.drawText(QRectF(0, py - 8, kLeft - 6, 16), Qt::AlignRight | Qt::AlignVCenter, yLabels[qsizetype(i)]);
    }
    for (size_t i = 0; i < xt.size(); ++i) {
        const double px = toPixelX(xt[i], area);
        p.drawText(QRectF(px - 45, area.bottom() + 3, 90, 16), Qt::AlignHCenter | Qt::AlignTop, xLabels[qsizetype(i)]);
    }
    p.setPen(axisText);
    p.drawRect(area);
    if (!xLabel_.isEmpty())
        p.drawText(QRectF(area.left(), area.bottom() + 17, area.width(), 16), Qt::AlignHCenter, xLabel_);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    const QString title = QFontMetrics(bold).elidedText(title_ + (logY_ ? tr(" (log)") : QString()), Qt::ElideMiddle,
                                                        int(area.width()));
    p.drawText(QRectF(area.left(), 4, area.width(), kTop - 6), Qt::AlignLeft | Qt::AlignVCenter, title);
    p.setFont(font());
}

void CurvePlot::drawClipMarks(QPainter& p, const QRectF& area)
{
    // A small triangle on the edge a point went past, in its run's colour,
    // one per run and pixel column: the clipped values are there, only off the scale.
    const auto [y0, y1] = *yView_;
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(Qt::NoPen);
    for (size_t i = 0; i < frame_.size() && i < series_.size(); ++i) {
        const auto& pts = frame_[i].raw.empty() ? frame_[i].smoothed : frame_[i].raw;
        int lastAbove = INT_MIN, lastBelow = INT_MIN;
        p.setBrush(series_[i].color);
        for (const auto& pt : pts) {
            const double y = yTransform(pt.y);
            if (!std::isfinite(y) || (y >= y0 && y <= y1))
                continue;
            const double px = toPixelX(pt.x, area);
            if (px < area.left() || px > area.right())
                continue;
            const bool above = y > y1;
            int& last = above ? lastAbove : lastBelow;
            if (int(px) / 3 == last)   // one mark per 3 px: a run of clipped points is a row of marks
                continue;
            last = int(px) / 3;
            const double edge = above ? area.top() : area.bottom();
            const double tip = above ? -4 : 4;
            const QPointF mark[3] = {{px, edge + tip}, {px - 3, edge}, {px + 3, edge}};
            p.drawPolygon(mark, 3);
            ++lastClipMarks_;
        }
    }
    p.restore();
}

void CurvePlot::drawSeries(QPainter& p, const QRectF& area)
{
    // Antialiasing costs more than the lines; drop it while the view moves.
    const bool antialias = !interacting_ && series_.size() <= 60;
    p.setRenderHint(QPainter::Antialiasing, antialias);
    lastFramePoints_ = 0;
    // Wide pens go through the stroker; with many runs, 1 px lines read as
    // well and draw several times faster.
    const bool thin = interacting_ || series_.size() > 20;
    // Unsmoothed 1 px lines on screen go through LineRasterizer into a layer
    // over the plot: QPainter spent ~40 ms a pan frame on 100 runs' lines,
    // nearly all of it per-segment overhead. Vector output (SVG, PDF) and
    // antialiased frames keep QPainter.
    QImage* layer = nullptr;
    std::optional<LineRasterizer> raster;
    const qreal dpr = p.device() ? p.device()->devicePixelRatioF() : 1.0;
    if (thin && !antialias && p.paintEngine() && p.paintEngine()->type() == QPaintEngine::Raster) {
        // Kept from frame to frame: a new 2-3 MB image a frame is fresh pages
        // for the kernel to map and zero, every time.
        const QSize size = (area.size() * dpr).toSize();
        if (lineLayer_.size() != size)
            lineLayer_ = QImage(size, QImage::Format_ARGB32_Premultiplied);
        lineLayer_.fill(Qt::transparent);
        lineLayer_.setDevicePixelRatio(dpr);
        layer = &lineLayer_;
        raster.emplace(*layer);
    }
    const QColor base = palette().color(QPalette::Base);
    std::vector<QPointF> line;
    // The rasterizer walks every pixel of a segment, even off screen: the
    // points beyond the edges (and far-out values) are brought to the border.
    const double left = area.left() - 1, right = area.right() + 1;
    const double top = area.top() - 4 * area.height(), bottom = area.bottom() + 4 * area.height();
    auto flush = [&] {
        if (line.size() >= 2) {
            auto clampEdge = [&](QPointF& out, const QPointF& in, double edge) {
                const double t = (edge - in.x()) / (out.x() - in.x());
                out = QPointF(edge, in.y() + t * (out.y() - in.y()));
            };
            if (line.front().x() < left)
                clampEdge(line.front(), line[1], left);
            if (line.back().x() > right)
                clampEdge(line.back(), line[line.size() - 2], right);
        }
        for (auto& pt : line)
            pt.setY(std::clamp(pt.y(), top, bottom));
        if (raster && line.size() > 1 && !collapsed(line)) {
            // Opaque: a translucent pen becomes its colour over the background.
            const QColor c = p.pen().color();
            const double a = c.alphaF();
            const QRgb colour = qRgb(int(c.red() * a + base.red() * (1 - a)), int(c.green() * a + base.green() * (1 - a)),
                                     int(c.blue() * a + base.blue() * (1 - a)));
            for (auto& pt : line)
                pt = (pt - area.topLeft()) * dpr;
            raster->drawPolyline(line, colour);
        } else {
            drawPolyline(p, line);
        }
        line.clear();
    };
    auto draw = [&](const std::vector<PlotPoint>& pts, QPen pen) {
        lastFramePoints_ += pts.size();
        // Cosmetic pens (a width in pixels) take the raster engine's fast
        // line path; others go through the stroker.
        pen.setCosmetic(true);
        p.setPen(pen);
        for (const auto& pt : pts) {
            const double y = yTransform(pt.y);
            if (!std::isfinite(y)) {   // NaN (and, on a log axis, y <= 0): a gap
                flush();
                continue;
            }
            line.emplace_back(toPixelX(pt.x, area), toPixelY(y, area));
        }
        flush();
    };
    for (size_t i = 0; i < series_.size(); ++i) {
        const auto& s = series_[i];
        if (!s.raw)
            continue;
        if (s.smoothed) {
            if (showRaw_) {
                QColor faint = s.color;
                faint.setAlpha(55);
                draw(frame_[i].raw, QPen(faint, 1));
            }
            draw(frame_[i].smoothed, QPen(s.color, thin ? 1 : 1.6));
        } else {
            draw(frame_[i].raw, QPen(s.color, thin ? 1 : 1.3));
        }
    }
    if (layer)
        p.drawImage(area.topLeft(), *layer);
}

void CurvePlot::drawGroups(QPainter& p, const QRectF& area)
{
    const auto [x0, x1] = xRange();
    // A bucket per two pixel columns: the band is a shape, not a line to resolve.
    const int buckets = std::max(1, int(area.width() / 2));
    p.setRenderHint(QPainter::Antialiasing, !interacting_);
    lastFramePoints_ = 0;
    for (size_t g = 0; g < groups_.size(); ++g) {
        std::vector<const PlotSeries*> members;
        for (const auto& s : series_)
            if (s.group == int(g) && s.raw)
                members.push_back(s.smoothed ? s.smoothed.get() : s.raw.get());
        const auto band = groupBand(members, x0, x1, buckets, band_, [this](double y) { return yTransform(y); });
        lastFramePoints_ += band.size();
        if (band.empty())
            continue;
        std::vector<QPointF> mean;
        QPolygonF outline;
        for (const auto& b : band) {
            mean.emplace_back(toPixelX(b.x, area), toPixelY(b.mean, area));
            outline << QPointF(toPixelX(b.x, area), toPixelY(b.upper, area));
        }
        for (auto it = band.rbegin(); it != band.rend(); ++it)
            outline << QPointF(toPixelX(it->x, area), toPixelY(it->lower, area));
        QColor fill = groups_[g].color;
        fill.setAlpha(50);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawPolygon(outline);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(groups_[g].color, 1.8));
        drawPolyline(p, mean);
    }
}

void CurvePlot::drawHover(QPainter& p, const QRectF& area)
{
    if (!area.contains(*hover_))
        return;
    const double x = fromPixelX(hover_->x(), area);
    QColor cross = palette().color(QPalette::Text);
    cross.setAlpha(110);
    p.setPen(QPen(cross, 1, Qt::DashLine));
    p.drawLine(QPointF(hover_->x(), area.top()), QPointF(hover_->x(), area.bottom()));

    struct Row {
        QColor color;
        QString label;
        double value;
    };
    std::vector<Row> rows;
    // Each run's value at the cursor: its nearest point within a few pixels.
    const double tolerance = std::abs(fromPixelX(hover_->x() + kHoverPixels, area) - x);
    for (const auto& s : series_) {
        const auto& src = s.smoothed ? s.smoothed : s.raw;
        double xf, v;
        if (src && src->nearestPoint(x, tolerance, xf, v))
            rows.push_back({s.color, s.label, v});
    }
    if (rows.empty())
        return;
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        if (std::isnan(a.value) != std::isnan(b.value))
            return !std::isnan(a.value);
        return a.value > b.value;
    });
    const size_t shown = std::min<size_t>(rows.size(), 12);
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    const QFontMetrics fm(small);
    const int lineH = fm.height() + 1;
    const int labelW = 200;
    const int boxW = labelW + 90;
    const int boxH = lineH * int(shown + 1 + (rows.size() > shown ? 1 : 0)) + 8;
    QRect box(hover_->x() + 14, int(area.top()) + 6, boxW, boxH);
    if (box.right() > area.right())
        box.moveRight(hover_->x() - 14);
    // Inside the chart's widget whatever the cursor's place.
    if (box.left() < 0)
        box.moveLeft(0);
    if (box.bottom() > height() - 1)
        box.moveBottom(height() - 1);
    if (box.top() < 0)
        box.moveTop(0);
    QColor bg = palette().color(QPalette::ToolTipBase);
    bg.setAlpha(235);
    p.setPen(palette().color(QPalette::Mid));
    p.setBrush(bg);
    p.drawRect(box);
    p.setPen(palette().color(QPalette::ToolTipText));
    int yText = box.top() + 4;
    p.drawText(QRect(box.left() + 6, yText, boxW - 12, lineH), Qt::AlignLeft | Qt::AlignVCenter,
               tr("x = %1").arg(QString::number(x, 'g', 8)));
    yText += lineH;
    for (size_t i = 0; i < shown; ++i) {
        const Row& r = rows[i];
        p.fillRect(QRect(box.left() + 6, yText + lineH / 2 - 4, 8, 8), r.color);
        p.drawText(QRect(box.left() + 18, yText, labelW - 14, lineH), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(r.label, Qt::ElideMiddle, labelW - 16));
        p.drawText(QRect(box.left() + labelW, yText, 84, lineH), Qt::AlignRight | Qt::AlignVCenter,
                   compactNumber(r.value));
        yText += lineH;
    }
    if (rows.size() > shown)
        p.drawText(QRect(box.left() + 18, yText, labelW, lineH), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("… %1 more").arg(rows.size() - shown));
    p.setFont(font());
}

void CurvePlot::beginInteraction()
{
    setInteracting();
}

void CurvePlot::setInteracting()
{
    interacting_ = true;
    interactionEnd_.start();
}

void CurvePlot::mousePressEvent(QMouseEvent* e)
{
    if (!plotArea().contains(e->pos()))
        return;
    dragStart_ = dragNow_ = e->pos();
    if (e->button() == Qt::MiddleButton || (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier))) {
        drag_ = Drag::Pan;
        panX_ = xRange();
        panY_ = yRange();
    } else if (e->button() == Qt::LeftButton) {
        drag_ = Drag::Zoom;
    }
}

void CurvePlot::mouseMoveEvent(QMouseEvent* e)
{
    hover_ = e->pos();
    if (drag_ == Drag::Pan) {
        const QRectF a = plotArea();
        const auto [x, y] = pannedView({panX_.first, panX_.second}, {panY_.first, panY_.second},
                                       e->pos().x() - dragStart_.x(), e->pos().y() - dragStart_.y(), a.width(), a.height());
        xView_ = std::pair(x.lo, x.hi);
        yView_ = std::pair(y.lo, y.hi);
        setInteracting();
        emit xRangeChanged(xView_->first, xView_->second);
    } else if (drag_ == Drag::Zoom) {
        dragNow_ = e->pos();
    }
    update();
}

void CurvePlot::mouseReleaseEvent(QMouseEvent* e)
{
    if (drag_ == Drag::Zoom) {
        const QRect r = QRect(dragStart_, e->pos()).normalized();
        if (r.width() >= kMinZoomBandPixels && r.height() >= kMinZoomBandPixels) {
            const QRectF a = plotArea();
            const double xa = fromPixelX(r.left(), a), xb = fromPixelX(r.right(), a);
            const double ya = fromPixelY(r.bottom(), a), yb = fromPixelY(r.top(), a);
            xView_ = std::pair(xa, xb);
            yView_ = std::pair(ya, yb);
            emit xRangeChanged(xa, xb);
        } else if (r.width() >= kMinZoomBandPixels) {
            const QRectF a = plotArea();
            xView_ = std::pair(fromPixelX(r.left(), a), fromPixelX(r.right(), a));
            yView_.reset();
            emit xRangeChanged(xView_->first, xView_->second);
        }
    }
    drag_ = Drag::None;
    update();
}

void CurvePlot::mouseDoubleClickEvent(QMouseEvent*)
{
    resetView();
    emit viewReset();
}

void CurvePlot::wheelEvent(QWheelEvent* e)
{
    const QRectF a = plotArea();
    if (!a.contains(e->position()))
        return;
    const auto [x0, x1] = xRange();
    const AxisRange x = magnifiedRange({x0, x1}, fromPixelX(e->position().x(), a), wheelZoomFactor(e->angleDelta().y()));
    xView_ = std::pair(x.lo, x.hi);
    yView_.reset();
    setInteracting();
    emit xRangeChanged(xView_->first, xView_->second);
    update();
}

void CurvePlot::contextMenuEvent(QContextMenuEvent* e)
{
    QMenu menu(this);
    auto* outliers = menu.addAction(tr("Ignore Outliers in the Scale"));
    outliers->setToolTip(tr("Scale y to the 5th-95th percentile of the points shown, widened by half that span; "
                            "points beyond leave a mark on the edge."));
    outliers->setCheckable(true);
    outliers->setChecked(ignoreOutliers_);
    connect(outliers, &QAction::toggled, this, [this](bool on) {
        setIgnoreOutliers(on);
        emit ignoreOutliersToggled(on);
    });
    menu.addSeparator();
    addFigureActions(menu, *this, title_);
    menu.exec(e->globalPos());
}

void CurvePlot::leaveEvent(QEvent*)
{
    hover_.reset();
    update();
}

} // namespace runlens::ui
