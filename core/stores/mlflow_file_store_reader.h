// SPDX-License-Identifier: GPL-3.0-or-later
// Reads an MLflow file store (`mlruns/`) as it is, read-only: experiments
// from <exp>/meta.yaml, runs from <exp>/<run>/meta.yaml, params/ and tags/
// (one file per key, nested folders for keys with '/'), metrics/ (a line
// "timestamp value [step]" per point). MLflow 1.x and 2.x layouts. Deleted
// experiments and runs (and .trash) are left out unless asked for; the
// model registry (models/) and an experiment's tags/, datasets/, traces/ are
// not runs. Damaged parts are listed in problems and the rest still loads.
#pragma once

#include "read_limits.h"
#include "store_format.h"
#include "store_reader.h"

#include <QDir>
#include <QHash>
#include <QIODevice>

#include <functional>
#include <mutex>

namespace runlens {

class MlflowFileStoreReader final : public StoreReader {
public:
    // `path` is an mlruns folder or a folder holding one.
    static Result<std::unique_ptr<MlflowFileStoreReader>> open(const QString& path, bool includeDeleted = false);
    // A folder of experiment folders with meta.yaml, or a folder holding one (mlruns/).
    static int recognise(const StoreProbe& probe);
    static StoreFormat format();

    QString kind() const override { return QStringLiteral("mlflow-file"); }
    QString location() const override { return root_.absolutePath(); }

    Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) override;
    Result<RunDetails> loadDetails(const QString& runId) override;
    // The run's artifacts folder listed on its own: loadDetails() would read
    // every metric file of the run first.
    Result<RunArtifacts> loadArtifacts(const QString& runId) override;
    Result<MetricSeries> loadSeries(const QString& runId, const QString& key) override;
    QString changeStamp() const override;

    // The registered models found under models/, by name (listed, not loaded as runs).
    QStringList registeredModels() const;

private:
    explicit MlflowFileStoreReader(QDir root, bool includeDeleted);

    QDir root_;
    bool includeDeleted_;
    mutable std::mutex mutex_;
    ChangeWatch watch_; // from the last loadRuns
    QHash<QString, QString> runDirs_;          // run id -> its folder
    QHash<QString, QString> experimentNames_;  // run id -> experiment name
};

// What reading an MLflow metric file met besides its points.
struct MetricFileCounts {
    int64_t badLines = 0;   // not "timestamp value [step]" (a line past kMaxLineBytes is one)
    int64_t leftOut = 0;    // points past `maxPoints`, counted, not kept
};

// Reads an MLflow metric file from `in` a line at a time, in pieces, and
// calls `point` with each of its first `maxPoints` points; bad lines are
// counted, not fatal. Memory does not grow with the file.
MetricFileCounts readMlflowMetricLines(QIODevice& in, const std::function<void(int64_t step, double wallTime, double value)>& point,
                                       int64_t maxPoints = kMaxPointsPerSeries);
// The same, keeping the points.
MetricSeries readMlflowMetricFile(QIODevice& in, MetricFileCounts* counts = nullptr, int64_t maxPoints = kMaxPointsPerSeries);
// An MLflow metric file's text parsed (tests, the fuzzer).
MetricSeries parseMlflowMetricFile(const QByteArray& text, int* badLines = nullptr);

} // namespace runlens
