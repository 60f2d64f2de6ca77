// SPDX-License-Identifier: GPL-3.0-or-later
// Named metric expressions (metric_expression.h) kept with a store, as
// metric columns of its run table: `gap = metrics.train_loss - metrics.val_loss`
// then sorts, filters (metrics.gap > 0.1), charts and exports as any metric.
// A derived column holds one value per run, the expression over the run's
// summaries; its min and max are missing (they would need every step), its
// count is at most the points of its curve, and the curve is computed per
// step where it is drawn.
#pragma once

#include "run_query.h"
#include "run_table.h"

#include "metric_series.h"
#include "result.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <span>

namespace runlens {

struct DerivedMetric {
    QString name, expression;
    bool operator==(const DerivedMetric&) const = default;
};

// Why `name` cannot name a derived metric (empty, control characters, a
// query operator character that metrics.NAME could not be written with), or
// an empty string.
QString derivedMetricNameError(const QString& name);

// Adds a column per definition; a definition may read others, in any order.
// A definition that does not parse, names a key the table lacks, reads
// itself in a cycle, or takes the name of a logged metric is skipped with a
// problem saying so; the logged metric always wins its name.
QStringList addDerivedMetrics(RunTable& table, std::span<const DerivedMetric> definitions,
                              const QueryContext* context = nullptr);

// The series of metric `key` of run `row`: a logged one from `load`, a derived
// column's computed per step from the series it reads (derived ones too).
using SeriesLoader = std::function<Result<std::shared_ptr<const MetricSeries>>(const QString& key)>;
Result<std::shared_ptr<const MetricSeries>> metricSeriesOf(const RunTable& table, int row, const QString& key,
                                                           const QueryContext* context, const SeriesLoader& load);

} // namespace runlens
