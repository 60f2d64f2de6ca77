// SPDX-License-Identifier: GPL-3.0-or-later
// A store of many runs written straight into the schema (the logger would
// take minutes for 10,000 runs one by one), shared by the benchmarks.
#pragma once

#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace runlens::bench {

inline constexpr int kRuns = 10000, kParams = 50, kMetrics = 20;

inline void removeStore(const std::string& path)
{
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path + suffix);
}

inline void generate(const std::string& path, int runs = kRuns)
{
    removeStore(path);
    SqliteDb db = openStoreForWriting(path);
    SqliteTransaction tx(db);
    db.exec("INSERT INTO experiments(id, name, created_at) VALUES(1, 'sweep-a', 0), (2, 'sweep-b', 0)");
    auto run = db.prepare("INSERT INTO runs(id, experiment_id, name, status, start_time, end_time, heartbeat, "
                          "heartbeat_interval_ms) VALUES(?, ?, ?, 'finished', ?, ?, ?, 1000)");
    auto param = db.prepare("INSERT INTO params(run_id, key, type, value) VALUES(?, ?, ?, ?)");
    auto metric = db.prepare("INSERT INTO metrics(run_id, key, count, first_step, last_step, last_value, last_time, "
                             "min_value, max_value) VALUES(?, ?, 1000, 0, 999, ?, 0, ?, ?)");
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    for (int r = 0; r < runs; ++r) {
        char id[40];
        std::snprintf(id, sizeof id, "%032x", r * 2654435761u);
        const int64_t start = 1700000000000LL + r * 60000LL;
        run.bind(1, id).bind(2, int64_t(1 + r % 2)).bind(3, "run-" + std::to_string(r)).bind(4, start);
        run.bind(5, start + 3600000).bind(6, start + 3600000).run();
        for (int p = 0; p < kParams; ++p) {
            const std::string key = "param_" + std::to_string(p);
            if (p % 5 == 0)
                param.bind(1, id).bind(2, key).bind(3, "string").bind(4, "choice-" + std::to_string(r % 7)).run();
            else if (p % 5 == 1)
                param.bind(1, id).bind(2, key).bind(3, "int").bind(4, std::to_string(r % 13)).run();
            else
                param.bind(1, id).bind(2, key).bind(3, "float").bind(4, std::to_string(u(rng))).run();
        }
        for (int m = 0; m < kMetrics; ++m) {
            const double v = u(rng);
            metric.bind(1, id).bind(2, "metric_" + std::to_string(m)).bind(3, v).bind(4, v * 0.5).bind(5, v * 2).run();
        }
    }
    tx.commit();
}

// What a Python logger records besides: an environment of ~150 keys (every
// installed package; two virtualenvs across the sweep), git state and two
// data versions per run, added to a store `generate` wrote.
inline void addProvenance(const std::string& path)
{
    SqliteDb db = openStoreForWriting(path);
    SqliteTransaction tx(db);
    std::vector<std::string> ids;
    {
        auto st = db.prepare("SELECT id FROM runs");
        while (st.step())
            ids.emplace_back(st.text(0));
    }
    auto env = db.prepare("INSERT INTO environment(run_id, key, value) VALUES(?, ?, ?)");
    auto git = db.prepare("INSERT INTO git_info(run_id, commit_sha, branch, dirty) VALUES(?, ?, 'main', ?)");
    auto data = db.prepare("INSERT INTO data_versions(run_id, name, version) VALUES(?, ?, ?)");
    for (size_t r = 0; r < ids.size(); ++r) {
        const std::string& id = ids[r];
        for (const char* key : {"host", "os", "arch", "cpu", "cpu.count", "memory", "gpu.0", "python", "user"})
            env.bind(1, id).bind(2, key).bind(3, std::string(key) + "-value").run();
        for (int p = 0; p < 140; ++p)
            env.bind(1, id).bind(2, "package.pkg" + std::to_string(p)).bind(3, (r % 2 ? "1.2." : "1.3.") + std::to_string(p)).run();
        git.bind(1, id).bind(2, std::string(40, "0123456789abcdef"[r % 16])).bind(3, int64_t(r % 3 == 0)).run();
        data.bind(1, id).bind(2, "train").bind(3, "v" + std::to_string(r % 4)).run();
        data.bind(1, id).bind(2, "eval").bind(3, "e1").run();
    }
    tx.commit();
}

} // namespace runlens::bench
