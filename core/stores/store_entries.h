// SPDX-License-Identifier: GPL-3.0-or-later
// Small named texts kept with a store rather than with one run: saved queries
// (listed under the store in the navigator, `runlens runs --saved NAME`) and
// each experiment's promotion rule (`runlens rule`, the Candidates view) and
// derived metrics (`runlens derive`, core/query/derived_metrics.h) and saved
// views (core/workspace/saved_view.h). In our own store they are store_meta
// rows ("query:<name>", "rule:<experiment>", "metric:<name>", "view:<name>"),
// so they travel with the file and an older Runlens still opens it; another
// tool's store is never written, so they go into its annotation overlay.
#pragma once

#include "result.h"

#include <QString>

#include <vector>

namespace runlens {

class StoreReader;

struct StoreEntry {
    QString name, value;
    bool operator==(const StoreEntry&) const = default;
};

enum class StoreEntryKind { SavedQuery, PromotionRule, DerivedMetric, SavedView };

// By name.
std::vector<StoreEntry> readStoreEntries(const StoreReader& store, StoreEntryKind kind);
// Keeps `value` as `name` (replacing one of that name); an empty value
// removes it. Refuses an empty name or one with control characters.
Result<bool> writeStoreEntry(const StoreReader& store, StoreEntryKind kind, const QString& name, const QString& value);

// An annotation export's entry key ("query:NAME", "rule:EXPERIMENT") kept
// in `store` as what it names; false (nothing written) for a key of no kind we know.
Result<bool> writeStoreEntryKey(const StoreReader& store, const QString& key, const QString& value);

// Named queries.
inline std::vector<StoreEntry> readSavedQueries(const StoreReader& store)
{
    return readStoreEntries(store, StoreEntryKind::SavedQuery);
}
inline Result<bool> writeSavedQuery(const StoreReader& store, const QString& name, const QString& query)
{
    return writeStoreEntry(store, StoreEntryKind::SavedQuery, name, query);
}

// Each experiment's promotion rule (a query, run_query.h), by experiment.
inline std::vector<StoreEntry> readPromotionRules(const StoreReader& store)
{
    return readStoreEntries(store, StoreEntryKind::PromotionRule);
}
inline Result<bool> writePromotionRule(const StoreReader& store, const QString& experiment, const QString& rule)
{
    return writeStoreEntry(store, StoreEntryKind::PromotionRule, experiment, rule);
}

} // namespace runlens

namespace runlens {

// Named metric expressions, by name.
inline std::vector<StoreEntry> readDerivedMetrics(const StoreReader& store)
{
    return readStoreEntries(store, StoreEntryKind::DerivedMetric);
}
inline Result<bool> writeDerivedMetric(const StoreReader& store, const QString& name, const QString& expression)
{
    return writeStoreEntry(store, StoreEntryKind::DerivedMetric, name, expression);
}

} // namespace runlens
