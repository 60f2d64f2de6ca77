// SPDX-License-Identifier: GPL-3.0-or-later
// Candidates in the window: a rule set on an experiment flags the runs that
// meet it in the table; Promote records who, when, why, the rule and the
// metrics, refuses a run that fails its rule unless forced, is undone and
// redone, and is kept in the store; the Candidates tab lists candidates with
// their history and the runs that meet the rule; the dialogs check what is
// typed. A screenshot of the tab goes to the build's test-artifacts folder.
#include "candidates_view.h"
#include "main_window.h"
#include "promote_dialog.h"
#include "promotion.h"
#include "promotion_rule_dialog.h"
#include "run_session.h"
#include "run_table_model.h"
#include "run_table_view.h"
#include "store_registry.h"
#include "test_support.h"
#include "window_test_support.h"
#include "workspace.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUndoStack>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;
using namespace runlens::test;

namespace {

const QString kRule = QStringLiteral("metrics.val_auc >= baseline.val_auc + 0.005 and seeds >= 3 and welch_p < 0.05");

} // namespace

class TestCandidatesWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

    std::shared_ptr<const RunTable> kept() const { return keptIn(store_); }

    static QString candidateCell(MainWindow& w, const QString& name)
    {
        RunTableModel& m = *w.tableModel();
        const int column = m.columnOf(QStringLiteral("candidate"));
        if (column < 0)
            return QStringLiteral("<no column>");
        const int row = w.workspace().runs()->findRun(name);
        return m.indexOfTableRow(row, column).data().toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        isolateSettings(dir_);
        store_ = dir_.filePath(QStringLiteral("candidates.db"));
        // A sweep over lr with three seeds each; lr 0.1 is the baseline's config.
        struct Config {
            const char* name;
            double lr;
            double auc[3];
        };
        const Config configs[] = {{"base", 0.1, {0.900, 0.902, 0.904}},
                                  {"cosine-warmup-lr0.05", 0.05, {0.910, 0.912, 0.914}},
                                  {"noisy-lr0.2", 0.2, {0.890, 0.930, 0.910}}};
        for (const auto& c : configs)
            for (int seed = 0; seed < 3; ++seed) {
                auto o = testRun(std::string(c.name) + "-s" + std::to_string(seed));
                o.experiment = "resnet-imagenet-subset";
                auto run = Run::start(store_.toStdString(), o);
                run.logParam("lr", c.lr);
                run.logParam("seed", static_cast<int64_t>(seed));
                for (int s = 0; s < 50; ++s)
                    run.logMetric("val_auc", c.auc[seed] - 0.3 / (s + 1), s);
                run.logMetric("val_auc", c.auc[seed], 50);
                run.logMetric("train_loss", 0.2 + 0.01 * seed, 50);
                run.finish();
            }
    }

    void ruleFlagsPromotionIsRecordedUndoneAndKept()
    {
        MainWindow w;
        w.resize(1400, 860);
        w.openStores({store_});
        settle(w);
        Workspace& ws = w.workspace();
        // No rule, no candidate: no column to read.
        QCOMPARE(w.tableModel()->columnOf(QStringLiteral("candidate")), -1);
        QVERIFY(ws.setBaseline(ws.runs()->findRun(QStringLiteral("base-s0"))));
        ws.setPromotionRule(0, QStringLiteral("resnet-imagenet-subset"), kRule);
        settle(w);
        QCOMPARE(candidateCell(w, QStringLiteral("cosine-warmup-lr0.05-s1")), QStringLiteral("\u2713 meets rule"));
        QCOMPARE(candidateCell(w, QStringLiteral("noisy-lr0.2-s1")), QString());
        {
            RunTableModel& m = *w.tableModel();
            const QModelIndex failing = m.indexOfTableRow(ws.runs()->findRun(QStringLiteral("noisy-lr0.2-s1")),
                                                          m.columnOf(QStringLiteral("candidate")));
            QVERIFY(failing.data(Qt::ToolTipRole).toString().startsWith(QLatin1String("Does not meet the rule")));
        }
        QCOMPARE(candidateCell(w, QStringLiteral("base-s0")), QStringLiteral("baseline"));

        // The query bar reaches the baseline too.
        QCOMPARE(w.applyQuery(QStringLiteral("is_baseline")), QString());
        QCOMPARE(w.session().shownRows().size(), size_t(1));
        QCOMPARE(w.applyQuery(QStringLiteral("metrics.val_auc > baseline.val_auc + 0.02")), QString());
        QCOMPARE(w.session().shownRows().size(), size_t(1));   // 0.900 + 0.02: only noisy-lr0.2-s1's 0.930
        QCOMPARE(w.applyQuery(QString()), QString());
        // Promoting a run that fails is refused unless forced.
        const int noisy = ws.runs()->findRun(QStringLiteral("noisy-lr0.2-s1"));
        QVERIFY(!w.promoteRuns({noisy}, QStringLiteral("looks good"), false));
        QVERIFY(!isCandidate(*ws.runs(), noisy));

        // Two runs that meet it: one undoable edit, one record each.
        const int a = ws.runs()->findRun(QStringLiteral("cosine-warmup-lr0.05-s0"));
        const int b = ws.runs()->findRun(QStringLiteral("cosine-warmup-lr0.05-s1"));
        QVERIFY(w.promoteRuns({a, b}, QStringLiteral("cosine warm-up beats the baseline on every seed"), false));
        QCOMPARE(w.undoStack()->undoText(), QStringLiteral("Promote 2 runs to candidate"));
        QCOMPARE(candidateCell(w, QStringLiteral("cosine-warmup-lr0.05-s1")), QStringLiteral("\u25c6 candidate"));
        settle(w);
        {
            const auto t = kept();
            const auto record = promotionOf(*t, t->findRun(QStringLiteral("cosine-warmup-lr0.05-s0")));
            QVERIFY(record);
            QCOMPARE(record->why, QStringLiteral("cosine warm-up beats the baseline on every seed"));
            QCOMPARE(record->rule, kRule);
            QVERIFY(record->metRule);
            QCOMPARE(record->baseline, QStringLiteral("base-s0"));
            QCOMPARE(record->user, currentUserName());
            const auto auc = std::find_if(record->metrics.begin(), record->metrics.end(),
                                          [](const auto& m) { return m.first == QLatin1String("val_auc"); });
            QVERIFY(auc != record->metrics.end());
            QCOMPARE(auc->second, 0.910);
        }
        // Undo takes it off the table and the store; redo puts it back.
        w.undoStack()->undo();
        settle(w);
        QCOMPARE(candidateCell(w, QStringLiteral("cosine-warmup-lr0.05-s1")), QStringLiteral("\u2713 meets rule"));
        QVERIFY(!isCandidate(*kept(), kept()->findRun(QStringLiteral("cosine-warmup-lr0.05-s1"))));
        w.undoStack()->redo();
        settle(w);
        QVERIFY(isCandidate(*kept(), kept()->findRun(QStringLiteral("cosine-warmup-lr0.05-s1"))));

        // Forced, the record says the rule was not met.
        QVERIFY(w.promoteRuns({noisy}, QStringLiteral("the seed-1 curve is worth a second look"), true));
        settle(w);
        const auto forced = promotionOf(*kept(), kept()->findRun(QStringLiteral("noisy-lr0.2-s1")));
        QVERIFY(forced);
        QVERIFY(!forced->metRule);

        // The Candidates tab: the experiment, its rule, three candidates (one
        // forced) with their history, and the run that meets the rule unpromoted.
        auto* tabs = w.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentWidget(w.candidatesView());
        QCoreApplication::processEvents();
        auto* model = qobject_cast<QStandardItemModel*>(w.candidatesView()->tree()->model());
        QVERIFY(model);
        QCOMPARE(model->rowCount(), 1);
        QStandardItem* experiment = model->item(0);
        QCOMPARE(experiment->text(), QStringLiteral("resnet-imagenet-subset  \u00b7  rule: ") + kRule);
        QStringList listed;
        for (int i = 0; i < experiment->rowCount(); ++i)
            listed << experiment->child(i, 0)->text() + QStringLiteral(" | ") + experiment->child(i, 1)->text();
        QCOMPARE(listed, (QStringList{QStringLiteral("cosine-warmup-lr0.05-s0 | \u25c6 candidate"),
                                      QStringLiteral("cosine-warmup-lr0.05-s1 | \u25c6 candidate"),
                                      QStringLiteral("noisy-lr0.2-s1 | \u25c6 candidate (forced)"),
                                      QStringLiteral("cosine-warmup-lr0.05-s2 | \u2713 meets rule")}));
        // History beneath a candidate: promoted, demoted (the undo), promoted again.
        QStandardItem* first = experiment->child(1, 0);
        QStringList history;
        for (int i = 0; i < first->rowCount(); ++i)
            history << first->child(i, 0)->text();
        QCOMPARE(history, (QStringList{QStringLiteral("promoted"), QStringLiteral("demoted"), QStringLiteral("promoted")}));
        QVERIFY(experiment->child(0, 4)->text().contains(QLatin1String("cosine warm-up")));
        QVERIFY(experiment->child(0, 5)->text().contains(QLatin1String("val_auc 0.91")));
        // A click in the list selects the run in the table.
        w.candidatesView()->tree()->selectionModel()->select(
            experiment->child(3, 0)->index(), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCoreApplication::processEvents();
        QCOMPARE(w.session().selectedIds(), QStringList{ws.runs()->id(ws.runs()->findRun(QStringLiteral("cosine-warmup-lr0.05-s2")))});

        if (const QString artifacts = QString::fromLocal8Bit(qgetenv("REPORT_ARTIFACTS")); !artifacts.isEmpty()) {
            QDir().mkpath(artifacts);
            w.show();
            QCoreApplication::processEvents();
            w.grab().save(artifacts + QStringLiteral("/candidates-window.png"));
        }

        // Demote: the mark goes, the history stays.
        w.selectRuns({noisy});
        w.demoteSelectedRuns();
        settle(w);
        QVERIFY(!isCandidate(*kept(), kept()->findRun(QStringLiteral("noisy-lr0.2-s1"))));
        QCOMPARE(w.undoStack()->undoText(), QStringLiteral("Demote run"));
    }

    void promoteDialogAsksBeforePromotingAgainstTheRule()
    {
        RunTable t;
        t.addRun(QStringLiteral("a"), QStringLiteral("meets"), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        t.addRun(QStringLiteral("b"), QStringLiteral("fails"), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        const std::vector<RuleVerdict> verdicts{RuleVerdict::Meets, RuleVerdict::Fails};
        const std::vector<QString> rules{kRule, kRule};
        {
            PromoteDialog ok(t, std::vector<int>{0}, verdicts, rules);
            QVERIFY(!ok.forceBox());
            auto* promote = ok.findChild<QDialogButtonBox*>()->buttons().front();
            QVERIFY(promote->isEnabled());
        }
        PromoteDialog dialog(t, std::vector<int>{0, 1}, verdicts, rules);
        QVERIFY(dialog.forceBox());
        QPushButton* promote = nullptr;
        for (auto* b : dialog.findChild<QDialogButtonBox*>()->buttons())
            if (b->text() == QLatin1String("Promote"))
                promote = qobject_cast<QPushButton*>(b);
        QVERIFY(promote);
        QVERIFY(!promote->isEnabled());
        dialog.forceBox()->setChecked(true);
        QVERIFY(promote->isEnabled());
        dialog.whyEdit()->setPlainText(QStringLiteral("  both, for the ablation  "));
        QCOMPARE(dialog.why(), QStringLiteral("both, for the ablation"));
        saveForALook(dialog, QStringLiteral("promote-dialog.png"));
    }

    void ruleDialogChecksWhatIsTyped()
    {
        RunTable t;
        for (int i = 0; i < 4; ++i) {
            const int r = t.addRun(QStringLiteral("id%1").arg(i), QStringLiteral("r%1").arg(i), QStringLiteral("e"),
                                   RunStatus::Finished, i, i + 1);
            t.setMetric(r, QStringLiteral("acc"), 0.8 + 0.05 * i, 0, 1, 1, 0);
        }
        t.sortColumns();
        QueryContext context;
        context.baselineRows = {0, 0, 0, 0};
        PromotionRuleDialog dialog(t, context, QStringLiteral("e"), QString());
        dialog.ruleEdit()->setText(QStringLiteral("metrics.acc > baseline.acc +"));
        QTRY_VERIFY(dialog.checkLabel()->text().contains(QLatin1String("column 29")));   // once typing pauses
        dialog.ruleEdit()->setText(QStringLiteral("metrics.acc > baseline.acc + 0.06"));
        dialog.recheck();
        // Rows 2 and 3 (0.9, 0.95) beat 0.8 + 0.06; row 0 is the baseline, not judged.
        QVERIFY2(dialog.checkLabel()->text().startsWith(QLatin1String("2 of 3")), qPrintable(dialog.checkLabel()->text()));
        QCOMPARE(dialog.rule(), QStringLiteral("metrics.acc > baseline.acc + 0.06"));
        saveForALook(dialog, QStringLiteral("rule-dialog.png"));
    }
};

QTEST_MAIN(TestCandidatesWindow)
#include "test_candidates_window.moc"
