// SPDX-License-Identifier: GPL-3.0-or-later
// Order for names as people read them: "run-9" before "run-10".
#pragma once

#include <QString>

namespace runlens {

// <0, 0, >0. Digit runs compare by value; the rest case-insensitively, then
// case-sensitively to break ties. Independent of locale and ICU.
int naturalCompare(const QString& a, const QString& b);

} // namespace runlens
