// SPDX-License-Identifier: GPL-3.0-or-later
// A saved view: what the window shows, by name, kept with a store as saved
// queries are (store_entries.h, "view:NAME"): the query, the table's hidden
// and pinned columns and grouping, the charted metrics, the curves' settings
// (axis, log scale, smoothing; as the window writes them) and the tab. Kept as
// JSON, so an older Runlens keeps it as text and a newer one reads what it knows.
#pragma once

#include "result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace runlens {

struct SavedView {
    QString query;
    QStringList hiddenColumns, pinnedColumns;
    QString groupBy;
    QStringList metrics;
    QJsonObject curves;   // the curves' settings, by the window's keys
    QString tab;          // the shown view's class ("runlens::ui::CurvesView"): the same in every language

    QString toJson() const;
    // A value that is not a view (hand-edited, another tool's) is an error, not a crash.
    static Result<SavedView> fromJson(const QString& text);
    bool operator==(const SavedView&) const = default;
};

} // namespace runlens
