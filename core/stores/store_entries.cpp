// SPDX-License-Identifier: GPL-3.0-or-later
#include "store_entries.h"

#include "annotated_store_reader.h"
#include "derived_metrics.h"
#include "metric_expression.h"
#include "natural_compare.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "run_query.h"
#include "store_registry.h"
#include "utf8.h"

#include <algorithm>

namespace runlens {

namespace {

constexpr StoreEntryKind kKinds[] = {StoreEntryKind::SavedQuery, StoreEntryKind::PromotionRule,
                                     StoreEntryKind::DerivedMetric, StoreEntryKind::SavedView};

QString prefixOf(StoreEntryKind kind)
{
    switch (kind) {
    case StoreEntryKind::SavedQuery:
        return QStringLiteral("query:");
    case StoreEntryKind::PromotionRule:
        return QStringLiteral("rule:");
    case StoreEntryKind::DerivedMetric:
        return QStringLiteral("metric:");
    case StoreEntryKind::SavedView:
        return QStringLiteral("view:");
    }
    return {};
}

QString what(StoreEntryKind kind)
{
    switch (kind) {
    case StoreEntryKind::SavedQuery:
        return QStringLiteral("query");
    case StoreEntryKind::PromotionRule:
        return QStringLiteral("promotion rule");
    case StoreEntryKind::DerivedMetric:
        return QStringLiteral("derived metric");
    case StoreEntryKind::SavedView:
        return QStringLiteral("saved view");
    }
    return {};
}

bool keepsAnnotations(const StoreReader& store)
{
    const StoreFormat* format = findStoreFormat(store.kind());
    return format && format->capabilities.testFlag(StoreCapability::WriteAnnotations);
}

} // namespace

std::vector<StoreEntry> readStoreEntries(const StoreReader& store, StoreEntryKind kind)
{
    std::vector<StoreEntry> out;
    const QString prefix = prefixOf(kind);
    if (keepsAnnotations(store)) {
        try {
            SqliteDb db(store.location().toStdString(), SqliteDb::Mode::ReadOnlyForeign);
            const std::string p = prefix.toStdString();
            auto st = db.prepare("SELECT key, value FROM store_meta WHERE substr(key, 1, ?) = ?");
            st.bind(1, int64_t(p.size())).bind(2, p);
            while (st.step())
                out.push_back({fromUtf8(st.text(0).substr(p.size())), fromUtf8(st.text(1))});
        } catch (const std::exception&) {
            // Nothing kept is the answer for a store we cannot read it from.
        }
    } else if (const auto* annotated = dynamic_cast<const AnnotatedStoreReader*>(&store)) {
        for (auto& [name, value] : annotated->overlay().entries(prefix))
            out.push_back({name, value});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return naturalCompare(a.name, b.name) < 0; });
    return out;
}

Result<bool> writeStoreEntry(const StoreReader& store, StoreEntryKind kind, const QString& name, const QString& value)
{
    if (name.trimmed().isEmpty())
        return Failure{QStringLiteral("a %1 needs a name").arg(what(kind))};
    if (std::any_of(name.begin(), name.end(), [](QChar c) { return c.category() == QChar::Other_Control; }))
        return Failure{QStringLiteral("a %1's name cannot hold control characters").arg(what(kind))};
    // A rule that does not parse would fail every run, and one that overflows
    // the parser would stop the app opening the store: refused here, where
    // the app, the CLI and an imported annotations file all keep theirs.
    if (kind == StoreEntryKind::PromotionRule && !value.isEmpty())
        if (const auto problem = RunQuery::ruleError(value))
            return Failure{QStringLiteral("the rule of '%1' is not kept: %2").arg(name, problem->describe())};
    if (kind == StoreEntryKind::DerivedMetric) {
        if (const QString bad = derivedMetricNameError(name); !bad.isEmpty())
            return Failure{bad};
        if (const MetricExpression expression(value); !value.isEmpty() && expression.error())
            return Failure{QStringLiteral("'%1' is not kept: %2").arg(name, expression.error()->describe())};
    }
    if (keepsAnnotations(store)) {
        try {
            SqliteDb db = openStoreForWriting(store.location().toStdString());
            const std::string key = (prefixOf(kind) + name).toStdString();
            if (value.isEmpty())
                db.prepare("DELETE FROM store_meta WHERE key=?").bind(1, key).run();
            else
                db.prepare("INSERT OR REPLACE INTO store_meta(key, value) VALUES(?, ?)")
                    .bind(1, key)
                    .bind(2, value.toStdString())
                    .run();
            return true;
        } catch (const std::exception& e) {
            return Failure{QStringLiteral("cannot keep the %1 in the store: %2").arg(what(kind), QString::fromUtf8(e.what()))};
        }
    }
    if (const auto* annotated = dynamic_cast<const AnnotatedStoreReader*>(&store))
        return annotated->overlay().writeEntry(prefixOf(kind), name, value);
    return Failure{QStringLiteral("'%1' cannot keep a %2").arg(store.location(), what(kind))};
}

Result<bool> writeStoreEntryKey(const StoreReader& store, const QString& key, const QString& value)
{
    for (StoreEntryKind kind : kKinds)
        if (key.startsWith(prefixOf(kind)))
            return writeStoreEntry(store, kind, key.mid(prefixOf(kind).size()), value);
    return false;
}

} // namespace runlens
