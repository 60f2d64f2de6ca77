// SPDX-License-Identifier: GPL-3.0-or-later
#include "team_store_pusher.h"

#include "team_connection.h"
#include "team_schema.h"

#include "runlens/run_liveness.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QVariant>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <vector>

namespace runlens {

namespace {

// Thrown inside a run's transaction and caught around it: every statement
// failing means the same thing (roll back, say why), written once.
struct PushFailure {
    QString message;
};

QString text(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QVariant nullableInt(const SqliteStatement& st, int col)
{
    return st.isNull(col) ? QVariant(QMetaType::fromType<qlonglong>()) : QVariant(qlonglong(st.int64(col)));
}

QVariant nullableReal(const SqliteStatement& st, int col)
{
    return st.isNull(col) ? QVariant(QMetaType::fromType<double>()) : QVariant(st.real(col));
}

QVariant nullableText(const SqliteStatement& st, int col)
{
    return st.isNull(col) ? QVariant(QMetaType::fromType<QString>()) : QVariant(text(st.text(col)));
}

bool hasColumn(SqliteDb& db, const char* table, const char* column)
{
    auto st = db.prepare(std::string("SELECT count(*) FROM pragma_table_info('") + table + "') WHERE name=?");
    st.bind(1, std::string(column));
    st.step();
    return st.int64(0) > 0;
}

// The statements of one push, prepared once on the team's connection.
class TeamStatements {
public:
    TeamStatements(TeamConnection& team, QSqlDatabase db)
        : team_(team)
        , db_(std::move(db))
    {
    }

    QSqlQuery& operator()(const QString& sql)
    {
        auto it = prepared_.find(sql);
        if (it == prepared_.end()) {
            QSqlQuery q(db_);
            q.setForwardOnly(true);
            if (!q.prepare(sql))
                throw PushFailure{team_.describe(q)};
            it = prepared_.emplace(sql, std::move(q)).first;
        }
        return it->second;
    }

    // Runs `sql` with `values` bound in order.
    QSqlQuery& run(const QString& sql, const QVariantList& values)
    {
        QSqlQuery& q = (*this)(sql);
        for (int i = 0; i < values.size(); ++i)
            q.bindValue(i, values[i]);
        if (!q.exec())
            throw PushFailure{team_.describe(q)};
        return q;
    }

    void plain(const QString& sql)
    {
        QSqlQuery q(db_);
        if (!q.exec(sql))
            throw PushFailure{team_.describe(q)};
    }

    QSqlDatabase& db() { return db_; }

private:
    TeamConnection& team_;
    QSqlDatabase db_;
    std::map<QString, QSqlQuery> prepared_;
};

struct LocalRun {
    QString id;
    QString name;
    QString experiment;
    int64_t revisionTime = 0; // the newest of its heartbeat, end and last edit: the conflict rule's clock
    int64_t points = 0;       // every series' count, summed
    int64_t metrics = 0;
    bool markedRunning = false; // its row says running (its logger alive or not)
    bool logging = false;     // marked running by a logger that is still alive (runlens/run_liveness.h)
};

// What a local store offers, read in snapshots, one run at a time: a push
// of a store that training is writing never holds its writer back for long.
class LocalStore {
public:
    explicit LocalStore(const QString& path)
        : db_(path.toStdString(), SqliteDb::Mode::ReadOnly)
    {
        const int version = storeSchemaVersion(db_);
        if (version == 0)
            throw PushFailure{QStringLiteral("'%1' is an empty SQLite file, not a Runlens store").arg(path)};
        if (version > kStoreSchemaVersion)
            throw PushFailure{QStringLiteral("'%1' was written by a newer Runlens (store schema %2); upgrade Runlens to push it")
                                  .arg(path)
                                  .arg(version)};
        hasConfigHash_ = hasColumn(db_, "runs", "config_hash");
        hasValueSums_ = storeKeepsValueSums(db_);
        hasEvents_ = db_.tableExists("run_events");
    }

    SqliteDb& db() { return db_; }
    bool hasConfigHash() const { return hasConfigHash_; }
    bool hasValueSums() const { return hasValueSums_; }
    bool hasEvents() const { return hasEvents_; }

    // Every run, in the order they started; each with its change time and points.
    std::vector<LocalRun> runs()
    {
        SqliteReadTransaction snapshot(db_);
        auto st = db_.prepare(runSql("ORDER BY r.start_time, r.id"));
        std::vector<LocalRun> out;
        while (st.step())
            out.push_back(runOf(st));
        return out;
    }

    // One run as it is now, in the caller's snapshot; nullopt once deleted.
    std::optional<LocalRun> run(const QString& id)
    {
        auto st = db_.prepare(runSql("WHERE r.id = ?"));
        st.bind(1, id.toStdString());
        if (!st.step())
            return std::nullopt;
        return runOf(st);
    }

private:
    std::string runSql(const char* tail) const
    {
        const std::string lastEdit = hasEvents_ ? "(SELECT max(time) FROM run_events v WHERE v.run_id = r.id)" : "NULL";
        return "SELECT r.id, r.name, e.name, max(r.heartbeat, coalesce(r.end_time, 0), coalesce(" + lastEdit
            + ", 0)), (SELECT coalesce(sum(count), 0) FROM metrics m WHERE m.run_id = r.id), "
              "(SELECT count(*) FROM metrics m WHERE m.run_id = r.id), r.status, r.heartbeat, "
              "coalesce(r.heartbeat_interval_ms, 0), coalesce(r.host, ''), coalesce(r.pid, 0) "
              "FROM runs r JOIN experiments e ON e.id = r.experiment_id "
            + tail;
    }
    LocalRun runOf(const SqliteStatement& st) const
    {
        LocalRun run{text(st.text(0)), text(st.text(1)), text(st.text(2)), st.int64(3), st.int64(4), st.int64(5)};
        run.markedRunning = st.text(6) == "running";
        run.logging = run.markedRunning
            && runLiveness({st.int64(7), st.int64(8), st.text(9), st.int64(10)}, QDateTime::currentMSecsSinceEpoch(),
                   localHost_)
                == Liveness::Alive;
        return run;
    }

    SqliteDb db_;
    const std::string localHost_ = QSysInfo::machineHostName().toStdString();
    bool hasConfigHash_ = false;
    bool hasValueSums_ = false;
    bool hasEvents_ = false;
};

class Pusher {
public:
    Pusher(LocalStore& local, TeamStatements& team, QString origin)
        : local_(local)
        , team_(team)
        , origin_(std::move(origin))
    {
    }

    // What the team store has of `run`: nothing, the same, or a newer copy.
    enum class TeamCopy { Missing, Older, Same, Newer };
    TeamCopy compare(const LocalRun& run, bool lock, QString* newerFrom = nullptr)
    {
        // Locked, the row stays as read until the transaction ends.
        auto& q = team_.run(QStringLiteral("SELECT revision_time, pushed_from, pushed_by, (SELECT coalesce(sum(count), 0) "
                                           "FROM metrics m WHERE m.run_id = r.id), (SELECT count(*) FROM metrics m "
                                           "WHERE m.run_id = r.id) FROM runs r WHERE id = ?")
                                + (lock ? QStringLiteral(" FOR UPDATE") : QString()),
            {run.id});
        if (!q.next())
            return TeamCopy::Missing;
        const qint64 teamTime = q.value(0).toLongLong();
        const qint64 teamPoints = q.value(3).toLongLong(), teamMetrics = q.value(4).toLongLong();
        const QString teamFrom = QStringLiteral("%1 by %2").arg(q.value(1).toString(), q.value(2).toString());
        q.finish();
        if (teamTime > run.revisionTime) {
            if (newerFrom)
                *newerFrom = teamFrom;
            return TeamCopy::Newer;
        }
        if (teamTime < run.revisionTime)
            return TeamCopy::Older;
        // Changed at the same moment (copies that parted without an edit
        // since): the one with more logged wins.
        const std::pair<int64_t, int64_t> local(run.points, run.metrics), team(teamPoints, teamMetrics);
        if (local == team)
            return TeamCopy::Same;
        if (local > team)
            return TeamCopy::Older;
        if (newerFrom)
            *newerFrom = teamFrom + QStringLiteral(", with more points");
        return TeamCopy::Newer;
    }

    // One run, in the transaction the caller opened.
    void send(const LocalRun& run, PushReport& report)
    {
        SqliteDb& db = local_.db();
        const std::string id = run.id.toStdString();
        const qint64 experiment = experimentId(run.experiment);

        auto r = db.prepare(std::string("SELECT name, status, start_time, end_time, heartbeat, heartbeat_interval_ms, host, "
                                        "pid, parent_id, notes, hypothesis, repro_hash, ")
            + (local_.hasConfigHash() ? "config_hash" : "''") + " FROM runs WHERE id=?");
        r.bind(1, id);
        if (!r.step())
            throw PushFailure{QStringLiteral("the run is no longer in the store")};
        team_.run(QStringLiteral(
                      "INSERT INTO runs(id, experiment_id, name, status, start_time, end_time, heartbeat, "
                      "heartbeat_interval_ms, host, pid, parent_id, notes, hypothesis, repro_hash, config_hash, revision_time, "
                      "pushed_from, pushed_by, pushed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_user, now()) "
                      "ON CONFLICT (id) DO UPDATE SET experiment_id = EXCLUDED.experiment_id, name = EXCLUDED.name, "
                      "status = EXCLUDED.status, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time, "
                      "heartbeat = EXCLUDED.heartbeat, heartbeat_interval_ms = EXCLUDED.heartbeat_interval_ms, "
                      "host = EXCLUDED.host, pid = EXCLUDED.pid, parent_id = EXCLUDED.parent_id, notes = EXCLUDED.notes, "
                      "hypothesis = EXCLUDED.hypothesis, repro_hash = EXCLUDED.repro_hash, config_hash = EXCLUDED.config_hash, "
                      "revision_time = EXCLUDED.revision_time, pushed_from = EXCLUDED.pushed_from, "
                      "pushed_by = current_user, pushed_at = now()"),
            {run.id, experiment, text(r.text(0)), text(r.text(1)), qlonglong(r.int64(2)), nullableInt(r, 3),
                qlonglong(r.int64(4)), qlonglong(r.int64(5)), text(r.text(6)), qlonglong(r.int64(7)), nullableText(r, 8),
                text(r.text(9)), text(r.text(10)), text(r.text(11)), text(r.text(12)), qlonglong(run.revisionTime), origin_});

        // Small per-run tables: replaced whole, so what the run no longer
        // has (a tag removed in the notebook) goes too.
        replaceRows(id, run.id, "params", {"key", "type", "value"});
        replaceRows(id, run.id, "configs", {"name", "json"});
        replaceRows(id, run.id, "tags", {"key", "value"});
        replaceRows(id, run.id, "data_versions", {"name", "version"});
        replaceRows(id, run.id, "environment", {"key", "value"});
        replaceRows(id, run.id, "artifacts", {"path", "uri", "size", "sha256"});
        team_.run(QStringLiteral("DELETE FROM git_info WHERE run_id = ?"), {run.id});
        auto git = db.prepare("SELECT repo_path, commit_sha, branch, remote, dirty, diff, diff_truncated FROM git_info WHERE run_id=?");
        git.bind(1, id);
        if (git.step())
            team_.run(QStringLiteral("INSERT INTO git_info(run_id, repo_path, commit_sha, branch, remote, dirty, diff, "
                                     "diff_truncated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                {run.id, text(git.text(0)), text(git.text(1)), text(git.text(2)), text(git.text(3)), git.int64(4) != 0,
                    text(git.text(5)), git.int64(6) != 0});

        sendMetrics(id, run.id, report);

        if (local_.hasEvents()) {
            auto events = db.prepare("SELECT id, time, user, field, key, old_value, new_value FROM run_events WHERE run_id=? ORDER BY id");
            events.bind(1, id);
            while (events.step())
                // Keyed by the store it came from: two copies' edits both stay.
                team_.run(QStringLiteral("INSERT INTO run_events(run_id, origin, origin_id, time, \"user\", field, key, "
                                         "old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
                    {run.id, origin_, qlonglong(events.int64(0)), qlonglong(events.int64(1)), text(events.text(2)),
                        text(events.text(3)), text(events.text(4)), nullableText(events, 5), nullableText(events, 6)});
        }
    }

private:
    qint64 experimentId(const QString& name)
    {
        auto created = local_.db().prepare("SELECT created_at FROM experiments WHERE name=?");
        created.bind(1, name.toStdString());
        const qlonglong createdAt = created.step() ? created.int64(0) : 0;
        team_.run(QStringLiteral("INSERT INTO experiments(name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING"),
            {name, createdAt});
        auto& q = team_.run(QStringLiteral("SELECT id FROM experiments WHERE name = ?"), {name});
        if (!q.next())
            throw PushFailure{QStringLiteral("the experiment '%1' could not be created in the team store").arg(name)};
        const qint64 id = q.value(0).toLongLong();
        q.finish();
        // Not kept across runs: a run rolled back may have created it, and
        // the next run must not trust an id that was never committed.
        return id;
    }

    // The run's rows of `table` (the same columns in both stores) as the
    // local store has them.
    void replaceRows(const std::string& id, const QString& runId, const char* table, std::initializer_list<const char*> columns)
    {
        QStringList names;
        for (const char* column : columns)
            names << QLatin1String(column);
        const QString name = QLatin1String(table);
        team_.run(QStringLiteral("DELETE FROM %1 WHERE run_id = ?").arg(name), {runId});
        auto st = local_.db().prepare(QStringLiteral("SELECT %1 FROM %2 WHERE run_id=?").arg(names.join(QLatin1String(", ")), name).toStdString());
        st.bind(1, id);
        const QString insert = QStringLiteral("INSERT INTO %1(run_id, %2) VALUES (?%3)")
                                   .arg(name, names.join(QLatin1String(", ")), QStringLiteral(", ?").repeated(names.size()));
        while (st.step()) {
            QVariantList values{runId};
            for (int c = 0; c < names.size(); ++c)
                values << (st.isNull(c) ? QVariant(QMetaType::fromType<QString>()) : QVariant(text(st.text(c))));
            team_.run(insert, values);
        }
    }

    void sendMetrics(const std::string& id, const QString& runId, PushReport& report)
    {
        SqliteDb& db = local_.db();
        auto metrics = db.prepare(std::string("SELECT id, key, count, first_step, last_step, last_value, last_time, min_value, "
                                              "max_value, nan_count, ")
            + (local_.hasValueSums() ? "value_sum, value_sum_count" : "NULL, NULL") + " FROM metrics WHERE run_id=? ORDER BY id");
        metrics.bind(1, id);
        // The winning copy replaces the team's whole: its metrics the local
        // run does not have go, as do chunks past its own.
        QHash<QString, qlonglong> teamMetrics;
        auto& known = team_.run(QStringLiteral("SELECT id, key FROM metrics WHERE run_id = ?"), {runId});
        while (known.next())
            teamMetrics.insert(known.value(1).toString(), known.value(0).toLongLong());
        if (known.lastError().isValid())
            throw PushFailure{QStringLiteral("reading the team's metrics of the run: %1").arg(known.lastError().text())};
        auto localChunks = db.prepare("SELECT seq, count FROM metric_chunks WHERE metric_id=? ORDER BY seq");
        auto localChunk = db.prepare("SELECT first_step, last_step, count, points FROM metric_chunks WHERE metric_id=? AND seq=?");
        while (metrics.step()) {
            auto& up = team_.run(
                QStringLiteral("INSERT INTO metrics(run_id, key, count, first_step, last_step, last_value, last_time, "
                               "min_value, max_value, nan_count, value_sum, value_sum_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                               "?, ?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET count = EXCLUDED.count, first_step = "
                               "EXCLUDED.first_step, last_step = EXCLUDED.last_step, last_value = EXCLUDED.last_value, "
                               "last_time = EXCLUDED.last_time, min_value = EXCLUDED.min_value, max_value = "
                               "EXCLUDED.max_value, nan_count = EXCLUDED.nan_count, value_sum = EXCLUDED.value_sum, "
                               "value_sum_count = EXCLUDED.value_sum_count RETURNING id"),
                {runId, text(metrics.text(1)), qlonglong(metrics.int64(2)), nullableInt(metrics, 3), nullableInt(metrics, 4),
                    nullableReal(metrics, 5), nullableReal(metrics, 6), nullableReal(metrics, 7), nullableReal(metrics, 8),
                    qlonglong(metrics.int64(9)), nullableReal(metrics, 10), nullableInt(metrics, 11)});
            if (!up.next())
                throw PushFailure{QStringLiteral("the team store did not return the id of metric '%1'").arg(text(metrics.text(1)))};
            const qlonglong teamMetric = up.value(0).toLongLong();
            up.finish();
            teamMetrics.remove(text(metrics.text(1)));

            // Chunks only grow (the tail is rewritten as points arrive):
            // what the team has with as many points is not sent again.
            QHash<qlonglong, qlonglong> teamCounts;
            auto& have = team_.run(QStringLiteral("SELECT seq, count FROM metric_chunks WHERE metric_id = ?"), {teamMetric});
            while (have.next())
                teamCounts.insert(have.value(0).toLongLong(), have.value(1).toLongLong());
            if (have.lastError().isValid())
                throw PushFailure{QStringLiteral("reading the team's chunks: %1").arg(have.lastError().text())};
            localChunks.bind(1, metrics.int64(0));
            std::vector<int64_t> wanted;
            while (localChunks.step()) {
                const auto seq = localChunks.int64(0);
                if (teamCounts.value(seq, -1) != localChunks.int64(1))
                    wanted.push_back(seq);
                teamCounts.remove(seq);
            }
            localChunks.reset();
            for (auto it = teamCounts.cbegin(); it != teamCounts.cend(); ++it)
                team_.run(QStringLiteral("DELETE FROM metric_chunks WHERE metric_id = ? AND seq = ?"), {teamMetric, it.key()});
            for (const int64_t seq : wanted) {
                localChunk.bind(1, metrics.int64(0)).bind(2, seq);
                if (!localChunk.step()) {
                    localChunk.reset();
                    continue;
                }
                const auto blob = localChunk.blob(3);
                const QByteArray points(reinterpret_cast<const char*>(blob.data()), qsizetype(blob.size()));
                team_.run(QStringLiteral("INSERT INTO metric_chunks(metric_id, seq, first_step, last_step, count, points) "
                                         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (metric_id, seq) DO UPDATE SET first_step "
                                         "= EXCLUDED.first_step, last_step = EXCLUDED.last_step, count = EXCLUDED.count, "
                                         "points = EXCLUDED.points"),
                    {teamMetric, qlonglong(seq), qlonglong(localChunk.int64(0)), qlonglong(localChunk.int64(1)),
                        qlonglong(localChunk.int64(2)), points});
                ++report.chunksSent;
                report.chunkBytes += points.size();
                localChunk.reset();
            }
        }
        for (auto it = teamMetrics.cbegin(); it != teamMetrics.cend(); ++it)
            team_.run(QStringLiteral("DELETE FROM metrics WHERE id = ?"), {it.value()});
    }

    LocalStore& local_;
    TeamStatements& team_;
    QString origin_;
};

} // namespace

Result<PushReport> pushToTeamStore(const QString& localStore, TeamConnection& team, const PushOptions& options)
{
    const PushProgress& progress = options.progress;
    auto opened = team.database();
    if (!opened)
        return Failure{opened.error()};
    QSqlDatabase db = *opened;
    if (!QFileInfo::exists(localStore))
        return Failure{QStringLiteral("'%1' does not exist").arg(localStore)};
    if (!QFileInfo(localStore).isFile())
        return Failure{QStringLiteral("'%1' is not a file: push takes a Runlens store (a .db file)").arg(localStore)};
    bool inTransaction = false;
    try {
        const auto version = teamSchemaVersion(team, db);
        if (!version)
            return Failure{version.error()};
        if (*version == 0)
            return Failure{QStringLiteral("team store %1 is an empty database; create the team store first: runlens "
                                          "init-team %1").arg(team.url().display())};
        if (*version < kTeamSchemaVersion)
            return Failure{QStringLiteral("team store %1 has an older schema (%2); bring it up to date with: runlens "
                                          "init-team %1").arg(team.url().display()).arg(*version)};
        // A reader's push fails at once, saying what the role lacks, rather
        // than run by run.
        QSqlQuery rights(db);
        if (!rights.exec(QStringLiteral("SELECT bool_and(has_table_privilege(t, 'INSERT') AND has_table_privilege(t, 'UPDATE') "
                                        "AND has_table_privilege(t, 'DELETE')) FROM unnest(ARRAY['runs', 'params', 'metrics', "
                                        "'metric_chunks', 'team_meta']) AS t"))
            || !rights.next())
            return Failure{team.describe(rights)};
        if (!rights.value(0).toBool())
            return Failure{QStringLiteral("team store %1: permission denied: the role '%2' may read this team store but not "
                                          "push to it (it needs runlens_writer: GRANT runlens_writer TO %2)")
                               .arg(team.url().display(), team.url().user.isEmpty() ? QStringLiteral("(your login)") : team.url().user)};
        LocalStore local(localStore);
        TeamStatements statements(team, db);
        Pusher pusher(local, statements,
            QSysInfo::machineHostName() + QLatin1Char(':') + QFileInfo(localStore).canonicalFilePath());
        PushReport report;
        std::vector<LocalRun> runs = local.runs();
        if (!options.runs.isEmpty()) {
            std::erase_if(runs, [&](const LocalRun& run) { return !options.runs.contains(run.id); });
            for (const QString& id : options.runs)
                if (std::none_of(runs.begin(), runs.end(), [&](const LocalRun& run) { return run.id == id; }))
                    report.missing << id;
        }
        // A run pushed or there already, as it was read: still logging or not.
        const auto tally = [&report](const LocalRun& run) {
            report.runsLogging += run.logging;
            report.runsMarkedRunning += run.markedRunning;
        };
        int done = 0;
        for (const LocalRun& listed : runs) {
            if (progress && !progress(done, int(runs.size())))
                return Failure{QStringLiteral("the push was stopped after %1 of %2 runs; push again to send the rest")
                                   .arg(done)
                                   .arg(runs.size())};
            ++done;
            // Most runs of a store pushed before are there already: told
            // apart without a transaction or a lock.
            QString newerFrom;
            if (pusher.compare(listed, false) == Pusher::TeamCopy::Same) {
                ++report.runsUnchanged;
                tally(listed);
                continue;
            }
            try {
                // The run as it is now, read in the one snapshot it is sent
                // from: its change time and points are those of what goes.
                SqliteReadTransaction snapshot(local.db());
                const auto run = local.run(listed.id);
                if (!run)
                    continue; // deleted since the listing
                if (!db.transaction())
                    throw PushFailure{team.describe(db.lastError())};
                inTransaction = true;
                // One push of a run at a time, even of a run the team store
                // does not have yet (FOR UPDATE has no row to lock then).
                statements.run(QStringLiteral("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))"), {run->id}).finish();
                const auto copy = pusher.compare(*run, true, &newerFrom);
                if (copy == Pusher::TeamCopy::Newer || copy == Pusher::TeamCopy::Same) {
                    db.rollback();
                    inTransaction = false;
                    if (copy == Pusher::TeamCopy::Newer)
                        report.keptNewer << QStringLiteral("%1 (%2): the team store's copy changed later (pushed from %3); "
                                                           "kept it, this store's copy was not sent")
                                                .arg(run->name, run->id, newerFrom);
                    else
                        ++report.runsUnchanged;
                    tally(*run);
                    continue;
                }
                pusher.send(*run, report);
                // Last, so the one row every push touches is held only while committing.
                statements.run(QStringLiteral("UPDATE team_meta SET value = (value::bigint + 1)::text WHERE key = 'revision'"), {});
                statements.plain(QStringLiteral("NOTIFY runlens_team"));
                if (!db.commit())
                    throw PushFailure{team.describe(db.lastError())};
                inTransaction = false;
                ++report.runsSent;
                tally(*run);
            } catch (const PushFailure& failure) {
                // Rolled back here, while the prepared statements still
                // exist (freeing them in an aborted transaction fails).
                if (inTransaction)
                    db.rollback();
                inTransaction = false;
                // The server gone: nothing more can go. A run the server
                // refused (a hand-edited store's value, a NUL in a text):
                // named, and the runs after it still go.
                QSqlQuery alive(db);
                if (!alive.exec(QStringLiteral("SELECT 1")))
                    throw;
                report.failed << QStringLiteral("%1 (%2): %3").arg(listed.name, listed.id, failure.message);
            }
        }
        if (progress)
            progress(done, int(runs.size()));
        return report;
    } catch (const PushFailure& failure) {
        if (inTransaction)
            db.rollback();
        return Failure{failure.message};
    } catch (const std::exception& e) {
        if (inTransaction)
            db.rollback();
        return Failure{QString::fromUtf8(e.what())};
    }
}

} // namespace runlens
