// SPDX-License-Identifier: GPL-3.0-or-later
// Queries over everything recorded about a run (#13): data versions, git
// state, the environment, notes and hypothesis, star and trash, parent runs
// and seed groups, against a store the logger wrote and against other
// tools' stores; the table keeping them through a merge; saved queries kept
// in our store and in another tool's overlay.
#include "annotated_store_reader.h"
#include "run_edit.h"
#include "run_query.h"
#include "store_entries.h"
#include "store_registry.h"
#include "test_support.h"

#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"

#include <QDirIterator>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using namespace runlens::test;

class TestQueryFields : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;
    std::shared_ptr<const RunTable> table_;

    QStringList names(const QString& query) const { return namesIn(*table_, query); }

    static QStringList namesIn(const RunTable& t, const QString& query)
    {
        const auto sel = RunQuery(query).select(t);
        if (sel.error)
            return {QStringLiteral("ERROR: ") + sel.error->describe()};
        QStringList out;
        for (int r : sel.rows)
            out << t.name(r);
        return out;
    }

    QueryError errorOf(const QString& query) const
    {
        return RunQuery(query).select(*table_).error.value_or(QueryError{-1, 0, QStringLiteral("no error")});
    }

    // A copy of the MLflow 1.x fixture, and each file's hash.
    QMap<QString, QByteArray> copyMlflowFixture(const QString& target)
    {
        const QString fixture = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-filestore-v1");
        if (!QFileInfo(fixture).isDir())
            throw std::runtime_error(kMissingFixtures);
        QMap<QString, QByteArray> hashes;
        QDirIterator it(fixture, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            const QString to = target + QLatin1Char('/') + QDir(fixture).relativeFilePath(file);
            QDir().mkpath(QFileInfo(to).path());
            if (!QFile::copy(file, to))
                throw std::runtime_error("cannot copy " + file.toStdString());
            hashes.insert(to, fileHash(to));
        }
        return hashes;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        qputenv("RUNLENS_ANNOTATIONS_DIR", dir_.filePath(QStringLiteral("overlays")).toUtf8());
        // A repository to log from: "clean" runs at its commit, "dirty" after a change.
        const QString repo = dir_.filePath(QStringLiteral("repo"));
        QVERIFY(QDir().mkpath(repo));
        const QString git = QStandardPaths::findExecutable(QStringLiteral("git"));
        if (git.isEmpty())
            QFAIL("git is missing; packaging/bootstrap.sh installs it");
        auto sh = [&](const QStringList& args) {
            QProcess p;
            p.setWorkingDirectory(repo);
            p.start(git, args);
            p.waitForFinished();
            return p.exitCode();
        };
        QCOMPARE(sh({QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")}), 0);
        writeFile(repo + QStringLiteral("/train.py"), "lr = 0.1\n");
        QCOMPARE(sh({QStringLiteral("add"), QStringLiteral(".")}), 0);
        QCOMPARE(sh({QStringLiteral("-c"), QStringLiteral("user.name=t"), QStringLiteral("-c"),
                     QStringLiteral("user.email=t@t"), QStringLiteral("commit"), QStringLiteral("-qm"),
                     QStringLiteral("first")}),
                 0);

        store_ = dir_.filePath(QStringLiteral("fields.db"));
        const QString here = QDir::currentPath();
        QDir::setCurrent(repo);
        struct Spec {
            const char* name;
            double lr;
            int seed;
            const char* train; // data version
            double auc;
            bool git;
            const char* python;
        };
        // Same experiment: a0/a1 differ only by seed (a group of 2); b0 alone.
        const Spec specs[] = {
            {"a0", 0.1, 1, "v2", 0.95, true, "3.11.4"},
            {"a1", 0.1, 2, "v3", 0.90, true, "3.12.1"},
            {"b0", 0.01, 1, "v3", 0.80, false, "3.12.1"},
        };
        std::string parent;
        for (const auto& s : specs) {
            if (QLatin1String(s.name) == QLatin1String("a1"))
                writeFile(repo + QStringLiteral("/train.py"), "lr = 0.2\n"); // uncommitted
            RunOptions o = testRun(s.name);
            o.experiment = "fields";
            o.capture_git = s.git;
            if (QLatin1String(s.name) == QLatin1String("a0")) {
                o.notes = "Overfits after epoch 3; try dropout.";
                o.hypothesis = "Cosine annealing beats step decay";
            }
            if (QLatin1String(s.name) == QLatin1String("b0"))
                o.parent_id = parent;
            auto run = Run::start(store_.toStdString(), o);
            run.logParam("lr", s.lr);
            run.logParam("seed", int64_t(s.seed));
            run.logDataVersion("train", s.train);
            if (QLatin1String(s.name) == QLatin1String("b0"))
                run.logDataVersion("eval", "e1");
            run.logEnvironment("python", s.python);
            run.logEnvironment("package.torch", QLatin1String(s.name) == QLatin1String("a0") ? "2.1.0" : "2.3.1");
            run.logMetric("val_auc", s.auc, 0);
            if (QLatin1String(s.name) == QLatin1String("a1"))
                run.setTag(kStarredTag.toStdString(), "");
            run.finish();
            if (parent.empty())
                parent = run.id();
        }
        QDir::setCurrent(here);
        auto reader = mustOpen(store_);
        table_ = mustLoad(*reader);
        QCOMPARE(table_->rowCount(), 3);
    }

    void dataVersions()
    {
        // The example: the best result ever had on dataset v3.
        QCOMPARE(names(QStringLiteral("data.train = 'v3' order by metrics.val_auc desc limit 1")),
                 QStringList{QStringLiteral("a1")});
        QCOMPARE(names(QStringLiteral("data.train = v2")), QStringList{QStringLiteral("a0")});
        QCOMPARE(names(QStringLiteral("data.eval = e1")), QStringList{QStringLiteral("b0")});
        QCOMPARE(names(QStringLiteral("data.train in (v2, v3) order by name desc")),
                 (QStringList{QStringLiteral("b0"), QStringLiteral("a1"), QStringLiteral("a0")}));
    }

    void gitState()
    {
        QCOMPARE(names(QStringLiteral("git.branch = main")), (QStringList{QStringLiteral("a0"), QStringLiteral("a1")}));
        QCOMPARE(names(QStringLiteral("git.dirty")), QStringList{QStringLiteral("a1")});
        QCOMPARE(names(QStringLiteral("git.dirty = false")), QStringList{QStringLiteral("a0")});
        QCOMPARE(names(QStringLiteral("not git.dirty")), (QStringList{QStringLiteral("a0"), QStringLiteral("b0")}));
        const int a0 = table_->findRun(QStringLiteral("a0"));
        const QString commit = table_->git(a0).commit;
        QCOMPARE(commit.size(), 40);
        QCOMPARE(names(QStringLiteral("git.commit = '%1'").arg(commit)),
                 (QStringList{QStringLiteral("a0"), QStringLiteral("a1")}));
        QCOMPARE(names(QStringLiteral("git.commit ~ '^%1'").arg(commit.left(7))),
                 (QStringList{QStringLiteral("a0"), QStringLiteral("a1")}));
        // b0 recorded no git: it matches no comparison of it.
        QCOMPARE(names(QStringLiteral("git.commit != 'x'")).size(), 2);
    }

    void environment()
    {
        QCOMPARE(names(QStringLiteral("env.python ~ '^3\\.12'")), (QStringList{QStringLiteral("a1"), QStringLiteral("b0")}));
        QCOMPARE(names(QStringLiteral("env.package.torch = '2.1.0'")), QStringList{QStringLiteral("a0")});
        QCOMPARE(names(QStringLiteral("env.packages.torch != '2.1.0'")),
                 (QStringList{QStringLiteral("a1"), QStringLiteral("b0")}));
        // What the logger captures by itself.
        QCOMPARE(names(QStringLiteral("env.host = '%1'").arg(QSysInfo::machineHostName())).size(), 3);
        QCOMPARE(names(QStringLiteral("env.cpu.count >= 1")).size(), 3);
        // Runs of one machine share their environment but for what they logged:
        // a1 and b0 logged the same, so the table keeps theirs once.
        QCOMPARE(table_->environments().size(), size_t(2));
        QVERIFY(table_->environmentKeys().contains(QStringLiteral("package.torch")));
    }

    void notesHypothesisStarAndTrash()
    {
        QCOMPARE(names(QStringLiteral("notes ~ 'dropout'")), QStringList{QStringLiteral("a0")});
        QCOMPARE(names(QStringLiteral("notes = ''")), (QStringList{QStringLiteral("a1"), QStringLiteral("b0")}));
        QCOMPARE(names(QStringLiteral("hypothesis ~ '(?i)cosine'")), QStringList{QStringLiteral("a0")});
        QCOMPARE(names(QStringLiteral("starred")), QStringList{QStringLiteral("a1")});
        QCOMPARE(names(QStringLiteral("starred = TRUE and not trashed")), QStringList{QStringLiteral("a1")});
        QCOMPARE(names(QStringLiteral("trashed")), QStringList{});

        // The notebook's edits reach the same fields at once.
        RunTable t = *table_;
        const std::vector<int> b0{t.findRun(QStringLiteral("b0"))};
        RunEdit::forRows(t, b0, RunField::Notes, {}, QStringLiteral("diverged at step 40")).applyTo(t);
        RunEdit::forRows(t, b0, RunField::Tag, kTrashedTag, trashedNow()).applyTo(t);
        QCOMPARE(namesIn(t, QStringLiteral("notes ~ diverged and trashed")), QStringList{QStringLiteral("b0")});
        const RunEdit again = RunEdit::forRows(t, b0, RunField::Notes, {}, QString());
        QCOMPARE(again.changes().front().before, std::optional<QString>(QStringLiteral("diverged at step 40")));
    }

    void parentsAndSeeds()
    {
        QCOMPARE(names(QStringLiteral("parent = '%1'").arg(table_->id(table_->findRun(QStringLiteral("a0"))))),
                 QStringList{QStringLiteral("b0")});
        QCOMPARE(names(QStringLiteral("is_parent")), QStringList{QStringLiteral("a0")});
        QCOMPARE(names(QStringLiteral("seeds >= 2")), (QStringList{QStringLiteral("a0"), QStringLiteral("a1")}));
        QCOMPARE(names(QStringLiteral("seeds = 1")), QStringList{QStringLiteral("b0")});
        QCOMPARE(names(QStringLiteral("seed_group = 2")), QStringList{QStringLiteral("b0")});
        QCOMPARE(names(QStringLiteral("order by seed_group desc, name")),
                 (QStringList{QStringLiteral("b0"), QStringLiteral("a0"), QStringLiteral("a1")}));
    }

    void errorsSayWhere()
    {
        QCOMPARE(errorOf(QStringLiteral("data.nope = 1")),
                 (QueryError{0, 9, QStringLiteral("no run records data 'nope'")}));
        QCOMPARE(errorOf(QStringLiteral("starred and env.nope = x")),
                 (QueryError{12, 8, QStringLiteral("no run records environment 'nope'")}));
        const QueryError git = errorOf(QStringLiteral("metrics.val_auc > 0 and git.sha = abc"));
        QCOMPARE(git.position, 24);
        QCOMPARE(git.length, 7);
        QVERIFY(git.message.contains(QStringLiteral("git.commit")));
        const QueryError bad = errorOf(QStringLiteral("order by seedz"));
        QCOMPARE(bad.position, 9);
        QVERIFY(bad.message.contains(QStringLiteral("seed_group")));
        QCOMPARE(errorOf(QStringLiteral("data. = v3")).position, 0);
    }

    void tableAndDetailsAgree()
    {
        auto reader = mustOpen(store_);
        QCOMPARE(detailsDisagreeWithTable(*reader), QStringList{});
        for (int r = 0; r < table_->rowCount(); ++r) {
            const auto d = reader->loadDetails(table_->id(r));
            QVERIFY(d);
            QCOMPARE(table_->notes(r), d->notes);
            QCOMPARE(table_->hypothesis(r), d->hypothesis);
            QCOMPARE(table_->git(r).commit, d->git.commit);
            QCOMPARE(table_->git(r).branch, d->git.branch);
            const int e = table_->environmentIndexOf(r);
            QCOMPARE(e >= 0 ? table_->environments()[size_t(e)] : Environment{}, d->environment);
            for (const auto& [name, version] : d->dataVersions)
                QCOMPARE(table_->dataVersion(name)->text[size_t(r)], version);
        }
    }

    void mergeKeepsEveryFamily()
    {
        // A second store with other data keys and another environment.
        const QString other = dir_.filePath(QStringLiteral("other.db"));
        {
            RunOptions o = testRun("c0");
            o.experiment = "fields";
            o.capture_environment = false;
            o.notes = "from the other store";
            auto run = Run::start(other.toStdString(), o);
            run.logDataVersion("test", "t9");
            run.logEnvironment("gpu.0", "A100");
            run.finish();
        }
        auto reader = mustOpen(other);
        const RunTable merged = RunTable::merge({table_, mustLoad(*reader)});
        QCOMPARE(merged.rowCount(), 4);
        QCOMPARE(namesIn(merged, QStringLiteral("data.test = t9")), QStringList{QStringLiteral("c0")});
        QCOMPARE(namesIn(merged, QStringLiteral("data.train = v3")), (QStringList{QStringLiteral("a1"), QStringLiteral("b0")}));
        QCOMPARE(namesIn(merged, QStringLiteral("env.gpu.0 = A100")), QStringList{QStringLiteral("c0")});
        QCOMPARE(namesIn(merged, QStringLiteral("env.python = '3.12.1'")), (QStringList{QStringLiteral("a1"), QStringLiteral("b0")}));
        QCOMPARE(namesIn(merged, QStringLiteral("notes ~ other")), QStringList{QStringLiteral("c0")});
        QCOMPARE(namesIn(merged, QStringLiteral("git.dirty")), QStringList{QStringLiteral("a1")});
        QCOMPARE(namesIn(merged, QStringLiteral("is_parent")), QStringList{QStringLiteral("a0")});
        QCOMPARE(merged.environments().size(), size_t(3));
        QCOMPARE(merged.dataVersions().size(), size_t(3));
    }

    void mlflowSystemTags()
    {
        const QString copy = dir_.filePath(QStringLiteral("mlruns-tags"));
        copyMlflowFixture(copy);
        auto reader = openStore(copy);
        QVERIFY(reader);
        const auto t = mustLoad(**reader);
        const QString commit = QStringLiteral("3fbc4a046f43c7c2f977f23e0c3ab88e560766d8");
        const auto sel = RunQuery(QStringLiteral("git.commit = '%1'").arg(commit)).select(*t);
        QVERIFY(!sel.error);
        QVERIFY(!sel.rows.empty());
        QCOMPARE(namesIn(*t, QStringLiteral("git.dirty")), QStringList{}); // not recorded by MLflow
        QVERIFY(!RunQuery(QStringLiteral("env.user = natnael_melese")).select(*t).rows.empty());
        for (int r : sel.rows) {
            const auto d = (*reader)->loadDetails(t->id(r));
            QVERIFY(d);
            QCOMPARE(d->git.commit, commit);
        }
    }

    void savedQueriesInOurStore()
    {
        const QString path = dir_.filePath(QStringLiteral("saved.db"));
        QVERIFY(QFile::copy(store_, path));
        auto reader = mustOpen(path);
        QCOMPARE(readSavedQueries(*reader), std::vector<StoreEntry>{});
        const QString best = QStringLiteral("data.train = 'v3' order by metrics.val_auc desc limit 1");
        QVERIFY(writeSavedQuery(*reader, QStringLiteral("best on v3"), best));
        QVERIFY(writeSavedQuery(*reader, QStringLiteral("dirty"), QStringLiteral("git.dirty")));
        QVERIFY(writeSavedQuery(*reader, QStringLiteral("dirty"), QStringLiteral("git.dirty = true")));
        QVERIFY(!writeSavedQuery(*reader, QStringLiteral("  "), QStringLiteral("starred")));
        const auto saved = readSavedQueries(*mustOpen(path));
        QCOMPARE(saved, (std::vector<StoreEntry>{{QStringLiteral("best on v3"), best},
                                                 {QStringLiteral("dirty"), QStringLiteral("git.dirty = true")}}));
        // Kept as store_meta rows: the schema (what an older Runlens checks) is unchanged.
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadOnly);
            QCOMPARE(storeSchemaVersion(db), kStoreSchemaVersion);
        }
        QVERIFY(writeSavedQuery(*reader, QStringLiteral("dirty"), QString())); // removed
        QCOMPARE(readSavedQueries(*reader).size(), size_t(1));
    }

    void savedQueriesInAnOverlayLeaveTheStoreAlone()
    {
        const QString copy = dir_.filePath(QStringLiteral("mlruns-saved"));
        const auto before = copyMlflowFixture(copy);
        {
            auto reader = openStore(copy);
            QVERIFY(reader);
            QVERIFY(dynamic_cast<AnnotatedStoreReader*>(reader->get()));
            QVERIFY(writeSavedQuery(**reader, QStringLiteral("by commit"), QStringLiteral("git.commit ~ '^3fbc'")));
            QVERIFY((*reader)->loadRuns());
        }
        auto again = openStore(copy);
        QVERIFY(again);
        QCOMPARE(readSavedQueries(**again),
                 (std::vector<StoreEntry>{{QStringLiteral("by commit"), QStringLiteral("git.commit ~ '^3fbc'")}}));
        // Not one byte of MLflow's files changed, and nothing was added among them.
        for (auto i = before.begin(); i != before.end(); ++i)
            QCOMPARE(fileHash(i.key()), i.value());
        int files = 0;
        QDirIterator it(copy, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++files;
        }
        QCOMPARE(files, int(before.size()));
    }
};

QTEST_MAIN(TestQueryFields)
#include "test_query_fields.moc"
