// SPDX-License-Identifier: GPL-3.0-or-later
// The team store against a real PostgreSQL server (postgres_test_server.h):
// init-team and what it refuses, push and its idempotence (twice, killed
// midway, a run still logging), the team store read exactly as the file it
// came from, the reader role, and bad URLs, wrong passwords and a server
// that goes away.
#include "cli_output.h"
#include "postgres_test_server.h"
#include "test_support.h"
#include "window_test_support.h"
#include "workspace.h"

#include "run_query.h"
#include "runlens/sqlite_db.h"
#include "store_registry.h"
#include "team_connection.h"
#include "team_store_pusher.h"
#include "team_store_dialog.h"
#include "team_store_url.h"

#include <QCryptographicHash>
#include <QScopeGuard>
#include <QSemaphore>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QThreadPool>
#include <QComboBox>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <atomic>
#include <optional>
#include <cmath>
#include <csignal>
#include <cstring>

using namespace runlens;
using namespace runlens::test;

namespace {

// Every point's bits, so NaN and -0.0 compare as what was logged.
QByteArray seriesBits(const MetricSeries& s)
{
    QByteArray out;
    for (size_t i = 0; i < s.size(); ++i) {
        out.append(reinterpret_cast<const char*>(&s.steps[i]), sizeof(int64_t));
        out.append(reinterpret_cast<const char*>(&s.wallTimes[i]), sizeof(double));
        out.append(reinterpret_cast<const char*>(&s.values[i]), sizeof(double));
    }
    return out;
}

// The chunks of the local store, as (run id, key, seq) -> sha256 of the blob.
QMap<QString, QByteArray> localChunks(const QString& path)
{
    SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadOnly);
    auto st = db.prepare("SELECT m.run_id, m.key, c.seq, c.points FROM metric_chunks c JOIN metrics m ON m.id = c.metric_id");
    QMap<QString, QByteArray> out;
    while (st.step()) {
        const auto blob = st.blob(3);
        out.insert(QStringLiteral("%1/%2/%3").arg(QString::fromUtf8(st.text(0).data(), qsizetype(st.text(0).size())),
                                                  QString::fromUtf8(st.text(1).data(), qsizetype(st.text(1).size())))
                       .arg(st.int64(2)),
            QCryptographicHash::hash(QByteArray(reinterpret_cast<const char*>(blob.data()), qsizetype(blob.size())),
                QCryptographicHash::Sha256));
    }
    return out;
}

// The processes whose command line holds `needle` (a run's push, found by
// its id); with `kill`, killed (a test that failed leaves none behind to
// hold ctest's output pipe open).
int processesWith(const QByteArray& needle, bool kill = false)
{
    int n = 0;
    for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (pid.toInt() > 0 && cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(needle)) {
            ++n;
            if (kill)
                ::kill(pid.toInt(), SIGKILL);
        }
    }
    return n;
}

} // namespace

class TestTeamStore : public QObject {
    Q_OBJECT

    std::unique_ptr<PostgresTestServer> server_;
    QTemporaryDir dir_;

    QString local(const QString& name) const { return dir_.filePath(name); }

    // A store as training leaves it: params, tags, notes, git-less provenance,
    // series over several chunks (a partial tail), NaN, infinities and -0.0,
    // runs logging at different steps, a failed run.
    QString makeStore(const QString& name, int runs, int steps)
    {
        const QString path = local(name);
        std::string parent;
        for (int r = 0; r < runs; ++r) {
            auto options = testRun("run-" + std::to_string(r));
            options.parent_id = parent;
            auto run = Run::start(path.toStdString(), options);
            if (r == 0)
                parent = run.id();
            run.setHypothesis("wider is better");
            run.logConfig("train", R"({"optimizer": {"name": "adam", "betas": [0.9, 0.999]}})");
            run.logArtifactUri("model.pt", "file:///data/models/model-" + std::to_string(r) + ".pt", 1234 + r, "ab12");
            run.logParam("lr", 0.001 * (r + 1));
            run.logParam("layers", int64_t(2 + r % 3));
            run.logParam("optimizer", r % 2 ? "adam" : "sgd");
            run.setTag("team", "vision");
            run.setNotes("run " + std::to_string(r) + " tries a wider net");
            run.logDataVersion("train", "sha256:abc" + std::to_string(r));
            run.logEnvironment("python", "3.11.2");
            for (int s = 0; s < steps; ++s) {
                run.logMetric("loss", 1.0 / (1 + s) + 0.01 * r, s);
                if (s % 3 == 0)
                    run.logMetric("val/acc", s == 300 ? NAN : 0.5 + 0.4 * s / steps, s * 2 + r);
            }
            run.logMetric("odd", INFINITY, 0);
            run.logMetric("odd", -INFINITY, 1);
            run.logMetric("odd", -0.0, 2);
            run.finish(r == 1 ? RunStatus::Failed : RunStatus::Finished);
        }
        return path;
    }

    QString team()
    {
        const QString db = server_->createDatabase();
        const auto created = runCli({QStringLiteral("init-team"), server_->url(db)});
        if (created.code != 0)
            qWarning("init-team: %s", qPrintable(created.err));
        return server_->url(db);
    }

    static QString localRunId(const QString& path)
    {
        SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadOnly);
        auto st = db.prepare("SELECT id FROM runs");
        st.step();
        return QString::fromStdString(std::string(st.text(0)));
    }

    QString teamDb(const QString& url) const { return url.section(QLatin1Char('/'), -1); }

    // Everything one team store holds, counted per table.
    QString counts(const QString& url) const
    {
        QStringList out;
        for (const char* table : {"experiments", "runs", "params", "configs", "tags", "metrics", "metric_chunks",
                 "artifacts", "git_info", "data_versions", "environment", "run_events"})
            out << QStringLiteral("%1=%2").arg(QLatin1String(table),
                server_->value(teamDb(url), QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))));
        out << QStringLiteral("points=%1").arg(server_->value(teamDb(url), QStringLiteral("SELECT coalesce(sum(count),0) FROM metric_chunks")));
        return out.join(QLatin1Char(' '));
    }

    QMap<QString, QByteArray> teamChunks(const QString& url) const
    {
        QMap<QString, QByteArray> out;
        const QString name = QStringLiteral("chunks");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            db.setHostName(QStringLiteral("127.0.0.1"));
            db.setPort(server_->port());
            db.setDatabaseName(teamDb(url));
            db.setUserName(QString::fromLatin1(PostgresTestServer::kAdmin));
            db.setPassword(QString::fromLatin1(PostgresTestServer::kAdminPassword));
            if (db.open()) {
                QSqlQuery q(db);
                q.exec(QStringLiteral("SELECT m.run_id, m.key, c.seq, c.points FROM metric_chunks c JOIN metrics m ON m.id = c.metric_id"));
                while (q.next())
                    out.insert(QStringLiteral("%1/%2/%3").arg(q.value(0).toString(), q.value(1).toString()).arg(q.value(2).toLongLong()),
                        QCryptographicHash::hash(q.value(3).toByteArray(), QCryptographicHash::Sha256));
            }
        }
        QSqlDatabase::removeDatabase(name);
        return out;
    }

    // What the local store holds, counted as counts() counts the team's.
    QString localCounts(const QString& path) const
    {
        SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadOnly);
        QStringList out;
        for (const char* table : {"experiments", "runs", "params", "configs", "tags", "metrics", "metric_chunks",
                 "artifacts", "git_info", "data_versions", "environment", "run_events"}) {
            qint64 n = 0;
            if (db.tableExists(table)) {
                auto st = db.prepare(std::string("SELECT count(*) FROM ") + table);
                st.step();
                n = st.int64(0);
            }
            out << QStringLiteral("%1=%2").arg(QLatin1String(table)).arg(n);
        }
        auto st = db.prepare("SELECT coalesce(sum(count),0) FROM metric_chunks");
        st.step();
        out << QStringLiteral("points=%1").arg(st.int64(0));
        return out.join(QLatin1Char(' '));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true); // the dialog's settings: not the user's
        qunsetenv("RUNLENS_SYNC"); // a developer's own team store is no place for test runs
        // Runs left logging past a push would otherwise gain system/ series
        // every 10 s, and a slow machine would see the file move on from
        // the team store it is compared with (CI did, once).
        qputenv("RUNLENS_SYSTEM_METRICS", "0");
        server_ = std::make_unique<PostgresTestServer>();
        // Not a skip: CI installs the server, and a suite that skips it would pass without testing anything.
        QVERIFY2(server_->error().isEmpty(), qPrintable(server_->error()));
    }

    void initTeamCreatesAndRefuses()
    {
        const QString db = server_->createDatabase();
        const QString url = server_->url(db);
        const auto created = runCli({QStringLiteral("init-team"), url});
        QCOMPARE(created.code, 0);
        QVERIFY2(created.out.contains(QStringLiteral("created team store")), qPrintable(created.out));
        QVERIFY(!created.out.contains(QString::fromLatin1(PostgresTestServer::kAdminPassword)));
        QCOMPARE(server_->value(db, QStringLiteral("SELECT value FROM team_meta WHERE key='schema_version'")), QStringLiteral("1"));
        // The roles exist and may do what they are for.
        QCOMPARE(server_->value(db, QStringLiteral("SELECT has_table_privilege('runlens_reader', 'runs', 'SELECT')")), QStringLiteral("true"));
        QCOMPARE(server_->value(db, QStringLiteral("SELECT has_table_privilege('runlens_reader', 'runs', 'INSERT')")), QStringLiteral("false"));
        QCOMPARE(server_->value(db, QStringLiteral("SELECT has_table_privilege('runlens_writer', 'metric_chunks', 'INSERT')")), QStringLiteral("true"));

        const auto again = runCli({QStringLiteral("init-team"), url});
        QCOMPARE(again.code, 0);
        QVERIFY2(again.out.contains(QStringLiteral("nothing changed")), qPrintable(again.out));

        // A database holding something else is refused and left as it was.
        const QString other = server_->createDatabase();
        QVERIFY(server_->exec(other, QStringLiteral("CREATE TABLE invoices(id int)")));
        const auto refused = runCli({QStringLiteral("init-team"), server_->url(other)});
        QCOMPARE(refused.code, 3);
        QVERIFY2(refused.err.contains(QStringLiteral("something else")), qPrintable(refused.err));
        QCOMPARE(server_->value(other, QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname='public'")), QStringLiteral("1"));
        // Nor the server's own database, which every administrator connects to.
        const auto own = runCli({QStringLiteral("init-team"), server_->url(QStringLiteral("postgres"))});
        QCOMPARE(own.code, 3);
        QVERIFY2(own.err.contains(QStringLiteral("server's own databases")), qPrintable(own.err));
        QCOMPARE(server_->value(QStringLiteral("postgres"), QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname='public'")),
            QStringLiteral("0"));
        // And opening it says what it is not.
        const auto opened = openStore(server_->url(other));
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(QStringLiteral("not a Runlens team store")), qPrintable(opened.error()));
    }

    void pushSendsEverythingOnceAndAgainNothing()
    {
        const QString path = makeStore(QStringLiteral("twice.db"), 4, 2500);
        const QString url = team();
        const auto first = runCli({QStringLiteral("push"), path, url});
        QCOMPARE(first.code, 0);
        QVERIFY2(first.out.contains(QStringLiteral("pushed 4 run(s)")), qPrintable(first.out));
        QCOMPARE(counts(url), localCounts(path));
        QCOMPARE(teamChunks(url), localChunks(path));

        const auto second = runCli({QStringLiteral("push"), path, url});
        QCOMPARE(second.code, 0);
        QVERIFY2(second.out.contains(QStringLiteral("pushed 0 run(s)")) && second.out.contains(QStringLiteral("4 already there")),
            qPrintable(second.out));
        QCOMPARE(counts(url), localCounts(path));
    }

    void aRunStillLoggingIsContinued()
    {
        const QString path = local(QStringLiteral("live.db"));
        const QString url = team();
        auto run = Run::start(path.toStdString(), testRun("live"));
        for (int s = 0; s < 1500; ++s)
            run.logMetric("loss", 1.0 / (1 + s), s);
        QVERIFY(run.flush());
        QCOMPARE(runCli({QStringLiteral("push"), path, url}).code, 0);
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT sum(count) FROM metric_chunks")), QStringLiteral("1500"));
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT status FROM runs")), QStringLiteral("running"));

        for (int s = 1500; s < 2600; ++s)
            run.logMetric("loss", 1.0 / (1 + s), s);
        run.finish();
        const auto next = runCli({QStringLiteral("push"), path, url});
        QCOMPARE(next.code, 0);
        // The tail chunk grew (replaced) and a third came: nothing doubled.
        QVERIFY2(next.out.contains(QStringLiteral("pushed 1 run(s)")) && next.out.contains(QStringLiteral("(2 chunk(s)")),
            qPrintable(next.out));
        QCOMPARE(counts(url), localCounts(path));
        QCOMPARE(teamChunks(url), localChunks(path));
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT status FROM runs")), QStringLiteral("finished"));
    }

    void pushWatchFollowsTrainingAndOutlastsTheServer()
    {
        const QString path = local(QStringLiteral("watched.db"));
        const QString url = team();
        auto run = Run::start(path.toStdString(), testRun("watched"));
        for (int s = 0; s < 500; ++s)
            run.logMetric("loss", 1.0 / (1 + s), s);
        QVERIFY(run.flush());
        QProcess watch;
        watch.start(QStringLiteral(RUNLENS_BIN),
            {QStringLiteral("push"), path, url, QStringLiteral("--watch"), QStringLiteral("--interval"), QStringLiteral("0.2")});
        QVERIFY(watch.waitForStarted());
        const QString points = QStringLiteral("SELECT coalesce(sum(count), 0) FROM metric_chunks");
        QTRY_COMPARE_WITH_TIMEOUT(server_->value(teamDb(url), points), QStringLiteral("500"), 20000);

        // The server goes away while training goes on, and comes back.
        server_->stop();
        for (int s = 500; s < 1800; ++s)
            run.logMetric("loss", 1.0 / (1 + s), s);
        QVERIFY(run.flush());
        QTest::qWait(600);
        QCOMPARE(watch.state(), QProcess::Running);
        QVERIFY2(server_->start(), qPrintable(server_->error()));
        QTRY_COMPARE_WITH_TIMEOUT(server_->value(teamDb(url), points), QStringLiteral("1800"), 20000);
        run.finish();
        QTRY_COMPARE_WITH_TIMEOUT(server_->value(teamDb(url), QStringLiteral("SELECT status FROM runs")),
            QStringLiteral("finished"), 20000);
        watch.kill();
        watch.waitForFinished();
        QVERIFY2(watch.readAllStandardError().contains("runlens push: team store"), "the push said nothing of the server going away");
        QCOMPARE(teamChunks(url), localChunks(path));
    }

    // The logger's sync= (RUNLENS_SYNC): training pushes as it logs, through
    // a server restart, and the push it started stops once the run's end is
    // there. Nothing lost, nothing doubled; the runlens command is found
    // beside the library, not through $RUNLENS_BIN.
    void theLoggerSyncsWhileTrainingThroughAServerRestart()
    {
        const QByteArray savedBin = qgetenv("RUNLENS_BIN");
        qunsetenv("RUNLENS_BIN");
        const auto restore = qScopeGuard([&] {
            if (!savedBin.isEmpty())
                qputenv("RUNLENS_BIN", savedBin);
        });
        const QString path = local(QStringLiteral("synced.db"));
        const QString url = team();
        auto options = testRun("synced");
        options.sync = url.toStdString();
        options.sync_interval = std::chrono::milliseconds(200);
        auto run = Run::start(path.toStdString(), options);
        const QByteArray follower = "--run" + QByteArray(1, '\0') + QByteArray::fromStdString(run.id());
        const auto noneLeft = qScopeGuard([&] { processesWith(follower, true); });
        QVERIFY2(run.lastError().empty(), run.lastError().c_str());
        QTRY_COMPARE_WITH_TIMEOUT(processesWith(follower), 1, 5000);
        // The URL, password and all, is not on the push's command line.
        QCOMPARE(processesWith(PostgresTestServer::kAdminPassword), 0);
        for (int s = 0; s < 500; ++s)
            run.logMetric("loss", 1.0 / (1 + s), s);
        QVERIFY(run.flush());
        const QString points = QStringLiteral("SELECT coalesce(sum(count), 0) FROM metric_chunks");
        QTRY_COMPARE_WITH_TIMEOUT(server_->value(teamDb(url), points), QStringLiteral("500"), 20000);

        server_->stop();
        for (int s = 500; s < 2300; ++s)
            run.logMetric("loss", 1.0 / (1 + s), s);
        run.logParam("lr", 0.01);
        QVERIFY(run.flush());
        QTest::qWait(700);
        QCOMPARE(processesWith(follower), 1); // waiting for the server, not gone
        QVERIFY2(server_->start(), qPrintable(server_->error()));
        QTRY_COMPARE_WITH_TIMEOUT(server_->value(teamDb(url), points), QStringLiteral("2300"), 20000);
        QVERIFY(run.finish());
        QTRY_COMPARE_WITH_TIMEOUT(server_->value(teamDb(url), QStringLiteral("SELECT status FROM runs")),
            QStringLiteral("finished"), 20000);
        // Its end pushed, the push stops on its own.
        QTRY_COMPARE_WITH_TIMEOUT(processesWith(follower), 0, 20000);
        QCOMPARE(counts(url), localCounts(path));
        QCOMPARE(teamChunks(url), localChunks(path));

        // `push` takes $RUNLENS_SYNC for its URL; a run it is asked for and
        // the store has not is said, and fails the push.
        qputenv("RUNLENS_SYNC", url.toUtf8());
        const auto fromEnvironment = runCli({QStringLiteral("push"), path, QStringLiteral("--run"), QStringLiteral("feedbeef")});
        qunsetenv("RUNLENS_SYNC");
        QCOMPARE(fromEnvironment.code, 1);
        QVERIFY2(fromEnvironment.err.contains(QStringLiteral("has no run feedbeef")), qPrintable(fromEnvironment.err));
        QCOMPARE(counts(url), localCounts(path));
    }

    // A push that cannot start (no runlens command) is said; the run logs on.
    void aSyncThatCannotStartNeverStopsTheRun()
    {
        const QByteArray savedBin = qgetenv("RUNLENS_BIN");
        qputenv("RUNLENS_BIN", dir_.filePath(QStringLiteral("no-such-runlens")).toUtf8());
        qputenv("RUNLENS_SYNC", "postgresql://nobody@127.0.0.1:1/none");
        const auto restore = qScopeGuard([&] {
            qunsetenv("RUNLENS_SYNC");
            if (savedBin.isEmpty())
                qunsetenv("RUNLENS_BIN");
            else
                qputenv("RUNLENS_BIN", savedBin);
        });
        const QString path = local(QStringLiteral("unsynced.db"));
        auto run = Run::start(path.toStdString(), testRun("unsynced"));
        QVERIFY2(run.lastError().find("cannot start") != std::string::npos, run.lastError().c_str());
        for (int s = 0; s < 100; ++s)
            QVERIFY(run.logMetric("loss", 1.0 / (1 + s), s));
        QVERIFY(run.finish());
        // A mistyped URL is refused before anything starts, its password not said.
        auto typo = testRun("typo");
        typo.sync = "postgressql://alice:pw-secret@db.lab/vision";
        auto mistyped = Run::start(path.toStdString(), typo);
        QVERIFY2(mistyped.lastError().find("team store's URL") != std::string::npos, mistyped.lastError().c_str());
        QVERIFY(mistyped.lastError().find("pw-secret") == std::string::npos);
        QVERIFY(mistyped.finish());
        const auto cli = runCli({QStringLiteral("push"), path, QStringLiteral("postgressql://alice:pw-secret@db.lab/vision")});
        QCOMPARE(cli.code, 3);
        QVERIFY2(!cli.err.contains(QStringLiteral("pw-secret")) && cli.err.contains(QStringLiteral("not a team store URL")),
            qPrintable(cli.err));
        // sync="" turns $RUNLENS_SYNC off for one run.
        auto options = testRun("off");
        options.sync = std::string();
        auto off = Run::start(path.toStdString(), options);
        QVERIFY2(off.lastError().empty(), off.lastError().c_str());
        QVERIFY(off.finish());
    }

    // A job stopped (Ctrl+Z) or a disk refusing writes stalls the heartbeat
    // while the logger lives: the push it started waits for the run's end
    // rather than take it for crashed. Without --logger-pid, it is crashed.
    void aStalledLoggerIsAwaitedWhileItLives()
    {
        const QString path = makeStore(QStringLiteral("stalled.db"), 1, 10);
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            // Logged by this process (its host and pid), its heartbeat an hour old.
            db.exec("UPDATE runs SET status = 'running', end_time = NULL, heartbeat = heartbeat - 3600000");
        }
        const QString id = localRunId(path);
        const QString url = team();
        QProcess awaited;
        awaited.start(QStringLiteral(RUNLENS_BIN), {QStringLiteral("push"), path, url, QStringLiteral("--watch"),
            QStringLiteral("--interval"), QStringLiteral("0.2"), QStringLiteral("--run"), id, QStringLiteral("--logger-pid"),
            QString::number(QCoreApplication::applicationPid())});
        QVERIFY(awaited.waitForStarted());
        const auto noneLeft = qScopeGuard([&] { awaited.kill(); awaited.waitForFinished(); });
        QVERIFY2(!awaited.waitForFinished(2000), awaited.readAllStandardError().constData());
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT status FROM runs")), QStringLiteral("running"));
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            auto end = db.prepare("UPDATE runs SET status = 'finished', end_time = ?");
            end.bind(1, int64_t(QDateTime::currentMSecsSinceEpoch())).run();
        }
        QVERIFY(awaited.waitForFinished(20000));
        QCOMPARE(awaited.exitCode(), 0);
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT status FROM runs")), QStringLiteral("finished"));

        // No logger to wait for: the stale run is crashed, pushed so, done.
        const QString other = makeStore(QStringLiteral("stalled-alone.db"), 1, 10);
        {
            SqliteDb db(other.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("UPDATE runs SET status = 'running', end_time = NULL, heartbeat = heartbeat - 3600000");
        }
        const QString lone = team();
        const auto alone = runCli({QStringLiteral("push"), other, lone, QStringLiteral("--watch"), QStringLiteral("--interval"),
            QStringLiteral("0.2"), QStringLiteral("--run"), localRunId(other)});
        QCOMPARE(alone.code, 0);
        QCOMPARE(server_->value(teamDb(lone), QStringLiteral("SELECT count(*) FROM runs")), QStringLiteral("1"));
    }

    void aPushKilledMidwayIsFinishedByTheNext()
    {
        const QString path = makeStore(QStringLiteral("killed.db"), 24, 6000);
        const QString url = team();
        QProcess push;
        push.start(QStringLiteral(RUNLENS_BIN), {QStringLiteral("push"), path, url});
        QVERIFY(push.waitForStarted());
        // Killed as soon as some runs are there and others are not.
        QString runsThere;
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < 60000 && push.state() == QProcess::Running) {
            runsThere = server_->value(teamDb(url), QStringLiteral("SELECT count(*) FROM runs"));
            if (runsThere.toInt() >= 2)
                break;
            QThread::msleep(5);
        }
        QVERIFY2(push.state() == QProcess::Running, "the push ended before it could be killed midway");
        push.kill();
        push.waitForFinished();
        const int partial = server_->value(teamDb(url), QStringLiteral("SELECT count(*) FROM runs")).toInt();
        QVERIFY2(partial >= 2 && partial < 24, qPrintable(QStringLiteral("runs there when killed: %1").arg(partial)));
        // Whatever is there is whole: each run's points are all of its series'.
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT count(*) FROM metrics m WHERE m.count <> "
                                                            "(SELECT coalesce(sum(c.count),0) FROM metric_chunks c WHERE c.metric_id = m.id)")),
            QStringLiteral("0"));

        const auto again = runCli({QStringLiteral("push"), path, url});
        QCOMPARE(again.code, 0);
        QCOMPARE(counts(url), localCounts(path));
        QCOMPARE(teamChunks(url), localChunks(path));
    }

    void readsAsTheFileItCameFrom()
    {
        const QString path = makeStore(QStringLiteral("read.db"), 5, 1300);
        const QString url = team();
        QCOMPARE(runCli({QStringLiteral("push"), path, url}).code, 0);

        auto file = openStore(path);
        auto teamStore = openStore(url);
        QVERIFY2(file, qPrintable(file ? QString() : file.error()));
        QVERIFY2(teamStore, qPrintable(teamStore ? QString() : teamStore.error()));
        QCOMPARE((*teamStore)->kind(), QStringLiteral("runlens-team"));
        QVERIFY(!(*teamStore)->location().contains(QString::fromLatin1(PostgresTestServer::kAdminPassword)));
        const auto a = (*file)->loadRuns();
        const auto b = (*teamStore)->loadRuns();
        QVERIFY(a && b);
        QCOMPARE(b->table->rowCount(), a->table->rowCount());
        for (int r = 0; r < a->table->rowCount(); ++r) {
            const QString id = a->table->id(r);
            QCOMPARE(b->table->id(r), id);
            QCOMPARE(b->table->name(r), a->table->name(r));
            QCOMPARE(b->table->status(r), a->table->status(r));
            const auto da = (*file)->loadDetails(id);
            const auto db = (*teamStore)->loadDetails(id);
            QVERIFY(da && db);
            QCOMPARE(db->notes, da->notes);
            QCOMPARE(db->tags, da->tags);
            QCOMPARE(db->dataVersions, da->dataVersions);
            QCOMPARE(db->environment, da->environment);
            QCOMPARE(db->params.size(), da->params.size());
            for (size_t i = 0; i < da->params.size(); ++i) {
                QCOMPARE(db->params[i].key, da->params[i].key);
                QCOMPARE(db->params[i].value, da->params[i].value);
            }
            QCOMPARE(db->metrics.size(), da->metrics.size());
            for (size_t i = 0; i < da->metrics.size(); ++i) {
                const auto& ma = da->metrics[i];
                const auto& mb = db->metrics[i];
                QCOMPARE(mb.key, ma.key);
                QCOMPARE(mb.count, ma.count);
                QCOMPARE(mb.lastStep, ma.lastStep);
                // Bit for bit: the summaries cross the wire as text and must come back the same doubles.
                QCOMPARE(std::memcmp(&mb.last, &ma.last, sizeof(double)), 0);
                QCOMPARE(std::memcmp(&mb.min, &ma.min, sizeof(double)), 0);
                QCOMPARE(std::memcmp(&mb.max, &ma.max, sizeof(double)), 0);
                QCOMPARE(std::isnan(mb.mean), std::isnan(ma.mean));
                if (!std::isnan(ma.mean))
                    QCOMPARE(mb.mean, ma.mean);
                const auto sa = (*file)->loadSeries(id, ma.key);
                const auto sb = (*teamStore)->loadSeries(id, ma.key);
                QVERIFY(sa && sb);
                QCOMPARE(sb->size(), sa->size());
                QVERIFY(seriesBits(*sb) == seriesBits(*sa));
            }
        }
        // What a user reads in a terminal is the same from both.
        for (const QStringList& args : {QStringList{QStringLiteral("runs"), QStringLiteral("%1"), QStringLiteral("--format"), QStringLiteral("csv")},
                 QStringList{QStringLiteral("seeds"), QStringLiteral("%1")},
                 QStringList{QStringLiteral("metric"), QStringLiteral("%1"), QStringLiteral("run-2"), QStringLiteral("loss"),
                     QStringLiteral("--format"), QStringLiteral("csv")}}) {
            QStringList fromFile = args, fromTeam = args;
            fromFile[1] = path;
            fromTeam[1] = url;
            const auto f = runCli(fromFile);
            const auto t = runCli(fromTeam);
            QCOMPARE(t.code, f.code);
            QCOMPARE(t.out, f.out);
        }
        // And the comparison report: the same page but for where the runs came from.
        QByteArray reports[2];
        for (int i = 0; i < 2; ++i) {
            const QString where = i == 0 ? path : url;
            const QString out = local(QStringLiteral("report-%1.html").arg(i));
            const auto made = runCli({QStringLiteral("report"), where, QStringLiteral("--query"),
                QStringLiteral("status = finished"), QStringLiteral("-o"), out});
            QVERIFY2(made.code == 0, qPrintable(made.err));
            QFile page(out);
            QVERIFY(page.open(QIODevice::ReadOnly));
            reports[i] = page.readAll();
            for (const QString& shown : {where, (*TeamStoreUrl::parse(url)).display(), QFileInfo(path).fileName(),
                     (*TeamStoreUrl::parse(url)).shortName()})
                reports[i].replace(shown.toUtf8(), "STORE");
        }
        QVERIFY(reports[0].size() > 1000);
        QVERIFY2(reports[0] == reports[1], "the report from the team store differs from the file's");
    }

    // Queries evaluated in the server (team_run_filter.h): every one selects
    // what the in-memory evaluator selects from the file the runs came from
    // (CSV and JSON byte for byte, errors alike), and a selective one loads
    // only the runs it may select, with every column of the store.
    void queriesInTheServerSelectWhatMemoryDoes()
    {
        const QString path = local(QStringLiteral("parity.db"));
        const double lrs[] = {0.1, 0.01, 0.001};
        std::optional<Run> live;
        QString someId;
        for (int r = 0; r < 24; ++r) {
            auto options = testRun("p-" + std::to_string(r));
            options.experiment = r % 3 ? "mnist" : "cifar";
            auto run = Run::start(path.toStdString(), options);
            if (r == 5)
                someId = QString::fromStdString(run.id());
            run.logParam("lr", lrs[r % 3]);
            run.logParam("opt", r % 2 ? "adam" : "sgd");
            run.logParam("layers", int64_t(2 + r % 4));
            if (r % 5 == 0)
                run.logParam("only_some", "x");
            run.setTag("stage", r % 4 == 0 ? "prod" : "dev");
            run.logDataVersion("train", r % 2 ? "v1" : "v2");
            run.logEnvironment("python", r % 2 ? "3.11.2" : "3.12.0");
            for (int s = 0; s < 3; ++s)
                run.logMetric("loss", 1.0 / (r + 1) + (2 - s), s);
            run.logMetric("acc", r == 7 ? NAN : r == 8 ? INFINITY : 0.03 * r, 0);
            if (r == 23) {
                QVERIFY(run.flush());
                live.emplace(std::move(run)); // still logging when pushed
                continue;
            }
            run.finish(r % 6 == 1 ? RunStatus::Failed : r % 6 == 2 ? RunStatus::Killed : RunStatus::Finished);
        }
        const QString url = team();
        QCOMPARE(runCli({QStringLiteral("push"), path, url}).code, 0);

        const QStringList queries = {QStringLiteral("params.lr = 0.01"), QStringLiteral("params.lr < 0.05"),
            QStringLiteral("params.lr != 0.1"), QStringLiteral("params.opt = adam"), QStringLiteral("params.opt = 'adam'"),
            QStringLiteral("params.opt in (adam, rmsprop)"), QStringLiteral("params.opt not in (adam)"),
            QStringLiteral("params.opt ~ '^ad'"), QStringLiteral("params.layers >= 4"), QStringLiteral("params.layers = '3'"),
            QStringLiteral("params.only_some = x"), QStringLiteral("params.only_some != x"),
            QStringLiteral("params.only_some = x and params.lr = 0.01"), QStringLiteral("params.nosuch = 1"),
            QStringLiteral("tags.stage = prod"), QStringLiteral("tags.stage = prod and params.opt = sgd"),
            QStringLiteral("tags.stage = prod or params.layers = 5"), QStringLiteral("not tags.stage = prod"),
            QStringLiteral("data.train = v2"), QStringLiteral("data.train = 'v2' and status = finished"),
            QStringLiteral("status = failed"), QStringLiteral("status = crashed"), QStringLiteral("status = running"),
            QStringLiteral("status = FINISHED"), QStringLiteral("status in (killed, failed)"), QStringLiteral("status != finished"),
            QStringLiteral("name = p-3"), QStringLiteral("name in (p-3, p-4, nosuch)"), QStringLiteral("name ~ 'p-1'"),
            QStringLiteral("id = ") + someId, QStringLiteral("experiment = mnist"),
            QStringLiteral("experiment = mnist and metrics.loss < 0.1"), QStringLiteral("metrics.loss < 0.1"),
            QStringLiteral("metrics.loss <= 0.0625"), QStringLiteral("metrics.loss = 0.0625"), QStringLiteral("metrics.loss > '0.5'"),
            QStringLiteral("metrics.acc > 0.5"), QStringLiteral("metrics.acc != 0.5"), QStringLiteral("metrics.acc = inf"),
            QStringLiteral("metrics.acc < nan"), QStringLiteral("metrics.loss.min < 2.1"), QStringLiteral("metrics.loss.count > 1"),
            QStringLiteral("metrics.loss - metrics.acc > 0 and params.opt = adam"), QStringLiteral("params.lr = 0.01 and seeds >= 1"),
            QStringLiteral("params.lr = 0.01 order by metrics.loss desc limit 2"), QStringLiteral("params.lr = 0.01 and starred"),
            QStringLiteral("(params.lr = 0.01 or params.lr = 0.1) and not params.opt = adam"),
            QStringLiteral("tags.stage = prod and env.python = '3.11.2'"), QStringLiteral("start_time > '2000-01-01' and params.opt = adam"),
            QStringLiteral("duration >= 0 and tags.stage = dev"), QStringLiteral("is_parent or params.opt = adam")};
        for (const QString& query : queries)
            for (const QString& format : {QStringLiteral("csv"), QStringLiteral("json")}) {
                const auto f = runCli({QStringLiteral("runs"), path, QStringLiteral("--query"), query, QStringLiteral("--format"), format});
                const auto t = runCli({QStringLiteral("runs"), url, QStringLiteral("--query"), query, QStringLiteral("--format"), format});
                QVERIFY2(t.code == f.code && t.out == f.out && t.err == f.err,
                    qPrintable(QStringLiteral("%1 (%2): file %3 %4 %5\nteam %6 %7 %8")
                                   .arg(query, format).arg(f.code).arg(f.out, f.err).arg(t.code).arg(t.out, t.err)));
            }

        // No artifacts there: said as what a push leaves out, not as what the run never logged.
        const auto artifacts = runCli({QStringLiteral("artifacts"), url, QStringLiteral("p-3")});
        QCOMPARE(artifacts.code, 0);
        QVERIFY2(artifacts.err.contains(QStringLiteral("the team store holds no artifact references of run")), qPrintable(artifacts.err));

        // Narrowed where it can be, with the store's columns all there.
        auto reader = openStore(url);
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error()));
        QVERIFY((*reader)->narrowTo(RunQuery(QStringLiteral("tags.stage = prod and params.opt = sgd"))));
        auto narrowed = (*reader)->loadRuns();
        QVERIFY2(narrowed, narrowed ? "" : qPrintable(narrowed.error()));
        QCOMPARE(narrowed->table->rowCount(), 6);
        QVERIFY(narrowed->table->param(QStringLiteral("only_some")));
        QVERIFY(narrowed->table->metric(QStringLiteral("acc")));
        QVERIFY(narrowed->table->dataVersion(QStringLiteral("train")));
        // Not where the answer for one run needs the others.
        QVERIFY(!(*reader)->narrowTo(RunQuery(QStringLiteral("params.lr = 0.01 and seeds >= 1"))));
        auto whole = (*reader)->loadRuns();
        QVERIFY2(whole, whole ? "" : qPrintable(whole.error()));
        QCOMPARE(whole->table->rowCount(), 24);
        QVERIFY(live->finish());
    }

    void theCopyChangedLastWins()
    {
        const QString original = makeStore(QStringLiteral("conflict-a.db"), 1, 20);
        const QString copy = local(QStringLiteral("conflict-b.db"));
        QVERIFY(QFile::copy(original, copy));
        const QString url = team();
        QCOMPARE(runCli({QStringLiteral("push"), original, url}).code, 0);
        // A colleague's copy gets a later edit and is pushed: it replaces the team's.
        QTest::qWait(5);
        const auto edited = runCli({QStringLiteral("note"), copy, QStringLiteral("run-0"), QStringLiteral("diverged at step 12")});
        QCOMPARE(edited.code, 0);
        const auto newer = runCli({QStringLiteral("push"), copy, url});
        QVERIFY2(newer.out.contains(QStringLiteral("pushed 1 run(s)")), qPrintable(newer.out));
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT notes FROM runs")), QStringLiteral("diverged at step 12"));
        // The original, older now, is not sent over it, and the push says so.
        const auto older = runCli({QStringLiteral("push"), original, url});
        QCOMPARE(older.code, 0);
        QVERIFY2(older.out.contains(QStringLiteral("pushed 0 run(s)")) && older.out.contains(QStringLiteral("1 newer there, kept")),
            qPrintable(older.out));
        QVERIFY2(older.err.contains(QStringLiteral("run-0")) && older.err.contains(QStringLiteral("changed later")), qPrintable(older.err));
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT notes FROM runs")), QStringLiteral("diverged at step 12"));
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT count(*) FROM run_events")), QStringLiteral("1"));
    }

    void aStoreOfAnOlderRunlensPushes()
    {
        // What a store written before value sums, config hashes and the
        // edit history looks like: those columns and tables are not there.
        const QString path = makeStore(QStringLiteral("older.db"), 2, 1100);
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("DROP INDEX IF EXISTS runs_by_config");
            db.exec("ALTER TABLE runs DROP COLUMN config_hash");
            db.exec("ALTER TABLE metrics DROP COLUMN value_sum");
            db.exec("ALTER TABLE metrics DROP COLUMN value_sum_count");
            db.exec("DROP TABLE IF EXISTS run_events");
        }
        const QString url = team();
        const auto pushed = runCli({QStringLiteral("push"), path, url});
        QVERIFY2(pushed.code == 0 && pushed.out.contains(QStringLiteral("pushed 2 run(s)")), qPrintable(pushed.out + pushed.err));
        QCOMPARE(teamChunks(url), localChunks(path));
        // No sum kept: the mean reads as unknown, as it does from the file.
        auto opened = openStore(url);
        QVERIFY(opened);
        const auto details = (*opened)->loadDetails((*opened)->loadRuns()->table->id(0));
        QVERIFY(details && !details->metrics.empty());
        QVERIFY(std::isnan(details->metrics.front().mean));
    }

    void readsFromPoolThreadsAndLetsTheirConnectionsGo()
    {
        const QString path = makeStore(QStringLiteral("threads.db"), 3, 100);
        const QString url = team();
        QCOMPARE(runCli({QStringLiteral("push"), path, url}).code, 0);
        const QString db = teamDb(url);
        const QString ours = QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1' AND application_name = 'runlens'").arg(db);
        auto opened = openStore(url);
        QVERIFY(opened);
        std::shared_ptr<StoreReader> reader(std::move(*opened));
        const auto table = reader->loadRuns()->table;
        // Series read on threads of their own, as the window's pool does.
        std::atomic<int> good{0};
        QSemaphore finished;
        QThreadPool pool;
        pool.setMaxThreadCount(3);
        for (int i = 0; i < 12; ++i)
            pool.start([&, i] {
                const auto s = reader->loadSeries(table->id(i % 3), QStringLiteral("loss"));
                if (s && s->size() == 100)
                    ++good;
                finished.release();
            });
        finished.acquire(12);
        QCOMPARE(good.load(), 12);
        // The pool's threads are still there, each with its connection.
        QVERIFY2(server_->value(db, ours).toInt() >= 2, qPrintable(server_->value(db, ours)));
        pool.waitForDone(); // which ends the pool's threads
        // The pool's threads ended: their connections went with them.
        QTRY_COMPARE(server_->value(db, ours), QStringLiteral("1"));
        reader.reset();
        QTRY_COMPARE(server_->value(db, ours), QStringLiteral("0"));
    }

    void aRunTheServerRefusesIsNamedAndTheRestGo()
    {
        const QString path = makeStore(QStringLiteral("refused.db"), 3, 50);
        {
            // PostgreSQL's text cannot hold NUL; a hand-edited SQLite store can.
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("UPDATE tags SET value = 'vi' || char(0) || 'sion' WHERE run_id = (SELECT id FROM runs WHERE name = 'run-1')");
        }
        const QString url = team();
        const auto pushed = runCli({QStringLiteral("push"), path, url});
        QCOMPARE(pushed.code, 1);
        QVERIFY2(pushed.out.contains(QStringLiteral("pushed 2 run(s)")) && pushed.out.contains(QStringLiteral("1 refused")),
            qPrintable(pushed.out));
        QVERIFY2(pushed.err.contains(QStringLiteral("not sent: run-1")), qPrintable(pushed.err));
        QCOMPARE(server_->value(teamDb(url), QStringLiteral("SELECT string_agg(name, ',' ORDER BY name) FROM runs")),
            QStringLiteral("run-0,run-2"));
    }

    void aReaderMayBrowseAndNothingElse()
    {
        const QString path = makeStore(QStringLiteral("roles.db"), 2, 100);
        const QString url = team();
        QCOMPARE(runCli({QStringLiteral("push"), path, url}).code, 0);
        QVERIFY(server_->exec(QStringLiteral("postgres"),
            QStringLiteral("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alice') THEN "
                           "CREATE ROLE alice LOGIN PASSWORD 'alice-pw' IN ROLE runlens_reader; END IF; END $$")));
        const QString db = teamDb(url);
        const QString alice = server_->url(db, QStringLiteral("alice"), QStringLiteral("alice-pw"));
        const QString before = counts(url);

        auto opened = openStore(alice);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        const auto runs = (*opened)->loadRuns();
        QVERIFY2(runs, qPrintable(runs ? QString() : runs.error()));
        QCOMPARE(runs->table->rowCount(), 2);
        QVERIFY((*opened)->loadSeries(runs->table->id(0), QStringLiteral("loss")));

        // Pushing as a reader is refused by the server, and says so.
        const QString other = makeStore(QStringLiteral("roles-more.db"), 1, 10);
        const auto push = runCli({QStringLiteral("push"), other, alice});
        QCOMPARE(push.code, 3);
        QVERIFY2(push.err.contains(QStringLiteral("permission denied")), qPrintable(push.err));
        // Watching does not try again what the server refused: it stops at once.
        const auto watching = runCli({QStringLiteral("push"), other, alice, QStringLiteral("--watch"), QStringLiteral("--interval"),
            QStringLiteral("0.1")});
        QCOMPARE(watching.code, 3);
        // Nor can she write by hand, with any statement.
        auto url2 = TeamStoreUrl::parse(alice);
        QVERIFY(url2);
        auto connection = TeamConnection::open(*url2);
        QVERIFY(connection);
        auto handle = (*connection)->database();
        QVERIFY(handle);
        for (const char* sql : {"DELETE FROM runs", "UPDATE runs SET name = 'x'", "INSERT INTO team_meta VALUES ('a', 'b')",
                 "DROP TABLE metric_chunks", "TRUNCATE tags"}) {
            QSqlQuery q(*handle);
            QVERIFY2(!q.exec(QString::fromLatin1(sql)), sql);
        }
        QCOMPARE(counts(url), before);
    }

    void badUrlsAndPasswordsSayWhy()
    {
        const QString url = team();
        const QString db = teamDb(url);
        const auto wrong = openStore(server_->url(db, QString::fromLatin1(PostgresTestServer::kAdmin), QStringLiteral("not-it")));
        QVERIFY(!wrong);
        QVERIFY2(wrong.error().contains(QStringLiteral("password authentication failed")), qPrintable(wrong.error()));
        QVERIFY(!wrong.error().contains(QStringLiteral("not-it")));

        // libpq's ?user= spelling opens as the user in the URL does; two users are refused.
        const auto byOption = openStore(QStringLiteral("postgresql://127.0.0.1:%1/%2?user=%3&password=x")
                                            .arg(server_->port()).arg(db, QString::fromLatin1(PostgresTestServer::kAdmin)));
        QVERIFY(!byOption); // password= is not an option Runlens passes on
        const auto userOption = TeamStoreUrl::parse(QStringLiteral("postgresql://db.lab/vision?user=alice"));
        QVERIFY(userOption);
        QCOMPARE(userOption->user, QStringLiteral("alice"));
        const auto twoUsers = TeamStoreUrl::parse(QStringLiteral("postgresql://bob@db.lab/vision?user=alice"));
        QVERIFY(!twoUsers);
        QVERIFY2(twoUsers.error().contains(QStringLiteral("two users")), qPrintable(twoUsers.error()));
        qputenv("PGPASSWORD", PostgresTestServer::kAdminPassword);
        auto viaOption = openStore(QStringLiteral("postgresql://127.0.0.1:%1/%2?user=%3")
                                       .arg(server_->port()).arg(db, QString::fromLatin1(PostgresTestServer::kAdmin)));
        qunsetenv("PGPASSWORD");
        QVERIFY2(viaOption, viaOption ? "" : qPrintable(viaOption.error()));

        const auto noDb = openStore(QStringLiteral("postgresql://someone@127.0.0.1:%1/").arg(server_->port()));
        QVERIFY(!noDb);
        QVERIFY2(noDb.error().contains(QStringLiteral("names no database")), qPrintable(noDb.error()));

        // A URL Qt cannot parse: the message never quotes it (it holds the password).
        const auto malformed = openStore(QStringLiteral("postgresql://alice:s3cr%t@127.0.0.1:99999/db"));
        QVERIFY(!malformed);
        QVERIFY2(!malformed.error().contains(QStringLiteral("s3cr")), qPrintable(malformed.error()));
        // Options cannot smuggle in a host or parameters of their own.
        const auto twoHosts = openStore(server_->url(db) + QStringLiteral("?host=evil.example"));
        QVERIFY(!twoHosts);
        QVERIFY2(twoHosts.error().contains(QStringLiteral("host twice")), qPrintable(twoHosts.error()));
        const auto smuggled = TeamStoreUrl::parse(server_->url(db) + QStringLiteral("?application_name=x%20sslmode%3Ddisable"));
        QVERIFY(smuggled);
        QCOMPARE(smuggled->connectOptions(), QStringLiteral("application_name='x sslmode=disable';connect_timeout=10"));
        QVERIFY(openStore(server_->url(db) + QStringLiteral("?application_name=x%20sslmode%3Ddisable")));

        const auto option = openStore(server_->url(db) + QStringLiteral("?colour=blue"));
        QVERIFY(!option);
        QVERIFY2(option.error().contains(QStringLiteral("'colour'")), qPrintable(option.error()));

        // Nobody listening: refused at once, not a hang.
        const int closedPort = freeLoopbackPort();
        QElapsedTimer took;
        took.start();
        const auto nobody = openStore(QStringLiteral("postgresql://u:secret-pw@127.0.0.1:%1/db").arg(closedPort));
        QVERIFY(!nobody);
        QVERIFY2(nobody.error().contains(QStringLiteral("refused")), qPrintable(nobody.error()));
        QVERIFY(!nobody.error().contains(QStringLiteral("secret-pw")));
        QVERIFY(took.elapsed() < 15000);

        const auto runs = runCli({QStringLiteral("runs"), server_->url(server_->createDatabase())});
        QCOMPARE(runs.code, 3);
        QVERIFY2(runs.err.contains(QStringLiteral("empty database")), qPrintable(runs.err));
    }

    void theWindowKeepsItsRunsWhileTheServerIsAway()
    {
        const QString path = makeStore(QStringLiteral("away.db"), 2, 50);
        const QString url = team();
        QCOMPARE(runCli({QStringLiteral("push"), path, url}).code, 0);
        Workspace workspace;
        QSignalSpy refreshFailed(&workspace, &Workspace::storeRefreshFailed);
        QSignalSpy openFailed(&workspace, &Workspace::storeFailed);
        workspace.open({url});
        workspace.waitForIdle();
        QCOMPARE(workspace.storeCount(), 1);
        QCOMPARE(workspace.store(0).table->rowCount(), 2);

        server_->stop();
        workspace.refresh(false);
        QTRY_COMPARE(refreshFailed.count(), 1);
        workspace.waitForIdle();
        // The runs stay, the store says why, and nothing asks the user to click.
        QCOMPARE(workspace.store(0).table->rowCount(), 2);
        QVERIFY(!workspace.store(0).problems.isEmpty());
        QVERIFY2(workspace.store(0).problems.first().startsWith(QStringLiteral("not refreshed: team store")),
            qPrintable(workspace.store(0).problems.first()));
        QVERIFY(!workspace.store(0).problems.first().contains(QString::fromLatin1(PostgresTestServer::kAdminPassword)));
        // Live ticks while it is away read nothing more and say nothing more.
        for (int i = 0; i < 3; ++i) {
            workspace.refresh(false);
            QTest::qWait(100);
            workspace.waitForIdle();
        }
        QCOMPARE(refreshFailed.count(), 1);
        QCOMPARE(openFailed.count(), 0);

        // Back, with a run pushed meanwhile: read again, and well.
        QVERIFY2(server_->start(), qPrintable(server_->error()));
        const QString more = makeStore(QStringLiteral("away-more.db"), 1, 10);
        QCOMPARE(runCli({QStringLiteral("push"), more, url}).code, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                workspace.refresh(false);
                QTest::qWait(50);
                return workspace.store(0).table->rowCount() == 3;
            }(),
            20000);
        workspace.waitForIdle();
        QVERIFY(workspace.store(0).problems.isEmpty());
    }

    // LISTEN/NOTIFY: with polling off, a push is heard and read at once;
    // after the server restarts, the listener connects again and hears on.
    void aPushIsHeardWithoutPolling()
    {
        const QString url = team();
        QCOMPARE(runCli({QStringLiteral("push"), makeStore(QStringLiteral("heard.db"), 1, 20), url}).code, 0);
        Workspace workspace;
        workspace.setLiveInterval(0);
        workspace.setListening(true);
        workspace.open({url});
        workspace.waitForIdle();
        QCOMPARE(workspace.storeCount(), 1);
        QCOMPARE(workspace.store(0).table->rowCount(), 1);

        QCOMPARE(runCli({QStringLiteral("push"), makeStore(QStringLiteral("heard-more.db"), 2, 20), url}).code, 0);
        QTRY_COMPARE_WITH_TIMEOUT(workspace.store(0).table->rowCount(), 3, 10000);

        server_->stop();
        QVERIFY2(server_->start(), qPrintable(server_->error()));
        // Long enough for the listener to have connected again (it looks
        // every 5 s): the push is then heard, not caught up with.
        QTest::qWait(7000);
        workspace.waitForIdle();
        QCOMPARE(workspace.store(0).table->rowCount(), 3);
        QCOMPARE(runCli({QStringLiteral("push"), makeStore(QStringLiteral("heard-after.db"), 1, 5), url}).code, 0);
        QTRY_COMPARE_WITH_TIMEOUT(workspace.store(0).table->rowCount(), 4, 4000);
        workspace.waitForIdle();
        QVERIFY(workspace.store(0).problems.isEmpty());
    }

    void theDialogOpensItAndKeepsNoPassword()
    {
        const QString path = makeStore(QStringLiteral("dialog.db"), 1, 10);
        const QString url = team();
        QCOMPARE(runCli({QStringLiteral("push"), path, url}).code, 0);
        QSettings().remove(QStringLiteral("teamStore"));
        ui::TeamStoreDialog dialog;
        dialog.findChild<QLineEdit*>(QStringLiteral("host"))->setText(QStringLiteral("127.0.0.1"));
        dialog.findChild<QSpinBox*>(QStringLiteral("port"))->setValue(server_->port());
        dialog.findChild<QLineEdit*>(QStringLiteral("database"))->setText(teamDb(url));
        dialog.findChild<QLineEdit*>(QStringLiteral("user"))->setText(QString::fromLatin1(PostgresTestServer::kAdmin));
        dialog.findChild<QLineEdit*>(QStringLiteral("password"))->setText(QStringLiteral("p@ss:w/rd"));
        // A password with URL characters survives the URL it travels in.
        const auto parsed = TeamStoreUrl::parse(dialog.url());
        QVERIFY(parsed);
        QCOMPARE(parsed->password, QStringLiteral("p@ss:w/rd"));
        QCOMPARE(parsed->port, server_->port());
        dialog.findChild<QLineEdit*>(QStringLiteral("password"))->setText(QString::fromLatin1(PostgresTestServer::kAdminPassword));
        auto opened = openStore(dialog.url());
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        QCOMPARE((*opened)->loadRuns()->table->rowCount(), 1);
        saveForALook(dialog, QStringLiteral("team-store-dialog.png"));
        dialog.accept();
        QSettings settings;
        settings.beginGroup(QStringLiteral("teamStore"));
        QCOMPARE(settings.value(QStringLiteral("database")).toString(), teamDb(url));
        for (const QString& key : settings.allKeys())
            QVERIFY2(!settings.value(key).toString().contains(QString::fromLatin1(PostgresTestServer::kAdminPassword)), qPrintable(key));
        // What titles, the navigator and the recent list show of it.
        QCOMPARE(storeDisplayName(dialog.url()), QStringLiteral("%1 on 127.0.0.1").arg(teamDb(url)));
        QCOMPARE(storeShownLocation(dialog.url()),
            QStringLiteral("postgresql://%1@127.0.0.1:%2/%3").arg(QString::fromLatin1(PostgresTestServer::kAdmin)).arg(server_->port()).arg(teamDb(url)));
        QCOMPARE(storeKey(dialog.url()), dialog.url());
    }

    void aServerThatGoesAwayAndComesBack()
    {
        const QString path = makeStore(QStringLiteral("restart.db"), 2, 50);
        const QString url = team();
        QCOMPARE(runCli({QStringLiteral("push"), path, url}).code, 0);
        auto opened = openStore(url);
        QVERIFY(opened);
        QVERIFY((*opened)->loadRuns());
        const QString stamp = (*opened)->changeStamp();
        QVERIFY(!stamp.isEmpty());

        server_->stop();
        const auto whileDown = (*opened)->loadRuns();
        QVERIFY(!whileDown);
        QVERIFY2(whileDown.error().startsWith(QStringLiteral("team store postgresql://")), qPrintable(whileDown.error()));
        QVERIFY2((*opened)->changeStamp().startsWith(QStringLiteral("unreachable")), qPrintable((*opened)->changeStamp()));

        QVERIFY2(server_->start(), qPrintable(server_->error()));
        const auto back = (*opened)->loadRuns();
        QVERIFY2(back, qPrintable(back ? QString() : back.error()));
        QCOMPARE(back->table->rowCount(), 2);
        // A push while it is open moves the stamp: live refresh reads it again.
        const QString more = makeStore(QStringLiteral("restart-more.db"), 1, 10);
        QCOMPARE(runCli({QStringLiteral("push"), more, url}).code, 0);
        QVERIFY((*opened)->changeStamp() != stamp);
    }
};

QTEST_MAIN(TestTeamStore)
#include "test_team_store.moc"
