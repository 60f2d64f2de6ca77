// SPDX-License-Identifier: GPL-3.0-or-later
// The stores open in one window, side by side, and everything loaded from
// them: the merged run table and metric series prepared for plotting.
//
// Threading: a Workspace lives on the GUI thread. Opening, refreshing and
// series loading run on its own thread pool; results come back as queued
// signals. Each load carries a generation number and results of a load that
// was cancelled or superseded are dropped. The destructor cancels and waits.
#pragma once

#include "lru_byte_cache.h"
#include "plot_series.h"
#include "promotion_rules.h"
#include "run_edit.h"
#include "run_query.h"
#include "run_table.h"
#include "store_entries.h"
#include "series_smoothing.h"
#include "store_registry.h"

#include <QDateTime>
#include <QCoreApplication>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace runlens {

class SeriesCache;

struct SeriesKey {
    int store = 0;
    QString runId;
    QString metric;
    XAxis axis = XAxis::Step;
    QString xMetric;                         // with XAxis::Metric: the metric giving x
    Smoothing smoothing = Smoothing::None;   // computed on the loading thread
    double smoothingParam = 0;               // EMA weight, or running-mean window
    QString text() const;
    SeriesKey unsmoothed() const;
};

class Workspace : public QObject {
    Q_OBJECT

public:
    struct Store {
        QString path;
        QString kind;
        std::shared_ptr<StoreReader> reader;
        // Hears the store change as it is written, where it can (a team
        // store's pushes): it is then looked at at once, not at the next poll.
        std::shared_ptr<QObject> listener;
        std::shared_ptr<const RunTable> table;
        QStringList problems;
        QStringList notes;   // a model registry, deleted runs left out
        QString stamp;   // file sizes and times, to notice writes
        qint64 loadedAtMs = 0;   // when `table` was read
        std::shared_ptr<SeriesCache> cache;
        QHash<QString, QString> baselines;   // experiment -> run id
        std::vector<StoreEntry> savedQueries;   // by name
        std::vector<StoreEntry> promotionRules;   // by experiment
        std::vector<StoreEntry> derivedMetrics;   // by name
        std::vector<StoreEntry> savedViews;   // by name, the value saved_view.h's JSON
        std::shared_ptr<const ModelRegistry> registry;   // never null; empty for a store keeping none
        std::vector<RunEdit> pendingEdits;   // made, not yet kept: details show them
    };

    explicit Workspace(QObject* parent = nullptr);
    ~Workspace() override;

    // Opens stores in the background; already open paths are skipped.
    void open(const QStringList& paths);
    // "Open the app, then start training": a store path that does not exist
    // yet is watched (at the live interval) and opened once it appears,
    // instead of failing. Off by default (the CLI wants the error).
    void setWaitForMissingStores(bool wait) { waitForMissing_ = wait; }
    QStringList waitingFor() const { return waiting_; }
    void close(int store);
    // Reloads every store whose files changed (live runs); `force` reloads all.
    void refresh(bool force = false);
    // Also read what another tool deleted but kept (MLflow's deleted runs,
    // .trash); reopens the stores open now. Off by default.
    void setIncludeDeleted(bool include);
    bool includeDeleted() const { return includeDeleted_; }
    // Stops what is loading; what was loaded stays.
    void cancel();
    bool isLoading() const { return loading_ > 0; }
    // Polls the stores for writes every `ms` milliseconds (0 turns it off).
    void setLiveInterval(int ms);
    // Also hears the stores that tell of their changes (a team store's
    // pushes, StoreReader::listenForChanges) and reads them at once: for a
    // window; a one-off load (the CLI's report) opens no listener. Off by default.
    void setListening(bool listen);

    int storeCount() const { return int(stores_.size()); }
    const Store& store(int i) const { return stores_[size_t(i)]; }
    std::shared_ptr<const RunTable> runs() const { return merged_; }

    // The baseline run of a row's experiment in its store: its row, or -1.
    int baselineRowFor(int row) const;
    // baselineRowFor for every row of the merged table, in one pass.
    std::vector<int> baselineRows() const;
    // Marks `row` as its experiment's baseline (clear: false removes it).
    // Shown at once; kept in the store (or the settings) off the GUI thread:
    // baselineSaving says while, baselineFailed when it could not be kept.
    Result<bool> setBaseline(int row, bool mark = true);

    // Keeps `query` as `name` with the store (an empty query removes it),
    // listed at once; written off the GUI thread, savedQueriesChanged after
    // (and editFailed when it could not be kept).
    void saveQuery(int store, const QString& name, const QString& query);
    // The same for a saved view (saved_view.h; an empty value removes it): savedViewsChanged after.
    void saveView(int store, const QString& name, const QString& viewJson);

    // The promotion rule of an experiment of a store (empty: none), kept the
    // same way (promotionRulesChanged after); the runs that meet it are
    // flagged by checkRules().
    QString promotionRule(int store, const QString& experiment) const;
    void setPromotionRule(int store, const QString& experiment, const QString& rule);
    // The promotion rule of a row's experiment in its store.
    QString promotionRuleFor(int row) const;
    // Keeps a derived metric (derived_metrics.h) with a store (an empty
    // expression removes it): a metric column of the merged table at once,
    // kept the same way (derivedMetricsChanged after). The table takes the
    // definitions of every open store, the first store's where names meet.
    void setDerivedMetric(int store, const QString& name, const QString& expression);
    // Why definitions were left out of the table (bad syntax, unknown keys,
    // a logged metric of the same name).
    const QStringList& derivedMetricProblems() const { return derivedProblems_; }

    // What a query of the merged table sees beyond it: each row's baseline.
    QueryContext queryContext() const;
    // Every row of the merged table against its experiment's rule.
    RuleCheck checkRules() const;

    // The lab notebook's edits (rename, notes, tags, star, trash), shown at
    // once in every view and kept off the GUI thread, one after another in
    // the order made (an undo never overtakes its edit): in our store with
    // its history, or in the overlay beside another tool's store. editSaving
    // says while; editFailed, after the view went back to what is kept.
    void applyEdit(const RunEdit& edit);
    // Our stores: deletes their trashed runs for good (then reloads them);
    // emptyTrashDone or editFailed follow.
    void emptyTrash(bool vacuum);
    // Our stores' model registry (runlens/model_registry.h): applies
    // `changes` to store `store` off the GUI thread, after the edits made
    // before, then reads the store again (its registry, and the candidate
    // mark of a run registered); registryChanged(store, version registered
    // or 0) or editFailed follow. Another tool's registry is never written.
    void changeRegistry(int store, std::vector<RegistryChange> changes);
    // Whether changeRegistry can write store `store`'s registry.
    bool keepsRegistry(int store) const;
    // Waits for the edits made so far to be kept (headless use, tests).
    void waitForEdits();

    // Everything about a run of the merged table (fast: one run's rows).
    Result<RunDetails> details(int row) const;

    // Loads series in the background; seriesReady(ticket) follows, after
    // which cachedSeries() has each one that loaded (failures: seriesFailed).
    void requestSeries(const std::vector<SeriesKey>& keys, quint64 ticket);
    std::shared_ptr<const PlotSeries> cachedSeries(const SeriesKey& key) const;
    // Synchronous form for headless rendering and tests.
    std::shared_ptr<const PlotSeries> loadSeriesNow(const SeriesKey& key);
    // The prepared series' memory: its budget (2 GiB unless set) and use.
    void setPlotCacheBudget(size_t bytes);
    size_t plotCacheBytes() const;
    // Blocks until nothing is loading (headless use).
    void waitForIdle();
    // Opens `paths` and waits for them (headless use): empty when every store
    // opened, else why one did not.
    QString openAndWait(const QStringList& paths);

signals:
    void loadingChanged(bool loading);
    void progress(double fraction, const QString& what);
    void runsChanged();
    void storeFailed(const QString& path, const QString& message);
    // An open store could not be read again (a team store's server went
    // away): its runs stay as last read, its problems say why, and it is
    // read again once its change stamp moves (the server back, a push).
    void storeRefreshFailed(int store, const QString& message);
    // A path watched until a store appears there (setWaitForMissingStores).
    void storeAwaited(const QString& path);
    void seriesReady(quint64 ticket);
    void seriesFailed(const QString& key, const QString& message);
    void baselineSaving(bool saving);
    void baselineFailed(const QString& message);
    void editSaving(bool saving);
    void editFailed(const QString& message);
    void emptyTrashDone(int deleted);
    void registryChanged(int store, qint64 registeredVersion);
    void savedQueriesChanged();
    void promotionRulesChanged();
    void derivedMetricsChanged();
    void savedViewsChanged();

private:
    // A store of ours with runs that look alive, not read for a while (workspace.cpp says why).
    bool livenessDue(const Store& store) const;
    // Reads the store's change stamp off the GUI thread, and the store again
    // when it moved (or its live runs are due a look).
    void checkStore(int store);
    // The store's change listener (StoreReader::listenForChanges), calling checkStore.
    std::shared_ptr<QObject> listenTo(StoreReader& reader, const QString& path);
    // reopen: a new reader even for a store already open.
    void startLoad(const QString& path, int storeIndex, bool reopen = false);
    void finishLoad(const QString& path, std::shared_ptr<StoreReader> reader, Result<LoadedRuns> runs,
                    std::shared_ptr<const ModelRegistry> registry, QString stamp,
                    quint64 generation);
    void rebuildMerged();
    // A write of the store at `path` off the GUI thread, after the edits
    // before it (editSaving says while); then the store is read again and
    // `done` called with what `write` gave (editFailed, if it failed).
    void writeThenReload(const QString& path, std::function<Result<qint64>()> write,
                         std::function<void(int store, qint64 value)> done);
    // baselineRows() of a merged table being built (derived metrics read baseline.X).
    std::vector<int> baselineRowsIn(const RunTable& merged) const;
    // After a baseline changed: the table again (derived metrics read baselines), or just the news.
    void baselinesChanged();
    void dropDerivedCurves();
    std::shared_ptr<SeriesCache> cacheFor(const SeriesKey& key) const;
    // Runs on pool threads: touches only the cache it is given and plotCache_.
    // The merged table when a series was asked for, and its baselines: a
    // derived metric's curve is computed from them on a loading thread.
    struct Snapshot {
        std::shared_ptr<const RunTable> table;
        std::shared_ptr<const QueryContext> context;
        quint64 epoch = 0;   // curveEpoch_ then: a result from before a definition changed is not cached
    };
    std::shared_ptr<const PlotSeries> buildSeries(const SeriesKey& key, const std::shared_ptr<SeriesCache>& cache,
                                                  const Snapshot& snapshot, QString* error);
    void setLoading(int delta);
    // Shown at once, kept off the GUI thread: saved queries and rules alike.
    void keepEntry(int store, StoreEntryKind kind, const QString& name, const QString& value);

    std::vector<Store> stores_;
    std::shared_ptr<const RunTable> merged_;
    QStringList derivedProblems_;
    std::shared_ptr<const QueryContext> derivedContext_;
    std::atomic<quint64> curveEpoch_{0};   // the merged table's baselines, when derived metrics need them
    QThreadPool pool_;
    std::atomic<quint64> generation_{0};
    int loading_ = 0;
    bool includeDeleted_ = false;
    bool waitForMissing_ = false;
    QStringList waiting_; // paths to open once they exist
    QStringList pending_;   // paths being opened
    QSet<int> refreshing_;
    int baselineWrites_ = 0;
    int editWrites_ = 0;
    // One thread: edits are kept in the order they were made.
    QThreadPool editPool_;
    QSet<QString> checking_; // stores whose change stamp is being taken
    QSet<QString> recheck_;  // told of a change while being checked or read: looked at again after
    bool listening_ = false;
    QTimer liveTimer_;

    // Prepared series kept for replotting (raw and smoothed), within a budget.
    mutable LruByteCache<PlotSeries> plotCache_;
};

} // namespace runlens
