// SPDX-License-Identifier: GPL-3.0-or-later
#include "registered_version.h"

#include "metric_priority.h"

#include <QStringList>

#include <map>

namespace runlens {

namespace {

// Shown beside a version whose run carries no registration record: the
// metrics people compare on first, a few.
constexpr int kMetricsNow = 5;

} // namespace

RegisteredVersionRun registeredVersionRun(const RunTable& table, int storeIndex, const std::string& model,
                                          const ModelVersionEntry& version)
{
    RegisteredVersionRun out;
    if (version.runId.empty())
        return out;
    const QString id = QString::fromStdString(version.runId);
    // By id at once; a scan only when two open stores share the id.
    if (const int r = table.rowOfId(id); r >= 0 && (storeIndex < 0 || table.storeIndex(r) == storeIndex))
        out.row = r;
    else if (r >= 0)
        for (int other = 0; other < table.rowCount(); ++other)
            if (table.id(other) == id && table.storeIndex(other) == storeIndex) {
                out.row = other;
                break;
            }
    if (out.row < 0)
        return out;
    out.runName = table.name(out.row);
    if (auto record = promotionOf(table, out.row);
        record && record->model == QString::fromStdString(model) && record->version == version.version
        && !record->metrics.empty()) {   // empty: registered before the run's first flush
        out.metrics = std::move(*record);
        out.registered = true;
        return out;
    }
    QStringList keys;
    for (const auto& m : table.metrics())
        if (m.has(out.row) && !isSystemMetric(m.key))
            keys << m.key;
    for (const QString& key : metricsInPreferredOrder(keys).mid(0, kMetricsNow))
        if (const MetricColumn* m = table.metric(key))
            out.metrics.metrics.emplace_back(key, m->last[size_t(out.row)]);
    return out;
}

QString registeredVersionLabel(const std::string& model, const RegisteredModelEntry& entry, const ModelVersionEntry& version)
{
    QStringList marks;
    for (const auto& alias : entry.aliasesOf(version.version))
        marks << QString::fromStdString(alias);
    if (version.stage != "None")
        marks << QString::fromStdString(version.stage);
    QString label = QStringLiteral("%1 v%2").arg(QString::fromStdString(model)).arg(version.version);
    if (!marks.isEmpty())
        label += QStringLiteral(" \u00b7 ") + marks.join(QStringLiteral(", "));
    return label;
}

std::vector<RegistryHistoryLine> registryHistory(const ModelRegistry& registry, const RegisteredModelEntry& model,
                                                 const RunTable& table, int storeIndex)
{
    std::vector<RegistryHistoryLine> out;
    std::map<std::string, int64_t> aliases;   // as they stood before each event
    std::map<int64_t, QString> runOf;         // version -> its run's name
    for (size_t index : model.events) {
        if (index >= registry.events.size())
            continue;
        const RegistryEvent& e = registry.events[index];
        const auto action = registryActionFromName(e.action);
        if (!action)
            continue;
        const QString key = QString::fromStdString(e.key);
        const QString value = QString::fromStdString(e.value.value_or(std::string()));
        QString text;
        switch (*action) {
        case RegistryAction::CreateModel: text = QStringLiteral("created %1").arg(QString::fromStdString(e.model)); break;
        case RegistryAction::RenameModel: text = QStringLiteral("renamed %1 to %2").arg(QString::fromStdString(e.model), value); break;
        case RegistryAction::DeleteModel: text = QStringLiteral("deleted the model"); break;
        case RegistryAction::DescribeModel: text = QStringLiteral("described the model: %1").arg(value); break;
        case RegistryAction::SetModelTag:
            text = e.value ? QStringLiteral("tag %1 = %2").arg(key, value) : QStringLiteral("removed tag %1").arg(key);
            break;
        case RegistryAction::CreateVersion: {
            ModelVersionEntry v;
            v.version = e.version;
            if (const auto* now = model.version(e.version))
                v = *now;
            const RegisteredVersionRun run = registeredVersionRun(table, storeIndex, model.name, v);
            runOf[e.version] = run.row >= 0 ? run.runName : QString::fromStdString(v.runId).left(8);
            text = runOf[e.version].isEmpty() ? QStringLiteral("registered v%1").arg(e.version)
                                              : QStringLiteral("registered v%1 from %2").arg(e.version).arg(runOf[e.version]);
            break;
        }
        case RegistryAction::DescribeVersion: text = QStringLiteral("described v%1: %2").arg(e.version).arg(value); break;
        case RegistryAction::SetVersionTag:
            text = e.value ? QStringLiteral("v%1 tag %2 = %3").arg(e.version).arg(key, value)
                           : QStringLiteral("v%1: removed tag %2").arg(e.version).arg(key);
            break;
        case RegistryAction::SetStage: text = QStringLiteral("v%1 \u2192 %2").arg(e.version).arg(value); break;
        case RegistryAction::SetAlias: {
            const auto was = aliases.find(e.key);
            const QString before = was == aliases.end() ? QString() : QStringLiteral(" (was v%1)").arg(was->second);
            if (e.version == 0) {
                text = QStringLiteral("cleared %1%2").arg(key, before);
                aliases.erase(e.key);
            } else {
                text = QStringLiteral("%1 \u2192 v%2%3").arg(key).arg(e.version).arg(before);
                aliases[e.key] = e.version;
            }
            break;
        }
        case RegistryAction::DeleteAlias: {
            const auto was = aliases.find(e.key);
            text = QStringLiteral("cleared %1%2").arg(key, was == aliases.end() ? QString() : QStringLiteral(" (was v%1)").arg(was->second));
            aliases.erase(e.key);
            break;
        }
        case RegistryAction::DeleteVersion:
            text = QStringLiteral("deleted v%1").arg(e.version);
            std::erase_if(aliases, [&](const auto& a) { return a.second == e.version; });
            break;
        }
        out.push_back({e.timeMs, QString::fromStdString(e.user), text, e.version});
    }
    return out;
}

} // namespace runlens
