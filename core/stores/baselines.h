// SPDX-License-Identifier: GPL-3.0-or-later
// The run each experiment is compared against. In our own store it is kept
// in the store (store_meta, key "baseline:<experiment>"), so it travels with
// the file; for other tools' stores, which are never written, it is kept in
// the app's settings under the store's path.
#pragma once

#include "result.h"
#include "run_table.h"

#include <QHash>
#include <QString>

#include <functional>
#include <vector>

namespace runlens {

class StoreReader;

// experiment -> run id
QHash<QString, QString> readBaselines(const StoreReader& store);
// For each row of `table`, the row of its experiment's baseline in the same
// store (`baselineId(store index, experiment)` names it), or -1: what the
// table's Δ columns and the query language's baseline.X read.
std::vector<int> baselineRowsOf(const RunTable& table,
                                const std::function<QString(int store, const QString& experiment)>& baselineId);
// An empty run id clears the experiment's baseline.
Result<bool> writeBaseline(const StoreReader& store, const QString& experiment, const QString& runId);

} // namespace runlens
