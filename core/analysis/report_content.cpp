// SPDX-License-Identifier: GPL-3.0-or-later
#include "report_content.h"

#include "promotion.h"

#include "metric_priority.h"

#include <QRegularExpression>

#include <algorithm>

namespace runlens {

namespace {

std::vector<ReportContent::Fact> provenanceFacts(const RunDetails& d)
{
    std::vector<ReportContent::Fact> f;
    if (d.git.present) { // other tools' runs often have none: then it is not listed
        f.emplace_back(QStringLiteral("commit"),
                       d.git.commit.left(12) + (d.git.branch.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(d.git.branch)));
        f.emplace_back(QStringLiteral("uncommitted changes"), d.git.dirtyText());
    }
    for (const auto& [k, v] : d.dataVersions)
        f.emplace_back(QStringLiteral("data ") + k, shortDigests(v).left(120));
    for (const auto& [k, v] : d.environment)
        if (k == QLatin1String("host") || k == QLatin1String("os") || k == QLatin1String("python")
            || k == QLatin1String("gpu") || k.startsWith(QLatin1String("seed")))
            f.emplace_back(k, v.left(80));
    // A candidate's promotion record: who graduated it, when, why, under which rule.
    for (const auto& [k, v] : d.tags)
        if (k == kCandidateTag) {
            f.emplace_back(QStringLiteral("candidate"), promotionSummary(v).left(300));
            if (const auto record = PromotionRecord::fromJson(v); record && !record->rule.isEmpty())
                f.emplace_back(QStringLiteral("promotion rule"), record->rule.left(300));
        }
    return f;
}

} // namespace

QStringList ReportContent::defaultMetrics(const RunTable& table, const std::vector<int>& rows)
{
    return preferredMetrics(metricsPresentIn(table, rows), kMaxMetrics); // system metrics only when chosen
}

std::vector<int> ReportContent::chartRows(const RunTable& table, const QString& metric, int* having) const
{
    std::vector<int> out;
    const MetricColumn* column = table.metric(metric);
    int count = 0;
    for (int r : rows)
        if (column && column->has(r)) {
            ++count;
            if (out.size() < kMaxChartRuns)
                out.push_back(r);
        }
    if (having)
        *having = count;
    return out;
}

ReportContent decideReportContent(const RunTable& table, const std::vector<int>& rows,
                                  const std::vector<RunDetails>& details, int baseline,
                                  const std::optional<QStringList>& metrics, const CompareOptions& compare)
{
    ReportContent c;
    c.rows = rows;
    c.metrics = metrics ? *metrics : ReportContent::defaultMetrics(table, rows);
    for (const auto& p : table.params())
        if (c.tableParams.size() < ReportContent::kMaxTableParams && p.variesAcross(rows))
            c.tableParams << p.key;
    for (int r : rows)
        if (!c.experiments.contains(table.experiment(r)))
            c.experiments << table.experiment(r);

    if (details.size() >= 2) {
        const RunComparison comparison = compareRuns(details, compare);
        c.runNames = QStringList(comparison.runNames.begin(), comparison.runNames.end());
        c.baseline = std::clamp(baseline, 0, int(details.size()) - 1);
        for (const auto& row : comparison.rows)
            // Metrics have the run table and the curves; the hash has the provenance.
            if (row.differs && row.section != QLatin1String("metrics") && row.key != QLatin1String("reproducibility hash"))
                c.differences.push_back(row);
    }

    // Seed statistics only where seeds were recorded and differ: runs of another
    // tool with no params at all would otherwise form one "group".
    const bool seedsVary = std::any_of(table.params().begin(), table.params().end(), [&](const ValueColumn& p) {
        return isSeedKey(p.key, defaultSeedKeys()) && p.variesAcross(rows);
    });
    const auto groups = groupBySeed(table, rows);
    if (seedsVary && std::any_of(groups.begin(), groups.end(), [](const SeedGroup& g) { return g.rows.size() > 1; }))
        for (const auto& g : groups) {
            ReportContent::SeedRow row{g.label, int(g.rows.size()), {}};
            for (const auto& m : c.metrics)
                row.stats.push_back(sampleStats(metricValues(table, g.rows, m)));
            c.seedGroups.push_back(std::move(row));
        }

    std::vector<std::vector<ReportContent::Fact>> facts;
    for (const auto& d : details)
        facts.push_back(provenanceFacts(d));
    // A fact is shared when every run has it with the same value.
    auto sharedByAll = [&](const ReportContent::Fact& fact) {
        return facts.size() > 1 && std::all_of(facts.begin(), facts.end(), [&](const auto& f) {
            return std::find(f.begin(), f.end(), fact) != f.end();
        });
    };
    if (!facts.empty())
        for (const auto& fact : facts.front())
            if (sharedByAll(fact))
                c.sharedFacts.push_back(fact);
    for (const auto& f : facts) {
        std::vector<ReportContent::Fact> own;
        for (const auto& fact : f)
            if (!sharedByAll(fact))
                own.push_back(fact);
        c.ownFacts.push_back(std::move(own));
        c.anyFacts = c.anyFacts || !f.empty();
    }
    return c;
}

QString shortDigests(QString text)
{
    static const QRegularExpression hex(QStringLiteral("\\b([0-9a-f]{12})[0-9a-f]{20,}\\b"));
    return text.replace(hex, QStringLiteral("\\1…"));
}

} // namespace runlens
