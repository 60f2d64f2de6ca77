// SPDX-License-Identifier: GPL-3.0-or-later
#include "store_run_editor.h"

#include "runlens/run_edits.h"
#include "runlens/sqlite_db.h"
#include "runlens/media.h"
#include "runlens/store_schema.h"
#include "utf8.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QThread>

namespace runlens {

namespace {

std::string utf8(const QString& s)
{
    return s.toStdString();
}

// Runs `work` in a write transaction, again while the store is busy (a
// logger's flush, another Runlens's edit), until `retryForMs` passed.
template <class Work>
auto withRetry(const QString& path, int retryForMs, Work work) -> decltype(work(std::declval<SqliteDb&>()))
{
    QElapsedTimer clock;
    clock.start();
    QString last;
    do {
        try {
            SqliteDb db = openStoreForWriting(path.toStdString(), 2000);
            return work(db);
        } catch (const std::exception& e) {
            last = QString::fromUtf8(e.what());
            // Only a busy or locked store is worth another try.
            if (!last.contains(QLatin1String("locked")) && !last.contains(QLatin1String("busy")))
                return Failure{last};
        }
        QThread::msleep(50);
    } while (clock.elapsed() < retryForMs);
    return Failure{QStringLiteral("the store stayed busy for %1 s: %2").arg(retryForMs / 1000).arg(last)};
}

} // namespace

Result<bool> StoreRunEditor::write(const QString& path, const RunEdit& edit, const QString& user, int retryForMs)
{
    if (const QString why = edit.problem(); !why.isEmpty())
        return Failure{why};
    if (edit.empty())
        return true;
    return withRetry(path, retryForMs, [&](SqliteDb& db) -> Result<bool> {
        SqliteTransaction tx(db);
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        const RunEditField field = edit.field() == RunField::Name ? RunEditField::Name
            : edit.field() == RunField::Notes                     ? RunEditField::Notes
            : edit.field() == RunField::Hypothesis                ? RunEditField::Hypothesis
                                                                  : RunEditField::Tag;
        const auto optional = [](const std::optional<QString>& v) {
            return v ? std::optional<std::string>(utf8(*v)) : std::nullopt;
        };
        for (const auto& c : edit.changes()) {
            try {
                writeRunEdit(db, utf8(c.runId), field, utf8(edit.key()), optional(c.before), optional(c.after), utf8(user), now);
            } catch (const Error& e) {
                if (std::string_view(e.what()).starts_with("no run '"))   // not worth retrying: nothing is written
                    return Failure{QStringLiteral("no run '%1' in the store").arg(c.runId)};
                throw;
            }
        }
        tx.commit();
        return true;
    });
}

std::vector<RunEvent> StoreRunEditor::history(SqliteDb& db, const QString& runId)
{
    std::vector<RunEvent> out;
    auto has = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='run_events'");
    if (!has.step())
        return out;
    auto st = db.prepare("SELECT time, user, field, key, old_value, new_value FROM run_events WHERE run_id=? ORDER BY id");
    st.bind(1, utf8(runId));
    while (st.step()) {
        RunEvent e;
        e.runId = runId;
        e.time = st.int64(0);
        e.user = fromUtf8(st.text(1));
        e.field = fromUtf8(st.text(2));
        e.key = fromUtf8(st.text(3));
        if (!st.isNull(4))
            e.before = fromUtf8(st.text(4));
        if (!st.isNull(5))
            e.after = fromUtf8(st.text(5));
        out.push_back(std::move(e));
    }
    return out;
}

Result<int> StoreRunEditor::emptyTrash(const QString& path, bool vacuum, const QString& user, int retryForMs)
{
    auto deleted = withRetry(path, retryForMs, [&](SqliteDb& db) -> Result<int> {
        SqliteTransaction tx(db);
        createRunEventsTable(db);
        std::vector<std::string> ids;
        auto trashed = db.prepare("SELECT run_id FROM tags WHERE key=?");
        trashed.bind(1, utf8(kTrashedTag));
        while (trashed.step())
            ids.emplace_back(trashed.text(0));
        // Foreign keys cascade from runs to everything a run logged, the
        // series' chunks included.
        auto del = db.prepare("DELETE FROM runs WHERE id=?");
        auto event = db.prepare("INSERT INTO run_events(run_id, time, user, field, key, old_value, new_value) "
                                "VALUES(?, ?, ?, 'deleted', '', NULL, NULL)");
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        for (const auto& id : ids) {
            del.bind(1, id).run();
            event.bind(1, id).bind(2, now).bind(3, utf8(user)).run();
        }
        // The runs' media rows went with them; their pictures, unless another run shares them, go too.
        deleteUnusedMediaBlobs(db);
        tx.commit();
        return int(ids.size());
    });
    if (deleted && vacuum) {
        try {
            SqliteDb db = openStoreForWriting(path.toStdString(), 10000);
            db.exec("VACUUM");
        } catch (const std::exception& e) {
            return Failure{QStringLiteral("deleted %1 runs, but could not give the space back: %2")
                               .arg(*deleted)
                               .arg(QString::fromUtf8(e.what()))};
        }
    }
    return deleted;
}

Result<qint64> StoreRunEditor::applyRegistry(const QString& path, const std::vector<RegistryChange>& changes,
                                             const QString& user, int retryForMs,
                                             std::optional<RegistryErrorKind>* refusedAs)
{
    return withRetry(path, retryForMs, [&](SqliteDb& db) -> Result<qint64> {
        try {
            return applyRegistryChanges(db, changes, utf8(user)).createdVersion;
        } catch (const RegistryError& e) {
            if (refusedAs)
                *refusedAs = e.kind();
            return Failure{QString::fromUtf8(e.what())};   // refused: no use trying again
        }
    });
}

} // namespace runlens
