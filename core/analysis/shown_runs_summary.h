// SPDX-License-Identifier: GPL-3.0-or-later
// What the window shows, in a few lines, for the details panel when no run
// is selected: the stores and experiments, how many runs have each status,
// when they ran, the best runs by the metric people compare on first, and
// the newest. Everything in it names rows, so each line can be clicked.
#pragma once

#include "run_table.h"

#include <QString>
#include <QStringList>

#include <span>
#include <utility>
#include <vector>

namespace runlens {

struct ShownRunsSummary {
    int runs = 0;
    std::vector<std::pair<QString, int>> experiments;   // most runs first
    std::vector<std::pair<RunStatus, int>> statuses;    // in RunStatus order, present ones only
    int64_t firstStart = -1, lastStart = -1;            // ms since epoch; -1 without runs
    QString metric;                                     // the one the best runs are ranked by; empty: none
    bool lowerIsBetter = false;
    std::vector<int> best;     // rows, best first
    std::vector<int> newest;   // rows, newest first
    int starred = 0;

    static ShownRunsSummary of(const RunTable& table, std::span<const int> rows, int top = 5);
};

} // namespace runlens
