// SPDX-License-Identifier: GPL-3.0-or-later
// Other trackers' system metrics under our names and units: MLflow's
// system/* (file store and SQLite), W&B's stats records. A GPU-memory chart
// or `metrics.system/gpu.0.memory_used_mb.max > 70000` must mean the same
// whichever tool logged the run.
#include "foreign_system_metrics.h"
#include "runlens/sqlite_db.h"
#include "store_registry.h"
#include "test_support.h"
#include "wandb_writer.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
namespace wb = runlens::test::wandb;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

} // namespace

class TestForeignSystemMetrics : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void namesBothWays()
    {
        const auto gpu = runlensSystemMetric(SystemMetricSource::Mlflow, QStringLiteral("system/gpu_3_memory_usage_megabytes"));
        QVERIFY(gpu);
        QCOMPARE(gpu->key, QStringLiteral("system/gpu.3.memory_used_mb"));
        QVERIFY(near(gpu->factor, 1e6 / kMiB));
        // The way back lists both names MLflow's monitors give GPU memory.
        const auto stored = storedNamesOf(SystemMetricSource::Mlflow, QStringLiteral("system/gpu.3.memory_used_mb"));
        QCOMPARE(stored.size(), size_t(3));
        QCOMPARE(stored[0].key, QStringLiteral("system/gpu.3.memory_used_mb"));   // as named, first
        QCOMPARE(stored[1].key, QStringLiteral("system/gpu_3_memory_usage_megabytes"));
        QCOMPARE(stored[2].key, QStringLiteral("system/gpu_3_memory_usage_gigabytes"));
        QCOMPARE(runlensSystemMetric(SystemMetricSource::Wandb, QStringLiteral("gpu.12.gpu"))->key,
            QStringLiteral("system/gpu.12.utilization_percent"));
        // Not the same quantity, or not a device index: kept as logged.
        QVERIFY(!runlensSystemMetric(SystemMetricSource::Mlflow, QStringLiteral("system/network_receive_megabytes")));
        QVERIFY(!runlensSystemMetric(SystemMetricSource::Wandb, QStringLiteral("cpu")));
        QVERIFY(!runlensSystemMetric(SystemMetricSource::Wandb, QStringLiteral("gpu.x.gpu")));
        QVERIFY(!runlensSystemMetric(SystemMetricSource::Wandb, QStringLiteral("gpu..gpu")));
        QVERIFY(!runlensSystemMetric(SystemMetricSource::Mlflow, QStringLiteral("gpu_0_utilization_percentage")));
        QCOMPARE(storedNamesOf(SystemMetricSource::Wandb, QStringLiteral("system/cpu_percent")).size(), size_t(1));
    }

    void mlflowFileStoreShowsThemAsOurs()
    {
        const QString run = dir_.filePath(QStringLiteral("mlruns/1/r1"));
        test::writeFile(dir_.filePath(QStringLiteral("mlruns/1/meta.yaml")),
            "artifact_location: file:///x\nexperiment_id: '1'\nlifecycle_stage: active\nname: sys\n");
        test::writeFile(run + QStringLiteral("/meta.yaml"),
            "artifact_uri: file:///x/r1/artifacts\nend_time: 1700000009000\nexperiment_id: '1'\n"
            "lifecycle_stage: active\nrun_id: r1\nrun_name: gpu-run\nrun_uuid: r1\nstart_time: 1700000000000\n"
            "status: 3\nuser_id: ada\n");
        test::writeFile(run + QStringLiteral("/metrics/loss"), "1700000000001 0.9 0\n1700000000002 0.5 1\n");
        // MLflow 2.8's monitor: megabytes of 10^6 bytes, one sample per 10 s.
        test::writeFile(run + QStringLiteral("/metrics/system/gpu_0_memory_usage_megabytes"),
            "1700000000001 70000 0\n1700000000011 81000 1\n1700000000021 75000 2\n");
        test::writeFile(run + QStringLiteral("/metrics/system/gpu_0_utilization_percentage"),
            "1700000000001 40 0\n1700000000011 95 1\n");
        test::writeFile(run + QStringLiteral("/metrics/system/network_receive_megabytes"), "1700000000001 3.5 0\n");
        const QString store = dir_.filePath(QStringLiteral("mlruns"));
        const auto before = test::treeHash(store);

        auto opened = openStore(store);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 1);
        const MetricColumn* mem = t.metric(QStringLiteral("system/gpu.0.memory_used_mb"));
        QVERIFY(mem);
        QVERIFY(near(mem->max[0], 81000 * 1e6 / kMiB));
        QVERIFY(near(mem->min[0], 70000 * 1e6 / kMiB));
        QVERIFY(near(mem->last[0], 75000 * 1e6 / kMiB));
        QVERIFY(near(mem->mean[0], 75333.333333333333 * 1e6 / kMiB));   // scaled as the rest
        QCOMPARE(t.metric(QStringLiteral("system/gpu.0.utilization_percent"))->max[0], 95.0);
        QVERIFY(!t.metric(QStringLiteral("system/gpu_0_memory_usage_megabytes")));
        QVERIFY(t.metric(QStringLiteral("system/network_receive_megabytes")));   // kept as logged

        auto series = (*opened)->loadSeries(t.id(0), QStringLiteral("system/gpu.0.memory_used_mb"));
        QVERIFY2(series, qPrintable(series ? QString() : series.error()));
        QCOMPARE(series->size(), size_t(3));
        QVERIFY(near(series->values[1], 81000 * 1e6 / kMiB));
        QCOMPARE(series->steps[2], int64_t(2));
        QVERIFY(!(*opened)->loadSeries(t.id(0), QStringLiteral("system/gpu.1.memory_used_mb")));

        auto details = (*opened)->loadDetails(t.id(0));
        QVERIFY(details);
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
        opened->reset();
        QCOMPARE(test::treeHash(store), before);
    }

    void mlflowSqliteShowsThemAsOurs()
    {
        const QString fixture = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-sqlite/mlflow.db");
        if (!QFileInfo::exists(fixture))
            QFAIL(test::kMissingFixtures);
        const QString path = dir_.filePath(QStringLiteral("mlflow.db"));
        QVERIFY(QFile::copy(fixture, path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        QString runId;
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            auto first = db.prepare("SELECT run_uuid FROM runs ORDER BY run_uuid LIMIT 1");
            QVERIFY(first.step());
            runId = QString::fromUtf8(first.text(0).data(), qsizetype(first.text(0).size()));
            // An AMD GPU under MLflow's ROCm monitor: gigabytes of 10^9 bytes.
            auto ins = db.prepare("INSERT INTO metrics(key, value, timestamp, run_uuid, step, is_nan) "
                                  "VALUES(?, ?, ?, ?, ?, 0)");
            const std::pair<const char*, double> points[] = {{"system/gpu_1_memory_usage_gigabytes", 60.0},
                {"system/gpu_1_memory_usage_gigabytes", 64.0}, {"system/cpu_utilization_percentage", 12.5}};
            int64_t step = 0;
            for (const auto& [key, value] : points) {
                ins.bind(1, key).bind(2, value).bind(3, int64_t(1700000000000 + step)).bind(4, runId.toStdString())
                    .bind(5, step).run();
                ++step;
            }
        }
        auto opened = openStore(path);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        const int row = t.findRun(runId);
        QVERIFY(row >= 0);
        const MetricColumn* mem = t.metric(QStringLiteral("system/gpu.1.memory_used_mb"));
        QVERIFY(mem);
        QVERIFY(near(mem->max[size_t(row)], 64e9 / kMiB));
        QCOMPARE(t.metric(QStringLiteral("system/cpu_percent"))->last[size_t(row)], 12.5);
        QVERIFY(!t.metric(QStringLiteral("system/cpu_utilization_percentage")));
        auto series = (*opened)->loadSeries(runId, QStringLiteral("system/gpu.1.memory_used_mb"));
        QVERIFY2(series, qPrintable(series ? QString() : series.error()));
        QCOMPARE(series->size(), size_t(2));
        QVERIFY(near(series->values[0], 60e9 / kMiB));
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
    }

    void wandbStatsShowAsOurs()
    {
        wb::LogWriter log;
        wb::Run run;
        run.id = "sys00001";
        run.name = "gpu-run";
        run.project = "p";
        run.startSeconds = 1700000000;
        log.append(wb::runRecord(run));
        log.append(wb::historyRecord(0, 1700000001, 1, {{"loss", "0.5"}}));
        log.append(wb::statsRecord(1700000010, {{"gpu.0.memoryAllocatedBytes", "42949672960"}, {"gpu.0.gpu", "97"},
                                                  {"proc.memory.rssMB", "2048.5"}, {"cpu", "3.5"}}));
        log.append(wb::statsRecord(1700000020, {{"gpu.0.memoryAllocatedBytes", "21474836480"}, {"gpu.0.gpu", "88"},
                                                  {"proc.memory.rssMB", "2050"}, {"cpu", "4"}}));
        log.append(wb::exitRecord(0, 20));
        const QString folder = dir_.filePath(QStringLiteral("wandb/run-20240101_000000-sys00001"));
        test::writeFile(folder + QStringLiteral("/run-sys00001.wandb"), log.bytes());

        auto opened = openStore(dir_.filePath(QStringLiteral("wandb")));
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 1);
        QCOMPARE(t.metric(QStringLiteral("system/gpu.0.memory_used_mb"))->max[0], 40960.0);
        QCOMPARE(t.metric(QStringLiteral("system/gpu.0.utilization_percent"))->last[0], 88.0);
        QCOMPARE(t.metric(QStringLiteral("system/process.rss_mb"))->max[0], 2050.0);
        // W&B's "cpu" is divided by the core count: not our process CPU, kept.
        QVERIFY(t.metric(QStringLiteral("system/cpu")));
        QVERIFY(!t.metric(QStringLiteral("system/gpu.0.memoryAllocatedBytes")));
        auto series = (*opened)->loadSeries(t.id(0), QStringLiteral("system/gpu.0.memory_used_mb"));
        QVERIFY(series);
        QCOMPARE(series->size(), size_t(2));
        QCOMPARE(series->values[1], 20480.0);
    }
};

QTEST_GUILESS_MAIN(TestForeignSystemMetrics)
#include "test_foreign_system_metrics.moc"
