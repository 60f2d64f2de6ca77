// SPDX-License-Identifier: GPL-3.0-or-later
// The window's filter pipeline without a window: query, scope, brush and
// selection over a Workspace, including runs that start after the store
// was opened.
#include "run_session.h"
#include "runlens/runlens.h"
#include "test_support.h"
#include "workspace.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;

class TestRunSession : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

    void addRun(const char* experiment, const char* name, double lr)
    {
        RunOptions o;
        o.experiment = experiment;
        o.name = name;
        o.capture_git = false;
        o.capture_environment = false;
        auto run = Run::start(store_.toStdString(), o);
        run.logParam("lr", lr);
        run.logMetric("loss", lr * 10, 0);
        run.finish(RunStatus::Finished);
    }

    static QStringList L(const char* csv) { return QString::fromLatin1(csv).split(QLatin1Char(',')); }

    static QStringList names(const RunSession& s, const std::vector<int>& rows)
    {
        QStringList out;
        for (int r : rows)
            out << s.table()->name(r);
        out.sort();
        return out;
    }

private slots:
    void initTestCase()
    {
        store_ = dir_.filePath(QStringLiteral("session.db"));
        addRun("a", "a1", 0.1);
        addRun("a", "a2", 0.01);
        addRun("b", "b1", 0.1);
        addRun("b", "b2", 0.001);
    }

    void queryScopeBrushAndSelection()
    {
        Workspace workspace;
        workspace.setLiveInterval(0);
        RunSession session(workspace);
        QSignalSpy tables(&session, &RunSession::tableChanged);
        QSignalSpy shown(&session, &RunSession::shownRowsChanged);
        QCOMPARE(workspace.openAndWait({store_}), QString());
        QTRY_COMPARE(session.table()->rowCount(), 4);
        QVERIFY(tables.count() >= 1);
        QCOMPARE(names(session, session.shownRows()), L("a1,a2,b1,b2"));

        shown.clear();
        QVERIFY(!session.setQuery(QStringLiteral("params.lr >= 0.01 order by metrics.loss desc")));
        QCOMPARE(shown.count(), 1);
        QCOMPARE(names(session, session.queryRows()), L("a1,a2,b1"));
        QCOMPARE(session.queryOrderMetric(), QStringLiteral("loss"));

        // A bad query is reported and the last good result stays.
        const auto error = session.setQuery(QStringLiteral("params.lr >"));
        QVERIFY(error);
        QVERIFY(session.queryError());
        QCOMPARE(session.query(), QStringLiteral("params.lr >= 0.01 order by metrics.loss desc"));
        QCOMPARE(names(session, session.shownRows()), L("a1,a2,b1"));

        session.setScope({-1, QStringLiteral("b")});
        QCOMPARE(names(session, session.filteredRows()), L("b1"));
        session.setScope({});
        QCOMPARE(session.filteredRows().size(), size_t(3));

        // The brush narrows what is shown, not what the axes see.
        const int a2 = session.table()->findRun(QStringLiteral("a2"));
        session.setBrush(std::vector<int>{a2});
        QCOMPARE(names(session, session.shownRows()), L("a2"));
        QCOMPARE(session.filteredRows().size(), size_t(3));
        QVERIFY(session.summary().contains(QStringLiteral("(brushed)")));
        QCOMPARE(session.summary(), QStringLiteral("1 of 4 runs (brushed)"));
        session.setBrush(std::nullopt);
        QCOMPARE(session.summary(), QStringLiteral("3 of 4 runs"));

        QSignalSpy selected(&session, &RunSession::selectionChanged);
        session.setSelectedIds({QStringLiteral("b1"), QStringLiteral("a1")});
        QCOMPARE(selected.count(), 1);
        QCOMPARE(names(session, session.selectedRows()), L("a1,b1"));
    }

    void runStartedAfterOpeningAppears()
    {
        // The store is open and the user looks at a query and a selection; a
        // new run starts logging. After a refresh it is there, the selection
        // is kept by id, and the query applies to it.
        const QString store = dir_.filePath(QStringLiteral("live.db"));
        {
            RunOptions o;
            o.name = "first";
            o.capture_git = false;
            auto run = Run::start(store.toStdString(), o);
            run.logParam("lr", 0.1);
            run.finish();
        }
        Workspace workspace;
        workspace.setLiveInterval(0);
        RunSession session(workspace);
        QCOMPARE(workspace.openAndWait({store}), QString());
        QTRY_COMPARE(session.table()->rowCount(), 1);
        QVERIFY(!session.setQuery(QStringLiteral("params.lr > 0.05")));
        session.setSelectedIds({QStringLiteral("first")});
        const int brushed = session.table()->findRun(QStringLiteral("first"));
        session.setBrush(std::vector<int>{brushed});

        RunOptions o;
        o.name = "second";
        o.experiment = "late";
        o.capture_git = false;
        auto run = Run::start(store.toStdString(), o);
        run.logParam("lr", 0.2);
        run.logMetric("loss", 1.0, 0);
        run.flush();

        QSignalSpy tables(&session, &RunSession::tableChanged);
        workspace.refresh(true);
        QTRY_VERIFY_WITH_TIMEOUT(session.table()->rowCount() == 2, 5000);
        QVERIFY(tables.count() >= 1);
        QCOMPARE(names(session, session.shownRows()), L("first,second"));
        QVERIFY(!session.brushed()); // the old brush named the old table's rows
        QCOMPARE(session.selectedIds(), QStringList({session.table()->id(session.table()->findRun(QStringLiteral("first")))}));
        QCOMPARE(names(session, session.selectedRows()), L("first"));
        run.finish();
    }

    void liveRefreshSeesOtherToolsFoldersGrow()
    {
        // MLflow and Lightning write plain files: a live run appends metric
        // lines, a new run is a new folder. Live refresh alone (no forced
        // refresh) shows both; it looked only at the root folder and missed them.
        auto append = [](const QString& path, const QByteArray& bytes) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::Append));
            QCOMPARE(f.write(bytes), bytes.size());
        };
        const QString mlruns = dir_.filePath(QStringLiteral("live-mlflow/mlruns"));
        test::writeFile(mlruns + QStringLiteral("/1/meta.yaml"),
            "experiment_id: '1'\nlifecycle_stage: active\nname: live\n");
        auto mlflowRun = [&](const char* id) {
            const QString run = mlruns + QStringLiteral("/1/") + QLatin1String(id);
            test::writeFile(run + QStringLiteral("/meta.yaml"),
                QByteArray("experiment_id: '1'\nlifecycle_stage: active\nrun_id: ") + id + "\nrun_name: " + id
                    + "\nstart_time: 1700000000000\nstatus: 1\n");
            test::writeFile(run + QStringLiteral("/metrics/loss"), "1700000000001 1.0 0\n");
            return run;
        };
        const QString first = mlflowRun("aaa");
        const QString lightning = dir_.filePath(QStringLiteral("live-lightning"));
        test::writeFile(lightning + QStringLiteral("/version_0/metrics.csv"), "step,loss\n0,1.0\n");

        Workspace workspace;
        QCOMPARE(workspace.openAndWait({mlruns, lightning}), QString());
        const auto table = [&] { return workspace.runs(); };
        auto lossCount = [&](const char* name) {
            const int row = table()->findRun(QString::fromLatin1(name));
            const MetricColumn* m = table()->metric(QStringLiteral("loss"));
            return row >= 0 && m ? m->count[size_t(row)] : int64_t(-1);
        };
        QCOMPARE(table()->rowCount(), 2);
        QCOMPARE(lossCount("aaa"), int64_t(1));
        QCOMPARE(lossCount("version_0"), int64_t(1));
        workspace.setLiveInterval(100);

        append(first + QStringLiteral("/metrics/loss"), "1700000000002 0.5 1\n");
        append(lightning + QStringLiteral("/version_0/metrics.csv"), "1,0.5\n");
        QTRY_COMPARE_WITH_TIMEOUT(lossCount("aaa"), int64_t(2), 3000);
        QTRY_COMPARE_WITH_TIMEOUT(lossCount("version_0"), int64_t(2), 3000);

        mlflowRun("bbb");
        test::writeFile(lightning + QStringLiteral("/version_1/metrics.csv"), "step,loss\n0,2.0\n");
        QTRY_COMPARE_WITH_TIMEOUT(table()->rowCount(), 4, 3000);
        QVERIFY(table()->findRun(QStringLiteral("bbb")) >= 0);
        QVERIFY(table()->findRun(QStringLiteral("version_1")) >= 0);
    }

    void aStoreOpenedBeforeTrainingCreatesIt()
    {
        // "Open the app, then start training": the path is watched, then opened.
        const QString store = dir_.filePath(QStringLiteral("not-yet.db"));
        Workspace workspace;
        workspace.setWaitForMissingStores(true);
        RunSession session(workspace);
        QSignalSpy failed(&workspace, &Workspace::storeFailed);
        QSignalSpy awaited(&workspace, &Workspace::storeAwaited);
        workspace.open({store});
        QCOMPARE(awaited.count(), 1);
        QCOMPARE(workspace.waitingFor(), QStringList{QFileInfo(store).absoluteFilePath()});
        workspace.setLiveInterval(100);
        QTest::qWait(300);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(workspace.storeCount(), 0);
        auto run = Run::start(store.toStdString(), test::testRun("first-of-the-day"));
        run.logMetric("loss", 1.0, 0);
        run.flush();
        QTRY_COMPARE_WITH_TIMEOUT(session.table()->rowCount(), 1, 5000);
        QVERIFY(workspace.waitingFor().isEmpty());
        run.finish();
        // Headless callers (snapshot, report) still get an error for a missing store.
        Workspace headless;
        headless.setWaitForMissingStores(true);
        QVERIFY(headless.openAndWait({dir_.filePath(QStringLiteral("never.db"))}).contains(QStringLiteral("does not exist")));
    }
};

QTEST_GUILESS_MAIN(TestRunSession)
#include "test_run_session.moc"
