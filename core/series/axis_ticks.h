// SPDX-License-Identifier: GPL-3.0-or-later
// Tick positions and labels for a numeric chart axis: the curves, the
// report figures and anything else that draws a scale share one rule.
#pragma once

#include <QStringList>

#include <span>
#include <vector>

namespace runlens {

// "Nice" tick positions in [lo, hi]: steps of 1, 2 or 5 times a power of ten,
// at most about maxTicks of them (bounded whatever the range).
std::vector<double> niceTicks(double lo, double hi, int maxTicks);

// Labels for `ticks` on an axis spanning `span`: as short as the span allows,
// with more digits whenever two ticks would otherwise read the same (values
// near 2.95e-05 that differ in the fourth digit are labelled apart).
QStringList tickLabels(std::span<const double> ticks, double span);

// The same for a log10 axis, whose ticks are exponents: labels of 10^t
// ("0.999" and "1" zoomed in far enough get their distinguishing digits).
QStringList logTickLabels(std::span<const double> exponents);

} // namespace runlens
