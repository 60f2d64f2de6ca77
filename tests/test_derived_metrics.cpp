// SPDX-License-Identifier: GPL-3.0-or-later
// Derived metrics (#22 item 5): an expression over a run's metrics and params
// as a table column, a query field, a curve on aligned steps, and from the
// CLI; bad syntax with its position, NaN, missing metrics, division by zero.
#include "cli_output.h"
#include "derived_metrics.h"
#include "metric_expression.h"
#include "store_entries.h"
#include "test_support.h"
#include "workspace.h"

#include <QTemporaryDir>

#include <cmath>

using namespace runlens;
using namespace runlens::test;

namespace {

// Two runs, one with a text param, one without val_loss.
RunTable smallTable()
{
    RunTable t;
    for (int i = 0; i < 3; ++i)
        t.addRun(QStringLiteral("r%1").arg(i), QStringLiteral("run %1").arg(i), QStringLiteral("e"), RunStatus::Finished, 0, 1);
    t.setMetric(0, QStringLiteral("train_loss"), 0.30, 0.20, 0.9, 10, 9);
    t.setMetric(0, QStringLiteral("val_loss"), 0.50, 0.45, 1.0, 3, 9);
    t.setMetric(1, QStringLiteral("train_loss"), 0.00, 0.00, 0.8, 10, 9);
    t.setMetric(1, QStringLiteral("val_loss"), 0.00, 0.00, 1.0, 3, 9);
    t.setMetric(2, QStringLiteral("train_loss"), NAN, 0.1, 0.7, 10, 9);   // logged NaN last
    t.setParam(0, QStringLiteral("scale"), QStringLiteral("2"), 2.0);
    t.setParam(1, QStringLiteral("scale"), QStringLiteral("big"), std::nullopt);
    return t;
}

MetricSeries series(std::vector<int64_t> steps, std::vector<double> values)
{
    MetricSeries s;
    s.steps = std::move(steps);
    s.values = std::move(values);
    for (size_t i = 0; i < s.steps.size(); ++i)
        s.wallTimes.push_back(1000.0 + double(i));
    return s;
}

} // namespace

class TestDerivedMetrics : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        // Overlays of other tools' stores go in the test's folder, not the user's.
        qputenv("RUNLENS_ANNOTATIONS_DIR", dir_.filePath(QStringLiteral("overlays")).toUtf8());
    }

    void badSyntaxSaysWhere()
    {
        struct Case {
            const char* text;
            int position;
            const char* message;
        };
        const Case cases[] = {
            {"", 0, "empty"},
            {"1 - ", 4, "ends where a value"},
            {"(metrics.a - 1", 0, "never closed"},
            {"metrics.a > 1", 10, "unexpected '>'"},
            {"metrics.a * * 2", 12, "expected a number"},
            {"1 - metrics.", 4, "needs a key"},
            {"nosuch.x + 1", 0, "expected a number, a field"},
        };
        for (const Case& c : cases) {
            const MetricExpression e(QString::fromUtf8(c.text));
            QVERIFY2(!e.isValid(), c.text);
            QCOMPARE(e.error()->position, c.position);
            QVERIFY2(e.error()->message.contains(QLatin1String(c.message)), qPrintable(e.error()->message));
        }
        QVERIFY(!MetricExpression(QString(5000, QLatin1Char('1'))).isValid());
        QVERIFY(MetricExpression(QStringLiteral("metrics.train_loss - metrics.val_loss")).isValid());
    }

    void perRunValuesLeaveOutWhatCannotBeComputed()
    {
        const RunTable t = smallTable();
        std::vector<double> v;
        QVERIFY(!MetricExpression(QStringLiteral("metrics.train_loss - metrics.val_loss")).evaluate(t, nullptr, v));
        QCOMPARE(v.size(), size_t(3));
        QCOMPARE(v[0], 0.30 - 0.50);
        QCOMPARE(v[1], 0.0);
        QVERIFY(std::isnan(v[2]));   // no val_loss, and a NaN train_loss

        // 0/0 is no value; 1/0 is infinite, as the arithmetic says.
        QVERIFY(!MetricExpression(QStringLiteral("metrics.train_loss / metrics.val_loss")).evaluate(t, nullptr, v));
        QCOMPARE(v[0], 0.6);
        QVERIFY(std::isnan(v[1]));
        QVERIFY(!MetricExpression(QStringLiteral("1 / metrics.val_loss")).evaluate(t, nullptr, v));
        QVERIFY(std::isinf(v[1]) && v[1] > 0);

        // A text param has no arithmetic; summaries other than the last value by suffix.
        QVERIFY(!MetricExpression(QStringLiteral("metrics.train_loss.min * params.scale")).evaluate(t, nullptr, v));
        QCOMPARE(v[0], 0.40);
        QVERIFY(std::isnan(v[1]));
        QVERIFY(std::isnan(v[2]));

        // An unknown key is an error with its position, not a column of NaN.
        const auto error = MetricExpression(QStringLiteral("1 - metrics.nosuch")).evaluate(t, nullptr, v);
        QVERIFY(error);
        QCOMPARE(error->position, 4);
        QVERIFY(error->message.contains(QLatin1String("nosuch")));
        // Two fields joined without spaces read as one key: said so.
        const auto joined = MetricExpression(QStringLiteral("metrics.train_loss/metrics.val_loss")).evaluate(t, nullptr, v);
        QVERIFY(joined && joined->message.contains(QLatin1String("put spaces around")));
    }

    void curvesAreComputedOnTheStepsEveryMetricLogged()
    {
        const RunTable t = smallTable();
        // train every step, val at 0, 5 (twice: the later value counts) and 9, out of order.
        const auto train = std::make_shared<const MetricSeries>(
            series({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1}));
        const auto val = std::make_shared<const MetricSeries>(series({9, 0, 5, 5}, {0.4, 1.2, 0.9, 0.8}));
        auto source = [&](const QString& key) -> Result<std::shared_ptr<const MetricSeries>> {
            if (key == QLatin1String("train_loss"))
                return train;
            if (key == QLatin1String("val_loss"))
                return val;
            return Failure{QStringLiteral("no series ") + key};
        };
        const MetricExpression gap(QStringLiteral("metrics.val_loss - metrics.train_loss"));
        QCOMPARE(gap.seriesKeys(t), (QStringList{QStringLiteral("val_loss"), QStringLiteral("train_loss")}));
        auto s = gap.evaluateSeries(t, 0, nullptr, source);
        QVERIFY2(s, qPrintable(s ? QString() : s.error()));
        QCOMPARE(s->steps, (std::vector<int64_t>{0, 5, 9}));
        QCOMPARE(s->values.size(), size_t(3));
        QCOMPARE(s->values[0], 1.2 - 1.0);
        QCOMPARE(s->values[1], 0.8 - 0.5);
        QCOMPARE(s->values[2], 0.4 - 0.1);
        // The wall time is when the later of the two was logged at that step.
        QCOMPARE(s->wallTimes[2], 1009.0);

        // A param and a summary stay constant along the curve; text gives no points.
        auto scaled = MetricExpression(QStringLiteral("(metrics.train_loss - metrics.train_loss.min) * params.scale"))
                          .evaluateSeries(t, 0, nullptr, source);
        QVERIFY(scaled);
        QCOMPARE(scaled->size(), size_t(10));
        QCOMPARE(scaled->values[9], (0.1 - 0.20) * 2);
        auto text = MetricExpression(QStringLiteral("metrics.train_loss * params.scale")).evaluateSeries(t, 1, nullptr, source);
        QVERIFY(text);
        QCOMPARE(text->size(), size_t(0));

        // 0/0 at a step leaves the step out; x/0 is infinite, kept.
        const auto zeros = std::make_shared<const MetricSeries>(series({0, 1, 2}, {0.0, 1.0, 2.0}));
        auto zeroSource = [&](const QString&) -> Result<std::shared_ptr<const MetricSeries>> { return zeros; };
        auto ratio = MetricExpression(QStringLiteral("metrics.train_loss / (metrics.train_loss * 0)"))
                         .evaluateSeries(t, 0, nullptr, zeroSource);
        QVERIFY(ratio);
        QCOMPARE(ratio->steps, (std::vector<int64_t>{1, 2}));
        QVERIFY(std::isinf(ratio->values[0]));

        // No metric per step: no curve, said so.
        auto flat = MetricExpression(QStringLiteral("metrics.train_loss.min * 2")).evaluateSeries(t, 0, nullptr, source);
        QVERIFY(!flat);
        QVERIFY(flat.error().contains(QLatin1String("no metric per step")));
        // A series that fails to load fails the curve with its reason.
        auto broken = gap.evaluateSeries(t, 0, nullptr, [](const QString&) -> Result<std::shared_ptr<const MetricSeries>> {
            return Failure{QStringLiteral("chunk 3 is damaged")};
        });
        QVERIFY(!broken);
        QCOMPARE(broken.error(), QStringLiteral("chunk 3 is damaged"));
    }

    void definitionsBecomeColumnsAndLoggedMetricsKeepTheirNames()
    {
        RunTable t = smallTable();
        const std::vector<DerivedMetric> defs{
            {QStringLiteral("a_pct"), QStringLiteral("metrics.gap * 100")},     // reads one that comes later
            {QStringLiteral("gap"), QStringLiteral("metrics.val_loss - metrics.train_loss")},
            {QStringLiteral("gap_pct"), QStringLiteral("metrics.gap * 100")},
            {QStringLiteral("train_loss"), QStringLiteral("1")},                // a logged metric's name
            {QStringLiteral("broken"), QStringLiteral("metrics.val_loss -")},
            {QStringLiteral("bad name"), QStringLiteral("1")},
            {QStringLiteral("val_loss.min"), QStringLiteral("1")},              // would hide val_loss's minimum
            {QStringLiteral("c1"), QStringLiteral("metrics.c2 + 1")},           // a cycle
            {QStringLiteral("c2"), QStringLiteral("metrics.c1 + 1")},
        };
        const QStringList problems = addDerivedMetrics(t, defs);
        QCOMPARE(problems.size(), 6);
        const QString all = problems.join(u'\n');
        QVERIFY(all.contains(QLatin1String("'train_loss' left out: the runs log a metric")));
        QVERIFY(all.contains(QLatin1String("'broken' left out: column 19")));
        QVERIFY(all.contains(QLatin1String("'bad name' left out")));
        QVERIFY(all.contains(QLatin1String("'val_loss.min' left out")));
        QVERIFY(all.contains(QLatin1String("'c1' left out")) && all.contains(QLatin1String("'c2' left out")));
        QVERIFY(!t.metric(QStringLiteral("c1")) && !t.metric(QStringLiteral("val_loss.min")));
        QCOMPARE(t.metric(QStringLiteral("a_pct"))->last[0], 20.0);
        const MetricColumn* gap = t.metric(QStringLiteral("gap"));
        QVERIFY(gap);
        QCOMPARE(gap->expression, QStringLiteral("metrics.val_loss - metrics.train_loss"));
        QVERIFY(gap->has(0) && !gap->has(2));
        QCOMPARE(gap->last[0], 0.20);
        QVERIFY(std::isnan(gap->min[0]));   // min over steps is not the summaries' difference
        QCOMPARE(gap->count[0], int64_t(3));   // at most val_loss's 3 points: a curve, not a bar
        QCOMPARE(t.metric(QStringLiteral("gap_pct"))->last[0], 20.0);
        QVERIFY(t.metric(QStringLiteral("train_loss"))->expression.isEmpty());
        QCOMPARE(t.metric(QStringLiteral("train_loss"))->last[0], 0.30);
        // A query reads it as any metric.
        const auto selected = RunQuery(QStringLiteral("metrics.gap > 0.1")).select(t);
        QVERIFY(!selected.error);
        QCOMPARE(selected.rows, std::vector<int>{0});
    }

    void theWorkspaceKeepsThemWithTheStoreAndDrawsTheirCurves()
    {
        const QString path = dir_.filePath(QStringLiteral("derived.runlens"));
        auto log = [&](const char* name, double offset) {
            auto run = Run::start(path.toStdString(), testRun(name));
            for (int step = 0; step < 20; ++step) {
                run.logMetric("train_loss", 1.0 / (step + 1), step);
                if (step % 5 == 4)
                    run.logMetric("val_loss", 1.0 / (step + 1) + offset, step);
            }
            return run;
        };
        log("small gap", 0.01).finish();
        log("big gap", 0.2).finish();

        Workspace w;
        QVERIFY(w.openAndWait({path}).isEmpty());
        QSignalSpy changed(&w, &Workspace::derivedMetricsChanged);
        w.setDerivedMetric(0, QStringLiteral("gap"), QStringLiteral("metrics.val_loss - metrics.train_loss"));
        // Shown at once, before the store has it.
        QVERIFY(w.runs()->metric(QStringLiteral("gap")));
        w.waitForEdits();
        QTRY_VERIFY(changed.count() >= 2);
        QVERIFY(w.derivedMetricProblems().isEmpty());
        const auto sel = RunQuery(QStringLiteral("metrics.gap > 0.1")).select(*w.runs());
        QCOMPARE(sel.rows.size(), size_t(1));
        QCOMPARE(w.runs()->name(sel.rows[0]), QStringLiteral("big gap"));

        // Its curve: a point at each of val_loss's steps.
        SeriesKey key;
        key.runId = w.runs()->id(sel.rows[0]);
        key.metric = QStringLiteral("gap");
        const auto plot = w.loadSeriesNow(key);
        QVERIFY(plot);
        QCOMPARE(plot->size(), size_t(4));
        QCOMPARE(plot->xs()[0], 4.0);
        QVERIFY(std::abs(plot->ys()[3] - 0.2) < 1e-12);

        // A run created after the store was opened has the column after a refresh.
        log("late", 0.5).finish();
        QTRY_VERIFY_WITH_TIMEOUT((w.refresh(), w.runs()->rowCount() == 3), 10000);
        const int late = w.runs()->findRun(QStringLiteral("late"));
        QVERIFY(late >= 0);
        QVERIFY(std::abs(w.runs()->metric(QStringLiteral("gap"))->last[size_t(late)] - 0.5) < 1e-12);

        // Kept in the store: another window and the CLI see it.
        Workspace other;
        QVERIFY(other.openAndWait({path}).isEmpty());
        QVERIFY(other.runs()->metric(QStringLiteral("gap")));
        const auto listed = runCli({QStringLiteral("derive"), path});
        QCOMPARE(listed.code, 0);
        QCOMPARE(listed.out, QStringLiteral("gap = metrics.val_loss - metrics.train_loss\n"));

        // Redefined: the column and the curve follow.
        w.setDerivedMetric(0, QStringLiteral("gap"), QStringLiteral("(metrics.val_loss - metrics.train_loss) * 100"));
        w.waitForEdits();
        QTRY_VERIFY(std::abs(w.runs()->metric(QStringLiteral("gap"))->last[size_t(late)] - 50) < 1e-9);
        key.runId = w.runs()->id(late);
        QVERIFY(std::abs(w.loadSeriesNow(key)->ys()[0] - 50) < 1e-9);
        w.setDerivedMetric(0, QStringLiteral("gap"), QString());
        w.waitForEdits();
        QTRY_VERIFY(!w.runs()->metric(QStringLiteral("gap")));
    }

    void theCliKeepsListsAndUsesThem()
    {
        const QString path = dir_.filePath(QStringLiteral("cli.runlens"));
        {
            auto run = Run::start(path.toStdString(), testRun("one"));
            for (int step = 0; step < 4; ++step) {
                run.logMetric("acc", 0.5 + 0.1 * step, step);
                run.logMetric("tokens", 100.0 * (step + 1), step);
            }
            run.logParam("lr", 0.01);
            run.finish();
        }
        const QByteArray before = fileHash(path);
        auto bad = runCli({QStringLiteral("derive"), path, QStringLiteral("err"), QStringLiteral("1 - metrics.acc *")});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains(QLatin1String("column 18")), qPrintable(bad.err));
        auto clash = runCli({QStringLiteral("derive"), path, QStringLiteral("acc"), QStringLiteral("1")});
        QVERIFY(clash.code != 0);
        QVERIFY(clash.err.contains(QLatin1String("log a metric 'acc'")));
        QCOMPARE(fileHash(path), before);   // refused: nothing written

        auto kept = runCli({QStringLiteral("derive"), path, QStringLiteral("err"), QStringLiteral("1 - metrics.acc")});
        QCOMPARE(kept.code, 0);
        QCOMPARE(kept.out, QStringLiteral("err = 1 - metrics.acc\n"));
        // A key no run logs yet is kept with a warning.
        auto early = runCli({QStringLiteral("derive"), path, QStringLiteral("speed"), QStringLiteral("metrics.tokens / metrics.time")});
        QCOMPARE(early.code, 0);
        QVERIFY(early.err.contains(QLatin1String("warning")) && early.err.contains(QLatin1String("time")));

        auto runs = runCli({QStringLiteral("runs"), path, QStringLiteral("--columns"), QStringLiteral("metrics.err"),
                            QStringLiteral("--query"), QStringLiteral("metrics.err < 0.25")});
        QCOMPARE(runs.code, 0);
        QVERIFY2(runs.out.section(QLatin1Char('\n'), 0, 0).endsWith(QLatin1String("err")), qPrintable(runs.out));
        QVERIFY2(runs.out.section(QLatin1Char('\n'), 1, 1).contains(QLatin1String("0.2")), qPrintable(runs.out));
        const auto none = runCli({QStringLiteral("runs"), path, QStringLiteral("--query"), QStringLiteral("metrics.err > 0.25")});
        QVERIFY2(!none.out.contains(QLatin1String("one")), qPrintable(none.out));
        // The definition that does not resolve is left out with a warning, not an error.
        QVERIFY(runs.err.contains(QLatin1String("speed")));

        auto curve = runCli({QStringLiteral("metric"), path, QStringLiteral("one"), QStringLiteral("err")});
        QCOMPARE(curve.code, 0);
        const QStringList lines = curve.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 5);
        QVERIFY2(lines[4].startsWith(QLatin1String("3,")), qPrintable(lines[4]));
        QVERIFY2(std::abs(lines[4].section(QLatin1Char(','), 2).toDouble() - 0.2) < 1e-12, qPrintable(lines[4]));

        QCOMPARE(runCli({QStringLiteral("derive"), path, QStringLiteral("err")}).out, QStringLiteral("1 - metrics.acc\n"));
        QCOMPARE(runCli({QStringLiteral("derive"), path, QStringLiteral("err"), QStringLiteral("--clear")}).code, 0);
        QVERIFY(runCli({QStringLiteral("derive"), path, QStringLiteral("err")}).code != 0);
    }

    void anotherToolsStoreKeepsThemInTheOverlay()
    {
        const QString mlruns = dir_.filePath(QStringLiteral("mlruns"));
        writeFile(mlruns + QStringLiteral("/0/meta.yaml"),
                  "artifact_location: mlruns/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n");
        writeFile(mlruns + QStringLiteral("/0/r1/meta.yaml"),
                  "run_id: r1\nrun_name: one\nexperiment_id: '0'\nstatus: 3\nstart_time: 1\nend_time: 2\n"
                  "lifecycle_stage: active\n");
        writeFile(mlruns + QStringLiteral("/0/r1/metrics/acc"), "1 0.75 0\n2 0.8 1\n");
        const QByteArray before = fileHash(mlruns + QStringLiteral("/0/r1/metrics/acc"));
        auto kept = runCli({QStringLiteral("derive"), mlruns, QStringLiteral("err"), QStringLiteral("1 - metrics.acc")});
        QCOMPARE(kept.code, 0);
        auto runs = runCli({QStringLiteral("runs"), mlruns, QStringLiteral("--format"), QStringLiteral("csv")});
        QCOMPARE(runs.code, 0);
        const QStringList csv = runs.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(csv.size(), 2);
        const int column = int(csv[0].split(QLatin1Char(',')).indexOf(QStringLiteral("metrics.err")));
        QVERIFY2(column > 0, qPrintable(csv[0]));
        QVERIFY(std::abs(csv[1].split(QLatin1Char(','))[column].toDouble() - 0.2) < 1e-12);
        QCOMPARE(fileHash(mlruns + QStringLiteral("/0/r1/metrics/acc")), before);
        // The overlay's export carries it, as it does saved queries.
        auto exported = runCli({QStringLiteral("annotations"), QStringLiteral("export"), mlruns});
        QVERIFY2(exported.out.contains(QLatin1String("\"metric:err\": \"1 - metrics.acc\"")), qPrintable(exported.out + exported.err));
    }
};

QTEST_GUILESS_MAIN(TestDerivedMetrics)
#include "test_derived_metrics.moc"
