// SPDX-License-Identifier: MIT
// Runlens logging library, C++ API.
//
//   auto run = runlens::Run::start("runs.runlens", {.experiment = "mnist", .name = "lr-0.1"});
//   run.logParam("lr", 0.1);
//   for (int step = 0; ...; ++step) run.logMetric("loss", loss, step);
//   run.finish(runlens::RunStatus::Finished);
//
// Threading: a Run may be used from any number of threads. logMetric() only
// appends to an in-memory buffer under a short lock; a writer thread owned by
// the Run writes batches to the store every flush interval (the first points
// 100 ms after they are logged, so that a run killed early keeps them), so a
// crash loses at most that interval. Nothing on the logging path waits for the
// disk, unless you choose WhenBufferFull::Block.
//
// When the disk fails (full, or the store file deleted): the buffer is
// bounded (RunOptions::max_buffered_points), what it holds is retried until
// the store takes it, and flush() and finish() return false with the reason in
// lastError() rather than claim a write that did not land.
#pragma once

#include "runlens/already_tried.h"
#include "runlens/media.h"
#include "runlens/run_status.h"
#include "runlens/sqlite_db.h" // runlens::Error

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace runlens {

std::string_view statusText(RunStatus status);

// What logMetric() does with a point that finds the buffer full (see
// RunOptions::max_buffered_points).
enum class WhenBufferFull {
    // The default: never wait. The point is dropped and counted
    // (Run::droppedPoints(), the run's tag `runlens.dropped_points`),
    // logMetric() returns false, and flush() and finish() return false. Why
    // the default: the logger must not stop training, and a full disk can
    // last for hours; a job blocked that long holds its GPUs and is likely
    // to be killed by its scheduler, losing the buffer anyway.
    Drop,
    // Wait until the writer has made room: nothing is lost, but training
    // stalls for as long as the store refuses writes. Logging faster than the
    // disk takes points (replaying a log) then goes at the disk's pace rather
    // than dropping. A store file that was deleted or replaced will never
    // take writes again: its points are dropped even under Block.
    Block,
};

struct RunOptions {
    std::string experiment = "default";
    std::string name; // empty: a generated name
    std::string parent_id; // the sweep or parent run, if any
    std::string notes;
    std::string hypothesis;
    std::vector<std::pair<std::string, std::string>> tags;
    std::chrono::milliseconds flush_interval{1000};
    bool capture_git = true; // commit, branch, remote, uncommitted diff of the working directory's repo
    bool capture_environment = true;
    size_t max_diff_bytes = 1 << 20;
    // How long opening the store may wait for another writer's lock.
    std::chrono::milliseconds busy_timeout{10000};
    // In distributed training only rank 0 logs (RANK / LOCAL_RANK); set this
    // (or RUNLENS_ALL_RANKS=1) to log from every rank.
    bool log_all_ranks = false;
    // At most this many metric points wait in memory for the disk (24 bytes
    // each: the default is about 100 MB, 150 MB with the vectors' headroom).
    // The writer drains the buffer as soon as it is half full, so a working
    // disk keeps it well below; it fills when the store refuses writes (a
    // full disk) or points come faster than the disk takes them, and then
    // `when_buffer_full` decides.
    size_t max_buffered_points = 4'000'000;
    WhenBufferFull when_buffer_full = WhenBufferFull::Drop;
    // How long finish() keeps retrying a store that refuses writes (a full
    // disk) before it gives up on what is still buffered: time for someone
    // to clear space, not so long that a finished job hangs at its end.
    std::chrono::milliseconds finish_timeout{60000};
    // The SQLite VFS to open the store with, by its registered name
    // (sqlite3_vfs_register); empty: SQLite's default. The tests use one that
    // fails writes on demand to play a full disk.
    std::string vfs_name;
    // The run's config when it is known at start: a JSON object, logged as
    // logConfig("", config). Given here rather than logged after start, it is
    // looked up ("already tried", already_tried.h) before the run exists, so
    // that OnDuplicate::Skip leaves nothing behind in the store. The lookup
    // then sees this config only (params logged later do not enter it), and
    // the data versions logged later are not compared.
    std::string config;
    // What to do when the config has run before; unset: $RUNLENS_ON_DUPLICATE
    // (warn, skip, ignore), else Warn.
    std::optional<OnDuplicate> on_duplicate;
    // The metric the "already tried" message summarises; empty: the first
    // that every earlier run of the config logged.
    std::string tried_metric;
    // What the machine does during the run (CPU, memory, disk, network, GPUs
    // through NVML when the driver is there), sampled every
    // system_metrics_interval on a thread of the logger's, never the
    // training loop's, as series under system/ (keys in system_sampler.h;
    // the step is the sample's number). Unset: on, unless
    // $RUNLENS_SYSTEM_METRICS is 0, false or off.
    std::optional<bool> system_metrics;
    std::chrono::milliseconds system_metrics_interval{10000};
    // A team store to push the run to while it logs ("postgresql://...";
    // docs/team-store.md). The logger starts `runlens push STORE --watch
    // --run ID` beside the training process (the runlens command:
    // $RUNLENS_BIN, else the one installed with this library, else on PATH)
    // and never waits on the network itself: the local store is the spool,
    // so a server away only delays the push, which catches up when it is
    // back and stops once the run has ended and is pushed whole. Unset:
    // $RUNLENS_SYNC; empty: none.
    std::optional<std::string> sync;
    std::chrono::milliseconds sync_interval{5000};
};

// Run::start under OnDuplicate::Skip when a finished run was this exact run:
// nothing was written to the store. what() says what ran before.
class AlreadyTriedError : public Error {
public:
    AlreadyTriedError(const std::string& message, AlreadyTried found)
        : Error(message)
        , found_(std::move(found))
    {
    }
    const AlreadyTried& found() const { return found_; }

private:
    AlreadyTried found_;
};

// Limits on what a store accepts; larger input is refused with a message.
inline constexpr size_t kMaxKeyBytes = 250;
inline constexpr size_t kMaxValueBytes = 1 << 20;

class Run {
public:
    // Creates the store if needed and records the run as running. Throws
    // Error when the store cannot be written (not a store, newer schema,
    // read-only, locked for longer than the busy timeout). With
    // RunOptions::config, first looks it up in the store (one indexed query;
    // the git state is captured here rather than on the writer thread) and
    // throws AlreadyTriedError under OnDuplicate::Skip for an exact repeat.
    static Run start(const std::string& store_path, const RunOptions& options = {});
    // Carries on a run of the store (a training job restarted from a
    // checkpoint): its status is running again, its series continue, and
    // its params, tags and summaries stay. `options` gives the flush
    // interval and what to capture; its experiment, name and parent are the
    // run's own. Throws Error when there is no such run or another live
    // process is still logging it.
    static Run resume(const std::string& store_path, std::string_view run_id, const RunOptions& options = {});

    Run(Run&&) noexcept;
    Run& operator=(Run&&) noexcept;
    ~Run(); // a run still open is finished as Finished

    // False on a non-zero rank: every call is then a no-op.
    bool enabled() const;
    const std::string& id() const;
    const std::string& name() const;
    const std::string& experiment() const;
    const std::string& storePath() const;

    // The hot path. Returns false (and records lastError()) for an invalid key
    // or after finish(). wall_time defaults to now.
    bool logMetric(std::string_view key, double value, int64_t step);
    bool logMetric(std::string_view key, double value, int64_t step, double wall_time);

    bool logParam(std::string_view key, int64_t value);
    bool logParam(std::string_view key, int value) { return logParam(key, static_cast<int64_t>(value)); }
    bool logParam(std::string_view key, double value);
    bool logParam(std::string_view key, bool value);
    bool logParam(std::string_view key, std::string_view value);
    bool logParam(std::string_view key, const char* value) { return logParam(key, std::string_view(value)); }
    // A JSON value kept as JSON (lists, objects).
    bool logParamJson(std::string_view key, std::string_view json);
    // A nested configuration as JSON: kept whole, and flattened into typed
    // params with dotted keys ("optimizer.lr"). Keys are prefixed by `name`
    // unless it is empty.
    bool logConfig(std::string_view name, std::string_view json);

    bool setTag(std::string_view key, std::string_view value);
    bool setNotes(std::string_view notes);
    bool setHypothesis(std::string_view hypothesis);
    bool logDataVersion(std::string_view name, std::string_view version);
    // The version of a data file by content: "sha256:<hex>". Reads the file.
    bool logDataFile(std::string_view name, const std::string& path);
    bool logSeed(std::string_view name, int64_t seed);
    bool logEnvironment(std::string_view key, std::string_view value);

    // Copies the file beside the store (<store>.artifacts/<run id>/<dir>/<name>)
    // with its size and sha256. Blocks for the copy, like MLflow's.
    bool logArtifact(const std::string& local_path, std::string_view artifact_dir = {});
    // Records an artifact that stays where it is (s3://..., a shared disk).
    bool logArtifactUri(std::string_view path, std::string_view uri, int64_t size = -1, std::string_view sha256 = {});

    // Media (runlens/media.h), kept in the store itself and shown side by
    // side across runs in the app's Artifacts tab. The call checks and
    // copies, never waits for the disk: the writer thread encodes, hashes
    // and writes. `step`: the training step, for media logged again and
    // again (a slider shows them); none for a one-off. A key and step logged
    // again replace the earlier one. Refused (false, lastError()) above
    // kMaxMediaBytes; dropped (false; RL_DROPPED in the C ABI, a warning in
    // Python) when 256 MB of media already wait for the store.
    //
    // An encoded PNG, JPEG, GIF, WebP, BMP or SVG, stored as given.
    bool logImage(std::string_view key, std::span<const uint8_t> encoded, std::optional<int64_t> step = {},
        std::string_view caption = {});
    // Raw 8-bit pixels, encoded as PNG on the writer thread.
    bool logImagePixels(std::string_view key, const ImagePixels& pixels, std::optional<int64_t> step = {},
        std::string_view caption = {});
    // CSV text, a header row first.
    bool logTable(std::string_view key, std::string_view csv, std::optional<int64_t> step = {});
    // Text; `format` names what it is ("txt", "json", "yaml", "md", "py") for highlighting.
    bool logText(std::string_view key, std::string_view text, std::optional<int64_t> step = {},
        std::string_view format = "txt");
    // Counts of true label (row) by predicted label (column), row by row.
    bool logConfusionMatrix(std::string_view key, std::span<const std::string> labels, std::span<const int64_t> counts,
        std::optional<int64_t> step = {});

    // Writes everything buffered so far and waits until the writer has tried.
    // True when it is on disk. False, with the reason in lastError(), when the
    // store refused the write (what is buffered stays buffered and is
    // retried every flush interval), when the store file was deleted or
    // replaced, or when points were dropped since the previous flush().
    bool flush();
    // Flushes and records the end; further logging is refused. While the
    // store refuses writes it retries for up to RunOptions::finish_timeout.
    // True when everything logged is on disk; false, with the reason in
    // lastError(), when some of it is not or points were dropped during the
    // run. A second call returns the first one's answer.
    bool finish(RunStatus status = RunStatus::Finished);
    bool finished() const;
    // Points logMetric() dropped because the buffer was full.
    uint64_t droppedPoints() const;
    // Samples system metrics every `interval` from now on (<= 0: stops
    // sampling); the first sample comes one interval later. False after finish().
    bool setSystemMetricsInterval(std::chrono::milliseconds interval);
    // Pushes this run to the team store `url` while it logs, as
    // RunOptions::sync does from the start. False (lastError() says why)
    // when the push could not start; the run logs on either way.
    bool syncTo(std::string_view url, std::chrono::milliseconds interval = std::chrono::milliseconds(5000));

    // Has this run's config run before in its store and experiment
    // (already_tried.h)? For a config logged after start: writes what is
    // buffered (flush()), then one indexed query on a connection of its
    // own. When something is found, records it in the tag
    // runlens.already_tried and says it once a run on stderr (not under
    // OnDuplicate::Ignore). Throws Error when the store cannot be read.
    AlreadyTried checkAlreadyTried();

    // The last problem seen (invalid input, a failed write); empty if none.
    std::string lastError() const;

private:
    struct Impl;
    explicit Run(std::unique_ptr<Impl> impl);
    static std::unique_ptr<Impl> open(const std::string& store_path, const RunOptions& options);
    static Run launch(std::unique_ptr<Impl> impl);
    bool logMediaText(std::string_view key, MediaKind kind, std::string_view format, std::string_view text,
        std::optional<int64_t> step);
    std::unique_ptr<Impl> impl_;
};

// True when RANK / LOCAL_RANK say this process is not rank 0.
bool isNonZeroRank();

} // namespace runlens
