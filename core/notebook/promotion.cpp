// SPDX-License-Identifier: GPL-3.0-or-later
#include "promotion.h"

#include "metric_priority.h"
#include "number_text.h"

#include <QHash>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QJsonObject>

#include <cmath>
#include <cstring>

namespace runlens {

namespace {

// A run logging hundreds of metrics keeps the record readable and small.
constexpr size_t kMaxRecordedMetrics = 200;

} // namespace

QString PromotionRecord::summary() const
{
    const QString at = when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    const QString by = user.isEmpty() ? QStringLiteral("?") : user;
    if (!model.isEmpty())   // its `why` says the same in words
        return QStringLiteral("registered as %1 v%2 %3 by %4").arg(model).arg(version).arg(at, by);
    QString s = QStringLiteral("promoted %1 by %2").arg(at, by);
    if (!rule.isEmpty())
        s += metRule ? QStringLiteral(" (met the rule)") : QStringLiteral(" (against the rule)");
    if (!why.isEmpty())
        s += QStringLiteral(": ") + why.simplified();
    return s;
}

QString PromotionRecord::metricsText(int most) const
{
    QStringList keys;
    QHash<QString, double> value;
    for (const auto& [key, v] : metrics) {
        keys << key;
        value.insert(key, v);
    }
    QStringList ordered;
    for (const QString& key : keys)
        if (!rule.isEmpty() && rule.contains(key))
            ordered << key;
    for (const QString& key : metricsInPreferredOrder(keys))
        if (!ordered.contains(key))
            ordered << key;
    QStringList parts;
    for (const QString& key : ordered) {
        if (parts.size() == most) {
            parts << QStringLiteral("+%1 more").arg(ordered.size() - most);
            break;
        }
        parts << key + QLatin1Char(' ') + compactNumber(value.value(key));
    }
    return parts.join(QStringLiteral(" \u00b7 "));
}

QString promotionSummary(const QString& tagValue)
{
    const auto record = PromotionRecord::fromJson(tagValue);
    return record ? record->summary() : tagValue;
}

QString PromotionRecord::toJson() const
{
    QJsonObject metricsObject;
    for (const auto& [key, value] : metrics)
        if (std::isfinite(value))   // JSON has no NaN; a missing key says as much
            metricsObject.insert(key, value);
    QJsonObject o{{QStringLiteral("by"), user},
                  {QStringLiteral("at"), when.toUTC().toString(Qt::ISODateWithMs)},
                  {QStringLiteral("why"), why},
                  {QStringLiteral("rule"), rule},
                  {QStringLiteral("met_rule"), metRule},
                  {QStringLiteral("baseline"), baseline},
                  {QStringLiteral("metrics"), metricsObject}};
    if (!model.isEmpty()) {
        o.insert(QStringLiteral("model"), model);
        o.insert(QStringLiteral("version"), version);
    }
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

std::optional<PromotionRecord> PromotionRecord::fromJson(const QString& json)
{
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (!o.value(QStringLiteral("at")).isString())
        return std::nullopt;
    PromotionRecord r;
    r.user = o.value(QStringLiteral("by")).toString();
    r.when = QDateTime::fromString(o.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
    r.why = o.value(QStringLiteral("why")).toString();
    r.rule = o.value(QStringLiteral("rule")).toString();
    r.metRule = o.value(QStringLiteral("met_rule")).toBool();
    r.baseline = o.value(QStringLiteral("baseline")).toString();
    r.model = o.value(QStringLiteral("model")).toString();
    r.version = o.value(QStringLiteral("version")).toInteger();
    const QJsonObject m = o.value(QStringLiteral("metrics")).toObject();
    for (auto it = m.begin(); it != m.end(); ++it)
        if (it.value().isDouble())
            r.metrics.emplace_back(it.key(), it.value().toDouble());
    return r;
}

RunEdit promotionEdit(const RunTable& table, std::span<const int> rows, const QString& why,
                      std::span<const PromotionContext> contexts)
{
    const ValueColumn* tag = table.tag(kCandidateTag);
    const QString user = currentUserName();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::vector<RunChange> changes;
    for (size_t i = 0; i < rows.size(); ++i) {
        const int row = rows[i];
        const PromotionContext c = i < contexts.size() ? contexts[i] : PromotionContext{};
        PromotionRecord record{user, now, why, c.rule, c.metRule, c.baseline, {}, {}, 0};
        // The metrics the rule names first: a run logging hundreds keeps those.
        static const QRegularExpression word(QStringLiteral("[^\\s()<>=!~+*,]+"));
        QSet<QString> named;
        for (auto it = word.globalMatch(c.rule); it.hasNext();) {
            QString w = it.next().captured();
            for (const char* prefix : {"metrics.", "baseline.", "seed_mean.", "seed_sd.", "welch_p."})
                if (w.startsWith(QLatin1String(prefix)))
                    w = w.mid(qsizetype(std::strlen(prefix)));
            named.insert(w);
        }
        for (int pass = 0; pass < 2; ++pass)
            for (const auto& m : table.metrics()) {
                if (record.metrics.size() >= kMaxRecordedMetrics)
                    break;
                if (m.has(row) && named.contains(m.key) == (pass == 0))
                    record.metrics.emplace_back(m.key, m.last[size_t(row)]);
            }
        RunChange change{table.id(row), std::nullopt, record.toJson()};
        if (tag && tag->has(row))
            change.before = tag->text[size_t(row)];
        changes.push_back(std::move(change));
    }
    return RunEdit(RunField::Tag, kCandidateTag, std::move(changes));
}

RunEdit demotionEdit(const RunTable& table, std::span<const int> rows)
{
    return RunEdit::forRows(table, rows, RunField::Tag, kCandidateTag, std::nullopt).withoutNoOps();
}

bool isCandidate(const RunTable& table, int row)
{
    const ValueColumn* tag = table.tag(kCandidateTag);
    return tag && tag->has(row);
}

std::optional<PromotionRecord> promotionOf(const RunTable& table, int row)
{
    return isCandidate(table, row) ? PromotionRecord::fromJson(table.tag(kCandidateTag)->text[size_t(row)])
                                   : std::nullopt;
}

} // namespace runlens
