// SPDX-License-Identifier: GPL-3.0-or-later
// Nested runs as a tree (#21 item 1): the one rule (RunTree: missing
// parents, cycles, several levels, context parents), the run table's model
// (shape, counts, the best child's value, sorting inside the tree, a query
// matching only children), the view's keyboard, and the CLI's table. The
// store is written by the logger with RunOptions::parent_id.
#include "command_line.h"
#include "comparison_report.h"
#include "run_query.h"
#include "run_table_model.h"
#include "run_table_view.h"
#include "run_tree.h"
#include "test_support.h"
#include "workspace.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;

class TestNestedRuns : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;
    std::shared_ptr<const RunTable> table_;

    QString start(const std::string& name, const QString& parent, double auc, double loss)
    {
        RunOptions o = test::testRun(name);
        o.experiment = "tuning";
        o.parent_id = parent.toStdString();
        auto run = Run::start(store_.toStdString(), o);
        if (!std::isnan(auc)) {
            run.logMetric("val/auc", auc, 0);
            run.logMetric("val/loss", loss, 0);
        }
        run.finish(RunStatus::Finished);
        return QString::fromStdString(run.id());
    }

    std::vector<int> all() const
    {
        std::vector<int> rows(size_t(table_->rowCount()));
        std::iota(rows.begin(), rows.end(), 0);
        return rows;
    }
    int row(const char* name) const { return table_->findRun(QString::fromLatin1(name)); }
    static QString name(const QModelIndex& i)
    {
        const auto* m = static_cast<const RunTableModel*>(i.model());
        return m->table().name(m->tableRow(i));
    }
    static QStringList names(const QAbstractItemModel& m, const QModelIndex& parent = {})
    {
        QStringList out;
        for (int i = 0; i < m.rowCount(parent); ++i)
            out << name(m.index(i, 0, parent));
        return out;
    }
    QModelIndex at(const RunTableModel& m, const char* run, int column = 0) const
    {
        return m.indexOfTableRow(row(run), column);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        store_ = dir_.filePath(QStringLiteral("nested.db"));
        // Three tuning jobs of ten trials; the parents log no metric of their
        // own. The best trial (highest AUC, lowest loss) is job 2's, then job 1's, then job 3's.
        const double base[] = {0.90, 0.93, 0.85};
        for (int j = 1; j <= 3; ++j) {
            const QString job = start("hpo-job-" + std::to_string(j), {}, NAN, NAN);
            for (int k = 1; k <= 10; ++k) {
                const double auc = base[j - 1] + 0.005 * ((k * 7) % 10);   // best at k = 7
                start("job" + std::to_string(j) + "-trial-" + (k < 10 ? "0" : "") + std::to_string(k), job, auc, 1 - auc);
            }
        }
        // Two levels: a sweep of folds of seeds.
        const QString sweep = start("sweep", {}, NAN, NAN);
        for (int f = 1; f <= 2; ++f) {
            const QString fold = start("fold-" + std::to_string(f), sweep, NAN, NAN);
            for (int s = 1; s <= 3; ++s)
                start("fold" + std::to_string(f) + "-seed-" + std::to_string(s), fold, 0.7 + 0.01 * f + 0.001 * s, 0.3);
        }
        start("baseline", {}, 0.88, 0.12);
        start("orphan", QStringLiteral("0123456789abcdef"), 0.5, 0.5);   // its parent is not in the store
        auto reader = test::mustOpen(store_);
        table_ = test::mustLoad(*reader);
        QCOMPARE(table_->rowCount(), 3 + 30 + 1 + 2 + 6 + 2);
    }

    void runTreeHandlesMissingParentsCyclesAndDepth()
    {
        RunTable t;
        auto add = [&](const char* id, const char* parent) {
            const int r = t.addRun(QString::fromLatin1(id), QString::fromLatin1(id), QStringLiteral("e"), RunStatus::Finished, 0, 1);
            t.setParentId(r, QString::fromLatin1(parent));
            return r;
        };
        add("a", "b");        // a and b: a cycle, cut at a (first in the table)
        add("b", "a");
        add("self", "self");  // its own parent: top level
        add("lost", "gone");  // parent not in the table: top level
        add("top", "");
        add("mid", "top");
        add("leaf", "mid");
        std::vector<int> rows(size_t(t.rowCount()));
        std::iota(rows.begin(), rows.end(), 0);
        const RunTree tree = RunTree::build(t, rows, false);
        QVERIFY(tree.nested());
        QStringList lines;
        for (const auto& l : tree.flatten())
            lines << QString(l.depth, QLatin1Char('.')) + t.name(l.row);
        QCOMPARE(lines.join(QLatin1Char(' ')), QStringLiteral("a .b self lost top .mid ..leaf"));
        QCOMPARE(RunTree::childCounts(t), (std::vector<int>{1, 1, 0, 0, 1, 1, 0}));

        // Only the leaf given: without context it stands alone; with, its ancestors come as context.
        const std::vector<int> leaf{t.findRun(QStringLiteral("leaf"))};
        QCOMPARE(RunTree::build(t, leaf, false).flatten().size(), size_t(1));
        lines.clear();
        for (const auto& l : RunTree::build(t, leaf, true).flatten())
            lines << QString(l.depth, QLatin1Char('.')) + t.name(l.row) + (l.context ? QStringLiteral("*") : QString());
        QCOMPARE(lines.join(QLatin1Char(' ')), QStringLiteral("top* .mid* ..leaf"));

        // A parent stands where the first of its runs stands in the given order.
        const std::vector<int> order{t.findRun(QStringLiteral("lost")), t.findRun(QStringLiteral("leaf")),
                                     t.findRun(QStringLiteral("top")), t.findRun(QStringLiteral("mid"))};
        lines.clear();
        for (const auto& l : RunTree::build(t, order, false).flatten())
            lines << t.name(l.row);
        QCOMPARE(lines.join(QLatin1Char(' ')), QStringLiteral("lost top mid leaf"));
    }

    void modelShowsTheTreeWithCounts()
    {
        RunTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSortKey(QStringLiteral("name"), Qt::AscendingOrder);
        model.setTable(table_, all());
        QVERIFY(model.nested());
        QCOMPARE(names(model), QStringList({QStringLiteral("baseline"), QStringLiteral("hpo-job-1"), QStringLiteral("hpo-job-2"),
                                            QStringLiteral("hpo-job-3"), QStringLiteral("orphan"), QStringLiteral("sweep")}));
        const QModelIndex job1 = at(model, "hpo-job-1");
        QCOMPARE(model.rowCount(job1), 10);
        QCOMPARE(names(model, job1).first(), QStringLiteral("job1-trial-01"));
        QCOMPARE(job1.data().toString(), QStringLiteral("hpo-job-1  \u00b7 10 runs"));
        QCOMPARE(job1.data(RunTableModel::ExactTextRole).toString(), QStringLiteral("hpo-job-1"));   // Copy: the name
        const QModelIndex sweep = at(model, "sweep");
        QCOMPARE(names(model, sweep), QStringList({QStringLiteral("fold-1"), QStringLiteral("fold-2")}));
        QCOMPARE(names(model, at(model, "fold-2")).size(), qsizetype(3));
        QCOMPARE(model.depthOf(row("fold2-seed-3")), 2);
        QCOMPARE(model.depthOf(row("orphan")), 0);
        QCOMPARE(at(model, "fold2-seed-3").parent(), at(model, "fold-2"));
        QCOMPARE(model.displayedRows().size(), size_t(table_->rowCount()));
        QVERIFY(model.contextRows().empty());

        // Grouping replaces the tree while it is on.
        model.setGroupBy(QStringLiteral("experiment"));
        QCOMPARE(model.groupCount(), 1);
        QCOMPARE(model.rowCount(model.index(0, 0)), table_->rowCount());
        QCOMPARE(model.rowCount(at(model, "hpo-job-1")), 0);
        model.setGroupBy(QString());
        QCOMPARE(model.rowCount(at(model, "hpo-job-1")), 10);
    }

    void parentsShowAndSortByTheirBestChild()
    {
        RunTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTable(table_, all());
        const int auc = model.columnOf(QStringLiteral("metrics.val/auc"));
        const int loss = model.columnOf(QStringLiteral("metrics.val/loss"));
        QVERIFY(auc > 0 && loss > 0);
        model.sort(auc, Qt::DescendingOrder);
        // Job 2's best trial (0.93 + 0.045) first, job 3's best (0.895) still before the baseline's 0.88.
        QCOMPARE(names(model).mid(0, 4), QStringList({QStringLiteral("hpo-job-2"), QStringLiteral("hpo-job-1"),
                                                      QStringLiteral("hpo-job-3"), QStringLiteral("baseline")}));
        const QModelIndex job2 = at(model, "hpo-job-2", auc);
        QCOMPARE(job2.data().toString(), QStringLiteral("0.975"));
        QVERIFY(job2.data(Qt::FontRole).value<QFont>().italic());
        QVERIFY(job2.data(Qt::ToolTipRole).toString().contains(QStringLiteral("job2-trial-07")));
        QCOMPARE(job2.data(RunTableModel::ExactTextRole).toString(), QString());   // its own: none
        QCOMPARE(names(model, job2.siblingAtColumn(0)).first(), QStringLiteral("job2-trial-07"));
        QCOMPARE(names(model, job2.siblingAtColumn(0)).last(), QStringLiteral("job2-trial-10"));
        // Two levels: the sweep holds its best seed's value, as does each fold.
        QCOMPARE(at(model, "sweep", auc).data().toString(), QStringLiteral("0.723"));
        QCOMPARE(at(model, "fold-1", auc).data().toString(), QStringLiteral("0.713"));
        QCOMPARE(names(model, at(model, "sweep")), QStringList({QStringLiteral("fold-2"), QStringLiteral("fold-1")}));
        // Ascending: the worst parent first, its trials worst first; the parent still shows its best.
        model.sort(auc, Qt::AscendingOrder);
        QCOMPARE(names(model).first(), QStringLiteral("orphan"));
        QCOMPARE(at(model, "hpo-job-2", auc).data().toString(), QStringLiteral("0.975"));
        QCOMPARE(names(model, at(model, "hpo-job-2")).first(), QStringLiteral("job2-trial-10"));
        // A loss: lower is better.
        model.sort(loss, Qt::AscendingOrder);
        QCOMPARE(at(model, "hpo-job-2", loss).data().toString(), QStringLiteral("0.025"));
        QCOMPARE(names(model).first(), QStringLiteral("hpo-job-2"));
        // Another column: the parent's own (empty) cell, no best.
        QVERIFY(at(model, "hpo-job-2", auc).data().toString().isEmpty());
    }

    void queryMatchingOnlyChildrenKeepsTheirParentsAsContext()
    {
        const auto selection = RunQuery(QStringLiteral("metrics.val/auc > 0.968")).select(*table_);
        QVERIFY(!selection.error);
        QCOMPARE(selection.rows.size(), size_t(2));   // job 2's trials 4 and 7
        RunTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTable(table_, selection.rows);
        QCOMPARE(names(model), QStringList({QStringLiteral("hpo-job-2")}));
        const QModelIndex job2 = at(model, "hpo-job-2");
        QVERIFY(job2.data(RunTableModel::IsContextRole).toBool());
        QVERIFY(job2.data(Qt::ForegroundRole).isValid());   // dimmed
        QCOMPARE(job2.data().toString(), QStringLiteral("hpo-job-2  \u00b7 2 of 10 runs"));
        QCOMPARE(model.rowCount(job2), 2);
        QVERIFY(!model.index(0, 0, job2).data(RunTableModel::IsContextRole).toBool());
        QCOMPARE(model.contextRows(), std::vector<int>{row("hpo-job-2")});
        QCOMPARE(model.displayedRows().size(), size_t(2));   // what the query matched, for curves and exports

        // Two levels up: a seed alone keeps its fold and the sweep.
        model.setRows({row("fold1-seed-2")});
        QCOMPARE(names(model), QStringList({QStringLiteral("sweep")}));
        QCOMPARE(model.depthOf(row("fold1-seed-2")), 2);
        QCOMPARE(model.contextRows().size(), size_t(2));
    }

    void keyboardExpandsAndCollapsesAndTheViewRemembers()
    {
        RunTableModel model;
        model.setSortKey(QStringLiteral("name"), Qt::AscendingOrder);
        model.setTable(table_, all());
        RunTableView view;
        view.setRunModel(&model);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.rootIsDecorated());
        const QModelIndex job1 = at(model, "hpo-job-1");
        QVERIFY(!view.isExpanded(job1));   // collapsed at first
        view.setFocus();
        view.setCurrentIndex(job1);
        QTest::keyClick(&view, Qt::Key_Right);
        QVERIFY(view.isExpanded(job1));
        QTest::keyClick(&view, Qt::Key_Down);
        QCOMPARE(view.currentIndex().siblingAtColumn(0), model.index(0, 0, job1));   // its first trial
        QTest::keyClick(&view, Qt::Key_Left);   // to the parent
        QTest::keyClick(&view, Qt::Key_Left);   // and closed
        QCOMPARE(view.currentIndex().siblingAtColumn(0), at(model, "hpo-job-1"));
        QVERIFY(!view.isExpanded(at(model, "hpo-job-1")));

        // Expanded stays expanded across a reload (a store being written), by run id.
        view.setCurrentIndex(at(model, "sweep"));
        QTest::keyClick(&view, Qt::Key_Asterisk);   // the whole subtree
        QVERIFY(view.isExpanded(at(model, "fold-2")));
        model.setTable(table_, all());
        QVERIFY(view.isExpanded(at(model, "sweep")));
        QVERIFY(view.isExpanded(at(model, "fold-2")));
        QVERIFY(!view.isExpanded(at(model, "hpo-job-1")));

        // A query's context parent opens so its matching runs show, unless the user closed it.
        model.setRows({row("job3-trial-02")});
        QVERIFY(view.isExpanded(at(model, "hpo-job-3")));
        view.collapse(at(model, "hpo-job-3"));
        model.setRows({row("job3-trial-02"), row("job3-trial-05")});
        QVERIFY(!view.isExpanded(at(model, "hpo-job-3")));
    }

    void cliIndentsChildrenUnderTheirParent()
    {
        auto cli = [](const QStringList& args) {
            QString out, err;
            QTextStream o(&out), e(&err);
            const int code = cli::run(args, o, e);
            o.flush();
            e.flush();
            return std::pair{code, out.split(QLatin1Char('\n'))};
        };
        const auto [code, lines] = cli({QStringLiteral("runs"), store_});
        QCOMPARE(code, 0);
        auto lineOf = [&](const QString& text) {
            for (qsizetype i = 0; i < lines.size(); ++i)
                if (lines[i].contains(text))
                    return i;
            return qsizetype(-1);
        };
        const auto job1 = lineOf(QStringLiteral("  hpo-job-1 "));
        QVERIFY(job1 > 0);
        for (int k = 1; k <= 10; ++k)
            QCOMPARE(lineOf(QStringLiteral("  \u2514 job1-trial-%1").arg(k, 2, 10, QLatin1Char('0'))), job1 + k);
        const auto sweep = lineOf(QStringLiteral("  sweep "));
        QCOMPARE(lineOf(QStringLiteral("  \u2514 fold-1")), sweep + 1);
        QCOMPARE(lineOf(QStringLiteral("    \u2514 fold1-seed-1")), sweep + 2);
        QVERIFY(lineOf(QStringLiteral("  orphan ")) > 0);
        QVERIFY(lines.last().isEmpty() && lines[lines.size() - 2] == QStringLiteral("44 of 44 runs"));

        // Matching only children: the parent stays above them, in parentheses.
        const auto [qcode, qlines] = cli({QStringLiteral("runs"), store_, QStringLiteral("--query"), QStringLiteral("metrics.val/auc > 0.968")});
        QCOMPARE(qcode, 0);
        QCOMPARE(qlines.size(), qsizetype(1 + 3 + 2));
        QVERIFY(qlines[1].contains(QStringLiteral("  (hpo-job-2)")));
        QVERIFY(qlines[2].contains(QStringLiteral("  \u2514 job2-trial-")));
        QVERIFY(qlines[3].contains(QStringLiteral("  \u2514 job2-trial-")));
        QCOMPARE(qlines[4], QStringLiteral("2 of 44 runs, under 1 parent that did not match (in parentheses)"));
    }

    void reportListsChildrenAfterTheirParentIndented()
    {
        Workspace ws;
        QVERIFY(ws.openAndWait({store_}).isEmpty());
        const RunTable& t = *ws.runs();
        auto r = [&](const char* name) { return t.findRun(QString::fromLatin1(name)); };
        ui::ReportOptions o;
        o.sections.curves = o.sections.provenance = o.sections.differences = o.sections.parallel = o.sections.seeds = false;
        // Children given before their parent, a parent with one child missing, a run without its parent.
        const std::vector<int> rows{r("fold1-seed-1"), r("job1-trial-02"), r("hpo-job-1"), r("job1-trial-01"), r("sweep"), r("fold-1")};
        const QString html = ui::ComparisonReport::build(ws, rows, o, [&](const SeriesKey& k) { return ws.loadSeriesNow(k); }).html();
        auto pos = [&](const char* name) { return html.indexOf(QStringLiteral("</span> %1<").arg(QLatin1String(name))); };
        for (const char* name : {"hpo-job-1", "job1-trial-02", "job1-trial-01", "sweep", "fold-1", "fold1-seed-1"})
            QVERIFY2(pos(name) > 0, name);
        // Each parent where the first of its runs was given, its runs after it in the given order.
        QVERIFY(pos("sweep") < pos("fold-1") && pos("fold-1") < pos("fold1-seed-1"));
        QVERIFY(pos("fold1-seed-1") < pos("hpo-job-1"));
        QVERIFY(pos("hpo-job-1") < pos("job1-trial-02") && pos("job1-trial-02") < pos("job1-trial-01"));
        // Indented by depth: the seed two levels down.
        QVERIFY(html.contains(QStringLiteral("\u2514&nbsp;<span class=\"swatch\"")));
        QVERIFY(html.contains(QStringLiteral("&nbsp;&nbsp;\u2514&nbsp;<span class=\"swatch\"")));
        QCOMPARE(html.count(QStringLiteral("\u2514&nbsp;<span class=\"swatch\"")), qsizetype(4));
    }
};

QTEST_MAIN(TestNestedRuns)
#include "test_nested_runs.moc"
