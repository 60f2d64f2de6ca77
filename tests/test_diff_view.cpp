// SPDX-License-Identifier: GPL-3.0-or-later
// The comparison of several runs: rows, differences, deltas against a
// baseline, Markdown; and the view's model.
#include "diff_view.h"
#include "seeds_view.h"

#include <QCheckBox>
#include <QPushButton>
#include <QTableWidget>

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;

namespace {

RunDetails run(const char* id, double lr, double auc, const char* note = nullptr)
{
    RunDetails d;
    d.id = QString::fromLatin1(id);
    d.name = QStringLiteral("run-") + d.id;
    d.experiment = QStringLiteral("exp");
    d.status = RunStatus::Finished;
    d.params = {{QStringLiteral("epochs"), QStringLiteral("int"), QStringLiteral("10")},
                {QStringLiteral("lr"), QStringLiteral("float"), QString::number(lr)}};
    MetricSummary m;
    m.key = QStringLiteral("auc");
    m.count = 5;
    m.last = m.max = auc;
    m.min = 0.5;
    m.lastStep = 4;
    d.metrics = {m};
    if (note)
        d.tags = {{QStringLiteral("note"), QString::fromLatin1(note)}};
    return d;
}

} // namespace

class TestDiffView : public QObject {
    Q_OBJECT

private slots:
    void comparesSeveralRuns()
    {
        const auto c = compareRuns({run("a", 0.1, 0.8), run("b", 0.2, 0.9, "with|pipe"), run("c", 0.1, 0.8)});
        QCOMPARE(c.runIds.size(), size_t(3));
        auto find = [&](const char* section, const char* key) -> const ComparisonRow* {
            for (const auto& r : c.rows)
                if (r.section == QLatin1String(section) && r.key == QLatin1String(key))
                    return &r;
            return nullptr;
        };
        QVERIFY(find("params", "lr")->differs);
        QVERIFY(!find("params", "epochs")->differs);
        QVERIFY(find("metrics", "auc.last")->differs);
        QVERIFY(!find("metrics", "auc.min")->differs);
        const auto* note = find("tags", "note");
        QVERIFY(note && note->differs);
        QVERIFY(!note->values[0].has_value());   // a and c lack the tag
        QCOMPARE(*note->values[1], QStringLiteral("with|pipe"));
        // Exactly these differ: lr, auc.last, auc.max, note.
        int differing = 0;
        for (const auto& r : c.rows)
            differing += r.differs;
        QCOMPARE(differing, 4);

        const auto d = deltaOf(QStringLiteral("0.9"), QStringLiteral("0.8"));
        QVERIFY(d);
        QVERIFY(std::abs(d->absolute - 0.1) < 1e-12);
        QVERIFY(std::abs(*d->percent - 12.5) < 1e-9);
        QVERIFY(!deltaOf(QStringLiteral("adam"), QStringLiteral("sgd")));
        QVERIFY(!deltaOf(QStringLiteral("1"), QStringLiteral("0"))->percent);

        const QString md = comparisonToMarkdown(c, true, 0);
        QVERIFY(md.startsWith(QStringLiteral("| section | key | run-a (baseline) | run-b | run-c |")));
        QVERIFY(md.contains(QStringLiteral("| params | lr | 0.1 | 0.2 (+0.1, +100.0%) | 0.1 |")));
        QVERIFY(md.contains(QStringLiteral("with\\|pipe")));   // escaped
        QVERIFY(!md.contains(QStringLiteral("epochs")));       // only differences
        QVERIFY(comparisonToMarkdown(c, false).contains(QStringLiteral("epochs")));
        QVERIFY(md.contains(QStringLiteral("|---|---|---|---|---|\n")));

        const QString tex = comparisonToLatex(c, true, 0);
        QVERIFY(tex.contains(QStringLiteral("\\begin{tabular}{lllll}")));
        QVERIFY(tex.contains(QStringLiteral("section & key & run-a (baseline) & run-b & run-c \\\\\n")));
        QVERIFY(tex.contains(QStringLiteral("params & lr & 0.1 & 0.2 (+0.1, +100.0\\%) & 0.1 \\\\\n")));
        QVERIFY(tex.contains(QStringLiteral("tags & note & --- & with\\textbar{}pipe & --- \\\\")));
        QVERIFY(tex.trimmed().endsWith(QStringLiteral("\\bottomrule\n\\end{tabular}")));
        QVERIFY(!tex.contains(QStringLiteral("epochs")));
    }

    void markdownCellsAreText()
    {
        // Pasted into a README, a wiki or a notebook, a run's name is never markup.
        RunDetails a = run("<img src=x onerror=alert(2)>", 0.1, 0.8), b = run("[x](javascript:alert(1))", 0.2, 0.8);
        a.tags = {{QStringLiteral("note"), QStringLiteral("<!-- & <details ontoggle=alert(3)>")}};
        b.tags = {{QStringLiteral("note"), QStringLiteral("C:\\data|set")}};
        const QString md = comparisonToMarkdown(compareRuns({a, b}), true, 0);
        QVERIFY2(!md.contains(QLatin1Char('<')) && !md.contains(QLatin1Char('>')), qPrintable(md));
        QVERIFY(md.contains(QStringLiteral("&lt;img src=x onerror=alert(2)&gt;")));
        QVERIFY(md.contains(QStringLiteral("&lt;!-- &amp; &lt;details ontoggle=alert(3)&gt;")));
        QVERIFY(md.contains(QStringLiteral("\\[x\\](javascript:alert(1))")));
        QVERIFY(md.contains(QStringLiteral("C:\\\\data\\|set")));
    }

    void seedsAreLabelsWithoutDeltas()
    {
        RunDetails a = run("a", 0.1, 0.8), b = run("b", 0.3, 0.8);
        a.params.push_back({QStringLiteral("data.seed"), QStringLiteral("int"), QStringLiteral("1")});
        b.params.push_back({QStringLiteral("data.seed"), QStringLiteral("int"), QStringLiteral("3")});
        const auto c = compareRuns({a, b});
        const QString md = comparisonToMarkdown(c, true, 0);
        QVERIFY(md.contains(QStringLiteral("| params | data.seed | 1 | 3 |")));
        QVERIFY(md.contains(QStringLiteral("| params | lr | 0.1 | 0.3 (+0.2, +200.0%) |")));
        RunComparisonModel model;
        model.setComparison(c);
        model.setBaseline(0);
        bool seen = false;
        for (int r = 0; r < model.rowCount(); ++r)
            if (model.index(r, 1).data().toString() == QLatin1String("data.seed")) {
                QCOMPARE(model.index(r, 3).data().toString(), QStringLiteral("3"));
                seen = true;
            }
        QVERIFY(seen);
    }

    void latexEscapesEverySpecialCharacter()
    {
        QCOMPARE(latexEscape(QStringLiteral("a_b & 50% $x$ #1 {y} ~z ^2 \\cmd <t>\nnext")),
                 QStringLiteral("a\\_b \\& 50\\% \\$x\\$ \\#1 \\{y\\} \\textasciitilde{}z \\textasciicircum{}2 "
                                "\\textbackslash{}cmd \\textless{}t\\textgreater{} next"));
        QCOMPARE(latexEscape(QStringLiteral("plain 0.1")), QStringLiteral("plain 0.1"));
    }

    void modelShowsDifferencesAndDeltas()
    {
        RunComparisonModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setComparison(compareRuns({run("a", 0.1, 0.8), run("b", 0.2, 0.9)}));
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(model.baseline(), 0);
        const int differing = model.rowCount();
        model.setOnlyDifferences(false);
        QVERIFY(model.rowCount() > differing);
        model.setOnlyDifferences(true);
        QCOMPARE(model.rowCount(), differing);
        QString lrCell;
        for (int r = 0; r < model.rowCount(); ++r)
            if (model.index(r, 1).data().toString() == QLatin1String("lr"))
                lrCell = model.index(r, 3).data().toString();
        QCOMPARE(lrCell, QStringLiteral("0.2  (+0.1, +100.0%)"));
        QVERIFY(model.headerData(2, Qt::Horizontal).toString().endsWith(QStringLiteral("(baseline)")));
        model.setBaseline(1);
        QVERIFY(model.headerData(3, Qt::Horizontal).toString().endsWith(QStringLiteral("(baseline)")));
    }

    void seedsViewGroupsTestsAndBands()
    {
        auto table = std::make_shared<RunTable>();
        for (int lr = 0; lr < 2; ++lr)
            for (int seed = 0; seed < 3; ++seed) {
                const int r = table->addRun(QStringLiteral("id%1%2").arg(lr).arg(seed), QStringLiteral("r"),
                                            QStringLiteral("e"), RunStatus::Finished, 0, 1);
                table->setParam(r, QStringLiteral("lr"), lr ? QStringLiteral("0.1") : QStringLiteral("0.01"), lr ? 0.1 : 0.01);
                table->setParam(r, QStringLiteral("seed"), QString::number(seed), seed);
                table->setMetric(r, QStringLiteral("auc"), (lr ? 0.9 : 0.5) + seed * 0.01, 0, 1, 1, 0);
            }
        table->sortColumns();
        SeedsView view;
        view.setRuns(table, {0, 1, 2, 3, 4, 5});
        QCOMPARE(view.metric(), QStringLiteral("auc"));
        QCOMPARE(view.table()->rowCount(), 2);
        QCOMPARE(view.table()->item(0, 0)->text(), QStringLiteral("lr=0.1"));   // best first
        QCOMPARE(view.table()->item(0, 1)->text(), QStringLiteral("3"));
        QVERIFY(view.table()->item(1, 5)->text().startsWith(QStringLiteral("p = ")));
        QStringList labels;
        QHash<int, int> groups;
        connect(&view, &SeedsView::bandsRequested, this, [&](const QStringList& l, const QHash<int, int>& g) {
            labels = l;
            groups = g;
        });
        view.findChild<QPushButton*>()->click();
        QCOMPARE(labels.size(), 2);
        QCOMPARE(groups.size(), 6);
        QCOMPARE(groups.value(3), 0);   // a lr=0.1 run is in the first (best) group
    }

    void seedsDefaultToTheMetricThatMatters()
    {
        // `epoch` sorts first by name; the validation score is what seeds are compared on.
        auto table = std::make_shared<RunTable>();
        for (int r = 0; r < 4; ++r) {
            table->addRun(QStringLiteral("r%1").arg(r), QStringLiteral("r%1").arg(r), QStringLiteral("e"),
                          RunStatus::Finished, 0, 1);
            table->setParam(r, QStringLiteral("seed"), QString::number(r), r);
            table->setMetric(r, QStringLiteral("epoch"), 9, 0, 9, 10, 9);
            table->setMetric(r, QStringLiteral("val/auc"), 0.9 + r * 0.01, 0.5, 0.95, 10, 9);
        }
        table->sortColumns();
        SeedsView view;
        view.setRuns(table, {0, 1, 2, 3});
        QCOMPARE(view.metric(), QStringLiteral("val/auc"));
        // A choice the user made stays across new runs.
        view.setMetric(QStringLiteral("epoch"));
        view.setRuns(table, {0, 1, 2});
        QCOMPARE(view.metric(), QStringLiteral("epoch"));
    }

    void seedsGroupByOneParamWithTheRestPooledAndLossesBestLowest()
    {
        // lr x batch x seed. "Which lr is best across everything else":
        // grouped by lr, batch sizes and seeds pooled; the metric is a loss,
        // so the best group is the lowest (it was the highest), and the
        // summary says which test ran on what.
        auto table = std::make_shared<RunTable>();
        std::vector<int> rows;
        int n = 0;
        for (double lr : {0.1, 0.01, 0.001})
            for (int batch : {16, 64})
                for (int seed : {1, 2, 3}) {
                    const int r = table->addRun(QStringLiteral("r%1").arg(n), QStringLiteral("r%1").arg(n),
                        QStringLiteral("e"), RunStatus::Finished, n, n + 1);
                    ++n;
                    table->setParam(r, QStringLiteral("lr"), QString::number(lr), lr);
                    table->setParam(r, QStringLiteral("batch"), QString::number(batch), batch);
                    table->setParam(r, QStringLiteral("seed"), QString::number(seed), seed);
                    const double loss = (lr == 0.01 ? 0.2 : 0.5) + batch * 0.001 + seed * 0.01;
                    table->setMetric(r, QStringLiteral("val/loss"), loss, loss, loss, 1, 0);
                    rows.push_back(r);
                }
        table->sortColumns();
        SeedsView view;
        view.setRuns(table, rows);
        QCOMPARE(view.table()->rowCount(), 6); // by seed: lr x batch
        QCOMPARE(view.table()->item(0, 0)->text(), QStringLiteral("batch=16, lr=0.01")); // lowest loss first
        view.setGroupBy(QStringLiteral("lr"));
        QCOMPARE(view.table()->rowCount(), 3);
        QCOMPARE(view.table()->item(0, 0)->text(), QStringLiteral("lr=0.01"));
        QCOMPARE(view.table()->item(0, 1)->text(), QStringLiteral("6"));
        QVERIFY(view.table()->item(1, 5)->text().startsWith(QStringLiteral("p = ")));
        QVERIFY(view.summary().contains(QStringLiteral("grouped by lr with every other param pooled")));
        QVERIFY(view.summary().contains(QStringLiteral("Welch's two-sided t-test")));
        QVERIFY(view.summary().contains(QStringLiteral("lowest")));
        QVERIFY(!view.findChild<QLineEdit*>()->isEnabled()); // seed keys do not apply
    }

    void viewCopiesWhatItShows()
    {
        DiffView view;
        view.setRuns({run("a", 0.1, 0.8), run("b", 0.2, 0.9)});
        QVERIFY(view.markdown().contains(QStringLiteral("| params | lr |")));
        view.setRuns({run("a", 0.1, 0.8)});
        QCOMPARE(view.model()->rowCount(), 0);   // one run: nothing differs
    }
    void viewShowsNumbersCompactHidesToolTagsAndCopiesExact()
    {
        RunDetails a = run("a", 0.1, 0.8), b = run("b", 0.2, 0.9);
        a.params[1].value = QStringLiteral("0.057998924774706806");
        b.params[1].value = QStringLiteral("0.22162207316820928");
        a.tags = {{QStringLiteral("mlflow.user"), QStringLiteral("ada")}, {QStringLiteral("mlflow.source.name"), QStringLiteral("train.py")}};
        b.tags = {{QStringLiteral("mlflow.user"), QStringLiteral("bob")}, {QStringLiteral("mlflow.source.name"), QStringLiteral("tune.py")}};
        DiffView view;
        view.setRuns({a, b});
        RunComparisonModel* model = view.model();
        auto rowOf = [&](const char* key) {
            for (int r = 0; r < model->rowCount(); ++r)
                if (model->index(r, 1).data().toString() == QLatin1String(key))
                    return r;
            return -1;
        };
        const int lr = rowOf("lr");
        QVERIFY(lr >= 0);
        QCOMPARE(model->index(lr, 2).data().toString(), QStringLiteral("0.0579989"));
        QCOMPARE(model->index(lr, 3).data().toString(), QStringLiteral("0.221622  (+0.163623, +282.1%)"));
        QCOMPARE(model->index(lr, 3).data(Qt::ToolTipRole).toString(), QStringLiteral("0.22162207316820928"));
        QCOMPARE(model->index(lr, 3).data(RunComparisonModel::ExactTextRole).toString(), QStringLiteral("0.22162207316820928"));
        QCOMPARE(rowOf("mlflow.user"), -1);
        QCOMPARE(rowOf("mlflow.source.name"), -1);
        QVERIFY(!view.markdown().contains(QStringLiteral("mlflow")));
        view.table()->setCurrentIndex(model->index(lr, 2));
        QCOMPARE(view.copyText(), QStringLiteral("0.057998924774706806"));

        view.toolTagsBox()->setChecked(true);
        QVERIFY(rowOf("mlflow.user") >= 0);
        QVERIFY(view.markdown().contains(QStringLiteral("mlflow.user")));
        view.setShowToolTags(false);
        QCOMPARE(rowOf("mlflow.user"), -1);
    }
};

QTEST_MAIN(TestDiffView)
#include "test_diff_view.moc"
