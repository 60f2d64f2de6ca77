// SPDX-License-Identifier: GPL-3.0-or-later
// Large files in other tools' stores, read in pieces: time and peak resident
// memory for a 3 GB sparse MLflow metric file (3 GB of NUL bytes: junk, no
// points), a real-looking one of 10 M lines, and a TensorBoard event file
// of 10 M scalars. The baseline is what the readers did before: the file
// read whole with QFile::readAll, then the same parser over the bytes.
//
// Each measurement runs in a child process of its own, since a process's
// peak resident memory only grows: the peak printed is that child's
// (ru_maxrss from wait4), its resident memory at the start beside it.
#include "bench_timer.h"
#include "mlflow_file_store_reader.h"
#include "run_details.h"
#include "tensorboard_events.h"
#include "tensorboard_logdir_reader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>

using namespace runlens;
using namespace runlens::bench;

namespace {

struct Measured {
    bool ok = false;
    double seconds = 0;
    double peakMb = 0;    // the child's peak resident memory
    double startMb = 0;   // its resident memory when the work began
    QString result;       // what the work says it read
};

// Runs `work` in a child process: its time, its peak resident memory.
Measured inChild(const std::function<QString()>& work)
{
    int fds[2];
    if (::pipe(fds) != 0)
        std::abort();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        const double startMb = double(residentKb()) / 1024.0;
        Stopwatch sw;
        const QByteArray result = work().toUtf8();
        const double seconds = sw.seconds();
        QByteArray out(reinterpret_cast<const char*>(&seconds), sizeof seconds);
        out.append(reinterpret_cast<const char*>(&startMb), sizeof startMb);
        out.append(result);
        if (::write(fds[1], out.constData(), size_t(out.size())) != out.size())
            ::_exit(2);
        ::_exit(0);
    }
    ::close(fds[1]);
    QByteArray got;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        got.append(buf, qsizetype(n));
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    Measured m;
    m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && got.size() >= qsizetype(2 * sizeof(double));
    m.peakMb = double(usage.ru_maxrss) / 1024.0;
    if (m.ok) {
        std::memcpy(&m.seconds, got.constData(), sizeof(double));
        std::memcpy(&m.startMb, got.constData() + sizeof(double), sizeof(double));
        m.result = QString::fromUtf8(got.mid(2 * sizeof(double)));
    } else {
        m.result = WIFSIGNALED(status) ? QStringLiteral("killed by signal %1").arg(WTERMSIG(status))
                                       : QStringLiteral("exit status %1").arg(WEXITSTATUS(status));
    }
    return m;
}

void put(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        std::abort();
}

// The pair of lines a comparison prints: time and peak memory, each with its ratio.
void compare(const char* what, const Measured& ours, const char* baseline, const Measured& base)
{
    std::printf("\n%s\n  Runlens read: %s (resident at start %.0f MB)\n  baseline:     %s\n", what,
        qPrintable(ours.result), ours.startMb, qPrintable(base.result));
    if (!ours.ok || !base.ok) {
        std::printf("  %s failed: %s\n", !ours.ok ? "Runlens" : "baseline", qPrintable(!ours.ok ? ours.result : base.result));
        return;
    }
    report("  time (s)", ours.seconds, "s", baseline, base.seconds);
    report("  peak resident memory (MB)", ours.peakMb, "MB", baseline, base.peakMb);
}

QString describe(const MetricSeries& s)
{
    return QStringLiteral("%1 points%2").arg(s.size()).arg(s.problems.isEmpty() ? QString() : QStringLiteral(", ") + s.problems.join(QStringLiteral("; ")));
}

// The baseline: the whole file into memory, then the same parser over it.
QString readWholeMlflow(const QString& file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot open");
    int bad = 0;
    const MetricSeries s = parseMlflowMetricFile(f.readAll(), &bad);
    return QStringLiteral("%1 points, %2 malformed line(s)").arg(s.size()).arg(bad);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QString dir = QString::fromStdString(argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string())
                        + QStringLiteral("/runlens-bench-foreign-files");
    QDir(dir).removeRecursively();
    const QString mlruns = dir + QStringLiteral("/mlruns");
    put(mlruns + QStringLiteral("/1/meta.yaml"), "experiment_id: '1'\nname: bench\nlifecycle_stage: active\n");
    put(mlruns + QStringLiteral("/1/run/meta.yaml"), "run_id: run\nrun_name: bench\nstatus: 3\nlifecycle_stage: active\n");

    // 1. A 3 GB sparse metric file: one line, then NUL bytes (what a disk
    //    leaves after a crash, or a file made with truncate). No disk used.
    constexpr qint64 kSparse = qint64(3) << 30;
    const QString sparse = mlruns + QStringLiteral("/1/run/metrics/sparse");
    put(sparse, "1700000000000 0.5 0\n");
    if (!QFile::resize(sparse, kSparse))
        std::abort();
    std::printf("3 GB sparse metric file: %s\n", qPrintable(sparse));
    auto reader = MlflowFileStoreReader::open(mlruns);
    if (!reader || !(*reader)->loadRuns())   // which runs there are: loadSeries asks for one
        std::abort();
    const Measured sparseOurs = inChild([&] {
        auto s = (*reader)->loadSeries(QStringLiteral("run"), QStringLiteral("sparse"));
        return s ? describe(*s) : s.error();
    });
    // The baseline needs the file's size in memory and then some: skipped
    // when the machine has not got it, rather than pushing it into swap or
    // the OOM killer.
    const double needMb = double(kSparse) / double(1 << 20) + 1024;
    if (availableMb() > needMb) {
        const Measured sparseBase = inChild([&] { return readWholeMlflow(sparse); });
        compare("MLflow metric file, 3 GB sparse (loadSeries)", sparseOurs, "QFile::readAll, then the parser", sparseBase);
    } else {
        std::printf("\nMLflow metric file, 3 GB sparse (loadSeries)\n  Runlens: %.3f s, peak resident %.0f MB (%s)\n"
                    "  baseline skipped: %.0f MB available, it needs about %.0f MB\n",
            sparseOurs.seconds, sparseOurs.peakMb, qPrintable(sparseOurs.result), availableMb(), needMb);
    }
    QFile::remove(sparse);

    // 2. A real-looking metric file: 10 M lines "timestamp value step" (~390 MB).
    const QString lines = mlruns + QStringLiteral("/1/run/metrics/loss");
    {
        Stopwatch gen;
        QFile f(lines);
        if (!f.open(QIODevice::WriteOnly))
            std::abort();
        QByteArray block;
        for (int s = 0; s < 10'000'000; ++s) {
            block += QByteArray::number(1700000000000LL + s * 37LL) + ' '
                + QByteArray::number(std::exp(-s * 1e-7) + 0.01 * std::sin(s * 1e-3), 'g', 17) + ' ' + QByteArray::number(s) + '\n';
            if (block.size() > (1 << 20)) {
                f.write(block);
                block.clear();
            }
        }
        f.write(block);
        std::printf("\ngenerated a 10 M-line metric file (%.0f MB) in %.1f s\n", double(f.size()) / 1e6, gen.seconds());
    }
    if (!(*reader)->loadRuns())
        std::abort();
    const Measured seriesOurs = inChild([&] {
        auto s = (*reader)->loadSeries(QStringLiteral("run"), QStringLiteral("loss"));
        return s ? describe(*s) : s.error();
    });
    const Measured seriesBase = inChild([&] { return readWholeMlflow(lines); });
    compare("MLflow metric file, 10 M lines (loadSeries: the points kept)", seriesOurs, "QFile::readAll, then the parser", seriesBase);
    const Measured tableOurs = inChild([&] {
        auto runs = (*reader)->loadRuns();
        return runs ? QStringLiteral("%1 run(s), loss count %2").arg(runs->table->rowCount()).arg(runs->table->metric(QStringLiteral("loss"))->count[0])
                    : runs.error();
    });
    const Measured tableBase = inChild([&] {
        QFile f(lines);
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot open");
        const MetricSummary m = summarizeSeries(QStringLiteral("loss"), parseMlflowMetricFile(f.readAll()));
        return QStringLiteral("loss count %1").arg(m.count);
    });
    compare("MLflow metric file, 10 M lines (loadRuns: a summary kept)", tableOurs, "QFile::readAll, parse, summarize", tableBase);
    QDir(mlruns).removeRecursively();

    // 3. A TensorBoard event file of 10 tags x 1 M steps (10 M scalars).
    const QString logdir = dir + QStringLiteral("/tb");
    const QString events = logdir + QStringLiteral("/run/events.out.tfevents.1700000000.bench.1.0");
    {
        Stopwatch gen;
        QDir().mkpath(QFileInfo(events).path());
        QFile f(events);
        if (!f.open(QIODevice::WriteOnly))
            std::abort();
        QByteArray block;
        for (int s = 0; s < 1'000'000; ++s) {
            for (int t = 0; t < 10; ++t) {
                block += scalarEventRecord("tag" + QByteArray::number(t), s, 1.7e9 + s, float(std::sin(s * 1e-3) + t));
            }
            if (block.size() > (1 << 20)) {
                f.write(block);
                block.clear();
            }
        }
        f.write(block);
        std::printf("\ngenerated a TensorBoard event file of 10 M scalars (%.0f MB) in %.1f s\n", double(f.size()) / 1e6, gen.seconds());
    }
    auto tb = TensorboardLogdirReader::open(logdir);
    if (!tb || !(*tb)->loadRuns())
        std::abort();
    const Measured eventsOurs = inChild([&] {
        auto s = (*tb)->loadSeries(QStringLiteral("run"), QStringLiteral("tag0"));
        return s ? describe(*s) : s.error();
    });
    const Measured eventsBase = inChild([&] {
        QFile f(events);
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot open");
        DecodedEvents ev;
        QHash<QString, bool> tensorTags;
        decodeEventFile(f.readAll(), ev, tensorTags);
        return QStringLiteral("%1 records, tag0 %2 points").arg(ev.records).arg(ev.series.value(QStringLiteral("tag0")).size());
    });
    compare("TensorBoard event file, 10 M scalars (a run's series, all tags decoded)", eventsOurs,
        "QFile::readAll, then the decoder", eventsBase);
    QDir(dir).removeRecursively();
    return 0;
}
