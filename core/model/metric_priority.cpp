// SPDX-License-Identifier: GPL-3.0-or-later
#include "metric_priority.h"

#include "natural_compare.h"

#include <QRegularExpression>

#include <algorithm>

namespace runlens {

namespace {

// Kinds of metric in the order a reviewer looks for them.
int kindOf(const QString& key)
{
    static const QRegularExpression kinds[] = {
        QRegularExpression(QStringLiteral("loss"), QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral("acc"), QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral("auc|roc"), QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral("(^|[^a-z])f1|fscore|f_score"), QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(
            QStringLiteral("precision|recall|map\\b|iou|dice"), QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral("err|mae|mse|rmse|perplexity|ppl|bleu|rouge|wer"),
            QRegularExpression::CaseInsensitiveOption),
    };
    for (int i = 0; i < int(std::size(kinds)); ++i)
        if (kinds[i].match(key).hasMatch())
            return i;
    return int(std::size(kinds));
}

bool isHeldOut(const QString& key)
{
    static const QRegularExpression heldOut(QStringLiteral("(^|[^a-z])(val|valid|validation|eval|test|dev)([^a-z]|$)"),
        QRegularExpression::CaseInsensitiveOption);
    return heldOut.match(key).hasMatch();
}

} // namespace

QStringList metricsPresentIn(const RunTable& table, const std::vector<int>& rows)
{
    QStringList present;
    for (const auto& m : table.metrics())
        if (std::any_of(rows.begin(), rows.end(), [&](int r) { return r >= 0 && r < table.rowCount() && m.has(r); }))
            present << m.key;
    return present;
}

bool isSystemMetric(const QString& key)
{
    return key.startsWith(QLatin1String("system/"));
}

ShownStat shownStatOf(const QString& key)
{
    if (!isSystemMetric(key))
        return ShownStat::Last;
    if (key.endsWith(QLatin1String("_percent")))
        return ShownStat::Mean;
    if (key.endsWith(QLatin1String(".free_gb")) || key.endsWith(QLatin1String(".available_mb")))
        return ShownStat::Min;
    return ShownStat::Max;
}

double shownValue(const MetricColumn& column, ShownStat stat, int row)
{
    const auto r = size_t(row);
    switch (stat) {
    case ShownStat::Min: return column.min[r];
    case ShownStat::Max: return column.max[r];
    case ShownStat::Mean: return column.mean[r];
    case ShownStat::Last: break;
    }
    return column.last[r];
}

QString querySuffixOf(ShownStat stat)
{
    switch (stat) {
    case ShownStat::Min: return QStringLiteral(".min");
    case ShownStat::Max: return QStringLiteral(".max");
    case ShownStat::Mean: return QStringLiteral(".mean");
    case ShownStat::Last: break;
    }
    return {};
}

std::optional<std::pair<QString, ShownStat>> cutStatSuffix(const QString& field)
{
    static const std::pair<QLatin1String, ShownStat> suffixes[] = {{QLatin1String(".last"), ShownStat::Last},
        {QLatin1String(".min"), ShownStat::Min}, {QLatin1String(".max"), ShownStat::Max},
        {QLatin1String(".mean"), ShownStat::Mean}};
    for (const auto& [suffix, stat] : suffixes)
        if (field.endsWith(suffix))
            return std::pair{field.chopped(suffix.size()), stat};
    return std::nullopt;
}

QString labelOf(ShownStat stat)
{
    switch (stat) {
    case ShownStat::Min: return QStringLiteral("lowest");
    case ShownStat::Max: return QStringLiteral("peak");
    case ShownStat::Mean: return QStringLiteral("mean");
    case ShownStat::Last: break;
    }
    return {};
}

QStringList preferredMetrics(const QStringList& available, int limit)
{
    struct Candidate {
        QString key;
        int kind;
        bool heldOut;
    };
    std::vector<Candidate> all;
    for (const auto& k : available)
        if (!isSystemMetric(k))
            all.push_back({k, kindOf(k), isHeldOut(k)});

    std::stable_sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
        if (a.kind != b.kind)
            return a.kind < b.kind;
        if (a.heldOut != b.heldOut)
            return a.heldOut;
        return naturalCompare(a.key, b.key) < 0;
    });
    // One of each known kind first, so loss and accuracy both make it in.
    QStringList chosen;
    int lastKind = -1;
    for (const auto& c : all)
        if (c.kind != lastKind && c.kind < kindOf(QString()) && chosen.size() < limit) {
            chosen << c.key;
            lastKind = c.kind;
        }
    for (const auto& c : all)
        if (chosen.size() < limit && !chosen.contains(c.key))
            chosen << c.key;
    return chosen;
}

QStringList metricsInPreferredOrder(const QStringList& available)
{
    QStringList ordered = preferredMetrics(available, int(available.size()));
    for (const auto& k : available)
        if (isSystemMetric(k))
            ordered << k;
    return ordered;
}

QString chosenMetric(const QStringList& present, const QString& kept, const QString& suggested)
{
    for (const QString& m : {kept, suggested})
        if (!m.isEmpty() && present.contains(m))
            return m;
    const QStringList preferred = preferredMetrics(present, 1);
    return preferred.isEmpty() ? QString() : preferred.front();
}

bool lowerIsBetter(const QString& metric)
{
    static const QRegularExpression lower(
        QStringLiteral("loss|err|mae|mse|rmse|perplexity|ppl|wer|cer|nll|regret|distance|latency|(^|[^a-z])time"),
        QRegularExpression::CaseInsensitiveOption);
    return lower.match(metric).hasMatch();
}

QStringList xAxisMetrics(QStringList available)
{
    static const QRegularExpression counter(QStringLiteral("epoch|sample|token|example|step|iter|batch|images|seen"),
        QRegularExpression::CaseInsensitiveOption);
    std::stable_partition(
        available.begin(), available.end(), [](const QString& m) { return counter.match(m).hasMatch(); });
    return available;
}

} // namespace runlens
