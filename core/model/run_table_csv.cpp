// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_table_csv.h"

#include "run_json.h"

#include <algorithm>

namespace runlens {

void appendCsvField(QString& line, QStringView text)
{
    const bool quoted = std::any_of(text.begin(), text.end(), [](QChar c) {
        return c == QLatin1Char(',') || c == QLatin1Char('"') || c == QLatin1Char('\n') || c == QLatin1Char('\r');
    });
    if (!quoted) {
        line += text;
        return;
    }
    line += QLatin1Char('"');
    for (const QChar c : text) {
        if (c == QLatin1Char('"'))
            line += QLatin1Char('"');
        line += c;
    }
    line += QLatin1Char('"');
}

QString csvField(const QString& text)
{
    QString field;
    appendCsvField(field, text);
    return field;
}

void writeRunTableCsv(const RunTable& t, const std::vector<int>& rows, QTextStream& out)
{
    // One line buffer, reused and handed to the stream a line at a time: the
    // memory is a line's, whatever the number of runs.
    QString line;
    bool first = true;
    auto cell = [&](QStringView text) {
        if (!first)
            line += QLatin1Char(',');
        first = false;
        appendCsvField(line, text);
    };
    auto endLine = [&] {
        line += QLatin1Char('\n');
        out << line;
        line.resize(0); // keeps its capacity
        first = true;
    };
    for (const char16_t* name : {u"id", u"name", u"experiment", u"status", u"start_time", u"end_time"})
        cell(QStringView(name));
    for (const auto& c : t.params())
        cell(QString(QStringLiteral("params.") + c.key));
    for (const auto& m : t.metrics())
        cell(QString(QStringLiteral("metrics.") + m.key));
    for (const auto& c : t.tags())
        cell(QString(QStringLiteral("tags.") + c.key));
    endLine();
    for (int r : rows) {
        const auto row = size_t(r);
        cell(t.id(r));
        cell(t.name(r));
        cell(t.experiment(r));
        cell(statusName(t.status(r)));
        cell(QString::number(t.startTime(r)));
        cell(t.endTime(r) < 0 ? QString() : QString::number(t.endTime(r)));
        for (const auto& c : t.params())
            cell(c.has(r) ? QStringView(c.text[row]) : QStringView());
        for (const auto& m : t.metrics())
            cell(m.has(r) ? numberText(m.last[row]) : QString());
        for (const auto& c : t.tags())
            cell(c.has(r) ? QStringView(c.text[row]) : QStringView());
        endLine();
    }
}

} // namespace runlens
