// SPDX-License-Identifier: GPL-3.0-or-later
// What a comparison report says, decided without any HTML: the params that
// vary, the differences against the baseline, the seed groups and the
// provenance every run shares.
#include "report_content.h"
#include "runlens/runlens.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <numeric>

using namespace runlens;

class TestReportContent : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<RunlensStoreReader> reader_;
    std::shared_ptr<const RunTable> table_;

    std::vector<int> rowsOf(std::initializer_list<const char*> names) const
    {
        std::vector<int> rows;
        for (const char* n : names)
            rows.push_back(table_->findRun(QString::fromLatin1(n)));
        return rows;
    }

    std::vector<RunDetails> detailsOf(const std::vector<int>& rows) const
    {
        std::vector<RunDetails> out;
        for (int r : rows)
            out.push_back(*reader_->loadDetails(table_->id(r)));
        return out;
    }

private slots:
    void initTestCase()
    {
        const QString store = dir_.filePath(QStringLiteral("sweep.db"));
        for (double lr : {0.1, 0.01})
            for (int seed = 1; seed <= 3; ++seed) {
                auto o = test::testRun(QStringLiteral("lr%1-s%2").arg(lr).arg(seed).toStdString());
                auto run = Run::start(store.toStdString(), o);
                run.logParam("lr", lr);
                run.logParam("seed", seed);
                run.logParam("epochs", 3);
                run.logDataVersion("train", "v3");
                run.logMetric("val/loss", lr + seed / 100.0, 0);
                run.logMetric("val/acc", 1 - lr - seed / 100.0, 0);
                run.finish();
            }
        reader_ = test::mustOpen(store);
        table_ = test::mustLoad(*reader_);
    }

    void tableParamsAndMetrics()
    {
        const auto rows = rowsOf({"lr0.1-s1", "lr0.1-s2", "lr0.01-s1"});
        const auto c = decideReportContent(*table_, rows, {}, 0, std::nullopt);
        QCOMPARE(c.tableParams, QStringList({QStringLiteral("lr"), QStringLiteral("seed")})); // epochs is the same
        QCOMPARE(c.metrics.size(), 2);
        QVERIFY(c.metrics.contains(QStringLiteral("val/loss")) && c.metrics.contains(QStringLiteral("val/acc")));
        QCOMPARE(c.experiments, QStringList({QStringLiteral("default")}));
        QVERIFY(c.differences.empty()); // no details given
        int having = 0;
        QCOMPARE(c.chartRows(*table_, QStringLiteral("val/loss"), &having).size(), size_t(3));
        QCOMPARE(having, 3);
        const auto chosen = decideReportContent(*table_, rows, {}, 0, QStringList{QStringLiteral("val/acc")});
        QCOMPARE(chosen.metrics, QStringList({QStringLiteral("val/acc")}));
    }

    void differencesAgainstTheBaseline()
    {
        const auto rows = rowsOf({"lr0.1-s1", "lr0.01-s1", "lr0.01-s2"});
        const auto c = decideReportContent(*table_, rows, detailsOf(rows), 1, std::nullopt);
        QCOMPARE(c.baseline, 1);
        QCOMPARE(c.runNames.size(), 3);
        QStringList keys;
        for (const auto& d : c.differences) {
            QVERIFY(d.differs);
            QVERIFY(d.section != QLatin1String("metrics")); // those have their own sections
            keys << d.section + QLatin1Char('.') + d.key;
        }
        QVERIFY2(keys.contains(QStringLiteral("params.lr")) && keys.contains(QStringLiteral("params.seed")),
                 qPrintable(keys.join(QLatin1Char(' '))));
        QVERIFY(!keys.contains(QStringLiteral("params.epochs")));
        // What every run shares is said once; nothing of its own then.
        QVERIFY(c.anyFacts);
        QVERIFY(std::find(c.sharedFacts.begin(), c.sharedFacts.end(),
                          ReportContent::Fact{QStringLiteral("data train"), QStringLiteral("v3")})
                != c.sharedFacts.end());
        QCOMPARE(c.ownFacts.size(), size_t(3));
    }

    void otherToolsTagsStayOutOfTheDifferencesUnlessAsked()
    {
        const auto rows = rowsOf({"lr0.1-s1", "lr0.01-s1"});
        auto details = detailsOf(rows);
        details[0].tags.emplace_back(QStringLiteral("mlflow.source.name"), QStringLiteral("train.py"));
        details[1].tags.emplace_back(QStringLiteral("mlflow.source.name"), QStringLiteral("tune.py"));
        auto keysOf = [](const ReportContent& c) {
            QStringList keys;
            for (const auto& d : c.differences)
                keys << d.key;
            return keys;
        };
        QVERIFY(!keysOf(decideReportContent(*table_, rows, details, 0, std::nullopt)).contains(QStringLiteral("mlflow.source.name")));
        QVERIFY(keysOf(decideReportContent(*table_, rows, details, 0, std::nullopt, {.toolTags = true}))
                    .contains(QStringLiteral("mlflow.source.name")));
    }

    void seedGroupsOnlyWhereSeedsVary()
    {
        std::vector<int> all(size_t(table_->rowCount()));
        std::iota(all.begin(), all.end(), 0);
        const auto c = decideReportContent(*table_, all, {}, 0, QStringList{QStringLiteral("val/loss")});
        QCOMPARE(c.seedGroups.size(), size_t(2)); // one per lr
        for (const auto& g : c.seedGroups) {
            QCOMPARE(g.runs, 3);
            QCOMPARE(g.stats.size(), size_t(1));
            QCOMPARE(g.stats[0].n, 3);
        }
        // One seed each: nothing to group.
        const auto single = decideReportContent(*table_, rowsOf({"lr0.1-s1", "lr0.01-s1"}), {}, 0, std::nullopt);
        QVERIFY(single.seedGroups.empty());
    }
};

QTEST_GUILESS_MAIN(TestReportContent)
#include "test_report_content.moc"
