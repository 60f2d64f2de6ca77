// SPDX-License-Identifier: GPL-3.0-or-later
// Is a gain real or seed noise? Runs that differ only by their seed form a
// group; per group n, mean, sample standard deviation, min and max of a
// metric; Welch's t-test between two groups (Boost.Math's Student's t).
#pragma once

#include "metric_priority.h"
#include "run_table.h"
#include "sample_statistics.h"
#include "seed_keys.h"

#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <cmath>
#include <optional>
#include <vector>

namespace runlens {

struct SeedGroup {
    QString label;          // the config the runs share: "lr=0.1, hidden=32"
    std::vector<int> rows;  // table rows, in the order given
};

// Groups `rows` by every param except the seed keys.
std::vector<SeedGroup> groupBySeed(const RunTable& table, const std::vector<int>& rows,
                                   const QStringList& seedKeys = defaultSeedKeys());

// Groups `rows` by one param's value ("lr=0.1"; runs without it in "lr
// missing"), pooling every other param: "which lr is best across the rest".
// Groups in the param's order (numbers numerically).
std::vector<SeedGroup> groupByParam(const RunTable& table, const std::vector<int>& rows, const QString& key);

// A metric as the analyses read it: KEY's last value, or its min, max or
// mean for KEY.min / KEY.max / KEY.mean (a key that itself ends so wins).
// `column` is null when the table has no such metric.
struct MetricReader {
    const MetricColumn* column = nullptr;
    ShownStat stat = ShownStat::Last;

    static MetricReader of(const RunTable& table, const QString& metric);
    // A mean the store does not know counts as no value.
    bool has(int row) const
    {
        return column && column->has(row) && !(stat == ShownStat::Mean && std::isnan(column->mean[size_t(row)]));
    }
    // NaN where the run has no value.
    double at(int row) const { return has(row) ? shownValue(*column, stat, row) : std::nan(""); }
};

// The values of `metric` (MetricReader's reading) of the rows that have it.
std::vector<double> metricValues(const RunTable& table, const std::vector<int>& rows, const QString& metric);

// One config's runs that differ only by seed, with a metric's statistics.
struct SeedGroupSummary {
    SeedGroup group;
    SampleStats stats;
    std::optional<WelchTest> vsBest; // Welch's test against the first (best) group; none for that one
};

// The seed groups of those of `rows` that have `metric` (a sweep's parent
// run has none), best mean first: what `runlens seeds` and Python's
// store.seeds() answer. Empty when no run has a value.
std::vector<SeedGroupSummary> seedGroupSummaries(const RunTable& table, const std::vector<int>& rows,
                                                 const QString& metric, const QStringList& seedKeys = defaultSeedKeys());
// [{config, n, mean, sd, min, max, runs: [ids], welch_vs_best: {t, df, p} | null, warning?}]
QJsonArray seedGroupSummariesToJson(const RunTable& table, const std::vector<SeedGroupSummary>& groups);

} // namespace runlens
