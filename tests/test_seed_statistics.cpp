// SPDX-License-Identifier: GPL-3.0-or-later
// Seed statistics: grouping runs that differ only by seed, sample statistics,
// and Welch's t-test against values worked out by hand and a published example.
#include "metric_priority.h"
#include "seed_statistics.h"

#include <QtTest>

using namespace runlens;

class TestSeedStatistics : public QObject {
    Q_OBJECT

private slots:
    void groupsRunsThatDifferOnlyBySeed()
    {
        RunTable t;
        int n = 0;
        for (double lr : {0.1, 0.01})
            for (int seed : {1, 2, 3}) {
                const int r = t.addRun(QStringLiteral("id%1").arg(n), QStringLiteral("r%1").arg(n), QStringLiteral("e"),
                                       RunStatus::Finished, n, n + 1);
                ++n;
                t.setParam(r, QStringLiteral("lr"), QString::number(lr), lr);
                t.setParam(r, QStringLiteral("seed"), QString::number(seed), seed);
                t.setParam(r, QStringLiteral("data.split_seed"), QString::number(seed * 7), seed * 7.0);
                t.setMetric(r, QStringLiteral("auc"), lr * 10 + seed * 0.01, 0, 1, 1, 0);
            }
        t.sortColumns();
        const auto groups = groupBySeed(t, {0, 1, 2, 3, 4, 5});
        QCOMPARE(groups.size(), size_t(2));
        QCOMPARE(groups[0].label, QStringLiteral("lr=0.1"));
        QCOMPARE(groups[0].rows, (std::vector<int>{0, 1, 2}));
        QCOMPARE(groups[1].rows, (std::vector<int>{3, 4, 5}));
        // With only "seed" as a seed key, the split seed separates the runs.
        QCOMPARE(groupBySeed(t, {0, 1, 2}, {QStringLiteral("seed")}).size(), size_t(3));
        QVERIFY(isSeedKey(QStringLiteral("model.seed"), defaultSeedKeys()));
        QVERIFY(!isSeedKey(QStringLiteral("seeds_per_batch"), defaultSeedKeys()));
        const auto values = metricValues(t, groups[0].rows, QStringLiteral("auc"));
        QCOMPARE(values.size(), size_t(3));
        const auto s = sampleStats(values);
        QCOMPARE(s.n, 3);
        QVERIFY(std::abs(s.mean - 1.02) < 1e-12);
        QVERIFY(std::abs(s.sd - 0.01) < 1e-12);
        QVERIFY(s.warning.isEmpty());
    }

    void groupsByOneParamPoolingTheRest()
    {
        RunTable t;
        const double lrs[] = {0.1, 0.01, 0.1, 0.001, NAN, 0.01};
        for (int i = 0; i < 6; ++i) {
            const int r = t.addRun(QStringLiteral("id%1").arg(i), QStringLiteral("r%1").arg(i), QStringLiteral("e"),
                RunStatus::Finished, i, i + 1);
            if (!std::isnan(lrs[i]))
                t.setParam(r, QStringLiteral("lr"), QString::number(lrs[i]), lrs[i]);
            t.setParam(r, QStringLiteral("batch"), QString::number(16 << i), 16 << i);
        }
        t.sortColumns();
        const auto groups = groupByParam(t, {0, 1, 2, 3, 4, 5}, QStringLiteral("lr"));
        QCOMPARE(groups.size(), size_t(4));
        QCOMPARE(groups[0].label, QStringLiteral("lr=0.001")); // numeric order, not text
        QCOMPARE(groups[1].rows, (std::vector<int>{1, 5}));
        QCOMPARE(groups[2].rows, (std::vector<int>{0, 2}));
        QCOMPARE(groups[3].label, QStringLiteral("lr missing"));
        QVERIFY(groupByParam(t, {0, 1}, QStringLiteral("nope")).empty());
        QVERIFY(lowerIsBetter(QStringLiteral("val/loss")));
        QVERIFY(lowerIsBetter(QStringLiteral("test_error_rate")));
        QVERIFY(lowerIsBetter(QStringLiteral("perplexity")));
        QVERIFY(!lowerIsBetter(QStringLiteral("val/accuracy")));
        QVERIFY(!lowerIsBetter(QStringLiteral("auc")));
    }

    void analysesReadASummaryBySuffix()
    {
        // seeds/importance/distributions --metric system/gpu.0.utilization_percent.mean
        RunTable t;
        for (int i = 0; i < 3; ++i)
            t.addRun(QStringLiteral("r%1").arg(i), QStringLiteral("r%1").arg(i), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        const QString util = QStringLiteral("system/gpu.0.utilization_percent");
        t.setMetric(0, util, 5, 0, 99, 10, 9, 61.5);
        t.setMetric(1, util, 5, 0, 98, 10, 9, 80);
        t.setMetric(2, util, 5, 0, 97, 10, 9, NAN);   // a store that did not keep the sum
        const std::vector<int> all{0, 1, 2};
        QCOMPARE(metricValues(t, all, util + QStringLiteral(".mean")), (std::vector<double>{61.5, 80}));
        QCOMPARE(metricValues(t, all, util + QStringLiteral(".max")), (std::vector<double>{99, 98, 97}));
        QCOMPARE(metricValues(t, all, util), (std::vector<double>{5, 5, 5}));
        QVERIFY(metricValues(t, all, util + QStringLiteral(".median")).empty());
        QCOMPARE(cutStatSuffix(QStringLiteral("a.b.mean"))->first, QStringLiteral("a.b"));
        QVERIFY(!cutStatSuffix(QStringLiteral("loss")));
    }

    void sampleStatisticsAndWarnings()
    {
        const auto s = sampleStats({2, 4, 4, 4, 5, 5, 7, 9, NAN});
        QCOMPARE(s.n, 8);
        QCOMPARE(s.mean, 5.0);
        QVERIFY(std::abs(s.sd - std::sqrt(32.0 / 7.0)) < 1e-12);   // sample SD
        QCOMPARE(s.min, 2.0);
        QCOMPARE(s.max, 9.0);
        QVERIFY(sampleStats({1.0, 2.0}).warning.contains(QStringLiteral("only 2 run(s)")));
        QCOMPARE(sampleStats({5.0}).sd, 0.0);
    }

    void welchByHand()
    {
        // {1,2,3} vs {4,5,6}: means 2 and 5, variances 1: t = -3/sqrt(2/3), df = 4.
        const auto w = welchTTest(sampleStats({1, 2, 3}), sampleStats({4, 5, 6}));
        QVERIFY(w.valid);
        QVERIFY(std::abs(w.t - (-3.0 / std::sqrt(2.0 / 3.0))) < 1e-12);
        QVERIFY(std::abs(w.df - 4.0) < 1e-12);
        // t-table, 4 df: t(0.025) = 2.776, t(0.01) = 3.747, so 0.02 < p < 0.05 with |t| = 3.674.
        QVERIFY2(w.p > 0.02 && w.p < 0.025, qPrintable(QString::number(w.p)));
    }

    void welchPublishedExample()
    {
        // Welch (1947)-style example from the Wikipedia article on Welch's t-test, example 1:
        // t = -2.46, df = 25.0, p = 0.021.
        const std::vector<double> a1 = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
        const std::vector<double> a2 = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
        const auto w = welchTTest(sampleStats(a1), sampleStats(a2));
        QVERIFY(w.valid);
        QVERIFY2(std::abs(w.t - (-2.46)) < 0.005, qPrintable(QString::number(w.t)));
        QVERIFY2(std::abs(w.df - 25.0) < 0.05, qPrintable(QString::number(w.df)));
        QVERIFY2(std::abs(w.p - 0.021) < 0.0015, qPrintable(QString::number(w.p)));
    }

    void welchRefusesTooLittleData()
    {
        QVERIFY(!welchTTest(sampleStats({1}), sampleStats({1, 2, 3})).valid);
        QVERIFY(!welchTTest(sampleStats({1, 1}), sampleStats({2, 2})).valid);
        const auto w = welchTTest(sampleStats({1, 2}), sampleStats({3, 4, 5}));
        QVERIFY(w.valid);
        QVERIFY(w.warning.contains(QStringLiteral("fewer than 3")));
    }
};

QTEST_GUILESS_MAIN(TestSeedStatistics)
#include "test_seed_statistics.moc"
