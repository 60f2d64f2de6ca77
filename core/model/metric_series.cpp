// SPDX-License-Identifier: GPL-3.0-or-later
#include "metric_series.h"

#include "run_details.h"
#include "series_summarizer.h"

#include <algorithm>

namespace runlens {

MetricSummary summarizeSeries(const QString& key, const MetricSeries& s)
{
    SeriesSummarizer summarizer;
    for (size_t i = 0; i < s.size(); ++i)
        summarizer.add(s.steps[i], s.values[i]);
    return summarizer.summary(key);
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
