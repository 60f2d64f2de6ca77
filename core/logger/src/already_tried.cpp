// SPDX-License-Identifier: MIT
#include "already_tried_lookup.h"

#include "runlens/run_liveness.h"
#include "sha256.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <vector>

namespace runlens {

namespace {

bool endsWithNoCase(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size()
        && std::equal(suffix.begin(), suffix.end(), text.end() - std::ptrdiff_t(suffix.size()),
            [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            });
}

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string times(int n)
{
    return n == 1 ? "once" : n == 2 ? "twice" : std::to_string(n) + " times";
}

std::string ago(int64_t thenMs, int64_t nowMs)
{
    const int64_t s = std::max<int64_t>(0, (nowMs - thenMs) / 1000);
    auto unit = [](int64_t n, const char* what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s") + " ago";
    };
    if (s < 60)
        return "just now";
    if (s < 3600)
        return unit(s / 60, "minute");
    if (s < 2 * 86400)
        return unit(s / 3600, "hour");
    return unit(s / 86400, "day");
}

} // namespace

bool isSeedParamKey(std::string_view key)
{
    return (key.size() == 4 && endsWithNoCase(key, "seed")) || endsWithNoCase(key, ".seed")
        || endsWithNoCase(key, "_seed");
}

std::string AlreadyTried::text(int64_t nowMs) const
{
    std::string out;
    if (sameConfig > 0) {
        out = "this config ran " + times(sameConfig) + " before";
        if (exact == sameConfig)
            out += ", as this exact run (same seed, code and data)";
        else if (exact > 0)
            out += ": " + std::to_string(exact) + " as this exact run (same seed, code and data), "
                + std::to_string(sameConfig - exact) + " with other seeds or code";
        else
            out += " with other seeds or code";
        out += ", last " + ago(lastEndMs, nowMs);
        if (!metric.empty())
            out += ": " + metric + " " + number(mean) + (n > 1 ? " \u00b1 " + number(sd) : "") + " (n=" + std::to_string(n) + ")";
    } else if (running + unfinished > 0) {
        out = "this config has no finished run yet";
    }
    if (running > 0)
        out += "; " + std::to_string(running) + " still running";
    if (unfinished > 0)
        out += "; " + std::to_string(unfinished) + " failed or crashed";
    return out;
}

std::string AlreadyTried::json(int64_t nowMs) const
{
    nlohmann::ordered_json j;
    j["finished"] = sameConfig;
    j["exact"] = exact;
    j["running"] = running;
    j["unfinished"] = unfinished;
    if (lastEndMs > 0) {
        j["last_end_ms"] = lastEndMs;
        j["last_run"] = lastRunId;
    }
    if (!metric.empty()) {
        j["metric"] = metric;
        j["mean"] = mean;
        j["sd"] = sd;
        j["n"] = n;
    }
    j["text"] = text(nowMs);
    return j.dump();
}

namespace detail {

std::string configHash(const std::map<std::string, std::string>& params)
{
    // Versioned like the reproducibility hash: changing what enters it makes
    // a new hash, never a silent mismatch with older runs.
    std::string text = "runlens-config-v1\n";
    for (const auto& [k, v] : params)
        if (!isSeedParamKey(k))
            text += k + "=" + v + "\n";
    return sha256Hex(text);
}

namespace {

std::map<std::string, std::string> readPairs(SqliteStatement& st, const std::string& runId, bool typed)
{
    std::map<std::string, std::string> out;
    st.bind(1, runId);
    while (st.step())
        out[std::string(st.text(0))] = typed ? std::string(st.text(1)) + ":" + std::string(st.text(2)) : std::string(st.text(1));
    st.reset();
    return out;
}

// Statements for one run's rows, prepared once a lookup.
struct RunRows {
    SqliteStatement params, seeds, data, git, metrics;
    explicit RunRows(SqliteDb& db)
        : params(db.prepare("SELECT key, type, value FROM params WHERE run_id=?"))
        , seeds(db.prepare("SELECT key, value FROM environment WHERE run_id=? AND key >= 'seed.' AND key < 'seed/'"))
        , data(db.prepare("SELECT name, version FROM data_versions WHERE run_id=?"))
        , git(db.prepare("SELECT commit_sha, diff FROM git_info WHERE run_id=?"))
        , metrics(db.prepare("SELECT key, last_value FROM metrics WHERE run_id=? AND count > 0"))
    {
    }
    std::optional<std::pair<std::string, std::string>> code(const std::string& runId)
    {
        std::optional<std::pair<std::string, std::string>> out;
        git.bind(1, runId);
        if (git.step())
            out.emplace(std::string(git.text(0)), std::string(git.text(1)));
        git.reset();
        return out;
    }
};

} // namespace

Probe probeOfRun(SqliteDb& db, const std::string& runId)
{
    Probe p;
    auto exp = db.prepare("SELECT e.name FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id=?");
    exp.bind(1, runId);
    if (!exp.step())
        throw Error("there is no run '" + runId + "' in " + db.path());
    p.experiment = exp.text(0);
    p.runId = runId;
    RunRows rows(db);
    p.params = readPairs(rows.params, runId, true);
    p.seeds = readPairs(rows.seeds, runId, false);
    p.data = readPairs(rows.data, runId, false);
    p.code = rows.code(runId);
    return p;
}

AlreadyTried lookUpAlreadyTried(SqliteDb& db, const Probe& probe, int64_t nowMs, std::string_view localHost)
{
    AlreadyTried out;
    auto candidates = db.prepare(
        "SELECT r.id, r.status, r.end_time, r.heartbeat, r.heartbeat_interval_ms, r.host, r.pid FROM runs r "
        "JOIN experiments e ON e.id = r.experiment_id WHERE e.name=? AND r.config_hash=? AND r.id<>?");
    candidates.bind(1, probe.experiment).bind(2, configHash(probe.params)).bind(3, probe.runId);
    RunRows rows(db);
    std::vector<std::map<std::string, double>> finishedMetrics;
    while (candidates.step()) {
        const std::string id(candidates.text(0));
        // Data the probe has logged must agree; data it has not logged yet
        // (a file versioned after the lookup at start) does not count against.
        const auto data = readPairs(rows.data, id, false);
        const bool dataAgrees = std::all_of(probe.data.begin(), probe.data.end(), [&](const auto& kv) {
            const auto it = data.find(kv.first);
            return it != data.end() && it->second == kv.second;
        });
        if (!dataAgrees)
            continue;
        const std::string_view status = candidates.text(1);
        if (status == "running") {
            const RunHeartbeat beat{candidates.int64(3), candidates.int64(4), candidates.text(5), candidates.int64(6)};
            ++(runLiveness(beat, nowMs, localHost) == Liveness::Alive ? out.running : out.unfinished);
            continue;
        }
        if (status != "finished") {
            ++out.unfinished;
            continue;
        }
        ++out.sameConfig;
        const int64_t end = candidates.isNull(2) ? 0 : candidates.int64(2);
        if (end >= out.lastEndMs) {
            out.lastEndMs = end;
            out.lastRunId = id;
        }
        // The config hash equal, the non-seed params are: the rest decides.
        if (readPairs(rows.params, id, true) == probe.params && readPairs(rows.seeds, id, false) == probe.seeds
            && rows.code(id) == probe.code)
            ++out.exact;
        finishedMetrics.push_back({});
        rows.metrics.bind(1, id);
        while (rows.metrics.step())
            if (!rows.metrics.isNull(1))
                finishedMetrics.back()[std::string(rows.metrics.text(0))] = rows.metrics.real(1);
        rows.metrics.reset();
    }
    // The metric to summarise: the one asked for, else the first that every
    // finished match logged (byte order: no guess at which one matters), the
    // sampler's system/ series only when there is nothing else.
    std::string metric = probe.metric;
    for (const bool system : {false, true}) {
        if (!metric.empty() || finishedMetrics.empty())
            break;
        for (const auto& entry : finishedMetrics.front()) {
            // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
            const std::string& key = entry.first;
            if ((key.rfind("system/", 0) == 0) != system)
                continue;
            if (std::all_of(finishedMetrics.begin(), finishedMetrics.end(), [&](const auto& m) { return m.count(key) > 0; })) {
                metric = key;
                break;
            }
        }
    }
    std::vector<double> values;
    for (const auto& m : finishedMetrics)
        if (const auto it = m.find(metric); it != m.end() && std::isfinite(it->second))
            values.push_back(it->second);
    if (!values.empty()) {
        out.metric = metric;
        out.n = int(values.size());
        double sum = 0;
        for (double v : values)
            sum += v;
        out.mean = sum / double(values.size());
        double sq = 0;
        for (double v : values)
            sq += (v - out.mean) * (v - out.mean);
        out.sd = values.size() > 1 ? std::sqrt(sq / double(values.size() - 1)) : 0.0;
    }
    return out;
}

OnDuplicate onDuplicatePolicy(const std::optional<OnDuplicate>& chosen)
{
    if (chosen)
        return *chosen;
    const char* env = std::getenv("RUNLENS_ON_DUPLICATE");
    const std::string_view v = env ? env : "";
    if (v.empty() || v == "warn")
        return OnDuplicate::Warn;
    if (v == "skip")
        return OnDuplicate::Skip;
    if (v == "ignore")
        return OnDuplicate::Ignore;
    throw Error("RUNLENS_ON_DUPLICATE is warn, skip or ignore, not '" + std::string(v) + "'");
}

std::string alreadyTriedMessage(const std::string& experiment, const AlreadyTried& found, int64_t nowMs)
{
    return "runlens: experiment '" + experiment + "': " + found.text(nowMs);
}

void backfillConfigHashes(SqliteDb& db)
{
    std::vector<std::string> ids;
    auto runs = db.prepare("SELECT id FROM runs WHERE config_hash=''");
    while (runs.step())
        ids.emplace_back(runs.text(0));
    auto params = db.prepare("SELECT key, type, value FROM params WHERE run_id=?");
    auto set = db.prepare("UPDATE runs SET config_hash=? WHERE id=?");
    for (const auto& id : ids)
        set.bind(1, configHash(readPairs(params, id, true))).bind(2, id).run();
}

} // namespace detail

} // namespace runlens
