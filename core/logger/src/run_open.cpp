// SPDX-License-Identifier: MIT
// Starting and resuming runs: the store opened for writing, the run's row,
// and what a resumed run carries on with.
#include "run_internal.h"

#include "already_tried_lookup.h"
#include "config_flatten.h"
#include "provenance.h"
#include "runlens/run_liveness.h"
#include "runlens/store_schema.h"
#include "sha256.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

namespace runlens {

namespace fs = std::filesystem;

namespace {

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
    if (options.max_buffered_points == 0)
        throw Error("max_buffered_points must be positive");
    impl->drain_at = std::max<size_t>(1, options.max_buffered_points / 2);
    std::error_code ec;
    impl->cwd = fs::current_path(ec);
    impl->db = std::make_unique<SqliteDb>(
        openStoreForWriting(store_path, static_cast<int>(options.busy_timeout.count()), options.vfs_name));
    impl->db->exec("PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16384");
    // The file as opened, for the writer to notice it deleted or replaced.
    struct stat st {};
    if (::stat(store_path.c_str(), &st) != 0)
        throw Error("cannot open '" + store_path + "': it vanished as it was opened");
    impl->store_dev = uint64_t(st.st_dev);
    impl->store_ino = uint64_t(st.st_ino);
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
    if (systemMetricsWanted(raw->options))
        raw->startSampler(raw->options.system_metrics_interval);
    // The run's row is in the store: the push can find it. A push that
    // cannot start never stops the run; it is said once, with what to do.
    if (const auto url = detail::syncUrl(raw->options))
        if (const std::string why = raw->startSync(*url, raw->options.sync_interval); !why.empty()) {
            std::fprintf(stderr, "runlens: %s\n", why.c_str());
            raw->setError(why);
        }
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
    // The config given at start is looked up before the run exists: a skipped
    // repeat leaves nothing behind. The code enters the comparison, so git is
    // captured now (once: the writer records this capture).
    std::string tried_tag;
    if (!options.config.empty()) {
        if (auto why = checkValue("config", options.config); !why.empty())
            throw Error(why);
        const auto flat = detail::flattenConfig(options.config, "");
        if (!flat)
            throw Error("the config is not a valid JSON object, or nests deeper than " + std::to_string(detail::kMaxJsonDepth)
                + " levels");
        const OnDuplicate policy = detail::onDuplicatePolicy(options.on_duplicate);
        if (policy != OnDuplicate::Ignore) {
            detail::Probe probe;
            probe.experiment = options.experiment;
            for (const auto& p : *flat)
                probe.params[p.key] = p.type + ":" + p.value;
            probe.metric = options.tried_metric;
            if (options.capture_git) {
                impl->git_at_start = detail::captureGit(impl->cwd, options.max_diff_bytes);
                if (impl->git_at_start->found)
                    probe.code.emplace(impl->git_at_start->commit, impl->git_at_start->diff);
            }
            const int64_t now = nowMs();
            const AlreadyTried found = detail::lookUpAlreadyTried(db, probe, now, detail::hostName());
            if (found.found()) {
                const std::string message = detail::alreadyTriedMessage(options.experiment, found, now);
                if (policy == OnDuplicate::Skip && found.exact > 0) {
                    std::fprintf(stderr, "%s; not run again (on_duplicate=skip)\n", message.c_str());
                    throw AlreadyTriedError(message + "; not run again (on_duplicate=skip)", found);
                }
                std::fprintf(stderr, "%s\n", message.c_str());
                impl->tried_told = true;
                tried_tag = found.json(now);
            }
        }
    }
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
        if (!tried_tag.empty())
            tag.bind(1, impl->id).bind(2, "runlens.already_tried").bind(3, tried_tag).run();
        tx.commit();
    }
    Run run = launch(std::move(impl));
    if (!options.config.empty())
        run.logConfig("", options.config);
    return run;
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
                             "c.metric_id = m.id), m.value_sum, m.value_sum_count FROM metrics m WHERE m.run_id=? "
                             "ORDER BY m.id");
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
        // A sum kept up to the last point carries on; else the mean stays unknown.
        // SQLite keeps a NaN sum (+inf and -inf met) as NULL: unknown, as it
        // would stay anyway.
        summary.valueSumKnown = summary.count == 0
            || (!series.isNull(12) && series.int64(12) == summary.count
                && (!series.isNull(11) || summary.count == summary.nanCount));
        summary.valueSum = series.isNull(11) ? 0.0 : series.real(11);
        const std::string key(series.text(1));
        // System metrics go on numbering their samples after the last one.
        if (key.rfind("system/", 0) == 0)
            impl->next_system_step = std::max(impl->next_system_step, summary.lastStep + 1);
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

} // namespace runlens
