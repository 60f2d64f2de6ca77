// SPDX-License-Identifier: GPL-3.0-or-later
#include "number_parse.h"

#include <charconv>
#include <cmath>

namespace runlens {

bool parseNumber(std::string_view s, double& out)
{
    if (s.empty())
        return false;
    if (s == "nan" || s == "NaN" || s == "NAN") {
        out = NAN;
        return true;
    }
    const bool negative = s.front() == '-';
    const std::string_view rest = negative || s.front() == '+' ? s.substr(1) : s;
    if (rest == "inf" || rest == "Inf" || rest == "Infinity" || rest == "INF") {
        out = negative ? -INFINITY : INFINITY;
        return true;
    }
    const char* begin = s.data() + (s.front() == '+' ? 1 : 0);
    const auto [p, ec] = std::from_chars(begin, s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

std::optional<double> paramNumber(std::string_view type, std::string_view text)
{
    if (type == "bool")
        return text == "true" ? 1.0 : 0.0;
    if (type == "json" || text.empty())
        return std::nullopt;
    double d = 0;
    if (!parseNumber(text, d) || std::isnan(d))
        return std::nullopt;
    return d;
}

} // namespace runlens
