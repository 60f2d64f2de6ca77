// SPDX-License-Identifier: GPL-3.0-or-later
#include "derived_metrics.h"

#include "metric_expression.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace runlens {

QString derivedMetricNameError(const QString& name)
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("a derived metric needs a name");
    if (name != name.trimmed())
        return QStringLiteral("a derived metric's name cannot start or end with a space");
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control)
            return QStringLiteral("a derived metric's name cannot hold control characters");
        // Written unquoted after metrics. in a query, these would end the key.
        if (c.isSpace() || QStringLiteral("()<>=!~,'\"`+*").contains(c))
            return QStringLiteral("a derived metric's name cannot hold '%1'; use letters, digits, _ . / -").arg(c);
    }
    // metrics.loss.min names loss's minimum: a metric called "loss.min" would take its place.
    for (const char* suffix : {".last", ".min", ".max", ".mean", ".count", ".last_step"})
        if (name.endsWith(QLatin1String(suffix)))
            return QStringLiteral("a derived metric's name cannot end in '%1' (metrics.X%1 is X's summary)")
                .arg(QLatin1String(suffix));
    return {};
}

namespace {

// The column of a definition that evaluated, with its values.
void addColumn(RunTable& table, const DerivedMetric& d, const MetricExpression& expression, const std::vector<double>& values)
{
    // Pointers taken after the new column is added: adding one moves the others.
    const QStringList readKeys = expression.seriesKeys(table);
    const int column = table.metricColumn(d.name);
    table.setMetricExpression(column, d.expression);
    std::vector<const MetricColumn*> read;
    for (const QString& key : readKeys)
        read.push_back(table.metric(key));
    for (int r = 0; r < table.rowCount(); ++r) {
        const double v = values[size_t(r)];
        if (std::isnan(v))
            continue;
        // count: the fewest points of what it reads (an upper bound on its
        // curve's), so a view that draws one value as a bar draws this as a
        // curve when what it reads has one; 1 for an expression over
        // summaries. lastStep: when its value was last current.
        int64_t lastStep = 0, count = read.empty() ? 1 : std::numeric_limits<int64_t>::max();
        for (const MetricColumn* c : read) {
            lastStep = std::max(lastStep, c->lastStep[size_t(r)]);
            count = std::min(count, std::max<int64_t>(c->count[size_t(r)], 1));
        }
        table.setMetricAt(column, r, v, NAN, NAN, count, lastStep);
    }
}

} // namespace

QStringList addDerivedMetrics(RunTable& table, std::span<const DerivedMetric> definitions, const QueryContext* context)
{
    QStringList problems;
    std::vector<double> values;
    // A definition may read another, whatever their names' order: passes
    // until one adds nothing; what still does not resolve (an unknown key, a
    // cycle) is left out with the reason of the last pass.
    std::vector<const DerivedMetric*> pending;
    for (const DerivedMetric& d : definitions) {
        if (const QString bad = derivedMetricNameError(d.name); !bad.isEmpty())
            problems << QStringLiteral("derived metric '%1' left out: %2").arg(d.name, bad);
        else if (table.metric(d.name))
            problems << QStringLiteral("derived metric '%1' left out: the runs log a metric of that name").arg(d.name);
        else
            pending.push_back(&d);
    }
    for (bool added = true; added && !pending.empty();) {
        added = false;
        QStringList unresolved;
        std::vector<const DerivedMetric*> next;
        for (const DerivedMetric* d : pending) {
            const MetricExpression expression(d->expression);
            std::optional<QueryError> error = expression.error();
            if (!error)
                error = expression.evaluate(table, context, values);
            if (error) {
                unresolved << QStringLiteral("derived metric '%1' left out: %2").arg(d->name, error->describe());
                next.push_back(d);
                continue;
            }
            added = true;
            addColumn(table, *d, expression, values);
        }
        pending = std::move(next);
        if (!added)
            problems += unresolved;
    }
    return problems;
}

namespace {

Result<std::shared_ptr<const MetricSeries>> seriesAt(const RunTable& table, int row, const QString& key,
                                                     const QueryContext* context, const SeriesLoader& load, int depth)
{
    const MetricColumn* column = table.metric(key);
    if (!column || column->expression.isEmpty())
        return load(key);
    // Each definition reads only those before it, so this ends; the bound is for a table built otherwise.
    if (depth > 64)
        return Failure{QStringLiteral("derived metric '%1' reads derived metrics more than 64 deep").arg(key)};
    const MetricExpression expression(column->expression);
    auto computed = expression.evaluateSeries(table, row, context, [&](const QString& k) {
        return seriesAt(table, row, k, context, load, depth + 1);
    });
    if (!computed)
        return Failure{QStringLiteral("%1: %2").arg(key, computed.error())};
    return std::make_shared<const MetricSeries>(std::move(*computed));
}

} // namespace

Result<std::shared_ptr<const MetricSeries>> metricSeriesOf(const RunTable& table, int row, const QString& key,
                                                           const QueryContext* context, const SeriesLoader& load)
{
    return seriesAt(table, row, key, context, load, 0);
}

} // namespace runlens
