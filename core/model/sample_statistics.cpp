// SPDX-License-Identifier: GPL-3.0-or-later
#include "sample_statistics.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>

namespace runlens {

SampleStats sampleStats(const std::vector<double>& values)
{
    SampleStats s;
    double sum = 0;
    s.min = INFINITY;
    s.max = -INFINITY;
    for (double v : values) {
        if (!std::isfinite(v))
            continue;
        ++s.n;
        sum += v;
        s.min = std::min(s.min, v);
        s.max = std::max(s.max, v);
    }
    if (s.n == 0) {
        s.min = s.max = s.mean = NAN;
        s.warning = QStringLiteral("no run has a finite value");
        return s;
    }
    s.mean = sum / s.n;
    double ss = 0;
    for (double v : values)
        if (std::isfinite(v))
            ss += (v - s.mean) * (v - s.mean);
    s.sd = s.n > 1 ? std::sqrt(ss / (s.n - 1)) : 0;
    if (s.n < 3)
        s.warning = QStringLiteral("only %1 run(s): too few to tell a real difference from seed noise").arg(s.n);
    return s;
}

WelchTest welchTTest(const SampleStats& a, const SampleStats& b)
{
    WelchTest w;
    if (a.n < 2 || b.n < 2) {
        w.warning = QStringLiteral("Welch's t-test needs at least 2 runs in each group");
        return w;
    }
    const double va = a.sd * a.sd / a.n, vb = b.sd * b.sd / b.n;
    if (va + vb == 0) {
        w.warning = QStringLiteral("no variance in either group");
        return w;
    }
    w.t = (a.mean - b.mean) / std::sqrt(va + vb);
    w.df = (va + vb) * (va + vb) / (va * va / (a.n - 1) + vb * vb / (b.n - 1));
    const boost::math::students_t dist(w.df);
    w.p = 2 * boost::math::cdf(boost::math::complement(dist, std::abs(w.t)));
    w.valid = true;
    if (a.n < 3 || b.n < 3)
        w.warning = QStringLiteral("a group has fewer than 3 runs: read the p-value with care");
    return w;
}

QString welchText(const WelchTest& w)
{
    if (!w.valid)
        return w.warning;
    return QStringLiteral("t = %1, df = %2, p = %3%4")
        .arg(QString::number(w.t, 'g', 4), QString::number(w.df, 'g', 4), QString::number(w.p, 'g', 3),
             w.warning.isEmpty() ? QString() : QStringLiteral(" (") + w.warning + QLatin1Char(')'));
}

} // namespace runlens
