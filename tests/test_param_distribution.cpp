// SPDX-License-Identifier: GPL-3.0-or-later
// A metric's distribution over a param's values: box numbers against
// hand-computed quartiles and whiskers, the order of groups (numbers
// numerically, text naturally, missing last), the bound on groups (quantile
// bins for continuous numbers, "other" for rare text), a config's seeds in
// one lane, Welch's test the same as the Seeds view's, missing and
// non-finite values left out and counted, seeds and labels never grouping,
// and the two-param heat map with its empty cells said, not filled in.
#include "param_distribution.h"
#include "seed_statistics.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <optional>

using namespace runlens;

namespace {

struct Table {
    RunTable t;
    std::vector<int> rows;

    // No value: the run logs no m at all.
    int add(std::optional<double> metric)
    {
        const QString id = QStringLiteral("r%1").arg(t.rowCount());
        const int row = t.addRun(id, id, QStringLiteral("e"), RunStatus::Finished, t.rowCount(), t.rowCount() + 1);
        if (metric)
            t.setMetric(row, QStringLiteral("m"), *metric, *metric, *metric, 1, 0);
        rows.push_back(row);
        return row;
    }
    void num(int row, const QString& key, double v) { t.setParam(row, key, QString::number(v), v); }
    void text(int row, const QString& key, const QString& v) { t.setParam(row, key, v, std::nullopt); }
};

QStringList labels(const std::vector<DistributionGroup>& groups)
{
    QStringList out;
    for (const auto& g : groups)
        out << g.label;
    return out;
}

std::vector<double> valuesOf(const DistributionGroup& g)
{
    std::vector<double> out;
    for (const auto& p : g.points)
        out.push_back(p.value);
    return out;
}

} // namespace

class TestParamDistribution : public QObject {
    Q_OBJECT

private slots:
    void quartilesAndWhiskersByHand()
    {
        // n = 9: type 7 puts Q1, median, Q3 on order statistics 3, 5, 7.
        // IQR 4: fences -3 and 13, so 100 is an outlier and the upper whisker stops at 8.
        const BoxStats b = boxStats({100, 5, 1, 8, 2, 7, 3, 6, 4});
        QCOMPARE(b.n, 9);
        QCOMPARE(b.q1, 3.0);
        QCOMPARE(b.median, 5.0);
        QCOMPARE(b.q3, 7.0);
        QCOMPARE(b.lowerWhisker, 1.0);
        QCOMPARE(b.upperWhisker, 8.0);
        QCOMPARE(b.outliers, std::vector<double>{100});
        // The fence is exactly 1.5 IQR above Q3 (13): 12.5 is inside it, 13.5 beyond.
        QCOMPARE(boxStats({1, 2, 3, 4, 5, 6, 7, 8, 12.5}).upperWhisker, 12.5);
        QVERIFY(boxStats({1, 2, 3, 4, 5, 6, 7, 8, 12.5}).outliers.empty());
        QCOMPARE(boxStats({1, 2, 3, 4, 5, 6, 7, 8, 13.5}).upperWhisker, 8.0);
        QCOMPARE(boxStats({1, 2, 3, 4, 5, 6, 7, 8, 13.5}).outliers, std::vector<double>{13.5});
        // n = 4, between order statistics: h = 0.75, 1.5, 2.25.
        const BoxStats c = boxStats({4, 3, 2, 1});
        QCOMPARE(c.q1, 1.75);
        QCOMPARE(c.median, 2.5);
        QCOMPARE(c.q3, 3.25);
        QCOMPARE(c.lowerWhisker, 1.0);
        QCOMPARE(c.upperWhisker, 4.0);
        QVERIFY(c.outliers.empty());
        // A low outlier too: {-20, 10, 11, 12, 13}: Q1 11, Q3 12, fences 9.5 and 13.5.
        const BoxStats d = boxStats({12, -20, 10, 13, 11});
        QCOMPARE(d.lowerWhisker, 10.0);
        QCOMPARE(d.outliers, std::vector<double>{-20});
        QCOMPARE(boxStats({7}).median, 7.0);
        QVERIFY(std::isnan(boxStats({}).median));
    }

    void groupsInTheParamsOrder()
    {
        Table s;
        const double lrs[] = {10, 2, 0.5, 2, 10, 0.5};
        const char* names[] = {"b", "a10", "a2", "b", "a10", "a2"};
        for (int i = 0; i < 6; ++i) {
            const int r = s.add(i);
            s.num(r, QStringLiteral("lr"), lrs[i]);
            s.text(r, QStringLiteral("opt"), QString::fromLatin1(names[i]));
        }
        const int late = s.add(9);   // without opt
        s.num(late, QStringLiteral("lr"), 2);
        const auto byLr = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("lr"));
        QVERIFY(byLr.warning.isEmpty());
        QVERIFY(byLr.numeric);
        QCOMPARE(labels(byLr.groups), (QStringList{QStringLiteral("0.5"), QStringLiteral("2"), QStringLiteral("10")}));
        QCOMPARE(byLr.groups[1].box.n, 3);
        QCOMPARE(byLr.groups[1].stats.mean, (1.0 + 3.0 + 9.0) / 3);
        const auto byOpt = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("opt"));
        QVERIFY(!byOpt.numeric);
        QCOMPARE(labels(byOpt.groups), (QStringList{QStringLiteral("a2"), QStringLiteral("a10"), QStringLiteral("b"),
                                                    QStringLiteral("(missing)")}));
        QCOMPARE(byOpt.groups.back().kind, DistributionGroup::Kind::Missing);
        QCOMPARE(byOpt.groups.back().points.front().row, late);
        // Points ascend within a group, so the box and the dots read the same way up.
        QCOMPARE(valuesOf(byOpt.groups[2]), (std::vector<double>{0, 3}));
    }

    void boundedGroups()
    {
        // 40 runs, lr log-uniform, a different value each: quantile bins of
        // equal counts, in order, within the bound.
        Table s;
        for (int i = 0; i < 40; ++i) {
            const int r = s.add(i);
            s.num(r, QStringLiteral("lr"), std::pow(10.0, -5 + 4 * ((i * 7) % 40) / 40.0));
            // 24 optimizers: "opt0" in 12 runs, "opt1" in 6, the rest in 1 each.
            const int o = i < 12 ? 0 : i < 18 ? 1 : i - 16;
            s.text(r, QStringLiteral("optim"), QStringLiteral("opt%1").arg(o));
        }
        const auto lr = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("lr"));
        QVERIFY(lr.binned);
        QCOMPARE(int(lr.groups.size()), 6);   // sqrt(40): a box needs a handful of runs
        for (const auto& g : lr.groups) {
            QCOMPARE(g.kind, DistributionGroup::Kind::Bin);
            QVERIFY(g.box.n >= 6 && g.box.n <= 7);
            QVERIFY2(g.label.contains(QStringLiteral(" – ")), qPrintable(g.label));
        }
        // Bins ascend and do not overlap.
        const ValueColumn& lrColumn = *s.t.param(QStringLiteral("lr"));
        double below = -1;
        for (const auto& g : lr.groups) {
            double lo = INFINITY, hi = -INFINITY;
            for (const auto& p : g.points) {
                lo = std::min(lo, lrColumn.number[size_t(p.row)]);
                hi = std::max(hi, lrColumn.number[size_t(p.row)]);
            }
            QVERIFY(lo > below);
            below = hi;
        }
        const auto lrSmall = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("lr"), 4);
        QCOMPARE(int(lrSmall.groups.size()), 4);

        const auto optim = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("optim"));
        QCOMPARE(int(optim.groups.size()), kMaxDistributionGroups);
        // 24 values: the 11 most common keep a group (opt0, opt1, then opt2..opt10 in natural order), 13 share "other".
        QCOMPARE(optim.groups[0].label, QStringLiteral("opt0"));
        QCOMPARE(optim.groups[0].box.n, 12);
        QCOMPARE(optim.groups[1].label, QStringLiteral("opt1"));
        QCOMPARE(optim.groups[2].label, QStringLiteral("opt2"));
        QCOMPARE(optim.groups.back().kind, DistributionGroup::Kind::Other);
        QCOMPARE(optim.groups.back().label, QStringLiteral("other (13 values)"));
        QCOMPARE(optim.groups.back().box.n, 13);
        QVERIFY(optim.groups.back().detail.contains(QStringLiteral("opt23")));
        int total = 0;
        for (const auto& g : optim.groups)
            total += g.box.n;
        QCOMPARE(total, 40);
    }

    void aConfigsSeedsShareALane()
    {
        // lr x width x 3 seeds: each lr group holds two configs of three seeds.
        Table s;
        for (double lr : {0.1, 0.01})
            for (int width : {32, 64})
                for (int seed : {1, 2, 3}) {
                    const int r = s.add(lr * 10 + width / 32.0 + seed * 0.01);
                    s.num(r, QStringLiteral("lr"), lr);
                    s.num(r, QStringLiteral("width"), width);
                    s.num(r, QStringLiteral("seed"), seed);
                }
        const auto d = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("lr"));
        QCOMPARE(int(d.groups.size()), 2);
        for (const auto& g : d.groups) {
            QHash<int, double> laneOf;
            for (const auto& p : g.points) {
                QCOMPARE(p.repeats, 3);
                QVERIFY(p.offset >= -0.5 && p.offset <= 0.5);
                if (laneOf.contains(p.config))
                    QCOMPARE(p.offset, laneOf.value(p.config));
                laneOf.insert(p.config, p.offset);
            }
            QCOMPARE(laneOf.size(), 2);
            QVERIFY(laneOf.values()[0] != laneOf.values()[1]);
        }
        // The same answer every time: offsets come from no random generator.
        const auto again = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("lr"));
        QCOMPARE(again.groups[1].points[4].offset, d.groups[1].points[4].offset);
    }

    void welchAsTheSeedsView()
    {
        Table s;
        const double a[] = {0.80, 0.82, 0.79, 0.85, 0.81};
        const double b[] = {0.70, 0.74, 0.69, 0.72};
        for (double v : a)
            s.num(s.add(v), QStringLiteral("opt"), 1);
        for (double v : b)
            s.num(s.add(v), QStringLiteral("opt"), 2);
        const auto d = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("opt"));
        const WelchTest ours = compareGroups(d.groups[0], d.groups[1]);
        const WelchTest seeds = welchTTest(sampleStats({std::begin(a), std::end(a)}), sampleStats({std::begin(b), std::end(b)}));
        QVERIFY(ours.valid);
        QCOMPARE(ours.t, seeds.t);
        QCOMPARE(ours.df, seeds.df);
        QCOMPARE(ours.p, seeds.p);
        QVERIFY(ours.p < 0.001);
        QCOMPARE(welchText(ours), welchText(seeds));
        QCOMPARE(d.groups[0].stats.n, 5);
        QCOMPARE(d.groups[0].stats.mean, sampleStats({std::begin(a), std::end(a)}).mean);
    }

    void nonFiniteAndMissingLeftOut()
    {
        Table s;
        const double inf = std::numeric_limits<double>::infinity();
        for (double v : {1.0, 2.0, std::nan(""), inf, -inf, 3.0})
            s.num(s.add(v), QStringLiteral("lr"), 0.1);
        const int without = s.add(std::nullopt);
        s.t.setMetric(without, QStringLiteral("other"), 1, 1, 1, 1, 0);
        s.num(without, QStringLiteral("lr"), 0.2);
        const auto d = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("lr"));
        QCOMPARE(d.runs, 3);
        QCOMPARE(d.leftOut, 4);
        QCOMPARE(int(d.groups.size()), 1);   // lr = 0.2 only had a run without m
        QCOMPARE(d.groups[0].box.n, 3);
        QCOMPARE(d.groups[0].box.median, 2.0);
        const auto none = paramDistribution(s.t, s.rows, QStringLiteral("nosuch"), QStringLiteral("lr"));
        QVERIFY(none.groups.empty());
        QVERIFY(none.warning.contains(QStringLiteral("no metric nosuch")));
    }

    void seedsAndLabelsNeverGroup()
    {
        Table s;
        for (int i = 0; i < 8; ++i) {
            const int r = s.add(i);
            s.num(r, QStringLiteral("lr"), i % 2 ? 0.1 : 0.01);
            s.num(r, QStringLiteral("seed"), i);
            s.num(r, QStringLiteral("data.seed"), i * 3);
            s.num(r, QStringLiteral("init_seed"), i * 5);
            s.text(r, QStringLiteral("run_name"), QStringLiteral("trial-%1").arg(i));
            s.num(r, QStringLiteral("epochs"), 10);
            s.text(r, QStringLiteral("optimizer"), i < 4 ? QStringLiteral("adam") : QStringLiteral("sgd"));
        }
        QCOMPARE(distributionParams(s.t, s.rows), (QStringList{QStringLiteral("lr"), QStringLiteral("optimizer")}));
        const auto bySeed = paramDistribution(s.t, s.rows, QStringLiteral("m"), QStringLiteral("seed"));
        QVERIFY(bySeed.groups.empty());
        QVERIFY2(bySeed.warning.contains(QStringLiteral("a seed")), qPrintable(bySeed.warning));
        const auto heat = paramHeatMap(s.t, s.rows, QStringLiteral("m"), QStringLiteral("lr"), QStringLiteral("data.seed"));
        QVERIFY(heat.cells.empty());
        QVERIFY(heat.warning.contains(QStringLiteral("a seed")));
    }

    void heatMapSaysWhereNoRunIs()
    {
        // opt x lr with no run at (sgd, 0.1): that cell is empty, not a blend of its neighbours.
        Table s;
        struct Run { const char* opt; double lr; double m; };
        const Run runs[] = {{"adam", 0.01, 0.9}, {"adam", 0.01, 0.8}, {"adam", 0.1, 0.5}, {"sgd", 0.01, 0.6},
                            {"sgd", 0.01, 0.7}, {"sgd", 0.01, 0.8}};
        for (const Run& r : runs) {
            const int row = s.add(r.m);
            s.text(row, QStringLiteral("opt"), QString::fromLatin1(r.opt));
            s.num(row, QStringLiteral("lr"), r.lr);
        }
        const ParamHeatMap h = paramHeatMap(s.t, s.rows, QStringLiteral("m"), QStringLiteral("opt"), QStringLiteral("lr"));
        QVERIFY(h.warning.isEmpty());
        QCOMPARE(labels(h.x), (QStringList{QStringLiteral("adam"), QStringLiteral("sgd")}));
        QCOMPARE(labels(h.y), (QStringList{QStringLiteral("0.01"), QStringLiteral("0.1")}));
        QCOMPARE(h.cells.size(), size_t(4));
        QCOMPARE(h.at(0, 0).n, 2);
        QVERIFY(std::abs(h.at(0, 0).mean - 0.85) < 1e-12);
        QCOMPARE(h.at(1, 0).n, 3);
        QVERIFY(std::abs(h.at(1, 0).mean - 0.7) < 1e-12);
        QCOMPARE(h.at(0, 1).n, 1);
        QCOMPARE(h.at(0, 1).mean, 0.5);
        QCOMPARE(h.at(1, 1).n, 0);
        QVERIFY(std::isnan(h.at(1, 1).mean));
        QCOMPARE(h.emptyCells, 1);
        QCOMPARE(h.minMean, 0.5);
        QVERIFY(std::abs(h.maxMean - 0.85) < 1e-12);
        QVERIFY(paramHeatMap(s.t, s.rows, QStringLiteral("m"), QStringLiteral("lr"), QStringLiteral("lr"))
                    .warning.contains(QStringLiteral("two different")));
    }
};

QTEST_GUILESS_MAIN(TestParamDistribution)
#include "test_param_distribution.moc"
