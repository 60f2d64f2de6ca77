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
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

namespace runlens {

namespace {

constexpr int kMaxDepth = 32;   // a list that holds itself nests without end
// Aliases of aliases expand to billions of values from a few lines, and one
// long value aliased to gigabytes: a key may visit this many nodes and make
// this much text, a file ten times that.
constexpr int64_t kMaxKeyNodes = 100'000;
constexpr int64_t kMaxKeyText = 4 << 20;
constexpr int kMaxSkippedNamed = 12;

struct Typed {
    QString type, text;
};

const QString kInt = QStringLiteral("int"), kFloat = QStringLiteral("float"), kBool = QStringLiteral("bool"),
              kString = QStringLiteral("string"), kJson = QStringLiteral("json");

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

// A node's tag as the file spells it: "!!python/tuple", not
// "tag:yaml.org,2002:python/tuple"; empty for an untagged node (yaml-cpp
// says "?" for a plain scalar and "!" for a quoted one, which is kept).
QString tagOf(const YAML::Node& n)
{
    static const QString yamlOrg = QStringLiteral("tag:yaml.org,2002:");
    const QString tag = QString::fromStdString(n.Tag());
    if (tag == QLatin1String("?"))
        return {};
    return tag.startsWith(yamlOrg) ? QStringLiteral("!!") + tag.mid(yamlOrg.size()) : tag;
}

// What PyYAML writes for a numpy scalar (np.float64(0.001) and kin, the
// usual reason a Lightning hparams.yaml holds Python tags): numpy.dtype
// applied to ("f8", ...) with the byte order in its state, and the value's
// bytes. Read when the bytes are one plain number; nothing otherwise.
std::optional<Typed> numpyScalar(const YAML::Node& n)
{
    if (!n.IsSequence() || n.size() != 2)
        return std::nullopt;
    const YAML::Node dtype = n[0], data = n[1];
    if (!dtype.IsMap() || !data.IsScalar() || tagOf(data) != QLatin1String("!!binary"))
        return std::nullopt;
    const YAML::Node args = dtype["args"], state = dtype["state"];
    if (!args.IsDefined() || !args.IsSequence() || args.size() < 1 || !args[0].IsScalar())
        return std::nullopt;
    const std::string code = args[0].Scalar();   // kind and size: f8, i4, b1
    const bool bigEndian = state.IsDefined() && state.IsSequence() && state.size() > 1 && state[1].IsScalar()
                           && state[1].Scalar() == ">";
    QByteArray bytes = QByteArray::fromBase64(QByteArray::fromStdString(data.Scalar()));
    if (code.size() != 2 || bytes.size() != code[1] - '0')
        return std::nullopt;
    if (bigEndian != (QSysInfo::ByteOrder == QSysInfo::BigEndian))
        std::reverse(bytes.begin(), bytes.end());
    auto as = [&](auto v) {
        std::memcpy(&v, bytes.constData(), sizeof v);
        return v;
    };
    auto shortest = [](auto v) {
        char buf[64];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
        return ec == std::errc() ? QString::fromLatin1(buf, int(end - buf)) : QStringLiteral("nan");
    };
    switch (code[0]) {
    case 'f':
        if (bytes.size() == 8)
            return Typed{kFloat, QString::fromStdString(formatDouble(as(double())))};
        if (bytes.size() == 4) {
            const float f = as(float());
            return Typed{kFloat, std::isfinite(f) ? shortest(f) : QString::fromStdString(formatDouble(f))};
        }
        return std::nullopt;
    case 'i':
        switch (bytes.size()) {
        case 1: return Typed{kInt, shortest(as(int8_t()))};
        case 2: return Typed{kInt, shortest(as(int16_t()))};
        case 4: return Typed{kInt, shortest(as(int32_t()))};
        case 8: return Typed{kInt, shortest(as(int64_t()))};
        }
        return std::nullopt;
    case 'u':
        switch (bytes.size()) {
        case 1: return Typed{kInt, shortest(as(uint8_t()))};
        case 2: return Typed{kInt, shortest(as(uint16_t()))};
        case 4: return Typed{kInt, shortest(as(uint32_t()))};
        case 8: return Typed{kInt, shortest(as(uint64_t()))};
        }
        return std::nullopt;
    case 'b':
        return Typed{kBool, bytes[0] ? QStringLiteral("true") : QStringLiteral("false")};
    }
    return std::nullopt;
}

// How a node reads, by its tag: fields to flatten, a list, a set (its keys),
// one value, or nothing that can be shown (`why`).
struct Reading {
    enum Shape { Fields, List, Set, Value, Unreadable } shape = Unreadable;
    YAML::Node node;   // the fields or the list
    Typed value;
    QString why;
};

Reading readingOf(const YAML::Node& n)
{
    const QString tag = tagOf(n);
    // The Python class or function a tag names: "!!python/object:argparse.Namespace" -> argparse.Namespace.
    const QString pythonName = tag.startsWith(QLatin1String("!!python/")) ? tag.section(QLatin1Char(':'), 1) : QString();
    auto unreadable = [&](const QString& why) { return Reading{Reading::Unreadable, {}, {}, why}; };
    auto pythonObject = [&] { return unreadable(QStringLiteral("a Python object, %1").arg(pythonName)); };
    if (n.IsMap()) {
        if (tag.isEmpty() || tag == QLatin1String("!!map") || tag == QLatin1String("!!python/dict")
            || tag.startsWith(QLatin1String("!!python/object:")))   // an object by its attributes
            return {Reading::Fields, n, {}, {}};
        if (tag == QLatin1String("!!set"))
            return {Reading::Set, n, {}, {}};
        if (tag.startsWith(QLatin1String("!!python/object/"))) {
            // A dict or list subclass (Lightning's AttributeDict) keeps its items apart from its state.
            if (const YAML::Node items = n["dictitems"]; items.IsDefined() && items.IsMap())
                return {Reading::Fields, items, {}, {}};
            if (const YAML::Node items = n["listitems"]; items.IsDefined() && items.IsSequence())
                return {Reading::List, items, {}, {}};
            return pythonObject();
        }
    } else if (n.IsSequence()) {
        if (tag.isEmpty() || tag == QLatin1String("!!seq") || tag == QLatin1String("!!python/tuple")
            || tag == QLatin1String("!!python/list") || tag == QLatin1String("!!omap") || tag == QLatin1String("!!pairs"))
            return {Reading::List, n, {}, {}};
        if (tag.startsWith(QLatin1String("!!python/object/apply:numpy.")) && tag.endsWith(QLatin1String(".multiarray.scalar"))) {
            if (const auto v = numpyScalar(n))
                return {Reading::Value, {}, *v, {}};
            return unreadable(QStringLiteral("a numpy scalar of a kind not read"));
        }
        if (tag.startsWith(QLatin1String("!!python/object")))
            return pythonObject();
    } else if (n.IsScalar() || n.IsNull()) {
        const QString s = n.IsScalar() ? QString::fromStdString(n.Scalar()) : QString();
        if (tag.isEmpty())
            return {Reading::Value, {}, resolvePlain(s), {}};
        if (tag == QLatin1String("!") || tag == QLatin1String("!!str") || tag == QLatin1String("!!python/str")
            || tag == QLatin1String("!!python/unicode") || tag == QLatin1String("!!timestamp"))
            return {Reading::Value, {}, {kString, s}, {}};
        if (tag == QLatin1String("!!int") || tag == QLatin1String("!!float") || tag == QLatin1String("!!bool")
            || tag == QLatin1String("!!null") || tag == QLatin1String("!!python/int") || tag == QLatin1String("!!python/long")
            || tag == QLatin1String("!!python/float") || tag == QLatin1String("!!python/bool")
            || tag == QLatin1String("!!python/none"))
            return {Reading::Value, {}, resolvePlain(s), {}};
        // A class or function (an activation, a loss) is given by its name,
        // which is what the user wrote in their code.
        if (tag.startsWith(QLatin1String("!!python/name:")) || tag.startsWith(QLatin1String("!!python/module:")))
            return {Reading::Value, {}, {kString, pythonName}, {}};
        // Binary data is skipped, not shown as a "<binary, N bytes>"
        // placeholder: two runs' different bytes would read as one value in
        // the table, in diffs and in seed groups. The problem line tells.
        if (tag == QLatin1String("!!binary"))
            return unreadable(QStringLiteral("binary data, %1 bytes").arg(QByteArray::fromBase64(s.toUtf8()).size()));
        if (!pythonName.isEmpty())
            return pythonObject();
    }
    return unreadable(QStringLiteral("tagged %1").arg(tag));
}

// One file's params, read node by node; what cannot be read is skipped by key.
class Flattener {
public:
    std::vector<ParamValue> params;
    QStringList skipped;   // "key (why)"
    bool exhausted = false;

    void flatten(const YAML::Node& n, const QString& key, int depth)
    {
        if (exhausted)
            return;
        if (depth <= 1)
            keyNodes_ = keyText_ = 0;   // the document, a top-level key: each its own budget
        QString why;
        if (!spend(why) || depth > kMaxDepth)
            return skip(key, why.isEmpty() ? tooDeep() : why);
        const Reading r = readingOf(n);
        switch (r.shape) {
        case Reading::Fields: {
            const auto fields = entries(r.node, depth, why);
            if (!why.isEmpty())
                skip(key, why);   // a key that is a list or map: that field only
            if (fields.empty() && !key.isEmpty())
                add(key, {kJson, QStringLiteral("{}")});
            for (const auto& [k, child] : fields)
                flatten(child, key.isEmpty() ? k : key + QLatin1Char('.') + k, depth + 1);
            break;
        }
        case Reading::Value:
            add(key, r.value);
            break;
        case Reading::List:
        case Reading::Set:
            if (const auto text = json(n, depth, why))
                add(key, {kJson, *text});
            else
                skip(key, why);
            break;
        case Reading::Unreadable:
            skip(key, r.why);
            break;
        }
    }

    void skip(const QString& key, const QString& why)
    {
        // A map that holds itself names a key of 32 levels: its start says which.
        const QString shown = key.size() > 60 ? key.left(60) + QStringLiteral("...") : key;
        skipped << QStringLiteral("%1 (%2)").arg(key.isEmpty() ? QStringLiteral("the document") : shown, why);
    }

private:
    static QString tooDeep() { return QStringLiteral("nested deeper than %1 levels").arg(kMaxDepth); }

    bool spend(QString& why, qsizetype text = 0)
    {
        ++nodes_;
        ++keyNodes_;
        text_ += text;
        keyText_ += text;
        if (nodes_ > 10 * kMaxKeyNodes || text_ > 10 * kMaxKeyText)
            exhausted = true;
        if (exhausted || keyNodes_ > kMaxKeyNodes || keyText_ > kMaxKeyText) {
            why = QStringLiteral("expands past %1 values or %2 MB; aliases repeating themselves?")
                      .arg(kMaxKeyNodes)
                      .arg(kMaxKeyText >> 20);
            return false;
        }
        return true;
    }

    // A mapping's fields in file order, with YAML's merge keys ("<<: *base")
    // resolved: the mapping's own keys win, then the merged maps in order.
    // A key that is itself a list or map cannot name a param: it is left out
    // and said in `why`.
    std::vector<std::pair<QString, YAML::Node>> entries(const YAML::Node& map, int depth, QString& why)
    {
        std::vector<std::pair<QString, YAML::Node>> out;
        QSet<QString> seen;
        std::vector<YAML::Node> merged;
        for (const auto& kv : map) {
            if (kv.first.IsScalar() && kv.first.Scalar() == "<<" && tagOf(kv.first).isEmpty()) {
                if (kv.second.IsSequence())
                    for (const auto& m : kv.second)
                        merged.push_back(m);
                else
                    merged.push_back(kv.second);
            } else if (kv.first.IsScalar() || kv.first.IsNull()) {
                const QString k = kv.first.IsNull() ? QStringLiteral("null") : QString::fromStdString(kv.first.Scalar());
                seen.insert(k);
                out.emplace_back(k, kv.second);
            } else {
                why = QStringLiteral("a key that is a list or a map");
            }
        }
        for (const auto& m : merged) {
            if (depth > kMaxDepth || !m.IsMap()) {
                why = depth > kMaxDepth ? tooDeep() : QStringLiteral("a merge key (<<) of something not a map");
                continue;
            }
            QString inner;
            for (auto& [k, v] : entries(m, depth + 1, inner))
                if (!seen.contains(k)) {
                    seen.insert(k);
                    out.emplace_back(k, v);
                }
        }
        return out;
    }

    // Compact JSON the way Python prints it ("[24, 24]", {"a": 1}), in the
    // file's order; nothing, and `why`, when something inside cannot be read.
    std::optional<QString> json(const YAML::Node& n, int depth, QString& why)
    {
        if (!spend(why) || depth > kMaxDepth) {
            if (why.isEmpty())
                why = tooDeep();
            return std::nullopt;
        }
        const Reading r = readingOf(n);
        QStringList items;
        switch (r.shape) {
        case Reading::Unreadable:
            why = r.why;
            return std::nullopt;
        case Reading::Value: {
            const QString text = jsonScalar(r.value);
            return spend(why, text.size()) ? std::optional(text) : std::nullopt;
        }
        case Reading::Set:
            for (const auto& kv : r.node) {
                if (!kv.first.IsScalar() || !spend(why, kv.first.Scalar().size())) {
                    why = why.isEmpty() ? QStringLiteral("a set of lists or maps") : why;
                    return std::nullopt;
                }
                items << jsonString(QString::fromStdString(kv.first.Scalar()));
            }
            break;
        case Reading::List:
            for (const auto& item : r.node) {
                const auto v = json(item, depth + 1, why);
                if (!v)
                    return std::nullopt;
                items << *v;
            }
            break;
        case Reading::Fields: {
            const auto fields = entries(r.node, depth, why);
            if (!why.isEmpty())
                return std::nullopt;
            for (const auto& [k, child] : fields) {
                const auto v = json(child, depth + 1, why);
                if (!v)
                    return std::nullopt;
                items << jsonString(k) + QStringLiteral(": ") + *v;
            }
            break;
        }
        }
        const QString inner = items.join(QStringLiteral(", "));
        return r.shape == Reading::Fields ? QLatin1Char('{') + inner + QLatin1Char('}')
                                          : QLatin1Char('[') + inner + QLatin1Char(']');
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
    int64_t nodes_ = 0, text_ = 0, keyNodes_ = 0, keyText_ = 0;
};

// yaml-cpp 0.7 refuses a tagged block scalar as a list entry ("- !!binary |",
// how PyYAML writes every numpy scalar's bytes) with "end of sequence not
// found". The same node with its indicator on the next line is read.
QString splitTaggedBlockScalars(const QString& text)
{
    static const QRegularExpression entry(QStringLiteral(R"(^( *(?:- +)+)((?:[!&]\S* +)*[!&]\S*) +([|>][-+0-9]*) *$)"),
                                          QRegularExpression::MultilineOption);
    QString out;
    qsizetype from = 0;
    for (auto it = entry.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        out += QStringView(text).mid(from, m.capturedStart() - from);
        out += m.captured(1) + m.captured(2) + QLatin1Char('\n') + QString(m.capturedLength(1), QLatin1Char(' '))
               + m.captured(3);
        from = m.capturedEnd();
    }
    if (from == 0)
        return text;
    out += QStringView(text).mid(from);
    return out;
}

// One YAML document, or what yaml-cpp said about it.
std::optional<YAML::Node> load(const QString& text, QString& error)
{
    try {
        return YAML::Load(text.toStdString());
    } catch (const YAML::Exception& e) {
        error = QString::fromStdString(e.msg);
    }
    try {
        return YAML::Load(splitTaggedBlockScalars(text).toStdString());
    } catch (const YAML::Exception&) {
        return std::nullopt;   // the first error speaks of the file as it is written
    }
}

// When the whole file does not parse (a write cut short, a hand edit), each
// top-level key is parsed on its own, so one bad value costs that key only.
// A top-level key starts at the line's first column; what follows it is
// indented or a "- " list entry.
void readKeyByKey(const QString& text, Flattener& reader)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    auto startsKey = [](const QString& line) {
        return !line.isEmpty() && !line[0].isSpace() && line[0] != QLatin1Char('-') && line[0] != QLatin1Char('#')
               && !line.startsWith(QLatin1String("..."));
    };
    QString anchors;   // the keys read that define anchors: a later key's alias may need them
    qsizetype retried = 0;
    for (qsizetype i = 0; i < lines.size() && !reader.exhausted;) {
        if (!startsKey(lines[i])) {
            ++i;
            continue;
        }
        const qsizetype first = i;
        for (++i; i < lines.size() && !startsKey(lines[i]); ++i) {}
        const QString chunk = lines.mid(first, i - first).join(QLatin1Char('\n')) + QLatin1Char('\n');
        QString error;
        auto doc = load(chunk, error);
        // Parsed after the anchors it aliases, the chunk's key is the last.
        bool lastOnly = false;
        if (!doc && chunk.contains(QLatin1Char('*')) && !anchors.isEmpty()
            && (retried += anchors.size()) < 10 * kMaxKeyText) {
            QString ignored;
            doc = load(anchors + chunk, ignored);
            lastOnly = doc.has_value();
        }
        QString name = lines[first].section(QLatin1Char(':'), 0, 0).trimmed();
        if (name.size() > 40)
            name = name.left(40) + QStringLiteral("...");
        if (!doc) {
            reader.skip(name, QStringLiteral("line %1: %2").arg(first + 1).arg(error));
            continue;
        }
        if (!doc->IsMap()) {
            reader.skip(name, QStringLiteral("line %1: not a key and its value").arg(first + 1));
            continue;
        }
        if (lastOnly) {
            std::optional<std::pair<YAML::Node, YAML::Node>> last;
            for (const auto& kv : *doc)
                last.emplace(kv.first, kv.second);
            if (last && last->first.IsScalar())
                reader.flatten(last->second, QString::fromStdString(last->first.Scalar()), 1);
        } else {
            reader.flatten(*doc, {}, 0);
        }
        if (chunk.contains(QLatin1Char('&')))
            anchors += chunk;
    }
}

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
    const QString text = QString::fromUtf8(f.read(4 << 20));
    Flattener reader;
    QStringList notes;
    try {
        QString error;
        if (const auto doc = load(text, error)) {
            if (doc->IsMap())
                reader.flatten(*doc, {}, 0);
            else if (!doc->IsNull())
                notes << QStringLiteral("not a YAML mapping");
        } else {
            readKeyByKey(text, reader);
            if (reader.skipped.isEmpty())   // what broke the file was no key's: say what
                notes << error;
        }
    } catch (const std::exception& e) {
        notes << QString::fromUtf8(e.what());
    }
    if (reader.exhausted)
        notes << QStringLiteral("stopped reading: the file expands past %1 values").arg(10 * kMaxKeyNodes);
    if (!reader.skipped.isEmpty()) {
        QStringList named = reader.skipped.mid(0, kMaxSkippedNamed);
        if (reader.skipped.size() > kMaxSkippedNamed)
            named << QStringLiteral("and %1 more").arg(reader.skipped.size() - kMaxSkippedNamed);
        notes << QStringLiteral("skipped what could not be read: %1").arg(named.join(QStringLiteral(", ")));
    }
    if (problems)
        for (const auto& n : notes)
            *problems << QStringLiteral("%1: %2").arg(path, n);
    return reader.params;
}

} // namespace runlens
