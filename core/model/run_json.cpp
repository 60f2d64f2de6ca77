// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_json.h"

#include <QJsonDocument>

#include <cmath>

namespace runlens {

QJsonValue jsonNumber(double v)
{
    if (std::isnan(v))
        return QJsonValue(QJsonValue::Null);
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return v;
}

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

// The table keeps text and, where it reads as one, a number: give the number.
QJsonValue cellJson(const ValueColumn& c, int row)
{
    const auto r = static_cast<size_t>(row);
    const QString& text = c.text[r];
    if (text == QLatin1String("true") || text == QLatin1String("false"))
        return text == QLatin1String("true");
    if (!std::isnan(c.number[r]))
        return jsonNumber(c.number[r]);
    if (text.startsWith(QLatin1Char('[')) || text.startsWith(QLatin1Char('{')))
        return jsonParamValue(QStringLiteral("json"), text);
    return text;
}

} // namespace

QJsonObject runToJson(const RunTable& t, int row)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), t.id(row));
    o.insert(QStringLiteral("name"), t.name(row));
    o.insert(QStringLiteral("experiment"), t.experiment(row));
    o.insert(QStringLiteral("status"), statusName(t.status(row)));
    o.insert(QStringLiteral("start_time"), double(t.startTime(row)));
    o.insert(QStringLiteral("end_time"),
        t.endTime(row) < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(t.endTime(row))));
    if (!t.parentId(row).isEmpty())
        o.insert(QStringLiteral("parent_id"), t.parentId(row));
    QJsonObject params, tags, metrics;
    for (const auto& c : t.params())
        if (c.has(row))
            params.insert(c.key, cellJson(c, row));
    for (const auto& c : t.tags())
        if (c.has(row))
            tags.insert(c.key, c.text[size_t(row)]);
    for (const auto& m : t.metrics()) {
        if (!m.has(row))
            continue;
        const auto r = size_t(row);
        metrics.insert(m.key,
            QJsonObject{{QStringLiteral("last"), jsonNumber(m.last[r])}, {QStringLiteral("min"), jsonNumber(m.min[r])},
                {QStringLiteral("max"), jsonNumber(m.max[r])}, {QStringLiteral("count"), double(m.count[r])},
                {QStringLiteral("last_step"), double(m.lastStep[r])}});
    }
    o.insert(QStringLiteral("params"), params);
    o.insert(QStringLiteral("tags"), tags);
    o.insert(QStringLiteral("metrics"), metrics);
    return o;
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
                {QStringLiteral("max"), jsonNumber(m.max)}, {QStringLiteral("count"), double(m.count)},
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
    QJsonArray out;
    for (size_t i = 0; i < s.size(); ++i)
        // Steps are whole numbers and stay exact past 2^53 (a double would round them).
        out.append(QJsonObject{{QStringLiteral("step"), QJsonValue(qint64(s.steps[i]))},
            {QStringLiteral("timestamp"), s.wallTimes[i]}, {QStringLiteral("value"), jsonNumber(s.values[i])}});
    return out;
}

} // namespace runlens
