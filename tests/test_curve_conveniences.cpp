// SPDX-License-Identifier: GPL-3.0-or-later
// Chart conveniences the anchors share (#22 item 6): ignoring outliers when
// scaling y (on by default for loss-like metrics, a mark where a point is
// clipped), zoomed in, each run's statistics over the range in view, and
// saved views kept with the store and listed in the navigator.
#include "curve_plot.h"
#include "curves_view.h"
#include "navigator_view.h"
#include "query_bar.h"
#include "run_table_model.h"
#include "run_table_view.h"
#include "saved_view.h"
#include "store_entries.h"
#include "window_test_support.h"

#include <QLineEdit>
#include <QListWidget>
#include <QTableWidget>
#include <QtTest>

#include <cmath>
#include <numeric>

using namespace runlens;
using namespace runlens::test;
using namespace runlens::ui;

class TestCurveConveniences : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        isolateSettings(dir_);
        store_ = dir_.filePath(QStringLiteral("runs.runlens"));
        for (int i = 0; i < 6; ++i) {
            auto run = Run::start(store_.toStdString(), testRun("run-" + std::to_string(i)));
            for (int step = 0; step < 300; ++step) {
                // A loss whose first steps are 50x the rest, and an accuracy.
                run.logMetric("train_loss", step < 5 ? 50.0 : 1.0 - 0.001 * step + 0.01 * i, step);
                run.logMetric("val_acc", 0.5 + 0.001 * step + 0.01 * i, step);
            }
            run.finish();
        }
    }

    void outliersLeaveTheScaleWithAMark()
    {
        std::vector<double> xs(200), ys(200);
        std::iota(xs.begin(), xs.end(), 0.0);
        for (size_t i = 0; i < ys.size(); ++i)
            ys[i] = 1.0 + 0.001 * double(i);
        ys[50] = 100;   // one spike
        ys[120] = -80;  // and one dip
        CurvePlot plot;
        plot.resize(600, 300);
        CurveSeries s;
        s.runId = QStringLiteral("r");
        s.color = Qt::blue;
        s.raw = std::make_shared<const PlotSeries>(xs, ys);
        plot.setSeries({s});
        plot.grab();
        QVERIFY(plot.yRange().second >= 100);
        QCOMPARE(plot.lastClipMarks(), 0);

        plot.setIgnoreOutliers(true);
        plot.grab();
        const auto [lo, hi] = plot.yRange();
        QVERIFY2(hi < 2 && lo > 0, qPrintable(QStringLiteral("%1 .. %2").arg(lo).arg(hi)));
        // The spike and the dip each leave a mark on their edge; the slope's
        // own ends stay in range.
        QCOMPARE(plot.lastClipMarks(), 2);
        QVERIFY(lo <= 1.0 && hi >= 1.199);
        plot.setIgnoreOutliers(false);
        plot.grab();
        QCOMPARE(plot.lastClipMarks(), 0);
    }

    // A metric logged once, or twice at one step with one value, is a
    // marker, not a line of no length that draws nothing.
    void aPointLoggedTwiceAtOneStepIsSeen()
    {
        for (const std::vector<double>& xs : {std::vector<double>{0}, std::vector<double>{0, 0}, std::vector<double>{3, 3, 3}}) {
            CurvePlot plot;
            plot.resize(400, 240);
            CurveSeries s;
            s.runId = QStringLiteral("r");
            s.color = QColor(200, 0, 200);
            s.raw = std::make_shared<const PlotSeries>(xs, std::vector<double>(xs.size(), 0.0454));
            plot.setSeries({s});
            const QImage image = plot.grab().toImage();
            int coloured = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    coloured += c.red() > 120 && c.blue() > 120 && c.green() < 80 ? 1 : 0;
                }
            QVERIFY2(coloured >= 12, qPrintable(QStringLiteral("%1 points: %2 pixels of the run's colour").arg(xs.size()).arg(coloured)));
        }
    }

    // What the logger's system sampler records (system/...) is there to look at,
    // never charted unasked: last in the metric list, in a closed section.
    void systemMetricsWaitInAClosedSection()
    {
        const QString store = dir_.filePath(QStringLiteral("system.runlens"));
        for (int i = 0; i < 3; ++i) {
            auto run = Run::start(store.toStdString(), testRun("sys-" + std::to_string(i)));
            for (int step = 0; step < 50; ++step) {
                run.logMetric("loss", (1.0 + i) / (step + 1), step); // differs by run: not a constant column
                if (step % 10 == 0) {
                    run.logMetric("system/gpu.0.memory_used_mb", 20000 + 100.0 * step, step / 10);
                    run.logMetric("system/process.rss_mb", 900 + step + i, step / 10);
                }
            }
            run.finish();
        }
        MainWindow w;
        w.resize(1400, 860);
        w.openStores({store});
        settle(w);
        w.selectRuns({0, 1, 2});
        CurvesView& curves = *w.curvesView();
        curves.loadNow();
        QStringList charted;
        for (CurvePlot* p : curves.plots())
            charted << p->title();
        QCOMPARE(charted, QStringList{QStringLiteral("loss")});
        auto* list = curves.findChild<QListWidget*>(QStringLiteral("metricList"));
        QVERIFY(list);
        QCOMPARE(list->count(), 4); // loss, the header, two system metrics
        QCOMPARE(list->item(0)->text(), QStringLiteral("loss"));
        QListWidgetItem* header = list->item(1);
        QVERIFY(header->text().contains(QLatin1String("System")));
        QVERIFY(header->text().contains(QLatin1String("(2)")));
        QVERIFY(!(header->flags() & Qt::ItemIsUserCheckable));
        QVERIFY(list->item(2)->isHidden() && list->item(3)->isHidden());
        emit list->itemClicked(header);
        QVERIFY(!list->item(2)->isHidden() && !list->item(3)->isHidden());
        w.show();
        saveForALook(w, QStringLiteral("curves-system-section.png"));
        list->item(2)->setCheckState(Qt::Checked); // charted on demand
        curves.loadNow();
        QCOMPARE(int(curves.plots().size()), 2);
        emit list->itemClicked(list->item(1)); // closed again; a charted one stays in view
        QCOMPARE(list->item(2)->checkState(), Qt::Checked);
        QVERIFY(!list->item(2)->isHidden());
        QVERIFY(list->item(3)->isHidden());
        curves.findChild<QLineEdit*>(QStringLiteral("metricFilter"))->setText(QStringLiteral("rss")); // a filter reaches into it
        QVERIFY(!list->item(3)->isHidden());

        // In the run table, system columns wait until shown; shown ones are kept as "+KEY".
        auto* table = w.findChild<RunTableView*>();
        QVERIFY(table && table->runModel());
        const int rss = table->runModel()->columnOf(QStringLiteral("metrics.system/process.rss_mb"));
        const int loss = table->runModel()->columnOf(QStringLiteral("metrics.loss"));
        QVERIFY(rss > 0 && loss > 0);
        QVERIFY(table->isColumnHidden(rss));
        QVERIFY(!table->isColumnHidden(loss));
        table->setHiddenColumns({QStringLiteral("+metrics.system/process.rss_mb"), QStringLiteral("metrics.loss")});
        QVERIFY(!table->isColumnHidden(rss));
        QVERIFY(table->isColumnHidden(loss));
        QCOMPARE(table->hiddenColumns(),
                 (QStringList{QStringLiteral("+metrics.system/process.rss_mb"), QStringLiteral("metrics.loss")}));
        // Shown, it holds the peak: the CSV of the shown columns names that field.
        QCOMPARE(table->runModel()->headerData(rss, Qt::Horizontal).toString(),
            QStringLiteral("system/process.rss_mb (peak)"));
        QString csv;
        QTextStream out(&csv);
        w.writeTableCsv(out, false);
        out.flush();
        QVERIFY2(csv.section(QLatin1Char('\n'), 0, 0).contains(QStringLiteral("metrics.system/process.rss_mb.max")),
            qPrintable(csv.section(QLatin1Char('\n'), 0, 0)));
    }

    void lossLikeMetricsStartWithOutliersIgnored()
    {
        MainWindow w;
        w.resize(1400, 860);
        w.openStores({store_});
        settle(w);
        std::vector<int> all(6);
        std::iota(all.begin(), all.end(), 0);
        w.selectRuns(all);
        CurvesView& curves = *w.curvesView();
        curves.setMetrics({QStringLiteral("train_loss"), QStringLiteral("val_acc")});
        curves.loadNow();
        QCOMPARE(int(curves.plots().size()), 2);
        CurvePlot* loss = curves.plots()[0];
        CurvePlot* acc = curves.plots()[1];
        QCOMPARE(loss->title(), QStringLiteral("train_loss"));
        QVERIFY(loss->ignoresOutliers());
        QVERIFY(!acc->ignoresOutliers());
        loss->grab();
        QVERIFY2(loss->yRange().second < 10, qPrintable(QString::number(loss->yRange().second)));
        QVERIFY(loss->lastClipMarks() > 0);
        QVERIFY(loss->yRange().first < 0.701);   // the best (last) values stay in view

        // Zoomed in: a row per run and metric, over the range only.
        QVERIFY(curves.rangeStatistics()->isHidden());
        w.show();
        loss->setXRange(std::pair(100.0, 199.0));
        emit loss->xRangeChanged(100, 199);
        curves.updateRangeStatistics();
        QTableWidget* stats = curves.rangeStatistics();
        QTRY_COMPARE(stats->rowCount(), 12);
        QVERIFY(!stats->isHidden());
        int row = -1;
        for (int r = 0; r < stats->rowCount(); ++r)
            if (stats->item(r, 0)->text() == QLatin1String("val_acc") && stats->item(r, 1)->text() == QLatin1String("run-0"))
                row = r;
        QVERIFY(row >= 0);
        QCOMPARE(stats->item(row, 2)->data(Qt::UserRole).toDouble(), 0.5 + 0.001 * 100);   // min
        QCOMPARE(stats->item(row, 3)->data(Qt::UserRole).toDouble(), 100.0);               // at
        QCOMPARE(stats->item(row, 4)->data(Qt::UserRole).toDouble(), 0.5 + 0.001 * 199);   // max
        QVERIFY(std::abs(stats->item(row, 9)->data(Qt::UserRole).toDouble() - 0.099) < 1e-9);   // last - first
        // Sorted by value, not by text.
        stats->sortItems(4, Qt::DescendingOrder);
        QVERIFY(stats->item(0, 4)->data(Qt::UserRole).toDouble() >= stats->item(1, 4)->data(Qt::UserRole).toDouble());
        saveForALook(w, QStringLiteral("curve-conveniences.png"));
        // Back to the whole run: the table goes.
        emit loss->viewReset();
        QVERIFY(stats->isHidden());
    }

    void savedViewsComeBackFromTheNavigator()
    {
        SavedView kept;
        {
            MainWindow w;
            w.openStores({store_});
            settle(w);
            w.queryBar()->setText(QStringLiteral("metrics.val_acc > 0.8"));
            w.applyQuery(QStringLiteral("metrics.val_acc > 0.8"));
            w.tableView()->setHiddenColumns({QStringLiteral("duration")});
            w.tableModel()->setGroupBy(QStringLiteral("status"));
            CurveSettings c = w.curvesView()->settings();
            c.logY = true;
            c.smoothing = Smoothing::RunningMean;
            c.meanWindow = 7;
            w.curvesView()->setSettings(c);
            w.curvesView()->setMetrics({QStringLiteral("val_acc")});
            w.saveView(QStringLiteral("accurate, log"));
            settle(w);
            const auto entries = readStoreEntries(*w.workspace().store(0).reader, StoreEntryKind::SavedView);
            QCOMPARE(entries.size(), size_t(1));
            auto parsed = SavedView::fromJson(entries[0].value);
            QVERIFY(parsed);
            kept = *parsed;
            QCOMPARE(kept.query, QStringLiteral("metrics.val_acc > 0.8"));
            QCOMPARE(kept.groupBy, QStringLiteral("status"));
            QCOMPARE(kept.metrics, QStringList{QStringLiteral("val_acc")});
            QCOMPARE(kept.tab, QStringLiteral("runlens::ui::CurvesView"));
        }
        // Another window, fresh state: the navigator lists the view; a click applies it.
        MainWindow w;
        w.openStores({store_});
        settle(w);
        QTreeWidgetItem* item = nullptr;
        for (auto* i : w.navigator()->findItems(QStringLiteral("accurate, log"),
                                                                           Qt::MatchExactly | Qt::MatchRecursive))
            item = i;
        QVERIFY(item);
        NavigatorView* nav = w.navigator();
        emit nav->itemClicked(item, 0);
        QCOMPARE(w.queryBar()->text(), QStringLiteral("metrics.val_acc > 0.8"));
        QCOMPARE(w.tableModel()->groupBy(), QStringLiteral("status"));
        QVERIFY(w.tableView()->hiddenColumns().contains(QStringLiteral("duration")));
        QVERIFY(w.curvesView()->settings().logY);
        QCOMPARE(w.curvesView()->settings().smoothing, Smoothing::RunningMean);
        QCOMPARE(w.curvesView()->settings().meanWindow, 7);
        QCOMPARE(w.curvesView()->metrics(), QStringList{QStringLiteral("val_acc")});

        // Something that is not a view: said, nothing changed, no crash.
        QVERIFY(!w.applyView(QStringLiteral("bad"), QStringLiteral("{\"format\": \"runlens-view 1\", \"hidden\": 7")));
        QVERIFY(!w.applyView(QStringLiteral("bad"), QStringLiteral("[1, 2]")));
        QCOMPARE(w.tableModel()->groupBy(), QStringLiteral("status"));
        // Bad settings values fall back to the defaults, within range.
        const CurveSettings odd = curveSettingsFromMap({{QStringLiteral("axis"), 99}, {QStringLiteral("meanWindow"), -5},
                                                        {QStringLiteral("smoothing"), QStringLiteral("x")}});
        QCOMPARE(odd.axis, XAxis::Step);
        QCOMPARE(odd.meanWindow, 1);
        QCOMPARE(odd.smoothing, CurveSettings{}.smoothing);
    }
};

QTEST_MAIN(TestCurveConveniences)
#include "test_curve_conveniences.moc"
