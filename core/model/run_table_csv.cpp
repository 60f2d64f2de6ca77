// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_table_csv.h"

#include "run_json.h"

namespace runlens {

QString csvField(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
        && !text.contains(QLatin1Char('\r')))
        return text;
    QString q = text;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

void writeRunTableCsv(const RunTable& t, const std::vector<int>& rows, QTextStream& out)
{
    QStringList header = {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("experiment"),
        QStringLiteral("status"), QStringLiteral("start_time"), QStringLiteral("end_time")};
    for (const auto& c : t.params())
        header << QStringLiteral("params.") + c.key;
    for (const auto& m : t.metrics())
        header << QStringLiteral("metrics.") + m.key;
    for (const auto& c : t.tags())
        header << QStringLiteral("tags.") + c.key;
    for (auto& h : header)
        h = csvField(h);
    out << header.join(QLatin1Char(',')) << '\n';
    for (int r : rows) {
        QStringList cells = {t.id(r), t.name(r), t.experiment(r), statusName(t.status(r)),
            QString::number(t.startTime(r)), t.endTime(r) < 0 ? QString() : QString::number(t.endTime(r))};
        for (const auto& c : t.params())
            cells << (c.has(r) ? c.text[size_t(r)] : QString());
        for (const auto& m : t.metrics())
            cells << (m.has(r) ? numberText(m.last[size_t(r)]) : QString());
        for (const auto& c : t.tags())
            cells << (c.has(r) ? c.text[size_t(r)] : QString());
        for (auto& cell : cells)
            cell = csvField(cell);
        out << cells.join(QLatin1Char(',')) << '\n';
    }
}

} // namespace runlens
