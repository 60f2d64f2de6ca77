// SPDX-License-Identifier: GPL-3.0-or-later
// Everything recorded about one run, as `runlens show` and the details panel
// present it. Loaded on demand, one run at a time.
#pragma once

#include "run_table.h"

#include <QSet>
#include <QString>

#include <cmath>

#include <optional>
#include <utility>
#include <vector>

namespace runlens {

using KeyValues = std::vector<std::pair<QString, QString>>; // sorted by key

struct ParamValue {
    QString key;
    QString type; // int, float, bool, string, json (a null is json "null")
    QString value;
};

// Adds the params of `more` whose keys `params` lacks: where a run's params
// come from several files, the first one read wins.
inline void addMissingParams(std::vector<ParamValue>& params, const std::vector<ParamValue>& more)
{
    QSet<QString> keys;
    for (const auto& p : params)
        keys.insert(p.key);
    for (const auto& p : more)
        if (!keys.contains(p.key)) {
            keys.insert(p.key);
            params.push_back(p);
        }
}

struct MetricSummary {
    QString key;
    int64_t count = 0;
    int64_t firstStep = 0;
    int64_t lastStep = 0;
    double last = 0, min = 0, max = 0; // min/max NaN when every value was NaN
    // Over the values that are not NaN; NaN when there are none, or when the
    // store does not know (a store written before it kept the sum).
    double mean = NAN;
    int64_t nanCount = 0;
};

struct GitRecord {
    bool present = false;
    QString repoPath, commit, branch, remote, diff;
    bool dirty = false;
    // Whether the working tree's state was recorded at all: other tools record
    // a commit but not uncommitted changes ("not recorded", not "no").
    bool dirtyRecorded = true;
    bool diffTruncated = false;

    // "yes", "no" or "not recorded".
    QString dirtyText() const
    {
        return !dirtyRecorded ? QStringLiteral("not recorded") : dirty ? QStringLiteral("yes") : QStringLiteral("no");
    }
};

struct ArtifactRecord {
    QString path, uri, sha256;
    int64_t size = -1;
};

// One edit of the run made after it ran (core/notebook), as its history
// keeps it: who, when, which field ("name", "notes", "hypothesis", "tag",
// "deleted") and the values before and after (none: empty, or no such tag).
struct RunEvent {
    QString runId;
    int64_t time = 0; // ms since epoch
    QString user;
    QString field;
    QString key; // the tag's
    std::optional<QString> before, after;
};

struct RunDetails {
    QString id, name, experiment, parentId, notes, hypothesis, reproHash, host;
    RunStatus status = RunStatus::Running;
    int64_t startTime = 0, endTime = -1, heartbeat = 0; // ms since epoch; endTime -1 while running
    int64_t pid = 0;
    std::vector<ParamValue> params;
    KeyValues configs; // name -> original JSON
    KeyValues tags;
    std::vector<MetricSummary> metrics;
    GitRecord git;
    KeyValues dataVersions;
    KeyValues environment;
    std::vector<ArtifactRecord> artifacts;
    std::vector<RunEvent> events; // oldest first
};

} // namespace runlens
