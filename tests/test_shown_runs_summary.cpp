// SPDX-License-Identifier: GPL-3.0-or-later
// The details panel's summary when nothing is selected: counts by experiment
// and status, the date range, the best runs by the metric people compare on
// first (lower is better for losses), the newest runs, stars.
#include "shown_runs_summary.h"

#include <QtTest>

#include <numeric>

using namespace runlens;

class TestShownRunsSummary : public QObject {
    Q_OBJECT

private slots:
    void countsRanksAndDates()
    {
        RunTable t;
        const int64_t day = 86400000;
        const RunStatus statuses[] = {RunStatus::Finished, RunStatus::Failed, RunStatus::Finished, RunStatus::Running,
                                      RunStatus::Finished, RunStatus::Finished, RunStatus::Crashed};
        for (int i = 0; i < 7; ++i) {
            const int r = t.addRun(QString::number(i), QStringLiteral("r%1").arg(i), i < 5 ? QStringLiteral("sweep") : QStringLiteral("probe"),
                                   statuses[i], 1700000000000LL + i * day, -1);
            // val/loss: lower is better; r4 best, r3 next; r6 has none; r2 is NaN.
            const double losses[] = {0.5, 0.4, NAN, 0.2, 0.1, 0.3, -1};
            if (i != 6)
                t.setMetric(r, QStringLiteral("val/loss"), losses[i], losses[i], losses[i], 10, 9);
            t.setMetric(r, QStringLiteral("train/acc"), 0.9, 0.1, 0.9, 10, 9);
        }
        t.setTag(1, kStarredTag, QStringLiteral("true"));
        std::vector<int> rows(7);
        std::iota(rows.begin(), rows.end(), 0);
        const auto s = ShownRunsSummary::of(t, rows, 3);
        QCOMPARE(s.runs, 7);
        QCOMPARE(s.experiments.size(), size_t(2));
        QCOMPARE(s.experiments[0], (std::pair<QString, int>{QStringLiteral("sweep"), 5}));
        QCOMPARE(s.statuses.size(), size_t(4));
        int finished = 0;
        for (const auto& [status, n] : s.statuses)
            if (status == RunStatus::Finished)
                finished = n;
        QCOMPARE(finished, 4);
        QCOMPARE(s.metric, QStringLiteral("val/loss"));   // validation before training, losses first
        QVERIFY(s.lowerIsBetter);
        QCOMPARE(s.best, (std::vector<int>{4, 3, 5}));
        QCOMPARE(s.newest, (std::vector<int>{6, 5, 4}));
        QCOMPARE(s.firstStart, 1700000000000LL);
        QCOMPARE(s.lastStart, 1700000000000LL + 6 * day);
        QCOMPARE(s.starred, 1);
        // Scores rank the other way.
        RunTable u;
        for (int i = 0; i < 3; ++i) {
            u.addRun(QString::number(i), QString::number(i), QStringLiteral("e"), RunStatus::Finished, i, -1);
            u.setMetric(i, QStringLiteral("val/auc"), 0.7 + i * 0.1, 0, 1, 1, 0);
        }
        const auto scores = ShownRunsSummary::of(u, std::vector<int>{0, 1, 2});
        QCOMPARE(scores.best, (std::vector<int>{2, 1, 0}));
        QCOMPARE(ShownRunsSummary::of(u, {}).runs, 0);
    }
};

QTEST_GUILESS_MAIN(TestShownRunsSummary)
#include "test_shown_runs_summary.moc"
