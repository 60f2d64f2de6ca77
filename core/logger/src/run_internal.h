// SPDX-License-Identifier: MIT
// The logging library's private parts shared by its files: the records the
// writer applies, name and value checks, the clock, and Run::Impl (the state
// shared by the logging threads and the writer thread).
#pragma once

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
struct FinishRecord {
    RunStatus status;
    int64_t end_ms;
};
using Record = std::variant<ParamRecord, ConfigRecord, TagRecord, RunTextRecord, DataVersionRecord, EnvRecord,
    ArtifactRecord, FinishRecord>;

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

} // namespace detail

using namespace detail;

// How soon the first points of a run are written: a run killed before its
// first flush interval (5 s, say) would otherwise keep none.
inline constexpr std::chrono::milliseconds kFirstFlushDelay{100};

struct Run::Impl {
    std::string store_path, id, name;
    RunOptions options;
    bool enabled = true;
    std::filesystem::path cwd;

    // Shared between loggers and the writer, guarded by mu.
    mutable std::mutex mu;
    std::condition_variable wake; // writer waits on it
    std::condition_variable flushed; // flush() waits on it
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> series_index;
    std::vector<std::string> series_keys;
    std::vector<std::vector<MetricPoint>> pending;
    std::vector<Record> records;
    bool first_point_logged = false;
    bool first_point_due = false; // logged, and the writer has not taken it yet
    std::chrono::steady_clock::time_point first_point_at;
    uint64_t flush_requested = 0, flush_done = 0;
    bool stopping = false;
    bool finished = false;
    std::string last_error;

    // Writer thread only.
    std::unique_ptr<SqliteDb> db;
    std::vector<std::optional<SeriesWriter>> on_disk; // empty until a series is first written
    std::vector<std::vector<MetricPoint>> spare;
    std::map<std::string, std::string> params_for_hash, data_for_hash;
    std::string git_for_hash;
    bool hash_dirty = true;
    std::thread writer;

    void setError(std::string message)
    {
        std::lock_guard lock(mu);
        last_error = std::move(message);
    }

    bool push(Record record)
    {
        if (!enabled)
            return true;
        std::lock_guard lock(mu);
        if (finished) {
            last_error = "the run has finished; nothing more is logged";
            return false;
        }
        records.push_back(std::move(record));
        return true;
    }

    bool logMetric(std::string_view key, double value, int64_t step, double wall)
    {
        if (!enabled)
            return true;
        std::lock_guard lock(mu);
        if (finished) [[unlikely]] {
            last_error = "the run has finished; nothing more is logged";
            return false;
        }
        auto it = series_index.find(key);
        size_t index;
        if (it == series_index.end()) [[unlikely]] {
            if (auto why = checkKey("metric", key); !why.empty()) {
                last_error = why;
                return false;
            }
            index = series_keys.size();
            series_index.emplace(std::string(key), index);
            series_keys.emplace_back(key);
            pending.emplace_back();
        } else {
            index = it->second;
        }
        pending[index].push_back({step, wall, value});
        if (!first_point_logged) [[unlikely]] {
            first_point_logged = first_point_due = true;
            first_point_at = std::chrono::steady_clock::now();
            wake.notify_one();
        }
        return true;
    }

    void writerLoop();
    // Waits for the next write: the flush interval, a flush() or finish(),
    // the first point.
    void waitForWork(std::unique_lock<std::mutex>& lock);
    void writeBatch(std::vector<Record>& batch, size_t series_count);
    // The writer of series `index`, its metrics row made on first use.
    SeriesWriter writerFor(size_t index);
    void writeRecord(const Record& record);
    void writeProvenance();
    void updateReproHash();
};


} // namespace runlens
