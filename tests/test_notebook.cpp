// SPDX-License-Identifier: GPL-3.0-or-later
// The lab notebook's writes (core/notebook): edits of our stores with their
// history, other tools' stores left byte-identical with the edits in an
// overlay, undo as the inverse edit, edits while loggers write, the trash.
#include "annotated_store_reader.h"
#include "annotation_overlay.h"
#include "run_edit.h"
#include "run_edit_writer.h"
#include "runlens/sqlite_db.h"
#include "store_run_editor.h"
#include "test_support.h"

#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using namespace runlens::test;

namespace {

// Every file under `root` with its hash: equal maps, untouched files.
QMap<QString, QByteArray> hashes(const QString& root)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        out.insert(QDir(root).relativeFilePath(path), fileHash(path));
    }
    return out;
}

void copyTree(const QString& from, const QString& to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = to + QLatin1Char('/') + QDir(from).relativeFilePath(path);
        QDir().mkpath(QFileInfo(target).path());
        QVERIFY(QFile::copy(path, target));
    }
}

std::vector<int> allRows(const RunTable& t)
{
    std::vector<int> rows(size_t(t.rowCount()));
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
}

QString tagOf(const RunTable& t, int row, const QString& key)
{
    const ValueColumn* c = t.tag(key);
    return c && c->has(row) ? c->text[size_t(row)] : QStringLiteral("<none>");
}

// Any store, through openStore() as the app and the CLI open it.
std::unique_ptr<StoreReader> opened(const QString& path)
{
    auto r = openStore(path);
    if (!r)
        throw std::runtime_error(r.error().toStdString());
    return std::move(*r);
}

} // namespace

class TestNotebook : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString makeStore(const QString& name, int runs)
    {
        const QString path = dir_.filePath(name);
        for (int i = 0; i < runs; ++i) {
            auto o = testRun("run-" + std::to_string(i));
            o.notes = "logged note " + std::to_string(i);
            auto run = Run::start(path.toStdString(), o);
            run.setTag("owner", "ana");
            for (int s = 0; s < 100; ++s)
                run.logMetric("loss", 1.0 / (s + 1 + i), s);
            run.finish();
        }
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        qputenv("RUNLENS_ANNOTATIONS_DIR", dir_.filePath(QStringLiteral("overlays")).toUtf8());
    }

    void editsAreCheckedBeforeAnyStoreSeesThem()
    {
        RunTable t;
        t.addRun(QStringLiteral("a"), QStringLiteral("A"), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        const std::vector<int> rows{0};
        QCOMPARE(RunEdit::forRows(t, rows, RunField::Tag, QString(), QStringLiteral("v")).problem(),
                 QStringLiteral("a tag needs a key"));
        QCOMPARE(RunEdit::forRows(t, rows, RunField::Tag, QStringLiteral("a\nb"), QStringLiteral("v")).problem(),
                 QStringLiteral("a tag key cannot hold control characters"));
        QCOMPARE(RunEdit::forRows(t, rows, RunField::Name, {}, QStringLiteral("  ")).problem(),
                 QStringLiteral("a run's name cannot be empty"));
        const QString huge(1024 * 1024 + 1, QLatin1Char('x'));
        QVERIFY(RunEdit::forRows(t, rows, RunField::Notes, {}, huge).problem().contains(QLatin1String("at most 1,024 KiB")));
        QVERIFY(RunEdit::forRows(t, rows, RunField::Notes, {}, QStringLiteral("ünïcødé ✓ 实验")).problem().isEmpty());
    }

    void inverseIsTheUndoAndNoOpsAreDropped()
    {
        RunTable t;
        for (int i = 0; i < 3; ++i)
            t.addRun(QString::number(i), QStringLiteral("r%1").arg(i), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        t.setTag(1, QStringLiteral("k"), QStringLiteral("old"));
        t.setTag(2, QStringLiteral("k"), QStringLiteral("new"));
        const RunEdit edit = RunEdit::forRows(t, allRows(t), RunField::Tag, QStringLiteral("k"), QStringLiteral("new"));
        QCOMPARE(edit.changes().size(), size_t(3));
        QCOMPARE(edit.withoutNoOps().changes().size(), size_t(2));   // run 2 already says "new"
        QCOMPARE(edit.describe(), QStringLiteral("Tag 3 runs k=new"));
        RunTable edited = t;
        edit.applyTo(edited);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(tagOf(edited, r, QStringLiteral("k")), QStringLiteral("new"));
        edit.inverse().applyTo(edited);
        QCOMPARE(tagOf(edited, 0, QStringLiteral("k")), QStringLiteral("<none>"));   // it had none: removed again
        QCOMPARE(tagOf(edited, 1, QStringLiteral("k")), QStringLiteral("old"));
        QCOMPARE(tagOf(edited, 2, QStringLiteral("k")), QStringLiteral("new"));
        const RunEdit star = RunEdit::forRows(t, std::vector<int>{0, 2}, RunField::Tag, kStarredTag, QStringLiteral("true"));
        QCOMPARE(star.describe(), QStringLiteral("Star 2 runs"));
        star.applyTo(edited);
        QVERIFY(edited.isStarred(0) && !edited.isStarred(1) && edited.isStarred(2));
    }

    void ourStoreKeepsEveryEditWithItsHistory()
    {
        const QString path = makeStore(QStringLiteral("own.db"), 3);
        auto reader = opened(path);
        auto table = mustLoad(*reader);
        const QString id0 = table->id(0), id1 = table->id(1);
        const std::vector<int> two{0, 1};
        const auto notesBefore = [&](int row) { return reader->loadDetails(table->id(row))->notes; };
        const RunEdit edits[] = {
            RunEdit::forRows(*table, std::vector<int>{0}, RunField::Name, {}, QStringLiteral("baseline ✓")),
            RunEdit::forRows(*table, two, RunField::Tag, QStringLiteral("intent"), QStringLiteral("lr sweep")),
            RunEdit::forRows(*table, two, RunField::Tag, QStringLiteral("owner"), std::nullopt),
            RunEdit::forRows(*table, two, RunField::Notes, {}, QStringLiteral("# Diverged\nlr too high"), notesBefore),
            RunEdit::forRows(*table, std::vector<int>{1}, RunField::Hypothesis, {}, QStringLiteral("cosine helps")),
            RunEdit::forRows(*table, std::vector<int>{1}, RunField::Tag, kStarredTag, QStringLiteral("true")),
        };
        for (const RunEdit& e : edits) {
            const auto written = writeRunEdit(*reader, e, QStringLiteral("tester"));
            QVERIFY2(written, written ? "" : qPrintable(written.error()));
        }
        auto again = opened(path);
        auto after = mustLoad(*again);
        const int r0 = after->rowOfId(id0), r1 = after->rowOfId(id1);
        QCOMPARE(after->name(r0), QStringLiteral("baseline ✓"));
        QCOMPARE(tagOf(*after, r1, QStringLiteral("intent")), QStringLiteral("lr sweep"));
        QCOMPARE(tagOf(*after, r0, QStringLiteral("owner")), QStringLiteral("<none>"));
        QCOMPARE(tagOf(*after, after->rowOfId(table->id(2)), QStringLiteral("owner")), QStringLiteral("ana"));   // not edited
        QVERIFY(after->isStarred(r1) && !after->isStarred(r0));
        const auto d1 = again->loadDetails(id1);
        QCOMPARE(d1->notes, QStringLiteral("# Diverged\nlr too high"));
        QCOMPARE(d1->hypothesis, QStringLiteral("cosine helps"));
        // The history: who, what, before and after, oldest first.
        QCOMPARE(d1->events.size(), size_t(5));
        QCOMPARE(d1->events[0].field, QStringLiteral("tag"));
        QCOMPARE(d1->events[0].key, QStringLiteral("intent"));
        QCOMPARE(d1->events[0].user, QStringLiteral("tester"));
        QVERIFY(!d1->events[0].before);
        QCOMPARE(d1->events[1].before, std::optional<QString>(QStringLiteral("ana")));
        QVERIFY(!d1->events[1].after);
        QCOMPARE(d1->events[2].before, std::optional<QString>(QStringLiteral("logged note 1")));
        // Append-only.
        SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
        QVERIFY_THROWS_EXCEPTION(std::exception, db.exec("UPDATE run_events SET user='someone else'"));
        QVERIFY_THROWS_EXCEPTION(std::exception, db.exec("DELETE FROM run_events"));
        // Undo: the inverse puts the name back.
        QVERIFY(writeRunEdit(*again, edits[0].inverse(), QStringLiteral("tester")));
        QCOMPARE(mustLoad(*opened(path))->name(r0), QStringLiteral("run-0"));
    }

    void anEditOfARunNotInTheStoreWritesNothing()
    {
        const QString path = makeStore(QStringLiteral("atomic.db"), 1);
        auto reader = opened(path);
        const auto table = mustLoad(*reader);
        const RunEdit edit(RunField::Tag, QStringLiteral("k"),
                           {{table->id(0), std::nullopt, QStringLiteral("v")}, {QStringLiteral("nope"), std::nullopt, QStringLiteral("v")}});
        const auto written = writeRunEdit(*reader, edit);
        QVERIFY(!written);
        QCOMPARE(written.error(), QStringLiteral("no run 'nope' in the store"));
        QCOMPARE(tagOf(*mustLoad(*opened(path)), 0, QStringLiteral("k")), QStringLiteral("<none>"));
    }

    void editsWhileFourLoggersWriteLoseNothing()
    {
        const QString path = makeStore(QStringLiteral("busy.db"), 2);
        auto reader = opened(path);
        const auto table = mustLoad(*reader);
        const int points = 40000;
        std::vector<std::unique_ptr<QProcess>> writers;
        for (int i = 0; i < 4; ++i) {
            writers.push_back(std::make_unique<QProcess>());
            writers.back()->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            writers.back()->start(QStringLiteral(RUNLENS_TEST_WRITER),
                                  {path, QStringLiteral("w%1").arg(i), QString::number(points), QStringLiteral("0"),
                                   QStringLiteral("5"), QStringLiteral("finish"), QStringLiteral("0")});
        }
        int edits = 0;
        while (std::any_of(writers.begin(), writers.end(), [](const auto& w) { return w->state() != QProcess::NotRunning; })
               || edits < 20) {
            const RunEdit e = RunEdit::forRows(*table, allRows(*table), RunField::Tag, QStringLiteral("edit"), QString::number(edits));
            const auto written = writeRunEdit(*reader, e);
            QVERIFY2(written, written ? "" : qPrintable(written.error()));
            ++edits;
            QCoreApplication::processEvents();
        }
        for (auto& w : writers) {
            QVERIFY(w->state() == QProcess::NotRunning || w->waitForFinished(120000));
            QCOMPARE(w->exitCode(), 0);
        }
        auto after = opened(path);
        const auto t = mustLoad(*after);
        QCOMPARE(t->rowCount(), 6);
        for (int r = 0; r < t->rowCount(); ++r) {
            if (t->name(r).startsWith(QLatin1String("w")))
                QCOMPARE(t->metric(QStringLiteral("x"))->count[size_t(r)], int64_t(points));
            else
                QCOMPARE(tagOf(*t, r, QStringLiteral("edit")), QString::number(edits - 1));
        }
        QCOMPARE(after->loadDetails(table->id(0))->events.size(), size_t(edits));
    }

    void anotherReaderSeesTheEditOnRefresh()
    {
        const QString path = makeStore(QStringLiteral("shared.db"), 1);
        auto browsing = opened(path);
        const auto before = mustLoad(*browsing);
        const QString stamp = browsing->changeStamp();
        auto editing = opened(path);
        QVERIFY(writeRunEdit(*editing, RunEdit::forRows(*before, std::vector<int>{0}, RunField::Name, {}, QStringLiteral("renamed"))));
        QVERIFY(browsing->changeStamp() != stamp);
        QCOMPARE(mustLoad(*browsing)->name(0), QStringLiteral("renamed"));
    }

    void emptyingTheTrashDeletesRunsAndTheirSeries()
    {
        const QString path = makeStore(QStringLiteral("trash.db"), 3);
        auto reader = opened(path);
        const auto table = mustLoad(*reader);
        const QString gone = table->id(1);
        QVERIFY(writeRunEdit(*reader, RunEdit::forRows(*table, std::vector<int>{1}, RunField::Tag, kTrashedTag, trashedNow())));
        QVERIFY(mustLoad(*opened(path))->isTrashed(mustLoad(*opened(path))->rowOfId(gone)));
        const auto deleted = emptyTrash(*reader, true);
        QVERIFY2(deleted, deleted ? "" : qPrintable(deleted.error()));
        QCOMPARE(*deleted, 1);
        const auto t = mustLoad(*opened(path));
        QCOMPARE(t->rowCount(), 2);
        QCOMPARE(t->rowOfId(gone), -1);
        SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadOnly);
        auto chunks = db.prepare("SELECT count(*) FROM metric_chunks c JOIN metrics m ON m.id = c.metric_id");
        chunks.step();
        auto orphans = db.prepare("SELECT count(*) FROM metric_chunks WHERE metric_id NOT IN (SELECT id FROM metrics)");
        orphans.step();
        QCOMPARE(orphans.int64(0), int64_t(0));
        QVERIFY(chunks.int64(0) > 0);   // the other runs' series stay
    }

    void otherToolsStoresStayByteIdenticalAndKeepTheirNotesWhenMoved()
    {
        const QString fixture = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-filestore-v1");
        QVERIFY2(QFileInfo(fixture).isDir(), kMissingFixtures);
        const QString store = dir_.filePath(QStringLiteral("mlruns-copy"));
        copyTree(fixture, store);
        const auto untouched = hashes(store);
        auto reader = opened(store);
        QVERIFY(dynamic_cast<AnnotatedStoreReader*>(reader.get()));
        const auto table = mustLoad(*reader);
        QVERIFY(table->rowCount() >= 2);
        const QString id = table->id(0);
        const auto tagged = std::find_if(table->tags().begin(), table->tags().end(), [&](const ValueColumn& c) { return c.has(0); });
        QVERIFY2(tagged != table->tags().end(), "the fixture's first run has no tag to remove");
        const QString existingTag = tagged->key;
        const QString stamp = reader->changeStamp();
        for (const RunEdit& e : {RunEdit::forRows(*table, std::vector<int>{0}, RunField::Name, {}, QStringLiteral("ours now")),
                                 RunEdit::forRows(*table, std::vector<int>{0}, RunField::Notes, {}, QStringLiteral("why it failed")),
                                 RunEdit::forRows(*table, std::vector<int>{0}, RunField::Tag, existingTag, std::nullopt),
                                 RunEdit::forRows(*table, std::vector<int>{0, 1}, RunField::Tag, kStarredTag, QStringLiteral("true"))}) {
            const auto written = writeRunEdit(*reader, e, QStringLiteral("tester"));
            QVERIFY2(written, written ? "" : qPrintable(written.error()));
        }
        QCOMPARE(hashes(store), untouched);
        QVERIFY(reader->changeStamp() != stamp);   // another window refreshes
        auto check = [&](const QString& where) {
            auto r = opened(where);
            const auto t = mustLoad(*r);
            const int row = t->rowOfId(id);
            QVERIFY2(t->name(row) == QStringLiteral("ours now"),
                     qPrintable(QStringLiteral("%1: '%2' in %3").arg(where, t->name(row), AnnotationOverlay::folder())));
            QCOMPARE(tagOf(*t, row, existingTag), QStringLiteral("<none>"));
            QVERIFY(t->isStarred(row));
            const auto d = r->loadDetails(id);
            QCOMPARE(d->notes, QStringLiteral("why it failed"));
            QCOMPARE(d->name, QStringLiteral("ours now"));
            QVERIFY(std::none_of(d->tags.begin(), d->tags.end(), [&](const auto& kv) { return kv.first == existingTag; }));
            QCOMPARE(d->events.size(), size_t(4));
        };
        check(store);
        // Moved: a new path, the same runs.
        const QString moved = dir_.filePath(QStringLiteral("mlruns-moved"));
        QVERIFY(QDir().rename(store, moved));
        check(moved);
        QCOMPARE(hashes(moved), untouched);

        // Exported and imported into a colleague's overlay folder.
        auto o = dynamic_cast<AnnotatedStoreReader*>(opened(moved).get())->overlay();
        const auto json = o.exportJson();
        QVERIFY(json);
        const auto parsed = AnnotationOverlay::parseExport(*json);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error()));
        qputenv("RUNLENS_ANNOTATIONS_DIR", dir_.filePath(QStringLiteral("colleague")).toUtf8());
        auto theirs = opened(moved);
        QCOMPARE(mustLoad(*theirs)->name(mustLoad(*theirs)->rowOfId(id)), table->name(0));   // nothing yet
        for (const RunEdit& e : parsed->edits)
            QVERIFY(writeRunEdit(*theirs, e, QStringLiteral("colleague")));
        check(moved);
        qputenv("RUNLENS_ANNOTATIONS_DIR", dir_.filePath(QStringLiteral("overlays")).toUtf8());
        QVERIFY(!AnnotationOverlay::parseExport("{\"format\": \"something else\"}"));
        QVERIFY(!AnnotationOverlay::parseExport("not json"));
    }
};

QTEST_GUILESS_MAIN(TestNotebook)
#include "test_notebook.moc"
