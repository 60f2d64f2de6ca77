// SPDX-License-Identifier: GPL-3.0-or-later
#include "number_text.h"

#include "number_parse.h"

#include "runlens/number_format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace runlens {

QString numberText(double v)
{
    return QString::fromStdString(formatDouble(v));
}

QString compactNumber(double v)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    if (v == 0)
        return QStringLiteral("0"); // -0 too: a sign on nothing only puzzles
    // Round once, in scientific form ("d.ddddde±x"), so that 999999.7 carries
    // into the exponent (1e6) before the layout is chosen.
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::abs(v), std::chars_format::scientific, 5);
    if (ec != std::errc())
        return numberText(v);
    const std::string_view sci(buf, size_t(end - buf));
    const size_t e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e))
        if (c != '.')
            digits += c;
    const int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
    const bool plain = exponent >= -3 && exponent < 6;
    const int shown = plain ? 0 : (exponent >= 0 ? exponent / 3 * 3 : -((-exponent + 2) / 3 * 3));
    const int point = exponent - shown + 1; // digits before the point, may be <= 0
    std::string text;
    if (point <= 0)
        text = "0." + std::string(size_t(-point), '0') + digits;
    else if (size_t(point) >= digits.size())
        text = digits + std::string(size_t(point) - digits.size(), '0');
    else
        text = digits.substr(0, size_t(point)) + "." + digits.substr(size_t(point));
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0')
            text.pop_back();
        if (text.back() == '.')
            text.pop_back();
    }
    if (shown != 0)
        text += "e" + std::to_string(shown);
    return (v < 0 ? QStringLiteral("-") : QString()) + QString::fromLatin1(text);
}

QString compactValue(const QString& text)
{
    if (text.isEmpty() || text.size() > 64)
        return text;
    const QByteArray bytes = text.toUtf8();
    double v = 0;
    if (!parseNumber(std::string_view(bytes.constData(), size_t(bytes.size())), v))
        return text;
    // Whole numbers as written, and NaN / Infinity in the logger's own spelling.
    const qsizetype exponent = text.indexOf(QLatin1Char('e'), 0, Qt::CaseInsensitive);
    if ((exponent < 0 && !text.contains(QLatin1Char('.'))) || !std::isfinite(v))
        return text;
    // A short plain fraction is already compact, and as written it keeps what
    // its digits say ("3.10" is often a version, "0.10" a chosen setting).
    if (exponent < 0 && (v == 0 || (std::abs(v) >= 1e-3 && std::abs(v) < 1e6))) {
        int digits = 0;
        bool leading = true;
        for (const QChar c : text)
            if (c.isDigit() && !(leading && c == u'0')) {
                leading = false;
                ++digits;
            }
        if (digits <= 6)
            return text;
    }
    return compactNumber(v);
}

QString countText(qint64 n, const char* one, const char* many)
{
    return QStringLiteral("%L1 %2").arg(n).arg(QString::fromLatin1(n == 1 ? one : many));
}

} // namespace runlens
