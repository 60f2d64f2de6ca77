// SPDX-License-Identifier: GPL-3.0-or-later
// What a comparison report of runs says, decided once for every way it is
// written (HTML, PDF, the dialog's preview) and for tests: which metrics and
// params it shows, what differs against which baseline, which seed groups it
// lists, and what provenance every run shares. ui/report/ only lays it out;
// none of this knows about HTML.
#pragma once

#include "run_details.h"
#include "run_diff.h"
#include "run_table.h"
#include "seed_statistics.h"

#include <QStringList>

#include <optional>
#include <vector>

namespace runlens {

struct ReportContent {
    static constexpr int kMaxMetrics = 4;
    static constexpr int kMaxTableParams = 4;   // params that vary, as run table columns
    static constexpr size_t kMaxChartRuns = 60; // past that a chart is a blur (and its SVG tens of MB)

    std::vector<int> rows;  // in report order
    QStringList metrics;    // chosen, or losses and scores first
    QStringList tableParams; // params that vary across the runs, the first kMaxTableParams
    QStringList experiments; // of the runs, first seen first

    // What differs, metrics and the reproducibility hash left to their own sections.
    QStringList runNames;
    int baseline = 0;                      // index into runNames
    std::vector<ComparisonRow> differences;

    // Runs that differ only by seed, with the stats of each metric; empty
    // where seeds were not recorded or do not vary, or no group has two runs.
    struct SeedRow {
        QString label;
        int runs = 0;
        std::vector<SampleStats> stats; // per metric, in `metrics` order
    };
    std::vector<SeedRow> seedGroups;

    // Provenance as label/value facts: what every run shares, said once, and
    // what each run has of its own.
    using Fact = std::pair<QString, QString>;
    std::vector<Fact> sharedFacts;
    std::vector<std::vector<Fact>> ownFacts; // per run
    bool anyFacts = false;                   // false: nothing recorded at all

    // The metrics a report shows when none are chosen: losses and scores first.
    static QStringList defaultMetrics(const RunTable& table, const std::vector<int>& rows);

    // The runs a chart of `metric` draws: the first kMaxChartRuns that have it;
    // `having` counts them all.
    std::vector<int> chartRows(const RunTable& table, const QString& metric, int* having = nullptr) const;
};

// `details` are the runs' details in `rows` order (empty: no differences or
// provenance); `baseline` indexes them; `metrics` none: the defaults;
// `compare` what the differences include (other tools' tags left out by default).
ReportContent decideReportContent(const RunTable& table, const std::vector<int>& rows,
                                  const std::vector<RunDetails>& details, int baseline,
                                  const std::optional<QStringList>& metrics, const CompareOptions& compare = {});

// Long digests (sha256 of data files) as their first 12 characters, as git
// shows commits: a reader compares the start, and a table keeps its width.
QString shortDigests(QString text);

} // namespace runlens
