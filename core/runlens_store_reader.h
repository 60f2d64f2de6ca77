// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a Runlens store (SQLite, docs/store-format.md) read-only. A store
// being written by live runs reads consistently: each load is one snapshot.
#pragma once

#include "store_reader.h"

#include <memory>
#include <mutex>

namespace runlens {

class SqliteDb;

class RunlensStoreReader final : public StoreReader {
public:
    // Fails for a file that is not a Runlens store, or one of a newer schema.
    static Result<std::unique_ptr<RunlensStoreReader>> open(const QString& path);
    ~RunlensStoreReader() override;

    QString kind() const override { return QStringLiteral("runlens"); }
    QString location() const override { return path_; }

    Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) override;
    Result<RunDetails> loadDetails(const QString& runId) override;
    Result<MetricSeries> loadSeries(const QString& runId, const QString& key) override;

    // A run still marked running reads as crashed when its heartbeat is older
    // than this many heartbeat intervals (and at least kMinStaleMs), or when
    // its process is gone from this host.
    static constexpr int kStaleIntervals = 10;
    static constexpr int64_t kMinStaleMs = 30000;

private:
    RunlensStoreReader(QString path, std::unique_ptr<SqliteDb> db);

    QString path_;
    std::unique_ptr<SqliteDb> db_;
    std::mutex mutex_; // one statement at a time on the connection
};

} // namespace runlens
