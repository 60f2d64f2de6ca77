// SPDX-License-Identifier: GPL-3.0-or-later
// Parallel coordinates: axis mapping (linear, log, categorical, flipped,
// missing) and brushing that keeps exactly the runs inside every range.
#include "parallel_axes.h"
#include "line_rasterizer.h"
#include "parallel_coordinates_view.h"
#include "scatter_view.h"

#include <QtTest>

using namespace runlens;

class TestParallelAxes : public QObject {
    Q_OBJECT

    std::shared_ptr<RunTable> table_ = std::make_shared<RunTable>();
    std::vector<int> rows_;

private slots:
    void initTestCase()
    {
        // lr over four decades, an optimizer, an auc; run 4 lacks the auc.
        const double lrs[] = {1e-4, 1e-3, 1e-2, 1e-1, 1e-2};
        const char* opts[] = {"sgd", "adam", "adamw", "sgd", "a very long optimizer name that goes on"};
        const double aucs[] = {0.5, 0.6, 0.7, 0.9, NAN};
        for (int i = 0; i < 5; ++i) {
            const int r = table_->addRun(QStringLiteral("id%1").arg(i), QStringLiteral("r%1").arg(i), QStringLiteral("e"),
                                         RunStatus::Finished, i, i + 1);
            table_->setParam(r, QStringLiteral("lr"), QString::number(lrs[i]), lrs[i]);
            table_->setParam(r, QStringLiteral("optimizer"), QString::fromLatin1(opts[i]), std::nullopt);
            table_->setParam(r, QStringLiteral("epochs"), QStringLiteral("10"), 10.0);
            if (!std::isnan(aucs[i]))
                table_->setMetric(r, QStringLiteral("auc"), aucs[i], aucs[i], aucs[i], 1, 0);
            rows_.push_back(r);
        }
        table_->sortColumns();
    }

    void defaultAxesAreVaryingParamsThenTheSortMetric()
    {
        QCOMPARE(ParallelAxes::defaultKeys(*table_, rows_, QStringLiteral("auc")),
                 (QStringList{QStringLiteral("params.lr"), QStringLiteral("params.optimizer"), QStringLiteral("metrics.auc")}));
    }

    void withoutASortMetricTheFirstMetricIsNotASystemOne()
    {
        RunTable t;
        for (int i = 0; i < 3; ++i) {
            const int r = t.addRun(QString::number(i), QString::number(i), QStringLiteral("e"), RunStatus::Finished, 0, 1);
            t.setParam(r, QStringLiteral("lr"), QString::number(i), double(i));
            t.setMetric(r, QStringLiteral("system/cpu_percent"), 50, 50, 50, 1, 0); // first in key order
            t.setMetric(r, QStringLiteral("val_auc"), 0.9, 0.9, 0.9, 1, 0);
        }
        t.sortColumns();
        QCOMPARE(ParallelAxes::defaultKeys(t, {0, 1, 2}, QString()),
                 (QStringList{QStringLiteral("params.lr"), QStringLiteral("metrics.val_auc")}));
        RunTable only;
        const int r = only.addRun(QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        only.setMetric(r, QStringLiteral("system/cpu_percent"), 50, 50, 50, 1, 0);
        QCOMPARE(ParallelAxes::defaultKeys(only, {0}, QString()), QStringList{QStringLiteral("metrics.system/cpu_percent")});
    }

    void severalStoresGetAFewSharedAxesNotNinety()
    {
        // Three stores side by side: 90 params, each on a third of the runs,
        // and three on every run. The default axes are capped, the shared
        // ones first; constant params stay out; the count of those that vary
        // is said.
        RunTable table;
        std::vector<int> rows;
        for (int i = 0; i < 30; ++i) {
            const int r = table.addRun(QStringLiteral("id%1").arg(i), QStringLiteral("r%1").arg(i),
                QStringLiteral("e"), RunStatus::Finished, i, i + 1);
            for (const char* shared : {"lr", "seed", "zz_batch"})
                table.setParam(r, QString::fromLatin1(shared), QString::number(i), double(i));
            table.setParam(r, QStringLiteral("constant"), QStringLiteral("1"), 1.0);
            for (int p = 0; p < 30; ++p) {
                const QString key = QStringLiteral("store%1_p%2").arg(i % 3).arg(p, 2, 10, QLatin1Char('0'));
                table.setParam(r, key, QString::number(i), double(i));
            }
            table.setMetric(r, QStringLiteral("acc"), 0.99, 0.99, 0.99, 1, 0);
            rows.push_back(r);
        }
        table.sortColumns();
        int varying = 0;
        const QStringList keys = ParallelAxes::defaultKeys(table, rows, QStringLiteral("acc"), 12, &varying);
        QCOMPARE(varying, 93);
        QCOMPARE(keys.size(), 13);
        QVERIFY(keys.contains(QStringLiteral("params.lr")));
        QVERIFY(keys.contains(QStringLiteral("params.zz_batch")));
        QVERIFY(!keys.contains(QStringLiteral("params.constant")));
        QCOMPARE(keys.back(), QStringLiteral("metrics.acc"));

        // Every run has acc 0.99: the view says so rather than drawing a
        // scale from 0.99 to 0.99. The user adds an axis and picks the colour.
        auto shared = std::make_shared<RunTable>(table);
        ui::ParallelCoordinatesView view;
        view.resize(900, 400);
        view.setRuns(shared, rows, QStringLiteral("acc"));
        QCOMPARE(int(view.axes().axes().size()), 13);
        QVERIFY(view.colourIsConstant());
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        view.render(&image);
        QVERIFY(view.axisChoices().contains(QStringLiteral("params.store2_p29")));
        QVERIFY(!view.axisChoices().contains(QStringLiteral("params.lr")));
        view.addAxis(QStringLiteral("params.store2_p29"));
        QCOMPARE(view.axes().axes()[12].key, QStringLiteral("params.store2_p29"));
        QCOMPARE(view.axes().axes().back().key, QStringLiteral("metrics.acc"));
        view.colourBy(QStringLiteral("acc"));
        QCOMPARE(int(view.axes().axes().size()), 14);
        // Kept across a refresh of the same table: the layout is the user's now.
        view.setRuns(shared, rows, QStringLiteral("acc"));
        QCOMPARE(int(view.axes().axes().size()), 14);
    }

    void colourByAnotherMetricReplacesTheColourAxis()
    {
        ui::ParallelCoordinatesView view;
        view.resize(900, 400);
        auto table = std::make_shared<RunTable>(*table_);
        const int r = 0;
        table->setMetric(r, QStringLiteral("loss"), 0.3, 0.3, 0.3, 1, 0);
        table->setMetric(1, QStringLiteral("loss"), 0.1, 0.1, 0.1, 1, 0);
        table->sortColumns();
        view.setRuns(table, rows_, QStringLiteral("auc"));
        QVERIFY(!view.colourIsConstant());
        view.colourBy(QStringLiteral("loss"));
        QStringList keys;
        for (const auto& a : view.axes().axes())
            keys << a.key;
        QCOMPARE(keys, (QStringList{QStringLiteral("params.lr"), QStringLiteral("params.optimizer"), QStringLiteral("metrics.loss")}));
    }

    void mapsLogCategoricalAndMissing()
    {
        ParallelAxes axes;
        axes.build(*table_, rows_, {QStringLiteral("params.lr"), QStringLiteral("params.optimizer"), QStringLiteral("metrics.auc")});
        const auto& lr = axes.axes()[0];
        QVERIFY(!lr.categorical);
        QVERIFY(lr.log);   // three decades or more: log by default
        QCOMPARE(axes.fraction(0, 0), 0.0);
        QVERIFY(std::abs(axes.fraction(0, 1) - 1.0 / 3) < 1e-12);   // evenly spaced decades
        QCOMPARE(axes.fraction(0, 3), 1.0);
        axes.setLog(0, false);
        QVERIFY(std::abs(axes.fraction(0, 2) - (1e-2 - 1e-4) / (1e-1 - 1e-4)) < 1e-12);
        QCOMPARE(axes.labelAt(0, 1.0), QStringLiteral("0.1"));
        const auto& opt = axes.axes()[1];
        QVERIFY(opt.categorical);
        QCOMPARE(opt.categories.size(), 4);   // distinct, in natural order
        QCOMPARE(opt.categories.first(), QStringLiteral("a very long optimizer name that goes on"));
        QCOMPARE(axes.fraction(1, 0), axes.fraction(1, 3));   // both sgd
        QCOMPARE(axes.fraction(1, 0), 1.0);
        QCOMPARE(axes.labelAt(1, 1.0), QStringLiteral("sgd"));
        QCOMPARE(axes.fraction(2, 4), ParallelAxes::kMissing);
        axes.setFlipped(2, true);
        QCOMPARE(axes.fraction(2, 0), 1.0);   // the lowest auc now at the top
        QCOMPARE(axes.labelAt(2, 1.0), QStringLiteral("0.5"));
    }

    void brushingKeepsExactlyTheRunsInside()
    {
        ParallelAxes axes;
        axes.build(*table_, rows_, {QStringLiteral("params.lr"), QStringLiteral("params.optimizer"), QStringLiteral("metrics.auc")});
        QCOMPARE(axes.brushed(), rows_);
        // auc in [0.6, 0.9]: fractions (0.6-0.5)/0.4 = 0.25 .. 1.0.
        axes.setBrush(2, std::pair(1.0, 0.25));   // given upside down: normalised
        QCOMPARE(axes.brushed(), (std::vector<int>{1, 2, 3}));   // run 4 has no auc: never brushed in
        // And lr >= 1e-2 on the log axis: fraction 2/3 .. 1.
        axes.setBrush(0, std::pair(2.0 / 3 - 1e-9, 1.0));
        QCOMPARE(axes.brushed(), (std::vector<int>{2, 3}));
        // A brush on a flipped axis keeps selecting the same runs.
        axes.setFlipped(2, true);
        QCOMPARE(axes.brushed(), (std::vector<int>{2, 3}));
        axes.moveAxis(2, 0);
        QCOMPARE(axes.axes()[0].key, QStringLiteral("metrics.auc"));
        QCOMPARE(axes.brushed(), (std::vector<int>{2, 3}));
        axes.clearBrushes();
        QCOMPARE(axes.brushed().size(), size_t(5));
    }

    void scatterPlotsRunsWithBothValues()
    {
        ui::ScatterView view;
        view.resize(600, 400);
        view.setRuns(table_, rows_, QStringLiteral("auc"));
        view.setAxes(QStringLiteral("params.lr"), QStringLiteral("auc"));
        QCOMPARE(view.pointCount(), 4);   // run 4 has no auc
        view.setRuns(table_, {0, 1}, QStringLiteral("auc"));
        QCOMPARE(view.pointCount(), 2);
    }

    void manyRunsDrawOffTheGuiThread()
    {
        auto big = std::make_shared<RunTable>();
        std::vector<int> rows;
        for (int i = 0; i < 3000; ++i) {
            const int r = big->addRun(QString::number(i), QString::number(i), QStringLiteral("e"), RunStatus::Finished, i, i + 1);
            big->setParam(r, QStringLiteral("x"), QString::number(i % 17), double(i % 17));
            big->setMetric(r, QStringLiteral("y"), i * 0.001, 0, 1, 1, 0);
            rows.push_back(r);
        }
        big->sortColumns();
        ui::ParallelCoordinatesView view;
        view.resize(800, 400);
        view.setRuns(big, rows, QStringLiteral("y"));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.repaint();   // starts the pool thread; the GUI thread does not wait
        QTRY_COMPARE(view.lastRenderedLines(), 3000);
    }

    void rasterizerDrawsConnectedLinesInsideTheImage()
    {
        QImage image(40, 30, QImage::Format_ARGB32_Premultiplied);
        auto set = [&](int x, int y) { return image.pixel(x, y) == qRgb(255, 0, 0); };
        auto count = [&] {
            int n = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    n += set(x, y);
            return n;
        };
        ui::LineRasterizer raster(image);
        // Horizontal, vertical, diagonal: exactly their pixels, ends included.
        image.fill(Qt::transparent);
        raster.drawLine({2, 3}, {12, 3}, qRgb(255, 0, 0));
        QCOMPARE(count(), 11);
        QVERIFY(set(2, 3) && set(12, 3));
        image.fill(Qt::transparent);
        raster.drawLine({5, 25}, {5, 1}, qRgb(255, 0, 0));
        QCOMPARE(count(), 25);
        image.fill(Qt::transparent);
        raster.drawLine({0, 0}, {9, 9}, qRgb(255, 0, 0));
        QCOMPARE(count(), 10);
        for (int i = 0; i < 10; ++i)
            QVERIFY(set(i, i));
        // Steep (as parallel coordinates mostly are): one pixel a row, each
        // within a pixel of the last, from one end to the other.
        image.fill(Qt::transparent);
        raster.drawLine({3, 28}, {17, 2}, qRgb(255, 0, 0));
        QCOMPARE(count(), 27);
        QVERIFY(set(3, 28) && set(17, 2));
        int lastX = 3;
        for (int y = 28; y >= 2; --y) {
            int found = -1;
            for (int x = 0; x < image.width(); ++x)
                if (set(x, y))
                    found = x;
            QVERIFY2(found >= 0 && std::abs(found - lastX) <= 1, qPrintable(QStringLiteral("row %1").arg(y)));
            lastX = found;
        }
        // Partly or wholly outside, or not a number: clipped, no crash, no stray pixels.
        image.fill(Qt::transparent);
        raster.drawLine({-100, -50}, {140, 70}, qRgb(255, 0, 0));
        QVERIFY(count() > 20 && count() <= 40);
        // Steep through the whole image: only its rows inside are drawn, one each.
        image.fill(Qt::transparent);
        raster.drawLine({10, -400}, {14, 470}, qRgb(255, 0, 0));
        QCOMPARE(count(), 30);
        for (int y = 0; y < 30; ++y)
            QVERIFY(set(10, y) || set(11, y) || set(12, y) || set(13, y) || set(14, y));
        raster.drawLine({-5, -5}, {-1, 100}, qRgb(255, 0, 0));
        raster.drawLine({1e300, 0}, {-1e300, 10}, qRgb(255, 0, 0));
        raster.drawLine({NAN, 0}, {10, 10}, qRgb(255, 0, 0));
        QVERIFY(count() <= 80);
    }

    void manyRunsDrawTheSameKeptAndGreyLines()
    {
        // Above the antialiased limit the view draws with LineRasterizer: kept
        // runs in colour over the grey rest. One kept run among 600 must show
        // its colour at its axis points, the others only grey.
        auto big = std::make_shared<RunTable>();
        std::vector<int> rows;
        for (int i = 0; i < 600; ++i) {
            const int r = big->addRun(QString::number(i), QString::number(i), QStringLiteral("e"), RunStatus::Finished, i, i + 1);
            big->setParam(r, QStringLiteral("x"), QString::number(i), double(i));
            big->setMetric(r, QStringLiteral("y"), i, 0, 1, 1, 0);
            rows.push_back(r);
        }
        big->sortColumns();
        ui::ParallelCoordinatesView view;
        view.setSynchronous(true);
        view.resize(600, 400);
        view.setRuns(big, rows, QStringLiteral("y"));
        view.setBrush(0, std::pair(0.999, 1.0));   // only the top run, x = 599
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        view.render(&image);
        QCOMPARE(view.axes().brushed().size(), size_t(1));
        // Its line runs along the top between the axes (away from the brush
        // box): the kept run's colour over the grey.
        bool colouredAtTop = false;
        for (int y = 42; y < 52 && !colouredAtTop; ++y)
            for (int x = 200; x < 300; ++x) {
                const QColor c = image.pixelColor(x, y);
                if (c.saturation() > 60)
                    colouredAtTop = true;
            }
        QVERIFY(colouredAtTop);
        // Mid-height the lines are the other 599 runs: grey while brushed out...
        auto colouredInTheMiddle = [&] {
            for (int y = 150; y < 250; ++y)
                for (int x = 200; x < 300; ++x)
                    if (image.pixelColor(x, y).saturation() > 60)
                        return true;
            return false;
        };
        QVERIFY(!colouredInTheMiddle());
        // ...and in colour once the brush is cleared: every run is kept again.
        view.setBrush(0, std::nullopt);
        image.fill(Qt::white);
        view.render(&image);
        QCOMPARE(view.axes().brushed().size(), size_t(600));
        QVERIFY(colouredInTheMiddle());
    }

    void viewReportsBrushes()
    {
        ui::ParallelCoordinatesView view;
        view.resize(900, 400);
        std::vector<int> kept;
        bool any = false;
        connect(&view, &ui::ParallelCoordinatesView::brushChanged, this, [&](const std::vector<int>& k, bool a) {
            kept = k;
            any = a;
        });
        view.setRuns(table_, rows_, QStringLiteral("auc"));
        QCOMPARE(kept.size(), size_t(5));
        QVERIFY(!any);
        view.setBrush(2, std::pair(0.25, 1.0));
        QVERIFY(any);
        QCOMPARE(kept, (std::vector<int>{1, 2, 3}));
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        view.render(&image);
        QCOMPARE(view.lastRenderedLines(), 5);
    }
};

QTEST_MAIN(TestParallelAxes)
#include "test_parallel_axes.moc"
