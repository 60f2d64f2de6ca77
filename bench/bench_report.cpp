// SPDX-License-Identifier: GPL-3.0-or-later
// Comparison reports: 50 runs x 4 metrics x 100,000 steps (3 seeds per
// config) through the logger, then the report the way the app makes it:
// assembled from loaded series (charts as SVG, tables) and written as HTML
// and as PDF. The baselines are what a user or a simpler program would do
// instead: the charts as QPainter polylines of a per-pixel M4 into
// QSvgGenerator, and the HTML printed to PDF by headless Chromium. Prints
// sizes too: a report must stay mailable.
#include "bench_timer.h"
#include "comparison_report.h"
#include "runlens/runlens.h"
#include "workspace.h"

#include <QApplication>
#include <QBuffer>
#include <QFileInfo>
#include <QPainter>
#include <QProcess>
#include <QStandardPaths>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

using namespace runlens;
using namespace runlens::bench;

namespace {

// One chart the simple way: every run's M4 at one column a pixel as a
// QPainter polyline into an SVG, no axes or labels.
QByteArray simpleChartSvg(const std::vector<std::shared_ptr<const PlotSeries>>& series)
{
    constexpr int kWidth = 680, kHeight = 280;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const auto& s : series) {
        x0 = std::min(x0, s->xMin());
        x1 = std::max(x1, s->xMax());
        double lo, hi;
        if (s->yRange(s->xMin(), s->xMax(), lo, hi)) {
            y0 = std::min(y0, lo);
            y1 = std::max(y1, hi);
        }
    }
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(QSize(kWidth, kHeight));
    svg.setViewBox(QRect(0, 0, kWidth, kHeight));
    QPainter p(&svg);
    p.setRenderHint(QPainter::Antialiasing);
    std::vector<QPointF> pts;
    for (size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        pts.clear();
        for (const PlotPoint& pt : s->decimate(x0, x1, kWidth))
            pts.emplace_back((pt.x - x0) / (x1 - x0) * kWidth, kHeight - (pt.y - y0) / (y1 - y0) * kHeight);
        QPen pen(QColor::fromHsl(int(i * 37) % 360, 200, 120), 1.2);
        p.setPen(pen);
        p.drawPolyline(pts.data(), int(pts.size()));
    }
    p.end();
    return buffer.data();
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const std::string dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string();
    const std::string store = dir + "/runlens-bench-report.db";
    constexpr int kRuns = 50, kSteps = 100000;
    const char* metrics[] = {"train/loss", "val/loss", "val/acc", "lr"};
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(store + suffix);
    {
        Stopwatch sw;
        for (int r = 0; r < kRuns; ++r) {
            RunOptions o;
            o.name = "run-" + std::to_string(r);
            o.capture_git = false;
            auto run = Run::start(store, o);
            run.logParam("lr", 0.001 * (1 + r / 3));
            run.logParam("seed", r % 3);
            run.logParam("batch", 32 << (r % 2));
            for (int s = 0; s < kSteps; ++s) {
                const double t = s / double(kSteps);
                const double noise = std::sin(s * 0.37 + r) * 0.01;
                run.logMetric(metrics[0], 1.0 / (1 + 20 * t) + noise + (s == 4242 * (r + 1) ? 5.0 : 0.0), s);
                run.logMetric(metrics[1], 1.1 / (1 + 18 * t) + noise, s);
                run.logMetric(metrics[2], 0.5 + 0.45 * t + noise, s);
                run.logMetric(metrics[3], 0.001 * (1 + r / 3) * (1 - t), s);
            }
            run.finish();
        }
        std::printf("store: %d runs x 4 metrics x %d steps written in %.1f s\n", kRuns, kSteps, sw.seconds());
    }

    Workspace ws;
    if (const QString failure = ws.openAndWait({QString::fromStdString(store)}); !failure.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(failure));
        return 1;
    }
    std::vector<int> rows(size_t(ws.runs()->rowCount()));
    std::iota(rows.begin(), rows.end(), 0);
    ui::ReportOptions options;
    options.metrics = QStringList{};
    for (const char* m : metrics)
        options.metrics->append(QString::fromLatin1(m));

    // Every series the report draws, read and prepared (not timed against
    // anything: both the report and its alternative start from them).
    const auto keys = ui::ComparisonReport::seriesKeys(*ws.runs(), rows, *options.metrics);
    {
        Stopwatch sw;
        for (const auto& k : keys)
            ws.loadSeriesNow(k);
        std::printf("series: %zu (%.1f M points), loaded in %.0f ms\n", keys.size(), keys.size() * kSteps / 1e6,
                    sw.seconds() * 1e3);
    }

    // The alternative's charts: one a metric, each timed.
    double simpleTotal = 0, simpleLongest = 0;
    size_t simpleBytes = 0;
    for (const char* m : metrics) {
        std::vector<std::shared_ptr<const PlotSeries>> series;
        for (const auto& k : keys)
            if (k.metric == QLatin1String(m))
                if (auto s = ws.cachedSeries(k))
                    series.push_back(std::move(s));
        Stopwatch sw;
        simpleBytes += size_t(simpleChartSvg(series).size());
        const double ms = sw.seconds() * 1e3;
        simpleTotal += ms;
        simpleLongest = std::max(simpleLongest, ms);
    }

    Stopwatch sb;
    const auto comparison = ui::ComparisonReport::build(ws, rows, options, [&](const SeriesKey& k) { return ws.cachedSeries(k); });
    const double buildMs = sb.seconds() * 1e3;
    report("report assembled: 5 figures + tables (ms)", buildMs, "ms", "the 4 curve charts alone, QPainter M4 SVG", simpleTotal);

    // The window builds it a piece per event-loop turn: the longest piece is
    // the longest the GUI thread is held.
    {
        ui::ComparisonReport::Builder builder(ws, rows, options, [&](const SeriesKey& k) { return ws.cachedSeries(k); });
        double longest = 0;
        while (!builder.done()) {
            Stopwatch s;
            builder.step();
            longest = std::max(longest, s.seconds() * 1e3);
        }
        report("longest piece on the GUI thread (ms)", longest, "ms", "longest QPainter M4 SVG chart", simpleLongest);
    }

    const QString html = QString::fromStdString(dir + "/runlens-bench-report.html");
    const QString pdf = QString::fromStdString(dir + "/runlens-bench-report.pdf");
    Stopwatch sh;
    if (!comparison.save(html).ok())
        return 1;
    const double htmlMs = sh.seconds() * 1e3;
    Stopwatch sp;
    if (!comparison.save(pdf).ok())
        return 1;
    const double pdfMs = sp.seconds() * 1e3;
    std::printf("HTML written: %.0f ms\n", htmlMs);
    std::printf("sizes: HTML %.2f MB (the alternative's 4 charts alone: %.2f MB), PDF %.2f MB, %d figures\n",
                QFileInfo(html).size() / 1e6, simpleBytes / 1e6, QFileInfo(pdf).size() / 1e6, comparison.figureCount());

    // The user's other way to a PDF: open the HTML in a browser and print it.
    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    if (chromium.isEmpty()) {
        std::printf("PDF written: %.0f ms (no chromium on PATH: its baseline not measured)\n", pdfMs);
    } else {
        const QString browserPdf = QString::fromStdString(dir + "/runlens-bench-report-chromium.pdf");
        QProcess browser;
        Stopwatch sc;
        browser.start(chromium, {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                                 QStringLiteral("--no-pdf-header-footer"), QStringLiteral("--print-to-pdf=") + browserPdf,
                                 QStringLiteral("file://") + html});
        browser.waitForFinished(300000);
        const double browserMs = sc.seconds() * 1e3;
        report("PDF written (ms)", pdfMs, "ms", "headless Chromium printing the HTML", browserMs);
        std::printf("Chromium's PDF: %.2f MB\n", QFileInfo(browserPdf).size() / 1e6);
        QFile::remove(browserPdf);
    }
    return 0;
}
