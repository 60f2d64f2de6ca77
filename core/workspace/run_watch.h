// SPDX-License-Identifier: GPL-3.0-or-later
// News about runs while a store is open (issue 17, live watch): a run that
// fails or crashes (its heartbeat stopped, its process gone), a watched
// metric whose latest value turns NaN or infinite. Fed each refresh's table,
// it says what changed since the last one, each event once. The window's
// notifications and `runlens watch` both come from here, so a terminal on a
// headless server and a desktop say the same things.
#pragma once

#include "run_table.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <span>
#include <vector>

namespace runlens {

struct WatchRules {
    QString query;       // the runs watched (the query language); empty: all
    QStringList metrics; // watched for NaN/Inf; empty: every metric but the machine's (system/)
    bool failures = true;
    bool nonFinite = true;
};

struct WatchEvent {
    enum class Kind { Failed, Crashed, NonFinite };
    Kind kind = Kind::Failed;
    QString runId, runName, experiment;
    QString metric; // NonFinite: which metric, and its value
    double value = 0;
    int64_t step = 0; // the run's latest step of the metric when it was seen: the point is at or before it
    int64_t time = 0; // ms since the epoch: when the run ended (failures), else when it was seen

    // "failed", "crashed", "nan": a word for scripts.
    QString kindName() const;
    // One line in words: "run 'lr-0.1' (exp) failed", "... logged loss = nan at step 120".
    QString text() const;
};

class RunWatch {
public:
    // `storeRows`: every row of the watched store in `table` (a window's
    // merged table holds other stores too, maybe with the same run ids);
    // `matching`: those the rules' query selects. The first update takes the
    // runs as they are: a run that failed before watching began is not news.
    // Runs that appear later are; so is a run that starts matching later
    // (restored from the trash, tagged) only for what happens from then on.
    std::vector<WatchEvent> update(
        const RunTable& table, std::span<const int> storeRows, std::span<const int> matching, int64_t nowMs);

    // Whether any run watched so far is still running, and whether one was
    // seen running (or started) while watched: `runlens watch --until-done`
    // waits for the training it was started beside, not for none to exist.
    bool anyRunning() const { return running_ > 0; }
    bool sawRunning() const { return sawRunning_; }
    int watchedCount() const { return int(seen_.size()); }

    // The metrics watched in `table` under `rules`.
    static bool watchesMetric(const WatchRules& rules, const QString& key);

    void setRules(const WatchRules& rules) { rules_ = rules; }
    const WatchRules& rules() const { return rules_; }

private:
    struct Seen {
        RunStatus status = RunStatus::Running;
        // Per metric, what it has logged so far: 1 a NaN, 2 an infinity. A
        // point is caught by the summaries (NaN count, min and max), not by
        // the last value alone: a NaN at one step between two reads counts.
        QHash<QString, int> nonFinite;
        bool crashReported = false; // a heartbeat that comes and goes is one crash
        bool baseline = false; // first seen after it began: its state now is not news
        // `status` is the run's status at the last look (it was in the store,
        // not matching): a change from it happened since, and is news.
        bool statusKnown = false;
    };
    WatchRules rules_;
    QHash<QString, Seen> seen_; // by run id: once watched, watched until it ends
    QHash<QString, RunStatus> known_; // every run of the store at the last update
    bool primed_ = false;
    bool sawRunning_ = false;
    int running_ = 0;
};

} // namespace runlens
