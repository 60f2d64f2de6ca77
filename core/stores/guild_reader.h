// SPDX-License-Identifier: GPL-3.0-or-later
// Reads Guild AI runs as they are, read-only: a runs folder (~/.guild/runs,
// $GUILD_HOME/runs, or a folder holding one) or one run's folder. Every
// folder with .guild/attrs/ is a run. Its attrs (one YAML value a file):
// flags as params, label as the name, the operation (.guild/opref) as the
// experiment, tags and comments, started/stopped (microseconds), exit
// status, host and vcs_commit. Scalars come from the run's TensorBoard
// event files (Guild writes its output scalars there too) and, for keys no
// event file has, from `key: value` lines of .guild/output (Guild's default
// output-scalars rule, `step: N` setting the step). A run without an exit
// status is running while the process named in .guild/LOCK lives on this
// machine, crashed otherwise.
#pragma once

#include "folder_of_runs_reader.h"
#include "store_format.h"

#include <QDir>

namespace runlens {

class GuildReader final : public FolderOfRunsReader {
public:
    static Result<std::unique_ptr<GuildReader>> open(const QString& path);
    static int recognise(const StoreProbe& probe);
    static StoreFormat format();

    QString kind() const override { return QStringLiteral("guild"); }

private:
    explicit GuildReader(QDir root);
    QStringList runFolders() const override;
    RunFolder readRun(const QString& folder) const override;
};

} // namespace runlens
