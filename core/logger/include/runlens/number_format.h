// SPDX-License-Identifier: MIT
// How numbers are written as text in the store: the shortest form that reads
// back to the same double, and nan / inf / -inf by name.
#pragma once

#include <string>

namespace runlens {

std::string formatDouble(double value);

} // namespace runlens
