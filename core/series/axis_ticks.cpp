// SPDX-License-Identifier: GPL-3.0-or-later
#include "axis_ticks.h"

#include <algorithm>
#include <cmath>

namespace runlens {

std::vector<double> niceTicks(double lo, double hi, int maxTicks)
{
    std::vector<double> ticks;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return ticks;
    const double raw = (hi - lo) / std::max(1, maxTicks);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * mag) {
            step = m * mag;
            break;
        }
    // A range a few ulps wide would step by less than the values' precision
    // and never reach `hi`: the tick count is bounded whatever the range.
    const int most = std::max(2, maxTicks) * 3;
    double t = std::ceil(lo / step) * step;
    for (int i = 0; i < most && t <= hi + step * 1e-9; ++i, t = std::ceil(lo / step) * step + i * step)
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return ticks;
}

namespace {

// One label: fixed decimals for ordinary magnitudes, significant digits
// (scientific when Qt prefers) for very large or very small ones. `extra`
// adds digits beyond what the span alone asks for.
QString tickText(double v, double span, int extra)
{
    if (v == 0)
        return QStringLiteral("0");
    const double a = std::abs(v);
    if (a >= 1e6 || a < 1e-3) {
        // Enough significant digits to resolve the span at this magnitude.
        const int needed = int(std::ceil(std::log10(a / std::max(span, a * 1e-15)))) + 1;
        return QString::number(v, 'g', std::clamp(std::max(3, needed) + extra, 1, 17));
    }
    const int decimals = std::clamp(int(std::ceil(-std::log10(std::max(span, 1e-12)))) + 1, 0, 6);
    return QString::number(v, 'f', std::min(decimals + extra, 17));
}

bool neighboursRepeat(const QStringList& labels)
{
    for (qsizetype i = 1; i < labels.size(); ++i)
        if (labels[i] == labels[i - 1])
            return true;
    return false;
}

} // namespace

QStringList tickLabels(std::span<const double> ticks, double span)
{
    QStringList labels;
    for (int extra = 0; extra <= 12; ++extra) {
        labels.clear();
        for (double t : ticks)
            labels << tickText(t, span, extra);
        if (!neighboursRepeat(labels))
            break;
    }
    return labels;
}

QStringList logTickLabels(std::span<const double> exponents)
{
    QStringList labels;
    for (int digits = 3; digits <= 15; ++digits) {
        labels.clear();
        for (double e : exponents)
            labels << QString::number(std::pow(10.0, e), 'g', digits);
        if (!neighboursRepeat(labels))
            break;
    }
    return labels;
}

} // namespace runlens
