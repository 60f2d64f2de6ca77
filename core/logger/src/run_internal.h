// SPDX-License-Identifier: MIT
// The logging library's private parts shared by its files: the records the
// writer applies, name and value checks, the clock, and Run::Impl (the state
// shared by the logging threads and the writer thread).
#pragma once

#include "provenance.h"
#include "runlens/media.h"
#include "runlens/runlens.h"
#include "runlens/series_writer.h"
#include "runlens/sqlite_db.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

namespace runlens {

namespace detail {

inline int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline double nowSeconds()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// "10 s", "500 ms": an interval, for messages.
inline std::string durationText(std::chrono::milliseconds ms)
{
    return ms.count() % 1000 == 0 ? std::to_string(ms.count() / 1000) + " s" : std::to_string(ms.count()) + " ms";
}

// "1 point", "2 points": for messages.
inline std::string points(uint64_t n)
{
    return std::to_string(n) + (n == 1 ? " point" : " points");
}

// Set on the logging thread when logMetric() returned false because it
// dropped the point (the buffer was full), cleared when it returned false for
// another reason: the C ABI tells the two apart by it (RL_DROPPED), which
// lastError() cannot do race-free while the writer also reports there.
inline thread_local bool t_point_dropped = false;

// How many forks this process is from the one that started the runs it
// holds: each child forked from a process that logs (a DataLoader worker,
// os.fork, multiprocessing's fork) counts one more (pthread_atfork). A run
// belongs to the process that started it: its writer and sampler threads
// are not in a child, so there every call is a no-op that never waits on
// them or on a lock one of them held when the process forked.
uint64_t forkGeneration();

// $RUNLENS_SYSTEM_METRICS: on unless 0, false, off or no (any case).
bool systemMetricsByDefault();
// RunOptions::sync, else $RUNLENS_SYNC; nullopt: no sync (run_sync.cpp).
std::optional<std::string> syncUrl(const RunOptions& options);
// RunOptions::system_metrics, else systemMetricsByDefault() (run_system_metrics.cpp).
bool systemMetricsWanted(const RunOptions& options);

// Empty when acceptable, else why not (record_checks.cpp).
std::string checkKey(std::string_view what, std::string_view key);
std::string checkValue(std::string_view what, std::string_view value);

// Records other than metric points, applied by the writer in logging order.
struct ParamRecord {
    std::string key, type, value;
};
struct ConfigRecord {
    std::string name, json;
};
struct TagRecord {
    std::string key, value;
};
struct RunTextRecord {
    std::string column, value;
}; // notes, hypothesis
struct DataVersionRecord {
    std::string name, version;
};
struct EnvRecord {
    std::string key, value;
};
struct ArtifactRecord {
    std::string path, uri;
    int64_t size;
    std::string sha256;
};
// An image, table, text or confusion matrix (runlens/media.h). An image
// logged as pixels holds them packed in `bytes` (raw_channels > 0) until the
// writer encodes it.
struct MediaRecord {
    std::string key;
    int64_t step = 0;
    bool stepped = false;
    MediaKind kind = MediaKind::Image;
    std::string format;
    std::vector<uint8_t> bytes;
    int width = 0, height = 0, raw_channels = 0;
    std::string caption;
    int64_t time_ms = 0;
};
struct FinishRecord {
    RunStatus status;
    int64_t end_ms;
};
using Record = std::variant<ParamRecord, ConfigRecord, TagRecord, RunTextRecord, DataVersionRecord, EnvRecord,
    ArtifactRecord, MediaRecord, FinishRecord>;

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

} // namespace detail

using namespace detail;

// Media waiting past this wake the writer before its interval is up
// (run_media.cpp refuses past 16 times this).
inline constexpr size_t kMediaDrainBytes = size_t(16) << 20;

// How soon the first points of a run are written: a run killed before its
// first flush interval (5 s, say) would otherwise keep none.
inline constexpr std::chrono::milliseconds kFirstFlushDelay{100};

struct Run::Impl {
    std::string store_path, id, name;
    RunOptions options;
    bool enabled = true;
    // The fork generation the run was started in (detail::forkGeneration).
    const uint64_t fork_generation = detail::forkGeneration();
    bool forked() const { return fork_generation != detail::forkGeneration(); }
    // Whether calls log: not on a rank that logs nothing, not in a forked child.
    bool live() const { return enabled && !forked(); }
    std::filesystem::path cwd;
    // The writer drains the buffer early once it holds this many points.
    size_t drain_at = 1;

    // Shared between loggers and the writer, guarded by mu.
    mutable std::mutex mu;
    std::condition_variable wake; // writer waits on it
    std::condition_variable flushed; // flush() waits on it
    std::condition_variable room; // logMetric waits on it when the buffer is full (Block)
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> series_index;
    std::vector<std::string> series_keys;
    std::vector<std::vector<MetricPoint>> pending;
    std::vector<Record> records;
    // Points logged and not yet committed: `pending` and the writer's `spare`.
    size_t buffered_points = 0;
    // Bytes of media in `records` and the writer's batch (run_media.cpp).
    size_t buffered_media_bytes = 0;
    uint64_t dropped_points = 0;
    uint64_t dropped_reported = 0; // what flush() has already reported
    std::string drop_reason;       // why the buffer was full when points were last dropped
    bool first_point_logged = false;
    bool first_point_due = false; // logged, and the writer has not taken it yet
    std::chrono::steady_clock::time_point first_point_at;
    uint64_t flush_requested = 0, flush_done = 0;
    bool write_failing = false;     // the writer's last attempt failed ...
    std::string write_error;        // ... for this reason
    bool store_lost = false;        // the store file was deleted or replaced: for good
    std::string finish_error;       // what finishing could not save; empty if all
    bool finish_ok = true;
    bool stopping = false;
    bool finished = false;
    std::string last_error;

    // Writer thread only.
    std::unique_ptr<SqliteDb> db;
    uint64_t store_dev = 0, store_ino = 0; // the store file as opened
    std::vector<std::optional<SeriesWriter>> on_disk; // empty until a series is first written
    std::vector<std::vector<MetricPoint>> spare;
    uint64_t dropped_on_disk = 0; // the runlens.dropped_points tag as last committed
    std::map<std::string, std::string> params_for_hash, data_for_hash;
    std::string git_for_hash;
    bool hash_dirty = true;
    // The git state Run::start captured for its "already tried" lookup, for
    // writeProvenance to record rather than capture again.
    std::optional<GitState> git_at_start;
    // The "already tried" message is said once a run (stderr). Set by
    // Run::start before the writer exists, then under mu.
    bool tried_told = false;
    std::thread writer;

    // System metrics (system_sampler.h) on a thread of their own, so that a
    // slow /proc or NVML read never delays a flush. The thread object is
    // started and joined under sampler_mu only (one start or stop at a time);
    // the flags are guarded by mu.
    std::mutex sampler_mu;
    std::thread sampler;
    std::condition_variable sampler_wake;
    bool sampler_stop = false;
    bool sampler_closed = false; // finishing: no sampler starts again
    // The next sample's step: 0 for a new run, after the last for a resumed one.
    int64_t next_system_step = 0;

    void setError(std::string message)
    {
        if (forked())
            return; // mu may be held by a thread that is not in this process
        std::lock_guard lock(mu);
        last_error = std::move(message);
    }

    bool push(Record record)
    {
        if (!live())
            return true;
        std::lock_guard lock(mu);
        if (finished) {
            last_error = "the run has finished; nothing more is logged";
            return false;
        }
        records.push_back(std::move(record));
        return true;
    }

    // Queues media for the writer (run_media.cpp): checks the key and size,
    // and refuses rather than waits when too much is queued already.
    bool pushMedia(MediaRecord record);

    // `mayWait`: false for the system sampler, whose points are expendable:
    // a full buffer drops them (uncounted) rather than making it wait.
    bool logMetric(std::string_view key, double value, int64_t step, double wall, bool mayWait = true)
    {
        if (!live())
            return true;
        std::unique_lock lock(mu);
        if (finished) [[unlikely]] {
            last_error = "the run has finished; nothing more is logged";
            t_point_dropped = false;
            return false;
        }
        auto it = series_index.find(key);
        size_t index;
        if (it == series_index.end()) [[unlikely]] {
            if (auto why = checkKey("metric", key); !why.empty()) {
                last_error = why;
                t_point_dropped = false;
                return false;
            }
            index = series_keys.size();
            series_index.emplace(std::string(key), index);
            series_keys.emplace_back(key);
            pending.emplace_back();
        } else {
            index = it->second;
        }
        if (buffered_points >= options.max_buffered_points) [[unlikely]] {
            if (!mayWait)
                return false;
            if (!makeRoom(lock))
                return false;
        }
        pending[index].push_back({step, wall, value});
        if (++buffered_points == drain_at || !first_point_logged) [[unlikely]] {
            if (!first_point_logged) {
                first_point_logged = first_point_due = true;
                first_point_at = std::chrono::steady_clock::now();
            }
            wake.notify_one();
        }
        return true;
    }

    // The buffer is full: waits for the writer to make room (Block) or drops
    // the point (Drop, or a store that will never take writes again). True
    // when the point may go in.
    bool makeRoom(std::unique_lock<std::mutex>& lock);

    void writerLoop();
    // Starts sampling every `interval` (stopping a sampler already running);
    // <= 0 only stops. Not under mu.
    void startSampler(std::chrono::milliseconds interval);
    // Stops sampling for good (finish): no start after it succeeds.
    void closeSampler();
    // Starts `runlens push --watch --run` for this run (run_sync.cpp); empty,
    // else why it could not.
    std::string startSync(const std::string& url, std::chrono::milliseconds interval);
    void samplerLoop(std::chrono::milliseconds interval);
    // Waits for the next write: the flush interval, a flush() or finish(), a
    // buffer half full, the first point; while finishing, the retry delay.
    void waitForWork(std::unique_lock<std::mutex>& lock);
    void writeBatch(std::vector<Record>& batch, size_t series_count, uint64_t dropped, const std::string& drop_why);
    // After finish() could not write everything: the end of the run and how
    // many points are missing, without the points, if the store takes that.
    void recordEndWithoutPoints(const std::vector<Record>& batch, uint64_t missing, const std::string& why);
    // Throws Error when the file at store_path is no longer the one opened.
    void checkStoreIdentity();
    // The writer of series `index`, its metrics row made on first use.
    SeriesWriter writerFor(size_t index);
    void writeRecord(const Record& record);
    void writeMedia(const MediaRecord& record);
    void writeProvenance();
    void updateReproHash();
};


} // namespace runlens
