// SPDX-License-Identifier: GPL-3.0-or-later
#include "metric_chooser.h"

#include "metric_priority.h"

#include <QComboBox>

#include <algorithm>

namespace runlens::ui {

void fillMetricChooser(QComboBox& box, const RunTable& table, const std::vector<int>& rows, const QString& suggested)
{
    const QString keep = box.currentText();
    const QSignalBlocker block(&box);
    box.clear();
    const QStringList present = metricsPresentIn(table, rows);
    box.addItems(present);
    box.setCurrentIndex(std::max(0, box.findText(chosenMetric(present, keep, suggested))));
}

} // namespace runlens::ui
