// SPDX-License-Identifier: GPL-3.0-or-later
#include "promotion.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace runlens {

namespace {

// A run logging hundreds of metrics keeps the record readable and small.
constexpr size_t kMaxRecordedMetrics = 200;

} // namespace

QString PromotionRecord::summary() const
{
    QString s = QStringLiteral("promoted %1 by %2")
                    .arg(when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")), user.isEmpty() ? QStringLiteral("?") : user);
    if (!rule.isEmpty())
        s += metRule ? QStringLiteral(" (met the rule)") : QStringLiteral(" (against the rule)");
    if (!why.isEmpty())
        s += QStringLiteral(": ") + why.simplified();
    return s;
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
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

std::optional<PromotionRecord> PromotionRecord::fromJson(const QString& json)
{
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (!o.contains(QStringLiteral("at")))
        return std::nullopt;
    PromotionRecord r;
    r.user = o.value(QStringLiteral("by")).toString();
    r.when = QDateTime::fromString(o.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
    r.why = o.value(QStringLiteral("why")).toString();
    r.rule = o.value(QStringLiteral("rule")).toString();
    r.metRule = o.value(QStringLiteral("met_rule")).toBool();
    r.baseline = o.value(QStringLiteral("baseline")).toString();
    const QJsonObject m = o.value(QStringLiteral("metrics")).toObject();
    for (auto it = m.begin(); it != m.end(); ++it)
        if (it.value().isDouble())
            r.metrics.emplace_back(it.key(), it.value().toDouble());
    return r;
}

RunEdit promotionEdit(const RunTable& table, std::span<const int> rows, const QString& why, const QString& rule,
                      const std::vector<bool>& metRule, const std::vector<QString>& baselineNames)
{
    const ValueColumn* tag = table.tag(kCandidateTag);
    const QString user = currentUserName();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::vector<RunChange> changes;
    for (size_t i = 0; i < rows.size(); ++i) {
        const int row = rows[i];
        PromotionRecord record{user, now, why, rule, i < metRule.size() && metRule[i],
                               i < baselineNames.size() ? baselineNames[i] : QString(), {}};
        for (const auto& m : table.metrics()) {
            if (record.metrics.size() >= kMaxRecordedMetrics)
                break;
            if (m.has(row))
                record.metrics.emplace_back(m.key, m.last[size_t(row)]);
        }
        RunChange c{table.id(row), std::nullopt, record.toJson()};
        if (tag && tag->has(row))
            c.before = tag->text[size_t(row)];
        changes.push_back(std::move(c));
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
