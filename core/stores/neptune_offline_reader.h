// SPDX-License-Identifier: GPL-3.0-or-later
// Reads neptune-client's offline runs as they are, read-only: a project
// folder with .neptune/offline/ in it, that folder, or one run's folder
// (run__<uuid>, run__<uuid>__<pid>__<key> from neptune 1.9, <uuid> before
// 0.15). A run is an operation log (data-<N>.log, a JSON operation a line)
// replayed as neptune would: Assign* give the params (the field's path
// joined by "/"), LogFloats the series (a value without a step takes the
// one after the last, as Neptune's server does), sys/name, sys/description,
// sys/tags, sys/hostname and sys/failed the run's own fields,
// monitoring/<hash>/* the system metrics (under system/), source_code/* the
// entry point, and UploadFile the files kept in upload_path/. The folders
// of one run's forked processes (1.9 on) are read as that one run.
//
// Neptune's offline log records no end. A run of this machine (its host in
// the log, its process ids in the folders' names: 1.9 on) runs while one of
// its processes lives; another runs while written to (two minutes). Then it
// finished when metadata.json (1.8.3 on) was rewritten after its last
// operation (neptune flushes it on stop, and on wait() from 1.9), else it
// crashed; before 1.8.3, a silent run reads as finished.
#pragma once

#include "folder_of_runs_reader.h"
#include "store_format.h"

#include <QDir>
#include <QHash>

namespace runlens {

class NeptuneOfflineReader final : public FolderOfRunsReader {
public:
    static Result<std::unique_ptr<NeptuneOfflineReader>> open(const QString& path);
    // A folder with neptune's offline runs in it or below it, or one itself.
    static int recognise(const StoreProbe& probe);
    static StoreFormat format();

    QString kind() const override { return QStringLiteral("neptune"); }

private:
    explicit NeptuneOfflineReader(QDir root);
    QStringList runFolders() const override;
    RunFolder readRun(const QString& folder) const override;
    QString runIdOf(const QString& folder) const override;

    // Each run's process folders by uuid, from the last runFolders(), which
    // loadRuns() calls before reading runs (readRun() then only reads it).
    mutable QHash<QString, QStringList> processes_;
};

} // namespace runlens
