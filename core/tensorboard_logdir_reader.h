// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a TensorBoard logdir as it is, read-only: every folder holding event
// files is a run (its files merged in name order, i.e. time order); scalar
// tags become metrics; hparams come from the hparams plugin or a sibling
// hparams.yaml (Lightning). Records with a bad checksum are skipped and
// counted; a half-written last record (a live writer) is tolerated.
#pragma once

#include "store_reader.h"
#include "tensorboard_events.h"

#include <QDir>
#include <QHash>

#include <mutex>

namespace runlens {

class TensorboardLogdirReader final : public StoreReader {
public:
    static Result<std::unique_ptr<TensorboardLogdirReader>> open(const QString& path);
    // True when event files sit in `dir` or a few levels below it.
    static bool looksLikeLogdir(const QString& dir);

    QString kind() const override { return QStringLiteral("tensorboard"); }
    QString location() const override { return root_.absolutePath(); }

    Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) override;
    Result<RunDetails> loadDetails(const QString& runId) override;
    Result<MetricSeries> loadSeries(const QString& runId, const QString& key) override;

private:
    explicit TensorboardLogdirReader(QDir root);
    QStringList runFolders() const;
    QStringList eventFiles(const QString& folder) const;
    DecodedEvents decodeRun(const QString& folder) const;
    QHash<QString, QVariant> hparams(const QString& folder, const DecodedEvents& events) const;

    QDir root_;
    std::mutex mutex_;
    QHash<QString, QString> folders_;   // run id -> folder
};

} // namespace runlens
