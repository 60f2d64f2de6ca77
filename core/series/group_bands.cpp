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
        std::vector<PlotPoint> points;
        for (const auto& pt : series->decimate(x0, x1, buckets)) {
            const double y = transform ? transform(pt.y) : pt.y;
            if (!std::isfinite(y))
                continue;
            points.push_back({pt.x, y});
            const int b = int((pt.x - x0) / width);
            if (pt.x < x0 || b < 0 || b >= buckets)
                continue;
            sum[size_t(b)] += y;
            ++n[size_t(b)];
        }
        // A bucket between two of the member's points but holding none of
        // them (a run that logs every 29 steps, drawn at 8 steps a bucket)
        // reads the member's line at the bucket's centre. Without this the
        // mean zigzags between buckets with and without that member. Past
        // either end of the member's points nothing is made up.
        size_t next = 0;
        for (int b = 0; b < buckets; ++b) {
            if (n[size_t(b)])
                continue;
            const double x = x0 + width * (b + 0.5);
            while (next < points.size() && points[next].x < x)
                ++next;
            if (next == 0 || next == points.size())
                continue;
            const PlotPoint& l = points[next - 1];
            const PlotPoint& r = points[next];
            sum[size_t(b)] = r.x > l.x ? l.y + (r.y - l.y) * (x - l.x) / (r.x - l.x) : r.y;
            n[size_t(b)] = 1;
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
