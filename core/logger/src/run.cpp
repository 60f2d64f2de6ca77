// SPDX-License-Identifier: MIT
#include "runlens/runlens.h"

#include "runlens/run_liveness.h"
#include "runlens/series_writer.h"

#include "config_flatten.h"
#include "provenance.h"
#include "runlens/chunk_codec.h"
#include "runlens/number_format.h"
#include "runlens/store_schema.h"
#include "sha256.h"

#include <csignal>
#include <cerrno>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <variant>

namespace runlens {

namespace fs = std::filesystem;

std::string_view statusText(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return "running";
    case RunStatus::Finished:
        return "finished";
    case RunStatus::Failed:
        return "failed";
    case RunStatus::Killed:
        return "killed";
    case RunStatus::Crashed:
        return "crashed";
    }
    return "finished";
}

bool isNonZeroRank()
{
    for (const char* var : {"RANK", "LOCAL_RANK"}) {
        const char* v = std::getenv(var);
        if (v && *v && std::string_view(v) != "0")
            return true;
    }
    return false;
}

namespace {

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double nowSeconds()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string randomHexId()
{
    std::random_device rd;
    std::mt19937_64 gen((uint64_t(rd()) << 32) ^ rd() ^ uint64_t(nowMs()) ^ uint64_t(getpid()));
    static constexpr char hex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (size_t i = 0; i < id.size(); i += 16) {
        uint64_t r = gen();
        for (size_t j = 0; j < 16; ++j, r >>= 4)
            id[i + j] = hex[r & 0xF];
    }
    return id;
}

bool validUtf8(std::string_view s)
{
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size())
            return false;
        for (size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

// Empty when acceptable, else why not.
std::string checkKey(std::string_view what, std::string_view key)
{
    if (key.empty())
        return std::string(what) + " name is empty";
    if (key.size() > kMaxKeyBytes)
        return std::string(what) + " name is longer than " + std::to_string(kMaxKeyBytes) + " bytes";
    if (!validUtf8(key))
        return std::string(what) + " name is not valid UTF-8";
    for (const char c : key)
        if (static_cast<unsigned char>(c) < 0x20)
            return std::string(what) + " name '" + std::string(key.substr(0, 40)) + "' has a control character";
    return {};
}

std::string checkValue(std::string_view what, std::string_view value)
{
    if (value.size() > kMaxValueBytes)
        return std::string(what) + " is larger than " + std::to_string(kMaxValueBytes) + " bytes";
    if (!validUtf8(value))
        return std::string(what) + " is not valid UTF-8";
    return {};
}

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

} // namespace

struct Run::Impl {
    std::string store_path, id, name;
    RunOptions options;
    bool enabled = true;
    fs::path cwd;

    // Shared between loggers and the writer, guarded by mu.
    mutable std::mutex mu;
    std::condition_variable wake; // writer waits on it
    std::condition_variable flushed; // flush() waits on it
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> series_index;
    std::vector<std::string> series_keys;
    std::vector<std::vector<MetricPoint>> pending;
    std::vector<Record> records;
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
        return true;
    }

    void writerLoop();
    void writeBatch(std::vector<Record>& batch, size_t series_count);
    // The writer of series `index`, its metrics row made on first use.
    SeriesWriter writerFor(size_t index);
    void writeRecord(const Record& record);
    void writeProvenance();
    void updateReproHash();
};

void Run::Impl::writerLoop()
{
    // What a failed write leaves in `batch` and `spare` is written again next
    // time, before anything logged later: a busy store delays, never loses.
    std::vector<Record> batch;
    bool first = true;
    int failures_while_stopping = 0;
    for (;;) {
        size_t series_count = 0;
        uint64_t serving = 0;
        bool stop = false;
        {
            std::unique_lock lock(mu);
            if (!first)
                wake.wait_for(lock, options.flush_interval, [&] { return stopping || flush_requested != flush_done; });
            first = false;
            serving = flush_requested;
            stop = stopping;
            std::move(records.begin(), records.end(), std::back_inserter(batch));
            records.clear();
            series_count = series_keys.size();
            spare.resize(series_count);
            for (size_t i = 0; i < series_count; ++i) {
                if (spare[i].empty()) {
                    pending[i].swap(spare[i]);
                } else {
                    spare[i].insert(spare[i].end(), pending[i].begin(), pending[i].end());
                    pending[i].clear();
                }
            }
        }
        bool written = false;
        try {
            writeBatch(batch, series_count);
            written = true;
        } catch (const std::exception& e) {
            setError(std::string("writing to the store failed (will retry): ") + e.what());
            std::fprintf(stderr, "runlens: writing to the store failed (will retry): %s\n", e.what());
        }
        if (written) {
            batch.clear();
            for (size_t i = 0; i < series_count; ++i)
                spare[i].clear();
        }
        {
            std::lock_guard lock(mu);
            flush_done = serving;
        }
        flushed.notify_all();
        if (stop && (written || ++failures_while_stopping >= 3))
            return;
    }
}

void Run::Impl::writeBatch(std::vector<Record>& batch, size_t series_count)
{
    if (!db)
        return;
    SqliteTransaction tx(*db);
    if (on_disk.size() < series_count)
        on_disk.resize(series_count);
    for (const auto& record : batch)
        writeRecord(record);
    // Series state changes only once the transaction has committed.
    std::vector<std::pair<size_t, SeriesWriter>> staged;
    for (size_t i = 0; i < series_count; ++i) {
        if (!spare[i].empty()) {
            // A copy: the writer on record changes only once the transaction commits.
            staged.emplace_back(i, writerFor(i));
            staged.back().second.append(*db, spare[i]);
        }
    }
    if (hash_dirty)
        updateReproHash();
    auto beat = db->prepare("UPDATE runs SET heartbeat=? WHERE id=?");
    beat.bind(1, nowMs()).bind(2, id).run();
    tx.commit();
    for (auto& [i, state] : staged)
        on_disk[i] = std::move(state);
}

SeriesWriter Run::Impl::writerFor(size_t index)
{
    if (on_disk[index])
        return *on_disk[index];
    auto ins = db->prepare("INSERT INTO metrics(run_id, key) VALUES(?, ?) ON CONFLICT(run_id, key) DO NOTHING");
    ins.bind(1, id).bind(2, series_keys[index]).run();
    auto sel = db->prepare("SELECT id FROM metrics WHERE run_id=? AND key=?");
    sel.bind(1, id).bind(2, series_keys[index]);
    sel.step();
    return SeriesWriter(sel.int64(0));
}

void Run::Impl::writeRecord(const Record& record)
{
    std::visit(
        [&](const auto& r) {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, ParamRecord>) {
                db->prepare("INSERT OR REPLACE INTO params(run_id, key, type, value) VALUES(?, ?, ?, ?)")
                    .bind(1, id)
                    .bind(2, r.key)
                    .bind(3, r.type)
                    .bind(4, r.value)
                    .run();
                params_for_hash[r.key] = r.type + ":" + r.value;
                hash_dirty = true;
            } else if constexpr (std::is_same_v<T, ConfigRecord>) {
                db->prepare("INSERT OR REPLACE INTO configs(run_id, name, json) VALUES(?, ?, ?)")
                    .bind(1, id)
                    .bind(2, r.name)
                    .bind(3, r.json)
                    .run();
            } else if constexpr (std::is_same_v<T, TagRecord>) {
                db->prepare("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES(?, ?, ?)")
                    .bind(1, id)
                    .bind(2, r.key)
                    .bind(3, r.value)
                    .run();
            } else if constexpr (std::is_same_v<T, RunTextRecord>) {
                // The column name comes from this file, never from the caller.
                const std::string sql = "UPDATE runs SET " + r.column + "=? WHERE id=?";
                db->prepare(sql).bind(1, r.value).bind(2, id).run();
            } else if constexpr (std::is_same_v<T, DataVersionRecord>) {
                db->prepare("INSERT OR REPLACE INTO data_versions(run_id, name, version) VALUES(?, ?, ?)")
                    .bind(1, id)
                    .bind(2, r.name)
                    .bind(3, r.version)
                    .run();
                data_for_hash[r.name] = r.version;
                hash_dirty = true;
            } else if constexpr (std::is_same_v<T, EnvRecord>) {
                db->prepare("INSERT OR REPLACE INTO environment(run_id, key, value) VALUES(?, ?, ?)")
                    .bind(1, id)
                    .bind(2, r.key)
                    .bind(3, r.value)
                    .run();
            } else if constexpr (std::is_same_v<T, ArtifactRecord>) {
                auto st = db->prepare(
                    "INSERT OR REPLACE INTO artifacts(run_id, path, uri, size, sha256) VALUES(?, ?, ?, ?, ?)");
                st.bind(1, id).bind(2, r.path).bind(3, r.uri);
                if (r.size >= 0)
                    st.bind(4, r.size);
                st.bind(5, r.sha256).run();
            } else if constexpr (std::is_same_v<T, FinishRecord>) {
                db->prepare("UPDATE runs SET status=?, end_time=?, heartbeat=? WHERE id=?")
                    .bind(1, statusText(r.status))
                    .bind(2, r.end_ms)
                    .bind(3, r.end_ms)
                    .bind(4, id)
                    .run();
            }
        },
        record);
}

void Run::Impl::writeProvenance()
{
    if (options.capture_git) {
        const auto git = detail::captureGit(cwd, options.max_diff_bytes);
        if (git.found) {
            db->prepare("INSERT OR REPLACE INTO git_info(run_id, repo_path, commit_sha, branch, remote, dirty, diff, "
                        "diff_truncated) VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(1, id)
                .bind(2, git.repo_path)
                .bind(3, git.commit)
                .bind(4, git.branch)
                .bind(5, git.remote)
                .bind(6, int64_t(git.dirty))
                .bind(7, git.diff)
                .bind(8, int64_t(git.diff_truncated))
                .run();
            git_for_hash = git.commit + "\n" + detail::sha256Hex(git.diff);
        }
    }
    if (options.capture_environment) {
        auto st = db->prepare("INSERT OR REPLACE INTO environment(run_id, key, value) VALUES(?, ?, ?)");
        for (const auto& [k, v] : detail::captureEnvironment())
            st.bind(1, id).bind(2, k).bind(3, v).run();
    }
}

void Run::Impl::updateReproHash()
{
    // Runs that should agree share this: same code (commit and uncommitted
    // diff), same data versions, same configuration.
    std::string text = "runlens-repro-v1\ncode:" + git_for_hash + "\ndata:";
    for (const auto& [k, v] : data_for_hash)
        text += k + "=" + v + "\n";
    text += "config:";
    for (const auto& [k, v] : params_for_hash)
        text += k + "=" + v + "\n";
    db->prepare("UPDATE runs SET repro_hash=? WHERE id=?").bind(1, detail::sha256Hex(text)).bind(2, id).run();
    hash_dirty = false;
}

Run::Run(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl))
{
}
Run::Run(Run&&) noexcept = default;
Run& Run::operator=(Run&& other) noexcept
{
    if (this != &other) {
        if (impl_ && !finished())
            finish(RunStatus::Finished);
        impl_ = std::move(other.impl_);
    }
    return *this;
}

Run::~Run()
{
    if (impl_ && !finished()) {
        try {
            finish(RunStatus::Finished);
        } catch (...) {
            // A destructor must not throw; the writer already reported it.
        }
    }
}

namespace {

// A run that another process is still logging: its heartbeat is fresh and,
// on this host, its process is alive.
bool loggedElsewhere(const std::string& status, int64_t heartbeat, int64_t interval_ms, const std::string& host, int64_t pid)
{
    if (status != "running")
        return false;
    const std::string localHost = detail::hostName();
    if (host == localHost && pid == getpid())
        return false; // this process: a run it finished and resumes
    return runLiveness({heartbeat, interval_ms, host, pid}, nowMs(), localHost) == Liveness::Alive;
}

} // namespace

std::unique_ptr<Run::Impl> Run::open(const std::string& store_path, const RunOptions& options)
{
    auto impl = std::make_unique<Impl>();
    impl->store_path = store_path;
    impl->options = options;
    impl->enabled = !(isNonZeroRank() && !options.log_all_ranks && !std::getenv("RUNLENS_ALL_RANKS"));
    if (!impl->enabled)
        return impl;
    for (const auto& [what, text] : {std::pair{"experiment", std::string_view(options.experiment)},
             std::pair{"run", std::string_view(options.name)}}) {
        if (text.empty() && std::string_view(what) == "run")
            continue;
        if (auto why = checkKey(what, text); !why.empty())
            throw Error(why);
    }
    for (const auto& [k, v] : options.tags)
        if (auto why = checkKey("tag", k); !why.empty())
            throw Error(why);
    if (options.flush_interval.count() <= 0)
        throw Error("the flush interval must be positive");
    std::error_code ec;
    impl->cwd = fs::current_path(ec);
    impl->db
        = std::make_unique<SqliteDb>(openStoreForWriting(store_path, static_cast<int>(options.busy_timeout.count())));
    impl->db->exec("PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16384");
    return impl;
}

Run Run::launch(std::unique_ptr<Impl> impl)
{
    Impl* raw = impl.get();
    impl->writer = std::thread([raw] {
        try {
            SqliteTransaction tx(*raw->db);
            raw->writeProvenance();
            tx.commit();
        } catch (const std::exception& e) {
            raw->setError(std::string("recording provenance failed: ") + e.what());
        }
        raw->writerLoop();
    });
    return Run(std::move(impl));
}

Run Run::start(const std::string& store_path, const RunOptions& options)
{
    auto impl = open(store_path, options);
    if (!impl->enabled)
        return Run(std::move(impl));
    impl->id = randomHexId();
    impl->name = options.name.empty() ? "run-" + impl->id.substr(0, 8) : options.name;
    SqliteDb& db = *impl->db;
    {
        SqliteTransaction tx(db);
        const int64_t now = nowMs();
        db.prepare("INSERT OR IGNORE INTO experiments(name, created_at) VALUES(?, ?)")
            .bind(1, options.experiment)
            .bind(2, now)
            .run();
        auto exp = db.prepare("SELECT id FROM experiments WHERE name=?");
        exp.bind(1, options.experiment);
        exp.step();
        const int64_t experiment_id = exp.int64(0);
        auto ins = db.prepare(
            "INSERT INTO runs(id, experiment_id, name, status, start_time, heartbeat, heartbeat_interval_ms, host, "
            "pid, parent_id, notes, hypothesis) VALUES(?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, impl->id).bind(2, experiment_id).bind(3, impl->name).bind(4, now).bind(5, now);
        ins.bind(6, static_cast<int64_t>(options.flush_interval.count())).bind(7, detail::hostName());
        ins.bind(8, static_cast<int64_t>(getpid()));
        if (options.parent_id.empty())
            ins.bindNull(9);
        else
            ins.bind(9, options.parent_id);
        ins.bind(10, options.notes).bind(11, options.hypothesis).run();
        auto tag = db.prepare("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES(?, ?, ?)");
        for (const auto& [k, v] : options.tags)
            tag.bind(1, impl->id).bind(2, k).bind(3, v).run();
        tx.commit();
    }
    return launch(std::move(impl));
}

Run Run::resume(const std::string& store_path, std::string_view run_id, const RunOptions& options)
{
    auto impl = open(store_path, options);
    if (!impl->enabled)
        return Run(std::move(impl));
    impl->id = std::string(run_id);
    SqliteDb& db = *impl->db;
    SqliteTransaction tx(db);
    auto run = db.prepare("SELECT r.name, r.status, r.heartbeat, r.heartbeat_interval_ms, r.host, r.pid, e.name FROM runs "
                          "r JOIN experiments e ON e.id = r.experiment_id WHERE r.id=?");
    run.bind(1, impl->id);
    if (!run.step())
        throw Error("there is no run '" + impl->id + "' in " + store_path);
    impl->name = run.text(0);
    impl->options.experiment = run.text(6);
    const std::string host(run.text(4));
    if (loggedElsewhere(std::string(run.text(1)), run.int64(2), run.int64(3), host, run.int64(5)))
        throw Error("run '" + impl->id + "' is still being logged by process " + std::to_string(run.int64(5)) + " on "
                    + host + "; finish it there first");
    const int64_t now = nowMs();
    auto up = db.prepare("UPDATE runs SET status='running', end_time=NULL, heartbeat=?, heartbeat_interval_ms=?, host=?, "
                         "pid=? WHERE id=?");
    up.bind(1, now).bind(2, static_cast<int64_t>(options.flush_interval.count())).bind(3, detail::hostName());
    up.bind(4, static_cast<int64_t>(getpid())).bind(5, impl->id).run();
    auto tag = db.prepare("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES(?, ?, ?)");
    for (const auto& [k, v] : options.tags)
        tag.bind(1, impl->id).bind(2, k).bind(3, v).run();

    // Series continue after their last chunk (a partial tail chunk stays as
    // it is; new points start a new one), with their summaries carried on.
    auto series = db.prepare("SELECT m.id, m.key, m.count, m.nan_count, m.first_step, m.last_step, m.last_value, "
                             "m.last_time, m.min_value, m.max_value, (SELECT MAX(seq) FROM metric_chunks c WHERE "
                             "c.metric_id = m.id) FROM metrics m WHERE m.run_id=? ORDER BY m.id");
    series.bind(1, impl->id);
    while (series.step()) {
        SeriesSummary summary;
        summary.count = series.int64(2);
        summary.nanCount = series.int64(3);
        summary.firstStep = series.int64(4);
        summary.lastStep = series.int64(5);
        summary.lastValue = series.isNull(6) ? 0.0 : series.real(6);
        summary.lastTime = series.isNull(7) ? 0.0 : series.real(7);
        summary.minValue = series.isNull(8) ? INFINITY : series.real(8);
        summary.maxValue = series.isNull(9) ? -INFINITY : series.real(9);
        const std::string key(series.text(1));
        impl->series_index.emplace(key, impl->series_keys.size());
        impl->series_keys.push_back(key);
        impl->pending.emplace_back();
        impl->on_disk.emplace_back(
            SeriesWriter(series.int64(0), summary, series.isNull(10) ? 0 : series.int64(10) + 1));
    }
    // The reproducibility hash covers everything the run has, not just what
    // this process logs.
    auto params = db.prepare("SELECT key, type, value FROM params WHERE run_id=?");
    params.bind(1, impl->id);
    while (params.step())
        impl->params_for_hash[std::string(params.text(0))] = std::string(params.text(1)) + ":" + std::string(params.text(2));
    auto data = db.prepare("SELECT name, version FROM data_versions WHERE run_id=?");
    data.bind(1, impl->id);
    while (data.step())
        impl->data_for_hash[std::string(data.text(0))] = std::string(data.text(1));
    auto git = db.prepare("SELECT commit_sha, diff FROM git_info WHERE run_id=?");
    git.bind(1, impl->id);
    if (git.step())   // replaced when this process records its own git state
        impl->git_for_hash = std::string(git.text(0)) + "\n" + detail::sha256Hex(std::string(git.text(1)));
    tx.commit();
    return launch(std::move(impl));
}

bool Run::enabled() const
{
    return impl_->enabled;
}
const std::string& Run::id() const
{
    return impl_->id;
}
const std::string& Run::experiment() const
{
    return impl_->options.experiment;
}
const std::string& Run::name() const
{
    return impl_->name;
}
const std::string& Run::storePath() const
{
    return impl_->store_path;
}

bool Run::logMetric(std::string_view key, double value, int64_t step)
{
    return impl_->logMetric(key, value, step, nowSeconds());
}

bool Run::logMetric(std::string_view key, double value, int64_t step, double wall_time)
{
    return impl_->logMetric(key, value, step, wall_time);
}

bool Run::logParam(std::string_view key, int64_t value)
{
    if (auto why = checkKey("param", key); !why.empty())
        return (impl_->setError(why), false);
    return impl_->push(ParamRecord{std::string(key), "int", std::to_string(value)});
}

bool Run::logParam(std::string_view key, double value)
{
    if (auto why = checkKey("param", key); !why.empty())
        return (impl_->setError(why), false);
    return impl_->push(ParamRecord{std::string(key), "float", formatDouble(value)});
}

bool Run::logParam(std::string_view key, bool value)
{
    if (auto why = checkKey("param", key); !why.empty())
        return (impl_->setError(why), false);
    return impl_->push(ParamRecord{std::string(key), "bool", value ? "true" : "false"});
}

bool Run::logParam(std::string_view key, std::string_view value)
{
    for (const auto& why : {checkKey("param", key), checkValue("param value", value)})
        if (!why.empty())
            return (impl_->setError(why), false);
    return impl_->push(ParamRecord{std::string(key), "string", std::string(value)});
}

bool Run::logParamJson(std::string_view key, std::string_view json)
{
    for (const auto& why : {checkKey("param", key), checkValue("param value", json)})
        if (!why.empty())
            return (impl_->setError(why), false);
    auto canonical = detail::canonicalJson(json);
    if (!canonical)
        return (impl_->setError("param '" + std::string(key) + "' is not valid JSON"), false);
    return impl_->push(ParamRecord{std::string(key), "json", *canonical});
}

bool Run::logConfig(std::string_view name, std::string_view json)
{
    if (auto why = checkValue("config", json); !why.empty())
        return (impl_->setError(why), false);
    auto flat = detail::flattenConfig(json, name);
    if (!flat)
        return (impl_->setError("config '" + std::string(name) + "' is not a valid JSON object"), false);
    if (!impl_->push(ConfigRecord{name.empty() ? "config" : std::string(name), std::string(json)}))
        return false;
    for (auto& p : *flat) {
        if (auto why = checkKey("param", p.key); !why.empty())
            return (impl_->setError(why), false);
        impl_->push(ParamRecord{std::move(p.key), std::move(p.type), std::move(p.value)});
    }
    return true;
}

bool Run::setTag(std::string_view key, std::string_view value)
{
    for (const auto& why : {checkKey("tag", key), checkValue("tag value", value)})
        if (!why.empty())
            return (impl_->setError(why), false);
    return impl_->push(TagRecord{std::string(key), std::string(value)});
}

bool Run::setNotes(std::string_view notes)
{
    if (auto why = checkValue("notes", notes); !why.empty())
        return (impl_->setError(why), false);
    return impl_->push(RunTextRecord{"notes", std::string(notes)});
}

bool Run::setHypothesis(std::string_view hypothesis)
{
    if (auto why = checkValue("hypothesis", hypothesis); !why.empty())
        return (impl_->setError(why), false);
    return impl_->push(RunTextRecord{"hypothesis", std::string(hypothesis)});
}

bool Run::logDataVersion(std::string_view name, std::string_view version)
{
    for (const auto& why : {checkKey("data set", name), checkValue("data version", version)})
        if (!why.empty())
            return (impl_->setError(why), false);
    return impl_->push(DataVersionRecord{std::string(name), std::string(version)});
}

bool Run::logDataFile(std::string_view name, const std::string& path)
{
    if (!impl_->enabled)
        return true;
    const auto hash = detail::sha256File(path);
    if (!hash)
        return (impl_->setError("data file '" + path + "' cannot be read"), false);
    return logDataVersion(name, "sha256:" + hash->first);
}

bool Run::logSeed(std::string_view name, int64_t seed)
{
    if (auto why = checkKey("seed", name); !why.empty())
        return (impl_->setError(why), false);
    return impl_->push(EnvRecord{"seed." + std::string(name), std::to_string(seed)});
}

bool Run::logEnvironment(std::string_view key, std::string_view value)
{
    for (const auto& why : {checkKey("environment", key), checkValue("environment value", value)})
        if (!why.empty())
            return (impl_->setError(why), false);
    return impl_->push(EnvRecord{std::string(key), std::string(value)});
}

bool Run::logArtifact(const std::string& local_path, std::string_view artifact_dir)
{
    if (!impl_->enabled)
        return true;
    std::error_code ec;
    if (!fs::is_regular_file(local_path, ec))
        return (impl_->setError("artifact '" + local_path + "' is not a readable file"), false);
    const fs::path rel = fs::path(std::string(artifact_dir)) / fs::path(local_path).filename();
    const std::string rel_text = rel.lexically_normal().generic_string();
    if (rel_text.rfind("..", 0) == 0 || rel.is_absolute())
        return (
            impl_->setError("artifact directory '" + std::string(artifact_dir) + "' leaves the run's folder"), false);
    const fs::path dest = fs::path(impl_->store_path + ".artifacts") / impl_->id / rel;
    fs::create_directories(dest.parent_path(), ec);
    if (ec || !fs::copy_file(local_path, dest, fs::copy_options::overwrite_existing, ec) || ec)
        return (impl_->setError("copying artifact '" + local_path + "' failed: " + ec.message()), false);
    const auto hash = detail::sha256File(dest.string());
    if (!hash)
        return (impl_->setError("reading artifact '" + dest.string() + "' failed"), false);
    return impl_->push(ArtifactRecord{rel_text, "file://" + fs::absolute(dest).string(), hash->second, hash->first});
}

bool Run::logArtifactUri(std::string_view path, std::string_view uri, int64_t size, std::string_view sha256)
{
    for (const auto& why : {checkKey("artifact", path), checkValue("artifact URI", uri)})
        if (!why.empty())
            return (impl_->setError(why), false);
    return impl_->push(ArtifactRecord{std::string(path), std::string(uri), size, std::string(sha256)});
}

void Run::flush()
{
    if (!impl_->enabled)
        return;
    std::unique_lock lock(impl_->mu);
    if (impl_->finished)
        return;
    const uint64_t ticket = ++impl_->flush_requested;
    impl_->wake.notify_one();
    impl_->flushed.wait(lock, [&] { return impl_->flush_done >= ticket; });
}

void Run::finish(RunStatus status)
{
    if (!impl_->enabled) {
        impl_->finished = true;
        return;
    }
    {
        std::lock_guard lock(impl_->mu);
        if (impl_->finished)
            return;
        impl_->records.push_back(FinishRecord{status == RunStatus::Running ? RunStatus::Finished : status, nowMs()});
        impl_->finished = true;
        impl_->stopping = true;
    }
    impl_->wake.notify_one();
    if (impl_->writer.joinable())
        impl_->writer.join();
    impl_->db.reset();
}

bool Run::finished() const
{
    std::lock_guard lock(impl_->mu);
    return impl_->finished;
}

std::string Run::lastError() const
{
    std::lock_guard lock(impl_->mu);
    return impl_->last_error;
}

} // namespace runlens
