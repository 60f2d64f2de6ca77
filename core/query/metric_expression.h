// SPDX-License-Identifier: GPL-3.0-or-later
// A value computed from a run's metrics and params with the query language's
// arithmetic: `1 - metrics.val_acc`, `metrics.train_loss - metrics.val_loss`,
// `metrics.tokens / metrics.time`, `(metrics.val_auc - baseline.val_auc) * 100`.
// The text is parsed by the query parser and evaluated by its expression
// engine; nothing is ever pasted into SQL or a shell.
//
// Two readings of the same expression:
// - per run (a table column, a query field, a report column): every field is
//   the run's summary, so metrics.K is its last value and metrics.K.min its
//   minimum;
// - per step (a curve): each plain metrics.K is the series, taken on the steps
//   every such series logged (runs that log train loss every step and val
//   loss every epoch give a point per epoch); summaries and params stay
//   constant along the curve.
// A missing operand, text, or 0/0 gives no value: the run has an empty cell,
// the step no point.
#pragma once

#include "metric_series.h"
#include "result.h"
#include "run_query.h"
#include "run_table.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace runlens {

namespace query {
struct Expr;
}

class MetricExpression {
public:
    explicit MetricExpression(const QString& text = {});
    ~MetricExpression();
    MetricExpression(MetricExpression&&) noexcept;
    MetricExpression& operator=(MetricExpression&&) noexcept;

    const QString& text() const { return text_; }
    bool isValid() const { return !error_.has_value(); }
    const std::optional<QueryError>& error() const { return error_; }

    // The metrics it reads per step, against `table` (metrics.K that the table
    // has as a column, not a summary such as metrics.K.min), first seen first.
    QStringList seriesKeys(const RunTable& table) const;

    // One value per row of `table`, NaN where the run has none; an error
    // (with its position) when a key is unknown to the table.
    std::optional<QueryError> evaluate(const RunTable& table, const QueryContext* context,
                                       std::vector<double>& values) const;

    // The curve of run `row`: `seriesOf` gives the series of each of
    // seriesKeys(). Steps in increasing order, one point per step (a step
    // logged twice counts its later value); wall time is the latest of the
    // operands' at that step.
    using SeriesSource = std::function<Result<std::shared_ptr<const MetricSeries>>(const QString& key)>;
    Result<MetricSeries> evaluateSeries(const RunTable& table, int row, const QueryContext* context,
                                        const SeriesSource& seriesOf) const;

    static constexpr qsizetype kMaxLength = 4096;

private:
    QString text_;
    std::optional<QueryError> error_;
    std::unique_ptr<query::Expr> expr_;
};

} // namespace runlens
