// SPDX-License-Identifier: GPL-3.0-or-later
// Opening other tools' stores: an MLflow mlruns of 1,000 runs x 20 metrics
// x 1,000 steps, and a TensorBoard logdir of 100 runs x 10 tags x 10,000
// steps, each against the same store read the way the tool's own Python
// reader does it (bench/foreign_store_baseline.py, timed in a child
// process), and beside the floor: the same files' bytes read, not parsed.
// W&B run folders, 100 runs x 100,000 history rows, against the floor only:
// wandb's own reader is not packaged here.
#include "bench_timer.h"
#include "mlflow_file_store_reader.h"
#include "tensorboard_logdir_reader.h"
#include "wandb_folder_reader.h"
#include "wandb_writer.h"   // tests/: the test writer of .wandb datastores

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>

#include <cmath>
#include <filesystem>

using namespace runlens;
using namespace runlens::bench;

namespace {

void put(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        std::abort();
    f.write(bytes);
}

double readAllBytes(const QString& root, qint64& total)
{
    Stopwatch sw;
    total = 0;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            total += f.readAll().size();
    }
    return sw.seconds();
}

// Seconds the Python alternative took to read the store (interpreter start
// included, some 30 ms), or a negative value when it could not run.
double pythonReaderSeconds(const char* kind, const QString& root)
{
    QProcess python;
    const QString script = QStringLiteral(RUNLENS_BENCH_DIR "/foreign_store_baseline.py");
    Stopwatch sw;
    // Debian's interpreter: its python3-yaml and python3-protobuf are the
    // modules the script needs, whatever python3 comes first on PATH.
    python.start(QFile::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3") : QStringLiteral("python3"),
                 {script, QString::fromLatin1(kind), root});
    python.waitForFinished(-1);
    const double s = sw.seconds();
    const QByteArray out = python.readAllStandardOutput().trimmed();
    std::printf("(python %s reader: %s)\n", kind, out.constData());
    return python.exitCode() == 0 && python.exitStatus() == QProcess::NormalExit ? s : -1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QString dir = QString::fromStdString(argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string());

    // MLflow: 1,000 runs x 20 metrics x 1,000 steps, 5 params and 3 tags each.
    const QString mlruns = dir + QStringLiteral("/runlens-bench-mlruns");
    QDir(mlruns).removeRecursively();
    Stopwatch gen;
    put(mlruns + QStringLiteral("/1/meta.yaml"), "experiment_id: '1'\nname: bench\nlifecycle_stage: active\n");
    for (int r = 0; r < 1000; ++r) {
        const QString run = mlruns + QStringLiteral("/1/run%1").arg(r, 4, 10, QLatin1Char('0'));
        put(run + QStringLiteral("/meta.yaml"),
            QStringLiteral("run_id: run%1\nrun_name: bench-%1\nstatus: 3\nstart_time: 1700000000000\n"
                           "end_time: 1700000600000\nlifecycle_stage: active\n")
                .arg(r)
                .toUtf8());
        for (int p = 0; p < 5; ++p)
            put(run + QStringLiteral("/params/p%1").arg(p), QByteArray::number(r % (p + 3)));
        for (int t = 0; t < 3; ++t)
            put(run + QStringLiteral("/tags/t%1").arg(t), "value");
        for (int m = 0; m < 20; ++m) {
            QByteArray lines;
            lines.reserve(40 * 1000);
            for (int s = 0; s < 1000; ++s)
                lines += QByteArray::number(1700000000000LL + s) + ' ' + QByteArray::number(std::exp(-s * 1e-3) + m, 'g', 17)
                    + ' ' + QByteArray::number(s) + '\n';
            put(run + QStringLiteral("/metrics/m%1").arg(m), lines);
        }
    }
    std::printf("generated mlruns in %.1f s\n", gen.seconds());
    qint64 bytes = 0;
    const double rawMl = readAllBytes(mlruns, bytes);
    Stopwatch ml;
    auto mlReader = MlflowFileStoreReader::open(mlruns);
    auto mlRuns = (*mlReader)->loadRuns();
    const double mlSeconds = ml.seconds();
    std::printf("\nMLflow file store: %d runs, %.0f MB\n", mlRuns ? mlRuns->table->rowCount() : 0, double(bytes) / 1e6);
    const double pyMl = pythonReaderSeconds("mlruns", mlruns);
    if (pyMl >= 0)
        report("open mlruns (s)", mlSeconds, "s", "Python, as MLflow's FileStore reads", pyMl);
    report("open mlruns (s)", mlSeconds, "s", "floor: the files' bytes read", rawMl);
    QDir(mlruns).removeRecursively();

    // TensorBoard: 100 runs x 10 tags x 10,000 steps.
    const QString logdir = dir + QStringLiteral("/runlens-bench-tb");
    QDir(logdir).removeRecursively();
    for (int r = 0; r < 100; ++r) {
        QByteArray file;
        file.reserve(10 * 10000 * 48);
        for (int s = 0; s < 10000; ++s)
            for (int t = 0; t < 10; ++t)
                file += scalarEventRecord("tag" + QByteArray::number(t), s, 1.7e9 + s, float(std::sin(s * 1e-3) + t));
        put(logdir + QStringLiteral("/run%1/events.out.tfevents.1700000000.bench.1.0").arg(r, 3, 10, QLatin1Char('0')), file);
    }
    const double rawTb = readAllBytes(logdir, bytes);
    Stopwatch tb;
    auto tbReader = TensorboardLogdirReader::open(logdir);
    auto tbRuns = (*tbReader)->loadRuns();
    const double tbSeconds = tb.seconds();
    std::printf("\nTensorBoard logdir: %d runs, %.0f MB\n", tbRuns ? tbRuns->table->rowCount() : 0, double(bytes) / 1e6);
    const double pyTb = pythonReaderSeconds("logdir", logdir);
    if (pyTb >= 0)
        report("open logdir (s)", tbSeconds, "s", "Python + protobuf, as TensorBoard reads", pyTb);
    report("open logdir (s)", tbSeconds, "s", "floor: the files' bytes read", rawTb);
    QDir(logdir).removeRecursively();

    // W&B: 100 runs x 100,000 history rows (loss and acc each row, as wandb.log
    // writes them: JSON values, with _step, _timestamp and _runtime), config and summary.
    namespace wb = runlens::test::wandb;
    const QString wandbDir = dir + QStringLiteral("/runlens-bench-wandb");
    QDir(wandbDir).removeRecursively();
    Stopwatch wgen;
    for (int r = 0; r < 100; ++r) {
        const QByteArray id = QByteArray("bench") + QByteArray::number(r).rightJustified(3, '0');
        wb::LogWriter log;
        wb::Run run;
        run.id = id;
        run.name = "bench-" + QByteArray::number(r);
        run.project = "bench";
        run.startSeconds = 1.7e9;
        log.append(wb::runRecord(run));
        log.append(wb::configRecord({{"lr", QByteArray::number(1e-3 * (r + 1), 'g', 17)}, {"depth", QByteArray::number(r % 8)}}));
        for (int s = 0; s < 100000; ++s) {
            const double t = 1.7e9 + s * 0.01;
            log.append(wb::historyRecord(s, t, t - run.startSeconds,
                {{"loss", QByteArray::number(std::exp(-s * 1e-5) + r * 1e-3, 'g', 17)},
                    {"acc", QByteArray::number(1.0 - std::exp(-s * 1e-5), 'g', 17)}}));
        }
        log.append(wb::summaryRecord({{"loss", "0.5"}}));
        log.append(wb::exitRecord(0, 1000));
        put(wandbDir + QStringLiteral("/run-20240101_000000-%1/run-%1.wandb").arg(QString::fromLatin1(id)), log.bytes());
    }
    std::printf("\ngenerated wandb/ in %.1f s\n", wgen.seconds());
    const double rawWb = readAllBytes(wandbDir, bytes);
    Stopwatch wbWatch;
    auto wbReader = WandbFolderReader::open(wandbDir);
    auto wbRuns = wbReader ? (*wbReader)->loadRuns() : Result<LoadedRuns>(Failure{wbReader.error()});
    const double wbSeconds = wbWatch.seconds();
    std::printf("W&B run folders: %d runs, %.0f MB\n", wbRuns ? wbRuns->table->rowCount() : 0, double(bytes) / 1e6);
    // One run's curve as the chart asks for it, after the table is shown.
    Stopwatch series;
    const auto loss = wbRuns ? (*wbReader)->loadSeries(wbRuns->table->id(0), QStringLiteral("loss")) : Result<MetricSeries>(Failure{});
    std::printf("one run's loss (%zu points) in %.1f ms\n", loss ? loss->steps.size() : size_t(0), series.seconds() * 1e3);
    report("open wandb/ (s)", wbSeconds, "s", "floor: the files' bytes read", rawWb);
    QDir(wandbDir).removeRecursively();
    return 0;
}
