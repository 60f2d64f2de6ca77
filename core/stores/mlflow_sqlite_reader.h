// SPDX-License-Identifier: GPL-3.0-or-later
// Reads an MLflow SQL store kept in SQLite (`mlflow.db`), read-only, for every
// schema revision from 1.x to 3.x: only the columns every revision has are
// required, optional ones (metrics.step, metrics.is_nan) are looked up, and
// tables added later (workspaces, logged models, traces) are ignored.
// Metric values come from `metrics`; `latest_metrics` is only compared with
// them and a disagreement is reported as a problem.
#pragma once

#include "store_format.h"
#include "store_reader.h"

#include <memory>
#include <mutex>

namespace runlens {

class SqliteDb;

class MlflowSqliteReader final : public StoreReader {
public:
    static Result<std::unique_ptr<MlflowSqliteReader>> open(const QString& path, bool includeDeleted = false);
    // True when the open database has MLflow's tables (alembic_version, runs, experiments).
    // An MLflow database: alembic_version beside runs, experiments, metrics and params.
    static int recognise(const StoreProbe& probe);
    static StoreFormat format();
    ~MlflowSqliteReader() override;

    QString kind() const override { return QStringLiteral("mlflow-sqlite"); }
    QString location() const override { return path_; }
    QString schemaRevision() const { return revision_; }

    Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) override;
    Result<RunDetails> loadDetails(const QString& runId) override;
    Result<MetricSeries> loadSeries(const QString& runId, const QString& key) override;
    Result<ModelRegistry> loadModelRegistry() override;

private:
    MlflowSqliteReader(QString path, std::unique_ptr<SqliteDb> db, bool includeDeleted);
    double valueOf(double stored, bool isNan) const;

    QString path_;
    QString revision_;
    std::unique_ptr<SqliteDb> db_;
    bool includeDeleted_;
    bool hasStep_ = true, hasIsNan_ = true;
    std::mutex mutex_;
};

} // namespace runlens
