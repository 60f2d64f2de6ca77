// SPDX-License-Identifier: GPL-3.0-or-later
// The shared shape of formats whose runs are folders under a root
// (TensorBoard logdirs, Lightning CSV logs, DVCLive, and the W&B, Sacred and
// Guild folders to come). A format says which folders are runs and what one
// run folder holds; this class turns that one read into the run table, a
// run's details and its series, so the three cannot disagree about a run's
// experiment, status or times.
//
// Threading: as StoreReader; reads are serialised.
#pragma once

#include "run_details.h"
#include "change_watch.h"
#include "store_reader.h"

#include <QDir>
#include <QHash>

#include <mutex>
#include <vector>

namespace runlens {

class FolderOfRunsReader : public StoreReader {
public:
    QString location() const final { return root_.absolutePath(); }
    Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) final;
    Result<RunDetails> loadDetails(const QString& runId) final;
    Result<MetricSeries> loadSeries(const QString& runId, const QString& key) final;
    // What readRun() lists in RunFolder::artifacts; media inside a log
    // (ArtifactItem::offset) are read by readEmbedded().
    Result<RunArtifacts> loadArtifacts(const QString& runId) final;
    Result<QByteArray> loadArtifactBytes(const QString& root, const ArtifactItem& item, int64_t limit) final;
    QString changeStamp() const final;

    // Everything a format reads from one run's folder.
    struct RunFolder {
        RunStatus status = RunStatus::Finished;
        int64_t startMs = -1;
        int64_t endMs = -1; // -1 while running
        std::vector<ParamValue> params; // one per key, typed as the format read them
        QHash<QString, MetricSeries> series;
        KeyValues environment; // shown with the run's details
        QStringList problems;  // what could not be read; the rest was
        // What formats that record them say (W&B, Sacred, Guild); empty:
        // the folder's own (its path as the name, its parent as the experiment).
        QString name, experiment, notes, host;
        KeyValues tags;
        GitRecord git;
        RunArtifacts artifacts; // files and media the format knows of, under the run's folder
        QStringList alsoWatch;  // other folders the run is read from (a neptune run's forked processes')
    };

protected:
    explicit FolderOfRunsReader(QDir root);

    // The run folders under the root, sorted.
    virtual QStringList runFolders() const = 0;
    // Called from several threads at once by loadRuns(): it must only read.
    virtual RunFolder readRun(const QString& folder) const = 0;
    // The bytes of media inside a log file of the run (offset >= 0); the
    // file is `item.file` under `root`, already checked to stay inside it.
    virtual Result<QByteArray> readEmbedded(const QString& file, const ArtifactItem& item, int64_t limit) const;

    // Not from readRun(): a QDir updates its cached file information even
    // when const, so threads reading runs must not share one.
    const QDir& root() const { return root_; }
    // The root's absolute, cleaned path: what readRun() compares folders against.
    const QString& rootPath() const { return rootPath_; }

    // A run's id (and its name when the format gives none): its folder
    // relative to the root ("version_0", "lr0.1/run_2"); a format whose runs
    // are files (Comet's archives) or carry their own id may say otherwise.
    virtual QString runIdOf(const QString& folder) const;

private:
    // A run's experiment: the folder holding it (the root's name for a run at the root).
    QString experimentOf(const QString& folder) const;
    Result<QString> folderOf(const QString& runId) const;

    QDir root_;
    QString rootPath_;
    mutable std::mutex mutex_;
    ChangeWatch watch_; // from the last loadRuns
    QHash<QString, QString> folders_; // run id -> folder, from the last loadRuns
    // Run id -> what readRun listed, from the last loadRuns: listing again
    // would decode every event file again (references only, no bytes).
    QHash<QString, RunArtifacts> artifacts_;
};

} // namespace runlens
