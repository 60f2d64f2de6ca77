// SPDX-License-Identifier: GPL-3.0-or-later
#include "json_params.h"

#include "number_parse.h"
#include "regular_file.h"
#include "runlens/number_format.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimeZone>

#include <cctype>
#include <cmath>

namespace runlens {

namespace {

bool isIntegerText(const QByteArray& text)
{
    const QByteArray t = text.trimmed();
    if (t.isEmpty())
        return false;
    for (qsizetype i = 0; i < t.size(); ++i)
        if (!(std::isdigit(uchar(t[i])) || (i == 0 && t[i] == '-')))
            return false;
    return t != "-";
}

QString compactJson(const QJsonValue& v)
{
    QByteArray a = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(a.mid(1, a.size() - 2));   // without the array's brackets
}

void appendValue(std::vector<ParamValue>& out, const QString& key, const QJsonValue& v, bool unwrapValue,
    const QByteArray& rawText = {})
{
    switch (v.type()) {
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        if (unwrapValue && o.contains(QStringLiteral("value"))
            && (o.size() == 1 || (o.size() == 2 && o.contains(QStringLiteral("desc"))))) {
            appendValue(out, key, o.value(QStringLiteral("value")), false);
            return;
        }
        if (o.isEmpty()) {
            out.push_back({key, QStringLiteral("json"), QStringLiteral("{}")});
            return;
        }
        appendJsonParams(out, o, key, unwrapValue);
        return;
    }
    case QJsonValue::Array: out.push_back({key, QStringLiteral("json"), compactJson(v)}); return;
    case QJsonValue::Bool: out.push_back({key, QStringLiteral("bool"), v.toBool() ? QStringLiteral("true") : QStringLiteral("false")}); return;
    case QJsonValue::String: out.push_back({key, QStringLiteral("string"), v.toString()}); return;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        // The writer's own text where there is one: 0.1 stays 0.1.
        if (!rawText.isEmpty())
            out.push_back({key, isIntegerText(rawText) ? QStringLiteral("int") : QStringLiteral("float"),
                QString::fromUtf8(rawText.trimmed())});
        else if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
            out.push_back({key, QStringLiteral("int"), QString::number(qint64(d))});
        else
            out.push_back({key, QStringLiteral("float"), QString::fromStdString(formatDouble(d))});
        return;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined: out.push_back({key, QStringLiteral("json"), QStringLiteral("null")}); return;
    }
}

} // namespace

void appendJsonParams(std::vector<ParamValue>& out, const QJsonObject& object, const QString& prefix, bool unwrapValue)
{
    for (auto it = object.begin(); it != object.end(); ++it)
        appendValue(out, prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key(), it.value(), unwrapValue);
}

void appendJsonTextParam(std::vector<ParamValue>& out, const QString& key, const QByteArray& json)
{
    double number;
    if (parseNumber(std::string_view(json.constData(), size_t(json.size())), number) && !std::isfinite(number)) {
        out.push_back({key, QStringLiteral("float"), QString::fromStdString(formatDouble(number))});
        return;
    }
    // Any JSON value, not only an object or an array, parses inside a list.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json + "]");
    if (!doc.isArray() || doc.array().size() != 1) {
        out.push_back({key, QStringLiteral("string"), QString::fromUtf8(json)});
        return;
    }
    appendValue(out, key, doc.array().at(0), false, doc.array().at(0).isDouble() ? json : QByteArray());
}

std::optional<QJsonObject> pythonJsonObject(std::string_view text)
{
    const auto parse = [](const QByteArray& bytes) -> std::optional<QJsonObject> {
        const QJsonDocument doc = QJsonDocument::fromJson(bytes);
        return doc.isObject() ? std::optional(doc.object()) : std::nullopt;
    };
    const QByteArray bytes = QByteArray::fromRawData(text.data(), qsizetype(text.size()));
    if (auto object = parse(bytes))
        return object;
    // Quote the three tokens where they stand as values, outside strings;
    // QJsonDocument then does all of the parsing. Only for text that holds
    // one: a line of junk costs no second pass.
    if (text.find("NaN") == std::string_view::npos && text.find("Infinity") == std::string_view::npos)
        return std::nullopt;
    QByteArray quoted;
    quoted.reserve(bytes.size() + 16);
    bool inString = false, changed = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            quoted += c;
            if (c == '\\' && i + 1 < text.size())
                quoted += text[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        bool replaced = false;
        for (const std::string_view token : {std::string_view("NaN"), std::string_view("Infinity"), std::string_view("-Infinity")}) {
            if (text.substr(i, token.size()) == token) {
                quoted += '"';
                quoted.append(token.data(), qsizetype(token.size()));
                quoted += '"';
                i += token.size() - 1;
                replaced = changed = true;
                break;
            }
        }
        if (!replaced)
            quoted += c;
    }
    return changed ? parse(quoted) : std::nullopt;
}

std::optional<double> jsonNumber(const QJsonValue& value)
{
    if (value.isDouble())
        return value.toDouble();
    if (!value.isString())
        return std::nullopt;
    const QByteArray text = value.toString().toUtf8();
    double number;
    if (parseNumber(std::string_view(text.constData(), size_t(text.size())), number))
        return number;
    return std::nullopt;
}

int64_t pythonIsoTimeMs(const QString& text)
{
    // Qt reads at most milliseconds: the fraction is cut to three digits.
    static const QRegularExpression fraction(QStringLiteral("(\\.\\d{3})\\d+"));
    QString t = text;
    t.replace(fraction, QStringLiteral("\\1"));
    QDateTime time = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!time.isValid())
        return -1;
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeZone(QTimeZone::utc());
    return time.toMSecsSinceEpoch();
}

QJsonObject readJsonObjectFile(const QString& path, qsizetype maxBytes, QStringList& problems)
{
    QFile f(path);
    if (!f.exists())
        return {};
    if (const QString why = openRegularFile(f); !why.isEmpty()) {
        problems << why;
        return {};
    }
    const QByteArray bytes = f.read(maxBytes + 1);
    if (bytes.size() > maxBytes) {
        problems << QStringLiteral("%1: larger than %2 MiB; not read").arg(path).arg(maxBytes >> 20);
        return {};
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (!doc.isObject()) {
        problems << QStringLiteral("%1: %2").arg(path, doc.isNull() ? error.errorString() : QStringLiteral("not a JSON object"));
        return {};
    }
    return doc.object();
}

} // namespace runlens
