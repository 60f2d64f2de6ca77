// SPDX-License-Identifier: GPL-3.0-or-later
#include "pareto_front.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens {

std::vector<size_t> paretoFront(std::span<const std::pair<double, double>> points, Better x, Better y)
{
    // Both as "higher is better"; then sweep from the best x down, keeping
    // the best y seen at a strictly better x.
    const double sx = x == Better::Higher ? 1 : -1, sy = y == Better::Higher ? 1 : -1;
    std::vector<size_t> order;
    order.reserve(points.size());
    for (size_t i = 0; i < points.size(); ++i)
        if (!std::isnan(points[i].first) && !std::isnan(points[i].second))
            order.push_back(i);
    auto X = [&](size_t i) { return sx * points[i].first; };
    auto Y = [&](size_t i) { return sy * points[i].second; };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return X(a) != X(b) ? X(a) > X(b) : Y(a) > Y(b); });
    std::vector<size_t> front;
    double bestBefore = -INFINITY;   // best y among points of a strictly better x
    for (size_t g = 0; g < order.size();) {
        size_t end = g;
        while (end < order.size() && X(order[end]) == X(order[g]))
            ++end;
        // In a group of equal x only the best y can stand, and only above every better x.
        const double top = Y(order[g]);
        if (top > bestBefore)
            for (size_t k = g; k < end && Y(order[k]) == top; ++k)
                front.push_back(order[k]);
        bestBefore = std::max(bestBefore, top);
        g = end;
    }
    return front;
}

} // namespace runlens
