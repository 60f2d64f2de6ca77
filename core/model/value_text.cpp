// SPDX-License-Identifier: GPL-3.0-or-later
#include "value_text.h"

#include "number_text.h"

#include <QJsonDocument>

namespace runlens {

namespace {

bool looksLikeJson(const QString& text)
{
    const QString t = text.trimmed();
    return (t.startsWith(QLatin1Char('{')) && t.endsWith(QLatin1Char('}')))
        || (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']')));
}

QJsonDocument parsedJson(const QString& text)
{
    if (!looksLikeJson(text))
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    return error.error == QJsonParseError::NoError ? doc : QJsonDocument();
}

} // namespace

bool isLongJson(const QString& text)
{
    return text.size() > kCellValueChars && !parsedJson(text).isNull();
}

bool isElidedInCell(const QString& text)
{
    return text.size() > kCellValueChars || text.contains(QLatin1Char('\n'));
}

QString cellText(const QString& text, bool compactNumbers)
{
    if (text.size() <= kCellValueChars && !text.contains(QLatin1Char('\n')))
        return compactNumbers ? compactValue(text) : text;
    QString line = text;
    // JSON on one line without its indentation: more of it fits before the cut.
    if (const QJsonDocument doc = parsedJson(text); !doc.isNull())
        line = QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    line.replace(QLatin1Char('\n'), QStringLiteral(" ↵ "));
    return line.size() > kCellValueChars ? line.left(kCellValueChars - 1) + QChar(0x2026) : line;
}

QString prettyValue(const QString& text)
{
    const QJsonDocument doc = parsedJson(text);
    return doc.isNull() ? text : QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

} // namespace runlens
