// SPDX-License-Identifier: GPL-3.0-or-later
#include "json_text.h"

#include <QByteArray>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace runlens {

namespace {

char16_t hexDigit(unsigned u)
{
    return char16_t(u < 10 ? u'0' + u : u'a' + u - 10);
}

void escapeUnit(QString& out, char16_t u)
{
    out += u"\\u";
    for (int shift = 12; shift >= 0; shift -= 4)
        out += QChar(hexDigit((u >> shift) & 0xf));
}

} // namespace

void JsonTextWriter::indent(size_t depth)
{
    // Appended from one constant: a QString made for each line's indent was
    // the writer's most frequent allocation.
    static constexpr QStringView kSpaces = u"                                                                ";
    for (qsizetype left = qsizetype(4 * depth); left > 0; left -= kSpaces.size())
        out_.append(kSpaces.left(std::min(left, kSpaces.size())));
}

void JsonTextWriter::element()
{
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (empty_.empty())
        return; // the document itself
    if (!empty_.back())
        out_ += u",\n";
    empty_.back() = false;
    indent(empty_.size());
}

void JsonTextWriter::key(QStringView key)
{
    element();
    out_ += u'"';
    escaped(key);
    out_ += u"\": ";
    afterKey_ = true;
}

void JsonTextWriter::open(char16_t bracket)
{
    element();
    out_ += QChar(bracket);
    out_ += u'\n';
    empty_.push_back(true);
}

void JsonTextWriter::close(char16_t bracket)
{
    if (!empty_.back())
        out_ += u'\n';
    empty_.pop_back();
    indent(empty_.size());
    out_ += QChar(bracket);
    if (empty_.empty())
        out_ += u'\n'; // toJson ends the document with a line break
}

void JsonTextWriter::null()
{
    element();
    out_ += u"null";
}

void JsonTextWriter::boolean(bool b)
{
    element();
    out_ += b ? u"true" : u"false";
}

void JsonTextWriter::string(QStringView s)
{
    element();
    out_ += u'"';
    escaped(s);
    out_ += u'"';
}

// Qt's escaping (qjsonwriter.cpp): the two that must be, the named control
// characters, other controls as \u00XX; the rest as it is, except a lone
// surrogate, which UTF-8 cannot carry.
void JsonTextWriter::escaped(QStringView s)
{
    const qsizetype n = s.size();
    qsizetype plain = 0; // start of the run of characters copied as they are
    auto flush = [&](qsizetype i) {
        out_.append(s.mid(plain, i - plain));
        plain = i + 1;
    };
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t u = s[i].unicode();
        if (u >= 0x20 && u != u'"' && u != u'\\' && (u < 0xd800 || u > 0xdfff))
            continue;
        if (QChar::isHighSurrogate(u) && i + 1 < n && QChar::isLowSurrogate(s[i + 1].unicode())) {
            ++i;
            continue;
        }
        flush(i);
        switch (u) {
        case u'"': out_ += u"\\\""; break;
        case u'\\': out_ += u"\\\\"; break;
        case 0x8: out_ += u"\\b"; break;
        case 0xc: out_ += u"\\f"; break;
        case 0xa: out_ += u"\\n"; break;
        case 0xd: out_ += u"\\r"; break;
        case 0x9: out_ += u"\\t"; break;
        default: escapeUnit(out_, u);
        }
    }
    flush(n);
}

void JsonTextWriter::number(double v)
{
    // QJsonValue(double) keeps a whole number within ±2^53 as an integer
    // (Qt's convertDoubleTo without precision upgrade); toJson prints other
    // finite doubles in their shortest form and the rest as null.
    constexpr double kMantissa = 9007199254740992.0; // 2^53
    if (v >= -kMantissa && v <= kMantissa && std::trunc(v) == v) {
        integer(qint64(v));
        return;
    }
    storedDouble(v);
}

void JsonTextWriter::storedDouble(double v)
{
    element();
    if (!std::isfinite(v))
        out_ += u"null";
    else
        out_ += QLatin1StringView(QByteArray::number(v, 'g', QLocale::FloatingPointShortest));
}

void JsonTextWriter::integer(qint64 v)
{
    element();
    out_ += QString::number(v);
}

void JsonTextWriter::value(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Bool: boolean(v.toBool()); break;
    case QJsonValue::Double:
        // Whether it holds an integer (exact past 2^53) or a double (a parsed
        // "3.0" prints as Qt prints doubles) shows only through toVariant.
        if (v.toVariant().typeId() == QMetaType::LongLong)
            integer(v.toInteger());
        else
            storedDouble(v.toDouble());
        break;
    case QJsonValue::String: string(v.toString()); break;
    case QJsonValue::Array:
        beginArray();
        for (const auto& e : v.toArray())
            value(e);
        endArray();
        break;
    case QJsonValue::Object: {
        beginObject();
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            key(it.key());
            value(it.value());
        }
        endObject();
        break;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined: null(); break;
    }
}

void JsonBuilder::put(const QJsonValue& v)
{
    if (open_.empty())
        result_ = v;
    else if (open_.back().isArray)
        open_.back().array.append(v);
    else
        open_.back().object.insert(key_, v);
}

void JsonBuilder::close()
{
    Open done = std::move(open_.back());
    open_.pop_back();
    key_ = done.key;
    if (done.isArray)
        put(done.array);
    else
        put(done.object);
}

} // namespace runlens
