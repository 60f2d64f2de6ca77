// SPDX-License-Identifier: GPL-3.0-or-later
// Reads the logs of CSV-writing loggers as they are, read-only:
// - Lightning's CSVLogger: every folder with a metrics.csv (version_N/) is a
//   run; sparse columns; `step` gives the x, `epoch` is a metric too;
//   hparams.yaml beside it gives params.
// - DVCLive: every folder with plots/metrics/*.tsv (timestamp, step, value;
//   nested names in subfolders) is a run; params.yaml gives params;
//   metrics.json (the final values) fills in metrics without a history.
#pragma once

#include "store_reader.h"

#include <QDir>
#include <QHash>

#include <mutex>
#include <optional>

namespace runlens {

class CsvLoggerReader final : public StoreReader {
public:
    enum class Kind { Lightning, DvcLive };

    static Result<std::unique_ptr<CsvLoggerReader>> open(const QString& path, std::optional<Kind> kind = {});
    static std::optional<Kind> detect(const QString& dir);

    QString kind() const override { return kind_ == Kind::Lightning ? QStringLiteral("lightning") : QStringLiteral("dvclive"); }
    QString location() const override { return root_.absolutePath(); }

    Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) override;
    Result<RunDetails> loadDetails(const QString& runId) override;
    Result<MetricSeries> loadSeries(const QString& runId, const QString& key) override;

private:
    CsvLoggerReader(QDir root, Kind kind);
    QStringList runFolders() const;
    // Every metric series of a run, by key.
    QHash<QString, MetricSeries> readRun(const QString& folder, QStringList& problems) const;
    QHash<QString, QString> params(const QString& folder, QStringList& problems) const;

    QDir root_;
    Kind kind_;
    std::mutex mutex_;
    QHash<QString, QString> folders_;
};

} // namespace runlens
