// SPDX-License-Identifier: MIT
#include "runlens/sqlite_db.h"

#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

namespace runlens {

namespace {

std::string uriEscape(std::string_view path)
{
    // SQLite URIs need '%', '?' and '#' escaped; everything else passes.
    std::string out;
    for (const char c : path) {
        if (c == '%' || c == '?' || c == '#') {
            static constexpr char hex[] = "0123456789ABCDEF";
            out += '%';
            out += hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
            out += hex[static_cast<unsigned char>(c) & 0xF];
        } else {
            out += c;
        }
    }
    return out;
}

// What went wrong, as a sentence about the file ("it is ..."), in the
// user's terms; SQLite's own words follow where they add something.
std::string describe(int code, std::string_view message)
{
    if (code == SQLITE_NOTADB)
        return "it is not a SQLite database (or is encrypted or damaged)";
    if (code == SQLITE_CORRUPT)
        return "it is damaged (SQLite reports corruption: " + std::string(message) + ")";
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return "it is locked by another process; try again when that process is done";
    if (code == SQLITE_READONLY)
        return "it is read-only (" + std::string(message) + ")";
    if (code == SQLITE_CANTOPEN)
        return "SQLite cannot open it (is it a folder, or is its folder unreadable?)";
    if (code == SQLITE_FULL)
        return "the disk is full";
    if (code == SQLITE_IOERR)
        return "the disk reported an input/output error (" + std::string(message) + ")";
    if (code == SQLITE_PERM || code == SQLITE_AUTH)
        return "permission denied";
    return "SQLite says: " + std::string(message);
}

} // namespace

SqliteDb::SqliteDb(const std::string& path, Mode mode, int busy_timeout_ms, const std::string& vfs)
    : path_(path)
{
    const bool readOnly = mode != Mode::ReadWriteCreate;
    if (readOnly && !std::filesystem::exists(path))
        throw Error("cannot open '" + path + "': no such file");

    auto tryOpen = [&](bool immutable) -> int {
        std::string uri = "file:" + uriEscape(std::filesystem::absolute(path).string());
        uri += readOnly ? "?mode=ro" : "?mode=rwc";
        if (immutable)
            uri += "&immutable=1";
        const int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX
            | (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        const int rc = sqlite3_open_v2(uri.c_str(), &db_, flags, vfs.empty() ? nullptr : vfs.c_str());
        if (rc == SQLITE_OK) {
            sqlite3_busy_timeout(db_, busy_timeout_ms);
            sqlite3_extended_result_codes(db_, 0);
            // Touch the schema now so a non-database or a WAL store we cannot
            // open surfaces here rather than at the first query.
            return sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
        }
        return rc;
    };

    // Header bytes 18 and 19 are 2 in a WAL-mode database.
    bool walWithoutWriter = false;
    if (mode == Mode::ReadOnlyForeign && !std::filesystem::exists(path + "-wal")) {
        if (FILE* f = std::fopen(path.c_str(), "rb")) {
            unsigned char header[20] = {};
            walWithoutWriter = std::fread(header, 1, sizeof header, f) == sizeof header && header[18] == 2
                && header[19] == 2;
            std::fclose(f);
        }
    }
    int rc = tryOpen(walWithoutWriter);
    snapshot_ = walWithoutWriter;
    if (rc == SQLITE_CANTOPEN && readOnly) {
        // A WAL store in a directory we may not write to: read it as a snapshot.
        sqlite3_close(db_);
        db_ = nullptr;
        rc = tryOpen(true);
        snapshot_ = true;
    }
    if (rc != SQLITE_OK) {
        const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error("cannot open '" + path + "': " + describe(rc, msg));
    }
}

SqliteDb::~SqliteDb()
{
    if (db_)
        sqlite3_close_v2(db_);
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : db_(std::exchange(other.db_, nullptr))
    , path_(std::move(other.path_))
    , snapshot_(other.snapshot_)
{
}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept
{
    if (this != &other) {
        if (db_)
            sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
        snapshot_ = other.snapshot_;
    }
    return *this;
}

void SqliteDb::fail(std::string_view what) const
{
    const int code = db_ ? sqlite3_errcode(db_) : SQLITE_ERROR;
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "no connection";
    throw Error(std::string(what) + " failed on '" + path_ + "': " + describe(code, msg));
}

void SqliteDb::exec(std::string_view sql)
{
    char* err = nullptr;
    const std::string s(sql);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        sqlite3_free(err);
        fail("'" + s.substr(0, 60) + "'");
    }
}

SqliteStatement SqliteDb::prepare(std::string_view sql)
{
    return SqliteStatement(*this, sql);
}

bool SqliteDb::tableExists(std::string_view name)
{
    auto st = prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
    st.bind(1, name);
    return st.step();
}

int64_t SqliteDb::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(db_);
}
int SqliteDb::changes() const
{
    return sqlite3_changes(db_);
}

SqliteStatement::SqliteStatement(SqliteDb& db, std::string_view sql)
    : db_(&db)
{
    if (sqlite3_prepare_v3(
            db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr)
        != SQLITE_OK)
        db.fail("preparing '" + std::string(sql.substr(0, 60)) + "'");
}

SqliteStatement::~SqliteStatement()
{
    if (stmt_)
        sqlite3_finalize(stmt_);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_)
    , stmt_(std::exchange(other.stmt_, nullptr))
{
}

SqliteStatement& SqliteStatement::bind(int index, int64_t value)
{
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value)
{
    if (std::isnan(value))
        sqlite3_bind_null(stmt_, index);
    else
        sqlite3_bind_double(stmt_, index, value);
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement& SqliteStatement::bindBlob(int index, std::span<const std::byte> blob)
{
    sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement& SqliteStatement::bindBlobNoCopy(int index, std::span<const std::byte> blob)
{
    sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
    return *this;
}

SqliteStatement& SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(stmt_, index);
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, const std::optional<double>& value)
{
    return value ? bind(index, *value) : bindNull(index);
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
    sqlite3_reset(stmt_);
    db_->fail("'" + sql.substr(0, 60) + "'");
}

void SqliteStatement::run()
{
    step();
    reset();
}

void SqliteStatement::reset()
{
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int SqliteStatement::columnCount() const
{
    return sqlite3_column_count(stmt_);
}
bool SqliteStatement::isNull(int col) const
{
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
int64_t SqliteStatement::int64(int col) const
{
    return sqlite3_column_int64(stmt_, col);
}

double SqliteStatement::real(int col) const
{
    return isNull(col) ? std::nan("") : sqlite3_column_double(stmt_, col);
}

std::string_view SqliteStatement::text(int col) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string_view();
}

std::span<const std::byte> SqliteStatement::blob(int col) const
{
    const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(stmt_, col));
    return p ? std::span<const std::byte>(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::span<const std::byte>();
}

SqliteTransaction::SqliteTransaction(SqliteDb& db)
    : db_(db)
{
    db_.exec("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction()
{
    if (!done_)
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit()
{
    db_.exec("COMMIT");
    done_ = true;
}

SqliteReadTransaction::SqliteReadTransaction(SqliteDb& db) : db_(db) { db_.exec("BEGIN"); }

SqliteReadTransaction::~SqliteReadTransaction()
{
    sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr);
}

} // namespace runlens
