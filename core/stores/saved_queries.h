// SPDX-License-Identifier: GPL-3.0-or-later
// Named queries kept with a store, listed under it in the navigator and
// applied by `runlens runs STORE --saved NAME`. In our own store they are
// store_meta rows (key "query:<name>"), so they travel with the file and an
// older Runlens still opens it; another tool's store is never written, so
// they go into its annotation overlay.
#pragma once

#include "result.h"

#include <QString>

#include <utility>
#include <vector>

namespace runlens {

class StoreReader;

struct SavedQuery {
    QString name, query;
    bool operator==(const SavedQuery&) const = default;
};

// By name.
std::vector<SavedQuery> readSavedQueries(const StoreReader& store);
// Keeps `query` as `name` (replacing one of that name); an empty query
// removes it. Refuses an empty name.
Result<bool> writeSavedQuery(const StoreReader& store, const QString& name, const QString& query);

} // namespace runlens
