// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_json.h"

#include "json_text.h"

#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace runlens {

QJsonValue jsonParamValue(const QString& type, const QString& text)
{
    if (type == QLatin1String("int") || type == QLatin1String("float")) {
        bool ok = false;
        const double d = text.toDouble(&ok);
        if (ok)
            return jsonNumber(d);
        return text; // nan, inf as text
    }
    if (type == QLatin1String("bool"))
        return text == QLatin1String("true");
    if (type == QLatin1String("json")) {
        const auto doc = QJsonDocument::fromJson(QByteArray(R"({"v":)") + text.toUtf8() + "}");
        if (doc.isObject())
            return doc.object().value(QStringLiteral("v"));
    }
    return text;
}

namespace {

// JSON has no NaN or infinities: null, and "inf" / "-inf" as text.
template <class Out>
void putNumber(Out& out, double v)
{
    if (std::isnan(v))
        out.null();
    else if (std::isinf(v))
        out.string(v > 0 ? u"inf" : u"-inf");
    else
        out.number(v);
}

// The table keeps text and, where it reads as one, a number: give the number.
template <class Out>
void putCell(Out& out, const ValueColumn& c, int row)
{
    const auto r = static_cast<size_t>(row);
    const QString& text = c.text[r];
    if (text == QLatin1String("true") || text == QLatin1String("false"))
        out.boolean(text == QLatin1String("true"));
    else if (!std::isnan(c.number[r]))
        putNumber(out, c.number[r]);
    else if (text.startsWith(QLatin1Char('[')) || text.startsWith(QLatin1Char('{')))
        out.value(jsonParamValue(QStringLiteral("json"), text));
    else
        out.string(text);
}

// Each kind's columns in QJsonObject's order of keys, so that the text
// writer, which keeps members in the order given, prints what the document did.
template <class Column>
std::vector<const Column*> inKeyOrder(const std::vector<Column>& columns)
{
    std::vector<const Column*> sorted;
    sorted.reserve(columns.size());
    for (const auto& c : columns)
        sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(), [](const Column* a, const Column* b) { return jsonKeyLess(a->key, b->key); });
    return sorted;
}

struct RunColumns {
    explicit RunColumns(const RunTable& t)
        : params(inKeyOrder(t.params()))
        , tags(inKeyOrder(t.tags()))
        , metrics(inKeyOrder(t.metrics()))
    {
    }
    std::vector<const ValueColumn*> params, tags;
    std::vector<const MetricColumn*> metrics;
};

// The one description of a run as JSON, for the document (runToJson) and
// the streamed text (writeRunsJson) alike. Keys in sorted order (see above).
template <class Out>
void putRun(Out& out, const RunTable& t, int row, const RunColumns& columns)
{
    const auto r = size_t(row);
    out.beginObject();
    out.key(u"end_time");
    if (t.endTime(row) < 0)
        out.null();
    else
        out.number(double(t.endTime(row)));
    out.key(u"experiment");
    out.string(t.experiment(row));
    out.key(u"id");
    out.string(t.id(row));
    out.key(u"metrics");
    out.beginObject();
    for (const MetricColumn* m : columns.metrics) {
        if (!m->has(row))
            continue;
        out.key(m->key);
        out.beginObject();
        out.key(u"count");
        out.number(double(m->count[r]));
        out.key(u"last");
        putNumber(out, m->last[r]);
        out.key(u"last_step");
        out.number(double(m->lastStep[r]));
        out.key(u"max");
        putNumber(out, m->max[r]);
        out.key(u"mean");
        putNumber(out, m->mean[r]);
        out.key(u"min");
        putNumber(out, m->min[r]);
        out.endObject();
    }
    out.endObject();
    out.key(u"name");
    out.string(t.name(row));
    out.key(u"params");
    out.beginObject();
    for (const ValueColumn* c : columns.params)
        if (c->has(row)) {
            out.key(c->key);
            putCell(out, *c, row);
        }
    out.endObject();
    if (!t.parentId(row).isEmpty()) {
        out.key(u"parent_id");
        out.string(t.parentId(row));
    }
    out.key(u"start_time");
    out.number(double(t.startTime(row)));
    out.key(u"status");
    out.string(statusName(t.status(row)));
    out.key(u"tags");
    out.beginObject();
    for (const ValueColumn* c : columns.tags)
        if (c->has(row)) {
            out.key(c->key);
            out.string(c->text[r]);
        }
    out.endObject();
    out.endObject();
}

// Steps are whole numbers and stay exact past 2^53 (a double would round them).
template <class Out>
void putPoint(Out& out, const MetricSeries& s, size_t i)
{
    out.beginObject();
    out.key(u"step");
    out.integer(qint64(s.steps[i]));
    out.key(u"timestamp");
    out.number(s.wallTimes[i]);
    out.key(u"value");
    putNumber(out, s.values[i]);
    out.endObject();
}

// A JSON array of `count` elements as QJsonDocument::toJson(Indented) prints
// it, handed to `out` every 64 KiB: the memory is one buffer, whatever the count.
template <class PutElement>
void writeJsonArray(QTextStream& out, size_t count, const PutElement& put)
{
    constexpr qsizetype kFlushAt = 32 * 1024; // UTF-16 units
    QString text;
    text.reserve(2 * kFlushAt);
    JsonTextWriter writer(text);
    writer.beginArray();
    for (size_t i = 0; i < count; ++i) {
        put(writer, i);
        if (text.size() >= kFlushAt) {
            out << text;
            text.resize(0); // keeps its capacity
        }
    }
    writer.endArray();
    out << text;
}

} // namespace

QJsonValue jsonNumber(double v)
{
    JsonBuilder b;
    putNumber(b, v);
    return b.result();
}

QJsonObject runToJson(const RunTable& t, int row)
{
    JsonBuilder b;
    putRun(b, t, row, RunColumns(t));
    return b.result().toObject();
}

void writeRunsJson(const RunTable& t, const std::vector<int>& rows, QTextStream& out)
{
    const RunColumns columns(t);
    writeJsonArray(out, rows.size(), [&](JsonTextWriter& w, size_t i) { putRun(w, t, rows[i], columns); });
}

QJsonObject detailsToJson(const RunDetails& d)
{
    auto pairs = [](const KeyValues& kv) {
        QJsonObject o;
        for (const auto& [k, v] : kv)
            o.insert(k, v);
        return o;
    };
    QJsonObject o;
    o.insert(QStringLiteral("id"), d.id);
    o.insert(QStringLiteral("name"), d.name);
    o.insert(QStringLiteral("experiment"), d.experiment);
    o.insert(QStringLiteral("status"), statusName(d.status));
    o.insert(QStringLiteral("start_time"), double(d.startTime));
    o.insert(QStringLiteral("end_time"), d.endTime < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(d.endTime)));
    o.insert(QStringLiteral("parent_id"), d.parentId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.parentId));
    o.insert(QStringLiteral("notes"), d.notes);
    o.insert(QStringLiteral("hypothesis"), d.hypothesis);
    o.insert(QStringLiteral("reproducibility_hash"), d.reproHash);
    o.insert(QStringLiteral("host"), d.host);
    o.insert(QStringLiteral("pid"), double(d.pid));
    QJsonObject params, paramTypes;
    for (const auto& p : d.params) {
        params.insert(p.key, jsonParamValue(p.type, p.value));
        paramTypes.insert(p.key, p.type);
    }
    o.insert(QStringLiteral("params"), params);
    o.insert(QStringLiteral("param_types"), paramTypes);
    QJsonObject configs;
    for (const auto& [name, json] : d.configs)
        configs.insert(name, jsonParamValue(QStringLiteral("json"), json));
    o.insert(QStringLiteral("configs"), configs);
    o.insert(QStringLiteral("tags"), pairs(d.tags));
    QJsonObject metrics;
    for (const auto& m : d.metrics)
        metrics.insert(m.key,
            QJsonObject{{QStringLiteral("last"), jsonNumber(m.last)}, {QStringLiteral("min"), jsonNumber(m.min)},
                {QStringLiteral("max"), jsonNumber(m.max)}, {QStringLiteral("mean"), jsonNumber(m.mean)},
                {QStringLiteral("count"), double(m.count)},
                {QStringLiteral("first_step"), double(m.firstStep)}, {QStringLiteral("last_step"), double(m.lastStep)},
                {QStringLiteral("nan_count"), double(m.nanCount)}});
    o.insert(QStringLiteral("metrics"), metrics);
    if (d.git.present)
        o.insert(QStringLiteral("git"),
            QJsonObject{{QStringLiteral("repo_path"), d.git.repoPath}, {QStringLiteral("commit"), d.git.commit},
                {QStringLiteral("branch"), d.git.branch}, {QStringLiteral("remote"), d.git.remote},
                {QStringLiteral("dirty"), d.git.dirtyRecorded ? QJsonValue(d.git.dirty) : QJsonValue()}, {QStringLiteral("diff"), d.git.diff},
                {QStringLiteral("diff_truncated"), d.git.diffTruncated}});
    o.insert(QStringLiteral("data_versions"), pairs(d.dataVersions));
    o.insert(QStringLiteral("environment"), pairs(d.environment));
    QJsonArray artifacts;
    for (const auto& a : d.artifacts)
        artifacts.append(QJsonObject{{QStringLiteral("path"), a.path}, {QStringLiteral("uri"), a.uri},
            {QStringLiteral("size"), a.size < 0 ? QJsonValue() : QJsonValue(double(a.size))},
            {QStringLiteral("sha256"), a.sha256}});
    o.insert(QStringLiteral("artifacts"), artifacts);
    return o;
}

QJsonArray seriesToJson(const MetricSeries& s)
{
    JsonBuilder b;
    b.beginArray();
    for (size_t i = 0; i < s.size(); ++i)
        putPoint(b, s, i);
    b.endArray();
    return b.result().toArray();
}

void writeSeriesJson(const MetricSeries& s, QTextStream& out)
{
    writeJsonArray(out, s.size(), [&](JsonTextWriter& w, size_t i) { putPoint(w, s, i); });
}

} // namespace runlens
