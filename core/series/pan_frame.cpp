// SPDX-License-Identifier: GPL-3.0-or-later
#include "pan_frame.h"

#include <algorithm>

namespace runlens {

std::vector<PlotPoint> stitchPanFrame(const std::vector<PlotPoint>* left, const std::vector<PlotPoint>& kept,
                                      const std::vector<PlotPoint>* right, double from, double keptFrom, double keptTo,
                                      double to)
{
    std::vector<PlotPoint> out;
    out.reserve(kept.size() + (left ? left->size() : 0) + (right ? right->size() : 0));
    if (left) {
        for (const auto& p : *left)
            if (p.x < keptFrom)
                out.push_back(p);
    } else {
        const auto before = std::find_if(kept.rbegin(), kept.rend(), [&](const PlotPoint& p) { return p.x < from; });
        if (before != kept.rend())
            out.push_back(*before);
    }
    for (const auto& p : kept)
        if (p.x >= keptFrom && p.x < keptTo)
            out.push_back(p);
    if (right) {
        for (const auto& p : *right)
            if (p.x >= keptTo)
                out.push_back(p);
    } else {
        const auto after = std::find_if(kept.begin(), kept.end(), [&](const PlotPoint& p) { return p.x >= to; });
        if (after != kept.end())
            out.push_back(*after);
    }
    return out;
}

} // namespace runlens
