// SPDX-License-Identifier: GPL-3.0-or-later
// The MLflow SQLite reader: the two real stores in shared/fixtures (schema
// revisions acf3f17fdcc7 and 770bee3ae1dd), and a generated old revision
// with NaN, Inf, a deleted run, a name only in a tag and a stale
// latest_metrics.
#include "mlflow_sqlite_reader.h"
#include "runlens/sqlite_db.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cfloat>

using namespace runlens;

class TestMlflowSqlite : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    static QString fixture(const char* name)
    {
        return QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-sqlite/") + QString::fromLatin1(name);
    }

private slots:
    void aWalModeDatabaseGainsNoFilesBesideIt()
    {
        // A colleague's mlflow.db in WAL mode, nobody writing it: reading it
        // must not create -wal and -shm in their folder.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("mlflow.db"));
        QVERIFY(QFile::copy(fixture("mlflow.db"), path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("PRAGMA journal_mode=WAL");
        }
        const QStringList before = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System);
        QCOMPARE(before, QStringList{QStringLiteral("mlflow.db")});
        const auto hash = test::fileHash(path);
        auto opened = openStore(path);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        QCOMPARE((*opened)->kind(), QStringLiteral("mlflow-sqlite"));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        QCOMPARE(runs->table->rowCount(), 3);
        QVERIFY((*opened)->loadDetails(runs->table->id(0)));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System), before);
        QCOMPARE(test::fileHash(path), hash);
    }

    void readsTheCurrentRevision()
    {
        const QString path = fixture("mlflow.db");
        if (!QFileInfo::exists(path))
            QFAIL(test::kMissingFixtures);
        const auto before = test::fileHash(path);
        auto opened = openStore(path);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        QCOMPARE((*opened)->kind(), QStringLiteral("mlflow-sqlite"));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 3);
        const int rf = t.findRun(QStringLiteral("random_forest"));
        QVERIFY(rf >= 0);
        QCOMPARE(t.status(rf), RunStatus::Finished);
        QCOMPARE(t.experiment(rf), QStringLiteral("Iris-Classification"));
        QCOMPARE(t.metric(QStringLiteral("accuracy"))->last[size_t(rf)], 0.95);
        QCOMPARE(t.metric(QStringLiteral("roc_auc"))->last[size_t(rf)], 0.992755894024276);
        QCOMPARE(t.param(QStringLiteral("n_estimators"))->number[size_t(rf)], 100.0);
        auto d = (*opened)->loadDetails(t.id(rf));
        QVERIFY(d);
        QCOMPARE(d->params.size(), size_t(20));
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
        QCOMPARE(d->metrics.size(), size_t(5));
        auto s = (*opened)->loadSeries(t.id(rf), QStringLiteral("precision"));
        QVERIFY(s);
        QCOMPARE(s->size(), size_t(1));
        QCOMPARE(s->values[0], 0.946708463949843);
        QVERIFY(runs->problems.isEmpty());
        opened->reset();
        QCOMPARE(test::fileHash(path), before);
    }

    void readsTheOlderRevisionWithFailedRuns()
    {
        const QString path = fixture("mlflow-failed-runs.db");
        if (!QFileInfo::exists(path))
            QFAIL(test::kMissingFixtures);
        auto r = MlflowSqliteReader::open(path);
        QVERIFY(r);
        QCOMPARE((*r)->schemaRevision(), QStringLiteral("acf3f17fdcc7"));
        auto runs = (*r)->loadRuns();
        QVERIFY(runs);
        QCOMPARE(runs->table->rowCount(), 8);
        for (int i = 0; i < 8; ++i)
            QCOMPARE(runs->table->status(i), RunStatus::Failed);
        QCOMPARE(runs->table->metrics().size(), size_t(5));
    }

    void oldRevisionNanInfDeletedAndStaleLatest()
    {
        const QString path = dir_.filePath(QStringLiteral("old-mlflow.db"));
        {
            // The shape of an early 1.x store: no step or is_nan columns yet.
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE alembic_version(version_num VARCHAR(32));"
                    "INSERT INTO alembic_version VALUES('ff01da956556');"
                    "CREATE TABLE experiments(experiment_id INTEGER, name TEXT, lifecycle_stage TEXT);"
                    "INSERT INTO experiments VALUES(0, 'Default', 'active'), (1, 'gone', 'deleted');"
                    "CREATE TABLE runs(run_uuid TEXT, name TEXT, status TEXT, start_time BIGINT, end_time BIGINT,"
                    "  lifecycle_stage TEXT, experiment_id INTEGER, user_id TEXT, artifact_uri TEXT);"
                    "INSERT INTO runs VALUES('r1', '', 'RUNNING', 1000, NULL, 'active', 0, 'ada', 's3://b/r1'),"
                    "  ('r2', 'deleted-run', 'FINISHED', 2000, 3000, 'deleted', 0, 'ada', ''),"
                    "  ('r3', 'in-deleted-exp', 'KILLED', 3000, 4000, 'active', 1, 'ada', '');"
                    "CREATE TABLE params(key TEXT, value TEXT, run_uuid TEXT);"
                    "INSERT INTO params VALUES('lr', '0.1', 'r1');"
                    "CREATE TABLE tags(key TEXT, value TEXT, run_uuid TEXT);"
                    "INSERT INTO tags VALUES('mlflow.runName', 'named-by-tag', 'r1');"
                    "CREATE TABLE metrics(key TEXT, value FLOAT, timestamp BIGINT, run_uuid TEXT);"
                    "CREATE TABLE latest_metrics(key TEXT, value FLOAT, timestamp BIGINT, run_uuid TEXT);"
                    "INSERT INTO latest_metrics VALUES('loss', 123.0, 5, 'r1');");
            auto ins = db.prepare("INSERT INTO metrics VALUES('loss', ?, ?, 'r1')");
            ins.bind(1, 2.0).bind(2, int64_t(1)).run();
            ins.bind(1, DBL_MAX).bind(2, int64_t(2)).run();
            ins.bind(1, 0.5).bind(2, int64_t(3)).run();
        }
        auto r = MlflowSqliteReader::open(path);
        QVERIFY(r);
        auto runs = (*r)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 1);   // a deleted run and a run of a deleted experiment left out
        QCOMPARE(t.name(0), QStringLiteral("named-by-tag"));
        QCOMPARE(t.status(0), RunStatus::Running);
        QCOMPARE(t.endTime(0), int64_t(-1));
        const MetricColumn* loss = t.metric(QStringLiteral("loss"));
        QCOMPARE(loss->count[0], int64_t(3));
        QCOMPARE(loss->last[0], 0.5);   // by timestamp: no steps in this revision
        QCOMPARE(loss->max[0], INFINITY);
        QVERIFY(runs->problems.join(QLatin1Char(' ')).contains(QStringLiteral("latest_metrics disagrees")));
        auto s = (*r)->loadSeries(QStringLiteral("r1"), QStringLiteral("loss"));
        QVERIFY(s);
        QCOMPARE(s->values[1], INFINITY);
        QCOMPARE(s->steps[2], int64_t(0));
        auto all = MlflowSqliteReader::open(path, /*includeDeleted=*/true);
        QCOMPARE((*all)->loadRuns()->table->rowCount(), 3);
    }

    void nanViaIsNanColumn()
    {
        const QString path = dir_.filePath(QStringLiteral("nan-mlflow.db"));
        {
            SqliteDb db(path.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE alembic_version(version_num VARCHAR(32)); INSERT INTO alembic_version VALUES('x');"
                    "CREATE TABLE experiments(experiment_id INTEGER, name TEXT, lifecycle_stage TEXT);"
                    "INSERT INTO experiments VALUES(0, 'Default', 'active');"
                    "CREATE TABLE runs(run_uuid TEXT, name TEXT, status TEXT, start_time BIGINT, end_time BIGINT,"
                    "  lifecycle_stage TEXT, experiment_id INTEGER, user_id TEXT, artifact_uri TEXT);"
                    "INSERT INTO runs VALUES('n1', 'nan-run', 'FAILED', 1, 2, 'active', 0, '', '');"
                    "CREATE TABLE params(key TEXT, value TEXT, run_uuid TEXT);"
                    "CREATE TABLE tags(key TEXT, value TEXT, run_uuid TEXT);"
                    "CREATE TABLE metrics(key TEXT, value FLOAT, timestamp BIGINT, run_uuid TEXT, step BIGINT, is_nan BOOLEAN);"
                    "INSERT INTO metrics VALUES('loss', 1.0, 1, 'n1', 0, 0), ('loss', 0, 2, 'n1', 1, 1);");
        }
        auto r = MlflowSqliteReader::open(path);
        auto runs = (*r)->loadRuns();
        QVERIFY(std::isnan(runs->table->metric(QStringLiteral("loss"))->last[0]));
        QCOMPARE(runs->table->metric(QStringLiteral("loss"))->max[0], 1.0);
        auto d = (*r)->loadDetails(QStringLiteral("n1"));
        QCOMPARE(d->metrics[0].nanCount, int64_t(1));
    }

    void ourStoreAndForeignDatabasesAreTold()
    {
        const QString other = dir_.filePath(QStringLiteral("other.db"));
        {
            SqliteDb db(other.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE alembic_version(version_num TEXT); CREATE TABLE runs(x);");
        }
        auto r = MlflowSqliteReader::open(other);
        QVERIFY(!r);
        QVERIFY(r.error().contains(QStringLiteral("not an MLflow store")));
        QVERIFY(!openStore(other, QStringLiteral("mlflow-sqlite")));
        QVERIFY(openStore(other).error().contains(QStringLiteral("not a Runlens store")));
    }
};

QTEST_GUILESS_MAIN(TestMlflowSqlite)
#include "test_mlflow_sqlite.moc"
