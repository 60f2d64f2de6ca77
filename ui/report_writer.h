// A comparison report as one self-contained HTML file: no external
// resources and no scripts, opens offline in any browser. Title and notes,
// the run table of the selection, the parameter differences with deltas
// against the first run, metric curves as inline SVG (decimated per pixel
// column, so spikes stay), seed statistics where runs share a config, each
// run's provenance, stamped with the store, the time and the Runlens
// version. Every user string is escaped.
#pragma once

#include "run_details.h"
#include "run_table.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace runlens {
class Workspace;
}

namespace runlens::ui {

struct ReportOptions {
    QString title = QStringLiteral("Run comparison");
    QString notes;
    QStringList metrics;   // empty: the first four the runs have
};

// `rows` are rows of the workspace's merged table.
QString buildHtmlReport(Workspace& workspace, const std::vector<int>& rows, const ReportOptions& options);

} // namespace runlens::ui
