// SPDX-License-Identifier: GPL-3.0-or-later
#include "seed_statistics.h"

#include "natural_compare.h"
#include "run_json.h"

#include <QJsonObject>

#include <QMap>

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

MetricReader MetricReader::of(const RunTable& table, const QString& metric)
{
    if (const MetricColumn* m = table.metric(metric))
        return {m, ShownStat::Last};
    if (const auto cut = cutStatSuffix(metric))
        if (const MetricColumn* m = table.metric(cut->first))
            return {m, cut->second};
    return {};
}

std::vector<double> metricValues(const RunTable& table, const std::vector<int>& rows, const QString& metric)
{
    std::vector<double> out;
    const MetricReader reader = MetricReader::of(table, metric);
    if (!reader.column)
        return out;
    for (int r : rows)
        if (reader.has(r))
            out.push_back(reader.at(r));
    return out;
}

std::vector<SeedGroupSummary> seedGroupSummaries(const RunTable& table, const std::vector<int>& rows,
                                                 const QString& metric, const QStringList& seedKeys)
{
    std::vector<int> withMetric;
    const MetricReader reader = MetricReader::of(table, metric);
    for (int r : rows)
        if (reader.has(r))
            withMetric.push_back(r);
    std::vector<SeedGroupSummary> summaries;
    if (withMetric.empty())
        return summaries;
    for (auto& g : groupBySeed(table, withMetric, seedKeys)) {
        const auto stats = sampleStats(metricValues(table, g.rows, metric));
        if (stats.n > 0)
            summaries.push_back({std::move(g), stats, std::nullopt});
    }
    std::stable_sort(summaries.begin(), summaries.end(),
                     [](const SeedGroupSummary& a, const SeedGroupSummary& b) { return a.stats.mean > b.stats.mean; });
    for (size_t i = 1; i < summaries.size(); ++i)
        summaries[i].vsBest = welchTTest(summaries[0].stats, summaries[i].stats);
    return summaries;
}

QJsonArray seedGroupSummariesToJson(const RunTable& table, const std::vector<SeedGroupSummary>& groups)
{
    QJsonArray arr;
    for (const auto& g : groups) {
        QJsonObject o{{QStringLiteral("config"), g.group.label},
                      {QStringLiteral("n"), g.stats.n},
                      {QStringLiteral("mean"), jsonNumber(g.stats.mean)},
                      {QStringLiteral("sd"), jsonNumber(g.stats.sd)},
                      {QStringLiteral("min"), jsonNumber(g.stats.min)},
                      {QStringLiteral("max"), jsonNumber(g.stats.max)}};
        QJsonArray ids;
        for (int row : g.group.rows)
            ids.append(table.id(row));
        o.insert(QStringLiteral("runs"), ids);
        if (g.vsBest) {
            const WelchTest& w = *g.vsBest;
            o.insert(QStringLiteral("welch_vs_best"),
                     w.valid ? QJsonValue(QJsonObject{{QStringLiteral("t"), w.t},
                                                      {QStringLiteral("df"), w.df},
                                                      {QStringLiteral("p"), w.p}})
                             : QJsonValue(QJsonValue::Null));
        }
        if (!g.stats.warning.isEmpty())
            o.insert(QStringLiteral("warning"), g.stats.warning);
        arr.append(o);
    }
    return arr;
}

} // namespace runlens
