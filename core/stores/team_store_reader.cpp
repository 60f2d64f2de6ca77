// SPDX-License-Identifier: GPL-3.0-or-later
#include "team_store_reader.h"

#include "number_parse.h"
#include "runlens/chunk_codec.h"
#include "stored_run_status.h"
#include "team_change_listener.h"
#include "team_connection.h"
#include "team_schema.h"

#include <QDateTime>
#include <functional>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QVariant>

#include <algorithm>
#include <cmath>

namespace runlens {

namespace {

double realOrNan(const QVariant& v)
{
    return v.isNull() ? NAN : v.toDouble();
}

// One read-only snapshot: every query of a load sees the same pushes.
class Snapshot {
public:
    Snapshot(TeamConnection& connection, QSqlDatabase db)
        : connection_(connection)
        , db_(std::move(db))
    {
    }
    ~Snapshot()
    {
        if (open_)
            db_.rollback();
    }
    Result<bool> begin()
    {
        if (!db_.transaction())
            return Failure{connection_.describe(db_.lastError())};
        open_ = true;
        QSqlQuery iso(db_);
        if (!iso.exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")))
            return Failure{connection_.describe(iso)};
        return true;
    }
    // A forward-only query over `sql` with `values`; a failure naming the store.
    Result<QSqlQuery> query(const QString& sql, const QVariantList& values = {})
    {
        QSqlQuery q(db_);
        q.setForwardOnly(true);
        if (!q.prepare(sql))
            return Failure{connection_.describe(q)};
        for (int i = 0; i < values.size(); ++i)
            q.bindValue(i, values[i]);
        if (!q.exec())
            return Failure{connection_.describe(q)};
        return q;
    }

    // Whether `q` ran to its end: a forward-only query fetches row by row,
    // and a server that goes away mid-result ends it early with an error,
    // which must not read as a shorter table.
    Result<bool> finished(const QSqlQuery& q) const
    {
        if (q.lastError().isValid())
            return Failure{connection_.describe(q)};
        return true;
    }

private:
    TeamConnection& connection_;
    QSqlDatabase db_;
    bool open_ = false;
};

// This thread's connection, in a snapshot of its own.
Result<std::unique_ptr<Snapshot>> beginSnapshot(TeamConnection& connection)
{
    auto db = connection.database();
    if (!db)
        return Failure{db.error()};
    auto snapshot = std::make_unique<Snapshot>(connection, *db);
    if (auto begun = snapshot->begin(); !begun)
        return Failure{begun.error()};
    return snapshot;
}

// Column index by key, so each key is looked up in the table once per load.
template <class MakeColumn> class Columns {
public:
    explicit Columns(MakeColumn make)
        : make_(std::move(make))
    {
    }
    int operator()(const QString& key)
    {
        auto it = map_.constFind(key);
        if (it == map_.constEnd())
            it = map_.insert(key, make_(key));
        return *it;
    }

private:
    MakeColumn make_;
    QHash<QString, int> map_;
};

} // namespace

TeamStoreReader::TeamStoreReader(std::unique_ptr<TeamConnection> connection)
    : connection_(std::move(connection))
{
}

TeamStoreReader::~TeamStoreReader() = default;

QString TeamStoreReader::location() const
{
    return connection_->url().display();
}

StoreFormat TeamStoreReader::format()
{
    return {QStringLiteral("runlens-team"), QStringLiteral("Team store"),
        QStringLiteral("a Runlens team store (postgresql://user@host/database)"),
        StoreCapability::Read | StoreCapability::Live,
        // Never a path: openStore() sends its URLs here by their scheme.
        [](const StoreProbe&) { return 0; },
        [](const QString& url, const StoreOpenOptions&) { return asStoreReader(open(url)); },
        {QStringLiteral("postgresql"), QStringLiteral("postgres")}};
}

Result<std::unique_ptr<TeamStoreReader>> TeamStoreReader::open(const QString& text)
{
    const auto url = TeamStoreUrl::parse(text);
    if (!url)
        return Failure{url.error()};
    auto connection = TeamConnection::open(*url, TeamConnection::Access::ReadOnly);
    if (!connection)
        return Failure{connection.error()};
    auto db = (*connection)->database();
    if (!db)
        return Failure{db.error()};
    const auto version = teamSchemaVersion(**connection, *db);
    if (!version)
        return Failure{version.error()};
    if (*version == 0)
        return Failure{QStringLiteral("team store %1 is an empty database: nothing was pushed to it yet (runlens "
                                      "init-team, then runlens push)")
                           .arg(url->display())};
    return std::unique_ptr<TeamStoreReader>(new TeamStoreReader(std::move(*connection)));
}

QString TeamStoreReader::changeStamp() const
{
    auto db = connection_->database();
    if (db) {
        QSqlQuery q(*db);
        if (q.exec(QStringLiteral("SELECT value FROM team_meta WHERE key = 'revision'")) && q.next())
            return QStringLiteral("revision:") + q.value(0).toString();
    }
    // Unreachable is a state of its own: the window reads once, says why,
    // and reads again when the server answers with its counter.
    return QStringLiteral("unreachable");
}

std::unique_ptr<QObject> TeamStoreReader::listenForChanges(std::function<void()> changed)
{
    return std::make_unique<TeamChangeListener>(connection_->url(), std::move(changed));
}

bool TeamStoreReader::narrowTo(const RunQuery& query)
{
    filter_ = teamRunFilter(query);
    return filter_.has_value();
}

Result<LoadedRuns> TeamStoreReader::loadRuns(const ProgressCallback& progress)
{
    auto opened = beginSnapshot(*connection_);
    if (!opened)
        return Failure{opened.error()};
    Snapshot& snapshot = **opened;
    const auto cancelled = Failure{QStringLiteral("loading %1 was cancelled").arg(location())};
    // The push counter in this snapshot: a push committing while it loads
    // moves the live stamp past it, and the next look reads again.
    auto revision = snapshot.query(QStringLiteral("SELECT value FROM team_meta WHERE key = 'revision'"));
    if (!revision)
        return Failure{revision.error()};
    const QString stamp = revision->next() ? QStringLiteral("revision:") + revision->value(0).toString() : QString();
    revision->finish();

    auto counts = snapshot.query(QStringLiteral(
        "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM params), (SELECT count(*) FROM metrics), (SELECT count(*) FROM tags)"));
    if (!counts)
        return Failure{counts.error()};
    counts->next();
    const double total = 1.0 + counts->value(0).toDouble() + counts->value(1).toDouble() + counts->value(2).toDouble()
        + counts->value(3).toDouble();
    double done = 0;
    auto tick = [&](int64_t n) {
        done += double(n);
        return !progress || progress(done / total);
    };

    auto table = std::make_shared<RunTable>();
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    const std::string localHost = QSysInfo::machineHostName().toStdString();
    auto runs = snapshot.query(QStringLiteral(
        "SELECT r.id, r.name, e.name, r.status, r.start_time, r.end_time, r.heartbeat, r.heartbeat_interval_ms, r.host, "
        "r.pid, r.parent_id, r.notes, r.hypothesis FROM runs r JOIN experiments e ON e.id = r.experiment_id")
            + (filter_ ? QStringLiteral(" WHERE ") + filter_->condition : QString())
            + QStringLiteral(" ORDER BY r.start_time, r.id COLLATE \"C\""),
        filter_ ? filter_->values : QVariantList{});
    if (!runs)
        return Failure{runs.error()};
    // Narrowed (narrowTo): each run's rows of the filtered runs only, in the same snapshot.
    const QString onlyFiltered = filter_
        ? QStringLiteral("run_id IN (SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE %1)")
              .arg(filter_->condition)
        : QStringLiteral("true");
    const QVariantList filtered = filter_ ? filter_->values : QVariantList{};
    QHash<QString, int> rowOf;
    for (int64_t n = 1; runs->next(); ++n) {
        const QString id = runs->value(0).toString();
        const auto status = effectiveStatus(runs->value(3).toString().toStdString(), runs->value(6).toLongLong(),
            runs->value(7).toLongLong(), runs->value(8).toString().toStdString(), runs->value(9).toLongLong(), now, localHost);
        const int row = table->addRun(id, runs->value(1).toString(), runs->value(2).toString(), status,
            runs->value(4).toLongLong(),
            endTimeOf(status, runs->value(5).isNull(), runs->value(5).toLongLong(), runs->value(6).toLongLong()));
        if (!runs->value(10).isNull())
            table->setParentId(row, runs->value(10).toString());
        if (const QString notes = runs->value(11).toString(); !notes.isEmpty())
            table->setNotes(row, notes);
        if (const QString hypothesis = runs->value(12).toString(); !hypothesis.isEmpty())
            table->setHypothesis(row, hypothesis);
        rowOf.insert(id, row);
        if ((n & 1023) == 0 && !tick(1024))
            return cancelled;
    }
    if (auto done = snapshot.finished(*runs); !done)
        return Failure{done.error()};
    // Rows come in the server's order, not sorted (a sort of millions of
    // param rows spilled to disk and grew worse than linearly): a lookup
    // when the run changes, which in table order is once per run.
    auto rowFor = [&, lastId = QString(), lastRow = -1](const QString& id) mutable {
        if (id != lastId) {
            lastId = id;
            lastRow = rowOf.value(id, -1);
        }
        return lastRow;
    };

    Columns paramColumn([&](const QString& key) { return table->paramColumn(key); });
    auto params = snapshot.query(QStringLiteral("SELECT run_id, key, type, value FROM params WHERE ") + onlyFiltered, filtered);
    if (!params)
        return Failure{params.error()};
    for (int64_t n = 1; params->next(); ++n) {
        if (const int row = rowFor(params->value(0).toString()); row >= 0) {
            const QString type = params->value(2).toString(), value = params->value(3).toString();
            table->setParamAt(paramColumn(params->value(1).toString()), row, value,
                paramNumber(type.toStdString(), value.toStdString()));
        }
        if ((n & 16383) == 0 && !tick(16384))
            return cancelled;
    }
    if (auto done = snapshot.finished(*params); !done)
        return Failure{done.error()};

    Columns tagColumn([&](const QString& key) { return table->tagColumn(key); });
    auto tags = snapshot.query(QStringLiteral("SELECT run_id, key, value FROM tags WHERE ") + onlyFiltered, filtered);
    if (!tags)
        return Failure{tags.error()};
    for (int64_t n = 1; tags->next(); ++n) {
        if (const int row = rowFor(tags->value(0).toString()); row >= 0)
            table->setTagAt(tagColumn(tags->value(1).toString()), row, tags->value(2).toString());
        if ((n & 16383) == 0 && !tick(16384))
            return cancelled;
    }
    if (auto done = snapshot.finished(*tags); !done)
        return Failure{done.error()};

    Columns metricColumn([&](const QString& key) { return table->metricColumn(key); });
    auto metrics = snapshot.query(QStringLiteral(
        "SELECT run_id, key, last_value, min_value, max_value, count, last_step, CASE WHEN value_sum_count = count AND "
        "count > nan_count THEN value_sum / (count - nan_count) END, nan_count FROM metrics WHERE count > 0 AND ")
            + onlyFiltered,
        filtered);
    if (!metrics)
        return Failure{metrics.error()};
    for (int64_t n = 1; metrics->next(); ++n) {
        if (const int row = rowFor(metrics->value(0).toString()); row >= 0)
            table->setMetricAt(metricColumn(metrics->value(1).toString()), row, realOrNan(metrics->value(2)),
                realOrNan(metrics->value(3)), realOrNan(metrics->value(4)), metrics->value(5).toLongLong(),
                metrics->value(6).toLongLong(), realOrNan(metrics->value(7)), metrics->value(8).toLongLong());
        if ((n & 16383) == 0 && !tick(16384))
            return cancelled;
    }
    if (auto done = snapshot.finished(*metrics); !done)
        return Failure{done.error()};

    Columns dataColumn([&](const QString& name) { return table->dataColumn(name); });
    auto data = snapshot.query(QStringLiteral("SELECT run_id, name, version FROM data_versions WHERE ") + onlyFiltered + QStringLiteral(" ORDER BY run_id"), filtered);
    if (!data)
        return Failure{data.error()};
    while (data->next())
        if (const int row = rowFor(data->value(0).toString()); row >= 0)
            table->setDataAt(dataColumn(data->value(1).toString()), row, data->value(2).toString());
    if (auto done = snapshot.finished(*data); !done)
        return Failure{done.error()};

    auto git = snapshot.query(QStringLiteral("SELECT run_id, commit_sha, branch, dirty FROM git_info WHERE ") + onlyFiltered, filtered);
    if (!git)
        return Failure{git.error()};
    while (git->next())
        if (const int row = rowFor(git->value(0).toString()); row >= 0)
            table->setGit(row, {git->value(1).toString(), git->value(2).toString(), int8_t(git->value(3).toBool())});
    if (auto done = snapshot.finished(*git); !done)
        return Failure{done.error()};

    // A run's environment is many rows, usually the same as other runs':
    // each distinct one is made once.
    auto env = snapshot.query(QStringLiteral("SELECT run_id, key, value FROM environment WHERE ") + onlyFiltered + QStringLiteral(" ORDER BY run_id, key COLLATE \"C\""), filtered);
    if (!env)
        return Failure{env.error()};
    {
        QHash<QString, int> indexOf; // the environment's rows, joined, to its index
        QString lastRun;
        Environment current;
        auto finishRun = [&] {
            const int row = lastRun.isEmpty() ? -1 : rowFor(lastRun);
            if (row < 0)
                return;
            QString joined;
            for (const auto& [key, value] : current)
                joined += key + QChar(0) + value + QChar(0);
            auto it = indexOf.constFind(joined);
            if (it == indexOf.constEnd())
                it = indexOf.insert(joined, table->environmentIndex(current));
            table->setEnvironmentIndex(row, *it);
        };
        while (env->next()) {
            const QString run = env->value(0).toString();
            if (run != lastRun) {
                finishRun();
                lastRun = run;
                current.clear();
            }
            current.emplace_back(env->value(1).toString(), env->value(2).toString());
        }
        if (auto done = snapshot.finished(*env); !done)
            return Failure{done.error()};
        finishRun();
    }
    // Narrowed, the table still has every key the store has as a column (a
    // CSV's header, an unknown key's error, are the whole store's), each
    // listed from its index a key at a time.
    if (filter_) {
        // The distinct keys of a key-indexed table, a key at a time (a loose index scan).
        const auto keysOf = [](const char* table, const char* also) {
            return QStringLiteral("WITH RECURSIVE k(key) AS (SELECT min(key) FROM %1 WHERE true%2 UNION ALL SELECT (SELECT "
                                  "min(key) FROM %1 WHERE key > k.key%2) FROM k WHERE k.key IS NOT NULL) SELECT key FROM k "
                                  "WHERE key IS NOT NULL")
                .arg(QLatin1String(table), QLatin1String(also));
        };
        for (const auto& [sql, add] : {
                 std::pair{keysOf("params", ""), std::function<void(const QString&)>([&](const QString& key) { table->paramColumn(key); })},
                 std::pair{keysOf("tags", ""), std::function<void(const QString&)>([&](const QString& key) { table->tagColumn(key); })},
                 std::pair{keysOf("metrics", " AND count > 0"),
                     std::function<void(const QString&)>([&](const QString& key) { table->metricColumn(key); })},
                 std::pair{QStringLiteral("SELECT DISTINCT name FROM data_versions"),
                     std::function<void(const QString&)>([&](const QString& name) { table->dataColumn(name); })}}) {
            auto keys = snapshot.query(sql);
            if (!keys)
                return Failure{keys.error()};
            while (keys->next())
                add(keys->value(0).toString());
            if (auto done = snapshot.finished(*keys); !done)
                return Failure{done.error()};
        }
    }
    table->sortColumns();
    if (progress)
        progress(1.0);
    LoadedRuns loaded{std::move(table), {}, {}, stamp};
    return loaded;
}

Result<RunDetails> TeamStoreReader::loadDetails(const QString& runId)
{
    auto opened = beginSnapshot(*connection_);
    if (!opened)
        return Failure{opened.error()};
    Snapshot& snapshot = **opened;
    auto run = snapshot.query(QStringLiteral(
        "SELECT r.id, r.name, e.name, r.status, r.start_time, r.end_time, r.heartbeat, r.heartbeat_interval_ms, r.host, "
        "r.pid, r.parent_id, r.notes, r.hypothesis, r.repro_hash FROM runs r JOIN experiments e ON e.id = r.experiment_id "
        "WHERE r.id = ?"),
        {runId});
    if (!run)
        return Failure{run.error()};
    if (!run->next())
        return Failure{QStringLiteral("no run with id '%1' in %2").arg(runId, location())};
    RunDetails d;
    d.id = run->value(0).toString();
    d.name = run->value(1).toString();
    d.experiment = run->value(2).toString();
    d.status = effectiveStatus(run->value(3).toString().toStdString(), run->value(6).toLongLong(),
        run->value(7).toLongLong(), run->value(8).toString().toStdString(), run->value(9).toLongLong(),
        QDateTime::currentMSecsSinceEpoch(), QSysInfo::machineHostName().toStdString());
    d.startTime = run->value(4).toLongLong();
    d.endTime = endTimeOf(d.status, run->value(5).isNull(), run->value(5).toLongLong(), run->value(6).toLongLong());
    d.heartbeat = run->value(6).toLongLong();
    d.host = run->value(8).toString();
    d.pid = run->value(9).toLongLong();
    d.parentId = run->value(10).toString();
    d.notes = run->value(11).toString();
    d.hypothesis = run->value(12).toString();
    d.reproHash = run->value(13).toString();

    auto pairs = [&](const char* sql, KeyValues& out) -> Result<bool> {
        auto q = snapshot.query(QString::fromLatin1(sql), {runId});
        if (!q)
            return Failure{q.error()};
        while (q->next())
            out.emplace_back(q->value(0).toString(), q->value(1).toString());
        if (auto done = snapshot.finished(*q); !done)
            return Failure{done.error()};
        return true;
    };
    for (const auto& [sql, out] : {std::pair{"SELECT name, json FROM configs WHERE run_id = ? ORDER BY name COLLATE \"C\"", &d.configs},
             std::pair{"SELECT key, value FROM tags WHERE run_id = ? ORDER BY key COLLATE \"C\"", &d.tags},
             std::pair{"SELECT name, version FROM data_versions WHERE run_id = ? ORDER BY name COLLATE \"C\"", &d.dataVersions},
             std::pair{"SELECT key, value FROM environment WHERE run_id = ? ORDER BY key COLLATE \"C\"", &d.environment}})
        if (auto read = pairs(sql, *out); !read)
            return Failure{read.error()};

    auto params = snapshot.query(QStringLiteral("SELECT key, type, value FROM params WHERE run_id = ? ORDER BY key COLLATE \"C\""), {runId});
    if (!params)
        return Failure{params.error()};
    while (params->next())
        d.params.push_back({params->value(0).toString(), params->value(1).toString(), params->value(2).toString()});
    if (auto done = snapshot.finished(*params); !done)
        return Failure{done.error()};

    auto metrics = snapshot.query(QStringLiteral(
        "SELECT key, count, first_step, last_step, last_value, min_value, max_value, nan_count, CASE WHEN value_sum_count "
        "= count AND count > nan_count THEN value_sum / (count - nan_count) END FROM metrics WHERE run_id = ? AND count > 0 "
        "ORDER BY key COLLATE \"C\""),
        {runId});
    if (!metrics)
        return Failure{metrics.error()};
    while (metrics->next())
        d.metrics.push_back({metrics->value(0).toString(), metrics->value(1).toLongLong(), metrics->value(2).toLongLong(),
            metrics->value(3).toLongLong(), realOrNan(metrics->value(4)), realOrNan(metrics->value(5)),
            realOrNan(metrics->value(6)), realOrNan(metrics->value(8)), metrics->value(7).toLongLong()});
    if (auto done = snapshot.finished(*metrics); !done)
        return Failure{done.error()};

    auto git = snapshot.query(QStringLiteral("SELECT repo_path, commit_sha, branch, remote, dirty, diff, diff_truncated "
                                             "FROM git_info WHERE run_id = ?"),
        {runId});
    if (!git)
        return Failure{git.error()};
    if (git->next()) {
        d.git.present = true;
        d.git.repoPath = git->value(0).toString();
        d.git.commit = git->value(1).toString();
        d.git.branch = git->value(2).toString();
        d.git.remote = git->value(3).toString();
        d.git.dirty = git->value(4).toBool();
        d.git.diff = git->value(5).toString();
        d.git.diffTruncated = git->value(6).toBool();
    }

    auto artifacts = snapshot.query(
        QStringLiteral("SELECT path, uri, sha256, size FROM artifacts WHERE run_id = ? ORDER BY path COLLATE \"C\""), {runId});
    if (!artifacts)
        return Failure{artifacts.error()};
    while (artifacts->next())
        d.artifacts.push_back({artifacts->value(0).toString(), artifacts->value(1).toString(),
            artifacts->value(2).toString(), artifacts->value(3).isNull() ? -1 : artifacts->value(3).toLongLong()});
    if (auto done = snapshot.finished(*artifacts); !done)
        return Failure{done.error()};

    auto events = snapshot.query(QStringLiteral("SELECT time, \"user\", field, key, old_value, new_value FROM run_events "
                                                "WHERE run_id = ? ORDER BY time, origin_id"),
        {runId});
    if (!events)
        return Failure{events.error()};
    while (events->next()) {
        RunEvent e{d.id, events->value(0).toLongLong(), events->value(1).toString(), events->value(2).toString(),
            events->value(3).toString(), std::nullopt, std::nullopt};
        if (!events->value(4).isNull())
            e.before = events->value(4).toString();
        if (!events->value(5).isNull())
            e.after = events->value(5).toString();
        d.events.push_back(std::move(e));
    }
    if (auto done = snapshot.finished(*events); !done)
        return Failure{done.error()};
    return d;
}

Result<MetricSeries> TeamStoreReader::loadSeries(const QString& runId, const QString& key)
{
    auto opened = beginSnapshot(*connection_);
    if (!opened)
        return Failure{opened.error()};
    Snapshot& snapshot = **opened;
    auto meta = snapshot.query(QStringLiteral("SELECT id, count FROM metrics WHERE run_id = ? AND key = ?"), {runId, key});
    if (!meta)
        return Failure{meta.error()};
    if (!meta->next())
        return Failure{QStringLiteral("run '%1' has no metric '%2'").arg(runId, key)};
    const qlonglong metricId = meta->value(0).toLongLong();
    MetricSeries series;
    // Trusted within reason, as the local reader does: the arrays grow past it.
    const auto expected = static_cast<size_t>(std::clamp<qlonglong>(meta->value(1).toLongLong(), 0, qlonglong(1) << 24));
    series.steps.reserve(expected);
    series.wallTimes.reserve(expected);
    series.values.reserve(expected);
    auto chunks = snapshot.query(
        QStringLiteral("SELECT seq, points FROM metric_chunks WHERE metric_id = ? ORDER BY seq"), {metricId});
    if (!chunks)
        return Failure{chunks.error()};
    while (chunks->next()) {
        const QByteArray points = chunks->value(1).toByteArray();
        if (!decodeChunk(std::as_bytes(std::span(points.constData(), size_t(points.size()))), series.steps,
                series.wallTimes, series.values))
            series.problems.append(QStringLiteral("chunk %1 of metric '%2' is damaged and was skipped")
                                       .arg(chunks->value(0).toLongLong())
                                       .arg(key));
    }
    if (auto done = snapshot.finished(*chunks); !done)
        return Failure{done.error()};
    return series;
}

} // namespace runlens
