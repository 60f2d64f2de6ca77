// SPDX-License-Identifier: GPL-3.0-or-later
// Derived metrics in the window: the dialog checks what is typed against the
// open runs, a kept definition is a table column marked as derived, and the
// Curves tab draws its curve on the steps its metrics share.
#include "curve_plot.h"
#include "curves_view.h"
#include "derived_metric_dialog.h"
#include "run_table_model.h"
#include "window_test_support.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QtTest>

#include <cmath>
#include <numeric>

using namespace runlens;
using namespace runlens::test;
using namespace runlens::ui;

namespace {

QPushButton* button(QDialog& dialog, const QString& text)
{
    for (auto* b : dialog.findChildren<QPushButton*>())
        if (b->text() == text)
            return b;
    return nullptr;
}

} // namespace

class TestDerivedMetricWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        isolateSettings(dir_);
        store_ = dir_.filePath(QStringLiteral("sweep.runlens"));
        // A sweep whose runs log train loss every step and validation loss every 50.
        for (int i = 0; i < 24; ++i) {
            auto run = Run::start(store_.toStdString(), testRun("resnet50-cosine-warmup-lr" + std::to_string(i) + "-s1"));
            run.logParam("lr", 0.01 * (i + 1));
            for (int step = 0; step <= 500; ++step) {
                const double train = 2.0 * std::exp(-step / (80.0 + 5 * i)) + 0.05;
                run.logMetric("train_loss", train, step);
                if (step % 50 == 0)
                    run.logMetric("val_loss", train * (1.05 + 0.01 * i) + 0.02, step);
            }
            run.finish();
        }
    }

    void dialogChecksWhatIsTyped()
    {
        RunTable t;
        for (int i = 0; i < 4; ++i) {
            const int r = t.addRun(QStringLiteral("id%1").arg(i), QStringLiteral("r%1").arg(i), QStringLiteral("e"),
                                   RunStatus::Finished, i, i + 1);
            t.setMetric(r, QStringLiteral("acc"), 0.8 + 0.05 * i, 0, 1, 10, 9);
        }
        DerivedMetricDialog dialog(t, {{QStringLiteral("a.runlens"), {{QStringLiteral("old"), QStringLiteral("metrics.acc * 2")}}}},
                                   0, {});
        QPushButton* keep = button(dialog, QStringLiteral("Keep Metric"));
        QVERIFY(keep);
        dialog.nameEdit()->setText(QStringLiteral("err"));
        dialog.expressionEdit()->setText(QStringLiteral("1 - metrics.acc *"));
        QTRY_VERIFY(dialog.checkLabel()->text().contains(QLatin1String("column 18")));   // once typing pauses
        QVERIFY(!keep->isEnabled());
        dialog.expressionEdit()->setText(QStringLiteral("1 - metrics.acc"));
        dialog.recheck();
        QVERIFY2(dialog.checkLabel()->text().startsWith(QLatin1String("4 of 4 runs have a value, from 0.05 to 0.2")),
                 qPrintable(dialog.checkLabel()->text()));
        QVERIFY(keep->isEnabled());
        // A logged metric keeps its name.
        dialog.nameEdit()->setText(QStringLiteral("acc"));
        dialog.recheck();
        QVERIFY(dialog.checkLabel()->text().contains(QLatin1String("log a metric 'acc'")));
        QVERIFY(!keep->isEnabled());
        // A key nobody logged yet can be kept, with a word.
        dialog.nameEdit()->setText(QStringLiteral("speed"));
        dialog.expressionEdit()->setText(QStringLiteral("metrics.tokens / metrics.time"));
        dialog.recheck();
        QVERIFY(dialog.checkLabel()->text().contains(QLatin1String("Kept anyway")));
        QVERIFY(keep->isEnabled());
        // Picking a kept one edits it.
        dialog.list()->setCurrentRow(0);
        QCOMPARE(dialog.name(), QStringLiteral("old"));
        QCOMPARE(dialog.expression(), QStringLiteral("metrics.acc * 2"));
        dialog.recheck();
        QVERIFY(button(dialog, QStringLiteral("Remove Metric"))->isEnabled());
        dialog.nameEdit()->setText(QStringLiteral("err"));
        dialog.expressionEdit()->setText(QStringLiteral("1 - metrics.acc"));
        dialog.recheck();
        saveForALook(dialog, QStringLiteral("derived-metric-dialog.png"));
    }

    void aKeptDefinitionIsAColumnAndACurve()
    {
        MainWindow w;
        w.resize(1400, 860);
        w.openStores({store_});
        settle(w);
        w.workspace().setDerivedMetric(0, QStringLiteral("generalization_gap"), QStringLiteral("metrics.val_loss - metrics.train_loss"));
        settle(w);
        RunTableModel& m = *w.tableModel();
        const int column = m.columnOf(QStringLiteral("metrics.generalization_gap"));
        QVERIFY(column >= 0);
        QVERIFY(m.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().contains(
            QLatin1String("= metrics.val_loss - metrics.train_loss")));
        QVERIFY(m.headerData(column, Qt::Horizontal, Qt::FontRole).value<QFont>().italic());
        QVERIFY(!m.headerData(m.columnOf(QStringLiteral("metrics.val_loss")), Qt::Horizontal, Qt::FontRole).isValid());

        std::vector<int> all(24);
        std::iota(all.begin(), all.end(), 0);
        w.selectRuns(all);
        w.curvesView()->setMetrics({QStringLiteral("generalization_gap"), QStringLiteral("val_loss")});
        w.curvesView()->loadNow();
        QCOMPARE(int(w.curvesView()->plots().size()), 2);
        const auto& series = w.curvesView()->plots()[0]->series();
        QCOMPARE(int(series.size()), 24);
        // A point at each of val_loss's 11 steps: a curve, not one bar per run.
        for (const auto& s : series)
            QCOMPARE(int(s.raw->size()), 11);
        saveForALook(w, QStringLiteral("derived-metric-window.png"));
    }
};

QTEST_MAIN(TestDerivedMetricWindow)
#include "test_derived_metric_window.moc"
