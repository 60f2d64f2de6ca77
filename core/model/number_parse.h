// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers as other tools write them in text: decimal or exponent notation,
// and NaN / Infinity in the spellings Python, MLflow and pandas use.
#pragma once

#include <optional>
#include <string_view>

namespace runlens {

// True when all of `text` is one number.
bool parseNumber(std::string_view text, double& out);

// A param's number in the run table, from its type (RunDetails' names) and
// text: bools count as 1 and 0; JSON, NaN and text that is no number have none.
// One rule for every reader, so a column sorts and plots alike whatever store
// its runs came from.
std::optional<double> paramNumber(std::string_view type, std::string_view text);

} // namespace runlens
