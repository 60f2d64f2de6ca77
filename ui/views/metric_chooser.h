// SPDX-License-Identifier: GPL-3.0-or-later
// The metric chooser of an analysis tab (Importance, Distributions): refilled
// with the metrics the shown runs have, keeping the user's choice, else the
// one suggested (the table's sort), else the one that most likely matters
// (chosenMetric). Its signals are blocked while it is refilled: the caller
// recomputes once after.
//
// Threading: GUI thread only.
#pragma once

#include "run_table.h"

#include <vector>

class QComboBox;

namespace runlens::ui {

void fillMetricChooser(QComboBox& box, const RunTable& table, const std::vector<int>& rows, const QString& suggested);

} // namespace runlens::ui
