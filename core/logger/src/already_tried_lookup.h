// SPDX-License-Identifier: MIT
// The "already tried" lookup (runlens/already_tried.h): what a run is
// compared on (a Probe, from the config given at start or from the run's own
// rows in the store) and the lookup itself, over runs.config_hash.
//
// Threading: a function here uses the SqliteDb it is given on the calling
// thread only.
#pragma once

#include "runlens/already_tried.h"
#include "runlens/sqlite_db.h"

#include <map>
#include <optional>
#include <string>

namespace runlens::detail {

// The hash of a run's params but for seed keys: runs that share it are one
// seed group (the app's notion, seed_keys.h). Params as the writer keeps
// them: key -> "type:value".
std::string configHash(const std::map<std::string, std::string>& params);

// What a run is compared on.
struct Probe {
    std::string experiment;
    std::string runId; // the run itself, left out of the answer; empty before it exists
    std::map<std::string, std::string> params; // key -> "type:value", seeds included
    std::map<std::string, std::string> seeds;  // logSeed's: environment "seed.NAME" -> value
    std::map<std::string, std::string> data;   // the data versions known so far
    std::optional<std::pair<std::string, std::string>> code; // commit and uncommitted diff; none outside a repo
    std::string metric; // the metric to summarise; empty: chosen (AlreadyTried::metric)
};

// The run `runId` as it is in the store (after a flush).
Probe probeOfRun(SqliteDb& db, const std::string& runId);

// Runs of `probe.experiment` with its config hash, judged. One indexed query
// for the candidates (runs_by_config), then primary-key reads of the few found.
AlreadyTried lookUpAlreadyTried(SqliteDb& db, const Probe& probe, int64_t nowMs, std::string_view localHost);

// The policy: RunOptions::on_duplicate, else $RUNLENS_ON_DUPLICATE, else
// Warn. Throws Error for a value of the variable that is none of warn, skip, ignore.
OnDuplicate onDuplicatePolicy(const std::optional<OnDuplicate>& chosen);

// The line said on stderr: "runlens: experiment 'mnist': this config ran ...".
std::string alreadyTriedMessage(const std::string& experiment, const AlreadyTried& found, int64_t nowMs);

// Fills runs.config_hash of every run that has none (stores from before
// schema 3): their params are read and hashed as the writer would have.
void backfillConfigHashes(SqliteDb& db);

} // namespace runlens::detail
