// SPDX-License-Identifier: GPL-3.0-or-later
#include "yaml_params.h"

#include "regular_file.h"
#include "runlens/number_format.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace runlens {

namespace {

constexpr int kMaxDepth = 32;   // a hostile file nests without end; what is above is kept

struct Typed {
    QString type, text;
};

const QString kInt = QStringLiteral("int"), kFloat = QStringLiteral("float"), kBool = QStringLiteral("bool"),
              kString = QStringLiteral("string"), kJson = QStringLiteral("json");

// yaml-cpp tags an untagged plain scalar "?" and a quoted one "!": only the
// plain ones are numbers, bools or null.
bool isPlain(const YAML::Node& n) { return n.Tag() == "?" || n.Tag().empty(); }

// YAML 1.2's core schema. yaml-cpp leaves typing to the caller.
Typed resolvePlain(const QString& s)
{
    static const QRegularExpression decimal(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression based(QStringLiteral("^0(o[0-7]+|x[0-9a-fA-F]+)$"));
    static const QRegularExpression real(QStringLiteral(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)"));
    static const QRegularExpression infinity(QStringLiteral(R"(^([-+]?)\.(inf|Inf|INF)$)"));
    static const QRegularExpression notANumber(QStringLiteral(R"(^\.(nan|NaN|NAN)$)"));
    if (s == QLatin1String("true") || s == QLatin1String("True") || s == QLatin1String("TRUE"))
        return {kBool, QStringLiteral("true")};
    if (s == QLatin1String("false") || s == QLatin1String("False") || s == QLatin1String("FALSE"))
        return {kBool, QStringLiteral("false")};
    if (s.isEmpty() || s == QLatin1String("~") || s == QLatin1String("null") || s == QLatin1String("Null")
        || s == QLatin1String("NULL"))
        return {kJson, QStringLiteral("null")};
    bool ok = false;
    if (decimal.match(s).hasMatch()) {
        const qlonglong v = s.toLongLong(&ok);
        // Past 64 bits (Python's ints have no end) it is kept as the float it reads as.
        return ok ? Typed{kInt, QString::number(v)} : Typed{kFloat, QString::fromStdString(formatDouble(s.toDouble()))};
    }
    if (based.match(s).hasMatch()) {
        const qlonglong v = s.mid(2).toLongLong(&ok, s[1] == QLatin1Char('x') ? 16 : 8);
        return ok ? Typed{kInt, QString::number(v)} : Typed{kString, s};
    }
    if (real.match(s).hasMatch())
        return {kFloat, s};
    if (const auto m = infinity.match(s); m.hasMatch())
        return {kFloat, m.captured(1) == QLatin1String("-") ? QStringLiteral("-inf") : QStringLiteral("inf")};
    if (notANumber.match(s).hasMatch())
        return {kFloat, QStringLiteral("nan")};
    return {kString, s};
}

QString jsonString(const QString& s)
{
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(a.mid(1, a.size() - 2));
}

// A scalar's JSON text: numbers in a form JSON reads (NaN as null and the
// infinities as text, as exports write them), the rest as JSON strings.
QString jsonScalar(const Typed& t)
{
    if (t.type == kString)
        return jsonString(t.text);
    if (t.type != kFloat)
        return t.text;   // int, bool, null are JSON already
    static const QRegularExpression jsonNumber(QStringLiteral(R"(^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$)"));
    if (jsonNumber.match(t.text).hasMatch())
        return t.text;   // as written: 1.0 stays 1.0
    const double d = t.text.toDouble();
    if (std::isnan(d))
        return QStringLiteral("null");
    if (std::isinf(d))
        return jsonString(d > 0 ? QStringLiteral("inf") : QStringLiteral("-inf"));
    return QString::fromStdString(formatDouble(d));
}

// One file's params, read node by node.
class Flattener {
public:
    std::vector<ParamValue> params;

    void flatten(const YAML::Node& n, const QString& key, int depth)
    {
        if (depth > kMaxDepth)
            return;
        if (n.IsMap() && (n.size() > 0 || key.isEmpty())) {
            for (const auto& kv : n) {
                const QString k = QString::fromStdString(kv.first.as<std::string>());
                flatten(kv.second, key.isEmpty() ? k : key + QLatin1Char('.') + k, depth + 1);
            }
        } else if (n.IsScalar()) {
            add(key, scalar(n));
        } else if (n.IsNull()) {
            add(key, {kJson, QStringLiteral("null")});
        } else if (const auto text = json(n, depth)) {
            add(key, {kJson, *text});
        }
    }

private:
    static Typed scalar(const YAML::Node& n)
    {
        const QString s = QString::fromStdString(n.Scalar());
        return isPlain(n) ? resolvePlain(s) : Typed{kString, s};
    }

    // Compact JSON the way Python prints it ("[24, 24]", {"a": 1}), in the
    // file's order; nothing when something inside nests too deep.
    std::optional<QString> json(const YAML::Node& n, int depth) const
    {
        if (depth > kMaxDepth)
            return std::nullopt;
        if (n.IsScalar())
            return jsonScalar(scalar(n));
        if (!n.IsSequence() && !n.IsMap())
            return QStringLiteral("null");
        QStringList items;
        for (const auto& item : n) {
            if (n.IsSequence()) {
                const auto v = json(item, depth + 1);
                if (!v)
                    return std::nullopt;
                items << *v;
            } else {
                const auto v = json(item.second, depth + 1);
                if (!v)
                    return std::nullopt;
                items << jsonString(QString::fromStdString(item.first.as<std::string>())) + QStringLiteral(": ") + *v;
            }
        }
        const QString inner = items.join(QStringLiteral(", "));
        return n.IsSequence() ? QLatin1Char('[') + inner + QLatin1Char(']') : QLatin1Char('{') + inner + QLatin1Char('}');
    }

    void add(const QString& key, const Typed& t)
    {
        // A later spelling of the same dotted key ("a.b: 1" then "a: {b: 2}") wins, as YAML's own duplicates do.
        if (const auto it = index_.constFind(key); it != index_.cend()) {
            params[*it].type = t.type;
            params[*it].value = t.text;
            return;
        }
        index_.insert(key, params.size());
        params.push_back({key, t.type, t.text});
    }

    QHash<QString, size_t> index_;
};

} // namespace

std::vector<ParamValue> readYamlParams(const QString& path, QStringList* problems)
{
    if (!QFileInfo::exists(path))
        return {};
    QFile f(path);
    if (const QString why = openRegularFile(f); !why.isEmpty()) {
        if (problems)
            *problems << why;
        return {};
    }
    Flattener reader;
    try {
        const YAML::Node n = YAML::Load(f.read(4 << 20).toStdString());
        if (n.IsMap())
            reader.flatten(n, {}, 0);
        else if (!n.IsNull() && problems)
            *problems << QStringLiteral("%1: not a YAML mapping").arg(path);
    } catch (const std::exception& e) {
        if (problems)
            *problems << QStringLiteral("%1: %2").arg(path, QString::fromUtf8(e.what()));
    }
    return reader.params;
}

} // namespace runlens
