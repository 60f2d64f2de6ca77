// SPDX-License-Identifier: GPL-3.0-or-later
#include "series_cache.h"

#include "store_reader.h"

namespace runlens {

SeriesCache::SeriesCache(StoreReader& reader, size_t budgetBytes)
    : reader_(reader)
    , budget_(budgetBytes)
{
}

Result<std::shared_ptr<const MetricSeries>> SeriesCache::get(const QString& runId, const QString& key)
{
    const Key k = runId + QLatin1Char('\n') + key;
    {
        std::lock_guard lock(mutex_);
        if (auto it = index_.find(k); it != index_.end()) {
            lru_.splice(lru_.begin(), lru_, *it);
            return lru_.front().series;
        }
    }
    // Read outside the lock so other series can be served meanwhile.
    auto loaded = reader_.loadSeries(runId, key);
    if (!loaded)
        return Failure{loaded.error()};
    auto series = std::make_shared<const MetricSeries>(std::move(*loaded));
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(k); it != index_.end())
        return (*it)->series; // another thread loaded it first
    lru_.push_front({k, series});
    index_.insert(k, lru_.begin());
    bytes_ += series->bytes();
    while (bytes_ > budget_ && lru_.size() > 1) {
        bytes_ -= lru_.back().series->bytes();
        index_.remove(lru_.back().key);
        lru_.pop_back();
    }
    return series;
}

void SeriesCache::invalidate(const QString& runId)
{
    std::lock_guard lock(mutex_);
    const QString prefix = runId + QLatin1Char('\n');
    for (auto it = lru_.begin(); it != lru_.end();) {
        if (it->key.startsWith(prefix)) {
            bytes_ -= it->series->bytes();
            index_.remove(it->key);
            it = lru_.erase(it);
        } else {
            ++it;
        }
    }
}

void SeriesCache::clear()
{
    std::lock_guard lock(mutex_);
    lru_.clear();
    index_.clear();
    bytes_ = 0;
}

size_t SeriesCache::bytes() const
{
    std::lock_guard lock(mutex_);
    return bytes_;
}

} // namespace runlens
