// SPDX-License-Identifier: GPL-3.0-or-later
// The store format as written by the logger and read by core: params, series
// across chunk boundaries, summaries, provenance, NaN and Inf.
#include "runlens/chunk_codec.h"
#include "runlens/run_liveness.h"
#include "runlens/runlens.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "series_cache.h"
#include "test_support.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <thread>
#include <mutex>
#include <atomic>

#include <climits>
#include <cstring>

#include <cmath>

using namespace runlens;
using namespace runlens::test;

class TestStoreFormat : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString store(const char* name) { return dir_.filePath(QString::fromLatin1(name)); }

    static RunOptions quiet(const std::string& name)
    {
        RunOptions o;
        o.experiment = "fmt";
        o.name = name;
        o.capture_git = false;
        o.flush_interval = std::chrono::milliseconds(50);
        return o;
    }

private slots:
    void oneLivenessRuleForLoggerAndReaders()
    {
        // runlens/run_liveness.h: the logger's resume check and the readers'
        // "crashed" once used different thresholds (8 s and 30 s).
        const int64_t now = 1'000'000'000;
        const std::string here = "this-host";
        RunHeartbeat fresh{now - 1000, 1000, "other-host", 12345};
        QCOMPARE(runLiveness(fresh, now, here), Liveness::Alive); // another host: the heartbeat decides
        RunHeartbeat late{now - kMinStaleMs - 1, 1000, "other-host", 12345};
        QCOMPARE(runLiveness(late, now, here), Liveness::Stale);
        RunHeartbeat slowLogger{now - kMinStaleMs - 1, 60000, "other-host", 12345}; // flushes every minute
        QCOMPARE(runLiveness(slowLogger, now, here), Liveness::Alive);
        RunHeartbeat mine{now - 1000, 1000, here, int64_t(QCoreApplication::applicationPid())};
        QCOMPARE(runLiveness(mine, now, here), Liveness::Alive);
        // A process of this host that is gone (past any pid_max): crashed at
        // once, whatever the heartbeat says.
        RunHeartbeat gone{now - 1000, 1000, here, 999'999'999};
        QCOMPARE(runLiveness(gone, now, here), Liveness::ProcessGone);
    }

    void chunkCodecRoundTrips()
    {
        std::vector<MetricPoint> pts = {{0, 1.5, NAN}, {7, 2.5, INFINITY}, {-3, 3.5, -0.0}, {1LL << 40, 4.5, 1e-300},
            {INT64_MIN, 5.5, 1}, {INT64_MAX, 6.5, 2}, {INT64_MAX, 7.5, 3}};
        const auto blob = encodeChunk(pts);
        std::vector<int64_t> steps;
        std::vector<double> walls, values;
        QVERIFY(decodeChunk(blob, steps, walls, values));
        QCOMPARE(steps, (std::vector<int64_t>{0, 7, -3, 1LL << 40, INT64_MIN, INT64_MAX, INT64_MAX}));
        QVERIFY(std::isnan(values[0]));
        QVERIFY(std::isinf(values[1]) && values[1] > 0);
        QVERIFY(std::signbit(values[2]));
        QCOMPARE(values[3], 1e-300);
        QCOMPARE(walls[2], 3.5);
        // Steps one apart, as most series log them, take a byte each: 17 bytes a point.
        std::vector<MetricPoint> run;
        for (int i = 0; i < 1024; ++i)
            run.push_back({1000 + i, 1.7e9 + i, i * 0.5});
        QCOMPARE(encodeChunk(run).size(), size_t(8 + 1024 * 17 + 1));   // the first step, 1000, takes two
        // A truncated blob, a damaged step and trailing bytes are refused and append nothing.
        QVERIFY(!decodeChunk(std::span(blob).first(blob.size() - 1), steps, walls, values));
        auto damaged = blob;
        damaged.back() = std::byte{0x80};   // a varint that never ends
        QVERIFY(!decodeChunk(damaged, steps, walls, values));
        auto longer = blob;
        longer.push_back(std::byte{0});
        QVERIFY(!decodeChunk(longer, steps, walls, values));
        QCOMPARE(steps.size(), size_t(7));
        // Layout v1, as stores written before v2 hold it, still reads.
        std::vector<std::byte> v1(4 + 2 * 24);
        const uint32_t n = 2;
        const int64_t s1[] = {5, 6};
        const double w1[] = {10.0, 11.0}, v1v[] = {0.25, NAN};
        std::memcpy(v1.data(), &n, 4);
        std::memcpy(v1.data() + 4, s1, 16);
        std::memcpy(v1.data() + 20, w1, 16);
        std::memcpy(v1.data() + 36, v1v, 16);
        QVERIFY(decodeChunk(v1, steps, walls, values));
        QCOMPARE(steps.back(), int64_t(6));
        QCOMPARE(walls.back(), 11.0);
        QVERIFY(std::isnan(values.back()));
        QCOMPARE(values[values.size() - 2], 0.25);
    }

    void seriesAcrossChunksAndFlushes()
    {
        const QString path = store("series.db");
        auto run = Run::start(path.toStdString(), quiet("series"));
        // 2,500 points in three flushes: the tail chunk is rewritten, never duplicated.
        for (int i = 0; i < 1000; ++i)
            QVERIFY(run.logMetric("loss", 1.0 / (i + 1), i, 1000.0 + i));
        run.flush();
        for (int i = 1000; i < 2100; ++i)
            run.logMetric("loss", 1.0 / (i + 1), i, 1000.0 + i);
        run.flush();
        for (int i = 2100; i < 2500; ++i)
            run.logMetric("loss", i == 2200 ? NAN : i == 2300 ? INFINITY : 1.0 / (i + 1), i, 1000.0 + i);
        run.finish(RunStatus::Finished);

        SqliteDb raw(path.toStdString(), SqliteDb::Mode::ReadOnly);
        auto chunks = raw.prepare("SELECT seq, count FROM metric_chunks ORDER BY seq");
        std::vector<int64_t> counts;
        while (chunks.step())
            counts.push_back(chunks.int64(1));
        QCOMPARE(counts, (std::vector<int64_t>{1024, 1024, 452}));

        auto reader = mustOpen(path);
        auto table = mustLoad(*reader);
        QCOMPARE(table->rowCount(), 1);
        const MetricColumn* m = table->metric(QStringLiteral("loss"));
        QVERIFY(m);
        QCOMPARE(m->count[0], int64_t(2500));
        QCOMPARE(m->lastStep[0], int64_t(2499));
        QCOMPARE(m->last[0], 1.0 / 2500);
        QCOMPARE(m->max[0], INFINITY); // Inf counts, NaN does not
        QCOMPARE(m->min[0], 1.0 / 2500);
        QCOMPARE(test::detailsDisagreeWithTable(*reader), QStringList());

        auto series = reader->loadSeries(table->id(0), QStringLiteral("loss"));
        QVERIFY2(series, qPrintable(series ? QString() : series.error()));
        QCOMPARE(series->size(), size_t(2500));
        QVERIFY(series->problems.isEmpty());
        for (int i = 0; i < 2500; ++i) {
            QCOMPARE(series->steps[size_t(i)], int64_t(i));
            QCOMPARE(series->wallTimes[size_t(i)], 1000.0 + i);
            if (i == 2200)
                QVERIFY(std::isnan(series->values[size_t(i)]));
            else if (i == 2300)
                QVERIFY(std::isinf(series->values[size_t(i)]));
            else
                QCOMPARE(series->values[size_t(i)], 1.0 / (i + 1));
        }
        auto details = reader->loadDetails(table->id(0));
        QVERIFY(details);
        QCOMPARE(details->metrics.size(), size_t(1));
        QCOMPARE(details->metrics[0].nanCount, int64_t(1));
    }

    void paramsConfigsAndProvenance()
    {
        const QString path = store("params.db");
        auto opts = quiet("params");
        opts.notes = "first try";
        opts.hypothesis = "wider is better";
        opts.tags = {{"stage", "dev"}};
        auto run = Run::start(path.toStdString(), opts);
        QVERIFY(run.logParam("lr", 0.001));
        QVERIFY(run.logParam("epochs", 12));
        QVERIFY(run.logParam("amp", true));
        QVERIFY(run.logParam("optimizer", "adam"));
        QVERIFY(run.logParamJson("layers", "[64, 32]"));
        QVERIFY(run.logConfig("model", R"({"depth": 4, "act": {"name": "gelu", "approx": false}, "drop": 0.1})"));
        QVERIFY(run.logDataVersion("train", "v3@sha256:abc"));
        QVERIFY(run.logSeed("numpy", 7));
        QVERIFY(run.setTag("λ/ünïcode 🚀", "ok"));

        QTemporaryDir src;
        QFile f(src.filePath(QStringLiteral("weights.bin")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("abc");
        f.close();
        QVERIFY(run.logArtifact(f.fileName().toStdString(), "ckpt"));
        QVERIFY(run.logArtifactUri("big/model.pt", "s3://bucket/model.pt", 123456));
        run.finish(RunStatus::Failed);

        auto reader = mustOpen(path);
        auto table = mustLoad(*reader);
        QCOMPARE(table->status(0), RunStatus::Failed);
        QVERIFY(table->endTime(0) >= table->startTime(0));
        QCOMPARE(table->param(QStringLiteral("lr"))->number[0], 0.001);
        QCOMPARE(table->param(QStringLiteral("lr"))->text[0], QStringLiteral("0.001"));
        QCOMPARE(table->param(QStringLiteral("epochs"))->number[0], 12.0);
        QCOMPARE(table->param(QStringLiteral("amp"))->number[0], 1.0);
        QCOMPARE(table->param(QStringLiteral("optimizer"))->text[0], QStringLiteral("adam"));
        QCOMPARE(table->param(QStringLiteral("model.act.name"))->text[0], QStringLiteral("gelu"));
        QCOMPARE(table->param(QStringLiteral("model.depth"))->number[0], 4.0);
        QCOMPARE(table->param(QStringLiteral("model.drop"))->number[0], 0.1);
        QCOMPARE(table->tag(QStringLiteral("stage"))->text[0], QStringLiteral("dev"));
        QVERIFY(table->tag(QStringLiteral("λ/ünïcode 🚀")));

        auto d = reader->loadDetails(table->id(0));
        QVERIFY(d);
        QCOMPARE(d->notes, QStringLiteral("first try"));
        QCOMPARE(d->hypothesis, QStringLiteral("wider is better"));
        QCOMPARE(d->configs.size(), size_t(1));
        QCOMPARE(d->configs[0].first, QStringLiteral("model"));
        QVERIFY(d->configs[0].second.contains(QStringLiteral("gelu")));
        auto typeOf = [&](const char* key) {
            for (const auto& p : d->params)
                if (p.key == QLatin1String(key))
                    return p.type;
            return QString();
        };
        QCOMPARE(typeOf("lr"), QStringLiteral("float"));
        QCOMPARE(typeOf("epochs"), QStringLiteral("int"));
        QCOMPARE(typeOf("amp"), QStringLiteral("bool"));
        QCOMPARE(typeOf("layers"), QStringLiteral("json"));
        QCOMPARE(typeOf("model.act.approx"), QStringLiteral("bool"));
        QCOMPARE(d->dataVersions, (KeyValues{{QStringLiteral("train"), QStringLiteral("v3@sha256:abc")}}));
        bool seed = false, host = false;
        for (const auto& [k, v] : d->environment) {
            seed |= k == QLatin1String("seed.numpy") && v == QLatin1String("7");
            host |= k == QLatin1String("host") && !v.isEmpty();
        }
        QVERIFY(seed);
        QVERIFY(host);
        QCOMPARE(d->artifacts.size(), size_t(2));
        QCOMPARE(d->artifacts[1].path, QStringLiteral("ckpt/weights.bin"));
        QCOMPARE(d->artifacts[1].size, int64_t(3));
        // sha256("abc")
        QCOMPARE(
            d->artifacts[1].sha256, QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QVERIFY(QFile::exists(path + QStringLiteral(".artifacts/") + d->id + QStringLiteral("/ckpt/weights.bin")));
        QCOMPARE(d->artifacts[0].uri, QStringLiteral("s3://bucket/model.pt"));
        QCOMPARE(d->reproHash.size(), 64);
    }

    void resumedRunCarriesOn()
    {
        // A job logs 1,500 points (a partial tail chunk), stops; the restart
        // resumes the run and logs 1,500 more and a new metric.
        const QString path = store("resume.db");
        std::string id;
        QString hashBefore;
        int64_t started = 0;
        {
            RunOptions o = quiet("long-job");
            o.experiment = "pretraining";
            auto run = Run::start(path.toStdString(), o);
            id = run.id();
            run.logParam("lr", 0.1);
            run.logDataVersion("train", "v7");
            for (int i = 0; i < 1500; ++i)
                run.logMetric("loss", 3000.0 - i, i, 1000.0 + i);
            run.finish(RunStatus::Killed);
            auto reader = mustOpen(path);
            auto details = reader->loadDetails(QString::fromStdString(id));
            hashBefore = details->reproHash;
            started = details->startTime;
        }
        {
            RunOptions o = quiet("ignored: a resumed run keeps its name");
            o.experiment = "ignored too";
            auto run = Run::resume(path.toStdString(), id, o);
            QCOMPARE(run.id(), id);
            QCOMPARE(run.name(), std::string("long-job"));
            QCOMPARE(run.experiment(), std::string("pretraining"));
            for (int i = 1500; i < 3000; ++i) {
                run.logMetric("loss", 3000.0 - i, i, 1000.0 + i);
                run.logMetric("lr_now", 0.1, i);
            }
            run.finish(RunStatus::Finished);
        }
        auto reader = mustOpen(path);
        auto table = mustLoad(*reader);
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->status(0), RunStatus::Finished);
        QCOMPARE(table->experiment(0), QStringLiteral("pretraining"));
        const MetricColumn* loss = table->metric(QStringLiteral("loss"));
        QCOMPARE(loss->count[0], int64_t(3000));
        QCOMPARE(loss->lastStep[0], int64_t(2999));
        QCOMPARE(loss->last[0], 1.0);
        QCOMPARE(loss->min[0], 1.0);
        QCOMPARE(loss->max[0], 3000.0);
        QCOMPARE(loss->mean[0], 1500.5);   // the sum carried on across the resume
        QCOMPARE(table->metric(QStringLiteral("lr_now"))->count[0], int64_t(1500));
        QCOMPARE(table->metric(QStringLiteral("lr_now"))->mean[0], 0.1);
        auto series = reader->loadSeries(QString::fromStdString(id), QStringLiteral("loss"));
        QVERIFY(series);
        QCOMPARE(series->size(), size_t(3000));
        for (int i = 0; i < 3000; ++i) {
            QCOMPARE(series->steps[size_t(i)], int64_t(i));
            QCOMPARE(series->values[size_t(i)], 3000.0 - i);
        }
        auto details = reader->loadDetails(QString::fromStdString(id));
        QCOMPARE(details->startTime, started);
        QCOMPARE(details->params.size(), size_t(1));
        QCOMPARE(details->reproHash, hashBefore);   // same params and data: the hash does not move

        // No such run: a clear refusal, nothing written.
        try {
            Run::resume(path.toStdString(), "0123456789abcdef", quiet("x"));
            QFAIL("resumed a run that does not exist");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("there is no run") != std::string::npos);
        }
        QCOMPARE(mustLoad(*mustOpen(path))->rowCount(), 1);
    }

    void aMeanIsKnownOnlyWhereTheSumWasKeptToTheLastPoint()
    {
        const QString path = store("mean.db");
        std::string id;
        {
            auto run = Run::start(path.toStdString(), quiet("util"));
            id = run.id();
            for (int i = 0; i < 10; ++i)
                run.logMetric("system/gpu.0.utilization_percent", i % 2 ? 90.0 : 50.0, i);
            run.logMetric("with_nan", NAN, 0);
            run.logMetric("with_nan", 4.0, 1);
            run.logMetric("with_nan", 8.0, 2);
            run.logMetric("all_nan", NAN, 0);
            run.logMetric("both_infinities", INFINITY, 0);
            run.logMetric("both_infinities", -INFINITY, 1);
            run.finish();
        }
        const QString runId = QString::fromStdString(id);
        {
            auto table = mustLoad(*mustOpen(path));
            QCOMPARE(table->metric(QStringLiteral("system/gpu.0.utilization_percent"))->mean[0], 70.0);
            QCOMPARE(table->metric(QStringLiteral("with_nan"))->mean[0], 6.0);   // NaN left out, as min and max
            QVERIFY(std::isnan(table->metric(QStringLiteral("all_nan"))->mean[0]));
            auto details = mustOpen(path)->loadDetails(runId);
            QVERIFY(details);
            QCOMPARE(details->metrics[2].key, QStringLiteral("system/gpu.0.utilization_percent"));
            QCOMPARE(details->metrics[2].mean, 70.0);
            QVERIFY(std::isnan(table->metric(QStringLiteral("both_infinities"))->mean[0]));
        }
        // An older Runlens appended points without keeping the sum: the count
        // moved past the one the sum was kept to.
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("UPDATE metrics SET count = count + 5 WHERE key = 'with_nan'");
        }
        QVERIFY(std::isnan(mustLoad(*mustOpen(path))->metric(QStringLiteral("with_nan"))->mean[0]));
        {
            // Carried on by this build: still unknown, never a wrong mean.
            auto run = Run::resume(path.toStdString(), id, quiet("util"));
            run.logMetric("with_nan", 100.0, 3);
            run.logMetric("both_infinities", 5.0, 2);   // NaN it stays: never a finite mean from a lost sum
            run.logMetric("system/gpu.0.utilization_percent", 70.0, 10);
            run.finish();
        }
        auto table = mustLoad(*mustOpen(path));
        QVERIFY(std::isnan(table->metric(QStringLiteral("with_nan"))->mean[0]));
        QVERIFY(std::isnan(table->metric(QStringLiteral("both_infinities"))->mean[0]));
        QCOMPARE(table->metric(QStringLiteral("system/gpu.0.utilization_percent"))->mean[0], 70.0);

        // A store from before the sum columns: read as it is (no mean, no
        // error, nothing written), then given them by the next writer.
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("ALTER TABLE metrics DROP COLUMN value_sum");
            db.exec("ALTER TABLE metrics DROP COLUMN value_sum_count");
        }
        const QByteArray before = fileHash(path);
        auto old = mustLoad(*mustOpen(path));
        QVERIFY(std::isnan(old->metric(QStringLiteral("system/gpu.0.utilization_percent"))->mean[0]));
        QCOMPARE(old->metric(QStringLiteral("system/gpu.0.utilization_percent"))->max[0], 90.0);
        QVERIFY(std::isnan(mustOpen(path)->loadDetails(runId)->metrics[2].mean));
        QCOMPARE(fileHash(path), before);
        {
            auto run = Run::start(path.toStdString(), quiet("after"));
            run.logMetric("x", 2.0, 0);
            run.logMetric("x", 4.0, 1);
            run.finish();
        }
        table = mustLoad(*mustOpen(path));
        const int after = table->findRun(QStringLiteral("after"));
        QVERIFY(after >= 0);
        QCOMPARE(table->metric(QStringLiteral("x"))->mean[size_t(after)], 3.0);
    }

    void aVersionOneStoreMovesToTwoAndKeepsItsChunks()
    {
        // A store written before chunk layout v2: its chunks in layout v1, schema 1.
        const QString path = store("v1.db");
        std::string id;
        {
            auto run = Run::start(path.toStdString(), quiet("old"));
            id = run.id();
            run.finish();
        }
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("UPDATE store_meta SET value='1' WHERE key='schema_version'");
            db.exec("INSERT INTO metrics(run_id, key, count, first_step, last_step, last_value, last_time, min_value, "
                    "max_value) VALUES('" + id + "', 'loss', 2, 0, 1, 0.5, 11, 0.5, 1)");
            std::vector<std::byte> v1(4 + 2 * 24);
            const uint32_t n = 2;
            const int64_t steps[] = {0, 1};
            const double walls[] = {10.0, 11.0}, values[] = {1.0, 0.5};
            std::memcpy(v1.data(), &n, 4);
            std::memcpy(v1.data() + 4, steps, 16);
            std::memcpy(v1.data() + 20, walls, 16);
            std::memcpy(v1.data() + 36, values, 16);
            auto put = db.prepare("INSERT INTO metric_chunks(metric_id, seq, first_step, last_step, count, points) "
                                  "SELECT id, 0, 0, 1, 2, ? FROM metrics WHERE key='loss'");
            put.bindBlobNoCopy(1, v1).run();
        }
        // Read as it is, then moved to schema 2 by a writer; the v1 chunk still reads.
        QCOMPARE(mustOpen(path)->loadSeries(QString::fromStdString(id), QStringLiteral("loss"))->values,
                 (std::vector<double>{1.0, 0.5}));
        Run::start(path.toStdString(), quiet("new")).finish();
        SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadOnly);
        QCOMPARE(storeSchemaVersion(db), kStoreSchemaVersion);
        auto series = mustOpen(path)->loadSeries(QString::fromStdString(id), QStringLiteral("loss"));
        QVERIFY(series);
        QCOMPARE(series->steps, (std::vector<int64_t>{0, 1}));
        QCOMPARE(series->wallTimes, (std::vector<double>{10.0, 11.0}));
    }

    void writersCreatingOneStoreAtOnceAllSucceed()
    {
        // Eight writers open a store that does not exist yet, at once: one
        // creates it, the others must see either nothing or all of it (a
        // check straddling the creation once called it "not a Runlens store").
        for (int round = 0; round < 40; ++round) {
            const std::string path = store(QStringLiteral("race-%1.db").arg(round).toUtf8().constData()).toStdString();
            std::atomic<int> failures{0};
            std::string message;
            std::mutex mu;
            std::vector<std::thread> writers;
            for (int w = 0; w < 8; ++w)
                writers.emplace_back([&] {
                    try {
                        openStoreForWriting(path, 10000);
                    } catch (const std::exception& e) {
                        ++failures;
                        std::lock_guard lock(mu);
                        message = e.what();
                    }
                });
            for (auto& t : writers)
                t.join();
            QVERIFY2(failures == 0, message.c_str());
        }
    }

    void reproHashFollowsConfigNotSeedOrName()
    {
        const QString path = store("repro.db");
        auto make = [&](const char* name, double lr, int seed) {
            auto run = Run::start(path.toStdString(), quiet(name));
            run.logParam("lr", lr);
            run.logSeed("seed", seed);
            run.logDataVersion("train", "v1");
            run.finish();
            return QString::fromStdString(run.id());
        };
        const QString a = make("a", 0.1, 1), b = make("b", 0.1, 2), c = make("c", 0.2, 1);
        auto reader = mustOpen(path);
        auto hash = [&](const QString& id) { return reader->loadDetails(id)->reproHash; };
        QCOMPARE(hash(a), hash(b));
        QVERIFY(hash(a) != hash(c));
    }

    void gitProvenanceInsideARepository()
    {
        // The test's own checkout may not be a repository on CI: make one.
        QTemporaryDir repo;
        const QString git = QStandardPaths::findExecutable(QStringLiteral("git"));
        if (git.isEmpty())
            QFAIL("git is missing; packaging/bootstrap.sh installs it");
        auto sh = [&](const QStringList& args) {
            QProcess p;
            p.setWorkingDirectory(repo.path());
            p.start(git, args);
            p.waitForFinished();
            return p.exitCode();
        };
        QCOMPARE(sh({QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")}), 0);
        QFile f(repo.filePath(QStringLiteral("train.py")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("lr = 0.1\n");
        f.close();
        QCOMPARE(sh({QStringLiteral("add"), QStringLiteral(".")}), 0);
        QCOMPARE(sh({QStringLiteral("-c"), QStringLiteral("user.name=t"), QStringLiteral("-c"),
                     QStringLiteral("user.email=t@t"), QStringLiteral("commit"), QStringLiteral("-qm"),
                     QStringLiteral("first")}),
            0);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("lr = 0.2\n");
        f.close();

        const QString path = store("git.db");
        const QString here = QDir::currentPath();
        QDir::setCurrent(repo.path());
        auto opts = quiet("git");
        opts.capture_git = true;
        auto run = Run::start(path.toStdString(), opts);
        run.finish();
        QDir::setCurrent(here);

        auto reader = mustOpen(path);
        auto table = mustLoad(*reader);
        auto d = reader->loadDetails(table->id(0));
        QVERIFY(d);
        QVERIFY(d->git.present);
        QCOMPARE(d->git.branch, QStringLiteral("main"));
        QCOMPARE(d->git.commit.size(), 40);
        QVERIFY(d->git.dirty);
        // Our logger records the working tree: "yes", never "not recorded" (a
        // misordered initializer once read diff_truncated into dirtyRecorded).
        QVERIFY(d->git.dirtyRecorded);
        QCOMPARE(d->git.dirtyText(), QStringLiteral("yes"));
        QVERIFY(!d->git.diffTruncated);
        QVERIFY(d->git.diff.contains(QStringLiteral("+lr = 0.2")));
        QVERIFY(d->git.diff.contains(QStringLiteral("-lr = 0.1")));
    }

    void nonZeroRankLogsNothing()
    {
        const QString path = store("rank.db");
        qputenv("RANK", "3");
        auto run = Run::start(path.toStdString(), quiet("rank3"));
        QVERIFY(!run.enabled());
        QVERIFY(run.logMetric("x", 1, 0));
        run.finish();
        auto allRanks = quiet("rank3-all");
        allRanks.log_all_ranks = true;
        auto run2 = Run::start(path.toStdString(), allRanks);
        QVERIFY(run2.enabled());
        run2.finish();
        qunsetenv("RANK");
        auto table = mustLoad(*mustOpen(path));
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->name(0), QStringLiteral("rank3-all"));
    }

    void seriesCacheServesEvictsAndInvalidates()
    {
        const QString path = store("cache.db");
        auto run = Run::start(path.toStdString(), quiet("cache"));
        for (int i = 0; i < 1000; ++i) {
            run.logMetric("a", i, i);
            run.logMetric("b", -i, i);
        }
        run.finish();
        auto reader = mustOpen(path);
        const QString id = QString::fromStdString(run.id());
        // Room for one 1,000-point series (24 kB) only.
        SeriesCache cache(*reader, 30000);
        auto a1 = cache.get(id, QStringLiteral("a"));
        QVERIFY(a1);
        QCOMPARE((*a1)->values[999], 999.0);
        auto a2 = cache.get(id, QStringLiteral("a"));
        QCOMPARE(a2->get(), a1->get());   // served from the cache
        QCOMPARE(cache.bytes(), size_t(24000));
        auto b = cache.get(id, QStringLiteral("b"));
        QVERIFY(b);
        QCOMPARE(cache.bytes(), size_t(24000));   // "a" was evicted for "b"
        QVERIFY(cache.get(id, QStringLiteral("a"))->get() != a1->get());
        cache.invalidate(id);
        QCOMPARE(cache.bytes(), size_t(0));
        QVERIFY(!cache.get(id, QStringLiteral("nope")));
    }

    void staleHeartbeatReadsAsCrashed()
    {
        // A run on another host can only be judged by its heartbeat.
        const QString path = store("stale.db");
        const auto now = QDateTime::currentMSecsSinceEpoch();
        Run::start(path.toStdString(), quiet("fresh")).finish();
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            auto st = db.prepare("INSERT INTO runs(id, experiment_id, name, status, start_time, heartbeat, "
                                 "heartbeat_interval_ms, host, pid) VALUES(?, 1, ?, 'running', ?, ?, 1000, "
                                 "'elsewhere', 1)");
            st.bind(1, "a1").bind(2, "alive").bind(3, int64_t(now - 60000)).bind(4, int64_t(now - 2000)).run();
            st.bind(1, "b2").bind(2, "silent").bind(3, int64_t(now - 60000)).bind(4, int64_t(now - 31000)).run();
        }
        auto table = mustLoad(*mustOpen(path));
        QCOMPARE(table->status(table->findRun(QStringLiteral("alive"))), RunStatus::Running);
        QCOMPARE(table->status(table->findRun(QStringLiteral("silent"))), RunStatus::Crashed);
        QCOMPARE(table->status(table->findRun(QStringLiteral("fresh"))), RunStatus::Finished);
    }

    void browsingAStoreLeavesItsFolderAsItWas()
    {
        // A colleague's store that nobody writes: reading it (runs, a
        // series, details, baselines) creates nothing beside it (it gained
        // -wal and -shm). A writer that starts later is seen all the same.
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("colleague.db"));
        {
            auto run = Run::start(path.toStdString(), quiet("theirs"));
            run.logMetric("loss", 1.0, 0);
            run.finish();
        }
        const QStringList before = QDir(folder.path()).entryList(QDir::Files);
        QCOMPARE(before, QStringList{QStringLiteral("colleague.db")});
        const QByteArray bytes = test::fileHash(path);
        auto reader = mustOpen(path);
        auto table = mustLoad(*reader);
        QCOMPARE(table->rowCount(), 1);
        QVERIFY(reader->loadSeries(table->id(0), QStringLiteral("loss")).ok());
        QVERIFY(reader->loadDetails(table->id(0)).ok());
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files), before);
        QCOMPARE(test::fileHash(path), bytes);

        auto later = Run::start(path.toStdString(), quiet("later"));
        later.logMetric("loss", 2.0, 0);
        later.flush();
        table = mustLoad(*reader);
        QCOMPARE(table->rowCount(), 2);
        QVERIFY(table->findRun(QStringLiteral("later")) >= 0);
        later.finish();
        table = mustLoad(*reader);
        QCOMPARE(table->status(table->findRun(QStringLiteral("later"))), RunStatus::Finished);
    }

    void schemaVersionIsRecorded()
    {
        const QString path = store("version.db");
        Run::start(path.toStdString(), quiet("v")).finish();
        SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadOnly);
        QCOMPARE(storeSchemaVersion(db), kStoreSchemaVersion);
        auto mode = db.prepare("PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(std::string(mode.text(0)), std::string("wal"));
    }
};

QTEST_GUILESS_MAIN(TestStoreFormat)
#include "test_store_format.moc"
