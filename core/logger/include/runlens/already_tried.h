// SPDX-License-Identifier: MIT
// "Already tried": has this configuration run before in this store?
//
// When a run's config is known (given at start, or on an explicit
// Run::checkAlreadyTried()), the logger looks up the runs of the same store
// and experiment with the same params but for seed keys (the app's seed
// group: runs.config_hash, indexed) whose data versions agree with the ones
// this run has logged so far, and says what it found once on stderr and in
// the run's tag `runlens.already_tried` (AlreadyTried::json()).
//
// Two kinds of match, reported apart: an exact repeat (every param, seed
// included, the seeds given to logSeed, the data and the code: commit and
// uncommitted diff) and the same config with other seeds or other code. Only
// finished runs count as done; running and unfinished (failed, killed,
// crashed) ones are counted separately.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// What Run::start does when the config it is given has run before
// (RunOptions::on_duplicate, $RUNLENS_ON_DUPLICATE = warn|skip|ignore).
enum class OnDuplicate {
    Warn,   // the default: say so once on stderr and in the run's tag; the run goes on
    Skip,   // as Warn, but an exact repeat of a finished run is not started: Run::start
            // throws AlreadyTriedError and nothing is written to the store
    Ignore, // no lookup at all
};

struct AlreadyTried {
    int exact = 0;      // finished runs that were this very run (seed, code and data too)
    int sameConfig = 0; // finished runs with this config and data, any seed or code (exact ones included)
    int running = 0;    // same config, still running (alive)
    int unfinished = 0; // same config, failed, killed or crashed
    int64_t lastEndMs = 0; // when the latest finished one ended (ms since the epoch); 0: none
    std::string lastRunId;
    // The metric over the finished same-config runs: the one asked for, else
    // the first (byte order) that all of them logged; empty when none.
    std::string metric;
    double mean = 0, sd = 0; // sd: sample standard deviation, 0 for one value
    int n = 0;                 // runs the mean rests on

    bool found() const { return sameConfig + running + unfinished > 0; }
    // "this config ran 3 times before (1 of them this exact run: same seed,
    // code and data), last 2 days ago: val_auc 0.912 ± 0.004; 1 still
    // running, 1 failed or crashed". `nowMs` is the time "ago" counts from.
    std::string text(int64_t nowMs) const;
    // The tag's value: compact JSON with every field above and the text.
    std::string json(int64_t nowMs) const;
};

// The logger's copy of the seed-key rule of core/model/seed_keys.cpp (the
// app's, which is Qt and cannot be linked here): "seed", "*.seed", "*_seed",
// case-insensitive. tests/test_already_tried.cpp holds the two to the same
// answers on a list of keys.
bool isSeedParamKey(std::string_view key);

} // namespace runlens
