// SPDX-License-Identifier: GPL-3.0-or-later
// A store opened and its runs loaded in one go, for the readers that answer
// one question and leave: the CLI's commands (app/) and the C read ABI
// (core/read_api/, which Python's runlens.open() is built on). Both select,
// find and load through this, so a query, a run name or a derived metric
// means the same in a terminal, a notebook and the window (whose Workspace
// loads off the GUI thread and refreshes; this one reloads when asked).
#pragma once

#include "run_query.h"
#include "store_reader.h"

#include <QStringList>

#include <memory>

namespace runlens {

struct LoadedStore {
    std::unique_ptr<StoreReader> reader;
    LoadedRuns runs;
    // The store's derived metrics that could not be added, in words (the
    // rest are columns of runs.table, as in the app).
    QStringList derivedMetricProblems;

    // `kind` forces a format (store_registry.h); `deleted` keeps the runs
    // other tools marked deleted. `selectedBy`: the query the caller will
    // select with, for a store that can leave out the runs it cannot select
    // before reading them (a team store, StoreReader::narrowTo); the
    // selection is the same, the table has fewer rows. Not with derived
    // metrics, which the store does not know and may read baselines.
    static Result<LoadedStore> open(const QString& path, const QString& kind = {}, bool deleted = false,
                                    const QString& selectedBy = {});
    // Reads the runs again (a store still being written); the table is
    // replaced only when the read succeeds.
    Result<bool> reload();

    const RunTable& table() const { return *runs.table; }
    // Each row's baseline (its experiment's), for queries that reach
    // baseline.X and welch_p.
    QueryContext queryContext() const;
    // The rows `query` selects, in its order; the notebook's trash is left
    // out, as in the app, unless `withTrash`.
    QuerySelection select(const QString& query, bool withTrash = false) const;
    // The row of a run given as an id, a unique id prefix or a unique name.
    Result<int> findRun(const QString& idOrName) const;
    // Whether the run at `row` has metric `key` (logged or derived).
    bool hasMetric(int row, const QString& key) const;
    // A logged or derived metric of a run. A failure for a metric the run
    // lacks names the metrics it has; otherwise the store could not be read
    // (hasMetric tells the two apart).
    Result<std::shared_ptr<const MetricSeries>> series(int row, const QString& key) const;
};

} // namespace runlens
