// SPDX-License-Identifier: GPL-3.0-or-later
// `runlens push`: a local Runlens store's runs into a team store, sending
// only what the team store does not have yet. Each run goes in one
// transaction, so a push killed at any moment leaves every run either as it
// was or complete, and the next push finishes the job; a run still logging
// goes as far as it got, and the next push continues it (its chunks only
// ever grow). The conflict rule is docs/team-store.md's: a run's id names it
// everywhere, and the copy changed last wins, whole; the other is reported.
#pragma once

#include "result.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>

namespace runlens {

class TeamConnection;

struct PushReport {
    int runsSent = 0;       // new to the team store, or grown since the last push
    int runsUnchanged = 0;  // already there as they are here
    int64_t chunksSent = 0; // metric chunks sent (new ones and tails that grew)
    int64_t chunkBytes = 0;
    // Runs whose team copy changed after this store's (edited or pushed from
    // elsewhere): kept, this store's copy not sent, each said here.
    QStringList keptNewer;
    // Runs the team store refused (a value a hand-edited store holds, the
    // role's rights): each with why; the runs after them still went.
    QStringList failed;
    // Of the runs pushed or found there already, those still logging when
    // read (a live logger's): a later push has more to send.
    int runsLogging = 0;
    // Of those, the ones whose row says running, their logger alive or not
    // (a stalled heartbeat: a stopped job, a disk refusing writes).
    int runsMarkedRunning = 0;
    // Runs asked for by id (PushOptions::runs) that the store does not hold.
    QStringList missing;
};

// `progress(done, total)` after each run; return false to stop (the run
// being sent is rolled back, the ones before it stay).
using PushProgress = std::function<bool(int done, int total)>;

struct PushOptions {
    QStringList runs; // only these runs, by id; empty: every run of the store
    PushProgress progress;
};

Result<PushReport> pushToTeamStore(const QString& localStore, TeamConnection& team, const PushOptions& options = {});

} // namespace runlens
