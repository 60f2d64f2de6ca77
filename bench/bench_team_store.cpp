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
#include "bench_timer.h"
#include "postgres_test_server.h"

#include "runlens/chunk_codec.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "store_registry.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <cmath>
#include <cstdio>
#include <random>

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

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
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
