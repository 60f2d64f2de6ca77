// SPDX-License-Identifier: MIT
#include "runlens/run_edits.h"

#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"

namespace runlens {

namespace {

void requireRun(SqliteDb& db, const std::string& runId)
{
    auto exists = db.prepare("SELECT 1 FROM runs WHERE id=?");
    exists.bind(1, runId);
    if (!exists.step())
        throw Error("no run '" + runId + "' in the store");
}

} // namespace

const char* runEditFieldName(RunEditField field)
{
    switch (field) {
    case RunEditField::Name: return "name";
    case RunEditField::Notes: return "notes";
    case RunEditField::Hypothesis: return "hypothesis";
    case RunEditField::Tag: return "tag";
    }
    return "";
}

std::optional<std::string> runFieldValue(SqliteDb& db, const std::string& runId, RunEditField field, const std::string& key)
{
    requireRun(db, runId);
    if (field == RunEditField::Tag) {
        auto st = db.prepare("SELECT value FROM tags WHERE run_id=? AND key=?");
        st.bind(1, runId).bind(2, key);
        return st.step() ? std::optional<std::string>(std::string(st.text(0))) : std::nullopt;
    }
    auto st = db.prepare(std::string("SELECT ") + runEditFieldName(field) + " FROM runs WHERE id=?");
    st.bind(1, runId);
    st.step();
    return std::string(st.text(0));
}

void writeRunEdit(SqliteDb& db, const std::string& runId, RunEditField field, const std::string& key,
                  const std::optional<std::string>& before, const std::optional<std::string>& after,
                  const std::string& user, int64_t timeMs)
{
    requireRun(db, runId);
    createRunEventsTable(db);
    if (field != RunEditField::Tag) {
        // The column's name comes from the enum, never from the caller's text.
        db.prepare(std::string("UPDATE runs SET ") + runEditFieldName(field) + "=? WHERE id=?")
            .bind(1, after.value_or(std::string()))
            .bind(2, runId)
            .run();
    } else if (after) {
        db.prepare("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES(?, ?, ?)").bind(1, runId).bind(2, key).bind(3, *after).run();
    } else {
        db.prepare("DELETE FROM tags WHERE run_id=? AND key=?").bind(1, runId).bind(2, key).run();
    }
    auto event = db.prepare("INSERT INTO run_events(run_id, time, user, field, key, old_value, new_value) "
                            "VALUES(?, ?, ?, ?, ?, ?, ?)");
    event.bind(1, runId).bind(2, timeMs).bind(3, user).bind(4, runEditFieldName(field)).bind(5, key);
    if (before)
        event.bind(6, *before);
    else
        event.bindNull(6);
    if (after)
        event.bind(7, *after);
    else
        event.bindNull(7);
    event.run();
}

} // namespace runlens
