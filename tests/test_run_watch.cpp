// SPDX-License-Identifier: GPL-3.0-or-later
// Live watch (issue 17, item 3) on a store real training processes write:
// one fails, one is killed (SIGKILL: its heartbeat stops), one logs NaN, one
// starts after the watch did; each is news once, in order, and a run that
// had failed before watching began is not. Then `runlens watch
// --exit-on-failure` as a CI job runs it: one JSON line, exit code 6.
#include "loaded_store.h"
#include "run_watch.h"
#include "test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

#include <memory>
#include <numeric>

using namespace runlens;

namespace {

// Killed and reaped however the test ends, so that no writer outlives it.
struct KilledOnExit : QProcess {
    ~KilledOnExit() override
    {
        if (state() != QProcess::NotRunning) {
            kill();
            waitForFinished();
        }
    }
};
using Writer = std::unique_ptr<KilledOnExit>;

// A training process (tests/tools/test_writer.cpp) started in `mode`, once it
// has handed its points to the logger ("hanging", "done" or its exit).
Writer startWriter(const QString& store, const QString& name, const QString& mode)
{
    auto p = std::make_unique<KilledOnExit>();
    p->start(QStringLiteral(RUNLENS_TEST_WRITER),
        {store, name, QStringLiteral("5"), QStringLiteral("0"), QStringLiteral("20"), mode});
    if (!p->waitForStarted())
        return nullptr;
    QByteArray out;
    QElapsedTimer clock;
    clock.start();
    while (!out.contains("hanging") && !out.contains("done") && p->state() == QProcess::Running
        && clock.elapsed() < 20000) {
        p->waitForReadyRead(50);
        out += p->readAllStandardOutput();
    }
    if (mode == QLatin1String("fail"))
        p->waitForFinished(20000);
    QThread::msleep(150); // a few flush intervals: the points are in the store
    return p;
}

void kill9(QProcess& p)
{
    ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
    p.waitForFinished();
}

struct Watched {
    LoadedStore store;
    RunWatch watch;

    std::vector<WatchEvent> next()
    {
        if (!store.reload())
            return {};
        const auto rows = store.select(watch.rules().query).rows;
        std::vector<int> all(size_t(store.table().rowCount()));
        std::iota(all.begin(), all.end(), 0);
        return watch.update(store.table(), all, rows, QDateTime::currentMSecsSinceEpoch());
    }
};

QStringList described(const std::vector<WatchEvent>& events)
{
    QStringList out;
    for (const auto& e : events)
        out << e.kindName() + QLatin1Char(' ') + e.runName + (e.metric.isEmpty() ? QString() : QLatin1Char(' ') + e.metric);
    return out;
}

} // namespace

class TestRunWatch : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void eventsOnceAndInOrder()
    {
        const QString store = dir_.filePath(QStringLiteral("watched.db"));
        {
            RunOptions o = test::testRun("failed-before");
            auto run = Run::start(store.toStdString(), o);
            run.logMetric("x", NAN, 0);   // NaN before watching: not news either
            run.finish(RunStatus::Failed);
        }
        auto a = startWriter(store, QStringLiteral("steady"), QStringLiteral("hang"));
        auto b = startWriter(store, QStringLiteral("killed"), QStringLiteral("hang"));
        QVERIFY(a && b);

        auto opened = LoadedStore::open(store);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        Watched w{std::move(*opened), {}};
        QCOMPARE(described(w.next()), QStringList());
        QCOMPARE(w.watch.watchedCount(), 3);
        QVERIFY(w.watch.anyRunning());

        kill9(*b);
        QCOMPARE(described(w.next()), QStringList{QStringLiteral("crashed killed")});
        QCOMPARE(described(w.next()), QStringList());

        auto c = startWriter(store, QStringLiteral("diverged"), QStringLiteral("nan"));
        QVERIFY(c);
        const auto nan = w.next();
        QCOMPARE(described(nan), QStringList{QStringLiteral("nan diverged x")});
        QCOMPARE(nan[0].step, int64_t(5));
        QVERIFY2(nan[0].text().contains(QStringLiteral("logged x = nan (by step 5)")), qPrintable(nan[0].text()));
        QCOMPARE(described(w.next()), QStringList());

        // Started after the watch, failed between two reads.
        auto d = startWriter(store, QStringLiteral("late-failure"), QStringLiteral("fail"));
        QVERIFY(d);
        QCOMPARE(described(w.next()), QStringList{QStringLiteral("failed late-failure")});

        // Two at once: in the order they ended.
        kill9(*c);
        QThread::msleep(300);   // past a flush interval (20 ms) many times: the heartbeats tell them apart
        kill9(*a);
        QCOMPARE(described(w.next()), (QStringList{QStringLiteral("crashed diverged"), QStringLiteral("crashed steady")}));
        QCOMPARE(described(w.next()), QStringList());
        QVERIFY(!w.watch.anyRunning());
    }

    void watchedMetricsAndRules()
    {
        WatchRules rules;
        QVERIFY(RunWatch::watchesMetric(rules, QStringLiteral("loss")));
        QVERIFY(!RunWatch::watchesMetric(rules, QStringLiteral("system/gpu.0.power_w")));
        rules.metrics = {QStringLiteral("val/loss")};
        QVERIFY(!RunWatch::watchesMetric(rules, QStringLiteral("loss")));
        QVERIFY(RunWatch::watchesMetric(rules, QStringLiteral("val/loss")));

        // A run the query matched while running still reports its failure
        // when "status = running" no longer matches it.
        RunTable t;
        const int r = t.addRun(QStringLiteral("r1"), QStringLiteral("one"), QStringLiteral("e"), RunStatus::Running, 0, -1);
        t.setMetric(r, QStringLiteral("loss"), 1, 1, 1, 1, 0);
        RunWatch watch;
        rules.metrics.clear();
        rules.query = QStringLiteral("status = running");
        watch.setRules(rules);
        const std::vector<int> matching{r};
        QVERIFY(watch.update(t, matching, matching, 1000).empty());
        RunTable later;
        const int l = later.addRun(QStringLiteral("r1"), QStringLiteral("one"), QStringLiteral("e"), RunStatus::Failed, 0, 900);
        later.setMetric(l, QStringLiteral("loss"), -INFINITY, -INFINITY, 1, 2, 1);
        const std::vector<int> laterRows{l};
        const auto events = watch.update(later, laterRows, {}, 2000);
        QCOMPARE(described(events), (QStringList{QStringLiteral("failed one"), QStringLiteral("-inf one loss")}));
        QCOMPARE(events[0].time, int64_t(900));
        // A NaN at one step between two reads: the last value is finite
        // again, the NaN count tells. Once; an infinity later is news of its own.
        RunWatch transient;
        RunTable before;
        before.addRun(QStringLiteral("t1"), QStringLiteral("blip"), QStringLiteral("e"), RunStatus::Running, 0, -1);
        before.setMetric(0, QStringLiteral("loss"), 1.0, 1.0, 1.0, 3, 2);
        const std::vector<int> zero{0};
        QVERIFY(transient.update(before, zero, zero, 1000).empty());
        RunTable blip = before;
        blip.setMetric(0, QStringLiteral("loss"), 0.9, 0.9, 1.0, 6, 5, NAN, 1);
        QCOMPARE(described(transient.update(blip, zero, zero, 2000)), QStringList{QStringLiteral("nan blip loss")});
        QVERIFY(transient.update(blip, zero, zero, 3000).empty());
        RunTable spike = blip;
        spike.setMetric(0, QStringLiteral("loss"), 0.8, 0.8, INFINITY, 9, 8, NAN, 1);
        QCOMPARE(described(transient.update(spike, zero, zero, 4000)), QStringList{QStringLiteral("inf blip loss")});
        QVERIFY(transient.update(spike, zero, zero, 5000).empty());

        // Rules off: nothing.
        RunWatch quiet;
        quiet.setRules({QString(), {}, false, false});
        QVERIFY(quiet.update(t, matching, matching, 1000).empty());
        QVERIFY(quiet.update(later, laterRows, laterRows, 2000).empty());
    }

    void runsThatStartMatchingLaterCrashesOnceAndTwoStores()
    {
        auto table = [](RunStatus status, double loss, const QString& tag = {}) {
            RunTable t;
            const int r = t.addRun(QStringLiteral("r1"), QStringLiteral("old"), QStringLiteral("e"), status, 0,
                status == RunStatus::Running ? -1 : 500);
            t.setMetric(r, QStringLiteral("loss"), loss, 1, 1, 3, 2);
            if (!tag.isEmpty())
                t.setTag(r, QStringLiteral("watch"), tag);
            return t;
        };
        const std::vector<int> row0{0}, none;
        // Failed with NaN while no query matched it; tagged later: not news.
        RunWatch watch;
        QVERIFY(watch.update(table(RunStatus::Running, 1), row0, none, 1000).empty());
        QVERIFY(watch.update(table(RunStatus::Failed, NAN), row0, none, 2000).empty());
        QVERIFY(watch.update(table(RunStatus::Failed, NAN, QStringLiteral("yes")), row0, row0, 3000).empty());
        QVERIFY(watch.update(table(RunStatus::Failed, NAN, QStringLiteral("yes")), row0, row0, 4000).empty());

        // A run seen running before it matched (its params not flushed yet),
        // then matching and already failed: it failed since the last look,
        // which is news (`watch --exit-on-failure` once waited forever on this).
        RunWatch started;
        QVERIFY(started.update(RunTable(), none, none, 500).empty());
        QVERIFY(started.update(table(RunStatus::Running, 1), row0, none, 1000).empty());
        QCOMPARE(described(started.update(table(RunStatus::Failed, 1, QStringLiteral("yes")), row0, row0, 2000)),
                 QStringList{QStringLiteral("failed old")});

        // A heartbeat that stops, comes back (a suspended laptop) and stops again: one crash.
        RunWatch flaky;
        QVERIFY(flaky.update(table(RunStatus::Running, 1), row0, row0, 1000).empty());
        QCOMPARE(described(flaky.update(table(RunStatus::Crashed, 1), row0, row0, 2000)),
            QStringList{QStringLiteral("crashed old")});
        QVERIFY(flaky.update(table(RunStatus::Running, 1), row0, row0, 3000).empty());
        QVERIFY(flaky.update(table(RunStatus::Crashed, 1), row0, row0, 4000).empty());
        // ... and a failure reported after the crash is the same end.
        QVERIFY(flaky.update(table(RunStatus::Failed, 1), row0, row0, 5000).empty());

        // Two open stores with the same run id (a store and its copy): each
        // watch reads its own store's row.
        RunTable merged;
        merged.addRun(QStringLiteral("r1"), QStringLiteral("mine"), QStringLiteral("e"), RunStatus::Running, 0, -1);
        merged.addRun(QStringLiteral("r1"), QStringLiteral("copy"), QStringLiteral("e"), RunStatus::Crashed, 0, 100);
        RunWatch mine;
        QVERIFY(mine.update(merged, row0, row0, 1000).empty());
        QVERIFY(mine.update(merged, row0, row0, 2000).empty());   // the copy's "crashed" is not this store's
        QVERIFY(mine.anyRunning());
    }

    void theCliExitsOnTheFirstFailure()
    {
        const QString store = dir_.filePath(QStringLiteral("ci.db"));
        Run::start(store.toStdString(), test::testRun("no-params")).finish();
        // A bad query ends it at once; one naming a key no run has yet does not.
        QProcess bad;
        bad.start(QStringLiteral(RUNLENS_BIN), {QStringLiteral("watch"), store, QStringLiteral("--query"),
                                                  QStringLiteral("params.points >")});
        QVERIFY(bad.waitForFinished(20000));
        QCOMPARE(bad.exitCode(), 5);
        QProcess watch;
        watch.start(QStringLiteral(RUNLENS_BIN), {QStringLiteral("watch"), store, QStringLiteral("--interval"),
                                                    QStringLiteral("0.1"), QStringLiteral("--exit-on-failure"),
                                                    QStringLiteral("--query"), QStringLiteral("params.points > 0"),
                                                    QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY(watch.waitForStarted());
        QByteArray err;
        QElapsedTimer clock;
        clock.start();
        while (!err.contains("Ctrl+C") && clock.elapsed() < 20000) {
            watch.waitForReadyRead(50);
            err += watch.readAllStandardError();
        }
        // Started before any run has params.points: it waits for one.
        QVERIFY2(err.contains("0 run(s)"), err.constData());
        auto steady = startWriter(store, QStringLiteral("steady"), QStringLiteral("hang"));
        QVERIFY(steady);
        auto failing = startWriter(store, QStringLiteral("broken"), QStringLiteral("fail"));
        QVERIFY(failing);
        QVERIFY(watch.waitForFinished(20000));
        QCOMPARE(watch.exitCode(), 6);
        const QList<QByteArray> lines = watch.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        const QJsonObject event = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(event.value(QStringLiteral("event")).toString(), QStringLiteral("failed"));
        QCOMPARE(event.value(QStringLiteral("run")).toString(), QStringLiteral("broken"));
        kill9(*steady);

        // --until-done, started beside the training (as a CI job does): it
        // waits while nothing runs yet, and ends once what ran has ended.
        QProcess done;
        done.start(QStringLiteral(RUNLENS_BIN),
            {QStringLiteral("watch"), store, QStringLiteral("--interval"), QStringLiteral("0.1"), QStringLiteral("--until-done")});
        QVERIFY(done.waitForStarted());
        QVERIFY(!done.waitForFinished(800));   // nothing running yet: it waits
        auto last = startWriter(store, QStringLiteral("last"), QStringLiteral("finish"));
        QVERIFY(last);
        QVERIFY(done.waitForFinished(20000));
        QCOMPARE(done.exitCode(), 0);
        QVERIFY(done.readAllStandardError().contains("the watched runs have ended\n"));
        // ... and fails when the training did, asked or not.
        QProcess failed;
        failed.start(QStringLiteral(RUNLENS_BIN),
            {QStringLiteral("watch"), store, QStringLiteral("--interval"), QStringLiteral("0.1"), QStringLiteral("--until-done")});
        QVERIFY(failed.waitForStarted());
        QVERIFY(!failed.waitForFinished(800));
        auto hung = startWriter(store, QStringLiteral("hung"), QStringLiteral("hang"));
        QVERIFY(hung);
        QVERIFY(!failed.waitForFinished(500));   // running: it waits
        kill9(*hung);
        QVERIFY(failed.waitForFinished(20000));
        QCOMPARE(failed.exitCode(), 6);
        QVERIFY(failed.readAllStandardOutput().contains("crashed"));
    }
};

QTEST_GUILESS_MAIN(TestRunWatch)
#include "test_run_watch.moc"
