// SPDX-License-Identifier: GPL-3.0-or-later
// The window against a real store: the query bar, selection driving the
// curves, decimation and zoom in a chart, and live refresh.
#include "curve_plot.h"
#include "curves_view.h"
#include "main_window.h"
#include "navigator_view.h"
#include "store_registry.h"
#include "event_banner.h"
#include "watch_panel.h"
#include "query_bar.h"
#include "run_table_model.h"
#include "run_table_view.h"
#include "runlens/runlens.h"
#include "runlens/sqlite_db.h"
#include "scatter_view.h"
#include "test_support.h"
#include "run_details_view.h"
#include "value_bars.h"
#include "window_test_support.h"
#include "workspace.h"

#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QPushButton>
#include <QScatterSeries>
#include <QChart>
#include <QChartView>
#include <QDockWidget>
#include <QGridLayout>
#include <QSettings>
#include <QTemporaryDir>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QTabWidget>
#include <QTreeWidget>
#include <QtTest>

#include <signal.h>

using namespace runlens;
using namespace runlens::ui;

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

    static RunOptions quiet(const char* name)
    {
        RunOptions o;
        o.experiment = "gui";
        o.name = name;
        o.capture_git = false;
        o.capture_environment = false;
        return o;
    }

    void wait(MainWindow& w)
    {
        w.workspace().waitForIdle();
        QCoreApplication::processEvents();
    }

    // Some label of the curves view says `text`.
    static bool curvesSay(MainWindow& w, const QString& text)
    {
        const auto labels = w.curvesView()->findChildren<QLabel*>();
        return std::any_of(labels.begin(), labels.end(), [&](QLabel* l) { return l->text().contains(text); });
    }

    int rowOf(MainWindow& w, const char* name) { return w.workspace().runs()->findRun(QString::fromLatin1(name)); }

private slots:
    void initTestCase()
    {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
        store_ = dir_.filePath(QStringLiteral("gui.db"));
        for (int i = 0; i < 6; ++i) {
            const std::string name = "run-" + std::to_string(i);
            auto run = Run::start(store_.toStdString(), quiet(name.c_str()));
            run.logParam("lr", i < 3 ? 0.01 : 0.1);
            run.logParam("seed", i % 3);
            for (int s = 0; s < 3000; ++s)
                run.logMetric("loss", 1.0 / (s + 1) + i * 0.01, s);
            run.finish();
        }
        auto spiky = Run::start(store_.toStdString(), quiet("spiky"));
        spiky.logParam("lr", 0.5);
        spiky.logParam("seed", 9);
        for (int s = 0; s < 100000; ++s)
            spiky.logMetric("loss", s == 61234 ? 100.0 : 0.5 + 0.001 * std::sin(s * 0.01), s);
        spiky.finish();
    }

    void opensAStoreIntoTheTable()
    {
        MainWindow w;
        w.openStores({store_});
        wait(w);
        QCOMPARE(w.workspace().storeCount(), 1);
        QCOMPARE(w.tableModel()->rowCount(), 7);
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("gui.db")));
    }

    void badQueryShowsItsErrorAndKeepsTheLastGoodResult()
    {
        MainWindow w;
        w.openStores({store_});
        wait(w);
        QVERIFY(w.applyQuery(QStringLiteral("params.lr < 0.05")).isEmpty());
        QCOMPARE(w.tableModel()->rowCount(), 3);
        const QString error = w.applyQuery(QStringLiteral("params.lr <"));
        QVERIFY(error.contains(QStringLiteral("column 12")));
        QVERIFY(w.queryBar()->error().has_value());
        QCOMPARE(w.queryBar()->error()->position, 11);
        QCOMPARE(w.tableModel()->rowCount(), 3);   // unchanged
        QVERIFY(w.applyQuery(QStringLiteral("params.lr >= 0.1 order by params.seed desc")).isEmpty());
        QVERIFY(!w.queryBar()->error().has_value());
        QCOMPARE(w.tableModel()->rowCount(), 4);
        QCOMPARE(w.tableModel()->table().name(w.tableModel()->displayedRows().front()), QStringLiteral("spiky"));
    }

    void tableExportsShownOrAllColumns()
    {
        MainWindow w;
        w.openStores({store_});
        wait(w);
        QVERIFY(w.applyQuery(QStringLiteral("params.lr >= 0.1 order by params.seed desc")).isEmpty());
        const int seed = w.tableModel()->columnOf(QStringLiteral("params.seed"));
        QVERIFY(seed >= 0);
        w.tableView()->setColumnHidden(seed, true);
        auto csv = [&](bool all) {
            QString text;
            QTextStream out(&text);
            w.writeTableCsv(out, all);
            out.flush();
            return text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        };
        const QStringList shown = csv(false), all = csv(true);
        // The rows the query shows, in its order, in both.
        QCOMPARE(shown.size(), 5);
        QCOMPARE(all.size(), 5);
        QVERIFY(shown[1].contains(QStringLiteral("spiky")));
        QVERIFY(all[1].contains(QStringLiteral("spiky")));
        // The hidden column is left out of the shown export only.
        QVERIFY(!shown[0].contains(QStringLiteral("params.seed")));
        QVERIFY(all[0].contains(QStringLiteral("params.seed")));
        QVERIFY(all[0].startsWith(QStringLiteral("id,name,experiment,status,start_time,end_time,")));
        QCOMPARE(all[1].split(QLatin1Char(',')).size(), all[0].split(QLatin1Char(',')).size());
    }

    void reportTakesTheSelectionElseTheShownRuns()
    {
        MainWindow w;
        w.openStores({store_});
        wait(w);
        QVERIFY(w.applyQuery(QStringLiteral("params.lr < 0.05 order by name desc")).isEmpty());
        // Nothing selected: the runs shown, in their order.
        QString note;
        QCOMPARE(w.reportRows(&note), w.tableModel()->displayedRows());
        QVERIFY(note.isEmpty());
        const std::vector<int> chosen = {rowOf(w, "run-2"), rowOf(w, "run-0")};
        w.selectRuns(chosen);
        auto rows = w.reportRows();
        std::sort(rows.begin(), rows.end());
        auto expected = chosen;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(rows, expected);
    }

    void deletedMlflowRunsShowOnlyWhenAsked()
    {
        const QString root = dir_.filePath(QStringLiteral("deleted/mlruns"));
        const auto write = test::writeFile;
        write(root + QStringLiteral("/1/meta.yaml"), "experiment_id: '1'\nname: exp\nlifecycle_stage: active\n");
        write(root + QStringLiteral("/1/aaa/meta.yaml"), "run_id: aaa\nrun_name: kept\nlifecycle_stage: active\nstatus: 3\nstart_time: 1\n");
        write(root + QStringLiteral("/1/bbb/meta.yaml"), "run_id: bbb\nrun_name: gone\nlifecycle_stage: deleted\nstatus: 3\nstart_time: 2\n");
        const QByteArray before = test::fileHash(root + QStringLiteral("/1/bbb/meta.yaml"));
        MainWindow w;
        w.openStores({root});
        wait(w);
        QCOMPARE(w.workspace().runs()->rowCount(), 1);
        w.workspace().setIncludeDeleted(true);
        wait(w);
        QCOMPARE(w.workspace().runs()->rowCount(), 2);
        QVERIFY(w.workspace().runs()->findRun(QStringLiteral("gone")) >= 0);
        w.workspace().setIncludeDeleted(false);
        wait(w);
        QCOMPARE(w.workspace().runs()->rowCount(), 1);
        QCOMPARE(test::fileHash(root + QStringLiteral("/1/bbb/meta.yaml")), before);   // read, never changed
    }

    void selectionDrivesTheCurves()
    {
        MainWindow w;
        w.openStores({store_});
        wait(w);
        w.selectRuns({rowOf(w, "run-1"), rowOf(w, "run-4")});
        w.curvesView()->setMetrics({QStringLiteral("loss")});
        w.curvesView()->loadNow();
        QCOMPARE(int(w.curvesView()->plots().size()), 1);
        const auto& series = w.curvesView()->plots()[0]->series();
        QCOMPARE(int(series.size()), 2);
        QStringList ids = {series[0].runId, series[1].runId};
        QVERIFY(ids.contains(w.workspace().runs()->id(rowOf(w, "run-1"))));
        QVERIFY(ids.contains(w.workspace().runs()->id(rowOf(w, "run-4"))));
        QVERIFY(series[0].smoothed);   // EMA is on by default, raw kept behind
        QCOMPARE(series[0].raw->size(), size_t(3000));
        // Details follow the first selected run.
        w.selectRuns({rowOf(w, "spiky")});
        w.curvesView()->loadNow();
        QCOMPARE(int(w.curvesView()->plots()[0]->series().size()), 1);
    }

    void chartKeepsASpikeAndRefinesWhenZoomed()
    {
        MainWindow w;
        w.openStores({store_});
        wait(w);
        w.selectRuns({rowOf(w, "spiky")});
        CurveSettings s = w.curvesView()->settings();
        s.smoothing = Smoothing::None;
        w.curvesView()->setSettings(s);
        w.curvesView()->setMetrics({QStringLiteral("loss")});
        w.curvesView()->loadNow();
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        CurvePlot* plot = w.curvesView()->plots()[0];
        const auto wide = plot->visiblePoints(0);
        QVERIFY(wide.size() <= size_t(plot->plotArea().width()) * 4 + 2);
        QVERIFY(std::any_of(wide.begin(), wide.end(), [](const PlotPoint& p) { return p.y == 100.0 && p.x == 61234; }));
        // A loss ignores outliers in its scale by default: the spike is off
        // the scale, and marked on its edge.
        QVERIFY(plot->ignoresOutliers());
        plot->repaint();
        QVERIFY(plot->yRange().second < 100.0);
        QVERIFY(plot->lastClipMarks() >= 1);
        plot->setIgnoreOutliers(false);
        const auto [y0, y1] = plot->yRange();
        QVERIFY(y1 >= 100.0);   // the axis makes room for it
        plot->setXRange(std::pair(61200.0, 61300.0));
        const auto zoomed = plot->visiblePoints(0);
        QCOMPARE(zoomed.size(), size_t(103));   // every raw point in range, and one beyond each edge
        QCOMPARE(zoomed[35].x, 61234.0);
        QCOMPARE(zoomed[35].y, 100.0);
        // A frame draws the decimated points, not all 100,000.
        plot->repaint();
        QVERIFY(plot->lastFramePoints() <= 200);
    }

    void curveLegendDropsTheSharedStartOfNames()
    {
        MainWindow w;
        w.openStores({store_});
        wait(w);
        w.selectRuns({rowOf(w, "run-1"), rowOf(w, "run-4")});
        w.curvesView()->loadNow();
        auto* legend = w.curvesView()->findChild<QListWidget*>(QStringLiteral("runLegend"));
        QVERIFY(legend);
        QStringList shown;
        for (int i = 0; i < legend->count(); ++i)
            shown << legend->item(i)->text();
        shown.sort();
        QCOMPARE(shown, (QStringList{QStringLiteral("…1"), QStringLiteral("…4")}));
        QCOMPARE(legend->item(0)->toolTip().left(4), QStringLiteral("run-"));   // the whole name on hover
        // Nothing shared: names as they are.
        w.selectRuns({rowOf(w, "run-1"), rowOf(w, "spiky")});
        w.curvesView()->loadNow();
        shown.clear();
        for (int i = 0; i < legend->count(); ++i)
            shown << legend->item(i)->text();
        shown.sort();
        QCOMPARE(shown, (QStringList{QStringLiteral("run-1"), QStringLiteral("spiky")}));
    }

    void panFramesKeepColumnsAndTheSpike()
    {
        // While panning, a frame keeps the columns it had and decimates only
        // those scrolled in: the line stays in order, reaches both borders,
        // and the spike shows when it scrolls in from the right.
        auto reader = test::mustOpen(store_);
        auto table = test::mustLoad(*reader);
        auto raw = reader->loadSeries(table->id(table->findRun(QStringLiteral("spiky"))), QStringLiteral("loss"));
        QVERIFY(raw);
        auto series = std::make_shared<const PlotSeries>(
            std::vector<double>(raw->steps.begin(), raw->steps.end()), std::vector<double>(raw->values.begin(), raw->values.end()));
        CurvePlot plot;
        plot.resize(900, 400);
        plot.setSeries({{QStringLiteral("s"), QStringLiteral("spiky"), Qt::blue, series, nullptr, -1}});
        QImage image(plot.size(), QImage::Format_ARGB32_Premultiplied);
        plot.render(&image);
        for (int k = 0; k < 25; ++k) {
            const double x0 = 40000 + 1000.0 * k, x1 = x0 + 20000;
            plot.beginInteraction();
            plot.setXRange(std::pair(x0, x1));
            plot.render(&image);
            const auto& pts = plot.framePoints(0);
            QVERIFY(!pts.empty());
            QVERIFY2(std::is_sorted(pts.begin(), pts.end(), [](const PlotPoint& a, const PlotPoint& b) { return a.x < b.x; }),
                     qPrintable(QStringLiteral("frame %1 out of order").arg(k)));
            QVERIFY(pts.front().x <= x0 && pts.back().x >= x1);
            QVERIFY(pts.size() <= size_t(plot.plotArea().width()) * 2 + 8);   // half the columns while moving
            const bool spikeInView = x0 <= 61234 && 61234 <= x1;
            const bool spikeDrawn = std::any_of(pts.begin(), pts.end(), [](const PlotPoint& p) { return p.x == 61234 && p.y == 100.0; });
            QCOMPARE(spikeDrawn, spikeInView);
        }
    }

    void nearlyEqualValuesDrawWithoutHanging()
    {
        // Two runs ending on the same score but for the last bit once made the
        // tick loop step by less than the values' precision.
        CurvePlot plot;
        plot.resize(600, 400);
        const double a = 0.99938171101774043, b = std::nextafter(a, 1.0);
        std::vector<CurveSeries> series;
        for (double v : {a, b})
            series.push_back({QString::number(v), QStringLiteral("run"), Qt::red,
                              std::make_shared<const PlotSeries>(std::vector<double>{0.0}, std::vector<double>{v}), nullptr, -1});
        plot.setSeries(std::move(series));
        QImage image(plot.size(), QImage::Format_ARGB32_Premultiplied);
        plot.render(&image);
        const auto [y0, y1] = plot.yRange();
        QVERIFY(y1 - y0 > 1e-3);
        // A ten-ulp range set by hand draws too.
        plot.setXRange(std::pair(-1e-300, 1e-300));
        plot.render(&image);
        QVERIFY(plot.lastFramePoints() <= 2);
    }

    void liveRefreshAddsRunsAndKeepsSelectionAndSort()
    {
        const QString live = dir_.filePath(QStringLiteral("live.db"));
        Run::start(live.toStdString(), quiet("first")).finish();
        Run::start(live.toStdString(), quiet("second")).finish();
        MainWindow w;
        w.openStores({live});
        wait(w);
        QCOMPARE(w.tableModel()->rowCount(), 2);
        w.tableModel()->sort(0, Qt::DescendingOrder);
        w.selectRuns({rowOf(w, "first")});
        w.workspace().setLiveInterval(100);
        auto run = Run::start(live.toStdString(), quiet("third"));
        run.logMetric("x", 1, 0);
        run.flush();
        QTRY_COMPARE_WITH_TIMEOUT(w.tableModel()->rowCount(), 3, 5000);
        QCOMPARE(w.tableModel()->table().name(w.tableModel()->displayedRows().front()), QStringLiteral("third"));
        const auto selected = w.tableView()->selectedTableRows();
        QCOMPARE(int(selected.size()), 1);
        QCOMPARE(w.workspace().runs()->name(selected.front()), QStringLiteral("first"));
        QCOMPARE(w.workspace().runs()->status(rowOf(w, "third")), RunStatus::Running);
        run.finish();
        QTRY_COMPARE_WITH_TIMEOUT(w.workspace().runs()->status(rowOf(w, "third")), RunStatus::Finished, 5000);
    }

    void aRunStartedByAnotherProcessAppears()
    {
        // The app is open on a store; then training starts in another process,
        // in a new experiment, with a new metric. Within the live interval and
        // a flush the table, the navigator and the metric list show it.
        const QString live = dir_.filePath(QStringLiteral("other-process.db"));
        Run::start(live.toStdString(), quiet("before")).finish();
        MainWindow w;
        w.openStores({live});
        wait(w);
        QCOMPARE(w.tableModel()->rowCount(), 1);
        w.workspace().setLiveInterval(500);
        QProcess writer;
        writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        writer.start(QStringLiteral(RUNLENS_TEST_WRITER),
                     {live, QStringLiteral("later"), QStringLiteral("1000000"), QStringLiteral("500"),
                      QStringLiteral("200"), QStringLiteral("finish")});
        QVERIFY(writer.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(w.tableModel()->rowCount(), 2, 2500);
        QCOMPARE(w.workspace().runs()->status(rowOf(w, "later")), RunStatus::Running);
        QTRY_VERIFY_WITH_TIMEOUT(w.workspace().runs()->metric(QStringLiteral("x")) != nullptr, 2500);
        auto* metrics = w.curvesView()->findChild<QListWidget*>();
        QVERIFY(metrics);
        QTRY_VERIFY_WITH_TIMEOUT(!metrics->findItems(QStringLiteral("x"), Qt::MatchExactly).isEmpty(), 2500);
        writer.kill();
        writer.waitForFinished();
    }

    void aWatchedRunThatFailsIsNewsOnceWithAClickToIt()
    {
        // The app open on a store; a sweep's run, started in another process
        // afterwards, fails. The banner names it and selects it on a click;
        // the Watch panel lists it once; another tool's store is not watched
        // until asked.
        const QString store = dir_.filePath(QStringLiteral("watched.db"));
        {
            auto run = Run::start(store.toStdString(), quiet("failed-long-ago"));
            run.finish(RunStatus::Failed);
        }
        MainWindow w;
        w.openStores({store});
        wait(w);
        w.workspace().setLiveInterval(300);
        QVERIFY(w.watchPanel()->isWatching(store));
        QVERIFY(w.eventBanner()->isHidden());   // what failed before is not news
        QProcess writer;
        writer.start(QStringLiteral(RUNLENS_TEST_WRITER),
            {store, QStringLiteral("broken"), QStringLiteral("3"), QStringLiteral("0"), QStringLiteral("50"),
                QStringLiteral("fail")});
        QVERIFY(writer.waitForFinished(20000));
        QTRY_VERIFY_WITH_TIMEOUT(!w.eventBanner()->isHidden(), 5000);
        QCOMPARE(w.eventBanner()->text(), QStringLiteral("run 'broken' (e2e) failed"));
        QCOMPARE(w.watchPanel()->eventList()->topLevelItemCount(), 1);
        w.workspace().refresh(true);
        wait(w);
        QCOMPARE(w.watchPanel()->eventList()->topLevelItemCount(), 1);   // once
        w.eventBanner()->showRunButton()->click();
        const auto selected = w.tableView()->selectedTableRows();
        QCOMPARE(selected.size(), size_t(1));
        QCOMPARE(w.workspace().runs()->name(selected[0]), QStringLiteral("broken"));
        QVERIFY(w.eventBanner()->isHidden());
        if (auto* dock = w.findChild<QDockWidget*>(QStringLiteral("watch")))
            dock->raise();
        WatchEvent again;
        again.runId = w.workspace().runs()->id(selected[0]);
        again.runName = QStringLiteral("broken");
        again.experiment = QStringLiteral("e2e");
        w.eventBanner()->show({again});   // shown again for the picture
        w.resize(1400, 800);
        test::saveForALook(w, QStringLiteral("watch-banner.png"));

        // Killed (SIGKILL): it writes nothing more, yet the window hears of it.
        QProcess hung;
        hung.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        hung.start(QStringLiteral(RUNLENS_TEST_WRITER),
            {store, QStringLiteral("killed"), QStringLiteral("3"), QStringLiteral("0"), QStringLiteral("50"),
                QStringLiteral("hang")});
        QVERIFY(hung.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(w.workspace().runs()->findRun(QStringLiteral("killed")) >= 0, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(w.workspace().runs()->metric(QStringLiteral("x")) != nullptr
                && w.workspace().runs()->metric(QStringLiteral("x"))->has(w.workspace().runs()->findRun(QStringLiteral("killed"))),
            5000);
        // Stopped first, so that the window has read its last write; then
        // killed: nothing in the store changes, only its process is gone.
        ::kill(static_cast<pid_t>(hung.processId()), SIGSTOP);
        QTest::qWait(1200);
        QCOMPARE(w.workspace().runs()->status(w.workspace().runs()->findRun(QStringLiteral("killed"))), RunStatus::Running);
        ::kill(static_cast<pid_t>(hung.processId()), SIGKILL);
        hung.waitForFinished();
        QTRY_COMPARE_WITH_TIMEOUT(w.watchPanel()->eventList()->topLevelItemCount(), 2, 10000);
        QCOMPARE(w.eventBanner()->text(), QStringLiteral("run 'killed' (e2e) crashed: its heartbeat stopped"));

        // Off, then another failure: nothing new.
        w.watchPanel()->setRules(store, false, {});
        QProcess second;
        second.start(QStringLiteral(RUNLENS_TEST_WRITER),
            {store, QStringLiteral("unwatched"), QStringLiteral("3"), QStringLiteral("0"), QStringLiteral("50"),
                QStringLiteral("fail")});
        QVERIFY(second.waitForFinished(20000));
        QTRY_VERIFY_WITH_TIMEOUT(w.workspace().runs()->findRun(QStringLiteral("unwatched")) >= 0, 5000);
        QCOMPARE(w.watchPanel()->eventList()->topLevelItemCount(), 2);

        const QString root = dir_.filePath(QStringLiteral("watch-mlruns/mlruns"));
        test::writeFile(root + QStringLiteral("/1/meta.yaml"), "experiment_id: '1'\nname: exp\nlifecycle_stage: active\n");
        test::writeFile(root + QStringLiteral("/1/aaa/meta.yaml"),
            "run_id: aaa\nrun_name: theirs\nlifecycle_stage: active\nstatus: 1\nstart_time: 1\n");
        MainWindow other;
        other.openStores({root});
        wait(other);
        QVERIFY(!other.watchPanel()->isWatching(root));
        QCOMPARE(other.watchPanel()->rulesList()->topLevelItem(0)->checkState(0), Qt::Unchecked);
    }

    void aRunStartedFromPythonAppears()
    {
        // As users do it: the store was written by an earlier Python run that
        // has exited (so no writer holds it open and its WAL was folded in),
        // the app opens it, then a new Python run starts logging slowly into a
        // new experiment with new keys. Runs, experiments and keys show within
        // two seconds of their flush.
        const QString live = dir_.filePath(QStringLiteral("python-live.db"));
        auto python = [&](const QString& script) {
            auto p = std::make_unique<QProcess>();
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("PYTHONPATH"), QStringLiteral(RUNLENS_PYTHON_DIR));
            p->setProcessEnvironment(env);
            p->setProcessChannelMode(QProcess::ForwardedChannels);
            p->start(QStringLiteral(RUNLENS_PYTHON), {QStringLiteral("-c"), script, live});
            return p;
        };
        auto first = python(QStringLiteral(
            "import sys, runlens\n"
            "r = runlens.init(store=sys.argv[1], experiment='old', name='earlier')\n"
            "r.log_metric('loss', 1.0, step=0)\n"
            "r.finish()\n"));
        QVERIFY(first->waitForFinished(30000));
        QCOMPARE(first->exitCode(), 0);
        QVERIFY(!QFileInfo::exists(live + QStringLiteral("-wal")));

        MainWindow w;
        w.openStores({live});
        wait(w);
        QCOMPARE(w.tableModel()->rowCount(), 1);
        w.workspace().setLiveInterval(250);
        auto later = python(QStringLiteral(
            "import sys, time, runlens\n"
            "r = runlens.init(store=sys.argv[1], experiment='new-experiment', name='from-python', flush_interval=0.2)\n"
            "r.log_param('lr', 0.5)\n"
            "for i in range(200):\n"
            "    r.log_metric('fresh/metric', i * 0.5, step=i)\n"
            "    time.sleep(0.05)\n"
            "r.finish()\n"));
        QVERIFY(later->waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(w.tableModel()->rowCount(), 2, 4000);
        const int row = rowOf(w, "from-python");
        QVERIFY(row >= 0);
        QCOMPARE(w.workspace().runs()->experiment(row), QStringLiteral("new-experiment"));
        QCOMPARE(w.workspace().runs()->status(row), RunStatus::Running);
        QTRY_VERIFY_WITH_TIMEOUT(w.workspace().runs()->metric(QStringLiteral("fresh/metric")) != nullptr, 2500);
        auto* metrics = w.curvesView()->findChild<QListWidget*>();
        QVERIFY(metrics);
        QTRY_VERIFY_WITH_TIMEOUT(
            !metrics->findItems(QStringLiteral("fresh/metric"), Qt::MatchExactly).isEmpty(), 2500);
        later->kill();
        later->waitForFinished();
    }

    void groupsUseEveryShownRunOrTheSelection()
    {
        // 24 runs in three lr groups. Drawn as groups with nothing selected,
        // every shown run enters its group (only the first 20 did, leaving
        // a group short); with two runs selected the legend counts the two
        // the means are made of (it said "8 runs"). Ungrouped, the combo goes
        // back to "Runs", as drawn.
        const QString store = dir_.filePath(QStringLiteral("groups.db"));
        for (int i = 0; i < 24; ++i) {
            const std::string name = "g-" + std::to_string(i);
            auto run = Run::start(store.toStdString(), quiet(name.c_str()));
            run.logParam("lr", i % 3 == 0 ? 0.1 : i % 3 == 1 ? 0.01 : 0.001);
            for (int s = 0; s < 100; s += 1 + i % 4)
                run.logMetric("loss", 1.0 / (s + 1), s);
            run.finish();
        }
        MainWindow w;
        w.openStores({store});
        wait(w);
        emit w.tableView()->groupByRequested(QStringLiteral("params.lr"));
        CurveSettings settings = w.curvesView()->settings();
        settings.groupBands = true;
        w.curvesView()->setSettings(settings);
        emit w.curvesView()->settingsChanged();
        auto* legend = w.curvesView()->findChild<QListWidget*>(QStringLiteral("runLegend"));
        QVERIFY(legend);
        auto legendTexts = [&] {
            QStringList texts;
            for (int i = 0; i < legend->count(); ++i)
                texts << legend->item(i)->text();
            return texts;
        };
        QTRY_COMPARE(legend->count(), 3 + 24);
        QStringList texts = legendTexts();
        QCOMPARE(texts.filter(QStringLiteral(" · 8 runs")).size(), 3);

        w.selectRuns({rowOf(w, "g-0"), rowOf(w, "g-1")});
        QTRY_COMPARE(legend->count(), 2 + 2);
        texts = legendTexts();
        QCOMPARE(texts.filter(QStringLiteral(" · 1 run")).size(), 2);
        QVERIFY(texts.filter(QStringLiteral("runs")).isEmpty());

        auto* bands = w.curvesView()->findChild<QComboBox*>(QStringLiteral("groupMode"));
        QVERIFY(bands);
        QVERIFY(bands->currentText().startsWith(QStringLiteral("Groups")));
        emit w.tableView()->groupByRequested(QString());
        QCOMPARE(bands->currentIndex(), 0);
        QVERIFY(!w.curvesView()->settings().groupBands);
    }

    void curvesLineUpByAnotherMetric()
    {
        // Batch 16 and batch 64 log 1,160 and 320 steps for the same 40
        // epochs: by step they end far apart, by epoch together.
        const QString store = dir_.filePath(QStringLiteral("by-epoch.db"));
        for (const int perEpoch : {29, 8}) {
            const std::string name = "b" + std::to_string(perEpoch);
            auto run = Run::start(store.toStdString(), quiet(name.c_str()));
            for (int e = 1; e <= 40; ++e) {
                for (int b = 1; b <= perEpoch; ++b)
                    run.logMetric("loss", 1.0 / e, int64_t(e - 1) * perEpoch + b);
                run.logMetric("epoch", e, int64_t(e) * perEpoch);
            }
            run.finish();
        }
        MainWindow w;
        w.openStores({store});
        wait(w);
        w.curvesView()->setMetrics({QStringLiteral("loss")});
        auto* axis = w.curvesView()->findChild<QComboBox*>(QStringLiteral("xAxis"));
        QVERIFY(axis);
        const int byEpoch = axis->findData(QStringLiteral("epoch"));
        QVERIFY(byEpoch > 3);   // offered, after step and the times
        QCOMPARE(axis->itemText(byEpoch), QStringLiteral("By epoch"));
        axis->setCurrentIndex(byEpoch);
        QCOMPARE(w.curvesView()->settings().axis, XAxis::Metric);
        QCOMPARE(w.curvesView()->settings().xMetric, QStringLiteral("epoch"));
        QTRY_VERIFY(!w.curvesView()->plots().empty() && w.curvesView()->plots().front()->series().size() == 2);
        const auto [x0, x1] = w.curvesView()->plots().front()->xRange();
        QVERIFY2(x1 <= 41 && x0 >= 0, qPrintable(QStringLiteral("%1..%2").arg(x0).arg(x1)));
        QCOMPARE(w.curvesView()->plots().front()->xLabel(), QStringLiteral("epoch"));

        // The choice is kept; a store without epoch draws by step, and says so.
        MainWindow other;
        other.openStores({dir_.filePath(QStringLiteral("gui.db"))});
        wait(other);
        QCOMPARE(other.curvesView()->settings().xMetric, QStringLiteral("epoch"));
        QTRY_VERIFY(!other.curvesView()->plots().empty() && !other.curvesView()->plots().front()->series().empty());
        QCOMPARE(other.curvesView()->plots().front()->xLabel(), QStringLiteral("step"));
        QTRY_VERIFY(other.curvesView()->findChildren<QLabel*>().size() > 0);
        QVERIFY(curvesSay(other, QStringLiteral("No run here has epoch")));
    }

    void oneValueMetricsAreBarsNotDots()
    {
        // A test accuracy logged once per run was a dot per run at step 0:
        // it is drawn as a bar per run with its value; curves stay curves.
        const QString store = dir_.filePath(QStringLiteral("one-value.db"));
        for (int i = 0; i < 5; ++i) {
            const std::string name = "final-" + std::to_string(i);
            auto run = Run::start(store.toStdString(), quiet(name.c_str()));
            for (int s = 0; s < 50; ++s)
                run.logMetric("loss", 1.0 / (s + 1 + i), s);
            run.logMetric("test/accuracy", 0.9 + 0.01 * i, 49);
            run.finish();
        }
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        w.openStores({store});
        wait(w);
        w.curvesView()->setMetrics({QStringLiteral("loss"), QStringLiteral("test/accuracy")});
        const auto bars = w.curvesView()->findChildren<ui::ValueBars*>();
        QCOMPARE(bars.size(), 2);
        QVERIFY(!bars[0]->isVisible());
        QVERIFY(bars[1]->isVisible());
        QCOMPARE(bars[1]->title(), QStringLiteral("test/accuracy"));
        QCOMPARE(int(bars[1]->bars().size()), 5);
        QCOMPARE(bars[1]->bars()[2].value, 0.92);
        QVERIFY(!w.curvesView()->plots()[1]->isVisible());
        QVERIFY(w.curvesView()->plots()[0]->isVisible());
        QTRY_COMPARE(int(w.curvesView()->plots()[0]->series().size()), 5);
        QVERIFY(!bars[1]->grab().isNull());
    }

    void scatterClickSelectsTheRun()
    {
        // Scatter: a point names its run and a click selects it in the
        // table (Ctrl+click adds it); the selected runs are drawn larger.
        MainWindow w;
        w.openStores({store_});
        wait(w);
        auto* tabs = w.findChild<QTabWidget*>();
        tabs->setCurrentWidget(w.scatterView());
        w.scatterView()->setAxes(QStringLiteral("params.lr"), QStringLiteral("loss"));
        auto* series = qobject_cast<QScatterSeries*>(w.scatterView()->chartView()->chart()->series().value(0));
        QVERIFY(series);
        QVERIFY(series->count() >= 6);
        const QPointF point = series->at(2);
        const int row = w.scatterView()->rowAt(point);
        QVERIFY(row >= 0);
        emit series->clicked(point);
        QCOMPARE(w.tableView()->selectedTableRows(), std::vector<int>{row});
        series = qobject_cast<QScatterSeries*>(w.scatterView()->chartView()->chart()->series().value(0));
        int large = 0;
        for (int i = 0; i < series->count(); ++i)
            large += series->pointConfiguration(i).value(QXYSeries::PointConfiguration::Size).toDouble() > 9 ? 1 : 0;
        QCOMPARE(large, 1);
        QCOMPARE(w.scatterView()->rowAt(QPointF(-12345, 6789)), -1);
    }

    void scatterMarksTheParetoFront()
    {
        // lr against loss. Lower both: run-0 (lr 0.01, the lowest loss)
        // beats every other run. Higher lr, lower loss: spiky (the highest
        // lr), run-3 (the lowest loss at lr 0.1) and run-0 (the lowest loss
        // of all), best lr first.
        MainWindow w;
        w.openStores({store_});
        wait(w);
        ScatterView* scatter = w.scatterView();
        w.findChild<QTabWidget*>()->setCurrentWidget(scatter);   // views fill when shown
        scatter->setAxes(QStringLiteral("params.lr"), QStringLiteral("loss"));
        QVERIFY(scatter->paretoRows().empty());
        scatter->setParetoShown(true);
        QCOMPARE(scatter->paretoRows(), std::vector<int>{rowOf(w, "run-0")});   // loss: lower is better by its name
        scatter->setParetoDirections(false, true);
        QCOMPARE(scatter->paretoRows(), (std::vector<int>{rowOf(w, "spiky"), rowOf(w, "run-3"), rowOf(w, "run-0")}));
        QVERIFY(scatter->chartView()->chart()->title().contains(QStringLiteral("3 runs on the Pareto front")));
        // Drawn: the line through the front, and its runs' points larger.
        const auto series = scatter->chartView()->chart()->series();
        QCOMPARE(series.size(), 2);
        QCOMPARE(qobject_cast<QXYSeries*>(series[1])->count(), 3);
        auto* points = qobject_cast<QScatterSeries*>(series[0]);
        int large = 0;
        for (int i = 0; i < points->count(); ++i)
            large += points->pointConfiguration(i).value(QXYSeries::PointConfiguration::Size).toDouble() > 9 ? 1 : 0;
        QCOMPARE(large, 3);
        if (const QString artifacts = QString::fromLocal8Bit(qgetenv("REPORT_ARTIFACTS")); !artifacts.isEmpty()) {
            w.resize(1400, 800);
            w.show();
            QTest::qWait(200);
            QDir().mkpath(artifacts);
            scatter->setParetoShown(false);
            QTest::qWait(100);
            scatter->grab().save(artifacts + QStringLiteral("/scatter-plain.png"));
            scatter->setParetoShown(true);
            QTest::qWait(100);
            scatter->grab().save(artifacts + QStringLiteral("/scatter-pareto.png"));
        }
        scatter->setParetoShown(false);
        QCOMPARE(scatter->chartView()->chart()->series().size(), 1);
    }

    void layoutHoldsAt1024AndRecovers()
    {
        // At 1024x700 the window stays 1024 wide with its side panels
        // readable; grown back, the panels get their width again (they stayed
        // squeezed) and the charts their two columns.
        QSettings().clear();
        const QString store = dir_.filePath(QStringLiteral("layout.db"));
        for (int i = 0; i < 12; ++i) {
            const std::string name = "resnet50-imagenet-cosine-warmup-" + std::to_string(i);
            auto run = Run::start(store.toStdString(), quiet(name.c_str()));
            for (int s = 0; s < 100; ++s) {
                run.logMetric("train/loss", 1.0 / (s + 1 + i), s);
                run.logMetric("val/accuracy", 1.0 - 1.0 / (s + 2 + i), s);
            }
            run.finish();
        }
        MainWindow w;
        w.resize(1024, 700);
        w.show();
        w.openStores({store});
        wait(w);
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.width(), 1024);
        auto* navigator = w.findChild<QDockWidget*>(QStringLiteral("navigator"));
        auto* details = w.findChild<QDockWidget*>(QStringLiteral("details"));
        QVERIFY(navigator && details);
        QVERIFY(navigator->width() >= MainWindow::kNavigatorMinWidth);
        QVERIFY(details->width() >= MainWindow::kDetailsMinWidth);
        auto* grid = w.curvesView()->plots().front()->parentWidget();
        auto* layout = qobject_cast<QGridLayout*>(grid->layout());
        QVERIFY(layout);
        QVERIFY(w.curvesView()->plots().size() >= 2);
        auto columnOfSecond = [&] {
            int row = 0, column = 0, rowSpan = 0, columnSpan = 0;
            layout->getItemPosition(layout->indexOf(w.curvesView()->plots()[1]), &row, &column, &rowSpan, &columnSpan);
            return column;
        };
        QTRY_COMPARE(columnOfSecond(), 0);

        w.resize(1600, 1000);
        QTRY_VERIFY2(navigator->width() >= MainWindow::kNavigatorWidth - 2,
            qPrintable(QString::number(navigator->width())));
        QTRY_VERIFY2(details->width() >= MainWindow::kDetailsWidth - 2, qPrintable(QString::number(details->width())));
        QTRY_COMPARE(columnOfSecond(), 1);
        // A long summary in the Compare tab wraps rather than widening the window.
        w.resize(1024, 700);
        QTRY_COMPARE(w.width(), 1024);
    }

    void artifactsFolderWithoutAFileManagerIsSaid()
    {
        // "Open artifacts folder" did nothing visible where no file manager
        // exists: the window says so, with the folder's path to copy.
        const QString store = dir_.filePath(QStringLiteral("artifacts.db"));
        const QString file = dir_.filePath(QStringLiteral("weights.bin"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("0123456789");
        }
        auto run = Run::start(store.toStdString(), quiet("with-artifact"));
        QVERIFY(run.logArtifact(file.toStdString()));
        run.finish();
        MainWindow w;
        w.openStores({store});
        wait(w);
        w.selectRuns({rowOf(w, "with-artifact")});
        auto* details = w.detailsView();
        QStringList opened;
        details->setFolderOpener([&](const QUrl& url) {
            opened << url.toLocalFile();
            return false; // as QDesktopServices answers without a file manager
        });
        details->openArtifactsFolder();
        QCOMPARE(opened.size(), 1);
        QVERIFY(QFileInfo(opened.front()).isDir());
        QVERIFY2(details->artifactsNote().contains(QStringLiteral("No file manager")), qPrintable(details->artifactsNote()));
        QVERIFY(details->artifactsNote().contains(QDir::toNativeSeparators(opened.front())));
        for (auto* button : details->findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("Copy Path"))
                button->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), QDir::toNativeSeparators(opened.front()));
        // A file manager that opens it: nothing more to say.
        details->setFolderOpener([](const QUrl&) { return true; });
        details->openArtifactsFolder();
        QVERIFY(details->artifactsNote().isEmpty());
    }

    void aRunWithoutMetricsKeepsThePanelsAndSaysSo()
    {
        // Selecting a run that logged no metrics squeezed the Metrics/Runs
        // panel to a few pixels; it keeps its width and the view says why
        // nothing is drawn.
        const QString store = dir_.filePath(QStringLiteral("no-metrics.db"));
        Run::start(store.toStdString(), quiet("params-only")).finish();
        {
            auto run = Run::start(store.toStdString(), quiet("with-loss"));
            for (int s = 0; s < 10; ++s)
                run.logMetric("loss", 1.0 / (s + 1), s);
            run.finish();
        }
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        w.openStores({store});
        wait(w);
        // Under a loaded CI machine the first layout pass can come after the
        // load finished; wait for it rather than read a width not set yet.
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* side = w.curvesView()->findChild<QListWidget*>(QStringLiteral("runLegend"))->parentWidget();
        QTRY_VERIFY2(side->width() > 100, qPrintable(QString::number(side->width())));
        const int before = side->width();
        w.selectRuns({rowOf(w, "params-only")});
        QTest::qWait(100); // let any deferred relayout happen before judging it
        QVERIFY2(side->width() >= before - 2, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(side->width())));
        QVERIFY(curvesSay(w, QStringLiteral("No metrics logged by these runs")));
    }

    void theNavigatorSaysWhichToolWroteEachStore()
    {
        // Stores from colleagues: a Runlens file and an MLflow folder side by
        // side, each named with the tool that wrote it.
        const QString ours = dir_.filePath(QStringLiteral("kinds.db"));
        Run::start(ours.toStdString(), quiet("k")).finish();
        const QString mlflow = QStringLiteral(RUNLENS_SHARED_FIXTURES) + QStringLiteral("/mlflow-filestore-v1");
        if (!QFileInfo(mlflow).isDir())
            QFAIL(test::kMissingFixtures);
        MainWindow w;
        w.openStores({ours, mlflow});
        wait(w);
        QStringList names;
        for (int i = 0; i < w.navigator()->topLevelItemCount(); ++i)
            names << w.navigator()->topLevelItem(i)->text(0);
        QVERIFY2(names.contains(QStringLiteral("kinds.db · Runlens")), qPrintable(names.join(QLatin1Char('|'))));
        QVERIFY2(names.filter(QStringLiteral(" · MLflow")).size() == 1, qPrintable(names.join(QLatin1Char('|'))));
        QCOMPARE(storeFormatTitle(QStringLiteral("wandb")), QStringLiteral("W&B"));
        QCOMPARE(storeFormatTitle(QStringLiteral("no-such-kind")), QStringLiteral("no-such-kind"));
    }

    void theAppIconResourceIsThere()
    {
        // The icon sits in a static library, whose resources register only
        // when named (main() does the same); without that the window had none.
        Q_INIT_RESOURCE(runlens);
        QVERIFY(QFile::exists(QStringLiteral(":/runlens/runlens.svg")));
        QVERIFY(!QIcon(QStringLiteral(":/runlens/runlens.svg")).pixmap(32, 32).isNull());
    }

    void ctrlTabSwitchesViewsFromAnywhere()
    {
        MainWindow w;
        w.show();
        w.openStores({store_});
        wait(w);
        auto* tabs = w.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(0);
        w.tableView()->setFocus();
        QTest::keyClick(w.tableView(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 1);
        QTest::keyClick(w.tableView(), Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 2);
        QTest::keyClick(w.tableView(), Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 1);
        QTest::keyClick(w.tableView(), Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(tabs->currentIndex(), 0);
        QTest::keyClick(w.tableView(), Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(tabs->currentIndex(), tabs->count() - 1); // round the end
    }

    void aRefreshNeverBlanksTheCurves()
    {
        // A live run's series is dropped on refresh to load again; until it
        // is back the chart keeps drawing what it had, never an empty chart.
        const QString live = dir_.filePath(QStringLiteral("no-blank.db"));
        {
            auto done = Run::start(live.toStdString(), quiet("done"));
            for (int i = 0; i < 100; ++i)
                done.logMetric("loss", 1.0 / (i + 1), i);
            done.finish();
        }
        auto running = Run::start(live.toStdString(), quiet("running"));
        for (int i = 0; i < 100; ++i)
            running.logMetric("loss", 2.0 / (i + 1), i);
        running.flush();
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        w.openStores({live});
        wait(w);
        w.curvesView()->setMetrics({QStringLiteral("loss")});
        auto seriesShown = [&] {
            int n = 0;
            for (auto* plot : w.curvesView()->findChildren<CurvePlot*>())
                n += int(plot->series().size());
            return n;
        };
        QTRY_COMPARE_WITH_TIMEOUT(seriesShown(), 2, 5000);
        std::optional<int> duringRefresh;
        // Connected after the window's own: runs once the views have taken the new table.
        connect(&w.workspace(), &Workspace::runsChanged, this, [&] {
            if (!duringRefresh)
                duringRefresh = seriesShown();
        });
        for (int i = 100; i < 200; ++i)
            running.logMetric("loss", 2.0 / (i + 1), i);
        running.flush();
        w.workspace().refresh(true);
        QTRY_VERIFY_WITH_TIMEOUT(duringRefresh.has_value(), 5000);
        QCOMPARE(*duringRefresh, 2);
        QTRY_COMPARE_WITH_TIMEOUT(seriesShown(), 2, 5000);
        // The running run's curve grew with its points (its cached series
        // was dropped and loaded again); the finished run's stayed.
        auto pointsOf = [&](const char* name) -> size_t {
            const QString id = w.workspace().runs()->id(rowOf(w, name));
            for (auto* plot : w.curvesView()->findChildren<CurvePlot*>())
                for (const auto& s : plot->series())
                    if (s.runId == id && s.raw)
                        return s.raw->size();
            return 0;
        };
        QTRY_COMPARE_WITH_TIMEOUT(pointsOf("running"), size_t(200), 5000);
        QCOMPARE(pointsOf("done"), size_t(100));
        running.finish();
    }

    void baselinesGiveDeltaColumnsAndPersist()
    {
        const QString path = dir_.filePath(QStringLiteral("baseline.db"));
        for (const char* name : {"base", "better"}) {
            auto run = Run::start(path.toStdString(), quiet(name));
            run.logMetric("auc", std::string_view(name) == "base" ? 0.8 : 0.85, 0);
            run.finish();
        }
        {
            MainWindow w;
            w.openStores({path});
            wait(w);
            QVERIFY(w.tableModel()->columnOf(QStringLiteral("delta.auc")) < 0);   // no baseline yet
            QVERIFY(w.workspace().setBaseline(rowOf(w, "base")));
            const int col = w.tableModel()->columnOf(QStringLiteral("delta.auc"));
            QVERIFY(col > 0);
            const QModelIndex better = w.tableModel()->indexOfTableRow(rowOf(w, "better"), col);
            QVERIFY(better.data().toString().startsWith(QStringLiteral("+0.05")));
            QCOMPARE(w.tableModel()->indexOfTableRow(rowOf(w, "base"), col).data().toString(), QStringLiteral("baseline"));
        }
        // Kept in our own store: a new window (and any copy of the file) knows it.
        MainWindow again;
        again.openStores({path});
        wait(again);
        QCOMPARE(again.workspace().baselineRowFor(rowOf(again, "better")), rowOf(again, "base"));
    }

    void aBaselineSetWhileALoggerHoldsTheStoreDoesNotFreezeTheWindow()
    {
        // A logger holds the store's write lock: marking a baseline waited
        // for it on the GUI thread (up to the 10 s busy timeout). It shows
        // at once, is kept once the lock is free, and says it is saving.
        const QString path = dir_.filePath(QStringLiteral("held.db"));
        for (const char* name : {"base", "other"}) {
            auto run = Run::start(path.toStdString(), quiet(name));
            run.logMetric("auc", 0.5, 0);
            run.finish();
        }
        MainWindow w;
        w.openStores({path});
        wait(w);
        QSignalSpy saving(&w.workspace(), &Workspace::baselineSaving);
        {
            SqliteDb lock(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            lock.exec("BEGIN IMMEDIATE");
            QElapsedTimer clock;
            clock.start();
            QVERIFY(w.workspace().setBaseline(rowOf(w, "base")));
            QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
            QCOMPARE(w.workspace().baselineRowFor(rowOf(w, "other")), rowOf(w, "base")); // shown at once
            QCOMPARE(saving.count(), 1);
            QCOMPARE(saving.first().first().toBool(), true);
            QTest::qWait(500); // the window keeps running meanwhile
            lock.exec("COMMIT");
        }
        QTRY_VERIFY_WITH_TIMEOUT(!saving.isEmpty() && !saving.last().first().toBool(), 10000);
        MainWindow again;
        again.openStores({path});
        wait(again);
        QCOMPARE(again.workspace().baselineRowFor(rowOf(again, "other")), rowOf(again, "base"));
    }

    void foreignBaselinesStayOutOfTheirStores()
    {
        const QString root = dir_.filePath(QStringLiteral("foreign/mlruns"));
        const auto put = test::writeFile;
        put(root + QStringLiteral("/0/meta.yaml"), "experiment_id: '0'\nname: Default\n");
        put(root + QStringLiteral("/0/r1/meta.yaml"), "run_id: r1\nrun_name: one\nstatus: 3\n");
        put(root + QStringLiteral("/0/r2/meta.yaml"), "run_id: r2\nrun_name: two\nstatus: 3\n");
        put(root + QStringLiteral("/0/r1/metrics/acc"), "1 0.5 0\n");
        put(root + QStringLiteral("/0/r2/metrics/acc"), "1 0.75 0\n");
        const auto before = test::fileHash(root + QStringLiteral("/0/r1/meta.yaml"));
        {
            MainWindow w;
            w.openStores({root});
            wait(w);
            QVERIFY(w.workspace().setBaseline(rowOf(w, "one")));
            const int col = w.tableModel()->columnOf(QStringLiteral("delta.acc"));
            QCOMPARE(w.tableModel()->indexOfTableRow(rowOf(w, "two"), col).data().toString(), QStringLiteral("+0.25"));
        }
        MainWindow again;
        again.openStores({root});
        wait(again);
        QCOMPARE(again.workspace().baselineRowFor(rowOf(again, "two")), rowOf(again, "one"));
        QCOMPARE(test::fileHash(root + QStringLiteral("/0/r1/meta.yaml")), before);
        QCOMPARE(QDir(root).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size(), 1);   // nothing added
    }

    void unreadableStoreIsReportedNotFatal()
    {
        MainWindow w;
        QString failure;
        connect(&w.workspace(), &Workspace::storeFailed, this, [&](const QString&, const QString& m) { failure = m; });
        QFile junk(dir_.filePath(QStringLiteral("junk.db")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("definitely not sqlite");
        junk.close();
        // The window shows a message box for this; here the signal is enough.
        w.workspace().open({junk.fileName()});
        w.workspace().waitForIdle();
        QTRY_VERIFY(!failure.isEmpty());
        QVERIFY(failure.contains(QStringLiteral("not a SQLite database")));
        QCOMPARE(w.workspace().storeCount(), 0);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
