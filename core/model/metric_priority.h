// SPDX-License-Identifier: GPL-3.0-or-later
// Which metrics to show when the user has not chosen: the ones people compare
// runs on first (losses, accuracy, AUC, F1, ...; validation before training),
// one of each kind before a second of any, then the rest in natural order.
// The curves view and the comparison report both start from this.
#pragma once

#include "run_table.h"

#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace runlens {

// The metric keys at least one of `rows` has, in the table's order.
QStringList metricsPresentIn(const RunTable& table, const std::vector<int>& rows);

// What the machine did during the run (the logger's system/ series: CPU,
// memory, GPU, ...): there to look at, never a metric chosen unasked.
bool isSystemMetric(const QString& key);

// The one number a run stands for where a table shows one per metric: the
// last value, but for a system metric what says what the machine did: the
// mean of utilisation and load, the lowest free space or available memory,
// the peak of the rest (memory used, RSS, temperature, power, I/O rates).
enum class ShownStat { Last, Min, Max, Mean };
ShownStat shownStatOf(const QString& key);
double shownValue(const MetricColumn& column, ShownStat stat, int row);
// "" / ".min" / ".max" / ".mean": the query field of that number.
QString querySuffixOf(ShownStat stat);
// "val_auc.max" -> {"val_auc", Max}: the summary a field names by its suffix
// (.last, .min, .max, .mean), cut off; nullopt when it ends in none.
std::optional<std::pair<QString, ShownStat>> cutStatSuffix(const QString& field);
// "lowest" / "peak" / "mean" for a column title; empty for the last value.
QString labelOf(ShownStat stat);

// `available` but system metrics, reordered by how likely they are to
// matter; at most `limit`: what views and reports show by default.
QStringList preferredMetrics(const QStringList& available, int limit);
// All of `available` for a list to choose from: preferredMetrics' order, then
// the system metrics.
QStringList metricsInPreferredOrder(const QStringList& available);

// The metric a view with a metric chooser shows among `present`: the one the
// user chose before (`kept`), else the one suggested (the table's sort),
// else the one that most likely matters; empty when none is present.
QString chosenMetric(const QStringList& present, const QString& kept, const QString& suggested);

// Whether a smaller value of `metric` is the better one (losses, errors,
// perplexity), by its name; scores otherwise.
bool lowerIsBetter(const QString& metric);

// `available` as choices for a chart's x axis: counters first (epoch,
// samples or tokens seen, global step), then the rest in their order.
QStringList xAxisMetrics(QStringList available);

} // namespace runlens
