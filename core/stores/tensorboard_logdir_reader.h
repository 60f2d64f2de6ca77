// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a TensorBoard logdir as it is, read-only: every folder holding event
// files is a run (its files merged in name order, i.e. time order); scalar
// tags become metrics; hparams come from the hparams plugin or a sibling
// hparams.yaml (Lightning). Records with a bad checksum are skipped and
// counted; a half-written last record (a live writer) is tolerated.
#pragma once

#include "folder_of_runs_reader.h"
#include "store_format.h"
#include "tensorboard_events.h"

#include <QDir>
#include <QHash>

#include <mutex>

namespace runlens {

class TensorboardLogdirReader final : public FolderOfRunsReader {
public:
    static Result<std::unique_ptr<TensorboardLogdirReader>> open(const QString& path);
    // A folder with event files in it or a few levels below it.
    static int recognise(const StoreProbe& probe);
    static StoreFormat format();

    QString kind() const override { return QStringLiteral("tensorboard"); }

private:
    explicit TensorboardLogdirReader(QDir root);
    QStringList runFolders() const override;
    RunFolder readRun(const QString& folder) const override;
    QStringList eventFiles(const QString& folder) const;
    DecodedEvents decodeRun(const QString& folder) const;
};

} // namespace runlens
