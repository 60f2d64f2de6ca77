// SPDX-License-Identifier: MIT
// The writer thread: applies a run's records and series to the store in one
// transaction per flush, and keeps the provenance and reproducibility hash.
#include "run_internal.h"

#include "already_tried_lookup.h"
#include "config_flatten.h"
#include "provenance.h"
#include "runlens/number_format.h"
#include "sha256.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace runlens {

void Run::Impl::waitForWork(std::unique_lock<std::mutex>& lock)
{
    if (stopping && write_failing) {
        // finish() is waiting and the last attempt failed: retry soon, but
        // not so often that a large buffer is re-encoded back to back.
        wake.wait_for(lock, std::min(options.flush_interval, std::chrono::milliseconds(500)));
        return;
    }
    // While the store refuses writes a full buffer is no reason to retry
    // before the interval is up; a flush() or finish() is.
    const auto urgent = [&] {
        return stopping || flush_requested != flush_done || (!write_failing && buffered_points >= drain_at)
            || (!write_failing && buffered_media_bytes >= kMediaDrainBytes);
    };
    wake.wait_for(lock, options.flush_interval, [&] { return urgent() || first_point_due; });
    if (first_point_due && !urgent()) // gather what comes with the first point, briefly
        wake.wait_until(lock, first_point_at + std::min(kFirstFlushDelay, options.flush_interval), urgent);
}

void Run::Impl::writerLoop()
{
    // What a failed write leaves in `batch` and `spare` is written again next
    // time, before anything logged later: a busy or full store delays, never
    // loses (the buffer is bounded: logMetric drops or waits beyond it).
    std::vector<Record> batch;
    bool first = true;
    bool failing = false, drop_told = false;
    uint64_t dropped_seen = 0;
    std::optional<std::chrono::steady_clock::time_point> give_up_at; // once finishing has failed
    for (;;) {
        size_t series_count = 0;
        uint64_t serving = 0, dropped = 0;
        std::string drop_why;
        bool stop = false;
        {
            std::unique_lock lock(mu);
            if (!first)
                waitForWork(lock);
            first = false;
            serving = flush_requested;
            stop = stopping;
            first_point_due = false;
            dropped = dropped_points;
            drop_why = drop_reason;
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
        size_t in_flight = 0, media_in_flight = 0;
        for (size_t i = 0; i < series_count; ++i)
            in_flight += spare[i].size();
        for (const auto& record : batch)
            if (const auto* media = std::get_if<MediaRecord>(&record))
                media_in_flight += media->bytes.size();
        std::string error;
        try {
            writeBatch(batch, series_count, dropped, drop_why);
        } catch (const std::exception& e) {
            error = e.what();
        }
        const bool written = error.empty();
        if (written) {
            batch.clear();
            for (size_t i = 0; i < series_count; ++i)
                spare[i].clear();
            dropped_on_disk = dropped;
        }
        bool lost = false, dropping = false;
        size_t waiting = 0;
        {
            std::lock_guard lock(mu);
            flush_done = serving;
            write_failing = !written;
            if (written) {
                buffered_points -= in_flight;
                buffered_media_bytes -= media_in_flight;
                write_error.clear();
            } else {
                write_error = store_lost ? error : "writing to the store failed: " + error;
                last_error = write_error;
                // Points dropped before this attempt found the store failing
                // were dropped because of it: say so in the store.
                if (dropped_points > dropped_on_disk)
                    drop_reason = "the buffer was full (" + points(options.max_buffered_points) + ") while " + write_error;
            }
            lost = store_lost;
            waiting = buffered_points;
            dropping = dropped_points > dropped_seen;
            dropped_seen = dropped_points;
        }
        flushed.notify_all();
        room.notify_all();
        // Said once a failure, not once a retry: a full disk can last hours.
        if (dropping && !drop_told) {
            drop_told = true;
            std::fprintf(stderr,
                "runlens: the buffer is full (%zu points wait for the store); points logged meanwhile are dropped and "
                "counted (RunOptions::max_buffered_points, when_buffer_full)\n",
                waiting);
        }
        if (!written && !failing) {
            if (lost)
                std::fprintf(stderr, "runlens: %s; nothing logged from now on is saved\n", error.c_str());
            else
                std::fprintf(stderr, "runlens: writing to the store failed (%zu points wait in memory; retried every %s): %s\n",
                    waiting, durationText(options.flush_interval).c_str(), error.c_str());
        } else if (written && failing) {
            std::fprintf(stderr, "runlens: the store takes writes again; what was buffered is written\n");
        }
        failing = !written;
        if (written)
            drop_told = false;
        if (!stop)
            continue;
        if (written)
            return;
        const auto now = std::chrono::steady_clock::now();
        if (!give_up_at)
            give_up_at = now + options.finish_timeout;
        if (lost || now >= *give_up_at) {
            const std::string why = lost ? error
                : "finishing gave up after " + durationText(options.finish_timeout) + ": writing to the store failed: " + error;
            if (!lost)
                recordEndWithoutPoints(batch, dropped + in_flight, why);
            std::lock_guard lock(mu);
            finish_error = in_flight ? "not saved: " + points(in_flight) + "; " + why : why;
            return;
        }
    }
}

void Run::Impl::checkStoreIdentity()
{
    // A store deleted (or replaced by another file) while the run logs would
    // take every write into a file nobody can open again. Said, not hidden.
    struct stat now {};
    const bool gone = ::stat(store_path.c_str(), &now) != 0;
    if (!gone && uint64_t(now.st_dev) == store_dev && uint64_t(now.st_ino) == store_ino)
        return;
    const std::string what = "the store file '" + store_path + "' was "
        + (gone ? "deleted" : "replaced by another file") + " while the run was logging";
    {
        std::lock_guard lock(mu);
        store_lost = true;
    }
    room.notify_all(); // loggers waiting for room (Block) would wait forever
    throw Error(what);
}

void Run::Impl::writeBatch(std::vector<Record>& batch, size_t series_count, uint64_t dropped, const std::string& drop_why)
{
    if (!db)
        return;
    checkStoreIdentity();
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
    if (dropped != dropped_on_disk) {
        writeRecord(TagRecord{"runlens.dropped_points", std::to_string(dropped)});
        writeRecord(TagRecord{"runlens.dropped_reason", drop_why});
    }
    if (hash_dirty)
        updateReproHash();
    auto beat = db->prepare("UPDATE runs SET heartbeat=? WHERE id=?");
    beat.bind(1, nowMs()).bind(2, id).run();
    tx.commit();
    // Committed to a file that is no longer at the path: not saved after all.
    checkStoreIdentity();
    for (auto& [i, state] : staged)
        on_disk[i] = std::move(state);
}

void Run::Impl::recordEndWithoutPoints(const std::vector<Record>& batch, uint64_t missing, const std::string& why)
{
    // A little may fit where the points did not: then the run reads as ended,
    // with what it is missing, instead of as crashed.
    try {
        SqliteTransaction tx(*db);
        for (const auto& record : batch)
            writeRecord(record);
        writeRecord(TagRecord{"runlens.dropped_points", std::to_string(missing)});
        writeRecord(TagRecord{"runlens.dropped_reason", why});
        tx.commit();
    } catch (const std::exception&) {
        // The run keeps its last heartbeat and reads as crashed.
    }
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
            } else if constexpr (std::is_same_v<T, MediaRecord>) {
                writeMedia(r);
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

void Run::Impl::writeMedia(const MediaRecord& r)
{
    std::vector<uint8_t> encoded;
    if (r.raw_channels > 0) {
        try {
            encoded = encodePng({r.width, r.height, r.raw_channels, 0, r.bytes});
        } catch (const Error& e) {
            // Checked when logged, so not expected; one image is not worth the batch.
            std::lock_guard lock(mu);
            last_error = "image '" + r.key + "' was not saved: " + e.what();
            return;
        }
    }
    const std::span<const uint8_t> bytes = r.raw_channels > 0 ? std::span<const uint8_t>(encoded) : r.bytes;
    writeMediaRow(*db, id, {r.key, r.step, r.stepped, r.kind, r.format, r.width, r.height, r.caption, r.time_ms}, bytes);
}

void Run::Impl::writeProvenance()
{
    if (options.capture_git) {
        // Captured already when the lookup at start needed the code.
        const auto git = git_at_start ? std::move(*git_at_start) : detail::captureGit(cwd, options.max_diff_bytes);
        git_at_start.reset();
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
    db->prepare("UPDATE runs SET repro_hash=?, config_hash=? WHERE id=?")
        .bind(1, detail::sha256Hex(text))
        .bind(2, detail::configHash(params_for_hash))
        .bind(3, id)
        .run();
    hash_dirty = false;
}

} // namespace runlens
