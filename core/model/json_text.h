// SPDX-License-Identifier: GPL-3.0-or-later
// Two ways to produce the same JSON, driven by the same calls: JsonBuilder
// makes QJsonValues (for code that wants a document), JsonTextWriter writes
// text exactly as QJsonDocument::toJson(Indented) would print that document,
// element by element, so a large output (100,000 runs, a long series) is
// written as it is produced instead of being built whole first and printed
// after (the CLI needed 625 MB to print 66 MB that way). run_json.cpp
// describes each form once, as a function template over either of them.
//
// Calls: inside an object, key() before each member's value; inside an
// array, values alone. The writer, unlike a QJsonObject, keeps members in
// the order they come: callers give them in QJsonObject's order (keys
// sorted by UTF-16 code unit, jsonKeyLess) for the text to match.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <cstdint>
#include <vector>

namespace runlens {

// QJsonObject's order of keys.
inline bool jsonKeyLess(const QString& a, const QString& b)
{
    return QStringView(a).compare(QStringView(b), Qt::CaseSensitive) < 0;
}

class JsonTextWriter {
public:
    // Appends to `out`; the caller may take what was written and clear it
    // between elements (the writer keeps no offsets into it).
    explicit JsonTextWriter(QString& out)
        : out_(out)
    {
    }

    void key(QStringView key);
    void beginObject() { open(u'{'); }
    void endObject() { close(u'}'); }
    void beginArray() { open(u'['); }
    void endArray() { close(u']'); }

    void null();
    void boolean(bool b);
    void string(QStringView s);
    // As QJsonValue(double) prints: a whole number within 2^63 as an integer
    // (so -0.0 as 0), any other finite one in its shortest form, else null.
    void number(double v);
    void integer(qint64 v);
    // Any value, objects and arrays in full (a param logged as JSON).
    void value(const QJsonValue& v);

private:
    void escaped(QStringView s);
    void storedDouble(double v); // a QJsonValue that holds a double, as toJson prints it
    void element(); // the separator and indent before a value, unless a key wrote them
    void open(char16_t bracket);
    void close(char16_t bracket);
    void indent(size_t depth);

    QString& out_;
    std::vector<bool> empty_; // per open container: no element written yet
    bool afterKey_ = false;
};

class JsonBuilder {
public:
    void key(QStringView key) { key_ = key.toString(); }
    void beginObject() { open_.push_back({QJsonObject(), QJsonArray(), false, key_}); }
    void endObject() { close(); }
    void beginArray() { open_.push_back({QJsonObject(), QJsonArray(), true, key_}); }
    void endArray() { close(); }

    void null() { put(QJsonValue(QJsonValue::Null)); }
    void boolean(bool b) { put(b); }
    void string(QStringView s) { put(s.toString()); }
    void number(double v) { put(v); }
    void integer(qint64 v) { put(v); }
    void value(const QJsonValue& v) { put(v); }

    // What was built: the one top-level value.
    const QJsonValue& result() const { return result_; }

private:
    struct Open {
        QJsonObject object;
        QJsonArray array;
        bool isArray;
        QString key; // its key in the container around it
    };
    void put(const QJsonValue& v);
    void close();

    std::vector<Open> open_;
    QString key_;
    QJsonValue result_;
};

} // namespace runlens
