// SPDX-License-Identifier: GPL-3.0-or-later
#include "metric_expression.h"

#include "query_evaluation.h"
#include "query_lexer.h"
#include "query_parser.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens {

using namespace query;

namespace {

// A plain metrics.K naming a column of the table: read per step on a curve.
bool isSeriesField(const Field& f, const RunTable& t)
{
    return f.kind == FieldKind::Metric && !f.ofBaseline && t.metric(f.path) != nullptr;
}

void collectSeries(const Expr& e, const RunTable& t, QStringList& keys)
{
    if (e.kind == Expr::FieldRef && isSeriesField(e.field, t) && !keys.contains(e.field.path))
        keys << e.field.path;
    for (const Expr* child : {e.left.get(), e.right.get()})
        if (child)
            collectSeries(*child, t, keys);
}

// One point per step, steps increasing; a step logged twice keeps its later value.
struct StepPoints {
    std::vector<int64_t> steps;
    std::vector<double> times, values;
};

StepPoints byStep(const MetricSeries& s)
{
    StepPoints out;
    out.steps.reserve(s.size());
    out.times.reserve(s.size());
    out.values.reserve(s.size());
    auto take = [&](size_t i) {
        const double time = i < s.wallTimes.size() ? s.wallTimes[i] : NAN;
        if (!out.steps.empty() && out.steps.back() == s.steps[i]) {   // the later value counts
            out.times.back() = time;
            out.values.back() = s.values[i];
            return;
        }
        out.steps.push_back(s.steps[i]);
        out.times.push_back(time);
        out.values.push_back(s.values[i]);
    };
    // Logged in step order, as nearly every run is: one pass, no sort.
    if (std::is_sorted(s.steps.begin(), s.steps.end())) {
        for (size_t i = 0; i < s.size(); ++i)
            take(i);
        return out;
    }
    std::vector<size_t> order(s.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s.steps[a] < s.steps[b]; });
    for (const size_t i : order)
        take(i);
    return out;
}

// A value along the aligned steps: one number for all of them (a param, a
// summary) or one per step.
struct Operand {
    bool perStep = false;
    double constant = NAN;
    std::vector<double> values;
    double at(size_t i) const { return perStep ? values[i] : constant; }
};

} // namespace

MetricExpression::MetricExpression(const QString& text)
    : text_(text)
{
    if (text.size() > kMaxLength) {
        error_ = QueryError{int(kMaxLength), 1,
                            QStringLiteral("an expression is at most %1 characters; this one is %2").arg(kMaxLength).arg(text.size())};
        return;
    }
    auto lexed = lex(text);
    if (lexed.error) {
        error_ = lexed.error;
        return;
    }
    auto parsed = parseExpression(std::move(lexed.tokens));
    error_ = parsed.error;
    expr_ = std::move(parsed.expr);
}

MetricExpression::~MetricExpression() = default;
MetricExpression::MetricExpression(MetricExpression&&) noexcept = default;
MetricExpression& MetricExpression::operator=(MetricExpression&&) noexcept = default;

QStringList MetricExpression::seriesKeys(const RunTable& table) const
{
    QStringList keys;
    if (expr_)
        collectSeries(*expr_, table, keys);
    return keys;
}

std::optional<QueryError> MetricExpression::evaluate(const RunTable& table, const QueryContext* context,
                                                     std::vector<double>& values) const
{
    values.assign(size_t(table.rowCount()), NAN);
    if (!expr_)
        return error_;
    std::optional<QueryError> error;
    const auto get = valueOf(*expr_, table, context, error);
    if (!get) {
        // Keys may hold - and /, so "metrics.tokens/metrics.time" is one unknown key.
        const QString key = text_.mid(error->position, error->length);
        if (key.indexOf(QLatin1String("metrics."), 1) > 0 || key.indexOf(QLatin1String("params."), 1) > 0)
            error->message += QStringLiteral("; put spaces around + - * / between fields");
        return error;
    }
    for (int r = 0; r < table.rowCount(); ++r)
        if (const CellValue v = (*get)(r); v.present)
            values[size_t(r)] = v.number;
    return std::nullopt;
}

Result<MetricSeries> MetricExpression::evaluateSeries(const RunTable& table, int row, const QueryContext* context,
                                                      const SeriesSource& seriesOf) const
{
    if (!expr_)
        return Failure{error_ ? error_->describe() : QStringLiteral("no expression")};
    const QStringList keys = seriesKeys(table);
    if (keys.isEmpty())
        return Failure{QStringLiteral("'%1' reads no metric per step, so it has no curve").arg(text_)};

    // The steps every series logged.
    std::vector<StepPoints> points;
    QStringList problems;
    for (const QString& key : keys) {
        auto s = seriesOf(key);
        if (!s)
            return Failure{s.error()};
        points.push_back(byStep(**s));
        problems += (*s)->problems;
    }
    std::vector<int64_t> steps = points.front().steps;
    for (size_t k = 1; k < points.size(); ++k) {
        std::vector<int64_t> both;
        std::set_intersection(steps.begin(), steps.end(), points[k].steps.begin(), points[k].steps.end(),
                              std::back_inserter(both));
        steps = std::move(both);
    }
    std::vector<std::vector<double>> aligned(points.size());
    std::vector<double> times(steps.size(), NAN);
    for (size_t k = 0; k < points.size(); ++k) {
        aligned[k].reserve(steps.size());
        size_t j = 0;
        for (size_t i = 0; i < steps.size(); ++i) {
            while (points[k].steps[j] < steps[i])
                ++j;
            aligned[k].push_back(points[k].values[j]);
            const double t = points[k].times[j];
            if (std::isnan(times[i]) || t > times[i])
                times[i] = t;
        }
    }

    // Evaluated over whole vectors: a million steps cost one pass per operator.
    std::optional<QueryError> error;
    std::function<std::optional<Operand>(const Expr&)> eval = [&](const Expr& e) -> std::optional<Operand> {
        switch (e.kind) {
        case Expr::Number:
            return Operand{false, e.number, {}};
        case Expr::FieldRef: {
            if (isSeriesField(e.field, table))
                return Operand{true, NAN, aligned[size_t(keys.indexOf(e.field.path))]};
            const auto get = resolve(e.field, table, context, error);
            if (!get)
                return std::nullopt;
            const CellValue v = (*get)(row);
            return Operand{false, v.present ? v.number : NAN, {}};   // text reads as NaN: no value
        }
        case Expr::Negate: {
            auto a = eval(*e.left);
            if (!a)
                return std::nullopt;
            a->constant = -a->constant;
            for (double& v : a->values)
                v = -v;
            return a;
        }
        case Expr::Add:
        case Expr::Sub:
        case Expr::Mul:
        case Expr::Div: {
            auto a = eval(*e.left);
            auto b = a ? eval(*e.right) : std::nullopt;
            if (!b)
                return std::nullopt;
            if (!a->perStep && !b->perStep)
                return Operand{false, arithmetic(e.kind, a->constant, b->constant), {}};
            Operand out{true, NAN, std::vector<double>(steps.size())};
            for (size_t i = 0; i < steps.size(); ++i)
                out.values[i] = arithmetic(e.kind, a->at(i), b->at(i));
            return out;
        }
        }
        return std::nullopt;
    };
    const auto result = eval(*expr_);
    if (!result)
        return Failure{error ? error->describe() : QStringLiteral("cannot compute '%1'").arg(text_)};

    // NaN is no value here as in a table cell: a step where an operand had
    // none, or 0/0, has no point. A NaN the run logged is missing the same way.
    MetricSeries out;
    for (size_t i = 0; i < steps.size(); ++i) {
        const double v = result->at(i);
        if (std::isnan(v))
            continue;
        out.steps.push_back(steps[i]);
        out.wallTimes.push_back(times[i]);
        out.values.push_back(v);
    }
    out.problems = problems;
    return out;
}

} // namespace runlens
