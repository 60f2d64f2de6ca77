// SPDX-License-Identifier: GPL-3.0-or-later
#include "report_table.h"

#include "column_fit.h"

#include <QFontMetricsF>
#include <QTextBoundaryFinder>
#include <QTextDocumentFragment>

#include <algorithm>

namespace runlens::ui {

namespace {

// Tables carry their borders as attributes too: QTextDocument (the PDF)
// reads those, browsers read the style sheet.
QString tableOpen(const QString& width)
{
    return QStringLiteral("<table width=\"%1\" border=\"1\" cellspacing=\"0\" cellpadding=\"4\">").arg(width);
}

// A page's cells are padded 4 px a side (kPageTableStyle); with borders and
// room for the layout's rounding to whole pixels.
constexpr double kCellChrome = 14;
// The table's own border and margin: the rest of the width is columns'.
constexpr double kTableChrome = 8;

QString cellHtml(const ReportCell& cell, const QString& width = {})
{
    QStringList classes;
    if (cell.kind == ReportCell::Kind::Number)
        classes << QStringLiteral("num");
    if (cell.kind != ReportCell::Kind::Text)
        classes << QStringLiteral("nowrap");
    if (cell.changed)
        classes << QStringLiteral("changed");
    QString attributes;
    if (!classes.isEmpty())
        attributes += QStringLiteral(" class=\"%1\"").arg(classes.join(QLatin1Char(' ')));
    if (!width.isEmpty())
        attributes += QStringLiteral(" width=\"%1\"").arg(width);
    return QStringLiteral("<td%1>%2</td>").arg(attributes, cell.html);
}

ColumnNeed need(const QString& html, ReportCell::Kind kind, const QFontMetricsF& metrics)
{
    ColumnNeed n;
    const QString text = QTextDocumentFragment::fromHtml(html).toPlainText();
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        const double width = metrics.horizontalAdvance(line);
        n.natural = std::max(n.natural, width);
        if (kind != ReportCell::Kind::Text) {
            n.minimum = std::max(n.minimum, width);
            continue;
        }
        // The pieces between the places Qt's layout may break a line
        // (Unicode line breaking: spaces, after '-' and '/').
        QTextBoundaryFinder breaks(QTextBoundaryFinder::Line, line);
        qsizetype from = 0;
        while (breaks.toNextBoundary() >= 0) {
            const qsizetype to = breaks.position();
            n.minimum = std::max(n.minimum, metrics.horizontalAdvance(line.mid(from, to - from).trimmed()));
            from = to;
        }
    }
    n.minimum += kCellChrome;
    n.natural += kCellChrome;
    return n;
}

} // namespace

const QString ReportTable::kPageTableStyle = QStringLiteral("td,th{padding:2px 4px}");

QString ReportTable::html() const
{
    QString h = tableOpen(QStringLiteral("100%")) + QStringLiteral("<thead><tr>");
    for (const auto& title : header)
        h += QStringLiteral("<th>%1</th>").arg(title);
    h += QStringLiteral("</tr></thead>\n");
    for (const auto& row : rows) {
        h += QStringLiteral("<tr>");
        for (const auto& cell : row)
            h += cellHtml(cell);
        h += QStringLiteral("</tr>\n");
    }
    return h + QStringLiteral("</table>\n");
}

QString ReportTable::pagedHtml(double width, const QFont& font) const
{
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF body(font), head(bold);
    std::vector<ColumnNeed> needs(header.size());
    auto widen = [](ColumnNeed& into, const ColumnNeed& n) {
        into.minimum = std::max(into.minimum, n.minimum);
        into.natural = std::max(into.natural, n.natural);
    };
    for (size_t c = 0; c < header.size(); ++c)
        widen(needs[c], need(header[c], ReportCell::Kind::Text, head));
    for (const auto& row : rows)
        for (size_t c = 0; c < row.size() && c < needs.size(); ++c)
            widen(needs[c], need(row[c].html, row[c].kind, body));

    width -= kTableChrome;
    const auto parts = fitColumns(needs, width, keyColumns);
    QString h;
    for (size_t p = 0; p < parts.size(); ++p) {
        const TablePart& part = parts[p];
        if (parts.size() > 1)
            h += QStringLiteral("<p class=\"muted\">Columns %1 of %2</p>").arg(p + 1).arg(parts.size());
        // Widths as whole pixels on the header row, which sets the columns.
        h += tableOpen(QString::number(int(width))) + QStringLiteral("<thead><tr>");
        for (size_t i = 0; i < part.columns.size(); ++i)
            h += QStringLiteral("<th width=\"%1\">%2</th>")
                     .arg(int(part.widths[i]))
                     .arg(header[size_t(part.columns[i])]);
        h += QStringLiteral("</tr></thead>\n");
        for (const auto& row : rows) {
            h += QStringLiteral("<tr>");
            for (int c : part.columns)
                h += size_t(c) < row.size() ? cellHtml(row[size_t(c)]) : QStringLiteral("<td></td>");
            h += QStringLiteral("</tr>\n");
        }
        h += QStringLiteral("</table>\n");
    }
    return h;
}

} // namespace runlens::ui
