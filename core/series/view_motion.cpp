// SPDX-License-Identifier: GPL-3.0-or-later
#include "view_motion.h"

#include <cmath>

namespace runlens {

std::pair<AxisRange, AxisRange> pannedView(AxisRange x, AxisRange y, double dx, double dy, double width,
                                           double height)
{
    const double shiftX = width > 0 ? dx / width * x.span() : 0;
    const double shiftY = height > 0 ? dy / height * y.span() : 0;
    return {AxisRange{x.lo - shiftX, x.hi - shiftX}, AxisRange{y.lo + shiftY, y.hi + shiftY}};
}

AxisRange magnifiedRange(AxisRange x, double anchor, double factor)
{
    return {anchor - (anchor - x.lo) * factor, anchor + (x.hi - anchor) * factor};
}

double wheelZoomFactor(double angleDeltaY)
{
    return std::pow(0.85, angleDeltaY / 120.0);
}

} // namespace runlens
