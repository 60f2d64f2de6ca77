// SPDX-License-Identifier: GPL-3.0-or-later
#include "workspace.h"

#include "run_edit_writer.h"
#include "store_run_editor.h"

#include "baselines.h"
#include "derived_metrics.h"
#include "metric_expression.h"
#include "natural_compare.h"
#include "series_cache.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSet>

#include <map>

namespace runlens {

namespace {
constexpr size_t kPlotCacheBytes = size_t(2) << 30;   // prepared series kept for replotting

std::vector<StoreEntry>& entriesOf(Workspace::Store& s, StoreEntryKind kind)
{
    switch (kind) {
    case StoreEntryKind::SavedQuery:
        return s.savedQueries;
    case StoreEntryKind::PromotionRule:
        return s.promotionRules;
    case StoreEntryKind::SavedView:
        return s.savedViews;
    case StoreEntryKind::DerivedMetric:
        break;
    }
    return s.derivedMetrics;
}

}

QString SeriesKey::text() const
{
    return QString::number(store) + QLatin1Char('\n') + runId + QLatin1Char('\n') + metric + QLatin1Char('\n')
        + QString::number(int(axis)) + QLatin1Char(':') + xMetric + QLatin1Char('\n')
        + QString::number(int(smoothing)) + QLatin1Char(':')
        + QString::number(smoothingParam);
}

SeriesKey SeriesKey::unsmoothed() const
{
    SeriesKey k = *this;
    k.smoothing = Smoothing::None;
    k.smoothingParam = 0;
    return k;
}

Workspace::Workspace(QObject* parent) : QObject(parent), plotCache_(kPlotCacheBytes)
{
    pool_.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
    editPool_.setMaxThreadCount(1);
    merged_ = std::make_shared<const RunTable>();
    connect(&liveTimer_, &QTimer::timeout, this, [this] { refresh(false); });
}

Workspace::~Workspace()
{
    cancel();
    editPool_.waitForDone();   // an edit made is an edit kept
    pool_.waitForDone();
}

void Workspace::setLiveInterval(int ms)
{
    if (ms <= 0)
        liveTimer_.stop();
    else
        liveTimer_.start(ms);
}

void Workspace::setLoading(int delta)
{
    const bool was = loading_ > 0;
    loading_ += delta;
    if (was != (loading_ > 0))
        emit loadingChanged(loading_ > 0);
}

void Workspace::open(const QStringList& paths)
{
    for (const auto& raw : paths) {
        const QString path = storeKey(raw);
        const bool known = pending_.contains(path)
            || std::any_of(stores_.begin(), stores_.end(), [&](const Store& s) { return s.path == path; });
        if (known || waiting_.contains(path))
            continue;
        if (waitForMissing_ && path == QFileInfo(raw).absoluteFilePath() && !QFileInfo::exists(path)) {
            waiting_.append(path);
            emit storeAwaited(path);
            continue;
        }
        pending_.append(path);
        startLoad(path, -1);
    }
}

void Workspace::startLoad(const QString& path, int storeIndex, bool reopen)
{
    const quint64 generation = generation_.load();
    std::shared_ptr<StoreReader> reader = storeIndex >= 0 && !reopen ? stores_[size_t(storeIndex)].reader : nullptr;
    setLoading(+1);
    pool_.start([this, path, reader, generation]() mutable {
        if (!reader) {
            auto opened = openStore(path, {}, includeDeleted_);
            if (!opened) {
                QMetaObject::invokeMethod(this, [this, path, error = opened.error(), generation] {
                    finishLoad(path, nullptr, Failure{error}, nullptr, {}, generation);
                }, Qt::QueuedConnection);
                return;
            }
            reader = std::shared_ptr<StoreReader>(std::move(*opened));
        }
        const QString name = storeDisplayName(path);
        auto runs = reader->loadRuns([this, generation, name](double f) {
            QMetaObject::invokeMethod(this, [this, f, name] { emit progress(f, name); }, Qt::QueuedConnection);
            return generation_.load() == generation;
        });
        // The models registered from these runs: a registry that cannot be
        // read is a problem of the store, and its runs still show.
        auto registry = std::make_shared<ModelRegistry>();
        if (runs) {
            if (auto read = reader->loadModelRegistry())
                *registry = std::move(*read);
            else
                runs->problems << QStringLiteral("model registry: %1").arg(read.error());
        }
        // After the load: a folder store watches what this load found.
        const QString stamp = runs && !runs->stamp.isEmpty() ? runs->stamp : reader->changeStamp();
        QMetaObject::invokeMethod(this, [this, path, reader, runs = std::move(runs), registry, stamp, generation]() mutable {
            finishLoad(path, reader, std::move(runs), std::move(registry), stamp, generation);
        }, Qt::QueuedConnection);
    });
}

std::shared_ptr<QObject> Workspace::listenTo(StoreReader& reader, const QString& path)
{
    if (!listening_)
        return nullptr;
    return reader.listenForChanges([this, path] {
        const auto it = std::find_if(stores_.begin(), stores_.end(), [&](const Store& s) { return s.path == path; });
        if (it != stores_.end())
            checkStore(int(it - stores_.begin()));
    });
}

void Workspace::finishLoad(const QString& path, std::shared_ptr<StoreReader> reader, Result<LoadedRuns> runs,
                           std::shared_ptr<const ModelRegistry> registry,
                           QString stamp, quint64 generation)
{
    setLoading(-1);
    pending_.removeAll(path);
    auto it = std::find_if(stores_.begin(), stores_.end(), [&](const Store& s) { return s.path == path; });
    if (it != stores_.end())
        refreshing_.remove(int(it - stores_.begin()));
    if (generation != generation_.load())
        return;   // cancelled or superseded
    if (!runs) {
        if (it != stores_.end() && reader == it->reader) {
            // Not a modal "cannot open" each live tick: the runs stay, the
            // store says why, and the stamp read now waits for the next move.
            it->stamp = stamp;
            it->problems = QStringList{QStringLiteral("not refreshed: %1").arg(runs.error())};
            emit storeRefreshFailed(int(it - stores_.begin()), runs.error());
            rebuildMerged();
            return;
        }
        emit storeFailed(path, runs.error());
        return;
    }
    if (it == stores_.end()) {
        Store s;
        s.path = path;
        s.kind = reader->kind();
        s.reader = reader;
        s.cache = std::make_shared<SeriesCache>(*reader);
        stores_.push_back(std::move(s));
        it = stores_.end() - 1;
        it->listener = listenTo(*reader, path);
    } else if (reader != it->reader) {
        // Opened again (another choice of what to read): nothing cached from
        // the old reader holds.
        it->reader = reader;
        it->cache = std::make_shared<SeriesCache>(*reader);
        it->listener = listenTo(*reader, path);
        plotCache_.clear();
    } else {
        // Live runs grew: forget their series so they load again.
        for (int r = 0; r < it->table->rowCount(); ++r)
            if (it->table->status(r) == RunStatus::Running) {
                it->cache->invalidate(it->table->id(r));
                const QString prefix = QString::number(int(it - stores_.begin())) + QLatin1Char('\n')
                    + it->table->id(r) + QLatin1Char('\n');
                plotCache_.removeIf([&](const QString& k) { return k.startsWith(prefix); });
            }
    }
    it->table = runs->table;
    it->baselines = readBaselines(*it->reader);
    it->savedQueries = readSavedQueries(*it->reader);
    it->promotionRules = readPromotionRules(*it->reader);
    auto derived = readDerivedMetrics(*it->reader);
    if (derived != it->derivedMetrics) {   // changed from outside (runlens derive): old curves are stale
        dropDerivedCurves();
        it->derivedMetrics = std::move(derived);
    }
    it->savedViews = readStoreEntries(*it->reader, StoreEntryKind::SavedView);
    it->registry = std::move(registry);
    it->problems = runs->problems;
    it->notes = runs->notes;
    it->stamp = stamp;
    it->loadedAtMs = QDateTime::currentMSecsSinceEpoch();
    rebuildMerged();
    // Told of a change while this read ran: it may be from before it.
    if (recheck_.remove(path))
        checkStore(int(it - stores_.begin()));
}

void Workspace::rebuildMerged()
{
    std::vector<std::shared_ptr<const RunTable>> tables;
    for (const auto& s : stores_)
        tables.push_back(s.table);
    RunTable merged = RunTable::merge(tables);
    // Derived metrics over the merged runs: one definition serves every store
    // shown beside the one that keeps it, and baseline.X reads each run's own.
    std::vector<DerivedMetric> definitions;
    for (const auto& st : stores_)
        for (const auto& e : st.derivedMetrics)
            if (std::none_of(definitions.begin(), definitions.end(), [&](const DerivedMetric& d) { return d.name == e.name; }))
                definitions.push_back({e.name, e.value});
    derivedProblems_.clear();
    derivedContext_.reset();
    if (!definitions.empty()) {
        auto context = std::make_shared<QueryContext>();
        context->baselineRows = baselineRowsIn(merged);
        derivedProblems_ = addDerivedMetrics(merged, definitions, context.get());
        derivedContext_ = std::move(context);   // the curves' baseline.X, on the loading threads
    }
    merged_ = std::make_shared<const RunTable>(std::move(merged));
    emit runsChanged();
}

void Workspace::close(int store)
{
    if (store < 0 || store >= storeCount())
        return;
    ++generation_;   // loads in flight refer to old indices
    stores_.erase(stores_.begin() + store);
    plotCache_.clear();
    rebuildMerged();
}

void Workspace::refresh(bool force)
{
    // A store the user opened before training started it: open it once it is there.
    const QStringList waiting = waiting_;
    for (const QString& path : waiting)
        if (QFileInfo::exists(path)) {
            waiting_.removeAll(path);
            open({path});
        }
    for (int i = 0; i < storeCount(); ++i) {
        if (refreshing_.contains(i) || checking_.contains(stores_[size_t(i)].path))
            continue;
        if (force) {
            refreshing_.insert(i);
            startLoad(stores_[size_t(i)].path, i);
            continue;
        }
        checkStore(i);
    }
}

void Workspace::setListening(bool listen)
{
    if (listen == listening_)
        return;
    listening_ = listen;
    for (Store& s : stores_)
        s.listener = listen ? listenTo(*s.reader, s.path) : nullptr;
}

void Workspace::checkStore(int i)
{
    if (refreshing_.contains(i) || checking_.contains(stores_[size_t(i)].path)) {
        // What is being read may be from before the change: look again after.
        recheck_.insert(stores_[size_t(i)].path);
        return;
    }
    // Stamping a folder store stats thousands of paths: off the GUI thread.
    const QString path = stores_[size_t(i)].path;
    checking_.insert(path);
    pool_.start([this, path, reader = stores_[size_t(i)].reader] {
        QString stamp = reader->changeStamp();
        QMetaObject::invokeMethod(this, [this, path, stamp = std::move(stamp)] {
            checking_.remove(path);
            const auto it = std::find_if(stores_.begin(), stores_.end(), [&](const Store& s) { return s.path == path; });
            const int index = int(it - stores_.begin());
            if (it == stores_.end() || refreshing_.contains(index))
                return;
            if (it->stamp == stamp && !livenessDue(*it)) {
                if (recheck_.remove(path))
                    checkStore(index);
                return;
            }
            recheck_.remove(path); // this read comes after the change
            refreshing_.insert(index);
            startLoad(path, index);
        }, Qt::QueuedConnection);
    });
}

bool Workspace::livenessDue(const Store& store) const
{
    // A run that dies writes nothing more: whether it is still running is
    // worked out when the store is read (its heartbeat, its process), so a
    // store of ours whose runs look alive is read again now and then even
    // when its files did not change, or the last run to crash would show
    // "running" for good (and the watch would never hear of it). Other
    // tools' stores carry no heartbeat to judge.
    // Every five live intervals (5 s at the app's 1 s): a crash shows within
    // seconds, and a store nobody writes is not read over and over.
    const qint64 every = 5 * qint64(std::max(liveTimer_.interval(), 200));
    if ((store.kind != QLatin1String("runlens") && store.kind != QLatin1String("runlens-team")) || !store.table
        || QDateTime::currentMSecsSinceEpoch() - store.loadedAtMs < every)
        return false;
    for (int r = 0; r < store.table->rowCount(); ++r)
        if (store.table->status(r) == RunStatus::Running)
            return true;
    return false;
}

void Workspace::setIncludeDeleted(bool include)
{
    if (include == includeDeleted_)
        return;
    includeDeleted_ = include;
    // Whatever is loading was opened with the other choice: drop it, and
    // open every store, open or opening, again.
    ++generation_;
    refreshing_.clear();
    for (int i = 0; i < storeCount(); ++i) {
        refreshing_.insert(i);
        startLoad(stores_[size_t(i)].path, i, true);
    }
    for (const QString& path : QStringList(pending_))
        startLoad(path, -1);
}

void Workspace::cancel()
{
    ++generation_;
}

int Workspace::baselineRowFor(int row) const
{
    if (row < 0 || row >= merged_->rowCount())
        return -1;
    return baselineRows()[size_t(row)];
}

std::vector<int> Workspace::baselineRows() const
{
    return baselineRowsIn(*merged_);
}

std::vector<int> Workspace::baselineRowsIn(const RunTable& merged) const
{
    return baselineRowsOf(merged, [this](int store, const QString& experiment) {
        return store < storeCount() ? stores_[size_t(store)].baselines.value(experiment) : QString();
    });
}

void Workspace::baselinesChanged()
{
    // A derived metric may read baseline.X: its column and curves follow the new baseline.
    const bool derived = std::any_of(stores_.begin(), stores_.end(), [](const Store& st) { return !st.derivedMetrics.empty(); });
    if (!derived) {
        emit runsChanged();
        return;
    }
    dropDerivedCurves();
    rebuildMerged();
}

void Workspace::dropDerivedCurves()
{
    // Curves computed from an old definition or baseline: gone, and a load
    // still computing one from them does not put it back when it finishes.
    // (Not generation_: that would cancel the stores' loads too.)
    ++curveEpoch_;
    plotCache_.clear();
}

Result<bool> Workspace::setBaseline(int row, bool mark)
{
    if (row < 0 || row >= merged_->rowCount())
        return Failure{QStringLiteral("no such run")};
    Store& store = stores_[size_t(merged_->storeIndex(row))];
    const QString experiment = merged_->experiment(row);
    const QString id = merged_->id(row);
    // Shown at once; written on a pool thread: a logger writing the same
    // store holds its lock for a moment, and waiting for it on the GUI
    // thread froze the window for up to the busy timeout.
    const QString before = store.baselines.value(experiment);
    if (mark)
        store.baselines.insert(experiment, id);
    else
        store.baselines.remove(experiment);
    baselinesChanged();
    ++baselineWrites_;
    emit baselineSaving(true);
    pool_.start([this, reader = store.reader, path = store.path, experiment, id = mark ? id : QString(), before] {
        auto done = writeBaseline(*reader, experiment, id);
        QString stamp = reader->changeStamp();
        QMetaObject::invokeMethod(this, [this, done = std::move(done), stamp = std::move(stamp), path, experiment, before] {
            --baselineWrites_;
            emit baselineSaving(baselineWrites_ > 0);
            const auto it = std::find_if(stores_.begin(), stores_.end(), [&](const Store& s) { return s.path == path; });
            if (it == stores_.end())
                return;
            if (!done) {
                // Not kept: the table goes back to what the store says.
                if (before.isEmpty())
                    it->baselines.remove(experiment);
                else
                    it->baselines.insert(experiment, before);
                baselinesChanged();
                emit baselineFailed(done.error());
                return;
            }
            it->stamp = stamp; // our own write is not news from a live run
        }, Qt::QueuedConnection);
    });
    return true;
}

void Workspace::saveQuery(int store, const QString& name, const QString& query)
{
    keepEntry(store, StoreEntryKind::SavedQuery, name, query);
}

void Workspace::saveView(int store, const QString& name, const QString& viewJson)
{
    keepEntry(store, StoreEntryKind::SavedView, name, viewJson);
}

void Workspace::setDerivedMetric(int store, const QString& name, const QString& expression)
{
    keepEntry(store, StoreEntryKind::DerivedMetric, name, expression.trimmed());
}

void Workspace::setPromotionRule(int store, const QString& experiment, const QString& rule)
{
    keepEntry(store, StoreEntryKind::PromotionRule, experiment, rule.trimmed());
}

QString Workspace::promotionRule(int store, const QString& experiment) const
{
    if (store < 0 || store >= storeCount())
        return {};
    for (const auto& e : stores_[size_t(store)].promotionRules)
        if (e.name == experiment)
            return e.value;
    return {};
}

QString Workspace::promotionRuleFor(int row) const
{
    return row < 0 || row >= merged_->rowCount() ? QString()
                                                  : promotionRule(merged_->storeIndex(row), merged_->experiment(row));
}

QueryContext Workspace::queryContext() const
{
    QueryContext context;
    context.baselineRows = baselineRows();
    return context;
}

RuleCheck Workspace::checkRules() const
{
    const bool anyRule
        = std::any_of(stores_.begin(), stores_.end(), [](const Store& s) { return !s.promotionRules.empty(); });
    if (!anyRule)
        return RuleCheck{std::vector<RuleVerdict>(size_t(merged_->rowCount()), RuleVerdict::NoRule), {}};
    return checkPromotionRules(*merged_, queryContext(), [this](int row) { return promotionRuleFor(row); });
}

void Workspace::keepEntry(int store, StoreEntryKind kind, const QString& name, const QString& value)
{
    if (store < 0 || store >= storeCount())
        return;
    Store& s = stores_[size_t(store)];
    auto& entries = entriesOf(s, kind);
    std::erase_if(entries, [&](const StoreEntry& e) { return e.name == name; });
    if (!value.isEmpty()) {
        entries.push_back({name, value});
        std::sort(entries.begin(), entries.end(),
                  [](const StoreEntry& a, const StoreEntry& b) { return naturalCompare(a.name, b.name) < 0; });
    }
    auto changed = [this, kind] {
        switch (kind) {
        case StoreEntryKind::SavedQuery:
            emit savedQueriesChanged();
            break;
        case StoreEntryKind::PromotionRule:
            emit promotionRulesChanged();
            break;
        case StoreEntryKind::SavedView:
            emit savedViewsChanged();
            break;
        case StoreEntryKind::DerivedMetric:
            // A new definition is a new column, and curves drawn from an old one are stale.
            dropDerivedCurves();
            rebuildMerged();
            emit derivedMetricsChanged();
            break;
        }
    };
    changed();
    if (++editWrites_ == 1)   // waitForEdits waits for it too
        emit editSaving(true);
    editPool_.start([this, reader = s.reader, path = s.path, kind, name, value, changed] {
        auto done = writeStoreEntry(*reader, kind, name, value);
        auto kept = readStoreEntries(*reader, kind);
        QString stamp = reader->changeStamp();
        QMetaObject::invokeMethod(this, [this, done = std::move(done), kept = std::move(kept), stamp, path, kind, changed] {
            if (--editWrites_ == 0)
                emit editSaving(false);
            const auto it = std::find_if(stores_.begin(), stores_.end(), [&](const Store& st) { return st.path == path; });
            if (it == stores_.end())
                return;
            entriesOf(*it, kind) = kept;   // what the store says
            if (done)
                it->stamp = stamp;   // our own write is not news from a live run
            changed();
            if (!done)
                emit editFailed(done.error());
        }, Qt::QueuedConnection);
    });
}

void Workspace::applyEdit(const RunEdit& edit)
{
    // The edit's runs, store by store.
    std::map<int, std::vector<RunChange>> byStore;
    for (const RunChange& c : edit.changes()) {
        const int row = merged_->rowOfId(c.runId);
        if (row >= 0)
            byStore[merged_->storeIndex(row)].push_back(c);
    }
    for (auto& [index, changes] : byStore) {
        Store& store = stores_[size_t(index)];
        const RunEdit part(edit.field(), edit.key(), std::move(changes));
        auto edited = std::make_shared<RunTable>(*store.table);
        part.applyTo(*edited);
        edited->sortColumns();
        store.table = std::move(edited);
        store.pendingEdits.push_back(part);
        ++editWrites_;
        if (editWrites_ == 1)
            emit editSaving(true);
        editPool_.start([this, reader = store.reader, path = store.path, part] {
            auto done = writeRunEdit(*reader, part);
            QMetaObject::invokeMethod(this, [this, done = std::move(done), path, part] {
                if (--editWrites_ == 0)
                    emit editSaving(false);
                const auto it = std::find_if(stores_.begin(), stores_.end(), [&](const Store& s) { return s.path == path; });
                if (it != stores_.end() && !it->pendingEdits.empty())
                    it->pendingEdits.erase(it->pendingEdits.begin());   // kept in order: this one
                if (done || it == stores_.end())
                    return;
                // Not kept: the views go back to what the store says.
                auto reverted = std::make_shared<RunTable>(*it->table);
                part.inverse().applyTo(*reverted);
                reverted->sortColumns();
                it->table = std::move(reverted);
                rebuildMerged();
                emit editFailed(done.error());
            }, Qt::QueuedConnection);
        });
    }
    if (!byStore.empty())
        rebuildMerged();
}

void Workspace::writeThenReload(const QString& path, std::function<Result<qint64>()> write,
                                std::function<void(int store, qint64 value)> done)
{
    ++editWrites_;
    if (editWrites_ == 1)
        emit editSaving(true);
    editPool_.start([this, path, write = std::move(write), done = std::move(done)] {
        auto result = write();
        QMetaObject::invokeMethod(this, [this, result = std::move(result), path, done] {
            if (--editWrites_ == 0)
                emit editSaving(false);
            if (!result) {
                emit editFailed(result.error());
                return;
            }
            const auto it = std::find_if(stores_.begin(), stores_.end(), [&](const Store& s) { return s.path == path; });
            if (it == stores_.end())
                return;
            const int index = int(it - stores_.begin());
            startLoad(path, index);
            done(index, *result);
        }, Qt::QueuedConnection);
    });
}

void Workspace::emptyTrash(bool vacuum)
{
    for (const Store& store : stores_) {
        if (!keepsEditsInStore(*store.reader))
            continue;
        writeThenReload(
            store.path,
            [reader = store.reader, vacuum]() -> Result<qint64> {
                auto deleted = runlens::emptyTrash(*reader, vacuum);
                if (!deleted)
                    return Failure{deleted.error()};
                return qint64(*deleted);
            },
            [this](int, qint64 deleted) { emit emptyTrashDone(int(deleted)); });
    }
}

bool Workspace::keepsRegistry(int store) const
{
    return store >= 0 && store < storeCount() && keepsEditsInStore(*stores_[size_t(store)].reader);
}

void Workspace::changeRegistry(int store, std::vector<RegistryChange> changes)
{
    if (!keepsRegistry(store)) {
        emit editFailed(tr("The registry of this store is its own tool's: Runlens reads it and never writes it "
                           "(import the store to register models in a Runlens store)"));
        return;
    }
    writeThenReload(
        stores_[size_t(store)].path,
        [path = stores_[size_t(store)].path, changes = std::move(changes)] {
            return StoreRunEditor::applyRegistry(path, changes, currentUserName());
        },
        [this](int index, qint64 registered) { emit registryChanged(index, registered); });
}

void Workspace::waitForEdits()
{
    while (editWrites_ > 0) {
        editPool_.waitForDone();
        QCoreApplication::processEvents();
    }
}

Result<RunDetails> Workspace::details(int row) const
{
    if (row < 0 || row >= merged_->rowCount())
        return Failure{QStringLiteral("no such run")};
    const int s = merged_->storeIndex(row);
    if (s >= storeCount())
        return Failure{QStringLiteral("the run's store is closed")};
    auto d = stores_[size_t(s)].reader->loadDetails(merged_->id(row));
    if (d)
        for (const RunEdit& e : stores_[size_t(s)].pendingEdits)
            e.applyTo(*d);
    return d;
}

std::shared_ptr<SeriesCache> Workspace::cacheFor(const SeriesKey& key) const
{
    return key.store >= 0 && key.store < storeCount() ? stores_[size_t(key.store)].cache : nullptr;
}

std::shared_ptr<const PlotSeries> Workspace::buildSeries(const SeriesKey& key, const std::shared_ptr<SeriesCache>& cache,
                                                         const Snapshot& snapshot, QString* error)
{
    if (auto cached = cachedSeries(key))
        return cached;
    if (key.smoothing != Smoothing::None) {
        auto raw = buildSeries(key.unsmoothed(), cache, snapshot, error);
        if (!raw)
            return nullptr;
        std::vector<double> ys = key.smoothing == Smoothing::Ema ? emaDebiased(raw->ys(), key.smoothingParam)
                                                                 : runningMean(raw->ys(), int(key.smoothingParam));
        auto smoothed = std::make_shared<const PlotSeries>(std::vector<double>(raw->xs().begin(), raw->xs().end()),
                                                           std::move(ys));
        if (snapshot.epoch == curveEpoch_.load())
            plotCache_.put(key.text(), smoothed, smoothed->size() * 16);
        return smoothed;
    }
    if (!cache) {
        *error = QStringLiteral("the store is closed");
        return nullptr;
    }
    // A derived metric's curve is computed from the series it reads.
    const RunTable* table = snapshot.table.get();
    int row = table ? table->rowOfId(key.runId) : -1;
    if (row >= 0 && table->storeIndex(row) != key.store)
        for (row = 0; row < table->rowCount(); ++row)
            if (table->id(row) == key.runId && table->storeIndex(row) == key.store)
                break;
    auto seriesOf = [&](const QString& metric) -> Result<std::shared_ptr<const MetricSeries>> {
        if (!table || row < 0 || row >= table->rowCount())
            return cache->get(key.runId, metric);
        return metricSeriesOf(*table, row, metric, snapshot.context.get(),
                              [&](const QString& k) { return cache->get(key.runId, k); });
    };
    auto raw = seriesOf(key.metric);
    if (!raw) {
        *error = raw.error();
        return nullptr;
    }
    std::shared_ptr<const PlotSeries> plot;
    if (key.axis == XAxis::Metric) {
        auto x = seriesOf(key.xMetric);
        if (!x) {
            *error = x.error();
            return nullptr;
        }
        plot = std::make_shared<const PlotSeries>(PlotSeries::againstMetric(**raw, **x));
    } else {
        plot = std::make_shared<const PlotSeries>(**raw, key.axis);
    }
    if (snapshot.epoch == curveEpoch_.load())
        plotCache_.put(key.text(), plot, plot->size() * 16);
    return plot;
}

void Workspace::requestSeries(const std::vector<SeriesKey>& keys, quint64 ticket)
{
    std::vector<SeriesKey> missing;
    for (const auto& k : keys)
        if (!cachedSeries(k))
            missing.push_back(k);
    if (missing.empty()) {
        QMetaObject::invokeMethod(this, [this, ticket] { emit seriesReady(ticket); }, Qt::QueuedConnection);
        return;
    }
    setLoading(+1);
    // One task per series, so two cores prepare two series at once; the last
    // to finish reports the ticket.
    auto remaining = std::make_shared<std::atomic<int>>(int(missing.size()));
    const quint64 generation = generation_.load();
    for (const auto& k : missing) {
        // The store's cache is taken here, on the GUI thread that owns stores_.
        pool_.start([this, k, cache = cacheFor(k), snapshot = Snapshot{merged_, derivedContext_, curveEpoch_.load()}, ticket, remaining, generation] {
            QString error;
            if (generation_.load() == generation && !buildSeries(k, cache, snapshot, &error) && !error.isEmpty())
                QMetaObject::invokeMethod(this, [this, key = k.runId + QLatin1Char('/') + k.metric, error] {
                    emit seriesFailed(key, error);
                }, Qt::QueuedConnection);
            if (--*remaining == 0)
                QMetaObject::invokeMethod(this, [this, ticket] {
                    setLoading(-1);
                    emit seriesReady(ticket);
                }, Qt::QueuedConnection);
        });
    }
}

std::shared_ptr<const PlotSeries> Workspace::cachedSeries(const SeriesKey& key) const
{
    return plotCache_.get(key.text());
}

void Workspace::setPlotCacheBudget(size_t bytes)
{
    plotCache_.setBudget(bytes);
}

size_t Workspace::plotCacheBytes() const
{
    return plotCache_.bytes();
}

std::shared_ptr<const PlotSeries> Workspace::loadSeriesNow(const SeriesKey& key)
{
    QString error;
    return buildSeries(key, cacheFor(key), Snapshot{merged_, derivedContext_, curveEpoch_.load()}, &error);
}

QString Workspace::openAndWait(const QStringList& paths)
{
    QString failure;
    const auto connection = connect(this, &Workspace::storeFailed, this,
                                    [&failure](const QString&, const QString& message) { failure = message; });
    // Headless, a store that is not there is an error, not something to wait for.
    const bool wait = std::exchange(waitForMissing_, false);
    open(paths);
    waitForMissing_ = wait;
    waitForIdle();
    QCoreApplication::processEvents();
    disconnect(connection);
    if (failure.isEmpty() && storeCount() == 0)
        failure = QStringLiteral("no store opened");
    return failure;
}

void Workspace::waitForIdle()
{
    while (loading_ > 0 || !pending_.isEmpty() || baselineWrites_ > 0) {
        pool_.waitForDone(50);
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
}

} // namespace runlens
