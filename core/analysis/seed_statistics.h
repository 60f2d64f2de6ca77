// SPDX-License-Identifier: GPL-3.0-or-later
// Is a gain real or seed noise? Runs that differ only by their seed form a
// group; per group n, mean, sample standard deviation, min and max of a
// metric; Welch's t-test between two groups (Boost.Math's Student's t).
#pragma once

#include "run_table.h"
#include "sample_statistics.h"
#include "seed_keys.h"

#include <QString>
#include <QStringList>

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

// The last value of `metric` (or .min / .max when `stat` says) over the rows.
std::vector<double> metricValues(const RunTable& table, const std::vector<int>& rows, const QString& metric);

} // namespace runlens
