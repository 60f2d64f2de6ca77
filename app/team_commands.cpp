// SPDX-License-Identifier: GPL-3.0-or-later
// `runlens init-team` and `runlens push`: making a team store on PostgreSQL
// and sending a local store's runs to it (core/team/). Reading a team store
// needs no command of its own: every reading command takes its URL as STORE.
#include "cli_command.h"

#include "team_connection.h"
#include "team_schema.h"
#include "team_store_pusher.h"
#include "team_store_url.h"

#include <QTextStream>
#include <QThread>

#include <cmath>

namespace runlens::cli {

namespace {

Result<std::unique_ptr<TeamConnection>> connectTo(const QString& text)
{
    const auto url = TeamStoreUrl::parse(text);
    if (!url)
        return Failure{url.error()};
    return TeamConnection::open(*url);
}

} // namespace

ExitCode initTeamCommand(const CliCall& call)
{
    auto team = connectTo(call.positionals[0]);
    if (!team) {
        call.err << "runlens init-team: " << team.error() << '\n';
        return StoreError;
    }
    const auto created = createTeamSchema(**team);
    if (!created) {
        call.err << "runlens init-team: " << created.error() << '\n';
        return StoreError;
    }
    for (const QString& note : created->notes)
        call.err << "runlens init-team: warning: " << note << '\n';
    const QString where = (*team)->url().display();
    if (created->fromVersion == 0)
        call.out << "created team store " << where << " (schema " << kTeamSchemaVersion << ")\n";
    else if (created->fromVersion == kTeamSchemaVersion)
        call.out << where << " is a team store already (schema " << kTeamSchemaVersion << "); nothing changed\n";
    else
        call.out << "brought team store " << where << " from schema " << created->fromVersion << " to "
                 << kTeamSchemaVersion << '\n';
    return Ok;
}

ExitCode pushCommand(const CliCall& call)
{
    const QString& local = call.positionals[0];
    bool ok = true;
    const double interval = call.value(QStringLiteral("interval")).toDouble(&ok);
    if (!ok || !std::isfinite(interval) || interval < 0.1 || interval > 86400)
        return usageError(QStringLiteral("push"), QStringLiteral("--interval takes seconds, 0.1 to 86400"), call.err);
    const bool watch = call.isSet(QStringLiteral("watch"));
    if (call.isSet(QStringLiteral("interval")) && !watch)
        return usageError(QStringLiteral("push"), QStringLiteral("--interval is the time between pushes with --watch"), call.err);
    const auto url = TeamStoreUrl::parse(call.positionals[1]);
    if (!url) {
        call.err << "runlens push: " << url.error() << '\n';
        return StoreError;
    }
    const QString where = url->display();
    if (!url->password.isEmpty() && watch)
        call.err << "runlens push: warning: the password in the URL is visible to other users of this machine while "
                    "the push runs (its command line); ~/.pgpass or PGPASSWORD keep it out of sight\n";
    std::unique_ptr<TeamConnection> team;
    for (bool first = true;; first = false) {
        // Watching starts even while the server is away, and waits for it.
        if (!team) {
            auto connected = TeamConnection::open(*url);
            if (connected) {
                team = std::move(*connected);
            } else {
                call.err << "runlens push: " << connected.error() << '\n';
                call.err.flush();
                // A server away is waited for; one that said no (a password,
                // a database that is not there) will say it again.
                if (!watch || !TeamConnection::isUnreachable(connected.error()))
                    return StoreError;
            }
        }
        const auto pushed = team ? pushToTeamStore(local, *team) : Result<PushReport>(Failure{});
        if (!pushed) {
            if (!pushed.error().isEmpty())
                call.err << "runlens push: " << pushed.error() << '\n';
            call.err.flush();
            // Watching outlives a server restart or a dropped network: it
            // says so and tries again; a one-off push, or one the server
            // refused (rights, not a team store), reports and stops.
            if (!watch || (!pushed.error().isEmpty() && !TeamConnection::isUnreachable(pushed.error())))
                return StoreError;
        } else {
            for (const QString& kept : pushed->keptNewer)
                call.err << "runlens push: kept the team's copy of " << kept << '\n';
            for (const QString& failed : pushed->failed)
                call.err << "runlens push: not sent: " << failed << '\n';
            if (first || pushed->runsSent > 0 || !pushed->keptNewer.isEmpty() || !pushed->failed.isEmpty()) {
                call.out << "pushed " << pushed->runsSent << " run(s) to " << where << " (" << pushed->chunksSent
                         << " chunk(s), " << pushed->chunkBytes << " bytes of points); " << pushed->runsUnchanged
                         << " already there";
                if (!pushed->keptNewer.isEmpty())
                    call.out << "; " << pushed->keptNewer.size() << " newer there, kept";
                if (!pushed->failed.isEmpty())
                    call.out << "; " << pushed->failed.size() << " refused by the server";
                call.out << '\n';
                call.out.flush();
            }
            if (!watch)
                return pushed->failed.isEmpty() ? Ok : Failed;
        }
        if (first) {
            call.err << "runlens push: pushing " << local << " to " << where << " every " << interval
                     << " s; Ctrl+C stops\n";
            call.err.flush();
        }
        QThread::msleep(static_cast<unsigned long>(interval * 1000));
    }
}

} // namespace runlens::cli
