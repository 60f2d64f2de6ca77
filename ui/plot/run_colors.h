// SPDX-License-Identifier: GPL-3.0-or-later
// The colour of a run, the same in every view. Runs are numbered in the order
// the window first sees them (a sweep in start order), and consecutive
// numbers step the hue by the golden angle, so runs shown together differ;
// a run keeps its number while the window lives, through refreshes.
// A run never registered gets a colour from its id.
//
// Threading: GUI thread only.
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

#include "runlens/run_status.h"

namespace runlens::ui {

QColor runColor(const QString& runId);
// Numbers the runs not seen before, in the order given.
void registerRunColors(const QStringList& runIdsInOrder);
// A small filled circle per status, for tables and trees.
QIcon statusIcon(RunStatus status);
QColor statusColor(RunStatus status);

} // namespace runlens::ui
