// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers as other tools write them in text: decimal or exponent notation,
// and NaN / Infinity in the spellings Python, MLflow and pandas use.
#pragma once

#include <string_view>

namespace runlens {

// True when all of `text` is one number.
bool parseNumber(std::string_view text, double& out);

} // namespace runlens
