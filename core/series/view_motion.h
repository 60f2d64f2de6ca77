// SPDX-License-Identifier: GPL-3.0-or-later
// How a chart's view moves under the mouse, as maths on axis ranges. As
// PlotJuggler keeps its panner, zoomer and magnifier apart, each motion is
// its own function here; the widget only turns events into calls.
#pragma once

#include <utility>

namespace runlens {

struct AxisRange {
    double lo = 0, hi = 1;
    double span() const { return hi - lo; }
    bool operator==(const AxisRange&) const = default;
};

// Panner: dragging the content by (dx, dy) pixels over a plot area of
// width × height pixels; y grows downwards on screen, upwards in data.
std::pair<AxisRange, AxisRange> pannedView(AxisRange x, AxisRange y, double dx, double dy, double width,
                                           double height);

// Magnifier: the wheel scales X about `anchor` (a data x) by `factor`
// (below 1 zooms in); the anchor stays where it is on screen.
AxisRange magnifiedRange(AxisRange x, double anchor, double factor);
// The factor a wheel turn asks for: 0.85 a notch (120 eighths of a degree) in.
double wheelZoomFactor(double angleDeltaY);

// Zoomer: a rubber band smaller than this many pixels either way is a click.
inline constexpr int kMinZoomBandPixels = 5;

} // namespace runlens
