// Renders a view of a store to a PNG without a display, as the window would
// show it: `runlens snapshot`. Used by the GUI tests and the README's
// screenshots.
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

class QTextStream;

namespace runlens::ui {

struct SnapshotOptions {
    QStringList stores;
    QString view = QStringLiteral("table");   // table, curves, window
    QStringList runs;                         // ids, id prefixes or names; empty: as on opening
    QString query;
    QStringList metrics;                      // empty: the first metrics
    QString groupBy;                          // a column key, e.g. params.lr
    QString bands;                            // with groupBy: "minmax" or "sd" draws group bands
    QSize size{1400, 900};
    QString output;
};

// Returns a process exit code (0, or 3 store / 4 run / 5 query / 1 other) and
// writes what went wrong to `err`. Needs a QApplication.
int renderSnapshot(const SnapshotOptions& options, QTextStream& err);

} // namespace runlens::ui
