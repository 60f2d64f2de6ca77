// SPDX-License-Identifier: GPL-3.0-or-later
// Which metrics to show when the user has not chosen: the ones people compare
// runs on first (losses, accuracy, AUC, F1, ...; validation before training),
// one of each kind before a second of any, then the rest in natural order.
// The curves view and the comparison report both start from this.
#pragma once

#include "run_table.h"

#include <QStringList>

#include <vector>

namespace runlens {

// The metric keys at least one of `rows` has, in the table's order.
QStringList metricsPresentIn(const RunTable& table, const std::vector<int>& rows);

// What the machine did during the run (the logger's system/ series: CPU,
// memory, GPU, ...): there to look at, never among the metrics charted or
// reported unasked (the curves' and the report's defaults leave them out).
bool isSystemMetric(const QString& key);

// `available` reordered by how likely they are to matter; at most `limit`.
// System metrics come last.
QStringList preferredMetrics(const QStringList& available, int limit);

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
