// SPDX-License-Identifier: GPL-3.0-or-later
// A store's metric series, loaded on first use and kept within a memory
// budget (LruByteCache). Live runs call invalidate() when they grow.
//
// Threading: every method may be called from any thread.
#pragma once

#include "lru_byte_cache.h"
#include "metric_series.h"
#include "result.h"

#include <QString>

#include <memory>

namespace runlens {

class StoreReader;

class SeriesCache {
public:
    explicit SeriesCache(StoreReader& reader, size_t budgetBytes = size_t(512) << 20);

    Result<std::shared_ptr<const MetricSeries>> get(const QString& runId, const QString& key);
    void invalidate(const QString& runId);
    void clear() { cache_.clear(); }
    size_t bytes() const { return cache_.bytes(); }

private:
    StoreReader& reader_;
    LruByteCache<MetricSeries> cache_; // runId + '\n' + metric key
};

} // namespace runlens
