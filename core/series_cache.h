// SPDX-License-Identifier: GPL-3.0-or-later
// Metric series loaded on first use and kept within a memory budget, least
// recently used first out. Live runs call invalidate() when they grow.
//
// Threading: every method may be called from any thread.
#pragma once

#include "metric_series.h"
#include "result.h"

#include <QHash>
#include <QString>

#include <list>
#include <memory>
#include <mutex>

namespace runlens {

class StoreReader;

class SeriesCache {
public:
    explicit SeriesCache(StoreReader& reader, size_t budgetBytes = size_t(512) << 20);

    Result<std::shared_ptr<const MetricSeries>> get(const QString& runId, const QString& key);
    void invalidate(const QString& runId);
    void clear();
    size_t bytes() const;

private:
    using Key = QString; // runId + '\n' + metric key
    struct Entry {
        Key key;
        std::shared_ptr<const MetricSeries> series;
    };

    StoreReader& reader_;
    size_t budget_;
    size_t bytes_ = 0;
    mutable std::mutex mutex_;
    std::list<Entry> lru_; // front: most recent
    QHash<Key, std::list<Entry>::iterator> index_;
};

} // namespace runlens
