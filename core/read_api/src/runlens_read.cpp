// SPDX-License-Identifier: GPL-3.0-or-later
// The C read ABI over core's LoadedStore (core/workspace/loaded_store.h):
// what the CLI answers, as functions. Nothing here reads a store itself.
// Every entry point catches: no C++ exception crosses into C or Python.
#include "runlens/runlens_read.h"

#include "loaded_store.h"
#include "plot_series.h"
#include "run_diff.h"
#include "run_json.h"
#include "seed_statistics.h"
#include "store_registry.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#define RLR_EXPORT extern "C" __attribute__((visibility("default")))

using namespace runlens;

struct rlr_store {
    LoadedStore loaded;
    std::string kind, location, problems, text;
    std::vector<std::string> experiments;

    void describe()
    {
        kind = loaded.reader->kind().toStdString();
        location = loaded.reader->location().toStdString();
        QStringList lines = loaded.runs.problems;
        for (const auto& n : loaded.runs.notes)
            lines << QStringLiteral("note: ") + n;
        lines << loaded.derivedMetricProblems;
        problems = lines.join(QLatin1Char('\n')).toStdString();
        experiments.clear();
        for (const auto& e : loaded.table().experiments())
            experiments.push_back(e.toStdString());
    }
};

// A run's strings, made UTF-8 the first time the run is asked about, so that
// a list of 100,000 runs costs nothing until read.
struct RunStrings {
    std::string id, name, experiment, status, parent;
    std::vector<std::pair<std::string, std::string>> params, tags;
    std::vector<std::pair<std::string, rlr_metric_summary>> metrics;
    std::vector<double> means; // beside metrics: rlr_metric_summary's layout is fixed
};

struct rlr_runs {
    std::shared_ptr<const RunTable> table;
    std::vector<int> rows;
    std::vector<std::unique_ptr<RunStrings>> strings;
    std::string json;
    bool jsonMade = false;

    const RunStrings* at(size_t i)
    {
        if (i >= rows.size())
            return nullptr;
        if (!strings[i])
            strings[i] = make(rows[i]);
        return strings[i].get();
    }

private:
    std::unique_ptr<RunStrings> make(int row) const
    {
        const RunTable& t = *table;
        auto s = std::make_unique<RunStrings>();
        s->id = t.id(row).toStdString();
        s->name = t.name(row).toStdString();
        s->experiment = t.experiment(row).toStdString();
        s->status = statusName(t.status(row)).toStdString();
        s->parent = t.parentId(row).toStdString();
        for (const auto& c : t.params())
            if (c.has(row))
                s->params.emplace_back(c.key.toStdString(), c.text[size_t(row)].toStdString());
        for (const auto& c : t.tags())
            if (c.has(row))
                s->tags.emplace_back(c.key.toStdString(), c.text[size_t(row)].toStdString());
        for (const auto& m : t.metrics())
            if (m.has(row)) {
                const auto r = size_t(row);
                s->metrics.emplace_back(m.key.toStdString(),
                                        rlr_metric_summary{m.last[r], m.min[r], m.max[r], m.count[r], m.lastStep[r]});
                s->means.push_back(m.mean[r]);
            }
        auto byKey = [](const auto& a, const auto& b) { return a.first < b.first; };
        std::sort(s->params.begin(), s->params.end(), byKey);
        std::sort(s->tags.begin(), s->tags.end(), byKey);
        std::sort(s->metrics.begin(), s->metrics.end(), byKey);
        return s;
    }
};

struct rlr_series {
    std::shared_ptr<const MetricSeries> series;
    std::unique_ptr<PlotSeries> plot; // built by the first decimation
    std::string problems;
};

namespace {

struct LastError {
    std::string message;
    int code = RLR_OK;
    int position = -1, length = 0;
};

LastError& lastError()
{
    thread_local LastError error;
    return error;
}

void fail(int code, const QString& message, int position = -1, int length = 0)
{
    lastError() = {message.toStdString(), code, position, length};
}

// A call given no store (a NULL handle): says so, returns `result`.
template <class T>
T noStore(T result)
{
    fail(RLR_ERROR, QStringLiteral("no store (a NULL handle)"));
    return result;
}

QString text(const char* s)
{
    return s ? QString::fromUtf8(s) : QString();
}

// Outside a Qt application, names the application as the app does, so that
// the notebook's overlays (core/notebook/annotation_overlay.h) are read from
// where the app keeps them. A Qt host keeps its own names.
void nameApplication()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (!QCoreApplication::instance()) {
            QCoreApplication::setApplicationName(QStringLiteral("runlens"));
            QCoreApplication::setOrganizationName(QStringLiteral("Runlens"));
        }
    });
}

// Runs `body`, turning an exception into RLR_ERROR and `fallback`.
template <class T, class Body>
T guarded(T fallback, Body&& body)
{
    try {
        return body();
    } catch (const std::exception& e) {
        fail(RLR_ERROR, QStringLiteral("internal error: %1").arg(QString::fromUtf8(e.what())));
    } catch (...) {
        fail(RLR_ERROR, QStringLiteral("internal error"));
    }
    return fallback;
}

const char* keep(rlr_store* store, const QByteArray& utf8)
{
    store->text.assign(utf8.constData(), size_t(utf8.size()));
    return store->text.c_str();
}

const char* keepJson(rlr_store* store, const QJsonDocument& doc)
{
    return keep(store, doc.toJson(QJsonDocument::Indented));
}

// The row of `run` in the store's table, or -1 after saying why.
int rowOf(const rlr_store* store, const char* run)
{
    if (!run || !*run) {
        fail(RLR_ERROR, QStringLiteral("no run given"));
        return -1;
    }
    const auto row = store->loaded.findRun(text(run));
    if (!row) {
        fail(RLR_NOT_FOUND, row.error());
        return -1;
    }
    return *row;
}

} // namespace

RLR_EXPORT const char* rlr_version(void)
{
    return RUNLENS_VERSION;
}

RLR_EXPORT const char* rlr_last_error(void)
{
    return lastError().message.c_str();
}

RLR_EXPORT int rlr_last_error_code(void)
{
    return lastError().code;
}

RLR_EXPORT int rlr_last_error_position(void)
{
    return lastError().position;
}

RLR_EXPORT int rlr_last_error_length(void)
{
    return lastError().length;
}

RLR_EXPORT rlr_store* rlr_open(const char* path, const char* kind, unsigned flags)
{
    return guarded<rlr_store*>(nullptr, [&]() -> rlr_store* {
        nameApplication();
        if (!path || !*path) {
            fail(RLR_ERROR, QStringLiteral("no store given"));
            return nullptr;
        }
        auto loaded = LoadedStore::open(text(path), text(kind), (flags & RLR_DELETED_RUNS) != 0);
        if (!loaded) {
            fail(RLR_ERROR, loaded.error());
            return nullptr;
        }
        auto store = std::make_unique<rlr_store>();
        store->loaded = std::move(*loaded);
        store->describe();
        return store.release();
    });
}

RLR_EXPORT void rlr_close(rlr_store* store)
{
    delete store;
}

RLR_EXPORT int rlr_refresh(rlr_store* store)
{
    if (!store)
        return noStore(RLR_ERROR);
    return guarded<int>(RLR_ERROR, [&] {
        if (auto reloaded = store->loaded.reload(); !reloaded) {
            fail(RLR_ERROR, reloaded.error());
            return RLR_ERROR;
        }
        store->describe();
        return RLR_OK;
    });
}

RLR_EXPORT const char* rlr_store_kinds(void)
{
    static const std::string kinds = storeKinds().join(QLatin1Char(',')).toStdString();
    return kinds.c_str();
}

RLR_EXPORT const char* rlr_store_kind(rlr_store* store)
{
    return store ? store->kind.c_str() : nullptr;
}

RLR_EXPORT const char* rlr_store_location(rlr_store* store)
{
    return store ? store->location.c_str() : nullptr;
}

RLR_EXPORT const char* rlr_store_problems(rlr_store* store)
{
    return store ? store->problems.c_str() : nullptr;
}

RLR_EXPORT size_t rlr_store_run_count(const rlr_store* store)
{
    return store ? size_t(store->loaded.table().rowCount()) : 0;
}

RLR_EXPORT size_t rlr_experiment_count(const rlr_store* store)
{
    return store ? store->experiments.size() : 0;
}

RLR_EXPORT const char* rlr_experiment_name(rlr_store* store, size_t index)
{
    return store && index < store->experiments.size() ? store->experiments[index].c_str() : nullptr;
}

RLR_EXPORT rlr_runs* rlr_query(rlr_store* store, const char* query, unsigned flags)
{
    if (!store)
        return noStore<rlr_runs*>(nullptr);
    return guarded<rlr_runs*>(nullptr, [&]() -> rlr_runs* {
        auto selection = store->loaded.select(text(query), (flags & RLR_WITH_TRASH) != 0);
        if (selection.error) {
            fail(RLR_BAD_QUERY, QStringLiteral("invalid query, %1").arg(selection.error->describe()),
                 selection.error->position, std::max(1, selection.error->length));
            return nullptr;
        }
        auto runs = std::make_unique<rlr_runs>();
        runs->table = store->loaded.runs.table;
        runs->rows = std::move(selection.rows);
        runs->strings.resize(runs->rows.size());
        return runs.release();
    });
}

RLR_EXPORT rlr_runs* rlr_find(rlr_store* store, const char* run)
{
    if (!store)
        return noStore<rlr_runs*>(nullptr);
    return guarded<rlr_runs*>(nullptr, [&]() -> rlr_runs* {
        const int row = rowOf(store, run);
        if (row < 0)
            return nullptr;
        auto runs = std::make_unique<rlr_runs>();
        runs->table = store->loaded.runs.table;
        runs->rows = {row};
        runs->strings.resize(1);
        return runs.release();
    });
}

RLR_EXPORT void rlr_runs_free(rlr_runs* runs)
{
    delete runs;
}

RLR_EXPORT size_t rlr_runs_count(const rlr_runs* runs)
{
    return runs ? runs->rows.size() : 0;
}

namespace {

// A run's strings, or null for no list or an index out of range.
const RunStrings* stringsOf(rlr_runs* runs, size_t i)
{
    return runs ? guarded<const RunStrings*>(nullptr, [&] { return runs->at(i); }) : nullptr;
}

template <class Field>
const char* runField(rlr_runs* runs, size_t i, Field field)
{
    const RunStrings* s = stringsOf(runs, i);
    return s ? field(*s).c_str() : nullptr;
}

template <class Pairs>
int pairAt(const Pairs* pairs, size_t j, const char** key, const char** value)
{
    if (!pairs || j >= pairs->size()) {
        fail(RLR_ERROR, QStringLiteral("index out of range"));
        return RLR_ERROR;
    }
    if (key)
        *key = (*pairs)[j].first.c_str();
    if (value)
        *value = (*pairs)[j].second.c_str();
    return RLR_OK;
}

} // namespace

RLR_EXPORT const char* rlr_run_id(rlr_runs* runs, size_t i)
{
    return runField(runs, i, [](const RunStrings& s) -> const std::string& { return s.id; });
}

RLR_EXPORT const char* rlr_run_name(rlr_runs* runs, size_t i)
{
    return runField(runs, i, [](const RunStrings& s) -> const std::string& { return s.name; });
}

RLR_EXPORT const char* rlr_run_experiment(rlr_runs* runs, size_t i)
{
    return runField(runs, i, [](const RunStrings& s) -> const std::string& { return s.experiment; });
}

RLR_EXPORT const char* rlr_run_status(rlr_runs* runs, size_t i)
{
    return runField(runs, i, [](const RunStrings& s) -> const std::string& { return s.status; });
}

RLR_EXPORT const char* rlr_run_parent_id(rlr_runs* runs, size_t i)
{
    return runField(runs, i, [](const RunStrings& s) -> const std::string& { return s.parent; });
}

RLR_EXPORT int64_t rlr_run_start_time(const rlr_runs* runs, size_t i)
{
    return runs && i < runs->rows.size() ? runs->table->startTime(runs->rows[i]) : -1;
}

RLR_EXPORT int64_t rlr_run_end_time(const rlr_runs* runs, size_t i)
{
    return runs && i < runs->rows.size() ? runs->table->endTime(runs->rows[i]) : -1;
}

RLR_EXPORT size_t rlr_run_param_count(rlr_runs* runs, size_t i)
{
    const RunStrings* s = stringsOf(runs, i);
    return s ? s->params.size() : 0;
}

RLR_EXPORT int rlr_run_param(rlr_runs* runs, size_t i, size_t j, const char** key, const char** value)
{
    const RunStrings* s = stringsOf(runs, i);
    return pairAt(s ? &s->params : nullptr, j, key, value);
}

RLR_EXPORT size_t rlr_run_tag_count(rlr_runs* runs, size_t i)
{
    const RunStrings* s = stringsOf(runs, i);
    return s ? s->tags.size() : 0;
}

RLR_EXPORT int rlr_run_tag(rlr_runs* runs, size_t i, size_t j, const char** key, const char** value)
{
    const RunStrings* s = stringsOf(runs, i);
    return pairAt(s ? &s->tags : nullptr, j, key, value);
}

RLR_EXPORT size_t rlr_run_metric_count(rlr_runs* runs, size_t i)
{
    const RunStrings* s = stringsOf(runs, i);
    return s ? s->metrics.size() : 0;
}

RLR_EXPORT int rlr_run_metric(rlr_runs* runs, size_t i, size_t j, const char** key, rlr_metric_summary* summary)
{
    const RunStrings* s = stringsOf(runs, i);
    if (!s || j >= s->metrics.size()) {
        fail(RLR_ERROR, QStringLiteral("index out of range"));
        return RLR_ERROR;
    }
    if (key)
        *key = s->metrics[j].first.c_str();
    if (summary)
        *summary = s->metrics[j].second;
    return RLR_OK;
}

RLR_EXPORT double rlr_run_metric_mean(rlr_runs* runs, size_t i, size_t j)
{
    const RunStrings* s = stringsOf(runs, i);
    if (!s || j >= s->means.size()) {
        fail(RLR_ERROR, QStringLiteral("index out of range"));
        return std::nan("");
    }
    return s->means[j];
}

RLR_EXPORT const char* rlr_runs_json(rlr_runs* runs)
{
    if (!runs)
        return nullptr;
    return guarded<const char*>(nullptr, [&]() -> const char* {
        if (!runs->jsonMade) {
            QString out;
            QTextStream stream(&out);
            writeRunsJson(*runs->table, runs->rows, stream);
            stream.flush();
            runs->json = out.toStdString();
            runs->jsonMade = true;
        }
        return runs->json.c_str();
    });
}

RLR_EXPORT const char* rlr_run_details_json(rlr_store* store, const char* run)
{
    if (!store)
        return noStore<const char*>(nullptr);
    return guarded<const char*>(nullptr, [&]() -> const char* {
        const int row = rowOf(store, run);
        if (row < 0)
            return nullptr;
        auto details = store->loaded.reader->loadDetails(store->loaded.table().id(row));
        if (!details) {
            fail(RLR_ERROR, details.error());
            return nullptr;
        }
        return keepJson(store, QJsonDocument(detailsToJson(*details)));
    });
}

RLR_EXPORT const char* rlr_diff_json(rlr_store* store, const char* run_a, const char* run_b, unsigned flags)
{
    if (!store)
        return noStore<const char*>(nullptr);
    return guarded<const char*>(nullptr, [&]() -> const char* {
        const int ra = rowOf(store, run_a);
        if (ra < 0)
            return nullptr;
        const int rb = rowOf(store, run_b);
        if (rb < 0)
            return nullptr;
        StoreReader& reader = *store->loaded.reader;
        auto a = reader.loadDetails(store->loaded.table().id(ra));
        auto b = reader.loadDetails(store->loaded.table().id(rb));
        if (!a || !b) {
            fail(RLR_ERROR, a ? b.error() : a.error());
            return nullptr;
        }
        CompareOptions options;
        options.toolTags = (flags & RLR_TOOL_TAGS) != 0;
        return keepJson(store, QJsonDocument(runDiffToJson(*a, *b, diffRuns(*a, *b, options))));
    });
}

RLR_EXPORT const char* rlr_seeds_json(rlr_store* store, const char* metric, const char* query, const char* seed_keys)
{
    if (!store)
        return noStore<const char*>(nullptr);
    return guarded<const char*>(nullptr, [&]() -> const char* {
        if (!metric || !*metric) {
            fail(RLR_ERROR, QStringLiteral("no metric given"));
            return nullptr;
        }
        // As `runlens seeds`: the query's runs, the trash included.
        const auto selection = store->loaded.select(text(query), true);
        if (selection.error) {
            fail(RLR_BAD_QUERY, QStringLiteral("invalid query, %1").arg(selection.error->describe()),
                 selection.error->position, std::max(1, selection.error->length));
            return nullptr;
        }
        QStringList keys;
        for (const auto& k : text(seed_keys).split(QLatin1Char(','), Qt::SkipEmptyParts))
            keys << k.trimmed();
        const RunTable& t = store->loaded.table();
        const auto groups = seedGroupSummaries(t, selection.rows, text(metric), keys.isEmpty() ? defaultSeedKeys() : keys);
        if (groups.empty()) {
            fail(RLR_NOT_FOUND, QStringLiteral("no run has metric '%1'").arg(text(metric)));
            return nullptr;
        }
        return keepJson(store, QJsonDocument(seedGroupSummariesToJson(t, groups)));
    });
}

RLR_EXPORT rlr_series* rlr_series_load(rlr_store* store, const char* run, const char* key)
{
    if (!store)
        return noStore<rlr_series*>(nullptr);
    return guarded<rlr_series*>(nullptr, [&]() -> rlr_series* {
        const int row = rowOf(store, run);
        if (row < 0)
            return nullptr;
        if (!key || !*key) {
            fail(RLR_ERROR, QStringLiteral("no metric given"));
            return nullptr;
        }
        auto loaded = store->loaded.series(row, text(key));
        if (!loaded) {
            fail(store->loaded.hasMetric(row, text(key)) ? RLR_ERROR : RLR_NOT_FOUND, loaded.error());
            return nullptr;
        }
        auto series = std::make_unique<rlr_series>();
        series->series = std::move(*loaded);
        series->problems = series->series->problems.join(QLatin1Char('\n')).toStdString();
        return series.release();
    });
}

RLR_EXPORT void rlr_series_free(rlr_series* series)
{
    delete series;
}

RLR_EXPORT size_t rlr_series_size(const rlr_series* series)
{
    return series ? series->series->size() : 0;
}

RLR_EXPORT const char* rlr_series_problems(rlr_series* series)
{
    return series ? series->problems.c_str() : nullptr;
}

RLR_EXPORT size_t rlr_series_copy(const rlr_series* series, size_t first, size_t count, int64_t* steps, double* times,
    double* values)
{
    if (!series)
        return 0;
    const MetricSeries& s = *series->series;
    if (first >= s.size())
        return 0;
    const size_t n = std::min(count, s.size() - first);
    if (steps)
        std::copy_n(s.steps.begin() + ptrdiff_t(first), n, steps);
    if (times)
        std::copy_n(s.wallTimes.begin() + ptrdiff_t(first), n, times);
    if (values)
        std::copy_n(s.values.begin() + ptrdiff_t(first), n, values);
    return n;
}

RLR_EXPORT size_t rlr_series_decimate(rlr_series* series, double x0, double x1, int width, double* xs, double* ys,
    size_t capacity)
{
    if (!series || width <= 0 || std::isnan(x0) || std::isnan(x1))
        return 0;
    return guarded<size_t>(0, [&] {
        if (!series->plot)
            series->plot = std::make_unique<PlotSeries>(*series->series, XAxis::Step);
        const PlotSeries& plot = *series->plot;
        if (plot.empty())
            return size_t(0);
        if (x0 > x1) {
            x0 = plot.xMin();
            x1 = plot.xMax();
        }
        // One step (a metric logged once): a range around it, which decimate() needs.
        if (x0 == x1) {
            x0 -= 0.5;
            x1 += 0.5;
        }
        const auto points = plot.decimate(x0, x1, width);
        const size_t n = std::min(capacity, points.size());
        for (size_t i = 0; i < n; ++i) {
            if (xs)
                xs[i] = points[i].x;
            if (ys)
                ys[i] = points[i].y;
        }
        return points.size();
    });
}
