// SPDX-License-Identifier: GPL-3.0-or-later
// Promotion rules as the window checks them on every refresh: each run of a
// table of N runs (50 params, 20 metrics, 3 seeds per config, 5 experiments,
// a baseline each) against "metrics.m0 >= baseline.m0 + 0.005 and seeds >= 3
// and welch_p < 0.05" with a fresh context (seed groups computed anew), and,
// as the baseline, the same rule without its seed statistics: what a plain
// query over the baseline costs. Mean and worst of 10 checks.
//
//   build/bin/bench_promotion_rules
#include "bench_timer.h"

#include "promotion_rules.h"
#include "run_table.h"

#include <cstdio>

using namespace runlens;
using namespace runlens::bench;

namespace {

RunTable makeTable(int runs)
{
    RunTable t;
    for (int r = 0; r < runs; ++r) {
        const int config = r / 3;
        const QString experiment = QStringLiteral("exp-%1").arg(config % 5);
        t.addRun(QStringLiteral("id%1").arg(r), QStringLiteral("run-%1").arg(r), experiment, RunStatus::Finished, r, r + 1);
        t.setParam(r, QStringLiteral("seed"), QString::number(r % 3), r % 3);
        for (int p = 0; p < 49; ++p) {
            const int v = (config / (p + 1)) % 4;
            t.setParam(r, QStringLiteral("param_%1").arg(p), QString::number(v), v);
        }
        for (int m = 0; m < 20; ++m) {
            const double v = 0.8 + 0.001 * ((config * 7 + m) % 50) + 0.0005 * (r % 3);
            t.setMetric(r, QStringLiteral("m%1").arg(m), v, v, v, 100, 99);
        }
    }
    t.sortColumns();
    return t;
}

FrameTimes checkTimes(const RunTable& t, const std::vector<int>& baselines, const QString& rule)
{
    FrameTimes times;
    for (int i = 0; i < 10; ++i) {
        QueryContext context;   // anew, as each refresh makes one
        context.baselineRows = baselines;
        const Stopwatch watch;
        const RuleCheck check = checkPromotionRules(t, context, [&](int) { return rule; });
        times.add(watch.seconds() * 1000);
        if (!check.errors.empty())
            std::printf("rule error: %s\n", qPrintable(check.errors.front().second.describe()));
    }
    return times;
}

} // namespace

int main()
{
    const QString rule = QStringLiteral("metrics.m0 >= baseline.m0 + 0.005 and seeds >= 3 and welch_p < 0.05");
    const QString plain = QStringLiteral("metrics.m0 >= baseline.m0 + 0.005");
    for (int runs : {1000, 10000, 100000}) {
        const RunTable t = makeTable(runs);
        std::vector<int> baselines(static_cast<size_t>(runs));
        for (int r = 0; r < runs; ++r)
            baselines[size_t(r)] = (r / 3) % 5 * 3;   // the first run of its experiment
        std::printf("%d runs x 50 params x 20 metrics, 5 experiments with a baseline each\n", runs);
        reportFrames(qPrintable(QStringLiteral("rule with seeds and welch_p, %1 runs").arg(runs)), checkTimes(t, baselines, rule),
                     "the rule without seed statistics", checkTimes(t, baselines, plain));
    }
    return 0;
}
