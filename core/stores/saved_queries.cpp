// SPDX-License-Identifier: GPL-3.0-or-later
#include "saved_queries.h"

#include "annotated_store_reader.h"
#include "natural_compare.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "store_registry.h"
#include "utf8.h"

#include <algorithm>

namespace runlens {

namespace {

const std::string kPrefix = "query:";

bool keepsAnnotations(const StoreReader& store)
{
    const StoreFormat* format = findStoreFormat(store.kind());
    return format && format->capabilities.testFlag(StoreCapability::WriteAnnotations);
}

} // namespace

std::vector<SavedQuery> readSavedQueries(const StoreReader& store)
{
    std::vector<SavedQuery> out;
    if (keepsAnnotations(store)) {
        try {
            SqliteDb db(store.location().toStdString(), SqliteDb::Mode::ReadOnlyForeign);
            auto st = db.prepare("SELECT key, value FROM store_meta WHERE key GLOB 'query:*'");
            while (st.step())
                out.push_back({fromUtf8(st.text(0).substr(kPrefix.size())), fromUtf8(st.text(1))});
        } catch (const std::exception&) {
            // No saved queries is the answer for a store we cannot read them from.
        }
    } else if (const auto* annotated = dynamic_cast<const AnnotatedStoreReader*>(&store)) {
        for (auto& [name, query] : annotated->overlay().savedQueries())
            out.push_back({name, query});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return naturalCompare(a.name, b.name) < 0; });
    return out;
}

Result<bool> writeSavedQuery(const StoreReader& store, const QString& name, const QString& query)
{
    if (name.trimmed().isEmpty())
        return Failure{QStringLiteral("a saved query needs a name")};
    if (std::any_of(name.begin(), name.end(), [](QChar c) { return c.category() == QChar::Other_Control; }))
        return Failure{QStringLiteral("a saved query's name cannot hold control characters")};
    if (keepsAnnotations(store)) {
        try {
            SqliteDb db = openStoreForWriting(store.location().toStdString());
            const std::string key = kPrefix + name.toStdString();
            if (query.isEmpty())
                db.prepare("DELETE FROM store_meta WHERE key=?").bind(1, key).run();
            else
                db.prepare("INSERT OR REPLACE INTO store_meta(key, value) VALUES(?, ?)")
                    .bind(1, key)
                    .bind(2, query.toStdString())
                    .run();
            return true;
        } catch (const std::exception& e) {
            return Failure{QStringLiteral("cannot keep the query in the store: %1").arg(QString::fromUtf8(e.what()))};
        }
    }
    if (const auto* annotated = dynamic_cast<const AnnotatedStoreReader*>(&store))
        return annotated->overlay().writeSavedQuery(name, query);
    return Failure{QStringLiteral("'%1' cannot keep saved queries").arg(store.location())};
}

} // namespace runlens
