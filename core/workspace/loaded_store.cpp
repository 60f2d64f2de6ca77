// SPDX-License-Identifier: GPL-3.0-or-later
#include "loaded_store.h"

#include "baselines.h"
#include "derived_metrics.h"
#include "store_entries.h"
#include "store_registry.h"

namespace runlens {

namespace {

// The store's derived metrics as columns of a copy of `runs`' table.
QStringList addStoreDerivedMetrics(LoadedStore& store)
{
    std::vector<DerivedMetric> definitions;
    for (const auto& e : readDerivedMetrics(*store.reader))
        definitions.push_back({e.name, e.value});
    if (definitions.empty())
        return {};
    const QueryContext context = store.queryContext();
    auto table = std::make_shared<RunTable>(*store.runs.table);
    QStringList problems;
    for (const auto& p : addDerivedMetrics(*table, definitions, &context))
        problems << p;
    store.runs.table = std::move(table);
    return problems;
}

} // namespace

Result<LoadedStore> LoadedStore::open(const QString& path, const QString& kind, bool deleted, const QString& selectedBy)
{
    auto reader = openStore(path, kind, deleted);
    if (!reader)
        return Failure{reader.error()};
    LoadedStore store;
    store.reader = std::move(*reader);
    if (!selectedBy.isEmpty() && readDerivedMetrics(*store.reader).empty())
        store.reader->narrowTo(RunQuery(selectedBy));
    if (auto loaded = store.reload(); !loaded)
        return Failure{loaded.error()};
    return store;
}

Result<bool> LoadedStore::reload()
{
    auto loaded = reader->loadRuns();
    if (!loaded)
        return Failure{loaded.error()};
    runs = std::move(*loaded);
    derivedMetricProblems = addStoreDerivedMetrics(*this);
    return true;
}

QueryContext LoadedStore::queryContext() const
{
    const auto baselines = readBaselines(*reader);
    QueryContext context;
    context.baselineRows = baselineRowsOf(*runs.table, [&](int, const QString& experiment) { return baselines.value(experiment); });
    return context;
}

QuerySelection LoadedStore::select(const QString& query, bool withTrash) const
{
    const QueryContext context = queryContext();
    QuerySelection selection = RunQuery(query).select(*runs.table, &context);
    if (!withTrash)
        std::erase_if(selection.rows, [&](int row) { return runs.table->isTrashed(row); });
    return selection;
}

Result<int> LoadedStore::findRun(const QString& idOrName) const
{
    auto rows = runs.table->findRuns({idOrName});
    if (!rows)
        return Failure{rows.error()};
    return rows->front();
}

bool LoadedStore::hasMetric(int row, const QString& key) const
{
    const MetricColumn* column = runs.table->metric(key);
    return column && column->has(row);
}

Result<std::shared_ptr<const MetricSeries>> LoadedStore::series(int row, const QString& key) const
{
    const RunTable& t = *runs.table;
    // Only a derived metric reads the baselines (a store read) for its context.
    const MetricColumn* column = t.metric(key);
    const QueryContext context = column && !column->expression.isEmpty() ? queryContext() : QueryContext{};
    auto loaded = metricSeriesOf(t, row, key, &context, [&](const QString& k) -> Result<std::shared_ptr<const MetricSeries>> {
        auto one = reader->loadSeries(t.id(row), k);
        if (!one)
            return Failure{one.error()};
        return std::make_shared<const MetricSeries>(std::move(*one));
    });
    if (loaded || hasMetric(row, key))
        return loaded;
    QStringList keys;
    for (const auto& m : t.metrics())
        if (m.has(row))
            keys << m.key;
    return Failure{QStringLiteral("%1 (it has: %2)").arg(loaded.error(), keys.join(QStringLiteral(", ")))};
}

} // namespace runlens
