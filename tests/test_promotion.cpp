// SPDX-License-Identifier: GPL-3.0-or-later
// Candidates with explicit criteria: the rule language's baseline.X,
// welch_p, seed_mean/seed_sd and arithmetic; promotion rules over a sweep
// with seeds, flagged as worked out by hand; the promotion record and its
// undo; rules kept with our store and in another tool's overlay; a run that
// finishes after the store was opened is flagged on the next refresh.
#include "annotated_store_reader.h"
#include "promotion.h"
#include "promotion_rules.h"
#include "run_query.h"
#include "sample_statistics.h"
#include "store_entries.h"
#include "test_support.h"
#include "workspace.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using namespace runlens::test;

namespace {

const QString kRule = QStringLiteral("metrics.val_auc >= baseline.val_auc + 0.005 and seeds >= 3 and welch_p < 0.05");

// The sweep the rule is worked out on by hand, experiment "e", baseline
// row 0 (lr 0.1, seed 1, val_auc 0.900):
//   rows 0-2  lr 0.1  seeds 1-3  0.900 0.902 0.904  the baseline's group
//   rows 3-5  lr 0.05 seeds 1-3  0.910 0.912 0.914  +0.010, sd 0.002: t 6.12, df 4, p 0.0036: all meet
//   rows 6-8  lr 0.2  seeds 1-3  0.890 0.930 0.910  0.890 is below 0.905; the others pass it but
//                                                   sd 0.02: t 0.69, p 0.56: all fail
//   rows 9-10 lr 0.3  seeds 1-2  0.950 0.960        far better, but only 2 seeds: fail
//   row 11    lr 0.04 seed 1     0.990 running      waits
//   rows 12-14 lr 0.05 (as 3-5) but experiment "f", which has no rule
//   rows 15-17 lr 0.06 seeds 1-3  0.920 0.921 0.922 finished, crashed, trashed:
//                                                   the trashed run is no seed, so the group has
//                                                   2 runs and 1 finished value: both fail; the
//                                                   trashed one is not judged
struct Sweep {
    RunTable table;
    QueryContext context;
};

Sweep makeSweep()
{
    Sweep s;
    RunTable& t = s.table;
    int n = 0;
    auto add = [&](const char* experiment, double lr, int seed, double auc, RunStatus status = RunStatus::Finished) {
        const int r = t.addRun(QStringLiteral("id%1").arg(n), QStringLiteral("run %1").arg(n),
                               QString::fromLatin1(experiment), status, n, status == RunStatus::Running ? -1 : n + 1);
        ++n;
        t.setParam(r, QStringLiteral("lr"), QString::number(lr), lr);
        t.setParam(r, QStringLiteral("seed"), QString::number(seed), seed);
        t.setParam(r, QStringLiteral("optimizer"), QStringLiteral("adam"), std::nullopt);
        t.setMetric(r, QStringLiteral("val_auc"), auc, auc, auc, 10, 9);
        return r;
    };
    add("e", 0.1, 1, 0.900);
    add("e", 0.1, 2, 0.902);
    add("e", 0.1, 3, 0.904);
    add("e", 0.05, 1, 0.910);
    add("e", 0.05, 2, 0.912);
    add("e", 0.05, 3, 0.914);
    add("e", 0.2, 1, 0.890);
    add("e", 0.2, 2, 0.930);
    add("e", 0.2, 3, 0.910);
    add("e", 0.3, 1, 0.950);
    add("e", 0.3, 2, 0.960);
    add("e", 0.04, 1, 0.990, RunStatus::Running);
    add("f", 0.05, 1, 0.910);
    add("f", 0.05, 2, 0.912);
    add("f", 0.05, 3, 0.914);
    // A config whose three runs meet the rule on numbers, but one crashed
    // and one is in the trash: a crashed run fails, a trashed one is not judged.
    add("e", 0.06, 1, 0.920);
    add("e", 0.06, 2, 0.921, RunStatus::Failed);
    const int trashed = add("e", 0.06, 3, 0.922);
    t.setTag(trashed, kTrashedTag, QStringLiteral("2026-12-01T10:00:00Z"));
    t.sortColumns();
    // Experiment e's baseline is row 0; f has none.
    s.context.baselineRows.assign(size_t(t.rowCount()), -1);
    for (int r = 0; r < t.rowCount(); ++r)
        if (t.experiment(r) == QLatin1String("e"))
            s.context.baselineRows[size_t(r)] = 0;
    return s;
}

std::vector<int> rowsOf(const QString& query, const Sweep& s)
{
    const auto selection = RunQuery(query).select(s.table, &s.context);
    if (selection.error)
        qWarning("%s", qPrintable(selection.error->describe()));
    return selection.error ? std::vector<int>{-1} : selection.rows;
}

QueryError errorOf(const QString& query, const Sweep& s)
{
    const auto selection = RunQuery(query).select(s.table, &s.context);
    return selection.error.value_or(QueryError{-1, 0, QStringLiteral("no error")});
}

} // namespace

class TestPromotion : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        qputenv("RUNLENS_ANNOTATIONS_DIR", dir_.filePath(QStringLiteral("overlays")).toUtf8());
    }

    void baselineFieldsReadTheBaselineRun()
    {
        const Sweep s = makeSweep();
        // baseline.val_auc is the baseline's metric; baseline.params.lr any other field.
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc = baseline.val_auc"), s), (std::vector<int>{0}));
        QCOMPARE(rowsOf(QStringLiteral("is_baseline"), s), (std::vector<int>{0}));
        QCOMPARE(rowsOf(QStringLiteral("params.lr = baseline.params.lr and not is_baseline"), s),
                 (std::vector<int>{1, 2}));
        // Text against text: every run of e shares the baseline's optimizer; f has no baseline.
        QCOMPARE(rowsOf(QStringLiteral("params.optimizer = baseline.params.optimizer"), s).size(), size_t(15));
        // Without a context, baseline fields are missing: nothing matches, and nothing fails.
        const auto none = RunQuery(QStringLiteral("metrics.val_auc >= baseline.val_auc")).select(s.table);
        QVERIFY(!none.error);
        QVERIFY(none.rows.empty());
        // An unknown key behind baseline. is reported where it is written.
        QCOMPARE(errorOf(QStringLiteral("metrics.val_auc > baseline.nope"), s).position, 18);
    }

    void arithmeticOnEitherSide()
    {
        const Sweep s = makeSweep();
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc >= baseline.val_auc + 0.04"), s), (std::vector<int>{9, 10, 11}));
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc - baseline.val_auc >= 0.04"), s), (std::vector<int>{9, 10, 11}));
        // "x -0.04" is read as a sum, not as a value after a stray number.
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc -0.04 >= baseline.val_auc"), s), (std::vector<int>{9, 10, 11}));
        // Products before sums, parentheses first: (0.96 - 0.9) * 100 = 6, (0.99 - 0.9) * 100 = 9.
        QCOMPARE(rowsOf(QStringLiteral("(metrics.val_auc - baseline.val_auc) * 100 >= 5.5"), s), (std::vector<int>{10, 11}));
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc - baseline.val_auc * 100 >= 0"), s).size(), size_t(0));
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc >= (baseline.val_auc + 0.025) * 1"), s), (std::vector<int>{7, 9, 10, 11}));
        QCOMPARE(rowsOf(QStringLiteral("1 - metrics.val_auc < 0.02"), s), (std::vector<int>{11}));
        QCOMPARE(rowsOf(QStringLiteral("(1 - metrics.val_auc) * 100 < 2 or (is_baseline)"), s), (std::vector<int>{0, 11}));
        // Division by zero is infinite, 0/0 is no value, text has no arithmetic.
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc / 0 > 1e300"), s).size(), size_t(s.table.rowCount()));
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc * 0 / 0 = 0"), s).size(), size_t(0));
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc * 0 / 0 != 0"), s).size(), size_t(0));
        QCOMPARE(rowsOf(QStringLiteral("params.optimizer + 1 > 0"), s).size(), size_t(0));
        // Keys keep their hyphens and slashes; arithmetic needs spaces there.
        QCOMPARE(RunQuery(QStringLiteral("metrics.train/loss-ema < 1")).isValid(), true);
    }

    void hostileAndOldQueriesStaySafe()
    {
        Sweep s = makeSweep();
        // A pasted chain of 30,000 "+ 1" overflowed the stack; now it is an error at the operator past the limit.
        QString chain = QStringLiteral("metrics.val_auc");
        for (int i = 0; i < 30000; ++i)
            chain += QStringLiteral(" + 1");
        const auto tooLong = errorOf(chain + QStringLiteral(" > 0"), s);
        QVERIFY2(tooLong.message.contains(QLatin1String("more than 1000 operators")), qPrintable(tooLong.message));
        QCOMPARE(tooLong.position, 16 + 1000 * 4);
        // Eight or more "=" terms over one field become one lookup, but not
        // when their sides are computed or read the baseline.
        QStringList terms;
        for (int i = 0; i < 9; ++i)
            terms << QStringLiteral("metrics.val_auc = baseline.val_auc");
        QCOMPARE(rowsOf(terms.join(QStringLiteral(" or ")), s), (std::vector<int>{0}));
        // A NaN metric is no number: it neither exceeds nor equals one.
        s.table.setMetric(3, QStringLiteral("val_auc"), NAN, NAN, NAN, 1, 0);
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc > 0.5 and params.lr = 0.05 and experiment = e"), s), (std::vector<int>{4, 5}));
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc > 0.5 + 0 and params.lr = 0.05 and experiment = e"), s), (std::vector<int>{4, 5}));
        // Plain words right of an operator are values, as before rules: a run named "notes".
        s.table.setName(1, QStringLiteral("notes"));
        QCOMPARE(rowsOf(QStringLiteral("name = notes"), s), (std::vector<int>{1}));
        QCOMPARE(rowsOf(QStringLiteral("name ~ notes"), s), (std::vector<int>{1}));
        // A signed number starts a product: -1 * 2 is -2, added.
        QCOMPARE(rowsOf(QStringLiteral("metrics.val_auc -1 * 2 > -1.045 and params.lr = 0.3"), s), (std::vector<int>{10}));
        QCOMPARE(errorOf(QStringLiteral("seeds > 1 order by welch_p"), s).position, 19);
        // A rule is kept only when it parses, orders nothing and is not huge.
        QVERIFY(!RunQuery::ruleError(kRule));
        QVERIFY(RunQuery::ruleError(QStringLiteral("seeds > 1 order by name")));
        QVERIFY(RunQuery::ruleError(chain));
        QVERIFY(RunQuery::ruleError(QStringLiteral("seeds > ") + QString(5000, QLatin1Char('1'))));
    }

    void arithmeticErrorsPointIntoTheQuery()
    {
        const Sweep s = makeSweep();
        QCOMPARE(errorOf(QStringLiteral("metrics.val_auc >= baseline.val_auc +"), s).position, 37);
        QCOMPARE(errorOf(QStringLiteral("metrics.val_auc >= baseline.val_auc + 'x'"), s).position, 38);
        QCOMPARE(errorOf(QStringLiteral("metrics.val_auc + 1 ~ 'x'"), s).position, 20);
        QCOMPARE(errorOf(QStringLiteral("metrics.val_auc >= (baseline.val_auc + 1"), s).position, 19);
        QCOMPARE(errorOf(QStringLiteral("metrics.val_auc * > 1"), s).position, 18);
        // A bare welch_p needs one metric to test.
        const auto bare = errorOf(QStringLiteral("welch_p < 0.05"), s);
        QCOMPARE(bare.position, 0);
        QVERIFY2(bare.message.contains(QLatin1String("welch_p.val_auc")), qPrintable(bare.message));
        QCOMPARE(errorOf(QStringLiteral("metrics.a > 1 and metrics.b > 1 and welch_p < 0.05"), s).position, 36);
    }

    void seedStatisticsInRules()
    {
        const Sweep s = makeSweep();
        // welch_p.val_auc against the baseline's group equals Welch's test by hand.
        const auto base = sampleStats({0.900, 0.902, 0.904});
        const auto a = sampleStats({0.910, 0.912, 0.914});
        const double p = welchTTest(a, base).p;
        QVERIFY(p > 0.003 && p < 0.004);
        QCOMPARE(rowsOf(QStringLiteral("welch_p.val_auc < 0.004 and welch_p.val_auc > 0.003"), s),
                 (std::vector<int>{3, 4, 5}));
        // The baseline's own group: p is 1. A group of one, or another
        // experiment without a baseline: no p at all.
        QCOMPARE(rowsOf(QStringLiteral("welch_p.val_auc = 1"), s), (std::vector<int>{0, 1, 2}));
        // Every run of e has a p but those whose group has under 2 finished
        // runs: 11 (running, alone), 15-16 (one finished, one crashed), 17 (trashed: no group).
        QCOMPARE(rowsOf(QStringLiteral("welch_p.val_auc >= 0"), s), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        // seeds leaves the trash out of the group; seed statistics also the runs that did not finish.
        QCOMPARE(rowsOf(QStringLiteral("params.lr = 0.06 and seeds = 2"), s), (std::vector<int>{15, 16}));
        QCOMPARE(rowsOf(QStringLiteral("params.lr = 0.06 and seeds = 1"), s), (std::vector<int>{17}));
        QCOMPARE(rowsOf(QStringLiteral("params.lr = 0.06 and seed_mean.val_auc = 0.92"), s), (std::vector<int>{15, 16}));
        QCOMPARE(rowsOf(QStringLiteral("seed_mean.val_auc > 0.9119 and seed_mean.val_auc < 0.9121"), s),
                 (std::vector<int>{3, 4, 5, 12, 13, 14}));
        QCOMPARE(rowsOf(QStringLiteral("seed_sd.val_auc > 0.019"), s), (std::vector<int>{6, 7, 8}));
        QCOMPARE(rowsOf(QStringLiteral("seed_sd.val_auc >= 0 and experiment = e and seeds = 1"), s).size(), size_t(0));
        // A bare welch_p tests the metric compared with the baseline.
        const auto bare = rowsOf(QStringLiteral("metrics.val_auc >= baseline.val_auc and welch_p < 0.05"), s);
        QCOMPARE(bare, rowsOf(QStringLiteral("metrics.val_auc >= baseline.val_auc and welch_p.val_auc < 0.05"), s));
        QCOMPARE(std::vector<int>(bare.begin(), bare.begin() + 3), (std::vector<int>{3, 4, 5}));
        QVERIFY(std::find(bare.begin(), bare.end(), 7) == bare.end());
        // Compared through seed means, the same metric is meant.
        QCOMPARE(rowsOf(QStringLiteral("seed_mean.val_auc > baseline.seed_mean.val_auc and welch_p < 0.05"), s),
                 rowsOf(QStringLiteral("seed_mean.val_auc > baseline.seed_mean.val_auc and welch_p.val_auc < 0.05"), s));
    }

    void rulesOnASweepWithSeeds()
    {
        const Sweep s = makeSweep();
        const auto check = checkPromotionRules(s.table, s.context, [&](int row) {
            return s.table.experiment(row) == QLatin1String("e") ? kRule : QString();
        });
        QVERIFY(check.errors.empty());
        using V = RuleVerdict;
        const std::vector<V> expected{
            V::Baseline, V::Fails, V::Fails,   // the baseline, then its own group (p = 1)
            V::Meets, V::Meets, V::Meets,      // lr 0.05: better, three seeds, p 0.0036
            V::Fails, V::Fails, V::Fails,      // lr 0.2: noise
            V::Fails, V::Fails,                // lr 0.3: two seeds
            V::Waiting,                        // running
            V::NoRule, V::NoRule, V::NoRule,   // experiment f has no rule
            V::Fails, V::Fails, V::Trashed,    // lr 0.06: 2 seeds (the trash is no seed), crashed, trashed
        };
        QCOMPARE(check.verdicts, expected);
        QCOMPARE(verdictText(V::Meets), QStringLiteral("meets the rule"));
        // A rule naming a metric nobody logged yet fails its runs and says why.
        const auto bad = checkPromotionRules(s.table, s.context, [](int) { return QStringLiteral("metrics.nope > 1"); });
        QCOMPARE(bad.errors.size(), size_t(1));
        QCOMPARE(bad.verdicts[3], V::Fails);
    }

    void eachPromotedRunRecordsItsOwnRule()
    {
        const Sweep s = makeSweep();
        auto ruleOf = [&](int row) {
            return s.table.experiment(row) == QLatin1String("e") ? kRule : QStringLiteral("metrics.val_auc > 0.9");
        };
        const auto check = checkPromotionRules(s.table, s.context, ruleOf);
        QCOMPARE(check.verdicts[12], RuleVerdict::Meets);
        // Refused: row 6 fails its rule; nothing is promoted without force.
        const std::vector<int> rows{3, 12, 6};
        const auto refused = planPromotion(s.table, rows, QStringLiteral("why"), false, check, s.context, ruleOf);
        QCOMPARE(refused.refused, std::vector<int>{6});
        QVERIFY(refused.edit.empty());
        const auto forced = planPromotion(s.table, rows, QStringLiteral("why"), true, check, s.context, ruleOf);
        QCOMPARE(forced.edit.changes().size(), size_t(3));
        const auto record = [&](size_t i) { return PromotionRecord::fromJson(*forced.edit.changes()[i].after).value(); };
        QCOMPARE(record(0).rule, kRule);
        QCOMPARE(record(1).rule, QStringLiteral("metrics.val_auc > 0.9"));
        QVERIFY(record(1).metRule);
        QCOMPARE(record(1).baseline, QString());   // f has no baseline
        QVERIFY(!record(2).metRule);
        QCOMPARE(record(2).baseline, QStringLiteral("run 0"));
        // The rule's metrics come first in the record.
        QCOMPARE(record(0).metrics.front().first, QStringLiteral("val_auc"));
        // A record whose time is not text is no record.
        QVERIFY(!PromotionRecord::fromJson(QStringLiteral("{\"at\": 5}")));
    }

    void promotionIsAnEditWithItsRecordAndUndo()
    {
        Sweep s = makeSweep();
        const std::vector<int> rows{3, 4};
        const std::vector<PromotionContext> contexts(2, PromotionContext{kRule, true, s.table.name(0)});
        const RunEdit promote = promotionEdit(s.table, rows, QStringLiteral("beats prod by 1 point"), contexts);
        QVERIFY(promote.problem().isEmpty());
        QCOMPARE(promote.describe(), QStringLiteral("Promote 2 runs to candidate"));
        promote.applyTo(s.table);
        QVERIFY(isCandidate(s.table, 3));
        QVERIFY(!isCandidate(s.table, 5));
        const auto record = promotionOf(s.table, 4);
        QVERIFY(record);
        QCOMPARE(record->why, QStringLiteral("beats prod by 1 point"));
        QCOMPARE(record->rule, kRule);
        QVERIFY(record->metRule);
        QCOMPARE(record->baseline, QStringLiteral("run 0"));
        QCOMPARE(record->user, currentUserName());
        QVERIFY(std::abs(record->when.msecsTo(QDateTime::currentDateTimeUtc())) < 60000);
        QCOMPARE(record->metrics.size(), size_t(1));
        QCOMPARE(record->metrics[0].first, QStringLiteral("val_auc"));
        QCOMPARE(record->metrics[0].second, 0.912);
        // Undo takes the mark off again; demoting is the same edit by hand.
        promote.inverse().applyTo(s.table);
        QVERIFY(!isCandidate(s.table, 3));
        promote.applyTo(s.table);
        const RunEdit demote = demotionEdit(s.table, rows);
        QCOMPARE(demote.describe(), QStringLiteral("Demote 2 runs"));
        demote.applyTo(s.table);
        QVERIFY(!isCandidate(s.table, 4));
        // A tag set by hand still marks a candidate, with no record.
        s.table.setTag(5, kCandidateTag, QStringLiteral("yes"));
        QVERIFY(isCandidate(s.table, 5));
        QVERIFY(!promotionOf(s.table, 5));
    }

    void rulesAreKeptWithOurStoreAndInAnOverlayForOthers()
    {
        const QString path = dir_.filePath(QStringLiteral("rules.runlens"));
        {
            auto run = Run::start(path.toStdString(), testRun("a"));
            run.finish();
        }
        auto reader = mustOpen(path);
        QVERIFY(writePromotionRule(*reader, QStringLiteral("default"), kRule));
        QCOMPARE(readPromotionRules(*reader), (std::vector<StoreEntry>{{QStringLiteral("default"), kRule}}));
        // Rules and saved queries do not see each other.
        QVERIFY(readSavedQueries(*reader).empty());
        QVERIFY(writePromotionRule(*reader, QStringLiteral("default"), QString()));
        QVERIFY(readPromotionRules(*reader).empty());

        // Another tool's store: the overlay keeps it, the store's bytes stay.
        const QString mlruns = dir_.filePath(QStringLiteral("mlruns"));
        writeFile(mlruns + QStringLiteral("/0/meta.yaml"),
                  "artifact_location: mlruns/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n");
        writeFile(mlruns + QStringLiteral("/0/r1/meta.yaml"),
                  "run_id: r1\nrun_name: one\nexperiment_id: '0'\nstatus: 3\nstart_time: 1\nend_time: 2\n"
                  "lifecycle_stage: active\n");
        const QByteArray before = fileHash(mlruns + QStringLiteral("/0/r1/meta.yaml"));
        auto foreign = openStore(mlruns);
        QVERIFY(foreign);
        QVERIFY(writePromotionRule(**foreign, QStringLiteral("Default"), QStringLiteral("metrics.acc > 0.9")));
        auto again = openStore(mlruns);
        QVERIFY(again);
        QVERIFY((*again)->loadRuns());
        QCOMPARE(readPromotionRules(**again),
                 (std::vector<StoreEntry>{{QStringLiteral("Default"), QStringLiteral("metrics.acc > 0.9")}}));
        QCOMPARE(fileHash(mlruns + QStringLiteral("/0/r1/meta.yaml")), before);
    }

    void aRunFinishingAfterTheStoreOpenedIsFlaggedOnRefresh()
    {
        const QString path = dir_.filePath(QStringLiteral("live.runlens"));
        auto log = [&](const char* name, double lr, int seed, double auc) {
            auto o = testRun(name);
            auto run = Run::start(path.toStdString(), o);
            run.logParam("lr", lr);
            run.logParam("seed", static_cast<int64_t>(seed));
            run.logMetric("val_auc", auc, 0);
            return run;
        };
        for (int seed : {1, 2, 3})
            log("base", 0.1, seed, 0.900 + 0.002 * (seed - 1)).finish();
        log("better", 0.05, 1, 0.910).finish();
        log("better", 0.05, 2, 0.912).finish();
        auto last = log("better", 0.05, 3, 0.914);
        last.flush();

        Workspace w;
        QVERIFY(w.openAndWait({path}).isEmpty());
        QVERIFY(w.setBaseline(0));
        w.setPromotionRule(0, QStringLiteral("default"), kRule);
        w.waitForEdits();
        QCOMPARE(w.promotionRule(0, QStringLiteral("default")), kRule);
        auto verdictOf = [&](int row) { return w.checkRules().verdicts[size_t(row)]; };
        // The group's third run is still running: it waits, and its value so
        // far counts for the two that finished.
        QCOMPARE(w.runs()->name(5), QStringLiteral("better"));
        QCOMPARE(verdictOf(5), RuleVerdict::Waiting);
        QCOMPARE(verdictOf(3), RuleVerdict::Meets);

        last.logMetric("val_auc", 0.914, 1);
        last.finish();
        // As the live timer does: a refresh notices the write (off the GUI
        // thread) and reloads.
        QTRY_VERIFY_WITH_TIMEOUT((w.refresh(), w.runs()->status(5) == RunStatus::Finished), 10000);
        QCOMPARE(verdictOf(5), RuleVerdict::Meets);
        // The rule is in the store: a second window (or the CLI) sees it.
        Workspace other;
        QVERIFY(other.openAndWait({path}).isEmpty());
        QCOMPARE(other.promotionRule(0, QStringLiteral("default")), kRule);
    }
};

QTEST_GUILESS_MAIN(TestPromotion)
#include "test_promotion.moc"
