// SPDX-License-Identifier: GPL-3.0-or-later
#include "group_bands.h"

#include <algorithm>
#include <cmath>

namespace runlens {

std::vector<BandPoint> groupBand(const std::vector<const PlotSeries*>& members, double x0, double x1, int buckets,
                                 BandKind kind, const std::function<double(double)>& transform)
{
    std::vector<BandPoint> band;
    if (buckets < 1 || !(x1 > x0))
        return band;
    const double width = (x1 - x0) / buckets;
    std::vector<std::vector<double>> perBucket(static_cast<size_t>(buckets));
    std::vector<double> sum(static_cast<size_t>(buckets));
    std::vector<int> n(static_cast<size_t>(buckets));
    for (const PlotSeries* series : members) {
        if (!series)
            continue;
        std::fill(sum.begin(), sum.end(), 0.0);
        std::fill(n.begin(), n.end(), 0);
        // Decimated to the buckets: every extreme is among the points, and the
        // mean of a bucket's points stands for the member there.
        for (const auto& pt : series->decimate(x0, x1, buckets)) {
            const double y = transform ? transform(pt.y) : pt.y;
            const int b = int((pt.x - x0) / width);
            if (b < 0 || b >= buckets || !std::isfinite(y))
                continue;
            sum[size_t(b)] += y;
            ++n[size_t(b)];
        }
        for (int b = 0; b < buckets; ++b)
            if (n[size_t(b)])
                perBucket[size_t(b)].push_back(sum[size_t(b)] / n[size_t(b)]);
    }
    for (int b = 0; b < buckets; ++b) {
        const auto& v = perBucket[size_t(b)];
        if (v.empty())
            continue;
        BandPoint p;
        p.x = x0 + width * (b + 0.5);
        p.members = int(v.size());
        double m = 0;
        for (double y : v)
            m += y;
        m /= double(v.size());
        p.mean = m;
        if (kind == BandKind::MinMax) {
            const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
            p.lower = *lo;
            p.upper = *hi;
        } else {
            double ss = 0;
            for (double y : v)
                ss += (y - m) * (y - m);
            const double sd = v.size() > 1 ? std::sqrt(ss / double(v.size() - 1)) : 0;
            p.lower = m - sd;
            p.upper = m + sd;
        }
        band.push_back(p);
    }
    return band;
}

} // namespace runlens
