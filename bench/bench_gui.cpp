// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's hot paths, offscreen: the run table for 10,000 runs x
// 50 params x 20 metrics, parallel coordinates at 10,000 runs, and curves
// for 100 runs x 1,000,000 steps (first paint once loaded, then every pan
// and zoom frame: mean, 95th percentile and worst). Each baseline is the
// fairest simple alternative, run in the same process on the same data:
// a plain table model over a raw SQLite scan; the same rasterizer on one
// thread; M4 over the visible window by a raw scan, and the pyramid
// without column reuse.
#include "bench_store_generator.h"
#include "bench_timer.h"
#include "curve_plot.h"
#include "parallel_coordinates_view.h"
#include "run_table_model.h"
#include "run_table_view.h"
#include "runlens_store_reader.h"

#include "line_rasterizer.h"

#include <QAbstractTableModel>
#include <QApplication>
#include <QHash>
#include <QImage>
#include <QPainter>
#include <QTableView>

#include <cmath>
#include <numeric>
#include <random>

using namespace runlens;
using namespace runlens::bench;
using namespace runlens::ui;

namespace {

// The simple alternative to RunTableModel: every cell a QVariant in a
// vector, filled from a raw SQLite scan keyed by run id and column name.
class PlainTableModel : public QAbstractTableModel {
public:
    explicit PlainTableModel(const std::string& path)
    {
        SqliteDb db(path, SqliteDb::Mode::ReadOnly);
        QHash<QByteArray, int> rowOf;
        QHash<QString, int> columnOf;
        auto column = [&](const QString& name) {
            auto it = columnOf.find(name);
            if (it == columnOf.end()) {
                it = columnOf.insert(name, int(headers_.size()));
                headers_.push_back(name);
            }
            return *it;
        };
        auto set = [&](int row, int col, QVariant v) {
            auto& cells = cells_[size_t(row)];
            if (cells.size() <= size_t(col))
                cells.resize(size_t(col) + 1);
            cells[size_t(col)] = std::move(v);
        };
        auto bytes = [](std::string_view t) { return QByteArray(t.data(), qsizetype(t.size())); };
        for (const char* name : {"name", "status", "start_time", "end_time"})
            column(QString::fromLatin1(name));
        auto runs = db.prepare("SELECT id, name, status, start_time, end_time FROM runs");
        while (runs.step()) {
            rowOf.insert(bytes(runs.text(0)), int(cells_.size()));
            cells_.emplace_back();
            const int row = int(cells_.size()) - 1;
            set(row, 0, QString::fromUtf8(bytes(runs.text(1))));
            set(row, 1, QString::fromUtf8(bytes(runs.text(2))));
            set(row, 2, qlonglong(runs.int64(3)));
            set(row, 3, qlonglong(runs.int64(4)));
        }
        auto params = db.prepare("SELECT run_id, key, type, value FROM params");
        while (params.step()) {
            const int row = rowOf.value(bytes(params.text(0)), -1);
            if (row < 0)
                continue;
            const QString value = QString::fromUtf8(bytes(params.text(3)));
            const std::string_view type = params.text(2);
            set(row, column(QString::fromUtf8(bytes(params.text(1)))),
                type == "float" ? QVariant(value.toDouble()) : type == "int" ? QVariant(value.toLongLong()) : QVariant(value));
        }
        auto metrics = db.prepare("SELECT run_id, key, last_value FROM metrics");
        while (metrics.step()) {
            const int row = rowOf.value(bytes(metrics.text(0)), -1);
            if (row >= 0)
                set(row, column(QStringLiteral("metrics.") + QString::fromUtf8(bytes(metrics.text(1)))), metrics.real(2));
        }
    }
    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(cells_.size()); }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(headers_.size()); }
    QVariant data(const QModelIndex& index, int role) const override
    {
        if (role != Qt::DisplayRole)
            return {};
        const auto& cells = cells_[size_t(index.row())];
        return size_t(index.column()) < cells.size() ? cells[size_t(index.column())] : QVariant();
    }
    QVariant headerData(int section, Qt::Orientation o, int role) const override
    {
        if (role != Qt::DisplayRole)
            return {};
        return o == Qt::Horizontal ? QVariant(headers_[size_t(section)]) : QVariant(section + 1);
    }

private:
    std::vector<QString> headers_;
    std::vector<std::vector<QVariant>> cells_;
};

// M4 over [x0, x1] by walking the raw points in view: per column the first,
// lowest, highest and last point, plus the points just outside so lines
// reach the edges. Column ends are stepped, not divided.
size_t m4Scan(const PlotSeries& s, double x0, double x1, int columns, std::vector<PlotPoint>& out)
{
    out.clear();
    auto [first, last] = s.indexRange(x0, x1);
    const auto xs = s.xs();
    const auto ys = s.ys();
    if (first > 0)
        out.push_back({xs[first - 1], ys[first - 1]});
    const double width = (x1 - x0) / columns;
    double end = x0 + width;
    size_t i = first;
    while (i < last) {
        while (xs[i] >= end)
            end += width;
        size_t lo = i, hi = i;
        const size_t begin = i;
        for (; i < last && xs[i] < end; ++i) {
            if (ys[i] < ys[lo])
                lo = i;
            if (ys[i] > ys[hi])
                hi = i;
        }
        const size_t idx[4] = {begin, std::min(lo, hi), std::max(lo, hi), i - 1};
        for (size_t k : idx)
            if (out.empty() || out.back().x != xs[k] || k == begin)
                out.push_back({xs[k], ys[k]});
    }
    if (last < xs.size())
        out.push_back({xs[last], ys[last]});
    return out.size();
}

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
    // The alternative: a QVariant a cell from a raw scan, in a plain QTableView.
    double plainMs;
    int plainColumns;
    {
        Stopwatch sw;
        PlainTableModel model(store);
        QTableView view;
        view.setModel(&model);
        view.resize(1400, 800);
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        view.render(&image);
        plainMs = sw.seconds() * 1e3;
        plainColumns = model.columnCount();
    }
    removeStore(store);
    std::printf("\nRun table: %d runs x %d params x %d metrics\n", kRuns, kParams, kMetrics);
    std::printf("load from store %.0f ms + model (columns, constant check) %.0f ms + first paint %.0f ms = %.0f ms\n",
                loadMs, modelMs, paintMs, loadMs + modelMs + paintMs);
    std::printf("baseline: raw SQLite scan into a QVariant per cell (%d columns), QTableView, first paint\n", plainColumns);
    report("table shown, from opening (ms)", loadMs + modelMs + paintMs, "ms", "QVariant cells from a raw scan", plainMs);

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
        // The baseline: the same polylines (the view's axes, its brush, its
        // plot rectangle) through the same rasterizer on one thread, grey
        // lines first and kept ones over them in one image; no axes or labels.
        QImage plain(view.size(), QImage::Format_ARGB32_Premultiplied);
        const ParallelAxes& axes = view.axes();
        auto oneThread = [&] {
            Stopwatch sw;
            plain.fill(Qt::transparent);
            LineRasterizer raster(plain);
            const int n = int(axes.axes().size());
            const QRectF rect(60, 46, plain.width() - 150, plain.height() - 114);
            std::vector<QPointF> pts(static_cast<size_t>(n));
            std::vector<int> kept;
            auto place = [&](int r) {
                for (int a = 0; a < n; ++a) {
                    const double f = axes.fraction(a, r);
                    pts[size_t(a)] = QPointF(rect.left() + rect.width() * a / (n - 1),
                        f == ParallelAxes::kMissing ? rect.bottom() + 24 : rect.bottom() - f * rect.height());
                }
            };
            for (int r : axes.rows()) {
                if (axes.passes(r)) {
                    kept.push_back(r);
                    continue;
                }
                place(r);
                raster.drawPolyline(pts, qRgb(225, 225, 225));
            }
            for (int r : kept) {
                place(r);
                const double f = axes.fraction(n - 1, r);
                const int t = f == ParallelAxes::kMissing ? 128 : int(f * 255);
                raster.drawPolyline(pts, qRgb(68 + t * 185 / 255, 1 + t * 230 / 255, 84 - t * 47 / 255));
            }
            return sw.seconds() * 1e3;
        };
        const double fullBaseMs = oneThread();
        FrameTimes brush, brushBase;
        for (int f = 0; f < 30; ++f) {
            Stopwatch b;
            view.setBrush(3, std::pair(0.1 + f * 0.01, 0.6 + f * 0.01));
            view.render(&image);
            brush.add(b.seconds() * 1e3);
            brushBase.add(oneThread());
        }
        std::printf("\nParallel coordinates: 10,000 runs x 20 axes (%d lines drawn)\n", view.lastRenderedLines());
        const char* base = "the same lines, rasterizer on 1 thread";
        report("full paint (ms)", fullMs, "ms", base, fullBaseMs);
        reportFrames("brush frame (30)", brush, base, brushBase);
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
    const int columns = plot.plotArea().width();

    // Two baselines for each frame, on one thread and without drawing (the
    // product's frames include drawing): M4 by walking the raw points in
    // view, and the product's own min/max pyramid decimating every series
    // anew (no column reuse). While moving the plot decimates at two-pixel
    // columns; the baselines get the same column count.
    std::vector<PlotPoint> scratch;
    auto scanFrame = [&](double x0, double x1, int cols) {
        Stopwatch sw;
        size_t points = 0;
        for (const auto& s : series)
            points += m4Scan(*s, x0, x1, cols, scratch);
        return std::pair(sw.seconds() * 1e3, points);
    };
    auto pyramidFrame = [&](double x0, double x1, int cols) {
        Stopwatch sw;
        size_t points = 0;
        for (const auto& s : series)
            points += s->decimate(x0, x1, cols).size();
        return std::pair(sw.seconds() * 1e3, points);
    };
    // What the product's moving frames decimate, alone: its share of a frame.
    auto movingFrame = [&](double x0, double x1, int cols) {
        Stopwatch sw;
        size_t points = 0;
        for (const auto& s : series)
            points += s->decimateWhileMoving(x0, x1, cols).size();
        return std::pair(sw.seconds() * 1e3, points);
    };
    const double firstScan = scanFrame(0, double(steps - 1), columns).first;
    const double firstPyramid = pyramidFrame(0, double(steps - 1), columns).first;

    // Pan: 60 frames sliding a 200k-step window by 5k; zoom: 30 frames
    // narrowing around a point (down to a few dozen steps). As while
    // dragging or turning the wheel, the plot is told it is moving.
    FrameTimes pan, panScan, panPyramid, zoom, zoomScan, zoomPyramid, panMoving, zoomMoving;
    size_t scanPoints = 0;
    for (int f = 0; f < 60; ++f) {
        const double x0 = 100000.0 + f * 5000.0;
        plot.beginInteraction();
        plot.setXRange(std::pair(x0, x0 + 200000.0));
        pan.add(renderMs(plot, image));
        const auto [ms, points] = scanFrame(x0, x0 + 200000.0, columns / 2);
        panScan.add(ms);
        scanPoints += points;
        panPyramid.add(pyramidFrame(x0, x0 + 200000.0, columns / 2).first);
        panMoving.add(movingFrame(x0, x0 + 200000.0, columns / 2).first);
    }
    double width = 1e6;
    for (int f = 0; f < 30; ++f) {
        width *= 0.7;
        const double x0 = 500000.0 - width / 2, x1 = 500000.0 + width / 2;
        plot.beginInteraction();
        plot.setXRange(std::pair(x0, x1));
        zoom.add(renderMs(plot, image));
        zoomScan.add(scanFrame(x0, x1, columns / 2).first);
        zoomPyramid.add(pyramidFrame(x0, x1, columns / 2).first);
        zoomMoving.add(movingFrame(x0, x1, columns / 2).first);
    }
    const size_t zoomedPoints = plot.lastFramePoints();
    std::printf("\nCurves: %d runs x %zu steps, %d px columns (prepared in %.1f s; M4 scan: %zu points a pan frame)\n",
                runs, steps, columns, buildS, scanPoints / 60);
    report("first paint (ms)", first, "ms", "M4 raw scan, 1 thread, no drawing", firstScan);
    report("first paint (ms)", first, "ms", "pyramid, 1 thread, no drawing", firstPyramid);
    reportFrames("pan frame (60)", pan, "M4 raw scan of the window, 1 thread", panScan);
    reportFrames("pan frame (60)", pan, "pyramid, no column reuse, 1 thread", panPyramid);
    reportFrames("zoom frame (30)", zoom, "M4 raw scan of the window, 1 thread", zoomScan);
    reportFrames("zoom frame (30)", zoom, "pyramid, no column reuse, 1 thread", zoomPyramid);
    // Not a baseline: the product's own decimation while moving, so the rest of a frame is drawing.
    std::printf("of which decimation while moving (every series, 1 thread): pan %.1f / %.1f ms, zoom %.1f / %.1f ms "
                "(mean / worst)\n", panMoving.mean(), panMoving.worst(), zoomMoving.mean(), zoomMoving.worst());
    std::printf("points drawn: %zu in the first frame; %zu at the deepest zoom (%.0f steps wide)\n", firstPoints,
                zoomedPoints, width);
    return 0;
}
