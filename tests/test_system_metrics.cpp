// SPDX-License-Identifier: GPL-3.0-or-later
// System metrics (issue 17, item 1): the sampler against /proc read here, a
// busy and an idle process, memory allocated on purpose, NVML absent (one
// note, no GPU keys) and a stub NVML with two GPUs decoded; and in a run:
// samples land in the store as system/ series numbered from 0, go on after a
// resume, and are off by the option or $RUNLENS_SYSTEM_METRICS.
#include "system_sampler.h"

#include "runlens/sqlite_db.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/statvfs.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>

using namespace runlens;
using namespace std::chrono_literals;

namespace {

std::map<std::string, double> asMap(const std::vector<std::pair<std::string, double>>& values)
{
    return {values.begin(), values.end()};
}

double procRssMb()
{
    std::ifstream statm("/proc/self/statm");
    double size = 0, resident = 0;
    statm >> size >> resident;
    return resident * double(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double procMemAvailableMb()
{
    std::ifstream meminfo("/proc/meminfo");
    std::string key, rest;
    double v = 0;
    while (meminfo >> key >> v) {
        std::getline(meminfo, rest);
        if (key == "MemAvailable:")
            return v / 1024.0;
    }
    return -1;
}

void busyFor(std::chrono::milliseconds ms)
{
    volatile double x = 0;
    const auto until = std::chrono::steady_clock::now() + ms;
    while (std::chrono::steady_clock::now() < until)
        for (int i = 0; i < 10000; ++i)
            x = x + i * 0.5;
}

} // namespace

class TestSystemMetrics : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    std::vector<std::string> systemKeys(const QString& store, const QString& run)
    {
        auto reader = test::mustOpen(store);
        auto details = reader->loadDetails(run);
        std::vector<std::string> keys;
        if (!details)
            return keys;
        for (const auto& m : details->metrics)
            if (m.key.startsWith(QLatin1String("system/")))
                keys.push_back(m.key.toStdString());
        return keys;
    }

private slots:
    void samplerReadsWhatProcSays()
    {
        detail::SystemSampler sampler(dir_.path().toStdString(), "libnvidia-ml-not-here.so.1");
        busyFor(700ms);
        auto busy = asMap(sampler.sample());
        QVERIFY2(busy.count("system/process.cpu_percent"), "no process CPU");
        // One thread spinning: about one core (100), less on a loaded machine.
        QVERIFY2(busy["system/process.cpu_percent"] > 25 && busy["system/process.cpu_percent"] < 250,
                 qPrintable(QString::number(busy["system/process.cpu_percent"])));
        QVERIFY(busy["system/cpu_percent"] > 0 && busy["system/cpu_percent"] <= 100.0001);

        std::this_thread::sleep_for(700ms);
        auto idle = asMap(sampler.sample());
        QVERIFY2(idle["system/process.cpu_percent"] < 20, qPrintable(QString::number(idle["system/process.cpu_percent"])));

        // 256 MiB touched: the resident size grows by it, as /proc says.
        const double before = asMap(sampler.sample())["system/process.rss_mb"];
        std::vector<char> block(256u << 20);
        for (size_t i = 0; i < block.size(); i += 4096)
            block[i] = char(i);
        auto after = asMap(sampler.sample());
        QVERIFY2(after["system/process.rss_mb"] - before > 240,
                 qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after["system/process.rss_mb"])));
        QVERIFY(std::abs(after["system/process.rss_mb"] - procRssMb()) < 8);
        QVERIFY(block[4096] == char(4096));

        const double available = procMemAvailableMb();
        QVERIFY(std::abs(after["system/memory.available_mb"] - available) < 0.1 * available + 64);
        QVERIFY(after["system/memory.used_mb"] > 0);
        struct statvfs fs {};
        QCOMPARE(::statvfs(dir_.path().toLocal8Bit().constData(), &fs), 0);
        const double freeGb = double(fs.f_bavail) * double(fs.f_frsize) / (1024.0 * 1024.0 * 1024.0);
        QVERIFY(std::abs(after["system/disk.free_gb"] - freeGb) < 0.05 * freeGb + 0.5);
        for (const char* rate : {"system/network.receive_mb_per_s", "system/network.transmit_mb_per_s"})
            if (after.count(rate))
                QVERIFY(after[rate] >= 0);
        for (const auto& [key, value] : after)
            QVERIFY2(std::isfinite(value), key.c_str());
    }

    void withoutNvmlThereIsOneNoteAndNoGpuKeys()
    {
        detail::SystemSampler sampler(dir_.path().toStdString(), "libnvidia-ml-not-here.so.1");
        QVERIFY2(sampler.gpuNote().find("not found") != std::string::npos, sampler.gpuNote().c_str());
        std::this_thread::sleep_for(50ms);
        for (const auto& [key, value] : sampler.sample())
            QVERIFY2(key.rfind("system/gpu", 0) != 0, key.c_str());
    }

    void aStubNvmlIsDecoded()
    {
        detail::SystemSampler sampler(dir_.path().toStdString(), RUNLENS_NVML_STUB);
        QCOMPARE(sampler.gpuNote(), std::string("2 GPU(s) through NVML"));
        std::this_thread::sleep_for(50ms);
        auto v = asMap(sampler.sample());
        QCOMPARE(v["system/gpu.0.utilization_percent"], 87.0);
        QCOMPARE(v["system/gpu.0.memory_used_mb"], 12345.0);
        QCOMPARE(v["system/gpu.0.memory_total_mb"], 81920.0);
        QCOMPARE(v["system/gpu.0.temperature_c"], 64.0);
        QCOMPARE(v["system/gpu.0.power_w"], 250.5);
        QCOMPARE(v["system/gpu.1.memory_used_mb"], 512.0);
        QCOMPARE(v["system/gpu.1.temperature_c"], 41.0);
        QVERIFY(!v.count("system/gpu.1.power_w")); // the board cannot say: left out, not 0
        QVERIFY(!v.count("system/gpu.2.utilization_percent"));
    }

    void aRunSamplesIntoItsStoreAndGoesOnAfterAResume()
    {
        const QString store = dir_.filePath(QStringLiteral("sampled.db"));
        RunOptions o = test::testRun("sampled");
        o.system_metrics = true;
        o.system_metrics_interval = 100ms;
        std::string id;
        {
            auto run = Run::start(store.toStdString(), o);
            id = run.id();
            run.logMetric("loss", 1.0, 0);
            std::this_thread::sleep_for(450ms);
            QVERIFY(run.finish());
        }
        auto reader = test::mustOpen(store);
        auto series = reader->loadSeries(QString::fromStdString(id), QStringLiteral("system/process.rss_mb"));
        QVERIFY2(series, qPrintable(series ? QString() : series.error()));
        QVERIFY2(series->size() >= 2 && series->size() <= 6, qPrintable(QString::number(series->size()))); // 4, give or take load
        for (size_t i = 0; i < series->size(); ++i)
            QCOMPARE(series->steps[i], int64_t(i));
        QVERIFY(series->values[0] > 1);
        auto details = reader->loadDetails(QString::fromStdString(id));
        QVERIFY(details);
        bool noted = false;
        for (const auto& [k, v] : details->environment)
            noted = noted || (k == QLatin1String("system_metrics") && v.contains(QLatin1String("every 100 ms")));
        QVERIFY(noted);
        const size_t first = series->size();
        reader.reset();

        {
            auto run = Run::resume(store.toStdString(), id, o);
            std::this_thread::sleep_for(250ms);
            QVERIFY(run.finish());
        }
        reader = test::mustOpen(store);
        series = reader->loadSeries(QString::fromStdString(id), QStringLiteral("system/process.rss_mb"));
        QVERIFY(series->size() > first);
        for (size_t i = 0; i < series->size(); ++i)
            QCOMPARE(series->steps[i], int64_t(i)); // numbered on, no step twice
    }

    void offByTheOptionOrTheEnvironment()
    {
        const QString store = dir_.filePath(QStringLiteral("off.db"));
        auto runFor = [&](std::optional<bool> wanted, const char* env) {
            if (env)
                ::setenv("RUNLENS_SYSTEM_METRICS", env, 1);
            else
                ::unsetenv("RUNLENS_SYSTEM_METRICS");
            RunOptions o = test::testRun("off");
            o.system_metrics = wanted;
            o.system_metrics_interval = 50ms;
            auto run = Run::start(store.toStdString(), o);
            run.logMetric("loss", 1.0, 0);
            std::this_thread::sleep_for(250ms);
            run.finish();
            ::unsetenv("RUNLENS_SYSTEM_METRICS");
            return systemKeys(store, QString::fromStdString(run.id()));
        };
        QVERIFY(runFor(false, nullptr).empty());
        QVERIFY(runFor(std::nullopt, "0").empty());
        QVERIFY(runFor(std::nullopt, "off").empty());
        QVERIFY(!runFor(std::nullopt, nullptr).empty()); // on by default
        QVERIFY(!runFor(true, "0").empty());             // the option wins

        // Turned off while the run goes on: no sample after that.
        RunOptions o = test::testRun("stopped");
        o.system_metrics_interval = 50ms;
        auto run = Run::start(store.toStdString(), o);
        QVERIFY(run.setSystemMetricsInterval(0ms));
        std::this_thread::sleep_for(200ms);
        run.finish();
        QVERIFY(systemKeys(store, QString::fromStdString(run.id())).empty());
        QVERIFY(!run.setSystemMetricsInterval(50ms)); // finished
    }

    // Found by review: starts and stops from several threads at once, and a
    // finish among them, used to abort (a thread assigned over a running one)
    // or hang (two joins of one thread). Now they take turns.
    void startsAndStopsFromSeveralThreadsAndAFinish()
    {
        const QString store = dir_.filePath(QStringLiteral("threads.db"));
        for (int round = 0; round < 3; ++round) {
            RunOptions o = test::testRun("threads");
            o.system_metrics_interval = 1ms;
            auto run = Run::start(store.toStdString(), o);
            std::atomic<bool> go{false};
            auto churn = [&](int phase) {
                while (!go)
                    std::this_thread::yield();
                for (int i = 0; i < 300; ++i)
                    run.setSystemMetricsInterval(std::chrono::milliseconds((i + phase) % 3)); // 0: stop
            };
            std::thread a(churn, 0), b(churn, 1);
            go = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(5 * round));
            QVERIFY(run.finish());
            a.join();
            b.join();
            QVERIFY(!run.setSystemMetricsInterval(1ms)); // finished: nothing starts again
        }
    }

    // Found by review: with when_buffer_full = Block and a store refusing
    // writes, the sampler waited for room that never came and finish() with
    // it, past finish_timeout. System points are dropped instead.
    void aFullBufferNeverHoldsUpFinish()
    {
        const QString store = dir_.filePath(QStringLiteral("full.db"));
        RunOptions o = test::testRun("full");
        o.system_metrics_interval = 1ms;
        o.when_buffer_full = WhenBufferFull::Block;
        o.max_buffered_points = 8;
        o.flush_interval = 50ms;
        o.finish_timeout = 300ms;
        o.busy_timeout = 50ms;
        auto run = Run::start(store.toStdString(), o);
        run.logMetric("loss", 1.0, 0);
        SqliteDb lock(store.toStdString(), SqliteDb::Mode::ReadWriteCreate);
        lock.exec("BEGIN EXCLUSIVE");
        // The sampler fills the buffer the locked store cannot drain (this
        // thread logs nothing more: under Block it would wait, as it should).
        std::this_thread::sleep_for(200ms);
        const auto before = std::chrono::steady_clock::now();
        run.finish(); // gives up on what the store refuses, after finish_timeout
        const auto took = std::chrono::steady_clock::now() - before;
        lock.exec("ROLLBACK");
        // A hang guard, not a speed figure: finish_timeout plus retries, never unbounded.
        QVERIFY2(took < 20s, qPrintable(QString::number(std::chrono::duration<double>(took).count())));
    }

    void aForkedChildLeavesTheRunToItsParent()
    {
        // A DataLoader worker (fork) or os.fork() in training code: the child
        // holds a copy of the run, whose writer and sampler threads are not in
        // it. Whatever it calls returns at once, logs nothing, and it exits;
        // the parent's run goes on as if nothing happened.
        const QString store = dir_.filePath(QStringLiteral("forked.db"));
        RunOptions o = test::testRun("forked");
        o.system_metrics = true;
        o.system_metrics_interval = 20ms;
        o.flush_interval = 10ms;
        auto run = Run::start(store.toStdString(), o);
        const std::string id = run.id();
        for (int i = 0; i < 200; ++i)
            run.logMetric("loss", 1.0, i);   // the writer busy as the process forks
        std::this_thread::sleep_for(60ms);
        const pid_t child = ::fork();
        if (child == 0) {
            bool ok = run.logMetric("loss", 99.0, 1000);
            ok = run.setTag("from", "child") && ok;
            ok = run.flush() && ok;
            ok = run.finish(RunStatus::Failed) && ok;
            ok = run.finished() && ok;
            {
                Run gone = std::move(run);   // and destroyed here, in the child
            }
            std::_Exit(ok ? 0 : 3);
        }
        QVERIFY(child > 0);
        int status = 0;
        pid_t done = 0;
        for (int waited = 0; waited < 1000 && (done = ::waitpid(child, &status, WNOHANG)) == 0; ++waited)
            std::this_thread::sleep_for(10ms);
        if (done == 0) {
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
            QFAIL("the forked child hung on the parent's run");
        }
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        run.logMetric("loss", 0.5, 200);
        QVERIFY(run.finish());
        auto reader = test::mustOpen(store);
        auto table = test::mustLoad(*reader);
        const int row = table->findRun(QString::fromStdString(id));
        QCOMPARE(table->status(row), RunStatus::Finished);
        QCOMPARE(table->metric(QStringLiteral("loss"))->count[size_t(row)], int64_t(201));
        QCOMPARE(table->metric(QStringLiteral("loss"))->lastStep[size_t(row)], int64_t(200));
        QVERIFY(!table->tag(QStringLiteral("from")));
        QVERIFY(!systemKeys(store, QString::fromStdString(id)).empty());
    }

    void theDefaultIntervalLeavesAShortRunAlone()
    {
        const QString store = dir_.filePath(QStringLiteral("short.db"));
        auto run = Run::start(store.toStdString(), test::testRun("short"));
        run.logMetric("loss", 1.0, 0);
        std::this_thread::sleep_for(200ms);
        run.finish();
        QVERIFY(systemKeys(store, QString::fromStdString(run.id())).empty()); // first sample after 10 s
    }
};

QTEST_GUILESS_MAIN(TestSystemMetrics)
#include "test_system_metrics.moc"
