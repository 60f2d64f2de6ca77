// SPDX-License-Identifier: GPL-3.0-or-later
// The points of one metric of one run, columnar, in the order they were logged.
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace runlens {

struct MetricSeries {
    std::vector<int64_t> steps;
    std::vector<double> wallTimes; // seconds since the Unix epoch
    std::vector<double> values; // NaN and +-Inf as logged
    QStringList problems; // damaged chunks skipped while reading

    size_t size() const { return values.size(); }
    size_t bytes() const { return steps.size() * (sizeof(int64_t) + 2 * sizeof(double)); }
};

} // namespace runlens

namespace runlens {

struct MetricSummary;

// count, first and last step, the value at the highest step (the later one
// on ties), min and max over values that are not NaN (NaN when none is).
MetricSummary summarizeSeries(const QString& key, const MetricSeries& series);
// Every series of a run summarized, in key order (a run's details list them so).
std::vector<MetricSummary> summarizeSeries(const QHash<QString, MetricSeries>& series);

} // namespace runlens
