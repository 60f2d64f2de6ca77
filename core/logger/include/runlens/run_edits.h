// SPDX-License-Identifier: MIT
// Edits of a run after it ran, each written with its record: the run's own
// row (runs.name, notes, hypothesis, or a tag) and a `run_events` row, in the
// caller's write transaction, so a crash keeps both or neither. The
// notebook's writer (core/notebook/store_run_editor), the model registry's
// promotion of a registered run, and the C ABI's rl_store_edit_run
// (runlens.mlflow's delete_tag and update_run(name=)) all write through it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace runlens {

class SqliteDb;

enum class RunEditField { Name, Notes, Hypothesis, Tag };

// As `run_events.field` spells it: name, notes, hypothesis, tag.
const char* runEditFieldName(RunEditField field);

// The value now: a tag's (nullopt when the run has none), or the run's
// name, notes or hypothesis. Throws Error when the run is not in the store.
std::optional<std::string> runFieldValue(SqliteDb& db, const std::string& runId, RunEditField field,
                                         const std::string& key = {});

// Writes `after` (nullopt removes a tag; empties a name, notes or
// hypothesis) and records the change from `before` as `user` at `timeMs`.
// Throws Error when the run is not in the store.
void writeRunEdit(SqliteDb& db, const std::string& runId, RunEditField field, const std::string& key,
                  const std::optional<std::string>& before, const std::optional<std::string>& after,
                  const std::string& user, int64_t timeMs);

} // namespace runlens
