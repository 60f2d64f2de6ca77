// SPDX-License-Identifier: GPL-3.0-or-later
// Derived metrics as the window computes them: every refresh of N runs adds
// "metrics.m0 - metrics.m1" as a column (on the GUI thread, as the merged
// table is built), and a curve of it is computed per step from two series of
// 1,000,000 points logged at different steps (every step and every 10th).
// Baselines: the same difference written as a plain loop over the two
// columns, and over the two series aligned by hand (the fairest simple code a
// reader would write). Mean and worst of 10.
//
//   build/bin/bench_derived_metrics
#include "bench_timer.h"

#include "derived_metrics.h"
#include "metric_expression.h"
#include "run_table.h"

#include <cmath>
#include <cstdio>

using namespace runlens;
using namespace runlens::bench;

namespace {

RunTable makeTable(int runs)
{
    RunTable t;
    for (int r = 0; r < runs; ++r) {
        t.addRun(QStringLiteral("id%1").arg(r), QStringLiteral("run-%1").arg(r), QStringLiteral("e"), RunStatus::Finished, r, r + 1);
        for (int m = 0; m < 20; ++m) {
            const double v = 0.8 + 0.001 * ((r * 7 + m) % 50);
            t.setMetric(r, QStringLiteral("m%1").arg(m), v, v, v, 100, 99);
        }
    }
    t.sortColumns();
    return t;
}

MetricSeries makeSeries(int64_t points, int64_t every)
{
    MetricSeries s;
    for (int64_t i = 0; i < points; ++i) {
        s.steps.push_back(i * every);
        s.wallTimes.push_back(double(i));
        s.values.push_back(1.0 / double(i + 1));
    }
    return s;
}

} // namespace

int main()
{
    const std::vector<DerivedMetric> gap{{QStringLiteral("gap"), QStringLiteral("metrics.m0 - metrics.m1")}};
    for (int runs : {1000, 10000, 100000}) {
        const RunTable t = makeTable(runs);
        FrameTimes derived, plain;
        double sink = 0;
        for (int i = 0; i < 10; ++i) {
            RunTable copy = t;   // as each refresh builds a new table (the copy is not timed)
            const Stopwatch watch;
            addDerivedMetrics(copy, gap);
            derived.add(watch.seconds() * 1000);
            sink += copy.metric(QStringLiteral("gap"))->last[0];

            const Stopwatch loop;
            const MetricColumn& a = *t.metric(QStringLiteral("m0"));
            const MetricColumn& b = *t.metric(QStringLiteral("m1"));
            std::vector<double> out(size_t(runs), NAN);
            for (size_t r = 0; r < out.size(); ++r)
                if (a.has(int(r)) && b.has(int(r)))
                    out[r] = a.last[r] - b.last[r];
            plain.add(loop.seconds() * 1000);
            sink += out[0];
        }
        reportFrames(qPrintable(QStringLiteral("derived column over %1 runs").arg(runs)), derived,
                     "a plain loop over the two columns", plain);
        if (std::isnan(sink))
            std::printf("(nan)\n");
    }

    // Per step: train every step, val every 10th; 1 M points each.
    RunTable one = makeTable(1);
    one.setMetric(0, QStringLiteral("train"), 0, 0, 1, 1000000, 999999);
    one.setMetric(0, QStringLiteral("val"), 0, 0, 1, 1000000, 9999990);
    const auto train = std::make_shared<const MetricSeries>(makeSeries(1000000, 1));
    const auto val = std::make_shared<const MetricSeries>(makeSeries(1000000, 10));
    const MetricExpression expression(QStringLiteral("metrics.val - metrics.train"));
    FrameTimes curve, aligned;
    size_t points = 0;
    for (int i = 0; i < 10; ++i) {
        const Stopwatch watch;
        auto s = expression.evaluateSeries(one, 0, nullptr, [&](const QString& key) -> Result<std::shared_ptr<const MetricSeries>> {
            return key == QLatin1String("val") ? val : train;
        });
        curve.add(watch.seconds() * 1000);
        points = s ? s->size() : 0;

        // By hand: both sorted by step already, one merge walk.
        const Stopwatch loop;
        std::vector<double> out;
        size_t j = 0;
        for (size_t k = 0; k < val->size(); ++k) {
            while (j < train->size() && train->steps[j] < val->steps[k])
                ++j;
            if (j < train->size() && train->steps[j] == val->steps[k])
                out.push_back(val->values[k] - train->values[j]);
        }
        aligned.add(loop.seconds() * 1000);
        points += out.size() - out.size();
    }
    std::printf("curve of metrics.val - metrics.train: %zu points on the shared steps\n", points);
    reportFrames("derived curve, 1 M + 1 M points", curve, "a hand-written merge of the two sorted series", aligned);
    return 0;
}
