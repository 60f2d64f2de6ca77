// SPDX-License-Identifier: GPL-3.0-or-later
// What a zoomed chart shows of one run, in numbers: over the points with x in
// [x0, x1], the min and max and where they are, the mean, the first and last
// value and their difference (TensorBoard's tooltip over a range).
#pragma once

#include "plot_series.h"

#include <cmath>
#include <cstddef>

namespace runlens {

struct RangeStatistics {
    size_t count = 0;   // finite values in range; 0: nothing below holds
    double min = NAN, max = NAN, mean = NAN;
    double xAtMin = NAN, xAtMax = NAN;   // the first x where each is reached
    double first = NAN, last = NAN, xFirst = NAN, xLast = NAN;
    double delta() const { return last - first; }
};

// NaN and +-Inf (a diverged step) are left out, as a chart's range leaves them.
// The series' x is sorted, so the range is found by binary search and only
// its points are read.
RangeStatistics rangeStatistics(const PlotSeries& series, double x0, double x1);

} // namespace runlens
