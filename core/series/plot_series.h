// SPDX-License-Identifier: GPL-3.0-or-later
// A metric series prepared for plotting: sorted by x, with a min/max pyramid
// so that decimating to a pixel grid costs the same at 1k or 1M points.
//
// Decimation is M4 (Jugel et al., VLDB 2014): for every pixel column the
// first, minimum, maximum and last point, which draws a line chart exactly
// as the full data would at that width, every spike included. When a
// column holds fewer points than that, the points themselves come back:
// zooming in reaches full resolution.
//
// Threading: immutable after construction; share across threads.
#pragma once

#include <QString>

#include "metric_series.h"

#include <cstdint>
#include <span>
#include <vector>

namespace runlens {

// Metric: another metric of the same run (epoch, samples seen), read at
// each point's step; see PlotSeries::againstMetric.
enum class XAxis { Step, WallTime, RelativeTime, Metric };
// As an axis title says it: "step", "wall time (s since epoch)", "time since
// start (s)", or the metric's name.
QString xAxisLabel(XAxis axis, const QString& xMetric = {});

struct PlotPoint {
    double x, y;
};

class PlotSeries {
public:
    PlotSeries() = default;
    // NaN values are kept as gaps; x is step, wall time (s) or seconds since the first point.
    PlotSeries(const MetricSeries& series, XAxis axis);
    // From raw x/y (e.g. a smoothed copy); x must be sorted ascending.
    PlotSeries(std::vector<double> xs, std::vector<double> ys);
    // `series` against another metric of its run: each point's x is `x`'s
    // value at the point's step, read along `x`'s line between the steps
    // it was logged at (a loss logged per batch against an epoch logged per
    // epoch lands at fractional epochs). Points before `x`'s first step or
    // after its last have no x and are left out; nothing is extrapolated.
    static PlotSeries againstMetric(const MetricSeries& series, const MetricSeries& x);

    size_t size() const { return xs_.size(); }
    bool empty() const { return xs_.empty(); }
    std::span<const double> xs() const { return xs_; }
    std::span<const double> ys() const { return ys_; }
    double xMin() const { return xs_.empty() ? 0 : xs_.front(); }
    double xMax() const { return xs_.empty() ? 0 : xs_.back(); }
    // Finite y range over [x0, x1]; false when no finite value lies there.
    bool yRange(double x0, double x1, double& lo, double& hi) const;

    // Index range [first, last) of the points with x in [x0, x1].
    std::pair<size_t, size_t> indexRange(double x0, double x1) const;

    // Points to draw for x in [x0, x1] at `columns` pixel columns; the points
    // just outside the range are included so lines reach the edges. A NaN y
    // in the output marks a gap.
    std::vector<PlotPoint> decimate(double x0, double x1, int columns) const;

    // The same window while the view moves, from the pyramid alone: each
    // column's minimum and maximum over blocks of at most half a column
    // (so every spike is still drawn), placed at the x where their
    // block starts; columns are whole blocks, so an edge can be off by a
    // block. Cost grows with the columns, not with the points or where they
    // lie in memory. Too few points for that: decimate() itself.
    std::vector<PlotPoint> decimateWhileMoving(double x0, double x1, int columns) const;

    // Last finite-or-not value at x <= `x`; false if none.
    bool valueAt(double x, double& xFound, double& y) const;
    // The point nearest `x` within `tolerance` (hover read-outs: a run that
    // ended before the cursor, or has no point near it, says nothing).
    bool nearestPoint(double x, double tolerance, double& xFound, double& y) const;

private:
    void buildPyramid();
    // Min and max of finite ys in [i0, i1); false if none is finite.
    bool minMax(size_t i0, size_t i1, double& lo, double& hi, size_t& iLo, size_t& iHi) const;

    std::vector<double> xs_, ys_;
    // levels_[k] holds (min, max) of finite values over blocks of kBase << k points.
    static constexpr size_t kBase = 32;
    struct Block {
        double lo, hi;
        double x;            // of the block's first point (decimateWhileMoving reads no raw x)
        uint32_t iLo, iHi;   // offsets of the extremes inside the block
    };
    std::vector<std::vector<Block>> levels_;
};

} // namespace runlens
