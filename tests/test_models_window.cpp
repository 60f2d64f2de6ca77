// SPDX-License-Identifier: GPL-3.0-or-later
// The Models tab: a store's registered models with their versions (newest
// first), aliases, stages and source runs; choosing a version selects its
// run; the history says how the champion moved; registering the selected
// run, pointing an alias and moving a stage are kept in the store and
// shown; the registered run's Candidate cell names its version; an MLflow
// store's registry is shown read-only and never written. A screenshot goes
// to the build's test-artifacts folder.
#include "main_window.h"
#include "models_view.h"
#include "promotion.h"
#include "run_table_model.h"
#include "run_table_view.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "test_support.h"
#include "window_test_support.h"
#include "workspace.h"

#include <QApplication>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;
using namespace runlens::test;

namespace {

// Answers the next modal dialog (an input dialog with `text`, or a message box) once it shows.
void answerNextDialog(const QString& text, bool* seen)
{
    QTimer::singleShot(0, [text, seen] {
        QWidget* modal = QApplication::activeModalWidget();
        if (auto* input = qobject_cast<QInputDialog*>(modal)) {
            input->setTextValue(text);
            input->accept();
            *seen = true;
        } else if (auto* box = qobject_cast<QMessageBox*>(modal)) {
            box->accept();
            *seen = true;
        } else {
            answerNextDialog(text, seen);   // not shown yet
        }
    });
}

// Edit > Register Model Version…, as enabled when the menu opens.
bool registerActionEnabled(MainWindow& w)
{
    for (QAction* menu : w.menuBar()->actions())
        if (menu->menu())
            for (QAction* a : menu->menu()->actions())
                if (a->text() == QStringLiteral("Re&gister Model Version\u2026")) {
                    emit menu->menu()->aboutToShow();
                    return a->isEnabled();
                }
    throw std::runtime_error("no Register Model Version action");
}

QStringList column(const QAbstractItemModel& m, const QModelIndex& parent, int col)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r)
        out << m.index(r, col, parent).data().toString();
    return out;
}

ModelRegistry keptRegistry(const QString& store)
{
    SqliteDb db(store.toStdString(), SqliteDb::Mode::ReadOnly);
    return readModelRegistry(db);
}

} // namespace

class TestModelsWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;
    std::vector<std::string> ids_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        isolateSettings(dir_);
        qputenv("RUNLENS_SYSTEM_METRICS", "0");
        store_ = dir_.filePath(QStringLiteral("models.db"));
        const double acc[] = {0.81, 0.86, 0.84, 0.88};
        for (int i = 0; i < 4; ++i) {
            Run run = Run::start(store_.toStdString(), testRun("gbm-depth-" + std::to_string(i + 3)));
            run.logParam("depth", int64_t(i + 3));
            run.logMetric("val_acc", acc[i], 1);
            run.finish();
            ids_.push_back(run.id());
        }
        SqliteDb db = openStoreForWriting(store_.toStdString());
        const auto version = [&](int i) {
            return RegistryChange{RegistryAction::CreateVersion, "churn", 0, {}, std::nullopt, ids_[size_t(i)],
                                  "runs:/" + ids_[size_t(i)] + "/model"};
        };
        applyRegistryChanges(db,
                             std::vector<RegistryChange>{{RegistryAction::CreateModel, "churn", 0, {}, "who leaves", {}, {}},
                                                         version(0), version(1), version(2)},
                             "ana");
        applyRegistryChanges(db, std::vector<RegistryChange>{{RegistryAction::SetAlias, "churn", 1, "champion", {}, {}, {}}}, "ana");
        applyRegistryChanges(db, std::vector<RegistryChange>{{RegistryAction::SetAlias, "churn", 2, "champion", {}, {}, {}}}, "bo");
    }

    void theTabListsVersionsAndTheirRunsAndTheAliasHistory()
    {
        MainWindow w;
        w.resize(1400, 860);
        w.openStores({store_});
        settle(w);
        ModelsView& view = *w.modelsView();
        const auto& m = *qobject_cast<QStandardItemModel*>(view.tree()->model());
        QCOMPARE(column(m, {}, 0), QStringList{QStringLiteral("churn")});
        const QModelIndex churn = m.index(0, 0);
        QCOMPARE(column(m, churn, 0), (QStringList{QStringLiteral("v3"), QStringLiteral("v2"), QStringLiteral("v1")}));
        QCOMPARE(column(m, churn, 2), (QStringList{QString(), QStringLiteral("champion"), QString()}));
        QCOMPARE(column(m, churn, 3),
                 (QStringList{QStringLiteral("gbm-depth-5"), QStringLiteral("gbm-depth-4"), QStringLiteral("gbm-depth-3")}));
        QVERIFY2(m.index(1, 4, churn).data().toString().contains(QStringLiteral("val_acc 0.86")),
                 qPrintable(m.index(1, 4, churn).data().toString()));
        QCOMPARE(m.index(0, 2).data().toString(), QStringLiteral("champion \u2192 v2"));

        // Choosing v3 selects its run, and the history shows how the champion moved.
        QVERIFY(view.choose(0, "churn", 3));
        const int row3 = w.workspace().runs()->rowOfId(QString::fromStdString(ids_[2]));
        QCOMPARE(w.tableView()->selectedTableRows(), std::vector<int>{row3});
        const QStringList history = column(*view.history()->model(), {}, 2);
        QCOMPARE(history.first(), QStringLiteral("champion \u2192 v2 (was v1)"));
        QVERIFY(history.contains(QStringLiteral("registered v3 from gbm-depth-5")));
        QCOMPARE(history.last(), QStringLiteral("created churn"));
        QCOMPARE(column(*view.history()->model(), {}, 1).first(), QStringLiteral("bo"));

        // The registered runs' Candidate cells name their versions.
        RunTableModel& table = *w.tableModel();
        QCOMPARE(table.indexOfTableRow(row3, table.columnOf(QStringLiteral("candidate"))).data().toString(),
                 QStringLiteral("\u25c6 churn v3"));
        if (auto* tabs = qobject_cast<QTabWidget*>(view.parentWidget()->parentWidget()))
            tabs->setCurrentWidget(&view);
        saveForALook(w, QStringLiteral("models-tab.png"));
    }

    void registeringAliasingAndStagingAreKeptAndShown()
    {
        MainWindow w;
        w.resize(1400, 860);
        w.openStores({store_});
        settle(w);
        Workspace& ws = w.workspace();
        const int row = ws.runs()->rowOfId(QString::fromStdString(ids_[3]));
        w.selectRuns({row});
        QVERIFY(registerActionEnabled(w));
        bool answered = false;
        answerNextDialog(QStringLiteral("churn"), &answered);
        w.registerSelectedRun();
        QVERIFY(answered);
        settle(w);
        QTRY_VERIFY_WITH_TIMEOUT((w.workspace().refresh(), keptRegistry(store_).model("churn")->versions.size() == 4), 10000);
        QCOMPARE(keptRegistry(store_).model("churn")->version(4)->runId, ids_[3]);
        // Shown once read again: the new version chosen, its run a candidate named by it.
        QTRY_VERIFY_WITH_TIMEOUT(w.modelsView()->chosen() && w.modelsView()->chosen()->version == 4, 10000);
        const auto record = promotionOf(*ws.runs(), ws.runs()->rowOfId(QString::fromStdString(ids_[3])));
        QVERIFY(record);
        QCOMPARE(record->model, QStringLiteral("churn"));
        QCOMPARE(record->version, qint64(4));

        answered = false;
        answerNextDialog(QStringLiteral("challenger"), &answered);
        w.setModelAlias(0, QStringLiteral("churn"), 4);
        QVERIFY(answered);
        w.setModelStage(0, QStringLiteral("churn"), 4, QStringLiteral("Staging"));
        settle(w);
        QTRY_VERIFY_WITH_TIMEOUT(keptRegistry(store_).model("churn")->aliases.contains("challenger"), 10000);
        QCOMPARE(keptRegistry(store_).model("churn")->aliases.at("challenger"), int64_t(4));
        QCOMPARE(keptRegistry(store_).model("churn")->version(4)->stage, std::string("Staging"));
        QTRY_VERIFY_WITH_TIMEOUT(ws.store(0).registry->model("churn")->version(4)->stage == "Staging", 10000);
        const auto& m = *w.modelsView()->tree()->model();
        QTRY_COMPARE_WITH_TIMEOUT(m.index(0, 1, m.index(0, 0)).data().toString(), QStringLiteral("Staging"), 10000);
        QCOMPARE(m.index(0, 2, m.index(0, 0)).data().toString(), QStringLiteral("challenger"));
    }

    void anMlflowRegistryIsShownAndNeverWritten()
    {
        const QString fixture = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-sqlite/mlflow.db");
        if (!QFileInfo::exists(fixture))
            QFAIL(kMissingFixtures);
        const QString copy = dir_.filePath(QStringLiteral("mlflow.db"));
        QVERIFY(QFile::copy(fixture, copy));
        const QByteArray before = fileHash(copy);
        MainWindow w;
        w.resize(1400, 860);
        w.openStores({copy});
        settle(w);
        ModelsView& view = *w.modelsView();
        const auto& m = *view.tree()->model();
        QCOMPARE(column(m, {}, 0), QStringList{QStringLiteral("logistic_regression")});
        QCOMPARE(m.index(0, 2, m.index(0, 0)).data().toString(), QStringLiteral("production"));
        QVERIFY(view.choose(0, "logistic_regression", 1));
        int aliasButtons = 0;
        for (auto* b : view.findChildren<QPushButton*>())
            if (b->text().startsWith(QStringLiteral("Set Alias"))) {
                ++aliasButtons;
                QVERIFY(!b->isEnabled());
            }
        QCOMPARE(aliasButtons, 1);
        const auto stages = view.findChildren<QToolButton*>();
        QCOMPARE(stages.size(), 1);
        QVERIFY(!stages.front()->isEnabled());
        // Registering a run of it explains instead of writing; the menu says so first.
        w.selectRuns({0});
        QVERIFY(!registerActionEnabled(w));
        bool answered = false;
        answerNextDialog({}, &answered);
        w.registerSelectedRun();
        QVERIFY(answered);
        settle(w);
        QCOMPARE(fileHash(copy), before);
    }
};

QTEST_MAIN(TestModelsWindow)
#include "test_models_window.moc"
