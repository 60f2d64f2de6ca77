// SPDX-License-Identifier: MIT
#include "runlens/number_format.h"

#include <charconv>
#include <cmath>

namespace runlens {

std::string formatDouble(double value)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

} // namespace runlens
