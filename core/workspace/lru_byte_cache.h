// SPDX-License-Identifier: GPL-3.0-or-later
// Shared values kept within a byte budget, the least recently used out
// first: the one eviction rule for the workspace's caches (raw series per
// store, prepared plot series). Putting a key again replaces its value and
// its bytes; the entry just put is never the one evicted, so a single value
// larger than the budget is still served.
//
// Threading: every method may be called from any thread.
#pragma once

#include <QHash>
#include <QString>

#include <list>
#include <memory>
#include <mutex>

namespace runlens {

template <class Value>
class LruByteCache {
public:
    explicit LruByteCache(size_t budgetBytes) : budget_(budgetBytes) {}

    // The value, now the most recently used; nullptr when absent.
    std::shared_ptr<const Value> get(const QString& key)
    {
        std::lock_guard lock(mutex_);
        const auto it = index_.find(key);
        if (it == index_.end())
            return nullptr;
        lru_.splice(lru_.begin(), lru_, *it);
        return lru_.front().value;
    }

    // Keeps `value` (of `bytes`) under `key`, then evicts others down to the budget.
    void put(const QString& key, std::shared_ptr<const Value> value, size_t bytes)
    {
        std::lock_guard lock(mutex_);
        if (const auto it = index_.find(key); it != index_.end())
            eraseLocked(*it);
        lru_.push_front({key, std::move(value), bytes});
        index_.insert(key, lru_.begin());
        bytes_ += bytes;
        while (bytes_ > budget_ && lru_.size() > 1)
            eraseLocked(std::prev(lru_.end()));
    }

    // Drops every entry whose key `drop` accepts.
    template <class Predicate>
    void removeIf(Predicate drop)
    {
        std::lock_guard lock(mutex_);
        for (auto it = lru_.begin(); it != lru_.end();) {
            auto next = std::next(it);
            if (drop(it->key))
                eraseLocked(it);
            it = next;
        }
    }

    void clear()
    {
        std::lock_guard lock(mutex_);
        lru_.clear();
        index_.clear();
        bytes_ = 0;
    }

    void setBudget(size_t budgetBytes)
    {
        std::lock_guard lock(mutex_);
        budget_ = budgetBytes;
        while (bytes_ > budget_ && lru_.size() > 1)
            eraseLocked(std::prev(lru_.end()));
    }

    size_t bytes() const
    {
        std::lock_guard lock(mutex_);
        return bytes_;
    }

    size_t size() const
    {
        std::lock_guard lock(mutex_);
        return lru_.size();
    }

private:
    struct Entry {
        QString key;
        std::shared_ptr<const Value> value;
        size_t bytes;
    };
    using Iterator = typename std::list<Entry>::iterator;

    void eraseLocked(Iterator it)
    {
        bytes_ -= it->bytes;
        index_.remove(it->key);
        lru_.erase(it);
    }

    size_t budget_;
    size_t bytes_ = 0;
    mutable std::mutex mutex_;
    std::list<Entry> lru_; // front: most recently used
    QHash<QString, Iterator> index_;
};

} // namespace runlens
