// SPDX-License-Identifier: GPL-3.0-or-later
#include "metric_series.h"

#include "run_details.h"

#include <algorithm>
#include <cmath>

namespace runlens {

MetricSummary summarizeSeries(const QString& key, const MetricSeries& s)
{
    MetricSummary m;
    m.key = key;
    m.min = INFINITY;
    m.max = -INFINITY;
    size_t last = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i == 0 || s.steps[i] < m.firstStep)
            m.firstStep = s.steps[i];
        if (s.steps[i] >= s.steps[last])
            last = i;
        if (std::isnan(s.values[i]))
            ++m.nanCount;
        else {
            m.min = std::min(m.min, s.values[i]);
            m.max = std::max(m.max, s.values[i]);
        }
    }
    m.count = int64_t(s.size());
    if (s.size()) {
        m.last = s.values[last];
        m.lastStep = s.steps[last];
    }
    if (m.min > m.max)
        m.min = m.max = NAN;
    return m;
}

std::vector<MetricSummary> summarizeSeries(const QHash<QString, MetricSeries>& series)
{
    std::vector<MetricSummary> out;
    out.reserve(size_t(series.size()));
    for (auto it = series.cbegin(); it != series.cend(); ++it)
        out.push_back(summarizeSeries(it.key(), it.value()));
    std::sort(out.begin(), out.end(), [](const MetricSummary& a, const MetricSummary& b) { return a.key < b.key; });
    return out;
}

} // namespace runlens
