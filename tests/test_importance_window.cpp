// SPDX-License-Identifier: GPL-3.0-or-later
// The Importance tab in the window: over the shown runs of a sweep it ranks
// the param the metric depends on first, leaves the seed out, sorts by any
// column; a click on a param puts it on the scatter's x axis and first among
// the parallel axes (coloured by the metric), a double-click opens the
// scatter; a categorical param reaches the parallel axes only (the scatter
// takes numbers). A screenshot goes to the build's test-artifacts folder.
#include "importance_view.h"
#include "main_window.h"
#include "parallel_coordinates_view.h"
#include "scatter_view.h"
#include "test_support.h"
#include "window_test_support.h"
#include "workspace.h"

#include <QComboBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace runlens;
using namespace runlens::ui;
using namespace runlens::test;

namespace {

const QString kLongKey = QStringLiteral("model.encoder.transformer_block.attention_dropout_probability");

QTabWidget* tabsOf(QWidget* view)
{
    for (QWidget* w = view; w; w = w->parentWidget())
        if (auto* tabs = qobject_cast<QTabWidget*>(w))
            return tabs;
    return nullptr;
}

int viewRowOf(ImportanceView& v, const QString& key)
{
    for (int r = 0; r < v.table()->model()->rowCount(); ++r)
        if (v.paramAt(r) == key)
            return r;
    return -1;
}

void clickRow(ImportanceView& v, int row, bool twice = false)
{
    QTableView* t = v.table();
    const QPoint at = t->visualRect(t->model()->index(row, 0)).center();
    QTest::mouseClick(t->viewport(), Qt::LeftButton, {}, at);
    if (twice)
        QTest::mouseDClick(t->viewport(), Qt::LeftButton, {}, at);
    QCoreApplication::processEvents();
}

QString scatterX(ScatterView& s)
{
    // The first combo box of the scatter's bar is its x axis.
    return s.findChildren<QComboBox*>().front()->currentData().toString();
}

} // namespace

class TestImportanceWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        isolateSettings(dir_);
        store_ = dir_.filePath(QStringLiteral("importance.db"));
        // 48 runs: val/auc rises with log lr (strong), adam helps (medium),
        // the long-named dropout a little, width not at all; a seed per run.
        std::mt19937 rng(11);
        auto u = [&] { return double(rng() >> 5) / double(1u << 27); };
        const char* optimizers[] = {"adam", "sgd", "adamw"};
        for (int i = 0; i < 48; ++i) {
            auto run = Run::start(store_.toStdString(), testRun("trial-" + std::to_string(i)));
            const double ulr = u(), udrop = u(), noise = u();
            const int opt = int(u() * 3);
            run.logParam("lr", std::pow(10.0, -5 + 4 * ulr));
            run.logParam("optimizer", optimizers[opt]);
            run.logParam(kLongKey.toStdString(), 0.5 * udrop);
            run.logParam("width", int64_t(64 + int(u() * 960)));
            run.logParam("seed", int64_t(1000 + i));
            run.logMetric("val/auc", 0.5 + 0.4 * ulr + (opt == 0 ? 0.12 : 0.0) + 0.05 * udrop + 0.03 * noise, 0);
            run.finish();
        }
    }

    void clickPointsScatterAndParallelAxes()
    {
        MainWindow w;
        w.resize(1400, 860);
        w.openStores({store_});
        w.workspace().waitForIdle();
        QCoreApplication::processEvents();
        ImportanceView& v = *w.importanceView();
        QTabWidget* tabs = tabsOf(&v);
        QVERIFY(tabs);
        QVERIFY(tabs->indexOf(&v) >= 0);
        tabs->setCurrentWidget(&v);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCoreApplication::processEvents();

        QCOMPARE(v.metric(), QStringLiteral("val/auc"));
        QTRY_VERIFY(!v.computing());   // fitted on a pool thread
        QCOMPARE(v.result().runs, 48);
        QCOMPARE(v.paramAt(0), QStringLiteral("lr"));   // sorted by importance, most first
        QCOMPARE(v.table()->model()->rowCount(), 4);      // the seed is not a param here
        QCOMPARE(viewRowOf(v, QStringLiteral("seed")), -1);
        QVERIFY(viewRowOf(v, QStringLiteral("width")) > viewRowOf(v, QStringLiteral("optimizer")));

        // Sortable: by name, then back by importance.
        v.table()->sortByColumn(ImportanceModel::Param, Qt::AscendingOrder);
        QCOMPARE(v.paramAt(0), QStringLiteral("lr"));
        QCOMPARE(v.paramAt(3), QStringLiteral("width"));
        v.table()->sortByColumn(ImportanceModel::Importance, Qt::DescendingOrder);
        QCOMPARE(v.paramAt(0), QStringLiteral("lr"));

        // A click: the scatter plots val/auc against it, the parallel axes start with it.
        clickRow(v, viewRowOf(v, kLongKey));
        QCOMPARE(scatterX(*w.scatterView()), QStringLiteral("params.") + kLongKey);
        const auto& axes = w.parallelView()->axes().axes();
        QCOMPARE(axes.front().key, QStringLiteral("params.") + kLongKey);
        QCOMPARE(axes.back().key, QStringLiteral("metrics.val/auc"));
        QCOMPARE(tabs->currentWidget(), &v);   // a click stays here: look down the list

        // Categorical: the parallel axes take it; the scatter (numbers only) keeps its x.
        clickRow(v, viewRowOf(v, QStringLiteral("optimizer")));
        QCOMPARE(w.parallelView()->axes().axes().front().key, QStringLiteral("params.optimizer"));
        QCOMPARE(scatterX(*w.scatterView()), QStringLiteral("params.") + kLongKey);

        if (const QString artifacts = QString::fromLocal8Bit(qgetenv("REPORT_ARTIFACTS")); !artifacts.isEmpty()) {
            QDir().mkpath(artifacts);
            v.grab().save(artifacts + QStringLiteral("/importance-tab.png"));
        }

        // A double-click opens the scatter on that param.
        clickRow(v, viewRowOf(v, QStringLiteral("lr")), true);
        QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(w.scatterView()));
        QCOMPARE(scatterX(*w.scatterView()), QStringLiteral("params.lr"));
        QVERIFY(w.scatterView()->pointCount() == 48);
    }
};

QTEST_MAIN(TestImportanceWindow)
#include "test_importance_window.moc"
