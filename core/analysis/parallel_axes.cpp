// SPDX-License-Identifier: GPL-3.0-or-later
#include "parallel_axes.h"

#include "metric_priority.h"

#include "column_key.h"
#include "natural_compare.h"
#include "number_text.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace runlens {

QStringList ParallelAxes::defaultKeys(const RunTable& table, const std::vector<int>& rows, const QString& sortMetric,
    int maxParams, int* varyingParams)
{
    std::vector<std::pair<const ValueColumn*, ptrdiff_t>> varying;
    for (const auto& c : table.params())
        if (c.variesAcross(rows))
            varying.emplace_back(&c, std::count_if(rows.begin(), rows.end(), [&](int r) { return c.has(r); }));
    if (varyingParams)
        *varyingParams = int(varying.size());
    if (int(varying.size()) > maxParams) {
        std::stable_sort(varying.begin(), varying.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        varying.resize(size_t(std::max(0, maxParams)));
        std::sort(varying.begin(), varying.end(), [](const auto& a, const auto& b) {
            return naturalCompare(a.first->key, b.first->key) < 0;
        });
    }
    QStringList keys;
    for (const auto& [c, coverage] : varying)
        keys << QStringLiteral("params.") + c->key;
    QString metric = sortMetric;
    // Else the first metric the runs have; the sampler's system/ series (CPU,
    // memory) only when they have nothing else.
    for (const bool system : {false, true}) {
        if (!metric.isEmpty() && table.metric(metric))
            break;
        metric.clear();
        for (const auto& m : table.metrics())
            if (isSystemMetric(m.key) == system && std::any_of(rows.begin(), rows.end(), [&](int r) { return m.has(r); })) {
                metric = m.key;
                break;
            }
    }
    if (!metric.isEmpty())
        keys << QStringLiteral("metrics.") + metric;
    return keys;
}

void ParallelAxes::build(const RunTable& table, const std::vector<int>& rows, const QStringList& keys)
{
    table_ = &table;
    rows_ = rows;
    axes_.clear();
    columns_.clear();
    for (const auto& key : keys) {
        Column col;
        ParallelAxis axis;
        axis.key = key;
        const ColumnKey column = ColumnKey::parse(key);
        axis.title = column.name;
        switch (column.kind) {
        case ColumnKey::Kind::Param:
            col.value = table.param(column.name);
            break;
        case ColumnKey::Kind::Metric:
            col.metric = table.metric(column.name);
            break;
        case ColumnKey::Kind::Tag:
            col.value = table.tag(column.name);
            break;
        case ColumnKey::Kind::Field:
            break;
        }
        if (!col.value && !col.metric)
            continue;
        columns_.push_back(col);
        axes_.push_back(axis);
        const int a = int(axes_.size()) - 1;
        ParallelAxis& ax = axes_.back();
        // Numeric when every present value is a finite number.
        bool numeric = true, any = false;
        double lo = INFINITY, hi = -INFINITY;
        QSet<QString> seen;   // a list's contains() made 10,000 distinct values quadratic
        for (int r : rows) {
            if (const auto t = text(a, r)) {
                any = true;
                const auto n = number(a, r);
                if (!n || !std::isfinite(*n))
                    numeric = false;
                else {
                    lo = std::min(lo, *n);
                    hi = std::max(hi, *n);
                }
                if (!numeric)
                    seen.insert(*t);
            }
        }
        ax.categorical = !numeric || !any;
        if (ax.categorical) {
            // Every value, now that the axis is known to be categorical.
            for (int r : rows)
                if (const auto t = text(a, r))
                    seen.insert(*t);
            QStringList cats(seen.begin(), seen.end());
            std::sort(cats.begin(), cats.end(), [](const QString& x, const QString& y) { return naturalCompare(x, y) < 0; });
            ax.categories = cats;
        } else {
            ax.min = lo;
            ax.max = hi;
            ax.canLog = lo > 0;
            // Values spread over decades read better on a log axis.
            ax.log = ax.canLog && hi / lo >= 1000;
            if (ax.log) {
                ax.min = std::log10(lo);
                ax.max = std::log10(hi);
            }
        }
        computeFractions(a);
    }
}

std::optional<double> ParallelAxes::number(int axis, int row) const
{
    const Column& c = columns_[size_t(axis)];
    if (c.metric)
        return c.metric->has(row) ? std::optional(c.metric->last[size_t(row)]) : std::nullopt;
    if (!c.value->has(row) || std::isnan(c.value->number[size_t(row)]))
        return std::nullopt;
    return c.value->number[size_t(row)];
}

std::optional<QString> ParallelAxes::text(int axis, int row) const
{
    const Column& c = columns_[size_t(axis)];
    if (c.metric)
        return c.metric->has(row) ? std::optional(compactNumber(c.metric->last[size_t(row)])) : std::nullopt;
    return c.value->has(row) ? std::optional(compactValue(c.value->text[size_t(row)])) : std::nullopt;
}

void ParallelAxes::setLog(int axis, bool log)
{
    ParallelAxis& a = axes_[size_t(axis)];
    if (a.categorical || (log && !a.canLog) || a.log == log)
        return;
    a.min = log ? std::log10(a.min) : std::pow(10.0, a.min);
    a.max = log ? std::log10(a.max) : std::pow(10.0, a.max);
    a.log = log;
    a.brush.reset();   // fractions change meaning
    computeFractions(axis);
}

void ParallelAxes::setFlipped(int axis, bool flipped)
{
    ParallelAxis& a = axes_[size_t(axis)];
    if (a.flipped != flipped && a.brush)
        a.brush = std::pair(1 - a.brush->second, 1 - a.brush->first);
    a.flipped = flipped;
}

void ParallelAxes::setBrush(int axis, std::optional<std::pair<double, double>> brush)
{
    if (brush && brush->first > brush->second)
        std::swap(brush->first, brush->second);
    axes_[size_t(axis)].brush = brush;
}

void ParallelAxes::clearBrushes()
{
    for (auto& a : axes_)
        a.brush.reset();
}

void ParallelAxes::moveAxis(int from, int to)
{
    if (from == to || from < 0 || to < 0 || from >= int(axes_.size()) || to >= int(axes_.size()))
        return;
    auto a = axes_[size_t(from)];
    auto c = columns_[size_t(from)];
    axes_.erase(axes_.begin() + from);
    columns_.erase(columns_.begin() + from);
    axes_.insert(axes_.begin() + to, a);
    columns_.insert(columns_.begin() + to, c);
}

void ParallelAxes::computeFractions(int axis)
{
    // Every frame asks for every run's place on every axis, and a brush asks
    // again: computed once per axis here (a categorical lookup is a search).
    const ParallelAxis& a = axes_[size_t(axis)];
    std::vector<double>& out = columns_[size_t(axis)].fractions;
    out.assign(size_t(table_->rowCount()), kMissing);
    QHash<QString, int> categoryIndex;
    for (qsizetype i = 0; i < a.categories.size(); ++i)
        categoryIndex.insert(a.categories[i], int(i));
    for (int row = 0; row < table_->rowCount(); ++row) {
        if (a.categorical) {
            const auto t = text(axis, row);
            if (!t)
                continue;
            const auto n = a.categories.size();
            const int index = categoryIndex.value(*t, -1);
            if (index < 0)
                continue;   // a run outside the rows the axis was built for
            out[size_t(row)] = n <= 1 ? 0.5 : double(index) / double(n - 1);
        } else {
            const auto v = number(axis, row);
            if (!v || !std::isfinite(*v) || (a.log && *v <= 0))
                continue;
            const double x = a.log ? std::log10(*v) : *v;
            out[size_t(row)] = a.max > a.min ? (x - a.min) / (a.max - a.min) : 0.5;
        }
    }
}

double ParallelAxes::fraction(int axis, int row) const
{
    const double f = columns_[size_t(axis)].fractions[size_t(row)];
    if (f == kMissing)
        return kMissing;
    return axes_[size_t(axis)].flipped ? 1 - f : f;
}

QString ParallelAxes::labelAt(int axis, double fraction) const
{
    const ParallelAxis& a = axes_[size_t(axis)];
    const double f = a.flipped ? 1 - fraction : fraction;
    if (a.categorical) {
        if (a.categories.isEmpty())
            return {};
        const auto i = qsizetype(std::lround(f * double(a.categories.size() - 1)));
        return a.categories.value(std::clamp<qsizetype>(i, 0, a.categories.size() - 1));
    }
    const double x = a.min + f * (a.max - a.min);
    return QString::number(a.log ? std::pow(10.0, x) : x, 'g', 4);
}

bool ParallelAxes::passes(int row) const
{
    for (size_t a = 0; a < axes_.size(); ++a) {
        const auto& b = axes_[a].brush;
        if (!b)
            continue;
        const double f = fraction(int(a), row);
        if (f == kMissing || f < b->first - 1e-12 || f > b->second + 1e-12)
            return false;
    }
    return true;
}

std::vector<int> ParallelAxes::brushed() const
{
    std::vector<int> out;
    for (int r : rows_)
        if (passes(r))
            out.push_back(r);
    return out;
}

} // namespace runlens
