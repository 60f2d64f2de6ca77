// SPDX-License-Identifier: GPL-3.0-or-later
#include "range_statistics.h"

#include <algorithm>

namespace runlens {

RangeStatistics rangeStatistics(const PlotSeries& series, double x0, double x1)
{
    RangeStatistics s;
    const auto xs = series.xs();
    const auto ys = series.ys();
    const auto begin = size_t(std::lower_bound(xs.begin(), xs.end(), x0) - xs.begin());
    const auto end = size_t(std::upper_bound(xs.begin(), xs.end(), x1) - xs.begin());
    double sum = 0;
    for (size_t i = begin; i < end; ++i) {
        const double y = ys[i];
        if (!std::isfinite(y))
            continue;
        if (s.count == 0) {
            s.first = y;
            s.xFirst = xs[i];
            s.min = s.max = y;
            s.xAtMin = s.xAtMax = xs[i];
        }
        if (y < s.min) {
            s.min = y;
            s.xAtMin = xs[i];
        }
        if (y > s.max) {
            s.max = y;
            s.xAtMax = xs[i];
        }
        s.last = y;
        s.xLast = xs[i];
        sum += y;
        ++s.count;
    }
    if (s.count > 0)
        s.mean = sum / double(s.count);
    return s;
}

} // namespace runlens
