// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input gets a clear error or a clean partial result, never a crash or a
// changed file: foreign files, newer schemas, locks, damaged chunks, odd names.
#include "runlens/runlens.h"
#include "runlens/sqlite_db.h"
#include "store_registry.h"
#include "tensorboard_events.h"
#include "test_support.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <thread>

using namespace runlens;
using namespace runlens::test;

class TestBadInput : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString path(const char* name) const { return dir_.filePath(QString::fromLatin1(name)); }

    static RunOptions quiet(const char* name)
    {
        RunOptions o;
        o.name = name;
        o.capture_git = false;
        o.capture_environment = false;
        o.flush_interval = std::chrono::milliseconds(50);
        return o;
    }

    QString makeStore(const char* file, int points = 100)
    {
        const QString p = path(file);
        auto run = Run::start(p.toStdString(), quiet("ok"));
        for (int i = 0; i < points; ++i)
            run.logMetric("x", i, i);
        run.finish();
        return p;
    }

    // The process's peak resident memory so far, in MB (it only grows).
    static double peakResidentMb()
    {
        rusage u{};
        ::getrusage(RUSAGE_SELF, &u);
        return double(u.ru_maxrss) / 1024.0;   // kB on Linux
    }

    // 3 GB files (sparse: they cost no disk) where other tools keep a metric
    // file, metrics.csv or event files: each read returns, what comes before
    // the junk is kept, and memory does not grow with the file (each was read
    // whole: 3 GB resident apiece). Peak resident memory only grows, so the
    // bound holds for everything since `before`.
    static constexpr qint64 kHuge = qint64(3) << 30;
    static void hugeFile(const QString& path, const QByteArray& head)
    {
        test::writeFile(path, head);
        QVERIFY(QFile::resize(path, kHuge));
    }
    static void memoryBounded(double before)
    {
        const double grown = peakResidentMb() - before;
        QVERIFY2(grown < 200, qPrintable(QStringLiteral("peak resident memory grew by %1 MB").arg(grown)));
    }

    static QString startError(const QString& store, RunOptions o)
    {
        try {
            Run::start(store.toStdString(), o).finish();
        } catch (const Error& e) {
            return QString::fromUtf8(e.what());
        }
        return {};
    }

private slots:
    void pipesInsideOtherToolsStoresAreSkipped()
    {
        // A named pipe where a store has a file blocks whoever opens it for
        // reading: every reader must pass it by with a message, not hang
        // (a hang here ends in ctest's timeout).
        auto fifo = [](const QString& path) {
            QDir().mkpath(QFileInfo(path).path());
            QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
        };
        QTemporaryDir dir;
        // MLflow: one run's meta.yaml and another's metric file are pipes.
        const QString mlruns = dir.filePath(QStringLiteral("mlruns"));
        test::writeFile(mlruns + QStringLiteral("/1/meta.yaml"), "experiment_id: '1'\nname: exp\n");
        test::writeFile(mlruns + QStringLiteral("/1/good/meta.yaml"), "run_id: good\nrun_name: good\nstatus: 3\n");
        test::writeFile(mlruns + QStringLiteral("/1/good/metrics/loss"), "1700000000000 0.5 0\n");
        fifo(mlruns + QStringLiteral("/1/good/metrics/pipe"));
        fifo(mlruns + QStringLiteral("/1/piped/meta.yaml"));
        auto ml = openStore(mlruns);
        QVERIFY2(ml, qPrintable(ml ? QString() : ml.error()));
        auto mlRuns = (*ml)->loadRuns();
        QVERIFY(mlRuns);
        QVERIFY(mlRuns->table->findRun(QStringLiteral("good")) >= 0);
        QVERIFY2(mlRuns->problems.join(QLatin1Char(' ')).contains(QStringLiteral("not a regular file")),
                 qPrintable(mlRuns->problems.join(QLatin1Char('\n'))));
        QVERIFY(!(*ml)->loadSeries(QStringLiteral("good"), QStringLiteral("pipe")));

        // Lightning: hparams.yaml is a pipe.
        const QString lightning = dir.filePath(QStringLiteral("lightning_logs"));
        test::writeFile(lightning + QStringLiteral("/version_0/metrics.csv"), "step,loss\n0,1\n");
        fifo(lightning + QStringLiteral("/version_0/hparams.yaml"));
        auto lt = openStore(lightning);
        QVERIFY(lt);
        auto ltRuns = (*lt)->loadRuns();
        QVERIFY(ltRuns);
        QCOMPARE(ltRuns->table->rowCount(), 1);
        QVERIFY(ltRuns->problems.join(QLatin1Char(' ')).contains(QStringLiteral("not a regular file")));
        QVERIFY((*lt)->loadDetails(ltRuns->table->id(0)));

        // DVCLive: params.yaml and metrics.json are pipes.
        const QString dvc = dir.filePath(QStringLiteral("project"));
        test::writeFile(dvc + QStringLiteral("/dvclive/plots/metrics/acc.tsv"), "step\tacc\n0\t0.5\n");
        fifo(dvc + QStringLiteral("/dvclive/params.yaml"));
        fifo(dvc + QStringLiteral("/dvclive/metrics.json"));
        auto dv = openStore(dvc);
        QVERIFY(dv);
        auto dvRuns = (*dv)->loadRuns();
        QVERIFY(dvRuns);
        QCOMPARE(dvRuns->table->rowCount(), 1);
        QVERIFY(dvRuns->table->metric(QStringLiteral("acc")));
        QCOMPARE(dvRuns->problems.join(QLatin1Char(' ')).count(QStringLiteral("not a regular file")), 2);
    }

    void devicesInPlaceOfFilesAreRefused()
    {
        // A symlink to /dev/zero or /dev/urandom where another tool's store has
        // a file never ends: every reader refuses it with a problem naming the
        // file and reads the rest. (The MLflow and TensorBoard readers read
        // such a file until the process aborted, 4 GB later.)
        auto device = [](const char* dev, const QString& path) {
            QDir().mkpath(QFileInfo(path).path());
            QVERIFY(QFile::link(QString::fromLatin1(dev), path));
        };
        QTemporaryDir dir;
        auto said = [](const QStringList& problems, const QString& file) {
            for (const auto& p : problems)
                if (p.contains(file) && p.contains(QStringLiteral("not a regular file")))
                    return true;
            return false;
        };

        // MLflow: metric, param and tag files, a run's and an experiment's meta.yaml.
        const QString mlruns = dir.filePath(QStringLiteral("mlruns"));
        test::writeFile(mlruns + QStringLiteral("/1/meta.yaml"), "experiment_id: '1'\nname: exp\n");
        test::writeFile(mlruns + QStringLiteral("/1/good/meta.yaml"), "run_id: good\nrun_name: good\nstatus: 3\n");
        test::writeFile(mlruns + QStringLiteral("/1/good/metrics/loss"), "1700000000000 0.5 0\n");
        test::writeFile(mlruns + QStringLiteral("/1/good/params/lr"), "0.1");
        device("/dev/zero", mlruns + QStringLiteral("/1/good/metrics/zero"));
        device("/dev/urandom", mlruns + QStringLiteral("/1/good/metrics/random"));
        device("/dev/zero", mlruns + QStringLiteral("/1/good/params/zero"));
        device("/dev/urandom", mlruns + QStringLiteral("/1/good/tags/random"));
        QDir().mkpath(mlruns + QStringLiteral("/1/zeroed"));
        device("/dev/zero", mlruns + QStringLiteral("/1/zeroed/meta.yaml"));
        QDir().mkpath(mlruns + QStringLiteral("/2"));
        device("/dev/urandom", mlruns + QStringLiteral("/2/meta.yaml"));
        auto ml = openStore(mlruns);
        QVERIFY2(ml, qPrintable(ml ? QString() : ml.error()));
        auto mlRuns = (*ml)->loadRuns();
        QVERIFY(mlRuns);
        const QStringList& mp = mlRuns->problems;
        QCOMPARE(mlRuns->table->rowCount(), 1);
        QVERIFY(mlRuns->table->metric(QStringLiteral("loss")));
        QVERIFY(!mlRuns->table->metric(QStringLiteral("zero")));
        QVERIFY(mlRuns->table->param(QStringLiteral("lr")));
        QVERIFY(!mlRuns->table->param(QStringLiteral("zero")));
        for (const char* file : {"good/metrics/zero", "good/metrics/random", "good/params/zero", "good/tags/random",
                                 "zeroed/meta.yaml", "2/meta.yaml"})
            QVERIFY2(said(mp, QString::fromLatin1(file)), qPrintable(QString::fromLatin1(file) + QStringLiteral(" not named in:\n") + mp.join(QLatin1Char('\n'))));
        const auto details = (*ml)->loadDetails(QStringLiteral("good"));
        QVERIFY(details);
        QCOMPARE(details->metrics.size(), size_t(1));
        const auto zero = (*ml)->loadSeries(QStringLiteral("good"), QStringLiteral("zero"));
        QVERIFY(!zero);
        QVERIFY2(zero.error().contains(QStringLiteral("not a regular file")), qPrintable(zero.error()));
        QCOMPARE((*ml)->loadSeries(QStringLiteral("good"), QStringLiteral("loss"))->size(), size_t(1));

        // TensorBoard: one of a run's event files, another run's only one, an hparams.yaml.
        const QString logdir = dir.filePath(QStringLiteral("tb"));
        test::writeFile(logdir + QStringLiteral("/run_a/events.out.tfevents.1.host"), scalarEventRecord("loss", 0, 1.7e9, 0.5f));
        device("/dev/zero", logdir + QStringLiteral("/run_a/events.out.tfevents.2.host"));
        device("/dev/zero", logdir + QStringLiteral("/run_a/hparams.yaml"));
        device("/dev/urandom", logdir + QStringLiteral("/run_b/events.out.tfevents.1.host"));
        auto tb = openStore(logdir);
        QVERIFY2(tb, qPrintable(tb ? QString() : tb.error()));
        auto tbRuns = (*tb)->loadRuns();
        QVERIFY(tbRuns);
        const QStringList& tp = tbRuns->problems;
        QCOMPARE(tbRuns->table->rowCount(), 2);
        const int a = tbRuns->table->findRun(QStringLiteral("run_a"));
        QVERIFY(a >= 0);
        QCOMPARE(tbRuns->table->metric(QStringLiteral("loss"))->count[size_t(a)], int64_t(1));
        for (const char* file : {"run_a/events.out.tfevents.2.host", "run_a/hparams.yaml", "run_b/events.out.tfevents.1.host"})
            QVERIFY2(said(tp, QString::fromLatin1(file)), qPrintable(QString::fromLatin1(file) + QStringLiteral(" not named in:\n") + tp.join(QLatin1Char('\n'))));
        QCOMPARE((*tb)->loadSeries(QStringLiteral("run_a"), QStringLiteral("loss"))->size(), size_t(1));

        // Lightning: metrics.csv of one version, hparams.yaml of another.
        const QString lightning = dir.filePath(QStringLiteral("lightning_logs"));
        test::writeFile(lightning + QStringLiteral("/version_0/hparams.yaml"), "lr: 0.1\n");
        device("/dev/zero", lightning + QStringLiteral("/version_0/metrics.csv"));
        test::writeFile(lightning + QStringLiteral("/version_1/metrics.csv"), "step,loss\n0,1\n");
        device("/dev/urandom", lightning + QStringLiteral("/version_1/hparams.yaml"));
        auto lt = openStore(lightning);
        QVERIFY(lt);
        auto ltRuns = (*lt)->loadRuns();
        QVERIFY(ltRuns);
        QCOMPARE(ltRuns->table->rowCount(), 2);
        QVERIFY(ltRuns->table->metric(QStringLiteral("loss")));
        for (const char* file : {"version_0/metrics.csv", "version_1/hparams.yaml"})
            QVERIFY2(said(ltRuns->problems, QString::fromLatin1(file)), qPrintable(ltRuns->problems.join(QLatin1Char('\n'))));

        // DVCLive: one metric's history.
        const QString dvc = dir.filePath(QStringLiteral("project"));
        test::writeFile(dvc + QStringLiteral("/dvclive/plots/metrics/acc.tsv"), "step\tacc\n0\t0.5\n");
        device("/dev/zero", dvc + QStringLiteral("/dvclive/plots/metrics/loss.tsv"));
        auto dv = openStore(dvc);
        QVERIFY(dv);
        auto dvRuns = (*dv)->loadRuns();
        QVERIFY(dvRuns);
        QVERIFY(dvRuns->table->metric(QStringLiteral("acc")));
        QVERIFY(said(dvRuns->problems, QStringLiteral("loss.tsv")));
    }

    void hugeMlflowMetricFileIsReadInBoundedMemory()
    {
        // One good line, 3 GB of NUL bytes (no newline in them), a good line.
        QTemporaryDir dir;
        const double before = peakResidentMb();
        const QString mlruns = dir.filePath(QStringLiteral("mlruns"));
        test::writeFile(mlruns + QStringLiteral("/1/meta.yaml"), "experiment_id: '1'\nname: exp\n");
        test::writeFile(mlruns + QStringLiteral("/1/big/meta.yaml"), "run_id: big\nrun_name: big\nstatus: 3\n");
        test::writeFile(mlruns + QStringLiteral("/1/big/metrics/loss"), "1700000000000 0.5 0\n");
        const QString huge = mlruns + QStringLiteral("/1/big/metrics/huge");
        hugeFile(huge, "1700000000000 0.25 0\n");
        {
            // The junk is passed over, not the rest of the file.
            QFile f(huge);
            QVERIFY(f.open(QIODevice::Append));
            f.write("\n1700000000001 0.125 1\n");
        }
        auto ml = openStore(mlruns);
        QVERIFY(ml);
        auto runs = (*ml)->loadRuns();
        const auto details = (*ml)->loadDetails(QStringLiteral("big"));
        const auto series = (*ml)->loadSeries(QStringLiteral("big"), QStringLiteral("huge"));
        memoryBounded(before);
        QVERIFY(runs);
        QCOMPARE(runs->table->metric(QStringLiteral("huge"))->count[0], int64_t(2));
        QVERIFY2(runs->problems.join(QLatin1Char(' ')).contains(huge), qPrintable(runs->problems.join(QLatin1Char('\n'))));
        QVERIFY(details);
        QVERIFY(series);
        QCOMPARE(series->size(), size_t(2));
        QCOMPARE(series->values[1], 0.125);
        QVERIFY(!series->problems.isEmpty());
    }

    void hugeMetricsCsvIsReadInBoundedMemory()
    {
        // A header and a row, then the NULs: one endless field.
        QTemporaryDir dir;
        const double before = peakResidentMb();
        const QString lightning = dir.filePath(QStringLiteral("lightning_logs"));
        hugeFile(lightning + QStringLiteral("/version_0/metrics.csv"), "step,loss\n0,1.5\n");
        auto lt = openStore(lightning);
        QVERIFY(lt);
        auto runs = (*lt)->loadRuns();
        memoryBounded(before);
        QVERIFY(runs);
        QCOMPARE(runs->table->rowCount(), 1);
        QCOMPARE(runs->table->metric(QStringLiteral("loss"))->count[0], int64_t(1));
        QVERIFY2(runs->problems.join(QLatin1Char(' ')).contains(QStringLiteral("metrics.csv: row 3 is longer than")),
                 qPrintable(runs->problems.join(QLatin1Char('\n'))));
    }

    void hugeEventFilesAreReadInBoundedMemory()
    {
        // A record then the NULs; a record that says it is 3 GB long; a good file.
        QTemporaryDir dir;
        const double before = peakResidentMb();
        const QString logdir = dir.filePath(QStringLiteral("tb"));
        hugeFile(logdir + QStringLiteral("/run/events.out.tfevents.1.host"), scalarEventRecord("loss", 0, 1.7e9, 0.5f));
        QByteArray header(12, '\0');
        const uint64_t len = uint64_t(kHuge) - 16;
        std::memcpy(header.data(), &len, 8);
        const uint32_t lenCrc = maskedCrc32c(reinterpret_cast<const uint8_t*>(&len), 8);
        std::memcpy(header.data() + 8, &lenCrc, 4);
        hugeFile(logdir + QStringLiteral("/run/events.out.tfevents.2.host"), header);
        test::writeFile(logdir + QStringLiteral("/run/events.out.tfevents.3.host"), scalarEventRecord("loss", 1, 1.7e9 + 1, 0.25f));
        auto tb = openStore(logdir);
        QVERIFY(tb);
        auto runs = (*tb)->loadRuns();
        memoryBounded(before);
        QVERIFY(runs);
        QCOMPARE(runs->table->metric(QStringLiteral("loss"))->count[0], int64_t(2));
        QVERIFY2(runs->problems.join(QLatin1Char(' ')).contains(QStringLiteral("events.out.tfevents.2.host: 1 record(s) over 64 MiB")),
                 qPrintable(runs->problems.join(QLatin1Char('\n'))));
    }

    void fileThatIsNotADatabase()
    {
        const QString p = path("random.bin");
        QFile f(p);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, '\x5a'));
        f.close();
        const auto before = fileHash(p);
        auto r = openStore(p);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QStringLiteral("not a SQLite database")), qPrintable(r.error()));
        QVERIFY(startError(p, quiet("w")).contains(QStringLiteral("not a SQLite database")));
        QCOMPARE(fileHash(p), before);
    }

    void foreignSqliteDatabase()
    {
        const QString p = path("foreign.db");
        {
            SqliteDb db(p.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE invoices(id INTEGER, total REAL); INSERT INTO invoices VALUES(1, 9.5)");
        }
        const auto before = fileHash(p);
        auto r = openStore(p);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QStringLiteral("not a Runlens store")), qPrintable(r.error()));
        QVERIFY(startError(p, quiet("w")).contains(QStringLiteral("not a Runlens store")));
        QCOMPARE(fileHash(p), before);
    }

    void aRecursiveViewInPlaceOfATableIsRefused()
    {
        // `runs` replaced by a recursive view: reading it never ends. Refused
        // at open, as damaged, and the file is left as it was.
        const QString p = makeStore("hostile-view.db");
        {
            SqliteDb db(p.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("PRAGMA foreign_keys=OFF; ALTER TABLE runs RENAME TO runs_kept;"
                    "CREATE VIEW runs AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                    "SELECT n AS id, n AS name, 1 AS experiment_id, 'running' AS status, 0 AS start_time, "
                    "NULL AS end_time, 0 AS heartbeat, 0 AS heartbeat_interval_ms, '' AS host, 0 AS pid, "
                    "NULL AS parent_id, '' AS notes, '' AS hypothesis, '' AS repro_hash FROM r");
        }
        const auto before = fileHash(p);
        auto r = openStore(p); // a hang here is the failure (ctest's timeout ends it)
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QStringLiteral("'runs' is missing or not a table")), qPrintable(r.error()));
        QCOMPARE(fileHash(p), before);
    }

    void storeFromANewerSchema()
    {
        const QString p = makeStore("newer.db");
        {
            SqliteDb db(p.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("UPDATE store_meta SET value='99' WHERE key='schema_version'");
        }
        const auto before = fileHash(p);
        auto r = openStore(p);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QStringLiteral("newer Runlens")), qPrintable(r.error()));
        QVERIFY(startError(p, quiet("w")).contains(QStringLiteral("newer Runlens")));
        QCOMPARE(fileHash(p), before);
    }

    void missingAndEmptyPaths()
    {
        QVERIFY(openStore(path("does-not-exist.db")).error().contains(QStringLiteral("does not exist")));
        QFile empty(path("empty.db"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        // Empty: said as such, with what to do (it read "not a SQLite database").
        QString error = openStore(empty.fileName()).error();
        QVERIFY2(error.contains(QStringLiteral("is empty (0 bytes)")), qPrintable(error));
        QVERIFY(error.contains(QStringLiteral("Log a run to it again")));
        QVERIFY(!error.contains(QStringLiteral("beside it")));
        // What a writer killed while creating the store leaves: the journal is named.
        QFile journal(path("empty.db-journal"));
        QVERIFY(journal.open(QIODevice::WriteOnly));
        journal.write(QByteArray(512, '\0'));
        journal.close();
        error = openStore(empty.fileName()).error();
        QVERIFY2(error.contains(QStringLiteral("with empty.db-journal beside it")), qPrintable(error));
        QVERIFY(!openStore(dir_.path()));
        // Links: a loop and a dangling link say what they are, not "does not exist".
        QVERIFY(QFile::link(path("loop-a"), path("loop-b")) && QFile::link(path("loop-b"), path("loop-a")));
        error = openStore(path("loop-a")).error();
        QVERIFY2(error.contains(QStringLiteral("leads back to itself")), qPrintable(error));
        QVERIFY(QFile::link(path("gone.db"), path("dangling.db")));
        error = openStore(path("dangling.db")).error();
        QVERIFY2(error.contains(QStringLiteral("symbolic link to")) && error.contains(QStringLiteral("gone.db")),
            qPrintable(error));
        // A file that is not a store names what this build reads.
        QFile text(path("notes.txt"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("just some notes\n");
        text.close();
        error = openStore(text.fileName()).error();
        QVERIFY2(error.contains(QStringLiteral("not a SQLite database")) && error.contains(QStringLiteral("MLflow")),
            qPrintable(error));
    }

    void damagedSummaryCountSaysWhatIsWrong()
    {
        // A summary whose point count is negative made the reader throw
        // "vector::reserve"; the series reads from its chunks all the same.
        const QString p = makeStore("bad-count.db", 100);
        {
            SqliteDb db(p.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("UPDATE metrics SET count = -5");
        }
        auto r = openStore(p);
        QVERIFY(r);
        auto runs = (*r)->loadRuns();
        QVERIFY(runs);
        const QString id = runs->table->id(0);
        const QString key = QStringLiteral("x");
        const auto series = (*r)->loadSeries(id, key);
        QVERIFY2(series.ok(), qPrintable(series.ok() ? QString() : series.error()));
        QVERIFY(series->size() > 0);
    }

    void truncatedStore()
    {
        const QString p = makeStore("truncated.db", 20000);
        QFile f(p);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 2));
        f.close();
        // Cut in half, its pages point past its end: refused at open as
        // damaged, naming the file, and left as it was.
        const auto before = fileHash(p);
        auto r = openStore(p);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QStringLiteral("damaged")) && r.error().contains(QStringLiteral("truncated.db")),
            qPrintable(r.error()));
        QCOMPARE(fileHash(p), before);
    }

    void readerNeverChangesTheFile()
    {
        const QString p = makeStore("readonly.db");
        QFile::setPermissions(p, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
        const auto before = fileHash(p);
        auto reader = mustOpen(p);
        auto table = mustLoad(*reader);
        QCOMPARE(table->rowCount(), 1);
        QVERIFY(reader->loadSeries(table->id(0), QStringLiteral("x")).ok());
        QVERIFY(reader->loadDetails(table->id(0)).ok());
        reader.reset();
        QCOMPARE(fileHash(p), before);
        // Root writes through permission bits (CI runs as root): there the
        // file is made immutable instead, which binds root too.
        const bool root = geteuid() == 0;
        struct Mutable {
            QString path;
            bool on;
            ~Mutable()
            {
                if (on)
                    QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), path});
            }
        } restore{p, root};
        if (root)
            QVERIFY2(QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("+i"), p}) == 0,
                "as root the test makes the store immutable with chattr +i (e2fsprogs), and that failed");
        const auto why = startError(p, quiet("w"));
        QVERIFY2(why.contains(QStringLiteral("read-only")) || why.contains(QStringLiteral("readonly")), qPrintable(why));
        QCOMPARE(fileHash(p), before);
        if (root)
            QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), p});
        restore.on = false;
        QFile::setPermissions(p, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void damagedChunkIsSkippedAndReported()
    {
        const QString p = makeStore("damaged.db", 3000);
        {
            SqliteDb db(p.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("UPDATE metric_chunks SET points = x'0100' WHERE seq = 1");
        }
        auto reader = mustOpen(p);
        auto table = mustLoad(*reader);
        auto s = reader->loadSeries(table->id(0), QStringLiteral("x"));
        QVERIFY(s);
        QCOMPARE(s->size(), size_t(3000 - 1024));
        QCOMPARE(s->problems.size(), 1);
        QVERIFY(s->problems[0].contains(QStringLiteral("chunk 1")));
        QCOMPARE(s->steps.front(), int64_t(0));
        QCOMPARE(s->steps[1024], int64_t(2048));
    }

    void lockedStore()
    {
        const QString p = makeStore("locked.db");
        SqliteDb holder(p.toStdString(), SqliteDb::Mode::ReadWriteCreate);
        holder.exec("BEGIN EXCLUSIVE");
        // Readers are not blocked by a writer (WAL).
        auto reader = mustOpen(p);
        QCOMPARE(mustLoad(*reader)->rowCount(), 1);
        // A new writer waits for its busy timeout, then says why.
        auto o = quiet("blocked");
        o.busy_timeout = std::chrono::milliseconds(200);
        const auto why = startError(p, o);
        QVERIFY2(why.contains(QStringLiteral("locked")), qPrintable(why));
        holder.exec("ROLLBACK");
    }

    void writesDelayedByALockAreNotLost()
    {
        const QString p = makeStore("delayed.db");
        auto o = quiet("delayed");
        o.busy_timeout = std::chrono::milliseconds(100);
        auto run = Run::start(p.toStdString(), o);
        SqliteDb holder(p.toStdString(), SqliteDb::Mode::ReadWriteCreate);
        holder.exec("BEGIN EXCLUSIVE");
        for (int i = 0; i < 5000; ++i)
            QVERIFY(run.logMetric("y", i, i)); // never blocks, whatever the disk does
        std::this_thread::sleep_for(std::chrono::milliseconds(400)); // several failed flushes
        holder.exec("ROLLBACK");
        run.finish();
        auto reader = mustOpen(p);
        auto table = mustLoad(*reader);
        const int row = table->findRun(QStringLiteral("delayed"));
        QVERIFY(row >= 0);
        auto s = reader->loadSeries(table->id(row), QStringLiteral("y"));
        QVERIFY(s);
        QCOMPARE(s->size(), size_t(5000));
        QCOMPARE(table->metric(QStringLiteral("y"))->count[size_t(row)], int64_t(5000));
        QCOMPARE(table->status(row), RunStatus::Finished);
    }

    void invalidNamesAndValues()
    {
        auto run = Run::start(path("names.db").toStdString(), quiet("names"));
        QVERIFY(!run.logMetric("", 1, 0));
        QVERIFY(run.lastError().find("empty") != std::string::npos);
        QVERIFY(!run.logMetric(std::string(251, 'k'), 1, 0));
        QVERIFY(run.lastError().find("longer than 250") != std::string::npos);
        QVERIFY(!run.logMetric("tab\there", 1, 0));
        QVERIFY(run.lastError().find("control character") != std::string::npos);
        QVERIFY(!run.logMetric("bad\xff\xfeutf8", 1, 0));
        QVERIFY(run.lastError().find("UTF-8") != std::string::npos);
        QVERIFY(!run.logParam("big", std::string(kMaxValueBytes + 1, 'v')));
        QVERIFY(run.lastError().find("larger than") != std::string::npos);
        QVERIFY(!run.logParamJson("j", "{not json"));
        QVERIFY(!run.logConfig("c", "[1, 2]")); // a config is an object
        QVERIFY(run.logMetric(std::string(250, 'k'), 1, 0));
        QVERIFY(run.logMetric("ünïcode/λ 🚀", 2, 0));
        QVERIFY(run.logParam("nan", std::nan("")));
        QVERIFY(run.logParam("inf", -INFINITY));
        QVERIFY(run.logMetric("x", 1, -5)); // negative steps are allowed
        run.finish();
        QVERIFY(!run.logMetric("x", 1, 1)); // after finish
        QVERIFY(run.lastError().find("finished") != std::string::npos);

        try {
            Run::start(path("names.db").toStdString(), quiet("bad\nname")).finish();
            QFAIL("a run name with a newline was accepted");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("control character") != std::string::npos);
        }

        auto reader = mustOpen(path("names.db"));
        auto table = mustLoad(*reader);
        QCOMPARE(table->metrics().size(), size_t(3));
        QVERIFY(table->metric(QString(250, QLatin1Char('k'))));
        QVERIFY(table->metric(QStringLiteral("ünïcode/λ 🚀")));
        QCOMPARE(table->param(QStringLiteral("nan"))->text[0], QStringLiteral("nan"));
        QCOMPARE(table->param(QStringLiteral("inf"))->number[0], -INFINITY);
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "test_bad_input.moc"
