// SPDX-License-Identifier: MIT
#include "runlens/runlens.h"

#include "already_tried_lookup.h"
#include "config_flatten.h"
#include "provenance.h"
#include "run_internal.h"
#include "runlens/number_format.h"
#include "sha256.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <pthread.h>

namespace runlens {

namespace fs = std::filesystem;

namespace detail {

namespace {
std::atomic<uint64_t> g_fork_generation{0};
void countFork()
{
    g_fork_generation.fetch_add(1, std::memory_order_relaxed);
}
} // namespace

uint64_t forkGeneration()
{
    // Registered before the first run exists (its Impl asks), so no fork
    // after it goes uncounted.
    [[maybe_unused]] static const int registered = pthread_atfork(nullptr, nullptr, &countFork);
    return g_fork_generation.load(std::memory_order_relaxed);
}

} // namespace detail

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
    // In a forked child the run's threads are the parent's: destroying their
    // std::thread objects would end the process (std::terminate), and its
    // locks may be held by them. The child leaves the run as it found it.
    if (impl_ && impl_->forked()) {
        [[maybe_unused]] Impl* parents = impl_.release();
        return;
    }
    if (impl_ && !finished()) {
        try {
            finish(RunStatus::Finished);
        } catch (...) {
            // A destructor must not throw; the writer already reported it.
        }
    }
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
        return (impl_->setError("param '" + std::string(key) + "' is not valid JSON, or nests deeper than "
                                    + std::to_string(detail::kMaxJsonDepth) + " levels"),
            false);
    return impl_->push(ParamRecord{std::string(key), "json", *canonical});
}

bool Run::logConfig(std::string_view name, std::string_view json)
{
    if (auto why = checkValue("config", json); !why.empty())
        return (impl_->setError(why), false);
    auto flat = detail::flattenConfig(json, name);
    if (!flat)
        return (impl_->setError("config '" + std::string(name) + "' is not a valid JSON object, or nests deeper than "
                                    + std::to_string(detail::kMaxJsonDepth) + " levels"),
            false);
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
    if (!impl_->live())
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
    if (!impl_->live())
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

bool Run::Impl::makeRoom(std::unique_lock<std::mutex>& lock)
{
    if (options.when_buffer_full == WhenBufferFull::Block && !store_lost) {
        wake.notify_one();
        room.wait(lock, [&] { return buffered_points < options.max_buffered_points || finished || store_lost; });
        if (finished) {
            last_error = "the run has finished; nothing more is logged";
            t_point_dropped = false;
            return false;
        }
        if (!store_lost)
            return true;
    }
    // Drop: the caller does not wait. Counted, recorded in the store and
    // reported by flush() and finish(); the message is built once an episode.
    ++dropped_points;
    t_point_dropped = true;
    static constexpr std::string_view kFull = "the buffer is full";
    if (!last_error.starts_with(kFull)) {
        drop_reason = "the buffer was full (" + points(options.max_buffered_points) + ") while "
            + (write_failing ? write_error : std::string("points came faster than the store took them"));
        last_error = std::string(kFull) + " (" + points(options.max_buffered_points)
            + " wait for the store); points are dropped until it takes them: "
            + (write_failing ? write_error : std::string("they come faster than the store takes them"));
    }
    return false;
}

bool Run::flush()
{
    if (!impl_->live())
        return true;
    std::unique_lock lock(impl_->mu);
    if (impl_->finished)
        return impl_->finish_ok;
    const uint64_t ticket = ++impl_->flush_requested;
    impl_->wake.notify_one();
    impl_->flushed.wait(lock, [&] { return impl_->flush_done >= ticket; });
    // The writer's latest attempt covers everything logged before the ticket
    // (what failed before is retried first), so its outcome is the answer.
    std::string why;
    if (impl_->write_failing) {
        const size_t n = impl_->buffered_points;
        why = impl_->write_error + "; ";
        why += impl_->store_lost ? "what is logged is not saved (" + points(n) + " in memory)"
                                 : points(n) + (n == 1 ? " waits" : " wait") + " in memory for the next try, every "
                + std::to_string(impl_->options.flush_interval.count()) + " ms";
    }
    if (impl_->dropped_points > impl_->dropped_reported) {
        if (!why.empty())
            why += "; ";
        const uint64_t n = impl_->dropped_points - impl_->dropped_reported;
        why += points(n) + (n == 1 ? " was" : " were") + " dropped since the last flush: " + impl_->drop_reason;
        impl_->dropped_reported = impl_->dropped_points;
    }
    if (why.empty())
        return true;
    impl_->last_error = std::move(why);
    return false;
}

bool Run::finish(RunStatus status)
{
    if (!impl_->live()) {
        if (!impl_->forked())
            impl_->finished = true;
        return true;
    }
    // The sampler stops (for good) before the end is recorded: no point of
    // it can follow the finish record.
    impl_->closeSampler();
    {
        std::lock_guard lock(impl_->mu);
        if (impl_->finished)
            return impl_->finish_ok;
        impl_->records.push_back(FinishRecord{status == RunStatus::Running ? RunStatus::Finished : status, nowMs()});
        impl_->finished = true;
        impl_->stopping = true;
    }
    impl_->wake.notify_one();
    impl_->room.notify_all(); // loggers waiting for room: the run is over
    if (impl_->writer.joinable())
        impl_->writer.join();
    impl_->db.reset();
    std::lock_guard lock(impl_->mu);
    std::string why = impl_->finish_error;
    if (impl_->dropped_points > 0) {
        if (!why.empty())
            why += "; ";
        const uint64_t n = impl_->dropped_points;
        // The writer has ended: its record of what the store holds is ours to read.
        const bool recorded = impl_->dropped_on_disk == n;
        why += points(n) + (n == 1 ? " was" : " were") + " dropped during the run"
            + (recorded ? " (its tag runlens.dropped_points says so): " : ": ") + impl_->drop_reason;
    }
    impl_->finish_ok = why.empty();
    if (!impl_->finish_ok)
        impl_->last_error = "finishing the run: " + why;
    return impl_->finish_ok;
}

uint64_t Run::droppedPoints() const
{
    std::lock_guard lock(impl_->mu);
    return impl_->dropped_points;
}

AlreadyTried Run::checkAlreadyTried()
{
    if (!impl_->live())
        return {};
    // What the run logged must be in the store to be compared; if the store
    // refuses writes, flush() has said why and the lookup reads what is there.
    flush();
    // A connection of its own: the writer's belongs to the writer thread.
    SqliteDb db(impl_->store_path, SqliteDb::Mode::ReadOnly, static_cast<int>(impl_->options.busy_timeout.count()),
        impl_->options.vfs_name);
    detail::Probe probe = detail::probeOfRun(db, impl_->id);
    probe.metric = impl_->options.tried_metric;
    const int64_t now = nowMs();
    const AlreadyTried found = detail::lookUpAlreadyTried(db, probe, now, detail::hostName());
    if (!found.found())
        return found;
    setTag("runlens.already_tried", found.json(now));
    const bool tell = detail::onDuplicatePolicy(impl_->options.on_duplicate) != OnDuplicate::Ignore;
    bool first = false;
    {
        std::lock_guard lock(impl_->mu);
        first = !std::exchange(impl_->tried_told, true);
    }
    if (tell && first)
        std::fprintf(stderr, "%s\n", detail::alreadyTriedMessage(impl_->options.experiment, found, now).c_str());
    return found;
}

bool Run::finished() const
{
    if (impl_->forked())
        return true; // the parent's to finish
    std::lock_guard lock(impl_->mu);
    return impl_->finished;
}

std::string Run::lastError() const
{
    if (impl_->forked())
        return "this process was forked from the one that started the run: it logs nothing here";
    std::lock_guard lock(impl_->mu);
    return impl_->last_error;
}

} // namespace runlens
