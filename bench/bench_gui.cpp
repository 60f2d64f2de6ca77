// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's hot paths, offscreen: building the run table for 10,000
// runs x 50 params x 20 metrics, and curves for 100 runs x 1,000,000 steps
// (first paint once loaded, and time per pan / zoom frame), each against a
// baseline measured in the same run.
#include "bench_store_generator.h"
#include "bench_timer.h"
#include "curve_plot.h"
#include "parallel_coordinates_view.h"
#include "run_table_model.h"
#include "run_table_view.h"
#include "runlens_store_reader.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <cmath>
#include <numeric>
#include <random>

using namespace runlens;
using namespace runlens::bench;
using namespace runlens::ui;

namespace {

double renderMs(CurvePlot& plot, QImage& image)
{
    Stopwatch sw;
    QPainter p(&image);
    plot.render(&p);
    p.end();
    return sw.seconds() * 1e3;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const std::string dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string();

    // 1. The run table.
    const std::string store = dir + "/runlens-bench-gui-10k.db";
    generate(store);
    double loadMs, modelMs, paintMs;
    {
        Stopwatch sw;
        auto reader = RunlensStoreReader::open(QString::fromStdString(store));
        auto runs = (*reader)->loadRuns();
        loadMs = sw.seconds() * 1e3;
        std::vector<int> rows(size_t(runs->table->rowCount()));
        std::iota(rows.begin(), rows.end(), 0);
        RunTableModel model;
        RunTableView view;
        view.setRunModel(&model);
        view.resize(1400, 800);
        Stopwatch sm;
        model.setTable(runs->table, rows);
        modelMs = sm.seconds() * 1e3;
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        Stopwatch sp;
        view.render(&image);
        paintMs = sp.seconds() * 1e3;
    }
    removeStore(store);
    std::printf("\nRun table: %d runs x %d params x %d metrics\n", kRuns, kParams, kMetrics);
    std::printf("load from store %.0f ms + model (columns, constant check) %.0f ms + first paint %.0f ms = %.0f ms\n",
                loadMs, modelMs, paintMs, loadMs + modelMs + paintMs);
    report("table shown, from opening (ms)", loadMs + modelMs + paintMs, "ms", "loading the store alone", loadMs);

    // 2. Parallel coordinates: 10,000 runs x 20 axes.
    {
        auto table = std::make_shared<RunTable>();
        std::mt19937 prng(5);
        std::uniform_real_distribution<double> uni(0, 1);
        for (int r = 0; r < 10000; ++r) {
            const int row = table->addRun(QString::number(r), QString::number(r), QStringLiteral("e"), RunStatus::Finished, r, r + 1);
            for (int p = 0; p < 19; ++p) {
                const double v = p % 4 == 0 ? double(r % 5) : uni(prng) * (p + 1);
                table->setParam(row, QStringLiteral("p%1").arg(p, 2, 10, QLatin1Char('0')), QString::number(v), v);
            }
            table->setMetric(row, QStringLiteral("auc"), uni(prng), 0, 1, 1, 0);
        }
        table->sortColumns();
        std::vector<int> all(10000);
        std::iota(all.begin(), all.end(), 0);
        ParallelCoordinatesView view;
        view.setSynchronous(true);   // measure the drawing itself
        view.resize(1400, 600);
        view.setRuns(table, all, QStringLiteral("auc"));
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        Stopwatch full;
        view.render(&image);
        const double fullMs = full.seconds() * 1e3;
        double brushMs = 0;
        for (int f = 0; f < 10; ++f) {
            Stopwatch b;
            view.setBrush(3, std::pair(0.1 + f * 0.02, 0.6 + f * 0.02));
            view.render(&image);
            brushMs += b.seconds() * 1e3;
        }
        // Baseline: the same 200,000 segments as one QPainter polyline pass with no mapping.
        QImage plain(view.size(), QImage::Format_ARGB32_Premultiplied);
        Stopwatch base;
        {
            QPainter p(&plain);
            QPen pen(QColor(0, 0, 255));
            pen.setCosmetic(true);
            p.setPen(pen);
            std::vector<QPointF> pts(20);
            for (int r = 0; r < 10000; ++r) {
                for (int a = 0; a < 20; ++a)
                    pts[size_t(a)] = QPointF(40 + a * 65, 50 + (r * 37 + a * 101) % 500);
                p.drawPolyline(pts.data(), 20);
            }
        }
        const double baseMs = base.seconds() * 1e3;
        std::printf("\nParallel coordinates: 10,000 runs x 20 axes (%d lines drawn)\n", view.lastRenderedLines());
        report("full paint (ms)", fullMs, "ms", "drawing the same polylines, no mapping", baseMs);
        report("brush update, redraw (ms, mean of 10)", brushMs / 10, "ms", "drawing the same polylines, no mapping", baseMs);
    }

    // 3. Curves: 100 runs x 1,000,000 steps.
    const int runs = 100;
    const size_t steps = 1000000;
    std::vector<std::shared_ptr<const PlotSeries>> series;
    Stopwatch build;
    std::mt19937 rng(11);
    std::normal_distribution<double> noise(0, 0.02);
    for (int r = 0; r < runs; ++r) {
        std::vector<double> xs(steps), ys(steps);
        const double rate = 1e-6 * (1 + r % 7);
        for (size_t i = 0; i < steps; ++i) {
            xs[i] = double(i);
            ys[i] = std::exp(-double(i) * rate) + 0.1 * r / runs + noise(rng);
        }
        ys[steps / 3 + size_t(r) * 997] = 5.0;   // one isolated spike per run
        series.push_back(std::make_shared<const PlotSeries>(std::move(xs), std::move(ys)));
    }
    const double buildS = build.seconds();

    // Baseline: min/max per pixel column by scanning every raw point once.
    const int columns = 1200 - 76;
    Stopwatch raw;
    double checksum = 0;
    for (const auto& s : series) {
        std::vector<double> lo(size_t(columns), INFINITY), hi(size_t(columns), -INFINITY);
        const auto ys = s->ys();
        for (size_t i = 0; i < ys.size(); ++i) {
            const size_t c = i * size_t(columns) / ys.size();
            lo[c] = std::min(lo[c], ys[i]);
            hi[c] = std::max(hi[c], ys[i]);
        }
        checksum += hi[0];
    }
    const double rawMs = raw.seconds() * 1e3;

    CurvePlot plot;
    plot.resize(1200, 600);
    std::vector<CurveSeries> curves;
    for (int r = 0; r < runs; ++r)
        curves.push_back({QString::number(r), QStringLiteral("run %1").arg(r), QColor::fromHsl((r * 37) % 360, 200, 120),
                          series[size_t(r)], nullptr, -1});
    plot.setSeries(std::move(curves));
    QImage image(plot.size(), QImage::Format_ARGB32_Premultiplied);
    const double first = renderMs(plot, image);
    const size_t firstPoints = plot.lastFramePoints();

    // Pan: 30 frames shifting a 20% window; zoom: 30 frames narrowing around a point.
    double panTotal = 0, zoomTotal = 0;
    // As while dragging or turning the wheel: the plot is told it is moving.
    for (int f = 0; f < 30; ++f) {
        const double x0 = 100000.0 + f * 10000.0;
        plot.beginInteraction();
        plot.setXRange(std::pair(x0, x0 + 200000.0));
        panTotal += renderMs(plot, image);
    }
    double width = 1e6;
    for (int f = 0; f < 30; ++f) {
        width *= 0.7;
        plot.beginInteraction();
        plot.setXRange(std::pair(500000.0 - width / 2, 500000.0 + width / 2));
        zoomTotal += renderMs(plot, image);
    }
    const size_t zoomedPoints = plot.lastFramePoints();
    // Where a pan frame's time goes: decimation alone.
    Stopwatch dec;
    size_t decimated = 0;
    for (int f = 0; f < 30; ++f) {
        const double x0 = 100000.0 + f * 10000.0;
        for (const auto& s : series)
            decimated += s->decimate(x0, x0 + 200000.0, plot.plotArea().width()).size();
    }
    std::printf("decimation alone: %.1f ms per pan frame (%zu points)\n", dec.seconds() * 1e3 / 30, decimated / 30);
    std::printf("\nCurves: %d runs x %zu steps (prepared in %.1f s, checksum %.3f)\n", runs, steps, buildS, checksum);
    report("first paint (ms)", first, "ms", "raw min/max scan, no drawing", rawMs);
    report("pan frame (ms, mean of 30)", panTotal / 30, "ms", "raw min/max scan, no drawing", rawMs);
    report("zoom frame (ms, mean of 30)", zoomTotal / 30, "ms", "raw min/max scan, no drawing", rawMs);
    std::printf("points drawn: %zu in the first frame; %zu at the deepest zoom (%.0f steps wide)\n", firstPoints,
                zoomedPoints, width);
    return 0;
}
