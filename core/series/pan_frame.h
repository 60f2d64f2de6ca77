// SPDX-License-Identifier: GPL-3.0-or-later
// A pan frame from the last one: while the view slides at one zoom, the
// columns still in view are kept and only those scrolled in are decimated,
// on the same grid, so the result is the frame decimating the whole new
// window would give (tests/test_plot_series.cpp checks that it is).
#pragma once

#include "plot_series.h"

#include <vector>

namespace runlens {

// The points of one series for the window [from, to): `left` holds the new
// columns in [from, keptFrom) (null: none scrolled in on the left), `kept`
// the last frame (its columns in [keptFrom, keptTo) stay), `right` the new
// columns in [keptTo, to). Where no new columns come in on a side, the last
// kept point beyond that edge stays, so the line still reaches the border.
std::vector<PlotPoint> stitchPanFrame(const std::vector<PlotPoint>* left, const std::vector<PlotPoint>& kept,
                                      const std::vector<PlotPoint>* right, double from, double keptFrom, double keptTo,
                                      double to);

} // namespace runlens
