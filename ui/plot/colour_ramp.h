// SPDX-License-Identifier: GPL-3.0-or-later
// A perceptual sequential palette (viridis: dark purple through teal to
// yellow, lightness rising evenly, readable in grey and by most colour-blind
// readers) for colouring by a value: the parallel axes' lines, the heat map's
// cells. One ramp, so a colour means the same in both.
#pragma once

#include <QColor>

namespace runlens::ui {

// t in [0, 1] (clamped): 0 the darkest, 1 the lightest.
QColor viridis(double t);
// Whether text over viridis(t) should be light (the dark half) to stay legible.
bool darkOnViridis(double t);

} // namespace runlens::ui
