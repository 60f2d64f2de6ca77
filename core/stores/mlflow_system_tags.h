// SPDX-License-Identifier: GPL-3.0-or-later
// What MLflow records of a run's code, machine and notes lives in its system
// tags (mlflow.source.git.commit, mlflow.note.content, ...): the run table's
// git state, environment and notes taken from them, as both MLflow readers'
// details present them, so that queries reach them (git.commit, notes, ...).
#pragma once

#include "run_table.h"

#include <vector>

namespace runlens {

// `users`: each row's user_id from the run's record (empty: none), which
// wins over the mlflow.user tag.
void applyMlflowSystemTags(RunTable& table, const std::vector<QString>& users = {});

} // namespace runlens
