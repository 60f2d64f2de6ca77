// SPDX-License-Identifier: GPL-3.0-or-later
// A table in a report, kept as cells until it is written: a browser gets
// one table and lays it out itself; a page (PDF, the dialog's preview) gets
// columns sized to its width from the cells' text, split into parts when
// the columns cannot fit side by side (see column_fit.h).
#pragma once

#include <QFont>
#include <QString>

#include <vector>

namespace runlens::ui {

struct ReportCell {
    enum class Kind {
        Text,   // wraps between words and after separators
        Number, // right-aligned, never broken
        Whole,  // never broken (a date, a status)
    };
    QString html; // escaped, may hold <span> and <br>
    Kind kind = Kind::Text;
    bool changed = false; // differs from the baseline: highlighted

    static ReportCell text(const QString& html) { return {html, Kind::Text, false}; }
    static ReportCell number(const QString& html) { return {html, Kind::Number, false}; }
    static ReportCell whole(const QString& html) { return {html, Kind::Whole, false}; }
};

struct ReportTable {
    std::vector<QString> header; // escaped
    std::vector<std::vector<ReportCell>> rows;
    int keyColumns = 1; // repeated in every part of a split table

    // One table for a browser.
    QString html() const;
    // For a page `width` pixels wide whose cells use `font` (headers bold)
    // and kPageTableStyle: paper is narrower than a screen, so cells are
    // padded less than in a browser.
    QString pagedHtml(double width, const QFont& font) const;
    static const QString kPageTableStyle;
};

} // namespace runlens::ui
