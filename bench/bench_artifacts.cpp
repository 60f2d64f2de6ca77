// SPDX-License-Identifier: GPL-3.0-or-later
// The Artifacts tab on 50 runs x 100 steps of 128 x 128 images (logged as
// pixels, PNG-encoded by the logger): the time from selecting 12 runs to
// their grid on screen (listing every run's media, reading and decoding the
// 12 pictures off the GUI thread), each step of the slider after it (mean
// and worst), and resident memory. The baseline is the least any viewer
// must do for the same grid, in the same process: one SQL query a run for
// its last picture's bytes and QImage::fromData on the calling thread.
//
//   build/bin/bench_artifacts
#include "artifacts_view.h"
#include "bench_timer.h"
#include "runlens/runlens.h"
#include "runlens/sqlite_db.h"
#include "workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>

#include <cstdio>
#include <vector>

using namespace runlens;
using namespace runlens::bench;
using namespace runlens::ui;

namespace {

constexpr int kRuns = 50, kSteps = 100, kSide = 128, kShown = 12;

void makeStore(const std::string& path)
{
    std::vector<uint8_t> pixels(size_t(kSide * kSide * 3));
    for (int r = 0; r < kRuns; ++r) {
        RunOptions o;
        o.name = "run-" + std::to_string(r);
        o.capture_git = o.capture_environment = false;
        o.system_metrics = false;
        auto run = Run::start(path, o);
        for (int s = 0; s < kSteps; ++s) {
            for (int y = 0; y < kSide; ++y)
                for (int x = 0; x < kSide; ++x) {
                    uint8_t* p = &pixels[size_t((y * kSide + x) * 3)];
                    p[0] = uint8_t(x * 2 + r);
                    p[1] = uint8_t(y * 2 + s);
                    p[2] = uint8_t((x ^ y) + r * s);
                }
            run.logImagePixels("val/samples", {kSide, kSide, 3, 0, pixels}, s);
        }
        run.finish();
    }
}

// The least a viewer does: the last picture of each run, decoded here.
double baselineMs(const std::string& path, const std::vector<std::string>& ids)
{
    Stopwatch t;
    SqliteDb db(path, SqliteDb::Mode::ReadOnly);
    int decoded = 0;
    for (const auto& id : ids) {
        auto st = db.prepare("SELECT b.data FROM media m JOIN media_blobs b ON b.sha256 = m.sha256 "
                             "WHERE m.run_id = ? AND m.key = 'val/samples' ORDER BY m.step DESC LIMIT 1");
        st.bind(1, id);
        if (st.step()) {
            const auto blob = st.blob(0);
            decoded += !QImage::fromData(reinterpret_cast<const uchar*>(blob.data()), int(blob.size())).isNull();
        }
    }
    if (decoded != int(ids.size()))
        std::fprintf(stderr, "baseline decoded %d of %zu\n", decoded, ids.size());
    return t.seconds() * 1000;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir dir;
    const std::string store = dir.filePath(QStringLiteral("media.db")).toStdString();
    Stopwatch made;
    makeStore(store);
    std::printf("store: %d runs x %d steps of %dx%d images, logged in %.1f s\n", kRuns, kSteps, kSide, kSide,
                made.seconds());

    Workspace ws;
    if (const QString why = ws.openAndWait({QString::fromStdString(store)}); !why.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(why));
        return 1;
    }
    std::vector<int> rows;
    std::vector<std::string> ids;
    for (int r = 0; r < kShown; ++r) {
        rows.push_back(r);
        ids.push_back(ws.runs()->id(r).toStdString());
    }
    const long rssBefore = residentKb();
    ArtifactsView view(&ws);
    view.resize(1400, 900);
    view.show();
    QCoreApplication::processEvents();

    bool shown = false;
    QObject::connect(&view, &ArtifactsView::artifactShown, [&] { shown = true; });
    QElapsedTimer first;
    first.start();
    view.setRuns(rows);
    while (!shown)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    QCoreApplication::processEvents(); // the grid laid out and painted
    const double firstMs = double(first.nsecsElapsed()) / 1e6;
    const double base = baselineMs(store, ids);

    // Moving the slider: each step read and decoded for 12 runs (cold).
    std::vector<double> steps;
    for (int s = kSteps - 2; s >= kSteps - 22; --s) {
        shown = false;
        QElapsedTimer t;
        t.start();
        view.setStep(s);
        while (!shown)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QCoreApplication::processEvents();
        steps.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    const long rssAfter = residentKb();
    double mean = 0, worst = 0;
    for (double v : steps) {
        mean += v / double(steps.size());
        worst = std::max(worst, v);
    }
    std::printf("%-58s %9.1f ms | baseline SQL + QImage::fromData, 12 pictures %7.1f ms | ratio %.2fx\n",
                "Artifacts tab: 12 of 50 runs selected -> grid shown", firstMs, base, firstMs / base);
    std::printf("%-58s %9.1f ms | baseline %7.1f ms | ratio %.2fx\n", "slider step (12 pictures, cold): mean", mean, base,
                mean / base);
    std::printf("%-58s %9.1f ms | baseline %7.1f ms | ratio %.2fx\n", "slider step: worst of 21", worst, base,
                worst / base);
    std::printf("%-58s %9.1f MB\n", "resident memory added by the tab", double(rssAfter - rssBefore) / 1024.0);
    return 0;
}
