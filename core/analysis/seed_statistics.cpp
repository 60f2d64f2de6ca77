// SPDX-License-Identifier: GPL-3.0-or-later
#include "seed_statistics.h"

#include "natural_compare.h"

#include <QMap>

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens {

std::vector<SeedGroup> groupBySeed(const RunTable& table, const std::vector<int>& rows, const QStringList& seedKeys)
{
    // Params that vary across these runs: constant ones neither split groups
    // nor belong in their labels.
    std::vector<const ValueColumn*> config;
    for (const auto& c : table.params()) {
        if (!isSeedKey(c.key, seedKeys) && c.variesAcross(rows))
            config.push_back(&c);
    }
    QMap<QString, size_t> index;
    std::vector<SeedGroup> groups;
    for (int r : rows) {
        QStringList parts;
        for (const ValueColumn* c : config)
            if (c->has(r))
                parts << c->key + QLatin1Char('=') + c->text[size_t(r)];
        const QString label = parts.isEmpty() ? QStringLiteral("(no params)") : parts.join(QStringLiteral(", "));
        auto it = index.find(label);
        if (it == index.end()) {
            it = index.insert(label, groups.size());
            groups.push_back({label, {}});
        }
        groups[*it].rows.push_back(r);
    }
    return groups;
}

std::vector<SeedGroup> groupByParam(const RunTable& table, const std::vector<int>& rows, const QString& key)
{
    std::vector<SeedGroup> groups;
    const ValueColumn* c = table.param(key);
    if (!c)
        return groups;
    QMap<QString, size_t> index;
    std::vector<std::pair<double, QString>> order; // per group: its number (NaN for text) and text
    for (int r : rows) {
        const bool has = c->has(r);
        const QString label = has ? key + QLatin1Char('=') + c->text[size_t(r)] : key + QStringLiteral(" missing");
        auto it = index.find(label);
        if (it == index.end()) {
            it = index.insert(label, groups.size());
            groups.push_back({label, {}});
            order.emplace_back(has ? c->number[size_t(r)] : std::nan(""), has ? c->text[size_t(r)] : QString());
        }
        groups[*it].rows.push_back(r);
    }
    std::vector<size_t> sorted(groups.size());
    std::iota(sorted.begin(), sorted.end(), 0);
    std::stable_sort(sorted.begin(), sorted.end(), [&](size_t a, size_t b) {
        const auto& [na, ta] = order[a];
        const auto& [nb, tb] = order[b];
        if (ta.isNull() != tb.isNull())
            return tb.isNull(); // missing last
        if (!std::isnan(na) && !std::isnan(nb))
            return na < nb;
        return naturalCompare(ta, tb) < 0;
    });
    std::vector<SeedGroup> out;
    for (size_t i : sorted)
        out.push_back(std::move(groups[i]));
    return out;
}

std::vector<double> metricValues(const RunTable& table, const std::vector<int>& rows, const QString& metric)
{
    std::vector<double> out;
    QString key = metric;
    int stat = 0;   // 0 last, 1 min, 2 max
    const MetricColumn* m = table.metric(key);
    if (!m && key.endsWith(QLatin1String(".min"))) {
        m = table.metric(key.chopped(4));
        stat = 1;
    } else if (!m && key.endsWith(QLatin1String(".max"))) {
        m = table.metric(key.chopped(4));
        stat = 2;
    }
    if (!m)
        return out;
    for (int r : rows)
        if (m->has(r))
            out.push_back(stat == 0 ? m->last[size_t(r)] : stat == 1 ? m->min[size_t(r)] : m->max[size_t(r)]);
    return out;
}

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

} // namespace runlens
