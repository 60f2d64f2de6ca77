// SPDX-License-Identifier: GPL-3.0-or-later
#include "colour_ramp.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace runlens::ui {

QColor viridis(double t)
{
    // Five of viridis's stops, mixed linearly between: close enough to the
    // full table that lightness still rises evenly.
    static constexpr std::array<std::array<int, 3>, 5> kStops = {
        {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}};
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
    const double at = t * double(kStops.size() - 1);
    const size_t i = std::min(size_t(at), kStops.size() - 2);
    const double u = at - double(i);
    const auto mix = [&](int c) { return int(std::lround(kStops[i][size_t(c)] + (kStops[i + 1][size_t(c)] - kStops[i][size_t(c)]) * u)); };
    return QColor(mix(0), mix(1), mix(2));
}

bool darkOnViridis(double t)
{
    return t > 0.55;
}

} // namespace runlens::ui
