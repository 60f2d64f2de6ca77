// SPDX-License-Identifier: GPL-3.0-or-later
// Reads Weights & Biases run folders as they are, read-only: a `wandb/`
// folder, one run folder, or any folder holding them. Every folder with a
// .wandb datastore (run-<date>-<id>/run-<id>.wandb, offline-run-... too) is a
// run; `latest-run`, a symlink to one of them, is not followed. The
// datastore (wandb_records.h) gives the run's id, name, project (as its
// experiment), tags, notes, group and job type (as tags), config (as
// params), history (step metrics), summary (metrics without a history),
// system metrics (under system/) and exit code; files/wandb-metadata.json
// gives git and the environment, files/config.yaml the config when the
// datastore has none, files/media/images and files/media/table the
// pictures and tables logged (per step, as artifacts). A run with no exit record is running while its
// datastore is written to, crashed after.
#pragma once

#include "folder_of_runs_reader.h"
#include "store_format.h"

#include <QDir>

namespace runlens {

class WandbFolderReader final : public FolderOfRunsReader {
public:
    static Result<std::unique_ptr<WandbFolderReader>> open(const QString& path);
    // A folder with .wandb datastores in it or a few levels below it.
    static int recognise(const StoreProbe& probe);
    static StoreFormat format();

    QString kind() const override { return QStringLiteral("wandb"); }

private:
    explicit WandbFolderReader(QDir root);
    QStringList runFolders() const override;
    RunFolder readRun(const QString& folder) const override;
};

} // namespace runlens
