// SPDX-License-Identifier: GPL-3.0-or-later
// Logging: the cost of one logMetric call, against a CSV row a point into a
// buffered file (what a training script does without a tracker) and the
// floor of a vector append; points per second to disk, against raw SQLite
// inserts (one row per point, and 1,024-point blobs); the call with the
// system sampler running beside it, against the same loop without; the call
// and Run::start while the run is synced to a team store that is down (its
// push process retrying beside the loop), against the same without sync.
#include "bench_timer.h"
#include "runlens/chunk_codec.h"
#include "runlens/runlens.h"
#include "runlens/sqlite_db.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace runlens;
using namespace runlens::bench;
namespace fs = std::filesystem;

namespace {

void removeStore(const std::string& path)
{
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(path + suffix);
}

// Raw SQLite, one row per point, batched in transactions: what a naive logger does.
double rawRowsPerSecond(const std::string& path, int points)
{
    removeStore(path);
    SqliteDb db(path, SqliteDb::Mode::ReadWriteCreate);
    db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            "CREATE TABLE points(run_id TEXT, key TEXT, step INTEGER, wall REAL, value REAL)");
    auto ins = db.prepare("INSERT INTO points VALUES('run', ?, ?, ?, ?)");
    Stopwatch sw;
    for (int i = 0; i < points;) {
        SqliteTransaction tx(db);
        for (int j = 0; j < 10000 && i < points; ++j, ++i)
            ins.bind(1, "loss").bind(2, int64_t(i)).bind(3, 1.7e9 + i).bind(4, 1.0 / (i + 1)).run();
        tx.commit();
    }
    return points / sw.seconds();
}

// Raw SQLite with 1,024-point blobs: the floor for our chunked layout.
double rawBlobsPerSecond(const std::string& path, int points)
{
    removeStore(path);
    SqliteDb db(path, SqliteDb::Mode::ReadWriteCreate);
    db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            "CREATE TABLE chunks(id INTEGER PRIMARY KEY, points BLOB)");
    auto ins = db.prepare("INSERT INTO chunks(points) VALUES(?)");
    std::vector<MetricPoint> chunk(kChunkCapacity);
    Stopwatch sw;
    SqliteTransaction tx(db);
    for (int i = 0; i < points; i += int(kChunkCapacity)) {
        for (size_t j = 0; j < chunk.size(); ++j)
            chunk[j] = {int64_t(i) + int64_t(j), 1.7e9 + i, 1.0 / (i + 1)};
        const auto blob = encodeChunk(chunk);
        ins.bindBlob(1, blob).run();
    }
    tx.commit();
    return points / sw.seconds();
}

RunOptions benchOptions(const char* name)
{
    RunOptions o;
    o.experiment = "bench";
    o.name = name;
    o.capture_git = false;
    o.capture_environment = false;
    o.system_metrics = false; // measured on their own, below
    return o;
}

// logMetric's cost per call while system metrics are sampled every
// `sampling` (0: not at all), as the mean and the worst of 1,000-call
// batches in microseconds per call: the sampler must not show up in either.
struct CallCost {
    double meanNs = 0, worstBatchNs = 0;
};

CallCost callCost(const std::string& store, RunOptions options, int points, double* startSeconds = nullptr)
{
    removeStore(store);
    options.max_buffered_points = size_t(points) * 2;
    Stopwatch started;
    auto run = Run::start(store, options);
    if (startSeconds)
        *startSeconds = started.seconds();
    CallCost cost;
    Stopwatch total;
    for (int i = 0; i < points; i += 1000) {
        Stopwatch batch;
        for (int j = i; j < i + 1000; ++j)
            run.logMetric("train/loss", 1.0 / (j + 1), j);
        cost.worstBatchNs = std::max(cost.worstBatchNs, batch.seconds() * 1e9 / 1000);
    }
    cost.meanNs = total.seconds() * 1e9 / points;
    run.finish();
    removeStore(store);
    return cost;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string dir = argc > 1 ? argv[1] : fs::temp_directory_path().string();
    const std::string store = dir + "/runlens-bench-logging.db";
    const std::string raw = dir + "/runlens-bench-raw.db";
    const int callPoints = 10'000'000;
    const int diskPoints = 20'000'000;
    const int rawPoints = 2'000'000;

    const double rawRows = rawRowsPerSecond(raw, rawPoints);
    const double rawBlobs = rawBlobsPerSecond(raw, diskPoints);
    removeStore(raw);

    // 1. The cost of one call while the writer thread flushes alongside. The
    // buffer holds every point: the loop outruns the disk, and the call, not
    // the policy for a full buffer, is what is measured.
    removeStore(store);
    double nsPerCall;
    {
        auto options = benchOptions("calls");
        options.max_buffered_points = callPoints;
        auto run = Run::start(store, options);
        Stopwatch sw;
        for (int i = 0; i < callPoints; ++i)
            run.logMetric("train/loss", 1.0 / (i + 1), i);
        nsPerCall = sw.seconds() * 1e9 / callPoints;
        run.finish();
    }
    // Baseline: appending the same point to a vector, the least any buffer can do.
    double nsVector;
    {
        std::vector<MetricPoint> v;
        Stopwatch sw;
        for (int i = 0; i < callPoints; ++i)
            v.push_back({i, 1.7e9, 1.0 / (i + 1)});
        nsVector = sw.seconds() * 1e9 / callPoints;
        std::printf("(vector holds %zu points)\n", v.size());
    }

    // The alternative a script has: a CSV row a point into a stdio-buffered file.
    double nsCsv;
    {
        const std::string csv = dir + "/runlens-bench-logging.csv";
        FILE* f = std::fopen(csv.c_str(), "w");
        std::fputs("key,step,time,value\n", f);
        Stopwatch sw;
        for (int i = 0; i < callPoints; ++i)
            std::fprintf(f, "train/loss,%d,%.3f,%.17g\n", i, 1.7e9, 1.0 / (i + 1));
        nsCsv = sw.seconds() * 1e9 / callPoints;
        std::fclose(f);
        fs::remove(csv);
    }

    // 2. Sustained: 20 M points over 10 keys, from the first call until finish()
    // has written the last point to disk. Faster than the disk takes them:
    // with the default bound on the buffer, Block keeps them all (at the
    // disk's pace) where Drop would drop most.
    removeStore(store);
    double sustained;
    {
        static const char* keys[] = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"};
        auto options = benchOptions("sustained");
        options.when_buffer_full = WhenBufferFull::Block;
        auto run = Run::start(store, options);
        Stopwatch sw;
        for (int i = 0; i < diskPoints; ++i)
            run.logMetric(keys[i % 10], 1.0 / (i + 1), i / 10);
        run.finish();
        sustained = diskPoints / sw.seconds();
    }
    const auto size = fs::file_size(store);
    removeStore(store);

    // 3. The system sampler beside the loop, at 100x its default rate (every
    // 100 ms), against the same loop with no sampler: the same run, alternated
    // three times so that the machine's drift falls on both.
    CallCost sampled, unsampled;
    auto sampling = benchOptions("sampled");
    sampling.system_metrics = true;
    sampling.system_metrics_interval = std::chrono::milliseconds(100);
    for (int round = 0; round < 3; ++round) {
        const CallCost off = callCost(store, benchOptions("unsampled"), 5'000'000);
        const CallCost on = callCost(store, sampling, 5'000'000);
        unsampled.meanNs += off.meanNs / 3;
        sampled.meanNs += on.meanNs / 3;
        unsampled.worstBatchNs = std::max(unsampled.worstBatchNs, off.worstBatchNs);
        sampled.worstBatchNs = std::max(sampled.worstBatchNs, on.worstBatchNs);
    }

    // 4. Synced to a team store that is down (nothing listens on the port):
    // the push process beside the loop tries it every 100 ms (20x the default
    // rate). Against the same loop with sync off, alternated three times;
    // Run::start too, which starts that process.
    CallCost synced, unsynced;
    double syncedStart = 0, unsyncedStart = 0;
    auto syncing = benchOptions("synced");
    syncing.sync = "postgresql://runlens@127.0.0.1:9/team"; // the discard port: nothing answers
    syncing.sync_interval = std::chrono::milliseconds(100);
    auto notSyncing = benchOptions("unsynced");
    notSyncing.sync = std::string();
    for (int round = 0; round < 3; ++round) {
        double startOff = 0, startOn = 0;
        const CallCost off = callCost(store, notSyncing, 5'000'000, &startOff);
        const CallCost on = callCost(store, syncing, 5'000'000, &startOn);
        unsynced.meanNs += off.meanNs / 3;
        synced.meanNs += on.meanNs / 3;
        unsynced.worstBatchNs = std::max(unsynced.worstBatchNs, off.worstBatchNs);
        synced.worstBatchNs = std::max(synced.worstBatchNs, on.worstBatchNs);
        unsyncedStart = std::max(unsyncedStart, startOff);
        syncedStart = std::max(syncedStart, startOn);
    }

    std::printf("\nLogging (%s)\n", store.c_str());
    report("logMetric call (ns)", nsPerCall, "ns", "fprintf a CSV row, buffered", nsCsv);
    report("logMetric call (ns)", nsPerCall, "ns", "floor: std::vector push_back", nsVector);
    report("sustained to disk (M points/s)", sustained / 1e6, "M/s", "raw SQLite row per point", rawRows / 1e6);
    report("sustained to disk (M points/s)", sustained / 1e6, "M/s", "raw SQLite 1024-point blobs", rawBlobs / 1e6);
    std::printf("store size: %.1f MB for %d points (%.1f bytes/point)\n", double(size) / 1e6, diskPoints,
        double(size) / diskPoints);
    report("logMetric, system metrics every 100 ms, mean (ns)", sampled.meanNs, "ns", "same loop, no sampler",
        unsampled.meanNs);
    report("logMetric, same, worst 1,000-call batch (ns/call)", sampled.worstBatchNs, "ns", "same loop, no sampler",
        unsampled.worstBatchNs);
    report("logMetric, synced to a team store that is down, mean (ns)", synced.meanNs, "ns", "same loop, no sync",
        unsynced.meanNs);
    report("logMetric, same, worst 1,000-call batch (ns/call)", synced.worstBatchNs, "ns", "same loop, no sync",
        unsynced.worstBatchNs);
    report("Run::start with sync, worst of 3 (ms)", syncedStart * 1e3, "ms", "Run::start without sync",
        unsyncedStart * 1e3);
    return 0;
}
