// SPDX-License-Identifier: GPL-3.0-or-later
#include "mlflow_sqlite_reader.h"

#include "foreign_system_metrics.h"
#include "mlflow_system_tags.h"
#include "series_summarizer.h"

#include "utf8.h"

#include "runlens/sqlite_db.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <tuple>

namespace runlens {

namespace {


RunStatus statusOf(std::string_view s)
{
    if (s == "FINISHED")
        return RunStatus::Finished;
    if (s == "FAILED")
        return RunStatus::Failed;
    if (s == "KILLED")
        return RunStatus::Killed;
    return RunStatus::Running;   // RUNNING, SCHEDULED
}

bool hasColumn(SqliteDb& db, const char* table, const char* column)
{
    auto st = db.prepare(std::string("SELECT 1 FROM pragma_table_info('") + table + "') WHERE name=?");
    st.bind(1, column);
    return st.step();
}

} // namespace

namespace {

bool isMlflowDatabase(SqliteDb& db)
{
    // Tables, not views: a view in their place (a recursive one spins without end) is no MLflow store.
    return db.tableExists("alembic_version") && db.tableExists("runs") && db.tableExists("experiments")
        && db.tableExists("metrics") && db.tableExists("params") && db.tableExists("tags");
}

} // namespace

int MlflowSqliteReader::recognise(const StoreProbe& probe)
{
    if (!probe.isSqlite())
        return 0;
    try {
        SqliteDb db(probe.path.toStdString(), SqliteDb::Mode::ReadOnlyForeign);
        return isMlflowDatabase(db) ? 100 : 0;
    } catch (const std::exception&) {
        return 0; // damaged: the fallback reader says how
    }
}

StoreFormat MlflowSqliteReader::format()
{
    return {QStringLiteral("mlflow-sqlite"), QStringLiteral("MLflow"), QStringLiteral("an MLflow SQLite database (mlflow.db)"),
        StoreCapability::Read | StoreCapability::Live, &recognise,
        [](const QString& path, const StoreOpenOptions& options) { return asStoreReader(open(path, options.includeDeleted)); }};
}

MlflowSqliteReader::MlflowSqliteReader(QString path, std::unique_ptr<SqliteDb> db, bool includeDeleted)
    : path_(std::move(path)), db_(std::move(db)), includeDeleted_(includeDeleted)
{
}

MlflowSqliteReader::~MlflowSqliteReader() = default;

Result<std::unique_ptr<MlflowSqliteReader>> MlflowSqliteReader::open(const QString& path, bool includeDeleted)
{
    try {
        auto db = std::make_unique<SqliteDb>(path.toStdString(), SqliteDb::Mode::ReadOnlyForeign);
        if (!isMlflowDatabase(*db))
            return Failure{QStringLiteral("'%1' is a SQLite database but not an MLflow store (no alembic_version, "
                                          "runs, experiments, metrics and params tables)")
                               .arg(path)};
        std::unique_ptr<MlflowSqliteReader> r(new MlflowSqliteReader(path, std::move(db), includeDeleted));
        auto rev = r->db_->prepare("SELECT version_num FROM alembic_version");
        if (rev.step())
            r->revision_ = fromUtf8(rev.text(0));
        r->hasStep_ = hasColumn(*r->db_, "metrics", "step");
        r->hasIsNan_ = hasColumn(*r->db_, "metrics", "is_nan");
        return r;
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

double MlflowSqliteReader::valueOf(double stored, bool isNan) const
{
    // MLflow stores NaN as 0 with is_nan set, and +-Inf as +-DBL_MAX.
    if (isNan)
        return NAN;
    if (stored >= DBL_MAX)
        return INFINITY;
    if (stored <= -DBL_MAX)
        return -INFINITY;
    return stored;
}

Result<LoadedRuns> MlflowSqliteReader::loadRuns(const ProgressCallback& progress)
{
    std::lock_guard lock(mutex_);
    try {
        SqliteReadTransaction snapshot(*db_);
        auto table = std::make_shared<RunTable>();
        QStringList problems;
        const std::string deleted = includeDeleted_ ? "" : " WHERE r.lifecycle_stage IS NOT 'deleted' AND "
                                                           "e.lifecycle_stage IS NOT 'deleted'";
        auto runs = db_->prepare("SELECT r.run_uuid, r.name, e.name, r.status, r.start_time, r.end_time, r.user_id FROM runs r "
                                 "LEFT JOIN experiments e ON e.experiment_id = r.experiment_id"
                                 + deleted + " ORDER BY r.start_time, r.run_uuid");
        QHash<QString, int> rowOf;
        std::vector<QString> users;
        while (runs.step()) {
            const QString id = fromUtf8(runs.text(0));
            const int row = table->addRun(id, fromUtf8(runs.text(1)), fromUtf8(runs.text(2)), statusOf(runs.text(3)),
                                          runs.int64(4), runs.isNull(5) ? -1 : runs.int64(5));
            users.push_back(runs.isNull(6) ? QString() : fromUtf8(runs.text(6)));
            rowOf.insert(id, row);
        }
        if (progress && !progress(0.1))
            return Failure{QStringLiteral("loading '%1' was cancelled").arg(path_)};

        auto params = db_->prepare("SELECT run_uuid, key, value FROM params");
        while (params.step()) {
            const int row = rowOf.value(fromUtf8(params.text(0)), -1);
            if (row < 0)
                continue;
            const QString v = fromUtf8(params.text(2));
            bool ok = false;
            const double d = v.toDouble(&ok);
            table->setParam(row, fromUtf8(params.text(1)), v, ok ? std::optional(d) : std::nullopt);
        }
        auto tags = db_->prepare("SELECT run_uuid, key, value FROM tags");
        QHash<int, QString> runNameTags;
        while (tags.step()) {
            const int row = rowOf.value(fromUtf8(tags.text(0)), -1);
            if (row < 0)
                continue;
            const QString key = fromUtf8(tags.text(1));
            table->setTag(row, key, fromUtf8(tags.text(2)));
            if (key == QLatin1String("mlflow.parentRunId"))
                table->setParentId(row, fromUtf8(tags.text(2)));
        }
        if (progress && !progress(0.3))
            return Failure{QStringLiteral("loading '%1' was cancelled").arg(path_)};

        // One ordered pass: each (run, key) group ends on its last point.
        const std::string step = hasStep_ ? "step" : "0";
        const std::string isNan = hasIsNan_ ? "is_nan" : "0";
        auto metrics = db_->prepare("SELECT run_uuid, key, value, " + isNan + ", " + step
                                    + " FROM metrics ORDER BY run_uuid, key, " + (hasStep_ ? "step, " : "") + "timestamp");
        std::string lastRun, lastKey;
        int row = -1;
        SeriesSummarizer summary;
        QHash<QString, double> computedLast;   // "run\nkey" -> last, for the cross-check
        auto flush = [&] {
            if (row >= 0 && summary.count() > 0) {
                MetricSummary m = summary.summary(fromUtf8(lastKey));
                computedLast.insert(fromUtf8(lastRun) + QLatin1Char('\n') + m.key, m.last);
                asRunlensSystemMetric(SystemMetricSource::Mlflow, m);
                table->setMetric(row, m.key, m.last, m.min, m.max, m.count, m.lastStep, m.mean, m.nanCount);
            }
        };
        while (metrics.step()) {
            if (metrics.text(0) != lastRun || metrics.text(1) != lastKey) {
                flush();
                lastRun.assign(metrics.text(0));
                lastKey.assign(metrics.text(1));
                row = rowOf.value(fromUtf8(lastRun), -1);
                summary = SeriesSummarizer();
            }
            summary.add(metrics.int64(4), valueOf(metrics.real(2), metrics.int64(3) != 0));
        }
        flush();

        if (db_->tableExists("latest_metrics")) {
            auto latest = db_->prepare("SELECT run_uuid, key, value, " + std::string(hasIsNan_ ? "is_nan" : "0")
                                       + " FROM latest_metrics");
            int disagree = 0;
            while (latest.step()) {
                const QString k = fromUtf8(latest.text(0)) + QLatin1Char('\n') + fromUtf8(latest.text(1));
                if (!computedLast.contains(k) || !rowOf.contains(fromUtf8(latest.text(0))))
                    continue;
                const double a = computedLast.value(k), b = valueOf(latest.real(2), latest.int64(3) != 0);
                if (!(a == b || (std::isnan(a) && std::isnan(b))))
                    ++disagree;
            }
            if (disagree)
                problems << QStringLiteral("latest_metrics disagrees with metrics for %1 series; the values shown come "
                                           "from metrics")
                                .arg(disagree);
        }
        // MLflow 1.x left runs.name empty and kept the name in a tag.
        if (const ValueColumn* nameTag = table->tag(QStringLiteral("mlflow.runName"))) {
            for (int r = 0; r < table->rowCount(); ++r)
                if (table->name(r).isEmpty() && nameTag->has(r))
                    table->setName(r, nameTag->text[size_t(r)]);
        }
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->name(r).isEmpty())
                table->setName(r, table->id(r).left(8));
        applyMlflowSystemTags(*table, users);
        table->sortColumns();
        QStringList notes;
        if (!includeDeleted_) {
            auto del = db_->prepare("SELECT count(*) FROM runs r LEFT JOIN experiments e ON e.experiment_id = "
                                    "r.experiment_id WHERE r.lifecycle_stage = 'deleted' OR e.lifecycle_stage = 'deleted'");
            if (del.step() && del.int64(0) > 0)
                notes << QStringLiteral("%1 deleted run(s) left out (show them with --deleted)").arg(del.int64(0));
        }
        if (db_->tableExists("registered_models")) {
            auto models = db_->prepare("SELECT name FROM registered_models ORDER BY name");
            QStringList names;
            while (models.step())
                names << fromUtf8(models.text(0));
            if (!names.isEmpty())
                notes << QStringLiteral("model registry: %1 registered model(s): %2")
                             .arg(names.size())
                             .arg(names.join(QStringLiteral(", ")));
        }
        if (progress)
            progress(1.0);
        return LoadedRuns{std::move(table), problems, notes, {}};
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

Result<RunDetails> MlflowSqliteReader::loadDetails(const QString& runId)
{
    std::lock_guard lock(mutex_);
    try {
        SqliteReadTransaction snapshot(*db_);
        const std::string id = runId.toStdString();
        auto run = db_->prepare("SELECT r.run_uuid, r.name, e.name, r.status, r.start_time, r.end_time, r.user_id, "
                                "r.artifact_uri FROM runs r LEFT JOIN experiments e ON e.experiment_id = r.experiment_id "
                                "WHERE r.run_uuid = ?");
        run.bind(1, id);
        if (!run.step())
            return Failure{QStringLiteral("no run with id '%1' in '%2'").arg(runId, path_)};
        RunDetails d;
        d.id = fromUtf8(run.text(0));
        d.name = fromUtf8(run.text(1));
        d.experiment = fromUtf8(run.text(2));
        d.status = statusOf(run.text(3));
        d.startTime = run.int64(4);
        d.endTime = run.isNull(5) ? -1 : run.int64(5);
        if (!run.isNull(6))
            d.environment.emplace_back(QStringLiteral("user"), fromUtf8(run.text(6)));
        const QString artifactUri = fromUtf8(run.text(7));
        auto params = db_->prepare("SELECT key, value FROM params WHERE run_uuid=? ORDER BY key");
        params.bind(1, id);
        while (params.step())
            d.params.push_back({fromUtf8(params.text(0)), QStringLiteral("string"), fromUtf8(params.text(1))});
        auto tags = db_->prepare("SELECT key, value FROM tags WHERE run_uuid=? ORDER BY key");
        tags.bind(1, id);
        while (tags.step()) {
            const QString k = fromUtf8(tags.text(0)), v = fromUtf8(tags.text(1));
            d.tags.emplace_back(k, v);
            if (k == QLatin1String("mlflow.runName") && d.name.isEmpty())
                d.name = v;
            else if (k == QLatin1String("mlflow.note.content"))
                d.notes = v;
            else if (k == QLatin1String("mlflow.parentRunId"))
                d.parentId = v;
            else if (k == QLatin1String("mlflow.source.git.commit"))
                d.git.commit = v;
            else if (k == QLatin1String("mlflow.source.git.branch"))
                d.git.branch = v;
            else if (k == QLatin1String("mlflow.source.git.repoURL"))
                d.git.remote = v;
            else if (k == QLatin1String("mlflow.source.name"))
                d.environment.emplace_back(QStringLiteral("source.name"), v);
        }
        d.git.present = !d.git.commit.isEmpty();
        d.git.dirtyRecorded = false; // MLflow records the commit, not the working tree
        std::sort(d.environment.begin(), d.environment.end());
        const std::string step = hasStep_ ? "step" : "0";
        const std::string isNan = hasIsNan_ ? "is_nan" : "0";
        auto metrics = db_->prepare("SELECT key, value, " + isNan + ", " + step + " FROM metrics WHERE run_uuid=? ORDER BY key, "
                                    + (hasStep_ ? "step, " : "") + "timestamp");
        metrics.bind(1, id);
        QString key;
        SeriesSummarizer summary;
        auto flush = [&] {
            if (summary.count()) {
                MetricSummary m = summary.summary(key);
                asRunlensSystemMetric(SystemMetricSource::Mlflow, m);
                d.metrics.push_back(m);
            }
        };
        while (metrics.step()) {
            if (const QString k = fromUtf8(metrics.text(0)); k != key || summary.count() == 0) {
                flush();
                key = k;
                summary = SeriesSummarizer();
            }
            summary.add(metrics.int64(3), valueOf(metrics.real(1), metrics.int64(2) != 0));
        }
        flush();
        if (!artifactUri.isEmpty())
            d.artifacts.push_back({QStringLiteral("(artifact root)"), artifactUri, {}, -1});
        return d;
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

Result<MetricSeries> MlflowSqliteReader::loadSeries(const QString& runId, const QString& key)
{
    std::lock_guard lock(mutex_);
    try {
        const std::string step = hasStep_ ? "step" : "0";
        const std::string isNan = hasIsNan_ ? "is_nan" : "0";
        auto st = db_->prepare("SELECT " + step + ", timestamp, value, " + isNan
                               + " FROM metrics WHERE run_uuid=? AND key=? ORDER BY " + (hasStep_ ? "step, " : "") + "timestamp");
        // The table names MLflow's system metrics as ours (foreign_system_metrics.h).
        for (const auto& name : storedNamesOf(SystemMetricSource::Mlflow, key)) {
            st.bind(1, runId.toStdString()).bind(2, name.key.toStdString());
            MetricSeries s;
            while (st.step()) {
                s.steps.push_back(st.int64(0));
                s.wallTimes.push_back(double(st.int64(1)) / 1000.0);
                s.values.push_back(valueOf(st.real(2), st.int64(3) != 0));
            }
            st.reset();
            if (s.size() > 0) {
                scaleSeries(s, name.factor);
                return s;
            }
        }
        return Failure{QStringLiteral("run '%1' has no metric '%2'").arg(runId, key)};
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

Result<ModelRegistry> MlflowSqliteReader::loadModelRegistry()
{
    std::lock_guard lock(mutex_);
    try {
        if (!db_->tableExists("registered_models") || !db_->tableExists("model_versions"))
            return ModelRegistry{};
        SqliteReadTransaction snapshot(*db_);
        // MLflow keeps the registry's state, not its history: the same fold
        // as ours runs over events made up from it, in time order.
        std::vector<RegistryEvent> events;
        const auto add = [&](int64_t time, std::string_view user, std::string_view model, int64_t version,
                             RegistryAction action, std::string_view key, std::optional<std::string> value) {
            events.push_back({0, time, std::string(user), std::string(model), version, registryActionName(action),
                              std::string(key), std::move(value)});
        };
        auto models = db_->prepare("SELECT name, coalesce(creation_time, 0), coalesce(description, '') FROM registered_models");
        while (models.step())
            add(models.int64(1), "", models.text(0), 0, RegistryAction::CreateModel, "", std::string(models.text(2)));
        if (db_->tableExists("registered_model_tags")) {
            auto tags = db_->prepare("SELECT t.name, t.key, t.value, coalesce(m.last_updated_time, 0) FROM "
                                     "registered_model_tags t JOIN registered_models m ON m.name = t.name");
            while (tags.step())
                add(tags.int64(3), "", tags.text(0), 0, RegistryAction::SetModelTag, tags.text(1), std::string(tags.text(2)));
        }
        // MLflow marks a deleted version's stage Deleted_Internal and keeps its number taken.
        auto versions = db_->prepare(
            "SELECT name, version, coalesce(creation_time, 0), coalesce(last_updated_time, 0), coalesce(description, ''), "
            "coalesce(user_id, ''), coalesce(current_stage, 'None'), coalesce(source, ''), coalesce(run_id, '') "
            "FROM model_versions WHERE coalesce(current_stage, '') != 'Deleted_Internal' ORDER BY name, version");
        while (versions.step()) {
            const QJsonObject o{{QStringLiteral("run_id"), fromUtf8(versions.text(8))},
                                {QStringLiteral("source"), fromUtf8(versions.text(7))},
                                {QStringLiteral("description"), fromUtf8(versions.text(4))}};
            const std::string payload = QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
            add(versions.int64(2), versions.text(5), versions.text(0), versions.int64(1), RegistryAction::CreateVersion,
                "", payload);
            if (versions.text(6) != "None")
                add(versions.int64(3), versions.text(5), versions.text(0), versions.int64(1), RegistryAction::SetStage, "",
                    std::string(versions.text(6)));
        }
        if (db_->tableExists("model_version_tags")) {
            auto tags = db_->prepare("SELECT t.name, t.version, t.key, t.value, coalesce(v.last_updated_time, 0) FROM "
                                     "model_version_tags t JOIN model_versions v ON v.name = t.name AND v.version = t.version");
            while (tags.step())
                add(tags.int64(4), "", tags.text(0), tags.int64(1), RegistryAction::SetVersionTag, tags.text(2),
                    std::string(tags.text(3)));
        }
        if (db_->tableExists("registered_model_aliases")) {
            auto aliases = db_->prepare("SELECT a.name, a.alias, a.version, coalesce(m.last_updated_time, 0) FROM "
                                        "registered_model_aliases a JOIN registered_models m ON m.name = a.name");
            while (aliases.step())
                add(aliases.int64(3), "", aliases.text(0), aliases.int64(2), RegistryAction::SetAlias, aliases.text(1),
                    std::nullopt);
        }
        // Every creation first (models by time, then versions by number:
        // clocks of machines sharing a store disagree), then what applies to
        // what they created, by time: the fold takes all of it whatever
        // times MLflow recorded.
        std::stable_sort(events.begin(), events.end(), [](const RegistryEvent& a, const RegistryEvent& b) {
            const auto key = [](const RegistryEvent& e) {
                const int rank = e.action == "create_model" ? 0 : e.action == "create_version" ? 1 : 2;
                return std::tuple(rank, rank == 1 ? std::string_view(e.model) : std::string_view(),
                                  rank == 1 ? e.version : e.timeMs);
            };
            return key(a) < key(b);
        });
        for (size_t i = 0; i < events.size(); ++i)
            events[i].id = int64_t(i + 1);
        ModelRegistry registry = foldModelRegistry(std::move(events));
        registry.historyKept = false;
        return registry;
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

} // namespace runlens
