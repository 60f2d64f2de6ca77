// SPDX-License-Identifier: GPL-3.0-or-later
// Which params matter for a metric over a set of runs. Per param:
//  - a correlation: Spearman's rho for numeric params (ties get average
//    ranks), Kruskal-Wallis epsilon-squared for categorical ones;
//  - an importance, fANOVA-style: the share of the variance of the metric's
//    ranks that the param's main effect explains, from an additive model
//    of the ranks with one step function per param (numeric params cut
//    into quantile bins, categorical ones by value), fitted together by
//    least squares, less the share its bins would explain by chance, so a
//    param with no effect reads near 0. Bins are coarsened (to 3) when the
//    runs are few for the params; fewer still (under 4 runs per column),
//    each param is judged alone (its omega-squared), and `method` says so.
// Everything works on ranks: a log-scale param (lr), a skewed metric or an
// outlier run changes nothing, and the answer is the same for loss and
// log(loss). Deterministic: the same rows give the same numbers and order.
//
// What it leaves out: interactions (what two params do together beyond
// their sum stays in the residual), and two params varied together in
// lockstep (not a grid or a random search) share their effect between them
// as a regression would; params that split the runs identically (lr and
// log_lr) get the same share each.
#pragma once

#include "run_table.h"
#include "seed_keys.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace runlens {

// Below this many runs the estimates are noise-prone and say so.
inline constexpr int kImportanceMinRuns = 20;

struct ParamImportance {
    enum class Kind { Numeric, Categorical };
    QString key;                 // the param's key, without "params."
    Kind kind = Kind::Numeric;
    int runs = 0;                // runs with both the metric and this param
    int groups = 0;              // quantile bins (numeric) or distinct values (categorical)
    double correlation = 0;      // Spearman's rho in [-1, 1], or epsilon-squared in [0, 1]
    double importance = 0;       // share of the metric's rank variance, [0, 1]
    QString warning;             // set when `runs` < kImportanceMinRuns
};

struct SkippedParam {
    QString key;
    QString reason;              // "a seed", "the same in every run", ...
};

struct ImportanceResult {
    QString metric;
    int runs = 0;                // rows with a finite metric value
    int leftOut = 0;             // rows whose metric is missing, NaN or infinite
    std::vector<ParamImportance> params;   // most important first
    std::vector<SkippedParam> skipped;     // params that do not count, and why
    QString warning;             // set when `runs` < kImportanceMinRuns, or none has the metric
    // How the importances were found: "all params fitted together", or
    // each alone when the runs are too few for a joint fit (then a param
    // varied in lockstep with another that matters borrows its effect).
    QString method;
};

// `metric` is a metric key (its last value), or KEY.min / KEY.max. Params
// that never count: seed keys, params the same in every run (or in all but
// missing ones), and labels: text with a different value in every run
// (ids, names, paths).
ImportanceResult paramImportance(const RunTable& table, const std::vector<int>& rows, const QString& metric,
                                 const QStringList& seedKeys = defaultSeedKeys());

// "rho" or "eps²": what `correlation` is for this kind.
QString correlationName(ParamImportance::Kind kind);
QString kindName(ParamImportance::Kind kind);

namespace importance_detail {
// Ranks 1..n of `values` with ties given their average rank (exposed for tests and the benchmark).
std::vector<double> averageRanks(const std::vector<double>& values);
// Pearson's r of two equally long samples; 0 when either has no variance.
double pearson(const std::vector<double>& a, const std::vector<double>& b);
} // namespace importance_detail

} // namespace runlens
