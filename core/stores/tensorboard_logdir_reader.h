// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a TensorBoard logdir as it is, read-only: every folder holding event
// files is a run (its files merged in name order, i.e. time order), unless
// it is, or is below, a Lightning version folder with CSV logs: then that
// folder is the run, its series the events' and the CSV columns they lack.
// Scalar tags become metrics; image and text summaries the run's per-step
// artifacts (their records found again when shown); hparams come from a
// sibling hparams.yaml (Lightning), then the hparams plugin. Records with a bad checksum are
// skipped and counted; a half-written last record (a live writer) is
// tolerated.
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
    // An image or text summary, read again from its record.
    Result<QByteArray> readEmbedded(const QString& file, const ArtifactItem& item, int64_t limit) const override;
    // The run an event folder belongs to: itself, or the Lightning version folder holding it.
    QString runFolderOf(const QString& eventFolder) const;
    // A run's event files, in time order.
    QStringList eventFiles(const QString& folder) const;
    // Every event file of a run decoded in order; what was refused or passed over, by file, into `problems`.
    DecodedEvents decodeRun(const QStringList& files, QStringList& problems) const;
};

} // namespace runlens
