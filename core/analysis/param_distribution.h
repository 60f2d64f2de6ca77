// SPDX-License-Identifier: GPL-3.0-or-later
// How a metric is distributed over a param's values (MLflow's box and
// contour plots, answered honestly): the runs grouped by the param, per
// group a box plot's numbers (median, quartiles, Tukey's whiskers,
// outliers), mean and SD, and every run with its value so each can be
// drawn as a dot; Welch's t-test between two groups, the same test the
// Seeds view runs (sample_statistics); and a two-param grid of the
// metric's mean and count per cell, where a cell no run reached says so
// rather than borrowing from its neighbours.
//
// Groups are bounded so that a plot stays readable:
//  - a grid of numbers (lr in {1e-4, 3e-4, 1e-3}, batch sizes) keeps a
//    group per value, in numeric order;
//  - a continuous numeric param (lr drawn log-uniformly, one value per run)
//    is cut into quantile bins: equal numbers of runs per bin whatever the
//    scale, where equal-width bins would leave a log-scale range in one bin;
//    equal values always share a bin;
//  - text with many values keeps its most common ones (ties in natural
//    order) and folds the rest into one "other" group, last;
//  - runs without the param form a group "(missing)", after the others.
// Runs whose metric is missing, NaN or infinite are left out and counted.
// Seeds never group (defaultSeedKeys()), nor do per-run labels.
//
// Threading: pure functions of a read-only table; call from any thread.
#pragma once

#include "run_table.h"
#include "sample_statistics.h"
#include "seed_keys.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace runlens {

// At most this many groups a box plot shows (a value or a bin each, "other"
// and "(missing)" included); a heat map's axes take fewer (cells need room
// for their text).
inline constexpr int kMaxDistributionGroups = 12;
inline constexpr int kMaxHeatMapGroups = 10;

// One run in a group: its table row, the metric's value, and where to draw
// it across the group's width. Runs that differ only by their seed (one
// config) share a lane, so a config's seeds stand in one column and the
// spread between configs reads apart from the seed noise within one.
struct DistributionPoint {
    int row = -1;
    double value = 0;
    double offset = 0;   // in [-0.5, 0.5] of the group's width; deterministic
    int config = 0;      // index of the run's seed group among all runs here
    int repeats = 1;     // runs in that seed group (1: no other seed of its config)
};

// Tukey's box: quartiles by linear interpolation between order statistics
// (R's type 7, NumPy's default), whiskers at the furthest values within
// 1.5 IQR of the box, values beyond them outliers.
struct BoxStats {
    int n = 0;
    double q1 = 0, median = 0, q3 = 0;
    double lowerWhisker = 0, upperWhisker = 0;
    std::vector<double> outliers;   // ascending
};

BoxStats boxStats(std::vector<double> values);

struct DistributionGroup {
    QString label;          // "0.001", "adam", "1e-5 – 3e-5" (a bin), "other (7 values)", "(missing)"
    QString detail;         // what the group holds, for a tooltip: every value of a bin or of "other"
    enum class Kind { Value, Bin, Other, Missing };
    Kind kind = Kind::Value;
    std::vector<DistributionPoint> points;   // ascending by value
    BoxStats box;
    SampleStats stats;      // n, mean, SD, min, max: what Welch's test reads
};

struct ParamDistribution {
    QString metric, param;
    bool numeric = true;    // every present value of the param reads as a number
    bool binned = false;    // numeric values cut into quantile bins
    int runs = 0;           // runs with a finite metric value
    int leftOut = 0;        // runs whose metric is missing, NaN or infinite
    std::vector<DistributionGroup> groups;
    QString warning;        // no such metric or param, a seed, no finite value
};

// `metric` as paramImportance takes it (KEY, KEY.min, KEY.max); `param` a
// param key without "params.". `maxGroups` bounds the groups (at least 3).
ParamDistribution paramDistribution(const RunTable& table, const std::vector<int>& rows, const QString& metric,
                                    const QString& param, int maxGroups = kMaxDistributionGroups,
                                    const QStringList& seedKeys = defaultSeedKeys());

// Welch's t-test of group a against group b, exactly as the Seeds view tests
// two seed groups (welchTTest of their sampleStats).
WelchTest compareGroups(const DistributionGroup& a, const DistributionGroup& b);

// The params a distribution can group by over these rows: those that vary,
// in the table's (natural) order, without seeds and per-run labels (text
// with a different value in every run that has it).
QStringList distributionParams(const RunTable& table, const std::vector<int>& rows,
                               const QStringList& seedKeys = defaultSeedKeys());

// A cell of the two-param grid: the metric's mean over its runs; no mean
// where no run is (n == 0), never an interpolation.
struct HeatMapCell {
    int n = 0;
    double mean = 0;   // NaN when n == 0
    double sd = 0;
};

struct ParamHeatMap {
    QString metric, paramX, paramY;
    std::vector<DistributionGroup> x, y;   // each axis's groups (their points: the runs in that column or row)
    std::vector<HeatMapCell> cells;        // row-major by y: cells[yi * x.size() + xi]
    int runs = 0, leftOut = 0;
    int emptyCells = 0;
    double minMean = 0, maxMean = 0;       // over non-empty cells (NaN when none)
    QString warning;

    const HeatMapCell& at(size_t xi, size_t yi) const { return cells[yi * x.size() + xi]; }
};

ParamHeatMap paramHeatMap(const RunTable& table, const std::vector<int>& rows, const QString& metric,
                          const QString& paramX, const QString& paramY, int maxGroups = kMaxHeatMapGroups,
                          const QStringList& seedKeys = defaultSeedKeys());

} // namespace runlens
