// SPDX-License-Identifier: GPL-3.0-or-later
// Another tool's store with the notebook's edits laid over it: what the
// inner reader loads, then each edited name, note, hypothesis and tag from
// the store's AnnotationOverlay. openStore() wraps every store that is not
// ours in one, so the views, the CLI, reports and imports all see the edits,
// and the other tool's files are never written.
#pragma once

#include "annotation_overlay.h"
#include "store_reader.h"

#include <QSet>

#include <memory>
#include <mutex>
#include <optional>

namespace runlens {

class AnnotatedStoreReader : public StoreReader {
public:
    explicit AnnotatedStoreReader(std::unique_ptr<StoreReader> inner);

    QString kind() const override { return inner_->kind(); }
    QString location() const override { return inner_->location(); }
    Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) override;
    Result<RunDetails> loadDetails(const QString& runId) override;
    Result<MetricSeries> loadSeries(const QString& runId, const QString& key) override
    {
        return inner_->loadSeries(runId, key);
    }
    // Another Runlens editing the overlay is a change too.
    Result<ModelRegistry> loadModelRegistry() override { return inner_->loadModelRegistry(); }
    Result<RunArtifacts> loadArtifacts(const QString& runId) override { return inner_->loadArtifacts(runId); }
    Result<QByteArray> loadArtifactBytes(const QString& root, const ArtifactItem& item, int64_t limit) override
    {
        return inner_->loadArtifactBytes(root, item, limit);
    }
    QString changeStamp() const override;
    // Not over the notebook's edits: a run renamed or tagged here would be
    // judged by what the inner store holds and left out.
    bool narrowTo(const RunQuery& query) override
    {
        return AnnotationOverlay::find(kind(), location(), {}).edits().empty() && inner_->narrowTo(query);
    }
    std::unique_ptr<QObject> listenForChanges(std::function<void()> changed) override
    {
        return inner_->listenForChanges(std::move(changed));
    }

    // The store's overlay: the one the last load found, else looked up now
    // (by the store's runs, read if no load has happened yet).
    AnnotationOverlay overlay() const;
    const StoreReader& inner() const { return *inner_; }

private:
    std::unique_ptr<StoreReader> inner_;
    mutable std::mutex mutex_;
    QSet<QString> runIds_;   // as of the last loadRuns
    // Found by the last load: live refresh stamps it every second, and finding
    // a moved store's overlay opens every overlay file.
    std::optional<AnnotationOverlay> found_;
};

} // namespace runlens
