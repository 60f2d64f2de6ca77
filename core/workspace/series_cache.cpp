// SPDX-License-Identifier: GPL-3.0-or-later
#include "series_cache.h"

#include "store_reader.h"

namespace runlens {

SeriesCache::SeriesCache(StoreReader& reader, size_t budgetBytes) : reader_(reader), cache_(budgetBytes) {}

Result<std::shared_ptr<const MetricSeries>> SeriesCache::get(const QString& runId, const QString& key)
{
    const QString k = runId + QLatin1Char('\n') + key;
    if (auto cached = cache_.get(k))
        return cached;
    // Read outside any lock so other series are served meanwhile; two threads
    // reading the same series both put it, and the second replaces the first.
    auto loaded = reader_.loadSeries(runId, key);
    if (!loaded)
        return Failure{loaded.error()};
    auto series = std::make_shared<const MetricSeries>(std::move(*loaded));
    cache_.put(k, series, series->bytes());
    return series;
}

void SeriesCache::invalidate(const QString& runId)
{
    const QString prefix = runId + QLatin1Char('\n');
    cache_.removeIf([&](const QString& k) { return k.startsWith(prefix); });
}

} // namespace runlens
