// SPDX-License-Identifier: GPL-3.0-or-later
// The run table model against the core table: model invariants, sorting,
// constant columns, grouping.
#include "run_table_model.h"
#include "run_table_view.h"
#include "value_text.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;

class TestRunTableModel : public QObject {
    Q_OBJECT

    std::shared_ptr<RunTable> table_;

    std::vector<int> all() const
    {
        std::vector<int> rows(size_t(table_->rowCount()));
        std::iota(rows.begin(), rows.end(), 0);
        return rows;
    }

    static QStringList namesInOrder(const RunTableModel& m)
    {
        QStringList out;
        for (int r : m.displayedRows())
            out << m.table().name(r);
        return out;
    }

private slots:
    void init()
    {
        table_ = std::make_shared<RunTable>();
        struct R {
            const char* name;
            double lr;
            const char* opt;
            double auc;
        };
        const R runs[] = {{"run-10", 0.1, "sgd", 0.8}, {"run-9", 0.01, "adam", 0.9}, {"run-2", 0.1, "adam", NAN},
                          {"run-1", 0.001, "sgd", 0.7}};
        int64_t t = 1000;
        for (const auto& r : runs) {
            const int row = table_->addRun(QString::fromLatin1(r.name) + QStringLiteral("-id"), QString::fromLatin1(r.name),
                                           QStringLiteral("exp"), RunStatus::Finished, t, t + 5000);
            t += 1000;
            table_->setParam(row, QStringLiteral("lr"), QString::number(r.lr), r.lr);
            table_->setParam(row, QStringLiteral("optimizer"), QString::fromLatin1(r.opt), std::nullopt);
            table_->setParam(row, QStringLiteral("epochs"), QStringLiteral("10"), 10.0);
            if (!std::isnan(r.auc))
                table_->setMetric(row, QStringLiteral("val/auc"), r.auc, r.auc, r.auc, 5, 4);
        }
        table_->sortColumns();
    }

    void passesTheModelTesterFlatAndGrouped()
    {
        RunTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTable(table_, all());
        QCOMPARE(model.rowCount(), 4);
        model.setGroupBy(QStringLiteral("params.optimizer"));
        QCOMPARE(model.rowCount(), 2);
        model.sort(model.columnOf(QStringLiteral("params.lr")), Qt::DescendingOrder);
        model.setRows({0, 1});
        model.setGroupBy(QString());
        QCOMPARE(model.rowCount(), 2);
    }

    void columnsComeFromTheTable()
    {
        RunTableModel model;
        model.setTable(table_, all());
        QVERIFY(model.columnOf(QStringLiteral("name")) == 0);
        const int lr = model.columnOf(QStringLiteral("params.lr"));
        const int auc = model.columnOf(QStringLiteral("metrics.val/auc"));
        QVERIFY(lr > 0 && auc > lr);
        QCOMPARE(model.headerData(auc, Qt::Horizontal).toString(), QStringLiteral("val/auc"));
        QCOMPARE(model.index(1, lr).data().toString(), QStringLiteral("0.01"));
        QCOMPARE(model.index(2, auc).data().toString(), QString());   // run-2 has no val/auc
        QCOMPARE(model.index(0, 0).data(RunTableModel::TableRowRole).toInt(), 0);
        QVERIFY(model.index(0, 0).data(Qt::DecorationRole).value<QColor>().isValid());
    }

    void systemColumnsShowThePeakTheMeanOrTheLowest()
    {
        // last, min, max, count, last step, mean: what the machine did, not where it ended.
        table_->setMetric(0, QStringLiteral("system/gpu.0.memory_used_mb"), 1000, 900, 78000, 9, 8, 40000);
        table_->setMetric(1, QStringLiteral("system/gpu.0.memory_used_mb"), 5000, 900, 41000, 9, 8, 20000);
        table_->setMetric(0, QStringLiteral("system/gpu.0.utilization_percent"), 3, 0, 99, 9, 8, 64.5);
        table_->setMetric(1, QStringLiteral("system/gpu.0.utilization_percent"), 3, 0, 99, 9, 8, NAN); // older store
        table_->setMetric(0, QStringLiteral("system/disk.free_gb"), 90, 12, 95, 9, 8, 60);
        table_->sortColumns();
        RunTableModel model;
        model.setTable(table_, all());
        const int mem = model.columnOf(QStringLiteral("metrics.system/gpu.0.memory_used_mb"));
        const int util = model.columnOf(QStringLiteral("metrics.system/gpu.0.utilization_percent"));
        const int disk = model.columnOf(QStringLiteral("metrics.system/disk.free_gb"));
        QVERIFY(mem >= 0 && util >= 0 && disk >= 0);
        QCOMPARE(model.headerData(mem, Qt::Horizontal).toString(), QStringLiteral("system/gpu.0.memory_used_mb (peak)"));
        QCOMPARE(model.headerData(util, Qt::Horizontal).toString(),
            QStringLiteral("system/gpu.0.utilization_percent (mean)"));
        QCOMPARE(model.headerData(disk, Qt::Horizontal).toString(), QStringLiteral("system/disk.free_gb (lowest)"));
        QCOMPARE(model.index(0, mem).data(RunTableModel::ExactTextRole).toString(), QStringLiteral("78000"));
        QCOMPARE(model.index(0, util).data(RunTableModel::ExactTextRole).toString(), QStringLiteral("64.5"));
        QCOMPARE(model.index(1, util).data().toString(), QString());   // a mean not recorded is not shown as one
        QCOMPARE(model.index(0, disk).data(RunTableModel::ExactTextRole).toString(), QStringLiteral("12"));
        QVERIFY(model.index(0, mem).data(Qt::ToolTipRole).toString().contains(
            QStringLiteral("metrics.system/gpu.0.memory_used_mb.max")));
        QVERIFY(model.index(1, util).data(Qt::ToolTipRole).toString().contains(QStringLiteral("not known")));
        // ... and sorts with the runs that lack it.
        model.sort(util, Qt::DescendingOrder);
        QCOMPARE(namesInOrder(model).first(), QStringLiteral("run-10"));
        // Sorted by what is shown: run-10 peaked at 78000 though it ended lower than run-9.
        model.sort(mem, Qt::DescendingOrder);
        QCOMPARE(namesInOrder(model).mid(0, 2), (QStringList{QStringLiteral("run-10"), QStringLiteral("run-9")}));
        // A metric that is not the machine's still shows its last value.
        QCOMPARE(model.headerData(model.columnOf(QStringLiteral("metrics.val/auc")), Qt::Horizontal).toString(),
            QStringLiteral("val/auc"));
    }

    void sortsNumbersNumericallyNamesNaturallyMissingLast()
    {
        RunTableModel model;
        model.setTable(table_, all());
        model.sort(model.columnOf(QStringLiteral("params.lr")), Qt::AscendingOrder);
        QCOMPARE(namesInOrder(model), (QStringList{QStringLiteral("run-1"), QStringLiteral("run-9"),
                                                    QStringLiteral("run-10"), QStringLiteral("run-2")}));
        model.sort(0, Qt::AscendingOrder);
        QCOMPARE(namesInOrder(model), (QStringList{QStringLiteral("run-1"), QStringLiteral("run-2"),
                                                    QStringLiteral("run-9"), QStringLiteral("run-10")}));
        model.sort(model.columnOf(QStringLiteral("metrics.val/auc")), Qt::DescendingOrder);
        QCOMPARE(namesInOrder(model), (QStringList{QStringLiteral("run-9"), QStringLiteral("run-10"),
                                                    QStringLiteral("run-1"), QStringLiteral("run-2")}));
        // The sort survives a new table (a refresh).
        model.setTable(table_, all());
        QCOMPARE(namesInOrder(model).first(), QStringLiteral("run-9"));
        QCOMPARE(model.sortColumn(), model.columnOf(QStringLiteral("metrics.val/auc")));
    }

    void constantColumnsAreJudgedOverTheShownRuns()
    {
        RunTableModel model;
        model.setTable(table_, all());
        QVERIFY(model.isConstant(model.columnOf(QStringLiteral("params.epochs"))));
        QVERIFY(model.isConstant(model.columnOf(QStringLiteral("experiment"))));
        QVERIFY(!model.isConstant(model.columnOf(QStringLiteral("params.lr"))));
        QVERIFY(!model.isConstant(model.columnOf(QStringLiteral("metrics.val/auc"))));   // one run lacks it
        QVERIFY(!model.isConstant(0));
        // Only run-10 and run-2: lr is 0.1 in both.
        model.setRows({0, 2});
        QVERIFY(model.isConstant(model.columnOf(QStringLiteral("params.lr"))));
        QVERIFY(!model.isConstant(model.columnOf(QStringLiteral("params.optimizer"))));
    }

    void groupsByAParam()
    {
        RunTableModel model;
        model.setTable(table_, all());
        model.setGroupBy(QStringLiteral("params.lr"));
        QCOMPARE(model.groupCount(), 3);
        // Groups in numeric order: 0.001, 0.01, 0.1 (with two runs).
        const QModelIndex last = model.index(2, 0);
        QVERIFY(last.data(RunTableModel::IsGroupRole).toBool());
        QVERIFY(last.data().toString().contains(QStringLiteral("0.1")));
        QVERIFY(last.data().toString().contains(QStringLiteral("2 runs")));
        QCOMPARE(model.rowCount(last), 2);
        QCOMPARE(model.tableRow(last), -1);
        const int child = model.tableRow(model.index(0, 0, last));
        QVERIFY(child == 0 || child == 2);
        QCOMPARE(model.parent(model.index(1, 3, last)), last.siblingAtColumn(0));
        QCOMPARE(model.indexOfTableRow(3).parent(), model.index(0, 0));   // run-1 in 0.001
        QCOMPARE(model.displayedRows().size(), size_t(4));
    }

    void groupedColumnsFitTheRunsNotTheGroupRows()
    {
        // Grouped, the top level is group rows with text in the first column
        // only: columns were fitted to those and Name and Status shrank to a
        // few letters. They fit the runs' text.
        const int row = table_->addRun(QStringLiteral("long-id"), QStringLiteral("resnet50-imagenet-cosine-warmup-lr0.1"),
            QStringLiteral("exp"), RunStatus::Finished, 9000, 9500);
        table_->setParam(row, QStringLiteral("lr"), QStringLiteral("0.1"), 0.1);
        RunTableModel model;
        model.setTable(table_, all());
        model.setGroupBy(QStringLiteral("params.lr"));
        RunTableView view;
        view.setRunModel(&model);
        view.applyColumns();
        const QFontMetrics fm(view.font());
        const int name = model.columnOf(QStringLiteral("name"));
        const int status = model.columnOf(QStringLiteral("status"));
        QVERIFY(name >= 0 && status >= 0);
        QVERIFY2(view.columnWidth(name) >= fm.horizontalAdvance(QStringLiteral("resnet50-imagenet-cosine-warmup-lr0.1")),
            qPrintable(QString::number(view.columnWidth(name))));
        QVERIFY(view.columnWidth(status) >= fm.horizontalAdvance(QStringLiteral("finished")));
    }
    void numbersReadCompactWithTheExactValueOnHoverAndInCopy()
    {
        const QString exact = QStringLiteral("0.057998924774706806");
        table_->setParam(0, QStringLiteral("lr"), exact, exact.toDouble());
        table_->setMetric(0, QStringLiteral("val/auc"), 0.91234567891, 0.5, 0.91234567891, 5, 4);
        RunTableModel model;
        model.setTable(table_, all());
        const QModelIndex lr = model.indexOfTableRow(0, model.columnOf(QStringLiteral("params.lr")));
        QCOMPARE(lr.data().toString(), QStringLiteral("0.0579989"));
        QCOMPARE(lr.data(Qt::ToolTipRole).toString(), exact);
        QCOMPARE(lr.data(RunTableModel::ExactTextRole).toString(), exact);
        const QModelIndex auc = model.indexOfTableRow(0, model.columnOf(QStringLiteral("metrics.val/auc")));
        QCOMPARE(auc.data().toString(), QStringLiteral("0.912346"));
        QCOMPARE(auc.data(RunTableModel::ExactTextRole).toString(), QStringLiteral("0.91234567891"));
        QVERIFY(auc.data(Qt::ToolTipRole).toString().contains(QStringLiteral("last 0.91234567891")));

        // Copy: the selected runs, shown columns, every digit.
        RunTableView view;
        view.setRunModel(&model);
        view.selectTableRows({0});
        const QStringList lines = view.copyText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        const QStringList head = lines[0].split(QLatin1Char('\t')), cells = lines[1].split(QLatin1Char('\t'));
        QCOMPARE(cells.value(int(head.indexOf(QStringLiteral("params.lr")))), exact);
        QCOMPARE(cells.value(int(head.indexOf(QStringLiteral("metrics.val/auc")))), QStringLiteral("0.91234567891"));
        QCOMPARE(cells.value(int(head.indexOf(QStringLiteral("name")))), QStringLiteral("run-10"));
    }

    void paramColumnsSortNaturally()
    {
        for (const char* key : {"param_10", "param_2"})
            table_->setParam(0, QString::fromLatin1(key), QStringLiteral("1"), 1.0);
        table_->sortColumns();
        RunTableModel model;
        model.setTable(table_, all());
        QVERIFY(model.columnOf(QStringLiteral("params.param_2")) < model.columnOf(QStringLiteral("params.param_10")));
    }

    void otherToolsTagsAreHiddenUntilShownAndLongJsonElided()
    {
        const QString history = QStringLiteral(R"([{"run_id": "8f1c", "artifact_path": "model", "utc_time_created": "2024-05-01 10:00:00.000000", "flavors": {"sklearn": {"pickled_model": "model.pkl"}}}])");
        table_->setTag(0, QStringLiteral("mlflow.user"), QStringLiteral("ada"));
        table_->setTag(0, QStringLiteral("mlflow.log-model.history"), history);
        table_->setTag(0, QStringLiteral("config"), history);
        table_->setTag(0, QStringLiteral("python"), QStringLiteral("3.10"));
        table_->sortColumns();
        RunTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTable(table_, all());
        QCOMPARE(model.columnOf(QStringLiteral("tags.mlflow.user")), -1);
        QCOMPARE(model.columnOf(QStringLiteral("tags.mlflow.log-model.history")), -1);
        const QModelIndex config = model.indexOfTableRow(0, model.columnOf(QStringLiteral("tags.config")));
        QVERIFY(config.data().toString().size() <= kCellValueChars);
        QVERIFY(config.data().toString().endsWith(QChar(0x2026)));
        QCOMPARE(config.data(RunTableModel::FullValueRole).toString(), history);
        // A short fraction keeps its written digits: in a tag it is often a version.
        QCOMPARE(model.indexOfTableRow(0, model.columnOf(QStringLiteral("tags.python"))).data().toString(), QStringLiteral("3.10"));
        QVERIFY(!model.indexOfTableRow(0, model.columnOf(QStringLiteral("tags.python"))).data(RunTableModel::FullValueRole).isValid());
        model.setShowToolTags(true);
        QVERIFY(model.columnOf(QStringLiteral("tags.mlflow.user")) >= 0);
        QCOMPARE(model.indexOfTableRow(0, model.columnOf(QStringLiteral("tags.mlflow.user"))).data().toString(), QStringLiteral("ada"));
        model.setShowToolTags(false);
        QCOMPARE(model.columnOf(QStringLiteral("tags.mlflow.user")), -1);
    }
};

QTEST_MAIN(TestRunTableModel)
#include "test_run_table_model.moc"
