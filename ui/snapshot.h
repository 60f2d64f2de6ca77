// SPDX-License-Identifier: GPL-3.0-or-later
// Renders a view of a store to a PNG without a display, as the window would
// show it: `runlens snapshot`. Used by the GUI tests and the README's
// screenshots.
#pragma once

#include "plot_series.h"

#include <QSize>
#include <QString>
#include <QStringList>

class QTextStream;

namespace runlens::ui {

struct SnapshotOptions {
    QStringList stores;
    QString view = QStringLiteral("table");   // one of snapshotViews()
    QStringList runs;                         // ids, id prefixes or names; empty: as on opening
    QString query;
    QStringList metrics;                      // empty: the first metrics
    QString groupBy;                          // a column key, e.g. params.lr
    QStringList params;                       // distributions: the param (box plots), or two (a heat map)
    QString sortBy;                           // a column key; a leading '-': descending
    QString bands;                            // with groupBy: "minmax" or "sd" draws group bands
    XAxis axis = XAxis::Step;                 // the curves' x
    QString xMetric;                          // with XAxis::Metric
    QString artifact;                         // artifacts: the path or media key shown (empty: the first image)
    QString step;                             // artifacts: the step of per-step media (empty: the last)
    bool difference = false;                  // artifacts: images as their difference from the first run's
    QSize size{1400, 900};
    QString output;
};

// The views a snapshot can show, as --view names them.
const QStringList& snapshotViews();

// What stopped a snapshot; the caller decides what it means (the CLI maps it
// to an exit code). The message has been written to `err`.
enum class SnapshotError { None, StoreUnreadable, RunNotFound, BadQuery, BadOption, Failed };

// Renders the view and saves it to options.output. Needs a QApplication.
SnapshotError renderSnapshot(const SnapshotOptions& options, QTextStream& err);

} // namespace runlens::ui
