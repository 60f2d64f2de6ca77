// SPDX-License-Identifier: GPL-3.0-or-later
#include "data_table.h"

#include "delimited_file.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace runlens {

namespace {

QString cellText(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 17);
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return {};
    default:
        return QString::fromUtf8(QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
                                     .toJson(QJsonDocument::Compact));
    }
}

} // namespace

bool DataTable::isTableJson(const QByteArray& json)
{
    const auto doc = QJsonDocument::fromJson(json);
    return doc.isObject() && doc.object().value(QStringLiteral("columns")).isArray()
        && doc.object().value(QStringLiteral("data")).isArray();
}

DataTable DataTable::parse(const QByteArray& bytes, const QString& format)
{
    DataTable t;
    if (format == QStringLiteral("json")) {
        QJsonParseError error{};
        const auto doc = QJsonDocument::fromJson(bytes, &error);
        if (!doc.isObject()) {
            t.problem = error.error != QJsonParseError::NoError ? error.errorString()
                                                                 : QStringLiteral("not a table: no columns and data");
            return t;
        }
        for (const auto& c : doc.object().value(QStringLiteral("columns")).toArray())
            t.columns << cellText(c);
        for (const auto& r : doc.object().value(QStringLiteral("data")).toArray()) {
            if (int(t.rows.size()) >= kMaxRows) {
                t.problem = QStringLiteral("the first %L1 rows are shown").arg(kMaxRows);
                break;
            }
            QStringList row;
            for (const auto& cell : r.toArray())
                row << cellText(cell);
            t.rows.push_back(std::move(row));
        }
        if (t.columns.isEmpty())
            t.problem = QStringLiteral("not a table: no columns");
        return t;
    }
    const char separator = format == QStringLiteral("tsv") ? '\t' : ',';
    const QString why = readDelimitedText(
        bytes, separator,
        [&](const DelimitedHeader& header) {
            for (const auto& name : header.names)
                t.columns << QString::fromStdString(name);
        },
        [&](const DelimitedRow& fields) {
            if (int(t.rows.size()) >= kMaxRows) {
                t.problem = QStringLiteral("the first %L1 rows are shown").arg(kMaxRows);
                return;
            }
            QStringList row;
            for (const auto& f : fields)
                row << QString::fromStdString(f);
            t.rows.push_back(std::move(row));
        });
    if (!why.isEmpty() && t.problem.isEmpty())
        t.problem = why;
    return t;
}

} // namespace runlens
