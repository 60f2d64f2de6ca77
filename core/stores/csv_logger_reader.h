// SPDX-License-Identifier: GPL-3.0-or-later
// Reads the logs of CSV-writing loggers as they are, read-only:
// - Lightning's CSVLogger and older test-tube logger (lightning_version.h):
//   every folder with a metrics.csv (version_N/) is a run, and so is a
//   version folder with only hparams.yaml (a run that died before its first
//   metrics); sparse columns; `step` gives the x, `epoch` is a metric too;
//   hparams.yaml (test-tube: meta_tags.csv) beside it gives params.
// - DVCLive, every layout since 0.4: every folder with plots/metrics/*.tsv,
//   scalars/*.tsv, or *.tsv and a <folder>.json beside it (timestamp, step,
//   value; nested names in subfolders) is a run; params.yaml gives params;
//   the summary (metrics.json, before 1.0 <folder>.json) fills in metrics
//   without a history.
#pragma once

#include "folder_of_runs_reader.h"
#include "store_format.h"

#include <QDir>
#include <QHash>

#include <mutex>
#include <optional>

namespace runlens {

class CsvLoggerReader final : public FolderOfRunsReader {
public:
    enum class Kind { Lightning, DvcLive };

    static Result<std::unique_ptr<CsvLoggerReader>> open(const QString& path, std::optional<Kind> kind = {});
    // A folder with `kind`'s logs in it or below it.
    static int recognise(const StoreProbe& probe, Kind kind);
    static StoreFormat format(Kind kind);

    QString kind() const override { return kind_ == Kind::Lightning ? QStringLiteral("lightning") : QStringLiteral("dvclive"); }

private:
    CsvLoggerReader(QDir root, Kind kind);
    QStringList runFolders() const override;
    RunFolder readRun(const QString& folder) const override;
    // Every metric series of a DVCLive run, by key.
    QHash<QString, MetricSeries> readSeries(const QString& folder, QStringList& problems) const;

    Kind kind_;
};

} // namespace runlens
