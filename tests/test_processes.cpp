// SPDX-License-Identifier: GPL-3.0-or-later
// Several processes and a store: a writer killed with SIGKILL (well into its
// run, and before its first flush interval), eight writers at once, and a
// reader alongside a writer.
#include "killed_writer.h"
#include "test_support.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QDateTime>
#include <QtTest>

#include <signal.h>

#include <thread>

using namespace runlens;
using namespace runlens::test;

class TestProcesses : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    static void startWriter(QProcess& p, const QString& store, const QString& name, int points, int pauseUs,
        int flushMs, const QString& mode = QStringLiteral("finish"), int delayMs = 0)
    {
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(QStringLiteral(RUNLENS_TEST_WRITER),
            {store, name, QString::number(points), QString::number(pauseUs), QString::number(flushMs), mode,
                QString::number(delayMs)});
    }

private slots:
    void killedWriterLosesAtMostItsFlushInterval()
    {
        const QString store = dir_.filePath(QStringLiteral("crash.db"));
        const int flushMs = 200;
        const KilledWriter killed = runAndKill(QStringLiteral(RUNLENS_TEST_WRITER), store, QStringLiteral("doomed"), 1500, flushMs);
        QVERIFY(killed.started);
        QVERIFY(!killed.logged.empty());
        // Every point logged more than a flush interval (plus scheduling slack)
        // before the kill must be on disk.
        const long mustHave = killed.mustHave(flushMs);
        QVERIFY2(mustHave > 100, "the writer logged too little to judge");

        auto reader = mustOpen(store);
        auto table = mustLoad(*reader);
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->status(0), RunStatus::Crashed); // its process is gone from this host
        // It ended when it was last alive: a duration, not "running" (in the table and the details).
        QVERIFY(table->endTime(0) >= table->startTime(0));
        QVERIFY(table->endTime(0) <= QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(reader->loadDetails(table->id(0))->endTime, table->endTime(0));
        QVERIFY(!durationText(table->endTime(0) - table->startTime(0)).isEmpty());
        auto series = reader->loadSeries(table->id(0), QStringLiteral("x"));
        QVERIFY(series);
        QVERIFY2(series->size() >= size_t(mustHave + 1),
            qPrintable(QStringLiteral("%1 points on disk, %2 logged before the last flush")
                           .arg(series->size())
                           .arg(mustHave + 1)));
        for (size_t i = 0; i < series->size(); ++i) {
            QCOMPARE(series->steps[i], int64_t(i));
            QCOMPARE(series->values[i], double(i) * 0.5);
        }
        QCOMPARE(table->metric(QStringLiteral("x"))->count[0], int64_t(series->size()));
    }

    void aRunKilledBeforeItsFirstFlushIntervalKeepsItsFirstPoints()
    {
        // A job that dies early (a bad batch, an OOM kill) with a 5 s flush
        // interval: the first points are flushed ~100 ms after they are logged,
        // not at the end of the first interval. They come 300 ms after the
        // run starts (loading data), after the writer's first write at start.
        const QString store = dir_.filePath(QStringLiteral("early.db"));
        QProcess writer;
        startWriter(writer, store, QStringLiteral("early"), 5, 0, 5000, QStringLiteral("hang"), 300);
        QVERIFY(writer.waitForStarted());
        QElapsedTimer clock;
        clock.start();
        QByteArray out;
        while (!out.contains("hanging") && clock.elapsed() < 20000) {
            writer.waitForReadyRead(50);
            out += writer.readAllStandardOutput();
        }
        QVERIFY2(out.contains("hanging"), out.constData()); // the five points are handed to the logger
        QTest::qWait(400); // well inside the 5 s interval
        ::kill(static_cast<pid_t>(writer.processId()), SIGKILL);
        QVERIFY(writer.waitForFinished());

        auto reader = mustOpen(store);
        auto table = mustLoad(*reader);
        QCOMPARE(table->rowCount(), 1);
        auto series = reader->loadSeries(table->id(0), QStringLiteral("x"));
        QVERIFY2(series, "no point of the killed run is on disk");
        QCOMPARE(series->size(), size_t(5));
        QCOMPARE(series->values.back(), 2.0);
    }

    void eightWritersAtOnceLoseNothing()
    {
        const QString store = dir_.filePath(QStringLiteral("eight.db"));
        const int points = 50000;
        std::vector<std::unique_ptr<QProcess>> writers;
        for (int i = 0; i < 8; ++i) {
            writers.push_back(std::make_unique<QProcess>());
            startWriter(*writers.back(), store, QStringLiteral("w%1").arg(i), points, 0, 20);
        }
        for (auto& w : writers) {
            QVERIFY(w->waitForFinished(120000));
            QCOMPARE(w->exitCode(), 0);
        }
        auto reader = mustOpen(store);
        auto table = mustLoad(*reader);
        QCOMPARE(table->rowCount(), 8);
        for (int r = 0; r < 8; ++r) {
            QCOMPARE(table->status(r), RunStatus::Finished);
            auto s = reader->loadSeries(table->id(r), QStringLiteral("x"));
            QVERIFY(s);
            QCOMPARE(s->size(), size_t(points));
            QCOMPARE(s->values.back(), (points - 1) * 0.5);
            QCOMPARE(table->metric(QStringLiteral("x"))->count[size_t(r)], int64_t(points));
        }
    }

    void aCrashedRunResumesButALiveOneDoesNot()
    {
        const QString store = dir_.filePath(QStringLiteral("resume.db"));
        QProcess writer;
        startWriter(writer, store, QStringLiteral("preempted"), 1000000, 1000, 100);
        QVERIFY(writer.waitForStarted());
        QVERIFY(writer.waitForReadyRead(10000));   // the run row exists
        QTest::qWait(400);                          // and some points are on disk
        const QString id = mustLoad(*mustOpen(store))->id(0);

        // Still logged by a live process: refused, with who is logging it.
        try {
            Run::resume(store.toStdString(), id.toStdString());
            QFAIL("resumed a run another process is logging");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("still being logged by process") != std::string::npos, e.what());
        }

        // Preempted: the process dies; the restart carries the run on.
        ::kill(static_cast<pid_t>(writer.processId()), SIGKILL);
        QVERIFY(writer.waitForFinished());
        QCOMPARE(mustLoad(*mustOpen(store))->status(0), RunStatus::Crashed);
        const int64_t before = mustLoad(*mustOpen(store))->metric(QStringLiteral("x"))->count[0];
        QVERIFY(before > 0);
        {
            RunOptions o;
            o.capture_git = false;
            auto run = Run::resume(store.toStdString(), id.toStdString(), o);
            QCOMPARE(mustLoad(*mustOpen(store))->status(0), RunStatus::Running);
            for (int i = 0; i < 100; ++i)
                run.logMetric("x", -1.0, before + i);
            run.finish();
        }
        auto table = mustLoad(*mustOpen(store));
        QCOMPARE(table->status(0), RunStatus::Finished);
        QCOMPARE(table->metric(QStringLiteral("x"))->count[0], before + 100);
    }

    void readingWhileAWriterWrites()
    {
        const QString store = dir_.filePath(QStringLiteral("live.db"));
        QProcess writer;
        startWriter(writer, store, QStringLiteral("live"), 4000, 300, 50);
        QVERIFY(writer.waitForStarted());
        QVERIFY(writer.waitForReadyRead(10000)); // "started": the run row exists

        auto reader = mustOpen(store);
        int64_t lastCount = 0;
        int reads = 0;
        while (writer.state() == QProcess::Running || reads == 0) {
            auto runs = reader->loadRuns();
            QVERIFY2(runs, qPrintable(runs ? QString() : runs.error()));
            const auto& t = *runs->table;
            QCOMPARE(t.rowCount(), 1);
            if (const auto* m = t.metric(QStringLiteral("x"))) {
                QVERIFY(m->count[0] >= lastCount); // never goes backwards
                auto s = reader->loadSeries(t.id(0), QStringLiteral("x"));
                QVERIFY(s);
                QVERIFY(int64_t(s->size()) >= m->count[0]);
                for (size_t i = 0; i < s->size(); ++i)
                    QCOMPARE(s->values[i], double(i) * 0.5);
                lastCount = m->count[0];
            }
            ++reads;
            writer.waitForFinished(30);
        }
        QCOMPARE(writer.exitCode(), 0);
        auto table = mustLoad(*reader);
        QCOMPARE(table->metric(QStringLiteral("x"))->count[0], int64_t(4000));
        QCOMPARE(table->status(0), RunStatus::Finished);
        QVERIFY(reads > 3);
    }
};

QTEST_GUILESS_MAIN(TestProcesses)
#include "test_processes.moc"
