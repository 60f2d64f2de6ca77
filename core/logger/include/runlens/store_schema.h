// SPDX-License-Identifier: MIT
// The Runlens store schema (docs/store-format.md): its version, its creation
// and the forward migrations from older versions.
#pragma once

#include <string>

namespace runlens {

class SqliteDb;

// 2: metric chunks may use chunk layout v2 (no table changes; the version
// makes an older Runlens refuse the store instead of reading v2 chunks as damaged).
// runs.config_hash and its index runs_by_config (already_tried.h) are added
// in place by openStoreForWriting without a new version: an older Runlens
// ignores a column it does not know, and a version bump would make it refuse
// the store after this build merely starred a run in it. So are
// metrics.value_sum and value_sum_count (a series' mean; store_schema.cpp).
inline constexpr int kStoreSchemaVersion = 2;
inline constexpr const char* kStoreApplicationId = "runlens";
// SQLite's application_id in the file header ("RLNS"): lets file managers
// (resources/runlens-mime.xml) tell a store from any other SQLite file.
inline constexpr int kSqliteApplicationId = 0x524C4E53;

// Whether the store's metrics table keeps each series' sum (value_sum and
// value_sum_count, added in place; store_schema.cpp): readers of older
// stores know no mean.
bool storeKeepsValueSums(SqliteDb& db);

// Schema version of an open store; 0 when the file holds no Runlens schema.
// Throws Error when the file is a SQLite database that is not a Runlens store.
int storeSchemaVersion(SqliteDb& db);

// Opens `path` for writing, creating it (WAL mode) or migrating it forward as
// needed. Throws Error for a file that is not a store, or one written by a
// newer Runlens, leaving such a file untouched. `vfs`: as SqliteDb's.
SqliteDb openStoreForWriting(const std::string& path, int busy_timeout_ms = 10000, const std::string& vfs = {});

// The append-only record of edits to runs (`run_events`: core/notebook's
// StoreRunEditor, and the model registry's promotions), created by the first
// edit: an additional table an older Runlens reads past.
void createRunEventsTable(SqliteDb& db);

} // namespace runlens
