// SPDX-License-Identifier: GPL-3.0-or-later
// Chart conveniences the anchors share (#22 item 6): ignoring outliers when
// scaling y (on by default for loss-like metrics, a mark where a point is
// clipped) and, zoomed in, each run's statistics over the range in view.
#include "curve_plot.h"
#include "curves_view.h"
#include "window_test_support.h"

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
        if (const QString artifacts = QString::fromLocal8Bit(qgetenv("REPORT_ARTIFACTS")); !artifacts.isEmpty()) {
            QDir().mkpath(artifacts);
            QCoreApplication::processEvents();
            w.grab().save(artifacts + QStringLiteral("/curve-conveniences.png"));
        }
        // Back to the whole run: the table goes.
        emit loss->viewReset();
        QVERIFY(stats->isHidden());
    }
};

QTEST_MAIN(TestCurveConveniences)
#include "test_curve_conveniences.moc"
