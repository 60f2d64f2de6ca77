// SPDX-License-Identifier: GPL-3.0-or-later
// Where a team store lives: a PostgreSQL URL as libpq writes them
// (postgresql://user:password@host:port/database?sslmode=require), parsed
// once so that the password never reaches a message, a window title or the
// settings (what is shown and kept is display(), which leaves it out).
#pragma once

#include "result.h"

#include <QList>
#include <QPair>
#include <QString>

namespace runlens {

struct TeamStoreUrl {
    QString host;     // empty: libpq's default (the local socket)
    int port = -1;    // -1: libpq's default (5432)
    QString database;
    QString user;     // empty: libpq's default (the login name)
    QString password; // empty: libpq looks in PGPASSWORD and ~/.pgpass itself
    // libpq connection parameters from the query string (sslmode, sslrootcert,
    // connect_timeout, host=/socket/dir, ...), as given.
    QList<QPair<QString, QString>> options;

    // A postgresql:// or postgres:// URL; a failure saying what is wrong.
    static Result<TeamStoreUrl> parse(const QString& url);
    // Whether `text` names a team store at all (its scheme), so a path is never parsed as one.
    static bool looksLikeOne(const QString& text);

    // postgresql://user@host:port/database?options: no password, ever.
    QString display() const;
    // The URL with the password, for opening it in this process only.
    QString connectionUrl() const;
    // "database on host": what the navigator and titles name it by.
    QString shortName() const;
    // Qt's QPSQL connect options ("sslmode=require;connect_timeout=5").
    QString connectOptions() const;

private:
    QString written(bool withPassword) const;
};

} // namespace runlens
