// SPDX-License-Identifier: MIT
#include "runlens/store_schema.h"

#include "runlens/sqlite_db.h"

#include "already_tried_lookup.h"

#include <array>
#include <chrono>
#include <functional>
#include <thread>

namespace runlens {

namespace {

// Version 1. Later versions add a migration below; never edit this text.
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE IF NOT EXISTS store_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS experiments(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs(
  id TEXT PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('running','finished','failed','killed','crashed')),
  start_time INTEGER NOT NULL,
  end_time INTEGER,
  heartbeat INTEGER NOT NULL,
  heartbeat_interval_ms INTEGER NOT NULL,
  host TEXT NOT NULL DEFAULT '',
  pid INTEGER NOT NULL DEFAULT 0,
  parent_id TEXT,
  notes TEXT NOT NULL DEFAULT '',
  hypothesis TEXT NOT NULL DEFAULT '',
  repro_hash TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS runs_by_experiment ON runs(experiment_id);
CREATE TABLE IF NOT EXISTS params(
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  type TEXT NOT NULL CHECK(type IN ('int','float','bool','string','json')),
  value TEXT NOT NULL,
  PRIMARY KEY(run_id, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS configs(
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY(run_id, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tags(
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(run_id, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS metrics(
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  first_step INTEGER,
  last_step INTEGER,
  last_value REAL,
  last_time REAL,
  min_value REAL,
  max_value REAL,
  nan_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE(run_id, key));
CREATE TABLE IF NOT EXISTS metric_chunks(
  metric_id INTEGER NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  first_step INTEGER NOT NULL,
  last_step INTEGER NOT NULL,
  count INTEGER NOT NULL,
  points BLOB NOT NULL,
  UNIQUE(metric_id, seq));
CREATE TABLE IF NOT EXISTS artifacts(
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  uri TEXT NOT NULL,
  size INTEGER,
  sha256 TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(run_id, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS git_info(
  run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  repo_path TEXT NOT NULL DEFAULT '',
  commit_sha TEXT NOT NULL DEFAULT '',
  branch TEXT NOT NULL DEFAULT '',
  remote TEXT NOT NULL DEFAULT '',
  dirty INTEGER NOT NULL DEFAULT 0,
  diff TEXT NOT NULL DEFAULT '',
  diff_truncated INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS data_versions(
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  PRIMARY KEY(run_id, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS environment(
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(run_id, key)) WITHOUT ROWID;
)SQL";

using Migration = std::function<void(SqliteDb&)>;
// migrations[i] takes a store from version i to i + 1.
const std::array<Migration, kStoreSchemaVersion> kMigrations = {
    [](SqliteDb& db) { db.exec(kSchemaV1); },
    // v2: chunk layout v2 (steps as varint deltas). The tables stay; v1 chunks stay readable.
    [](SqliteDb&) {},
};

// runs.config_hash (params but for seeds: the "already tried" lookup,
// already_tried.h) with its index, so that a run's start costs one indexed
// query however large the store; older runs get theirs here, once. Additive,
// so it needs no schema version (store_schema.h says why).
bool hasConfigHash(SqliteDb& db)
{
    auto has = db.prepare("SELECT count(*) FROM pragma_table_info('runs') WHERE name='config_hash'");
    has.step();
    return has.int64(0) > 0;
}

void addConfigHash(SqliteDb& db)
{
    if (!hasConfigHash(db))
        db.exec("ALTER TABLE runs ADD COLUMN config_hash TEXT NOT NULL DEFAULT ''");
    db.exec("CREATE INDEX IF NOT EXISTS runs_by_config ON runs(experiment_id, config_hash)");
    detail::backfillConfigHashes(db);
}

// metrics.value_sum and value_sum_count: the sum of a series' non-NaN values
// and the count it was kept up to, for its mean (mean GPU utilisation). An
// older Runlens appending to the series leaves value_sum_count behind count,
// which readers take as "mean unknown" rather than a wrong mean. Additive,
// as config_hash.
void addValueSum(SqliteDb& db)
{
    db.exec("ALTER TABLE metrics ADD COLUMN value_sum REAL");
    db.exec("ALTER TABLE metrics ADD COLUMN value_sum_count INTEGER");
}

} // namespace

bool storeKeepsValueSums(SqliteDb& db)
{
    auto has = db.prepare("SELECT count(*) FROM pragma_table_info('metrics') WHERE name='value_sum_count'");
    has.step();
    return has.int64(0) > 0;
}

int storeSchemaVersion(SqliteDb& db)
{
    // One statement, one snapshot: asked separately, "no store_meta" and
    // "some tables" could straddle another process creating the store.
    auto tables
        = db.prepare("SELECT count(*), coalesce(sum(name = 'store_meta'), 0) FROM sqlite_master WHERE type='table'");
    tables.step();
    if (tables.int64(1) == 0) {
        if (tables.int64(0) > 0)
            throw Error("'" + db.path() + "' is a SQLite database but not a Runlens store");
        return 0;
    }
    auto st = db.prepare("SELECT value FROM store_meta WHERE key='schema_version'");
    if (!st.step())
        throw Error("'" + db.path() + "' is a damaged Runlens store: it has no schema version");
    return std::stoi(std::string(st.text(0)));
}

SqliteDb openStoreForWriting(const std::string& path, int busy_timeout_ms, const std::string& vfs)
{
    SqliteDb db(path, SqliteDb::Mode::ReadWriteCreate, busy_timeout_ms, vfs);
    // Read before changing anything: a foreign or newer file stays untouched.
    int version = storeSchemaVersion(db);
    if (version > kStoreSchemaVersion)
        throw Error("'" + path + "' was written by a newer Runlens (store schema " + std::to_string(version)
            + "); this build writes schema " + std::to_string(kStoreSchemaVersion) + ". Upgrade Runlens.");
    if (version == kStoreSchemaVersion && hasConfigHash(db) && storeKeepsValueSums(db)) {
        db.exec("PRAGMA foreign_keys=ON");
        return db;
    }
    // Switching to WAL takes the whole file; SQLite reports a busy file at
    // once here rather than through the busy timeout, so wait for it (other
    // writers creating the same store hold it for milliseconds).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (;;) {
        try {
            db.exec("PRAGMA journal_mode=WAL");
            break;
        } catch (const Error&) {
            if (std::chrono::steady_clock::now() >= deadline)
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    db.exec("PRAGMA foreign_keys=ON");
    SqliteTransaction tx(db);
    // Another process may have created or migrated it while we waited for the lock.
    version = storeSchemaVersion(db);
    for (int v = version; v < kStoreSchemaVersion; ++v)
        kMigrations[static_cast<size_t>(v)](db);
    if (!hasConfigHash(db))
        addConfigHash(db);
    if (!storeKeepsValueSums(db))
        addValueSum(db);
    auto set = db.prepare("INSERT OR REPLACE INTO store_meta(key, value) VALUES(?, ?)");
    set.bind(1, "schema_version").bind(2, std::to_string(kStoreSchemaVersion)).run();
    set.bind(1, "application").bind(2, kStoreApplicationId).run();
    db.exec("PRAGMA application_id=" + std::to_string(kSqliteApplicationId));
    tx.commit();
    return db;
}

void createRunEventsTable(SqliteDb& db)
{
    db.exec("CREATE TABLE IF NOT EXISTS run_events("
            "id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, time INTEGER NOT NULL, user TEXT NOT NULL, "
            "field TEXT NOT NULL, key TEXT NOT NULL DEFAULT '', old_value TEXT, new_value TEXT);"
            "CREATE INDEX IF NOT EXISTS run_events_by_run ON run_events(run_id);"
            // Append-only: the history is a record, not a document.
            "CREATE TRIGGER IF NOT EXISTS run_events_append_only_update BEFORE UPDATE ON run_events "
            "BEGIN SELECT RAISE(ABORT, 'run_events is append-only'); END;"
            "CREATE TRIGGER IF NOT EXISTS run_events_append_only_delete BEFORE DELETE ON run_events "
            "BEGIN SELECT RAISE(ABORT, 'run_events is append-only'); END;");
}

} // namespace runlens
