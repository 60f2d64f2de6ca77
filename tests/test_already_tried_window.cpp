// SPDX-License-Identifier: GPL-3.0-or-later
// "Already tried" in the window (#22 item 4): a run whose config had run
// before is marked in the table with the logger's record in its tooltip, the
// record's JSON is not a column, and the runs group by their config.
#include "run_table_model.h"
#include "run_table_view.h"
#include "window_test_support.h"

#include <QtTest>

using namespace runlens;
using namespace runlens::test;
using namespace runlens::ui;

class TestAlreadyTriedWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        isolateSettings(dir_);
        store_ = dir_.filePath(QStringLiteral("sweep.runlens"));
        // lr 0.1 three times (seeds 1, 2, then 1 again: an exact repeat), lr 0.01 once.
        auto start = [&](const char* name, double lr, int seed) {
            RunOptions o = testRun(name);
            o.config = "{\"lr\": " + std::to_string(lr) + ", \"seed\": " + std::to_string(seed) + "}";
            o.on_duplicate = OnDuplicate::Warn;
            auto run = Run::start(store_.toStdString(), o);
            run.logMetric("val_auc", 0.9 + lr, 0);
            run.finish();
        };
        start("first-lr0.1-s1", 0.1, 1);
        start("second-lr0.1-s2", 0.1, 2);
        start("again-lr0.1-s1", 0.1, 1);
        start("other-lr0.01-s1", 0.01, 1);
    }

    void runsThatRanBeforeAreMarkedAndGroupByConfig()
    {
        MainWindow w;
        w.resize(1300, 700);
        w.openStores({store_});
        settle(w);
        RunTableModel& m = *w.tableModel();
        QCOMPARE(m.columnOf(QStringLiteral("tags.") + kAlreadyTriedTag), -1);   // the JSON is not a column
        const int config = m.columnOf(QStringLiteral("config"));
        QVERIFY(config >= 0);
        auto nameCell = [&](const QString& run, int role) -> QVariant {
            for (int i = 0; i < m.rowCount(); ++i) {
                const QModelIndex idx = m.index(i, 0);
                if (m.data(idx, Qt::DisplayRole).toString().endsWith(run))
                    return m.data(idx, role);
            }
            return {};
        };
        // The first run of a config has no mark; the two after it do.
        QCOMPARE(nameCell(QStringLiteral("first-lr0.1-s1"), Qt::DisplayRole).toString(), QStringLiteral("first-lr0.1-s1"));
        QCOMPARE(nameCell(QStringLiteral("second-lr0.1-s2"), Qt::DisplayRole).toString(),
                 QStringLiteral("\u21bb second-lr0.1-s2"));
        const QString tip = nameCell(QStringLiteral("again-lr0.1-s1"), Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QLatin1String("already tried: this config ran twice before")), qPrintable(tip));
        QVERIFY2(tip.contains(QLatin1String("1 as this exact run")), qPrintable(tip));
        QCOMPARE(nameCell(QStringLiteral("other-lr0.01-s1"), Qt::DisplayRole).toString(), QStringLiteral("other-lr0.01-s1"));

        // Grouped by config: lr 0.1's three runs under one group, seeds apart.
        emit w.tableView()->groupByRequested(QStringLiteral("config"));
        QCOMPARE(m.rowCount(), 2);
        QStringList groups;
        for (int g = 0; g < m.rowCount(); ++g)
            groups << m.data(m.index(g, 0), Qt::DisplayRole).toString() + QLatin1Char('/')
                    + QString::number(m.rowCount(m.index(g, 0)));
        QVERIFY2(groups.contains(QLatin1String("lr=0.01/1")) || groups.join(u' ').contains(QLatin1String("/1")), qPrintable(groups.join(u' ')));
        QVERIFY2(groups.join(u' ').contains(QLatin1String("/3")), qPrintable(groups.join(u' ')));
        // A group's title spans the row rather than being cut to the name column.
        QVERIFY(w.tableView()->isFirstColumnSpanned(0, QModelIndex()));
        w.tableView()->expandAll();
        saveForALook(w, QStringLiteral("already-tried-window.png"));
    }
};

QTEST_MAIN(TestAlreadyTriedWindow)
#include "test_already_tried_window.moc"
