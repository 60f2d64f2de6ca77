// SPDX-License-Identifier: GPL-3.0-or-later
#include "baselines.h"

#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "store_registry.h"
#include "utf8.h"

#include <QFileInfo>
#include <QSettings>

namespace runlens {

namespace {

const std::string kPrefix = "baseline:";

QString settingsGroup(const StoreReader& store)
{
    // QSettings keys may not hold '/' freely: the path goes in hex.
    return QStringLiteral("baselines/") + QString::fromLatin1(storeKey(store.location()).toUtf8().toHex());
}

// Formats that keep annotations in the store itself (ours); the rest are never written.
bool keepsAnnotations(const StoreReader& store)
{
    const StoreFormat* format = findStoreFormat(store.kind());
    return format && format->capabilities.testFlag(StoreCapability::WriteAnnotations);
}

} // namespace

QHash<QString, QString> readBaselines(const StoreReader& store)
{
    QHash<QString, QString> out;
    if (keepsAnnotations(store)) {
        try {
            SqliteDb db(store.location().toStdString(), SqliteDb::Mode::ReadOnlyForeign);
            auto st = db.prepare("SELECT key, value FROM store_meta WHERE key LIKE 'baseline:%'");
            while (st.step()) {
                const std::string_view key = st.text(0);
                out.insert(fromUtf8(key.substr(kPrefix.size())), fromUtf8(st.text(1)));
            }
        } catch (const std::exception&) {
            // No baselines is the answer for a store we cannot read them from.
        }
        return out;
    }
    QSettings settings;
    settings.beginGroup(settingsGroup(store));
    for (const auto& key : settings.childKeys())
        out.insert(QString::fromUtf8(QByteArray::fromHex(key.toLatin1())), settings.value(key).toString());
    return out;
}

Result<bool> writeBaseline(const StoreReader& store, const QString& experiment, const QString& runId)
{
    if (keepsAnnotations(store)) {
        try {
            SqliteDb db = openStoreForWriting(store.location().toStdString());
            const std::string key = kPrefix + experiment.toStdString();
            if (runId.isEmpty())
                db.prepare("DELETE FROM store_meta WHERE key=?").bind(1, key).run();
            else
                db.prepare("INSERT OR REPLACE INTO store_meta(key, value) VALUES(?, ?)").bind(1, key).bind(2, runId.toStdString()).run();
            return true;
        } catch (const std::exception& e) {
            return Failure{QStringLiteral("cannot keep the baseline in the store: %1").arg(QString::fromUtf8(e.what()))};
        }
    }
    QSettings settings;
    settings.beginGroup(settingsGroup(store));
    const QString key = QString::fromLatin1(experiment.toUtf8().toHex());
    if (runId.isEmpty())
        settings.remove(key);
    else
        settings.setValue(key, runId);
    return true;
}

std::vector<int> baselineRowsOf(const RunTable& table,
                                const std::function<QString(int store, const QString& experiment)>& baselineId)
{
    std::vector<int> out(size_t(table.rowCount()), -1);
    QHash<QString, int> rowOf;   // store index + id -> row: an id may sit in two stores
    for (int r = 0; r < table.rowCount(); ++r)
        rowOf.insert(QString::number(table.storeIndex(r)) + QLatin1Char('\n') + table.id(r), r);
    for (int r = 0; r < table.rowCount(); ++r) {
        const QString id = baselineId(table.storeIndex(r), table.experiment(r));
        if (!id.isEmpty())
            out[size_t(r)] = rowOf.value(QString::number(table.storeIndex(r)) + QLatin1Char('\n') + id, -1);
    }
    return out;
}

} // namespace runlens
