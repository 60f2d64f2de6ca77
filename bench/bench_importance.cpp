// SPDX-License-Identifier: GPL-3.0-or-later
// Parameter importance over 10,000 runs x 50 params (what the Importance tab
// computes on the GUI thread when it is shown or its metric changes),
// against a baseline of Spearman's rho alone for every param over the same
// table: the least any ranking of params must do (rank the metric, rank
// each param). Several repetitions: mean and worst.
#include "bench_timer.h"
#include "param_importance.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace runlens;
using namespace runlens::bench;

namespace {

// A sweep: 35 numeric params (continuous, log-scale and grids), 10
// categorical, 3 seeds and 2 labels; the metric depends on a few of them.
// `correlated`: the first 10 numeric params are noisy copies of one value,
// as in a sweep that scales width and depth together; the model's fit then
// takes the most sweeps to settle.
RunTable makeSweep(int runs, bool correlated = false)
{
    RunTable t;
    std::mt19937 rng(42);
    auto u = [&] { return double(rng() >> 5) / double(1u << 27); };
    std::vector<int> numeric, categorical, seeds, labels;
    for (int p = 0; p < 35; ++p)
        numeric.push_back(t.paramColumn(QStringLiteral("model.block_%1.hidden_size_or_rate").arg(p)));
    for (int p = 0; p < 10; ++p)
        categorical.push_back(t.paramColumn(QStringLiteral("optim.choice_%1").arg(p)));
    for (const char* s : {"seed", "data.seed", "init_seed"})
        seeds.push_back(t.paramColumn(QString::fromLatin1(s)));
    for (const char* s : {"run_name", "output_dir"})
        labels.push_back(t.paramColumn(QString::fromLatin1(s)));
    const int metric = t.metricColumn(QStringLiteral("val/auc"));
    for (int i = 0; i < runs; ++i) {
        const QString id = QStringLiteral("run-%1").arg(i);
        const int row = t.addRun(id, id, QStringLiteral("sweep"), RunStatus::Finished, i, i + 1);
        double y = 0;
        const double shared = u();
        for (size_t p = 0; p < numeric.size(); ++p) {
            double v = correlated && p < 10 ? std::clamp(shared + 0.05 * (u() - 0.5), 0.0, 0.999) : u();
            if (p % 3 == 1)
                v = std::pow(10.0, -6 + 5 * v);   // log-scale, like lr
            else if (p % 3 == 2)
                v = double(16 << int(v * 5));     // a grid, like batch size
            t.setParamAt(numeric[p], row, QString::number(v), v);
            if (p < 4)
                y += (4 - double(p)) * (p % 3 == 1 ? std::log10(v) / 5 : v / (p % 3 == 2 ? 256.0 : 1.0));
        }
        for (size_t p = 0; p < categorical.size(); ++p) {
            const int level = int(u() * double(3 + p % 6));
            t.setParamAt(categorical[p], row, QStringLiteral("option_%1").arg(level), std::nullopt);
            if (p == 0)
                y += 0.5 * level;
        }
        for (int s : seeds) {
            const double v = std::floor(u() * 1e6);
            t.setParamAt(s, row, QString::number(v), v);
        }
        for (int l : labels)
            t.setParamAt(l, row, QStringLiteral("/scratch/sweep/%1").arg(id), std::nullopt);
        y += 0.3 * u();
        t.setMetricAt(metric, row, y, y, y, 1, 0);
    }
    return t;
}

// Spearman's rho of every param against the metric and nothing else: the
// metric ranked once, each param ranked (text by its hash: an order, as a
// plain implementation would take), a Pearson of the ranks.
double spearmanOnly(const RunTable& t, const std::vector<int>& rows)
{
    const MetricColumn* m = t.metric(QStringLiteral("val/auc"));
    std::vector<double> y;
    for (int r : rows)
        y.push_back(m->last[size_t(r)]);
    const std::vector<double> ry = importance_detail::averageRanks(y);
    double sum = 0;
    std::vector<double> x(rows.size());
    for (const auto& c : t.params()) {
        for (size_t i = 0; i < rows.size(); ++i) {
            const auto r = size_t(rows[i]);
            x[i] = std::isfinite(c.number[r]) ? c.number[r] : double(qHash(c.text[r]));
        }
        sum += importance_detail::pearson(importance_detail::averageRanks(x), ry);
    }
    return sum;
}

} // namespace

int main()
{
    constexpr int kRuns = 10000;
    constexpr int kRepeats = 7;
    for (const bool correlated : {false, true}) {
        const RunTable table = makeSweep(kRuns, correlated);
        std::vector<int> rows(size_t(table.rowCount()));
        for (int i = 0; i < table.rowCount(); ++i)
            rows[size_t(i)] = i;
        std::printf("importance: %d runs x %zu params%s, %d repetitions each\n", kRuns, table.params().size(),
                    correlated ? " (10 params varied together)" : " (a random search)", kRepeats);
        FrameTimes ours, base;
        ImportanceResult result;
        double sink = 0;
        for (int k = 0; k < kRepeats; ++k) {
            Stopwatch a;
            result = paramImportance(table, rows, QStringLiteral("val/auc"));
            ours.add(a.seconds() * 1000);
            Stopwatch b;
            sink += spearmanOnly(table, rows);
            base.add(b.seconds() * 1000);
        }
        report("importance 10k x 50: mean", ours.mean(), "ms", "Spearman only, every param: mean", base.mean());
        report("importance 10k x 50: worst", ours.worst(), "ms", "Spearman only, every param: worst", base.worst());
        std::printf("ranked %zu params, skipped %zu (seeds, labels); top: %s %.3f, %s %.3f (checksum %.3f)\n",
                    result.params.size(), result.skipped.size(), qPrintable(result.params[0].key),
                    result.params[0].importance, qPrintable(result.params[1].key), result.params[1].importance, sink);
    }
    return 0;
}
