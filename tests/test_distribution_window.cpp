// SPDX-License-Identifier: GPL-3.0-or-later
// The Distributions tab in the window, over a sweep with seeds: box plots of
// the metric per lr value (a group each, in numeric order, the seed never a
// choice), each run a dot with its name and seed on hover, a click on a dot
// selecting its run; Welch's test between the best two groups, then between
// groups chosen by clicking their labels, the same numbers as the Seeds
// view's test; the heat map of lr by optimizer with the combination the
// sweep skipped hatched, "no runs", not filled in. Screenshots go to the
// build's test-artifacts folder.
#include "distribution_view.h"
#include "seed_statistics.h"
#include "main_window.h"
#include "run_table_view.h"
#include "test_support.h"
#include "window_test_support.h"
#include "workspace.h"

#include <QComboBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace runlens;
using namespace runlens::ui;
using namespace runlens::test;

namespace {

const QString kLongKey = QStringLiteral("model.encoder.transformer_block.attention_dropout_probability");
const double kLrs[] = {1e-4, 3e-4, 1e-3, 3e-3};

} // namespace

class TestDistributionWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        isolateSettings(dir_);
        store_ = dir_.filePath(QStringLiteral("sweep.db"));
        // lr x optimizer x dropout x 3 seeds, with lr = 3e-3 never run with
        // sgd: 42 runs. val/auc rises with lr, adam adds; one run crashed
        // before logging it.
        int n = 0;
        for (double lr : kLrs)
            for (const char* opt : {"adam", "sgd"}) {
                if (lr == 3e-3 && QLatin1String(opt) == QLatin1String("sgd"))
                    continue;
                for (double dropout : {0.1, 0.3})
                    for (int seed : {1, 2, 3}) {
                        auto run = Run::start(store_.toStdString(),
                                              testRun("trial-with-a-rather-long-name-" + std::to_string(n++)));
                        run.logParam("lr", lr);
                        run.logParam("optimizer", opt);
                        run.logParam(kLongKey.toStdString(), dropout);
                        run.logParam("seed", int64_t(seed));
                        const double auc = 0.6 + 0.05 * std::log10(lr / 1e-4)
                            + (QLatin1String(opt) == QLatin1String("adam") ? 0.04 : 0.0) + 0.004 * seed + dropout * 0.01;
                        if (n != 7)
                            run.logMetric("val/auc", auc, 0);
                        run.finish();
                    }
            }
    }

    void boxPlotsWelchAndHeatMap()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.openStores({store_});
        w.workspace().waitForIdle();
        QCoreApplication::processEvents();
        DistributionView& v = *w.distributionView();
        QTabWidget* tabs = nullptr;
        for (QWidget* p = &v; p && !tabs; p = p->parentWidget())
            tabs = qobject_cast<QTabWidget*>(p);
        QVERIFY(tabs);
        QCOMPARE(tabs->tabText(tabs->indexOf(&v)), QStringLiteral("Distributions"));
        tabs->setCurrentWidget(&v);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCoreApplication::processEvents();
        QTRY_VERIFY(!v.computing());   // grouped on a pool thread

        QCOMPARE(v.metric(), QStringLiteral("val/auc"));
        // The seed is no choice; the rest in natural order.
        auto* paramBox = v.findChildren<QComboBox*>().at(1);
        QCOMPARE(paramBox->count(), 3);
        QCOMPARE(paramBox->findText(QStringLiteral("seed")), -1);
        v.setParam(QStringLiteral("lr"));
        QTRY_VERIFY(!v.computing());
        const ParamDistribution& d = v.distribution();
        QCOMPARE(d.param, QStringLiteral("lr"));
        QCOMPARE(d.runs, 41);
        QCOMPARE(d.leftOut, 1);
        QCOMPARE(int(d.groups.size()), 4);
        const QStringList ascending = {QStringLiteral("100e-6"), QStringLiteral("300e-6"), QStringLiteral("0.001"),
                                       QStringLiteral("0.003")};
        for (int g = 0; g < 4; ++g)
            QCOMPARE(d.groups[size_t(g)].label, ascending[g]);
        QCOMPARE(d.groups[3].box.n, 6);   // lr = 3e-3 ran with adam only
        QVERIFY(v.summary().contains(QStringLiteral("4 groups")));

        // Welch's test between the best two groups by default (highest AUC: lr 3e-3 and 1e-3).
        const WelchTest expected = welchTTest(d.groups[3].stats, d.groups[2].stats);
        QVERIFY2(v.comparison().startsWith(QStringLiteral("Welch's t-test between A and B")), qPrintable(v.comparison()));
        QVERIFY2(v.comparison().contains(welchText(expected)), qPrintable(v.comparison()));

        // Click a label: A; Shift+click another: B.
        BoxPlotWidget& box = *v.boxPlot();
        const auto labelAt = [&](int g) {
            for (int y = box.height() - 1; y > 0; --y)
                for (int x = 0; x < box.width(); x += 4)
                    if (box.groupAtLabel(QPointF(x, y)) == g)
                        return QPoint(x + 2, y - 4);
            return QPoint();
        };
        QTest::mouseClick(&box, Qt::LeftButton, {}, labelAt(0));
        QTest::mouseClick(&box, Qt::LeftButton, Qt::ShiftModifier, labelAt(1));
        const WelchTest chosen = welchTTest(sampleStats(metricValues(*w.workspace().runs(), [&] {
                                                std::vector<int> rows;
                                                for (const auto& p : d.groups[0].points)
                                                    rows.push_back(p.row);
                                                return rows;
                                            }(), QStringLiteral("val/auc"))),
                                            d.groups[1].stats);
        QVERIFY2(v.comparison().contains(welchText(chosen)), qPrintable(v.comparison()));
        QVERIFY(v.comparison().contains(QStringLiteral("difference of means A − B")));
        saveForALook(v, QStringLiteral("distributions-box.png"));

        // A dot: its run's name and seed on hover; a click selects the run.
        const DistributionPoint& pt = d.groups[2].points.front();
        const auto at = box.pointOf(pt.row);
        QVERIFY(at);
        const QString tip = box.toolTipAt(*at);
        QVERIFY2(tip.contains(w.workspace().runs()->name(pt.row)), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("seed = ")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("one of 3 runs of its config")), qPrintable(tip));
        QCOMPARE(box.rowAt(*at), pt.row);
        QTest::mouseMove(&box, at->toPoint());
        QTRY_COMPARE(box.toolTip(), tip);   // what Qt shows where the pointer rests
        QTest::mouseClick(&box, Qt::LeftButton, {}, at->toPoint());
        QCoreApplication::processEvents();
        QCOMPARE(w.tableView()->selectedTableRows(), std::vector<int>{pt.row});

        // The heat map: lr by optimizer; the skipped combination is empty and says so.
        v.setSecondParam(QStringLiteral("optimizer"));
        v.setMode(DistributionView::Mode::HeatMap);
        QTRY_VERIFY(!v.computing());
        const ParamHeatMap& h = v.heatMap();
        QCOMPARE(int(h.x.size()), 4);
        QCOMPARE(int(h.y.size()), 2);
        QCOMPARE(h.emptyCells, 1);
        QCOMPARE(h.at(3, 1).n, 0);
        QCOMPARE(h.at(3, 0).n, 6);
        HeatMapWidget& heat = *v.heatMapWidget();
        QVERIFY2(heat.toolTipAt(heat.cellRect(3, 1).center()).contains(QStringLiteral("no runs")),
                 qPrintable(heat.toolTipAt(heat.cellRect(3, 1).center())));
        QVERIFY(heat.toolTipAt(heat.cellRect(0, 0).center()).contains(QStringLiteral("over 6 run(s)")));
        QVERIFY(v.summary().contains(QStringLiteral("1 without runs")));
        saveForALook(v, QStringLiteral("distributions-heat.png"));
        // A click on a cell selects its runs.
        QTest::mouseClick(&heat, Qt::LeftButton, {}, heat.cellRect(3, 0).center().toPoint());
        QCoreApplication::processEvents();
        QCOMPARE(w.tableView()->selectedTableRows().size(), size_t(6));
    }
};

QTEST_MAIN(TestDistributionWindow)
#include "test_distribution_window.moc"
