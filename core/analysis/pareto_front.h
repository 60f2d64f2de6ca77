// SPDX-License-Identifier: GPL-3.0-or-later
// The runs no other run beats on two measures at once (accuracy against
// duration, loss against parameter count): the cost-performance trade-offs
// worth looking at. Each axis says whether lower or higher is better.
#pragma once

#include <span>
#include <utility>
#include <vector>

namespace runlens {

enum class Better { Lower, Higher };

// Indices of `points` (x, y) on the front: no other point is as good on both
// and strictly better on one. Equal points are all on it or all off it; NaN
// points never are. In order of x, best x first. O(n log n).
std::vector<size_t> paretoFront(std::span<const std::pair<double, double>> points, Better x, Better y);

} // namespace runlens
