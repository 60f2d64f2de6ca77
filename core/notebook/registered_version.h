// SPDX-License-Identifier: GPL-3.0-or-later
// A registered model version (runlens/model_registry.h) beside the run it
// was registered from: what the Models view and `runlens models` show of
// it. The metrics are the promotion record's when the run's candidate mark
// is this version's registration (the run's values then), else the run's
// values now.
#pragma once

#include "promotion.h"
#include "run_table.h"
#include "runlens/model_registry.h"

#include <QString>

#include <vector>

namespace runlens {

struct RegisteredVersionRun {
    int row = -1;              // the run's row in the table; -1: not among its runs
    QString runName;           // empty when row is -1
    PromotionRecord metrics;   // only its metrics (and rule) are set unless `registered`
    bool registered = false;   // the metrics are the registration record's
};

// `storeIndex`: the store of the registry, in a table merged from several
// (RunTable::storeIndex); -1 matches any.
RegisteredVersionRun registeredVersionRun(const RunTable& table, int storeIndex, const std::string& model,
                                          const ModelVersionEntry& version);

// "churn v3 · champion, Production": a version in one line.
QString registeredVersionLabel(const std::string& model, const RegisteredModelEntry& entry, const ModelVersionEntry& version);

// One line of a model's history: what changed, in words ("champion → v3
// (was v2)", "registered v4 from rf-2", "v2 → Production"), oldest first.
struct RegistryHistoryLine {
    qint64 timeMs = 0;
    QString user, text;
    qint64 version = 0;   // the version it is about; 0: the model
};
std::vector<RegistryHistoryLine> registryHistory(const ModelRegistry& registry, const RegisteredModelEntry& model,
                                                 const RunTable& table, int storeIndex);

} // namespace runlens
