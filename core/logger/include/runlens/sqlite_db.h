// SPDX-License-Identifier: MIT
// Thin RAII layer over the SQLite C API, shared by the logger (writes) and
// the core reader (reads) so both speak to the store the same way.
//
// Threading: a SqliteDb and its statements belong to one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace runlens {

// Raised for every store-level failure; the message is meant for a user.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class SqliteStatement;

class SqliteDb {
public:
    // ReadOnlyForeign: another tool's database, which must not gain files
    // beside it either: a WAL-mode file with no -wal beside it (nobody is
    // writing it) is read as an immutable snapshot, where a plain read-only
    // open would create -wal and -shm in the owner's folder.
    enum class Mode { ReadOnly, ReadWriteCreate, ReadOnlyForeign };

    // Opens `path`. ReadOnly never writes to the file; when the directory is
    // not writable (a WAL store mailed by a colleague), it falls back to
    // SQLite's immutable mode. `vfs`: a registered SQLite VFS by name, empty
    // for the default. Throws Error with a message naming the file.
    SqliteDb(const std::string& path, Mode mode, int busy_timeout_ms = 10000, const std::string& vfs = {});
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;
    SqliteDb(SqliteDb&& other) noexcept;
    SqliteDb& operator=(SqliteDb&& other) noexcept;

    void exec(std::string_view sql);
    SqliteStatement prepare(std::string_view sql);
    bool tableExists(std::string_view name);
    int64_t lastInsertRowId() const;
    int changes() const;
    const std::string& path() const { return path_; }
    sqlite3* handle() const { return db_; }
    // Opened as an immutable snapshot: later writes by others are not seen
    // (reopen to see them).
    bool isSnapshot() const { return snapshot_; }

    // Raises Error built from the connection's last message.
    [[noreturn]] void fail(std::string_view what) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
    bool snapshot_ = false;
};

// A prepared statement; bind with 1-based indices like SQLite itself.
class SqliteStatement {
public:
    SqliteStatement(SqliteDb& db, std::string_view sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    SqliteStatement(SqliteStatement&& other) noexcept;

    SqliteStatement& bind(int index, int64_t value);
    SqliteStatement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    SqliteStatement& bind(int index, double value); // NaN binds as NULL (SQLite has no NaN)
    SqliteStatement& bind(int index, std::string_view text);
    SqliteStatement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    SqliteStatement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    SqliteStatement& bindBlob(int index, std::span<const std::byte> blob);
    // Binds without copying: `blob` must outlive the statement's next step/reset.
    SqliteStatement& bindBlobNoCopy(int index, std::span<const std::byte> blob);
    SqliteStatement& bindNull(int index);
    SqliteStatement& bind(int index, const std::optional<double>& value);

    // Advances; true while a row is available.
    bool step();
    // Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    int columnCount() const;
    bool isNull(int col) const;
    int64_t int64(int col) const;
    double real(int col) const; // NULL reads as NaN
    std::string_view text(int col) const;
    std::span<const std::byte> blob(int col) const;

private:
    SqliteDb* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class SqliteTransaction {
public:
    explicit SqliteTransaction(SqliteDb& db);
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    void commit();

private:
    SqliteDb& db_;
    bool done_ = false;
};

// BEGIN ... COMMIT around reads: every statement in between sees one
// snapshot, however the store is written meanwhile.
class SqliteReadTransaction {
public:
    explicit SqliteReadTransaction(SqliteDb& db);
    ~SqliteReadTransaction();
    SqliteReadTransaction(const SqliteReadTransaction&) = delete;
    SqliteReadTransaction& operator=(const SqliteReadTransaction&) = delete;

private:
    SqliteDb& db_;
};

} // namespace runlens
