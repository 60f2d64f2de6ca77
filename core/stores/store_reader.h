// SPDX-License-Identifier: GPL-3.0-or-later
// What every store format offers the rest of Runlens: runs as a RunTable,
// one run's details, and metric series on demand. Readers never write to
// what they read.
//
// Threading: a reader may be called from any thread; implementations
// serialise access to their connection or files.
#pragma once

#include "artifact_item.h"
#include "change_watch.h"
#include "metric_series.h"
#include "result.h"
#include "runlens/model_registry.h"
#include "run_details.h"
#include "run_table.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace runlens {

class RunQuery;

// Progress in [0, 1]; return false from the callback to cancel.
using ProgressCallback = std::function<bool(double fraction)>;

struct LoadedRuns {
    std::shared_ptr<const RunTable> table;
    QStringList problems; // parts that could not be read; the rest loaded
    QStringList notes;    // what the store holds besides runs (a model registry, deleted runs left out)
    // changeStamp() as of what this load read, when the reader can tell it in
    // the load's own snapshot (a server store); empty: ask changeStamp() after.
    QString stamp;
};

class StoreReader {
public:
    virtual ~StoreReader() = default;

    virtual QString kind() const = 0; // "runlens", "mlflow-file", ...
    virtual QString location() const = 0; // the path that was opened

    virtual Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) = 0;
    virtual Result<RunDetails> loadDetails(const QString& runId) = 0;
    virtual Result<MetricSeries> loadSeries(const QString& runId, const QString& key) = 0;
    // The models registered from the store's runs (runlens/model_registry.h):
    // ours, and MLflow's registry tables; empty for a store that keeps none.
    virtual Result<ModelRegistry> loadModelRegistry() { return ModelRegistry{}; }
    // What the run produced besides numbers (artifact_item.h): the files of
    // its artifact folder, and the media a Runlens store keeps. By default
    // the artifacts loadDetails() lists, under the folder their URIs share.
    virtual Result<RunArtifacts> loadArtifacts(const QString& runId);
    // The bytes of one of them (`root`: its RunArtifacts'), when at most
    // `limit` long; a file is read only inside root (artifact_files.h).
    virtual Result<QByteArray> loadArtifactBytes(const QString& root, const ArtifactItem& item, int64_t limit);

    // Changes whenever what loadRuns() read changed (live refresh compares
    // it). A file store: the file and its -wal; folder stores say more.
    virtual QString changeStamp() const
    {
        return ChangeWatch::stampOf({location(), location() + QStringLiteral("-wal")});
    }
    // Tells of changes as they are made, where the store can (a team store
    // hears each push): `changed` is then called on the calling thread's
    // event loop, and the window reads the store at once rather than at its
    // next poll, which goes on beside. Null (the default): polling alone.
    // Listening stops when the object goes.
    // The next loads may leave out the runs `query` cannot select, where the
    // store can tell them apart before reading them (a team store, in its
    // server): a command that selects a few runs of 100,000 reads those few.
    // The query is still evaluated on what loads, which is a superset, so
    // the answer is the same; the table then holds the columns of every run
    // but the rows of those only. False (the default): every run loads.
    virtual bool narrowTo(const RunQuery& query)
    {
        Q_UNUSED(query);
        return false;
    }
    virtual std::unique_ptr<QObject> listenForChanges(std::function<void()> changed)
    {
        Q_UNUSED(changed);
        return nullptr;
    }
};

} // namespace runlens
