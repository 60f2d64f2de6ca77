// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a Runlens store (SQLite, docs/store-format.md) read-only. A store
// being written by live runs reads consistently: each load is one snapshot.
// A store nobody writes is read without creating anything beside it.
#pragma once

#include "store_format.h"
#include "store_reader.h"

#include <memory>
#include <mutex>

namespace runlens {

class SqliteDb;

class RunlensStoreReader final : public StoreReader {
public:
    // Fails for a file that is not a Runlens store, or one of a newer schema.
    static Result<std::unique_ptr<RunlensStoreReader>> open(const QString& path);
    // Any SQLite file that no other format claims: open() says what it is not.
    static int recognise(const StoreProbe& probe);
    static StoreFormat format();
    ~RunlensStoreReader() override;

    QString kind() const override { return QStringLiteral("runlens"); }
    QString location() const override { return path_; }

    Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) override;
    Result<RunDetails> loadDetails(const QString& runId) override;
    Result<MetricSeries> loadSeries(const QString& runId, const QString& key) override;
    Result<ModelRegistry> loadModelRegistry() override;
    // Artifact files under <store>.artifacts/<run id> (where the logger
    // copies them, so a store moved with its folder still finds them) and
    // the media of the store's `media` table.
    Result<RunArtifacts> loadArtifacts(const QString& runId) override;
    Result<QByteArray> loadArtifactBytes(const QString& root, const ArtifactItem& item, int64_t limit) override;

    // A run still marked running reads as crashed when runLiveness()
    // (runlens/run_liveness.h, shared with the logger) says it is not alive.

private:
    RunlensStoreReader(QString path, std::unique_ptr<SqliteDb> db);
    static QString writeStamp(const QString& path);
    void reopenIfWritten();

    QString path_;
    QString openedStamp_; // the file as it was when db_ was opened
    std::unique_ptr<SqliteDb> db_;
    std::mutex mutex_; // one statement at a time on the connection
};

} // namespace runlens
