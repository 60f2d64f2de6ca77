// SPDX-License-Identifier: GPL-3.0-or-later
// `runlens init-team` and `runlens push`: making a team store on PostgreSQL
// and sending a local store's runs to it (core/team/). Reading a team store
// needs no command of its own: every reading command takes its URL as STORE.
#include "cli_command.h"

#include "team_connection.h"
#include "team_schema.h"
#include "team_store_pusher.h"
#include "team_store_url.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSet>
#include <QTextStream>
#include <QThread>

#include <cmath>

#include <unistd.h>

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
    // The logger's sync names the team store in the environment, where the
    // URL's password is not on every user's `ps`.
    const bool urlFromEnvironment = call.positionals.size() < 2;
    const QString urlText = urlFromEnvironment ? qEnvironmentVariable("RUNLENS_SYNC") : call.positionals[1];
    if (urlText.isEmpty())
        return usageError(QStringLiteral("push"), QStringLiteral("give the team store's URL, or set RUNLENS_SYNC to it"), call.err);
    PushOptions options;
    options.runs = call.list(QStringLiteral("run"));
    // The logger that started this push (its parent): while it lives, its
    // runs still marked running are awaited even when their heartbeat
    // stalls (a job stopped with Ctrl+Z, a disk refusing writes).
    qint64 loggerPid = 0;
    if (call.isSet(QStringLiteral("logger-pid"))) {
        loggerPid = call.value(QStringLiteral("logger-pid")).toLongLong(&ok);
        if (!ok || loggerPid <= 0)
            return usageError(QStringLiteral("push"), QStringLiteral("--logger-pid takes a process id"), call.err);
    }
    const auto loggerAlive = [loggerPid] { return loggerPid > 0 && qint64(::getppid()) == loggerPid; };
    // Following runs: pushing while they log, stopping once they ended and
    // all of them is there (how the logger's sync runs it).
    const bool follow = watch && !options.runs.isEmpty();
    const QString who = follow ? QStringLiteral("runlens push (run %1)").arg(options.runs.join(QStringLiteral(", ")))
                               : QStringLiteral("runlens push");
    const auto url = TeamStoreUrl::parse(urlText);
    if (!url) {
        call.err << who << ": " << url.error() << '\n';
        return StoreError;
    }
    const QString where = url->display();
    if (!url->password.isEmpty() && watch && !urlFromEnvironment)
        call.err << who << ": warning: the password in the URL is visible to other users of this machine while "
                           "the push runs (its command line); ~/.pgpass or PGPASSWORD keep it out of sight\n";
    std::unique_ptr<TeamConnection> team;
    // A server away is said once, when it goes, and once when it is back:
    // a watch outlasting a night's outage does not fill a training log.
    QString away;
    QElapsedTimer awayFor, refusedFor;
    QSet<QString> said;
    constexpr qint64 kGiveUpMs = 24 * 3600 * 1000;
    const auto wentAway = [&](const QString& why) {
        if (away.isEmpty()) {
            call.err << who << ": " << why << (watch ? QStringLiteral("; trying again every %1 s").arg(interval) : QString())
                     << '\n';
            awayFor.start();
        }
        away = why;
        call.err.flush();
    };
    for (bool first = true;; first = false) {
        // A store deleted under a watch ends it, whether the server is there or not.
        if (!QFileInfo::exists(local)) {
            call.err << who << ": '" << local << "' does not exist\n";
            return StoreError;
        }
        // Watching starts even while the server is away, and waits for it.
        if (!team) {
            auto connected = TeamConnection::open(*url);
            if (connected) {
                team = std::move(*connected);
            } else {
                // A server away is waited for; one that said no (a password,
                // a database that is not there) will say it again.
                if (!watch || !TeamConnection::isUnreachable(connected.error())) {
                    call.err << who << ": " << connected.error() << '\n';
                    return StoreError;
                }
                wentAway(connected.error());
            }
        }
        const auto pushed = team ? pushToTeamStore(local, *team, options) : Result<PushReport>(Failure{});
        if (!pushed) {
            // Watching outlives a server restart or a dropped network: it
            // says so and tries again; a one-off push, or one the server
            // refused (rights, not a team store), reports and stops.
            if (!watch || (!pushed.error().isEmpty() && !TeamConnection::isUnreachable(pushed.error()))) {
                call.err << who << ": " << pushed.error() << '\n';
                return StoreError;
            }
            if (!pushed.error().isEmpty())
                wentAway(pushed.error());
            // Following runs gives up on a server away for a day: the runs
            // stay in the local store, and a push later sends them.
            if (follow && awayFor.isValid() && awayFor.elapsed() > kGiveUpMs) {
                call.err << who << ": gave up after a day without " << where << "; send the runs later with: runlens push "
                         << local << " URL\n";
                return StoreError;
            }
        } else {
            if (!away.isEmpty()) {
                call.err << who << ": " << where << " is back; pushing again\n";
                away.clear();
                awayFor.invalidate();
            }
            for (const QString& id : pushed->missing)
                call.err << who << ": " << local << " has no run " << id << '\n';
            // Each said once: a watch repeats them every interval.
            const auto once = [&](const QString& what) {
                if (said.contains(what))
                    return false;
                said.insert(what);
                return true;
            };
            for (const QString& kept : pushed->keptNewer)
                if (once(kept))
                    call.err << who << ": kept the team's copy of " << kept << '\n';
            for (const QString& failed : pushed->failed)
                if (once(failed))
                    call.err << who << ": not sent: " << failed << '\n';
            call.err.flush();
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
            const bool complete = pushed->failed.isEmpty() && pushed->missing.isEmpty();
            if (!watch)
                return complete ? Ok : Failed;
            if (follow) {
                // A run missing stays so. A refused one is tried again (a
                // statement timeout, a server's full disk pass) for a day.
                if (!pushed->missing.isEmpty())
                    return Failed;
                if (!pushed->failed.isEmpty()) {
                    if (!refusedFor.isValid())
                        refusedFor.start();
                    if (refusedFor.elapsed() > kGiveUpMs) {
                        call.err << who << ": gave up after a day of " << where << " refusing the run; send it later "
                                 << "with: runlens push " << local << " URL\n";
                        return Failed;
                    }
                } else {
                    refusedFor.invalidate();
                    // Followed runs that ended, pushed as they ended: done.
                    // A run still marked running whose logger lives is
                    // awaited, however stale its heartbeat.
                    if (pushed->runsLogging == 0 && (pushed->runsMarkedRunning == 0 || !loggerAlive()))
                        return Ok;
                }
            }
        }
        if (first && !follow) {
            call.err << who << ": pushing " << local << " to " << where << " every " << interval << " s; Ctrl+C stops\n";
            call.err.flush();
        }
        QThread::msleep(static_cast<unsigned long>(interval * 1000));
    }
}

} // namespace runlens::cli
