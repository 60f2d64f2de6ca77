// What differs between two runs: params, tags, metric summaries, data
// versions, environment and git. The CLI's `diff` and the diff view use it.
#pragma once

#include "run_details.h"

#include <QString>

#include <vector>

namespace runlens {

struct DiffEntry {
    QString section; // params, tags, metrics, data, environment, git, run
    QString key;
    QString a, b; // as text; empty with present false where the run lacks it
    bool inA = true, inB = true;
};

// Only the entries that differ, grouped by section, keys sorted.
std::vector<DiffEntry> diffRuns(const RunDetails& a, const RunDetails& b);

} // namespace runlens
