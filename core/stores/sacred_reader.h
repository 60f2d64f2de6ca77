// SPDX-License-Identifier: GPL-3.0-or-later
// Reads Sacred's FileStorageObserver folders as they are, read-only: every
// folder with a run.json and a config.json (basedir/<id>/) is a run; the
// observer's _sources/ and _resources/ are not. run.json gives the
// experiment's name, the status, start and stop times (UTC), the host,
// dependencies, git (experiment.repositories) and the result; config.json
// the params; metrics.json the series ({name: {steps, timestamps, values}}).
// A run still RUNNING whose heartbeat stopped more than two minutes ago is
// shown as crashed, as Sacred's own tools do after a missed heartbeat.
#pragma once

#include "folder_of_runs_reader.h"
#include "store_format.h"

#include <QDir>

namespace runlens {

class SacredReader final : public FolderOfRunsReader {
public:
    static Result<std::unique_ptr<SacredReader>> open(const QString& path);
    // A folder with Sacred run folders in it or below it (or one itself).
    static int recognise(const StoreProbe& probe);
    static StoreFormat format();

    QString kind() const override { return QStringLiteral("sacred"); }

private:
    explicit SacredReader(QDir root);
    QStringList runFolders() const override;
    RunFolder readRun(const QString& folder) const override;
};

} // namespace runlens
