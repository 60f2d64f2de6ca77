// SPDX-License-Identifier: GPL-3.0-or-later
#include "plot_series.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens {

QString xAxisLabel(XAxis axis, const QString& xMetric)
{
    switch (axis) {
    case XAxis::Step: return QStringLiteral("step");
    case XAxis::WallTime: return QStringLiteral("wall time (s since epoch)");
    case XAxis::RelativeTime: return QStringLiteral("time since start (s)");
    case XAxis::Metric: return xMetric;
    }
    return {};
}

PlotSeries::PlotSeries(const MetricSeries& series, XAxis axis)
{
    const size_t n = series.size();
    xs_.resize(n);
    ys_ = series.values;
    const double t0 = n ? series.wallTimes.front() : 0;
    for (size_t i = 0; i < n; ++i) {
        xs_[i] = axis == XAxis::Step || axis == XAxis::Metric ? double(series.steps[i])
            : axis == XAxis::WallTime ? series.wallTimes[i]
                                      : series.wallTimes[i] - t0;
    }
    // Points are stored as logged; plotting wants them in x order.
    if (!std::is_sorted(xs_.begin(), xs_.end())) {
        std::vector<size_t> order(n);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return xs_[a] < xs_[b]; });
        std::vector<double> x(n), y(n);
        for (size_t i = 0; i < n; ++i) {
            x[i] = xs_[order[i]];
            y[i] = ys_[order[i]];
        }
        xs_.swap(x);
        ys_.swap(y);
    }
    buildPyramid();
}

PlotSeries::PlotSeries(std::vector<double> xs, std::vector<double> ys) : xs_(std::move(xs)), ys_(std::move(ys))
{
    buildPyramid();
}

PlotSeries PlotSeries::againstMetric(const MetricSeries& series, const MetricSeries& x)
{
    // x's finite points by step; a step logged twice keeps its last value.
    std::vector<std::pair<int64_t, double>> along;
    along.reserve(x.size());
    for (size_t i = 0; i < x.size(); ++i)
        if (std::isfinite(x.values[i]))
            along.emplace_back(x.steps[i], x.values[i]);
    std::stable_sort(along.begin(), along.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // Unique from the back keeps each step's last value, gathered at the end.
    const auto kept = std::unique(along.rbegin(), along.rend(), [](const auto& a, const auto& b) { return a.first == b.first; });
    along.erase(along.begin(), kept.base());
    std::vector<std::pair<double, double>> points;
    points.reserve(series.size());
    for (size_t i = 0; i < series.size(); ++i) {
        const int64_t step = series.steps[i];
        auto hi = std::lower_bound(along.begin(), along.end(), step, [](const auto& p, int64_t s) { return p.first < s; });
        if (hi == along.end())
            continue;
        double xv = hi->second;
        if (hi->first != step) {
            if (hi == along.begin())
                continue;
            const auto lo = hi - 1;
            xv = lo->second + (hi->second - lo->second) * double(step - lo->first) / double(hi->first - lo->first);
        }
        points.emplace_back(xv, series.values[i]);
    }
    // An x that is not monotonic (a counter reset on resume) still plots in x order.
    std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<double> xs(points.size()), ys(points.size());
    for (size_t i = 0; i < points.size(); ++i) {
        xs[i] = points[i].first;
        ys[i] = points[i].second;
    }
    return PlotSeries(std::move(xs), std::move(ys));
}

void PlotSeries::buildPyramid()
{
    levels_.clear();
    const size_t n = ys_.size();
    if (n < kBase * 2)
        return;
    std::vector<Block> level((n + kBase - 1) / kBase);
    for (size_t b = 0; b < level.size(); ++b) {
        const size_t start = b * kBase, end = std::min(n, start + kBase);
        Block blk{INFINITY, -INFINITY, xs_[start], 0, 0};
        for (size_t i = start; i < end; ++i) {
            const double v = ys_[i];
            if (std::isnan(v))
                continue;
            if (v < blk.lo) {
                blk.lo = v;
                blk.iLo = uint32_t(i - start);
            }
            if (v > blk.hi) {
                blk.hi = v;
                blk.iHi = uint32_t(i - start);
            }
        }
        level[b] = blk;
    }
    levels_.push_back(std::move(level));
    while (levels_.back().size() > 1) {
        const auto& prev = levels_.back();
        const size_t span = kBase << (levels_.size() - 1);   // points per block of prev
        std::vector<Block> next((prev.size() + 1) / 2);
        for (size_t b = 0; b < next.size(); ++b) {
            Block a = prev[2 * b];
            if (2 * b + 1 < prev.size()) {
                const Block& c = prev[2 * b + 1];
                if (c.lo < a.lo) {
                    a.lo = c.lo;
                    a.iLo = uint32_t(c.iLo + span);
                }
                if (c.hi > a.hi) {
                    a.hi = c.hi;
                    a.iHi = uint32_t(c.iHi + span);
                }
            }
            next[b] = a;
        }
        levels_.push_back(std::move(next));
    }
}

bool PlotSeries::minMax(size_t i0, size_t i1, double& lo, double& hi, size_t& iLo, size_t& iHi) const
{
    lo = INFINITY;
    hi = -INFINITY;
    auto scan = [&](size_t a, size_t b) {
        for (size_t i = a; i < b; ++i) {
            const double v = ys_[i];
            if (std::isnan(v))
                continue;
            if (v < lo) {
                lo = v;
                iLo = i;
            }
            if (v > hi) {
                hi = v;
                iHi = i;
            }
        }
    };
    auto take = [&](const Block& blk, size_t start) {
        if (blk.lo < lo) {
            lo = blk.lo;
            iLo = start + blk.iLo;
        }
        if (blk.hi > hi) {
            hi = blk.hi;
            iHi = start + blk.iHi;
        }
    };
    if (levels_.empty() || i1 - i0 < 4 * kBase) {
        scan(i0, i1);   // a short run scans faster than it climbs the pyramid
        return lo <= hi;
    }
    // Partial blocks at both ends by scanning, whole blocks from the pyramid,
    // climbing a level whenever the cursor sits on an even block boundary.
    size_t a = i0, b = i1;
    const size_t firstFull = (a + kBase - 1) / kBase * kBase;
    const size_t lastFull = b / kBase * kBase;
    scan(a, std::min(firstFull, b));
    scan(std::max(lastFull, firstFull), b);
    size_t lb = firstFull / kBase, le = lastFull / kBase;   // block range [lb, le) at level 0
    for (size_t level = 0; lb < le && level < levels_.size(); ++level) {
        const size_t span = kBase << level;
        if (lb & 1) {
            take(levels_[level][lb], lb * span);
            ++lb;
        }
        if (le & 1) {
            --le;
            take(levels_[level][le], le * span);
        }
        lb >>= 1;
        le >>= 1;
    }
    return lo <= hi;
}

std::pair<size_t, size_t> PlotSeries::indexRange(double x0, double x1) const
{
    const auto first = std::lower_bound(xs_.begin(), xs_.end(), x0);
    const auto last = std::upper_bound(first, xs_.end(), x1);
    return {size_t(first - xs_.begin()), size_t(last - xs_.begin())};
}

bool PlotSeries::yRange(double x0, double x1, double& lo, double& hi) const
{
    const auto [i0, i1] = indexRange(x0, x1);
    size_t a = 0, b = 0;
    if (!minMax(i0, i1, lo, hi, a, b))
        return false;
    if (std::isinf(lo) || std::isinf(hi)) {
        // Infinities would flatten the chart: range over finite values only.
        lo = INFINITY;
        hi = -INFINITY;
        for (size_t i = i0; i < i1; ++i)
            if (std::isfinite(ys_[i])) {
                lo = std::min(lo, ys_[i]);
                hi = std::max(hi, ys_[i]);
            }
        return lo <= hi;
    }
    return true;
}

std::vector<PlotPoint> PlotSeries::decimate(double x0, double x1, int columns) const
{
    std::vector<PlotPoint> out;
    if (xs_.empty() || columns <= 0 || !(x1 > x0))
        return out;
    auto [i0, i1] = indexRange(x0, x1);
    // One point beyond each edge, so the line runs to the border.
    const size_t lo = i0 > 0 ? i0 - 1 : 0;
    const size_t hi = std::min(xs_.size(), i1 + 1);
    auto addPoint = [&](size_t i) { out.push_back({xs_[i], ys_[i]}); };

    if (hi - lo <= size_t(columns) * 4) {
        out.reserve(hi - lo);
        for (size_t i = lo; i < hi; ++i)
            addPoint(i);
        return out;
    }
    out.reserve(size_t(columns) * 4 + 2);
    if (lo < i0)
        addPoint(lo);
    const double width = (x1 - x0) / columns;
    size_t i = i0;
    for (int c = 0; c < columns && i < i1; ++c) {
        const double cEnd = c + 1 == columns ? x1 : x0 + width * (c + 1);
        // The column's end is near: gallop from i, then bisect the last step.
        size_t step = 1, base = i;
        while (base + step < i1 && xs_[base + step] <= cEnd) {
            base += step;
            step *= 2;
        }
        const size_t j = size_t(std::upper_bound(xs_.begin() + std::ptrdiff_t(base),
                                                 xs_.begin() + std::ptrdiff_t(std::min(i1, base + step)), cEnd)
                                - xs_.begin());
        if (j == i)
            continue;
        double mn, mx;
        size_t iMn = i, iMx = i;
        const bool any = minMax(i, j, mn, mx, iMn, iMx);
        addPoint(i);
        if (any) {
            // Extremes in the order they occur keep the line's shape.
            if (iMn < iMx) {
                if (iMn != i)
                    addPoint(iMn);
                if (iMx != j - 1)
                    addPoint(iMx);
            } else {
                if (iMx != i)
                    addPoint(iMx);
                if (iMn != j - 1)
                    addPoint(iMn);
            }
        } else {
            out.push_back({xs_[i], NAN});   // nothing finite in this column: a gap
        }
        if (j - 1 != i)
            addPoint(j - 1);
        i = j;
    }
    if (hi > i1)
        addPoint(hi - 1);
    return out;
}

std::vector<PlotPoint> PlotSeries::decimateWhileMoving(double x0, double x1, int columns) const
{
    if (xs_.empty() || columns <= 0 || !(x1 > x0))
        return {};
    const auto [i0, i1] = indexRange(x0, x1);
    // The coarsest level with at least two blocks a column.
    const size_t perColumn = (i1 - i0) / size_t(columns);
    size_t level = levels_.size();
    for (size_t k = levels_.size(); k-- > 0;)
        if ((kBase << k) * 2 <= perColumn) {
            level = k;
            break;
        }
    if (level == levels_.size())
        return decimate(x0, x1, columns);
    const std::vector<Block>& blocks = levels_[level];
    const size_t span = kBase << level;
    const size_t kFirst = i0 / span, kEnd = std::min(blocks.size(), (i1 + span - 1) / span);
    const double width = (x1 - x0) / columns;
    std::vector<PlotPoint> out;
    out.reserve(size_t(columns) * 2 + 2);
    if (i0 > 0)
        out.push_back({xs_[i0 - 1], ys_[i0 - 1]});   // the line runs to the border
    int column = -1;
    bool any = false;
    double lo = 0, hi = 0, xLo = 0, xHi = 0;
    size_t atLo = 0, atHi = 0;   // indices of the extremes: their order is the line's
    auto endColumn = [&] {
        if (column < 0)
            return;
        if (!any) {
            out.push_back({x0 + (column + 0.5) * width, NAN});   // nothing but NaN in this column: a gap
            return;
        }
        const PlotPoint a{xLo, lo}, b{xHi, hi};
        const bool loFirst = atLo <= atHi;
        out.push_back(loFirst ? a : b);
        if (atLo != atHi)
            out.push_back(loFirst ? b : a);
    };
    for (size_t k = kFirst; k < kEnd; ++k) {
        const Block& blk = blocks[k];
        // A block wider than a column (a gap in x, a sparse stretch) would put
        // its extremes in the wrong column: such a window is decimated exactly.
        if ((k + 1 < blocks.size() ? blocks[k + 1].x : xs_.back()) - blk.x > width)
            return decimate(x0, x1, columns);
        const int c = int(std::clamp(std::floor((blk.x - x0) / width), 0.0, double(columns - 1)));
        if (c != column) {
            endColumn();
            column = c;
            any = false;
        }
        if (!(blk.lo <= blk.hi))
            continue;   // only NaN in this block
        const double x = std::max(blk.x, x0);
        if (!any || blk.lo < lo) {
            lo = blk.lo;
            xLo = x;
            atLo = k * span + blk.iLo;
        }
        if (!any || blk.hi > hi) {
            hi = blk.hi;
            xHi = x;
            atHi = k * span + blk.iHi;
        }
        any = true;
    }
    endColumn();
    if (i1 < xs_.size())
        out.push_back({xs_[i1], ys_[i1]});
    return out;
}

bool PlotSeries::nearestPoint(double x, double tolerance, double& xFound, double& y) const
{
    if (xs_.empty())
        return false;
    const auto it = std::lower_bound(xs_.begin(), xs_.end(), x);
    size_t best = size_t(std::min(it, xs_.end() - 1) - xs_.begin());
    if (it != xs_.begin() && (it == xs_.end() || x - *(it - 1) <= *it - x))
        best = size_t(it - xs_.begin()) - 1;
    if (!(std::abs(xs_[best] - x) <= tolerance))
        return false;
    xFound = xs_[best];
    y = ys_[best];
    return true;
}

bool PlotSeries::valueAt(double x, double& xFound, double& y) const
{
    auto it = std::upper_bound(xs_.begin(), xs_.end(), x);
    if (it == xs_.begin())
        return false;
    const size_t i = size_t(it - xs_.begin()) - 1;
    xFound = xs_[i];
    y = ys_[i];
    return true;
}

} // namespace runlens
