// SPDX-License-Identifier: GPL-3.0-or-later
#include "annotation_overlay.h"

#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "store_run_editor.h"
#include "utf8.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <map>

namespace runlens {

namespace {

std::string utf8(const QString& s)
{
    return s.toStdString();
}

QString canonical(const QString& location)
{
    // A store on a server (postgresql://) is its URL, wherever the app started.
    if (location.contains(QLatin1String("://")))
        return location;
    const QFileInfo info(location);
    const QString c = info.canonicalFilePath();
    return c.isEmpty() ? info.absoluteFilePath() : c;
}

// Opens (creating) an overlay file and its tables.
SqliteDb openForWriting(const QString& path, const QString& kind, const QString& location)
{
    QDir().mkpath(QFileInfo(path).path());
    SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate, 10000);
    db.exec("PRAGMA journal_mode=WAL");
    SqliteTransaction tx(db);
    db.exec("CREATE TABLE IF NOT EXISTS overlay_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS overlay_values(run_id TEXT NOT NULL, field TEXT NOT NULL, "
            "key TEXT NOT NULL DEFAULT '', value TEXT, PRIMARY KEY(run_id, field, key)) WITHOUT ROWID;");
    createRunEventsTable(db);   // the overlay keeps the store's record, table for table
    auto meta = db.prepare("INSERT OR REPLACE INTO overlay_meta(key, value) VALUES(?, ?)");
    meta.bind(1, "format").bind(2, "runlens-annotations 1").run();
    meta.bind(1, "kind").bind(2, utf8(kind)).run();
    meta.bind(1, "location").bind(2, utf8(location)).run();
    tx.commit();
    return db;
}

QString metaValue(SqliteDb& db, const char* key)
{
    auto st = db.prepare("SELECT value FROM overlay_meta WHERE key=?");
    st.bind(1, key);
    return st.step() ? fromUtf8(st.text(0)) : QString();
}

QJsonValue jsonText(const std::optional<QString>& v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

} // namespace

AnnotationOverlay::AnnotationOverlay(QString kind, QString location, QString path)
    : kind_(std::move(kind)), location_(std::move(location)), path_(std::move(path))
{
}

QString AnnotationOverlay::folder()
{
    const QString env = QProcessEnvironment::systemEnvironment().value(QStringLiteral("RUNLENS_ANNOTATIONS_DIR"));
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/annotations");
}

QString AnnotationOverlay::pathFor(const QString& kind, const QString& location)
{
    const QByteArray id = QCryptographicHash::hash((kind + QLatin1Char('\n') + canonical(location)).toUtf8(),
                                                   QCryptographicHash::Sha256).toHex().left(24);
    return folder() + QLatin1Char('/') + kind + QLatin1Char('-') + QString::fromLatin1(id) + QStringLiteral(".sqlite");
}

AnnotationOverlay AnnotationOverlay::find(const QString& kind, const QString& location, const QSet<QString>& runIds)
{
    const QString own = pathFor(kind, location);
    if (QFileInfo(own).isFile())
        return AnnotationOverlay(kind, location, own);
    // Moved or mailed: the overlay of this kind most of whose edited runs are here.
    QString best;
    int bestShared = 0;
    const QDir dir(folder());
    for (const QString& name : dir.entryList({kind + QStringLiteral("-*.sqlite")}, QDir::Files)) {
        try {
            SqliteDb db(dir.filePath(name).toStdString(), SqliteDb::Mode::ReadOnly);
            if (metaValue(db, "kind") != kind)
                continue;
            int shared = 0, total = 0;
            auto st = db.prepare("SELECT DISTINCT run_id FROM overlay_values");
            while (st.step()) {
                ++total;
                shared += runIds.contains(fromUtf8(st.text(0))) ? 1 : 0;
            }
            if (shared > bestShared && shared * 2 >= total) {
                best = dir.filePath(name);
                bestShared = shared;
            }
        } catch (const std::exception&) {
            // Not an overlay we can read: not this store's.
        }
    }
    return AnnotationOverlay(kind, location, best);
}

std::vector<RunEdit> AnnotationOverlay::edits() const
{
    std::vector<RunEdit> out;
    if (path_.isEmpty())
        return out;
    try {
        SqliteDb db(path_.toStdString(), SqliteDb::Mode::ReadOnly);
        // One edit per (field, key), each with every run it touches.
        std::map<std::pair<QString, QString>, std::vector<RunChange>> grouped;
        auto st = db.prepare("SELECT run_id, field, key, value FROM overlay_values ORDER BY field, key, run_id");
        while (st.step()) {
            RunChange c{fromUtf8(st.text(0)), std::nullopt, std::nullopt};
            if (!st.isNull(3))
                c.after = fromUtf8(st.text(3));
            grouped[{fromUtf8(st.text(1)), fromUtf8(st.text(2))}].push_back(std::move(c));
        }
        for (auto& [fieldKey, changes] : grouped)
            if (const auto field = runFieldFromName(fieldKey.first))
                out.emplace_back(*field, fieldKey.second, std::move(changes));
    } catch (const std::exception&) {
        // An unreadable overlay adds nothing; the store itself still opens.
    }
    return out;
}

std::vector<RunEvent> AnnotationOverlay::history(const QString& runId) const
{
    if (path_.isEmpty())
        return {};
    try {
        SqliteDb db(path_.toStdString(), SqliteDb::Mode::ReadOnly);
        return StoreRunEditor::history(db, runId);
    } catch (const std::exception&) {
        return {};
    }
}

Result<bool> AnnotationOverlay::write(const RunEdit& edit, const QString& user)
{
    if (const QString why = edit.problem(); !why.isEmpty())
        return Failure{why};
    if (path_.isEmpty())
        path_ = pathFor(kind_, location_);
    try {
        SqliteDb db = openForWriting(path_, kind_, location_);
        SqliteTransaction tx(db);
        auto set = db.prepare("INSERT OR REPLACE INTO overlay_values(run_id, field, key, value) VALUES(?, ?, ?, ?)");
        auto event = db.prepare("INSERT INTO run_events(run_id, time, user, field, key, old_value, new_value) "
                                "VALUES(?, ?, ?, ?, ?, ?, ?)");
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        const std::string field = utf8(runFieldName(edit.field()));
        for (const auto& c : edit.changes()) {
            set.bind(1, utf8(c.runId)).bind(2, field).bind(3, utf8(edit.key()));
            if (c.after)
                set.bind(4, utf8(*c.after));
            else
                set.bindNull(4);
            set.run();
            event.bind(1, utf8(c.runId)).bind(2, now).bind(3, utf8(user)).bind(4, field).bind(5, utf8(edit.key()));
            c.before ? event.bind(6, utf8(*c.before)) : event.bindNull(6);
            c.after ? event.bind(7, utf8(*c.after)) : event.bindNull(7);
            event.run();
        }
        tx.commit();
        return true;
    } catch (const std::exception& e) {
        return Failure{QStringLiteral("cannot keep the annotation in '%1': %2").arg(path_, QString::fromUtf8(e.what()))};
    }
}

std::vector<std::pair<QString, QString>> AnnotationOverlay::entries(const QString& prefix) const
{
    std::vector<std::pair<QString, QString>> out;
    if (path_.isEmpty())
        return out;
    try {
        SqliteDb db(path_.toStdString(), SqliteDb::Mode::ReadOnly);
        const std::string p = utf8(prefix);
        auto st = db.prepare("SELECT substr(key, ?), value FROM overlay_meta WHERE substr(key, 1, ?) = ? ORDER BY key");
        st.bind(1, int64_t(p.size() + 1)).bind(2, int64_t(p.size())).bind(3, p);
        while (st.step())
            out.emplace_back(fromUtf8(st.text(0)), fromUtf8(st.text(1)));
    } catch (const std::exception&) {
        // An unreadable overlay keeps nothing; the store itself still opens.
    }
    return out;
}

Result<bool> AnnotationOverlay::writeEntry(const QString& prefix, const QString& name, const QString& value)
{
    if (path_.isEmpty())
        path_ = pathFor(kind_, location_);
    try {
        SqliteDb db = openForWriting(path_, kind_, location_);
        const std::string key = utf8(prefix + name);
        if (value.isEmpty())
            db.prepare("DELETE FROM overlay_meta WHERE key=?").bind(1, key).run();
        else
            db.prepare("INSERT OR REPLACE INTO overlay_meta(key, value) VALUES(?, ?)").bind(1, key).bind(2, utf8(value)).run();
        return true;
    } catch (const std::exception& e) {
        return Failure{QStringLiteral("cannot keep '%1' in '%2': %3").arg(name, path_, QString::fromUtf8(e.what()))};
    }
}

Result<QByteArray> AnnotationOverlay::exportJson() const
{
    QJsonObject runs;
    for (const RunEdit& e : edits()) {
        for (const auto& c : e.changes()) {
            QJsonObject run = runs.value(c.runId).toObject();
            if (e.field() == RunField::Tag) {
                QJsonObject tags = run.value(QStringLiteral("tags")).toObject();
                tags.insert(e.key(), jsonText(c.after));
                run.insert(QStringLiteral("tags"), tags);
            } else {
                run.insert(runFieldName(e.field()), jsonText(c.after));
            }
            runs.insert(c.runId, run);
        }
    }
    QJsonArray events;
    if (!path_.isEmpty()) {
        try {
            SqliteDb db(path_.toStdString(), SqliteDb::Mode::ReadOnly);
            auto st = db.prepare("SELECT run_id, time, user, field, key, old_value, new_value FROM run_events ORDER BY id");
            while (st.step()) {
                QJsonObject e{{QStringLiteral("run"), fromUtf8(st.text(0))},
                              {QStringLiteral("time"), QDateTime::fromMSecsSinceEpoch(st.int64(1), Qt::UTC).toString(Qt::ISODateWithMs)},
                              {QStringLiteral("user"), fromUtf8(st.text(2))},
                              {QStringLiteral("field"), fromUtf8(st.text(3))},
                              {QStringLiteral("key"), fromUtf8(st.text(4))},
                              {QStringLiteral("before"), st.isNull(5) ? QJsonValue() : QJsonValue(fromUtf8(st.text(5)))},
                              {QStringLiteral("after"), st.isNull(6) ? QJsonValue() : QJsonValue(fromUtf8(st.text(6)))}};
                events.append(e);
            }
        } catch (const std::exception& e) {
            return Failure{QStringLiteral("cannot read '%1': %2").arg(path_, QString::fromUtf8(e.what()))};
        }
    }
    // Saved queries, promotion rules and derived metrics travel too: a rule
    // is the team's criterion as much as a note is its finding. Each is a
    // "kind:name" key (store_entries.h); the overlay's own keys have no colon.
    QJsonObject entriesObject;
    for (const auto& [key, value] : entries(QString()))
        if (key.contains(u':'))
            entriesObject.insert(key, value);
    const QJsonObject doc{{QStringLiteral("format"), QStringLiteral("runlens-annotations 1")},
                          {QStringLiteral("kind"), kind_},
                          {QStringLiteral("location"), location_},
                          {QStringLiteral("runs"), runs},
                          {QStringLiteral("entries"), entriesObject},
                          {QStringLiteral("events"), events}};
    return QJsonDocument(doc).toJson(QJsonDocument::Indented);
}

Result<AnnotationOverlay::Export> AnnotationOverlay::parseExport(const QByteArray& json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (doc.isNull())
        return Failure{QStringLiteral("not an annotations file: %1 at byte %2").arg(error.errorString()).arg(error.offset)};
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("format")).toString() != QLatin1String("runlens-annotations 1"))
        return Failure{QStringLiteral("not an annotations file (no \"format\": \"runlens-annotations 1\")")};
    auto text = [](const QJsonValue& v) -> std::optional<QString> {
        return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
    };
    std::map<std::pair<int, QString>, std::vector<RunChange>> grouped;   // (field, key) -> changes
    const QJsonObject runs = root.value(QStringLiteral("runs")).toObject();
    for (auto it = runs.begin(); it != runs.end(); ++it) {
        const QJsonObject run = it.value().toObject();
        for (RunField f : {RunField::Name, RunField::Notes, RunField::Hypothesis})
            if (run.contains(runFieldName(f)))
                grouped[{int(f), QString()}].push_back({it.key(), std::nullopt, text(run.value(runFieldName(f)))});
        const QJsonObject tags = run.value(QStringLiteral("tags")).toObject();
        for (auto t = tags.begin(); t != tags.end(); ++t)
            grouped[{int(RunField::Tag), t.key()}].push_back({it.key(), std::nullopt, text(t.value())});
    }
    Export out;
    for (auto& [fieldKey, changes] : grouped)
        out.edits.emplace_back(RunField(fieldKey.first), fieldKey.second, std::move(changes));
    for (const auto& e : out.edits)
        if (const QString why = e.problem(); !why.isEmpty())
            return Failure{QStringLiteral("the file holds an edit no store keeps: %1").arg(why)};
    const QJsonObject entries = root.value(QStringLiteral("entries")).toObject();   // absent in older exports
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (!it.value().isString())
            return Failure{QStringLiteral("the file's entry '%1' is not text").arg(it.key())};
        out.entries.emplace_back(it.key(), it.value().toString());
    }
    return out;
}

} // namespace runlens
