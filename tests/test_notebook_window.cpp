// SPDX-License-Identifier: GPL-3.0-or-later
// The lab notebook in the window: every edit kind shown at once, kept in the
// store, undone and redone (Edit > Undo is the inverse edit, in the store
// too); notes edited in place in the details panel; the trash hiding runs
// until shown or emptied; the tag editor's completion; other tools' stores
// left byte-identical. A screenshot of the notes panel goes to the build's
// test-artifacts folder for a look.
#include "main_window.h"
#include "notes_panel.h"
#include "run_details_view.h"
#include "run_edit.h"
#include "run_session.h"
#include "run_table_model.h"
#include "navigator_view.h"
#include "query_bar.h"
#include "run_table_view.h"
#include "store_entries.h"
#include "store_registry.h"
#include "tag_editor_dialog.h"
#include "test_support.h"
#include "window_test_support.h"
#include "workspace.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QDirIterator>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QUndoStack>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;
using namespace runlens::test;

class TestNotebookWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

    std::shared_ptr<const RunTable> kept() const { return keptIn(store_); }

    static QString tagOf(const RunTable& t, int row, const QString& key)
    {
        const ValueColumn* c = t.tag(key);
        return c && c->has(row) ? c->text[size_t(row)] : QStringLiteral("<none>");
    }

    void select(MainWindow& w, const QStringList& names)
    {
        w.selectRunIds(names);
        w.session().setSelectedIds(names);
        QCoreApplication::processEvents();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        isolateSettings(dir_);
        store_ = dir_.filePath(QStringLiteral("notebook.db"));
        for (int i = 0; i < 5; ++i) {
            auto o = testRun("run-" + std::to_string(i));
            o.experiment = "lr-sweep";
            auto run = Run::start(store_.toStdString(), o);
            run.logParam("lr", 0.001 * (i + 1));
            run.setTag("owner", i % 2 ? "ana" : "bo");
            for (int s = 0; s < 200; ++s)
                run.logMetric("loss", 1.0 / (s + 1 + i), s);
            run.finish();
        }
    }

    void everyEditShowsAtOnceIsKeptAndUndoes()
    {
        MainWindow w;
        w.openStores({store_});
        settle(w);
        auto rowOf = [&](const char* name) { return w.workspace().runs()->findRun(QString::fromLatin1(name)); };
        const auto table = w.workspace().runs();
        QUndoStack& undo = *w.undoStack();

        // Rename: the table at once, the store once kept.
        QVERIFY(w.pushEdit(RunEdit::forRows(*table, std::vector<int>{rowOf("run-0")}, RunField::Name, {}, QStringLiteral("baseline cosine"))));
        QCOMPARE(undo.undoText(), QStringLiteral("Rename run to baseline cosine"));
        QVERIFY(w.workspace().runs()->findRun(QStringLiteral("baseline cosine")) >= 0);
        settle(w);
        QVERIFY(kept()->findRun(QStringLiteral("baseline cosine")) >= 0);

        // Star two runs from the selection; the name shows it.
        select(w, {QStringLiteral("run-1"), QStringLiteral("run-2")});
        w.toggleStarOnSelectedRuns();
        settle(w);
        QVERIFY(w.workspace().runs()->isStarred(rowOf("run-1")));
        QVERIFY(kept()->isStarred(kept()->findRun(QStringLiteral("run-2"))));
        const auto shown = w.tableModel()->displayedRows();
        const auto at = std::find(shown.begin(), shown.end(), rowOf("run-1"));
        QVERIFY(at != shown.end());
        const QModelIndex name = w.tableModel()->index(int(at - shown.begin()), 0);
        QVERIFY(name.isValid());
        bool starShown = false;
        for (int c = 0; c < w.tableModel()->columnCount(); ++c)
            starShown = starShown || w.tableModel()->index(name.row(), c).data().toString().startsWith(QChar(0x2605));
        QVERIFY(starShown);
        // All starred: the same action unstars.
        w.toggleStarOnSelectedRuns();
        settle(w);
        QVERIFY(!kept()->isStarred(kept()->findRun(QStringLiteral("run-1"))));

        // A tag on both, then undo every edit back to the start, then redo.
        const auto now = w.workspace().runs();
        QVERIFY(w.pushEdit(RunEdit::forRows(*now, std::vector<int>{rowOf("run-1"), rowOf("run-2")}, RunField::Tag,
                                            QStringLiteral("owner"), QStringLiteral("cy"))));
        settle(w);
        QCOMPARE(tagOf(*kept(), kept()->findRun(QStringLiteral("run-1")), QStringLiteral("owner")), QStringLiteral("cy"));
        QCOMPARE(undo.count(), 4);
        while (undo.canUndo())
            undo.undo();
        settle(w);
        {
            const auto t = kept();
            QCOMPARE(tagOf(*t, t->findRun(QStringLiteral("run-1")), QStringLiteral("owner")), QStringLiteral("ana"));
            QCOMPARE(tagOf(*t, t->findRun(QStringLiteral("run-2")), QStringLiteral("owner")), QStringLiteral("bo"));
            QVERIFY(t->findRun(QStringLiteral("run-0")) >= 0);
            QVERIFY(!t->isStarred(t->findRun(QStringLiteral("run-1"))));
            QCOMPARE(w.workspace().runs()->findRun(QStringLiteral("baseline cosine")), -1);
        }
        while (undo.canRedo())
            undo.redo();
        settle(w);
        {
            const auto t = kept();
            QVERIFY(t->findRun(QStringLiteral("baseline cosine")) >= 0);
            QCOMPARE(tagOf(*t, t->findRun(QStringLiteral("run-2")), QStringLiteral("owner")), QStringLiteral("cy"));
            QVERIFY(!t->isStarred(t->findRun(QStringLiteral("run-2"))));   // starred, then unstarred
        }
        // Undo again so later tests see the store as made.
        while (undo.canUndo())
            undo.undo();
        settle(w);
    }

    void notesAreEditedInPlaceAndTheHistorySaysSo()
    {
        MainWindow w;
        w.resize(1300, 800);
        w.openStores({store_});
        settle(w);
        w.tableView()->selectTableRows({w.workspace().runs()->findRun(QStringLiteral("run-3"))});
        QCoreApplication::processEvents();
        NotesPanel* notes = w.detailsView()->notesPanel();
        QVERIFY(notes->isVisible() || !w.isVisible());
        notes->startEditing();
        QVERIFY(notes->isEditing());
        notes->editor()->setPlainText(QStringLiteral("# Diverged at step 120\n\n- lr **too high**\n- try warmup"));
        notes->save();
        QVERIFY(!notes->isEditing());
        QCOMPARE(w.undoStack()->undoText(), QStringLiteral("Edit notes of run"));
        settle(w);
        const auto t = kept();
        auto reader = std::move(*openStore(store_));
        const auto d = reader->loadDetails(t->id(t->findRun(QStringLiteral("run-3"))));
        QCOMPARE(d->notes, QStringLiteral("# Diverged at step 120\n\n- lr **too high**\n- try warmup"));
        QCOMPARE(d->events.back().field, QStringLiteral("notes"));
        // Rendered as Markdown, not shown as source.
        QVERIFY(notes->view()->toPlainText().contains(QStringLiteral("too high")));
        QVERIFY(!notes->view()->toPlainText().contains(QStringLiteral("**")));
        // Escape leaves the text as it was.
        w.detailsView()->hypothesisPanel()->startEditing();
        w.detailsView()->hypothesisPanel()->editor()->setPlainText(QStringLiteral("never kept"));
        QTest::keyClick(w.detailsView()->hypothesisPanel()->editor(), Qt::Key_Escape);
        QVERIFY(!w.detailsView()->hypothesisPanel()->isEditing());
        QCOMPARE(w.undoStack()->count(), 1);
        saveForALook(w, QStringLiteral("notebook-window.png"));
        w.undoStack()->undo();
        settle(w);
    }

    void theTrashHidesRunsUntilShownOrEmptied()
    {
        const QString path = dir_.filePath(QStringLiteral("trash.db"));
        QFile::copy(store_, path);
        MainWindow w;
        w.openStores({path});
        settle(w);
        select(w, {QStringLiteral("run-4")});
        w.tableView()->selectTableRows({w.workspace().runs()->findRun(QStringLiteral("run-4"))});
        w.trashSelectedRuns(true);
        QCOMPARE(w.tableModel()->rowCount(), 4);   // gone from view at once
        w.setShowTrash(true);
        QCOMPARE(w.tableModel()->rowCount(), 1);
        QCOMPARE(w.tableModel()->table().name(w.tableModel()->displayedRows().front()), QStringLiteral("run-4"));
        w.undoStack()->undo();
        QCOMPARE(w.tableModel()->rowCount(), 0);
        w.undoStack()->redo();
        w.setShowTrash(false);
        settle(w);
        w.workspace().emptyTrash(false);
        settle(w);
        QCOMPARE(w.workspace().runs()->rowCount(), 4);
        auto r = std::move(*openStore(path));
        QCOMPARE(mustLoad(*r)->rowCount(), 4);
    }

    void withNothingSelectedTheDetailsSummarizeWhatIsShown()
    {
        MainWindow w;
        w.openStores({store_});
        settle(w);
        w.tableView()->clearSelection();
        QCoreApplication::processEvents();
        QTextBrowser* summary = w.detailsView()->summaryView();
        QVERIFY(summary->isVisibleTo(w.detailsView()));
        const QString text = summary->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("lr-sweep")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Lowest loss")));
        // run-4 logged the lowest loss: first under "Lowest loss".
        QVERIFY(text.indexOf(QStringLiteral("run-4")) < text.indexOf(QStringLiteral("run-0")));
        // A run's line selects it; a status applies its query.
        const auto table = w.workspace().runs();
        emit summary->anchorClicked(QUrl(QStringLiteral("run:") + table->id(table->findRun(QStringLiteral("run-2")))));
        QCoreApplication::processEvents();
        QCOMPARE(w.tableView()->selectedTableRows(), (std::vector<int>{table->findRun(QStringLiteral("run-2"))}));
        QVERIFY(!summary->isVisibleTo(w.detailsView()));
        emit summary->anchorClicked(QUrl(QStringLiteral("query:status = failed")));
        QCoreApplication::processEvents();
        QCOMPARE(w.session().query(), QStringLiteral("status = failed"));
        QCOMPARE(w.tableModel()->rowCount(), 0);
    }

    void theTagEditorCompletesKeysAndValues()
    {
        auto r = std::move(*openStore(store_));
        const auto t = mustLoad(*r);
        TagEditorDialog dialog(*t, std::vector<int>{0, 1});
        QStringList keys;
        for (int i = 0; i < dialog.keyBox()->count(); ++i)
            keys << dialog.keyBox()->itemText(i);
        QVERIFY(keys.contains(QStringLiteral("owner")));
        QVERIFY(!keys.contains(kStarredTag));
        dialog.keyBox()->setCurrentText(QStringLiteral("owner"));
        QCompleter* c = dialog.valueEdit()->completer();
        QVERIFY(c);
        QStringList values;
        for (int i = 0; i < c->model()->rowCount(); ++i)
            values << c->model()->index(i, 0).data().toString();
        QCOMPARE(values, (QStringList{QStringLiteral("ana"), QStringLiteral("bo")}));
        QCOMPARE(dialog.key(), QStringLiteral("owner"));
        dialog.valueEdit()->setText(QStringLiteral("dee"));
        QCOMPARE(dialog.value(), std::optional<QString>(QStringLiteral("dee")));
    }

    void otherToolsStoresStayUntouchedByTheWindow()
    {
        const QString fixture = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-filestore-v1");
        QVERIFY2(QFileInfo(fixture).isDir(), kMissingFixtures);
        const QString store = dir_.filePath(QStringLiteral("mlruns"));
        QDirIterator it(fixture, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QMap<QString, QByteArray> before;
        while (it.hasNext()) {
            const QString file = it.next();
            const QString target = store + QLatin1Char('/') + QDir(fixture).relativeFilePath(file);
            QDir().mkpath(QFileInfo(target).path());
            QVERIFY(QFile::copy(file, target));
            before.insert(target, fileHash(target));
        }
        MainWindow w;
        w.openStores({store});
        settle(w);
        const auto t = w.workspace().runs();
        w.tableView()->selectTableRows({0});
        w.toggleStarOnSelectedRuns();
        QVERIFY(w.pushEdit(RunEdit::forRows(*t, std::vector<int>{0}, RunField::Name, {}, QStringLiteral("ours"))));
        settle(w);
        for (auto i = before.begin(); i != before.end(); ++i)
            QCOMPARE(fileHash(i.key()), i.value());
        MainWindow again;
        again.openStores({store});
        settle(again);
        const int row = again.workspace().runs()->findRun(QStringLiteral("ours"));
        QVERIFY(row >= 0);
        QVERIFY(again.workspace().runs()->isStarred(row));
    }

    void savedQueriesAreListedInTheNavigatorAndApplyOnAClick()
    {
        const QString path = dir_.filePath(QStringLiteral("saved-queries.db"));
        for (int i = 0; i < 4; ++i) {
            auto o = testRun("q-" + std::to_string(i));
            auto run = Run::start(path.toStdString(), o);
            run.logParam("lr", 0.001 * (i + 1));
            run.logDataVersion("train", i < 2 ? "v2" : "v3");
            run.logMetric("auc", 0.5 + 0.1 * i, 0);
            run.finish();
        }
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openStores({path});
        settle(w);
        // Save Query… keeps the bar's text with the store, listed at once.
        QVERIFY(w.applyQuery(QStringLiteral("data.train = v2")).isEmpty());
        w.saveQuery(QStringLiteral("on v2"));
        QVERIFY(w.applyQuery(QStringLiteral("data.train = v3 order by metrics.auc desc limit 1")).isEmpty());
        w.saveQuery(QStringLiteral("best on v3"));
        settle(w);
        auto kept = readSavedQueries(**openStore(path));
        QCOMPARE(kept.size(), size_t(2));
        QCOMPARE(kept[0].name, QStringLiteral("best on v3"));

        QVERIFY(w.applyQuery(QString()).isEmpty());
        QCOMPARE(w.tableModel()->displayedRows().size(), size_t(4));
        auto* nav = w.navigator();
        const auto found = nav->findItems(QStringLiteral("on v2"), Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(found.size(), 1);
        QVERIFY(found.first()->parent()); // under its store
        QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(found.first()).center());
        QCoreApplication::processEvents();
        QCOMPARE(w.queryBar()->text(), QStringLiteral("data.train = v2"));
        auto shownNames = [&] {
            QStringList names;
            for (int r : w.tableModel()->displayedRows())
                names << w.workspace().runs()->name(r);
            names.sort();
            return names;
        };
        QCOMPARE(shownNames(), (QStringList{QStringLiteral("q-0"), QStringLiteral("q-1")}));
        const auto best = nav->findItems(QStringLiteral("best on v3"), Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(best.size(), 1);
        QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(best.first()).center());
        QCoreApplication::processEvents();
        QCOMPARE(shownNames(), QStringList{QStringLiteral("q-3")});

        // Another window on the same store lists what was kept.
        MainWindow again;
        again.openStores({path});
        settle(again);
        QCOMPARE(again.navigator()->findItems(QStringLiteral("best on v3"), Qt::MatchExactly | Qt::MatchRecursive).size(), 1);
    }
};

QTEST_MAIN(TestNotebookWindow)
#include "test_notebook_window.moc"
