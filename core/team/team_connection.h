// SPDX-License-Identifier: GPL-3.0-or-later
// Connections to one team store through Qt Sql's QPSQL driver. A Qt SQL
// connection may only be used by the thread that opened it, and readers are
// called from the GUI thread and the load pool alike, so each thread gets its
// own, opened on first use and again after the server went away.
#pragma once

#include "result.h"
#include "team_store_url.h"

#include <QHash>
#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <mutex>

class QSqlError;
class QSqlQuery;

namespace runlens {

class TeamConnection {
public:
    // Connects once (in the calling thread) so that a wrong password or a
    // server that is not there fails here, with libpq's reason.
    // ReadOnly: every transaction of every connection is read-only, so a
    // reader never attempts a write, whatever its role may do.
    enum class Access { ReadWrite, ReadOnly };
    static Result<std::unique_ptr<TeamConnection>> open(const TeamStoreUrl& url, Access access = Access::ReadWrite);
    ~TeamConnection();
    TeamConnection(const TeamConnection&) = delete;
    TeamConnection& operator=(const TeamConnection&) = delete;

    const TeamStoreUrl& url() const { return url_; }
    // This thread's connection, open; a failure when it cannot connect.
    Result<QSqlDatabase> database();

    // A message naming the store and what the server said.
    QString describe(const QSqlError& error) const;
    QString describe(const QSqlQuery& failed) const;
    // Whether a message says the server could not be reached or went away
    // (worth trying again later), not that it answered no.
    static bool isUnreachable(const QString& message);

private:
    TeamConnection(TeamStoreUrl url, Access access);

    TeamStoreUrl url_;
    Access access_;
    QString prefix_; // unique per TeamConnection: the connections' names start with it
    std::mutex mutex_;
    QHash<Qt::HANDLE, QString> names_; // per thread
};

} // namespace runlens
