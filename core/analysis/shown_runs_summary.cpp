// SPDX-License-Identifier: GPL-3.0-or-later
#include "shown_runs_summary.h"

#include "metric_priority.h"

#include <QHash>

#include <algorithm>
#include <map>
#include <cmath>

namespace runlens {

ShownRunsSummary ShownRunsSummary::of(const RunTable& table, std::span<const int> rows, int top)
{
    ShownRunsSummary s;
    s.runs = int(rows.size());
    if (rows.empty())
        return s;
    QHash<QString, int> experiments;
    std::map<int, int> statuses;
    for (int r : rows) {
        ++experiments[table.experiment(r)];
        ++statuses[int(table.status(r))];
        const int64_t start = table.startTime(r);
        s.firstStart = s.firstStart < 0 ? start : std::min(s.firstStart, start);
        s.lastStart = std::max(s.lastStart, start);
        s.starred += table.isStarred(r) ? 1 : 0;
    }
    for (auto it = experiments.begin(); it != experiments.end(); ++it)
        s.experiments.emplace_back(it.key(), it.value());
    std::sort(s.experiments.begin(), s.experiments.end(),
              [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    for (const auto& [status, n] : statuses)
        s.statuses.emplace_back(RunStatus(status), n);

    const std::vector<int> all(rows.begin(), rows.end());
    const QStringList preferred = preferredMetrics(metricsPresentIn(table, all), 1);
    if (!preferred.isEmpty()) {
        s.metric = preferred.front();
        s.lowerIsBetter = runlens::lowerIsBetter(s.metric);
        const MetricColumn* m = table.metric(s.metric);
        for (int r : rows)
            if (m && m->has(r) && std::isfinite(m->last[size_t(r)]))
                s.best.push_back(r);
        std::stable_sort(s.best.begin(), s.best.end(), [&](int a, int b) {
            const double x = m->last[size_t(a)], y = m->last[size_t(b)];
            return s.lowerIsBetter ? x < y : x > y;
        });
        if (int(s.best.size()) > top)
            s.best.resize(size_t(top));
    }
    s.newest = all;
    std::stable_sort(s.newest.begin(), s.newest.end(), [&](int a, int b) { return table.startTime(a) > table.startTime(b); });
    if (int(s.newest.size()) > top)
        s.newest.resize(size_t(top));
    return s;
}

} // namespace runlens
