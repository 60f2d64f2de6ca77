// SPDX-License-Identifier: GPL-3.0-or-later
// Comparison reports: 50 runs x 4 metrics x 100,000 steps (3 seeds per
// config) through the logger, then the report the way the app makes it:
// series loaded (the baseline: reading them is the floor any report pays),
// the report assembled from them (charts as SVG, tables), and written as
// HTML and as PDF. Prints sizes too: a report must stay mailable.
#include "bench_timer.h"
#include "comparison_report.h"
#include "runlens/runlens.h"
#include "workspace.h"

#include <QApplication>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

using namespace runlens;
using namespace runlens::bench;

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

    // Baseline: every series the report draws, read and prepared cold.
    const auto keys = ui::ComparisonReport::seriesKeys(*ws.runs(), rows, *options.metrics);
    double loadMs;
    {
        Stopwatch sw;
        for (const auto& k : keys)
            ws.loadSeriesNow(k);
        loadMs = sw.seconds() * 1e3;
    }
    std::printf("series: %zu (%.1f M points)\n", keys.size(), keys.size() * kSteps / 1e6);

    Stopwatch sb;
    const auto comparison = ui::ComparisonReport::build(ws, rows, options, [&](const SeriesKey& k) { return ws.cachedSeries(k); });
    const double buildMs = sb.seconds() * 1e3;
    report("report assembled from loaded series (ms)", buildMs, "ms", "loading the series it draws", loadMs);

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
        report("longest piece on the GUI thread (ms)", longest, "ms", "loading the series it draws", loadMs);
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
    report("HTML written (ms)", htmlMs, "ms", "loading the series it draws", loadMs);
    report("PDF written (ms)", pdfMs, "ms", "loading the series it draws", loadMs);
    std::printf("sizes: HTML %.2f MB, PDF %.2f MB, %d figures\n", QFileInfo(html).size() / 1e6, QFileInfo(pdf).size() / 1e6,
                comparison.figureCount());
    return 0;
}
