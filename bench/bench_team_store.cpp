// SPDX-License-Identifier: GPL-3.0-or-later
// The team store on a real PostgreSQL server (the tests' postgres_test_server.h):
//
//   bench_team_store [RUNS] [STEPS]     (default 40 runs x 20 metrics x 20,000 steps)
//
// - push: a local store's runs into an empty team store, against COPY of the
//   same chunk bytes into a table of the same shape (psql \copy, the fastest
//   way PostgreSQL takes rows), in the same run;
// - push again with nothing new (what --watch does every few seconds);
// - eight pushers at once (eight local stores, a runlens push process each)
//   against one push of the same runs from one store;
// - the team store's table loaded as the app does, against the same runs
//   from the local file.
//
//   bench_team_store scale [RUNS...]    (default 1000 10000 100000)
//
// - a team store of RUNS runs x 50 params x 20 metrics (made in the server
//   with generate_series): the table loaded as the app loads it (time and
//   resident memory), against reading the same rows through Qt Sql into
//   nothing (the bytes alone); a selective query (0.1% of the runs)
//   evaluated in the server (StoreReader::narrowTo) against loading every
//   run and evaluating it in memory.
#include "bench_timer.h"
#include "postgres_test_server.h"

#include "runlens/chunk_codec.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "run_query.h"
#include "store_registry.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTextStream>

#include <cmath>
#include <cstdio>
#include <random>
#include <unistd.h>
#include <vector>

using namespace runlens;
using namespace runlens::bench;

namespace {

constexpr int kMetrics = 20;

// Runs straight into the schema (the logger would spend its own time on
// the points), each series in full chunks as the logger leaves them.
void makeStore(const QString& path, int firstRun, int runs, int steps)
{
    for (const char* suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    SqliteDb db = openStoreForWriting(path.toStdString());
    SqliteTransaction tx(db);
    db.exec("INSERT INTO experiments(id, name, created_at) VALUES(1, 'sweep', 0)");
    auto run = db.prepare("INSERT INTO runs(id, experiment_id, name, status, start_time, end_time, heartbeat, "
                          "heartbeat_interval_ms) VALUES(?, 1, ?, 'finished', ?, ?, ?, 1000)");
    auto param = db.prepare("INSERT INTO params(run_id, key, type, value) VALUES(?, ?, 'float', ?)");
    auto metric = db.prepare("INSERT INTO metrics(run_id, key, count, first_step, last_step, last_value, last_time, "
                             "min_value, max_value) VALUES(?, ?, ?, 0, ?, ?, 0, 0, 1)");
    auto chunk = db.prepare("INSERT INTO metric_chunks(metric_id, seq, first_step, last_step, count, points) VALUES(?, ?, ?, ?, ?, ?)");
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0, 0.01);
    std::vector<MetricPoint> points;
    std::vector<std::byte> blob;
    for (int r = firstRun; r < firstRun + runs; ++r) {
        char id[40];
        std::snprintf(id, sizeof id, "%032x", unsigned(r) * 2654435761u);
        const int64_t start = 1700000000000LL + r * 60000LL;
        run.bind(1, id).bind(2, "run-" + std::to_string(r)).bind(3, start).bind(4, start + 3600000).bind(5, start + 3600000).run();
        for (int p = 0; p < 20; ++p)
            param.bind(1, id).bind(2, "param_" + std::to_string(p)).bind(3, std::to_string(0.001 * (r + p))).run();
        for (int m = 0; m < kMetrics; ++m) {
            metric.bind(1, id).bind(2, "metric_" + std::to_string(m)).bind(3, int64_t(steps)).bind(4, int64_t(steps - 1));
            metric.bind(5, 0.5).run();
            const int64_t metricId = db.lastInsertRowId();
            for (int64_t seq = 0, s = 0; s < steps; ++seq) {
                points.clear();
                for (; s < steps && points.size() < kChunkCapacity; ++s)
                    points.push_back({s, double(start) / 1000 + double(s) * 0.05, std::exp(-double(s) / steps) + noise(rng)});
                encodeChunk(points, blob);
                chunk.bind(1, metricId).bind(2, seq).bind(3, points.front().step).bind(4, points.back().step);
                chunk.bind(5, int64_t(points.size())).bindBlob(6, blob).run();
            }
        }
    }
    tx.commit();
}

struct ChunkBytes {
    int64_t chunks = 0;
    int64_t bytes = 0;
};

// The store's chunks as a COPY text file (bytea as \\x hex), and what they hold.
ChunkBytes writeCopyFile(const QString& store, const QString& file)
{
    SqliteDb db(store.toStdString(), SqliteDb::Mode::ReadOnly);
    auto st = db.prepare("SELECT metric_id, seq, first_step, last_step, count, points FROM metric_chunks");
    QFile out(file);
    out.open(QIODevice::WriteOnly);
    ChunkBytes total;
    QByteArray line;
    while (st.step()) {
        const auto blob = st.blob(5);
        const QByteArray bytes(reinterpret_cast<const char*>(blob.data()), qsizetype(blob.size()));
        line = QByteArray::number(qlonglong(st.int64(0))) + '\t' + QByteArray::number(qlonglong(st.int64(1))) + '\t'
            + QByteArray::number(qlonglong(st.int64(2))) + '\t' + QByteArray::number(qlonglong(st.int64(3))) + '\t'
            + QByteArray::number(qlonglong(st.int64(4))) + "\t\\\\x" + bytes.toHex() + '\n';
        out.write(line);
        ++total.chunks;
        total.bytes += bytes.size();
    }
    return total;
}

double runPush(const QString& store, const QString& url, QString* output = nullptr)
{
    QProcess push;
    Stopwatch t;
    push.start(QStringLiteral(RUNLENS_BIN), {QStringLiteral("push"), store, url});
    push.waitForFinished(-1);
    const double s = t.seconds();
    if (push.exitCode() != 0)
        std::fprintf(stderr, "push failed: %s\n", push.readAllStandardError().constData());
    if (output)
        *output = QString::fromUtf8(push.readAllStandardOutput()).trimmed();
    return s;
}

} // namespace

// Resident memory now (MB), from /proc/self/statm.
double residentMb()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * double(sysconf(_SC_PAGESIZE)) / 1e6 : 0;
}

int scale(test::PostgresTestServer& server, const std::vector<int>& sizes)
{
    const QString query = QStringLiteral("params.p30 = v3 and metrics.m03 > 0.99");
    for (const int runs : sizes) {
        const QString db = server.createDatabase();
        QProcess init;
        init.start(QStringLiteral(RUNLENS_BIN), {QStringLiteral("init-team"), server.url(db)});
        init.waitForFinished(-1);
        const QString n = QString::number(runs);
        Stopwatch fill;
        // Params: 25 floats and 25 words (ten values each); metrics with a
        // last value spread over [0, 1).
        for (const QString& sql : {
                 QStringLiteral("INSERT INTO experiments(name, created_at) SELECT 'exp-' || g, 0 FROM generate_series(0, 9) g"),
                 QStringLiteral("INSERT INTO runs(id, experiment_id, name, status, start_time, end_time, heartbeat, "
                                "heartbeat_interval_ms, revision_time, pushed_from) SELECT md5(g::text), (SELECT min(id) FROM "
                                "experiments) + g %% 10, 'run-' || g, 'finished', 1700000000000 + g * 1000, 1700000060000 + g * "
                                "1000, 1700000060000 + g * 1000, 1000, 1, 'bench' FROM generate_series(0, %1 - 1) g").arg(n),
                 QStringLiteral("INSERT INTO params(run_id, key, type, value) SELECT md5(g::text), 'p' || lpad(k::text, 2, '0'), "
                                "CASE WHEN k < 25 THEN 'float' ELSE 'string' END, CASE WHEN k < 25 THEN (((g * 31 + k * 7) %% "
                                "1000) / 1000.0)::text ELSE 'v' || ((g * 7 + k * 13) %% 10) END FROM generate_series(0, %1 - 1) g, "
                                "generate_series(0, 49) k").arg(n),
                 QStringLiteral("INSERT INTO metrics(run_id, key, count, first_step, last_step, last_value, last_time, min_value, "
                                "max_value, value_sum, value_sum_count) SELECT md5(g::text), 'm' || lpad(k::text, 2, '0'), 1000, 0, "
                                "999, v, 1700000060, v - 0.5, v + 0.5, v * 1000, 1000 FROM (SELECT g, k, ((g::bigint * 7919 + k * "
                                "104729) %% 100003) / 100003.0 AS v FROM generate_series(0, %1 - 1) g, generate_series(0, 19) k) s")
                     .arg(n),
                 QStringLiteral("INSERT INTO tags(run_id, key, value) SELECT md5(g::text), 'stage', CASE WHEN g %% 10 = 0 THEN "
                                "'prod' ELSE 'dev' END FROM generate_series(0, %1 - 1) g").arg(n),
                 QStringLiteral("ANALYZE")}) {
            QString why;
            if (!server.exec(db, QString(sql).replace(QStringLiteral("%%"), QStringLiteral("%")), &why)) {
                std::fprintf(stderr, "filling the team store failed: %s\n", qPrintable(why));
                return 1;
            }
        }
        std::printf("\nteam store: %d runs x 50 params x 20 metrics (made in %.1f s)\n", runs, fill.seconds());
        const QString url = server.url(db);

        // The table as the app loads it, and the memory it keeps.
        double loadMs = 0, tableMb = 0;
        {
            auto opened = openStore(url);
            if (!opened) {
                std::fprintf(stderr, "%s\n", qPrintable(opened.error()));
                return 1;
            }
            const double before = residentMb();
            Stopwatch t;
            auto loaded = (*opened)->loadRuns();
            loadMs = t.seconds() * 1000;
            tableMb = residentMb() - before;
            if (!loaded || loaded->table->rowCount() != runs)
                std::fprintf(stderr, "load failed: %s\n", loaded ? "wrong row count" : qPrintable(loaded.error()));
        }
        // The same rows through Qt Sql into nothing: what the wire and the driver cost alone.
        double bytesMs = 0;
        {
            QSqlDatabase conn = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("bytes"));
            conn.setHostName(QStringLiteral("127.0.0.1"));
            conn.setPort(server.port());
            conn.setDatabaseName(db);
            conn.setUserName(QString::fromLatin1(test::PostgresTestServer::kAdmin));
            conn.setPassword(QString::fromLatin1(test::PostgresTestServer::kAdminPassword));
            if (conn.open()) {
                Stopwatch t;
                qint64 cells = 0;
                for (const char* sql : {"SELECT r.id, r.name, e.name, r.status, r.start_time, r.end_time, r.heartbeat, "
                                        "r.heartbeat_interval_ms, r.host, r.pid, r.parent_id, r.notes, r.hypothesis FROM runs r "
                                        "JOIN experiments e ON e.id = r.experiment_id",
                         "SELECT run_id, key, type, value FROM params", "SELECT run_id, key, value FROM tags",
                         "SELECT run_id, key, last_value, min_value, max_value, count, last_step, value_sum, nan_count FROM metrics"}) {
                    QSqlQuery q(conn);
                    q.setForwardOnly(true);
                    q.exec(QString::fromLatin1(sql));
                    const int columns = q.record().count();
                    while (q.next())
                        for (int c = 0; c < columns; ++c)
                            cells += q.value(c).isNull() ? 0 : 1;
                }
                bytesMs = t.seconds() * 1000;
                std::printf("  (%lld cells read)\n", qlonglong(cells));
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("bytes"));
        report("table loaded (ms)", loadMs, "ms", "the same rows read into nothing (ms)", bytesMs);
        std::printf("  resident memory the table added: %.0f MB\n", tableMb);

        // A selective query: in the server, against every run loaded and evaluated in memory.
        auto selectTime = [&](bool narrow, int* selected) {
            auto opened = openStore(url);
            if (!opened)
                return 0.0;
            Stopwatch t;
            if (narrow && !(*opened)->narrowTo(RunQuery(query)))
                std::fprintf(stderr, "the query was not narrowed\n");
            auto loaded = (*opened)->loadRuns();
            if (!loaded)
                return 0.0;
            *selected = int(RunQuery(query).select(*loaded->table).rows.size());
            return t.seconds() * 1000;
        };
        int inServer = 0, inMemory = 0;
        const double server_ms = selectTime(true, &inServer);
        const double memory_ms = selectTime(false, &inMemory);
        std::printf("  query \"%s\": %d runs (in memory: %d)\n", qPrintable(query), inServer, inMemory);
        report("selective query, in the server (ms)", server_ms, "ms", "every run loaded, evaluated in memory (ms)", memory_ms);
    }
    return 0;
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc > 1 && qstrcmp(argv[1], "scale") == 0) {
        test::PostgresTestServer server;
        if (!server.error().isEmpty()) {
            std::fprintf(stderr, "bench_team_store: no server: %s\n", qPrintable(server.error()));
            return 1;
        }
        std::vector<int> sizes;
        for (int i = 2; i < argc; ++i)
            sizes.push_back(std::atoi(argv[i]));
        if (sizes.empty())
            sizes = {1000, 10000, 100000};
        return scale(server, sizes);
    }
    const int runs = argc > 1 ? std::atoi(argv[1]) : 40;
    const int steps = argc > 2 ? std::atoi(argv[2]) : 20000;
    test::PostgresTestServer server;
    if (!server.error().isEmpty()) {
        std::fprintf(stderr, "bench_team_store: no server: %s\n", qPrintable(server.error()));
        return 1;
    }
    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("local.db"));
    makeStore(store, 0, runs, steps);
    const double points = double(runs) * kMetrics * steps;
    std::printf("team store: %d runs x %d metrics x %d steps (%.0f M points)\n", runs, kMetrics, steps, points / 1e6);

    auto team = [&] {
        const QString db = server.createDatabase();
        QProcess init;
        init.start(QStringLiteral(RUNLENS_BIN), {QStringLiteral("init-team"), server.url(db)});
        init.waitForFinished(-1);
        return server.url(db);
    };

    // Push against COPY of the same chunk bytes.
    const QString url = team();
    QString said;
    const double push = runPush(store, url, &said);
    std::printf("  %s\n", qPrintable(said));
    const QString copyFile = dir.filePath(QStringLiteral("chunks.copy"));
    const ChunkBytes bytes = writeCopyFile(store, copyFile);
    const QString baseDb = server.createDatabase();
    server.exec(baseDb, QStringLiteral("CREATE TABLE chunks(metric_id bigint, seq bigint, first_step bigint, last_step bigint, "
                                       "count bigint, points bytea NOT NULL, PRIMARY KEY(metric_id, seq))"));
    QProcess psql;
    psql.setProcessEnvironment([&] {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), QString::fromLatin1(test::PostgresTestServer::kAdminPassword));
        return env;
    }());
    Stopwatch copyTime;
    psql.start(QStringLiteral("psql"), {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                        QString::number(server.port()), QStringLiteral("-U"),
                                        QString::fromLatin1(test::PostgresTestServer::kAdmin), QStringLiteral("-d"), baseDb,
                                        QStringLiteral("-c"), QStringLiteral("\\copy chunks FROM '%1'").arg(copyFile)});
    psql.waitForFinished(-1);
    const double copy = copyTime.seconds();
    if (psql.exitCode() != 0)
        std::fprintf(stderr, "COPY failed: %s\n", psql.readAllStandardError().constData());
    std::printf("  %lld chunks, %.1f MB of points\n", qlonglong(bytes.chunks), double(bytes.bytes) / 1e6);
    report("push, all new (s)", push, "s", "COPY of the same chunks (s)", copy);
    report("push throughput (M points/s)", points / push / 1e6, "Mpt/s", "COPY (M points/s)", points / copy / 1e6);

    // Nothing new: what --watch pays every interval.
    const double again = runPush(store, url);
    report("push again, nothing new (s)", again, "s", "push, all new (s)", push);

    // Eight pushers at once, each its own store's share of the runs.
    const QString shared = team();
    std::vector<QString> parts;
    for (int p = 0; p < 8; ++p) {
        parts.push_back(dir.filePath(QStringLiteral("part%1.db").arg(p)));
        makeStore(parts.back(), p * runs / 8, (p + 1) * runs / 8 - p * runs / 8, steps);
    }
    std::vector<std::unique_ptr<QProcess>> pushers;
    Stopwatch together;
    for (const QString& part : parts) {
        pushers.push_back(std::make_unique<QProcess>());
        pushers.back()->start(QStringLiteral(RUNLENS_BIN), {QStringLiteral("push"), part, shared});
    }
    int failed = 0;
    for (auto& p : pushers) {
        p->waitForFinished(-1);
        failed += p->exitCode() != 0;
    }
    const double eight = together.seconds();
    if (failed)
        std::fprintf(stderr, "%d of 8 pushers failed\n", failed);
    report("8 pushers at once, same runs (s)", eight, "s", "one push of them all (s)", push);

    // The table as the app loads it.
    auto loadTime = [](const QString& where) {
        auto opened = openStore(where);
        if (!opened) {
            std::fprintf(stderr, "%s\n", qPrintable(opened.error()));
            return 0.0;
        }
        Stopwatch t;
        auto loaded = (*opened)->loadRuns();
        return loaded ? t.seconds() * 1000 : 0.0;
    };
    report("team store's table loaded (ms)", loadTime(url), "ms", "the same runs from the file (ms)", loadTime(store));
    return 0;
}
