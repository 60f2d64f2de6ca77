// SPDX-License-Identifier: GPL-3.0-or-later
// A group of runs drawn as one line and a band (curves in group mode, the
// seeds view's bands): per x bucket, each member's mean there, then the mean
// across members and their min-max or ±SD. Maths only; the chart draws it.
#pragma once

#include "plot_series.h"

#include <functional>
#include <vector>

namespace runlens {

enum class BandKind { MinMax, StdDev };

struct BandPoint {
    double x = 0;     // the bucket's centre
    double mean = 0;  // across the members with points in the bucket
    double lower = 0; // min, or mean - SD (sample SD; 0 for a single member)
    double upper = 0;
    int members = 0;
};

// The band of `members` over [x0, x1] in `buckets` equal buckets; y values go
// through `transform` first (log10 for a log axis) and non-finite ones are
// left out. Buckets no member reaches are left out.
std::vector<BandPoint> groupBand(const std::vector<const PlotSeries*>& members, double x0, double x1, int buckets,
                                 BandKind kind, const std::function<double(double)>& transform = {});

} // namespace runlens
