// SPDX-License-Identifier: GPL-3.0-or-later
// The stores layer's one way in: every format in the registry recognises its
// own stores (and only the surest wins), declares what it can do, and a path
// that is no store gets a clear answer, never a hang.
#include "runlens/runlens.h"
#include "store_registry.h"
#include "folder_walk.h"
#include "test_support.h"
#include "zip_writer.h"
#include "tensorboard_events.h"
#include "wandb_writer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace runlens;

class TestStoreRegistry : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString makeRunlensStore()
    {
        const QString path = dir_.filePath(QStringLiteral("ours.db"));
        auto run = Run::start(path.toStdString(), test::testRun("r"));
        run.logMetric("loss", 1.0, 0);
        run.finish();
        return path;
    }

    QString makeMlflowFileStore()
    {
        const QString root = dir_.filePath(QStringLiteral("project"));
        test::writeFile(root + QStringLiteral("/mlruns/0/meta.yaml"), "experiment_id: '0'\nname: Default\n");
        test::writeFile(root + QStringLiteral("/mlruns/0/abc/meta.yaml"), "run_id: abc\nrun_name: one\nstatus: 3\n");
        return root; // a folder holding mlruns/
    }

    QString makeCsvLogs(const char* marker, const QByteArray& content)
    {
        const QString root = dir_.filePath(QString::fromLatin1(marker).section(QLatin1Char('/'), 0, 0) + QStringLiteral("_logs"));
        test::writeFile(root + QStringLiteral("/version_0/") + QString::fromLatin1(marker), content);
        return root;
    }

    // wandb/run-<date>-<id>/run-<id>.wandb holding a run record.
    QString makeWandbFolder(bool withEventFile)
    {
        const QString root = dir_.filePath(withEventFile ? QStringLiteral("wandb_tb/wandb") : QStringLiteral("wandb_only/wandb"));
        test::wandb::LogWriter log;
        test::wandb::Run run;
        run.id = "abcd1234";
        run.project = "p";
        run.name = "r";
        log.append(test::wandb::runRecord(run));
        test::writeFile(root + QStringLiteral("/run-20240101_000000-abcd1234/run-abcd1234.wandb"), log.bytes());
        if (withEventFile)
            test::writeFile(root + QStringLiteral("/run-20240101_000000-abcd1234/files/train/events.out.tfevents.1.host"),
                scalarEventRecord("loss", 0, 1.0, 1.0f));
        return QFileInfo(root).absolutePath();
    }

    // Sacred's FileStorageObserver: my_runs/1/{run.json,config.json}.
    QString makeSacredRuns()
    {
        const QString root = dir_.filePath(QStringLiteral("my_runs"));
        test::writeFile(root + QStringLiteral("/1/run.json"), R"({"status": "COMPLETED", "experiment": {"name": "e"}})");
        test::writeFile(root + QStringLiteral("/1/config.json"), R"({"seed": 1})");
        return root;
    }

    // A Guild home's runs/<id>/.guild/attrs, with Guild's event file: Guild's, not TensorBoard's.
    QString makeGuildRuns()
    {
        const QString root = dir_.filePath(QStringLiteral("guild-home"));
        test::writeFile(root + QStringLiteral("/runs/0123abcd/.guild/attrs/exit_status"), "0\n");
        test::writeFile(root + QStringLiteral("/runs/0123abcd/.guild/events.out.tfevents.1.host"), scalarEventRecord("loss", 0, 1.0, 1.0f));
        return root;
    }

    QString makeCometArchives()
    {
        const QString root = dir_.filePath(QStringLiteral("comet-project/.cometml-runs"));
        QDir().mkpath(root);
        test::writeZip(root + QStringLiteral("/0123456789abcdef0123456789abcdef.zip"),
            {{QStringLiteral("experiment.json"), R"({"offline_id":"0123456789abcdef0123456789abcdef","start_time":1,"stop_time":2,"tags":[]})"},
                {QStringLiteral("messages.json"),
                    R"({"payload":{"local_timestamp":1,"metric":{"metricName":"loss","metricValue":1.0,"step":0}},"type":"metric_msg"})"
                    "\n"}});
        return QFileInfo(root).path();
    }

    QString makeNeptuneRuns()
    {
        const QString root = dir_.filePath(QStringLiteral("neptune-project"));
        test::writeFile(root + QStringLiteral("/.neptune/offline/run__a1561719-b425-4000-a65a-b5efb044d6bb/data-1.log"),
            R"({"obj": {"type": "AssignFloat", "path": ["parameters", "lr"], "value": 0.1}, "version": 1})"
            "\n");
        return root;
    }

private slots:
    void formatsAreDeclaredOnce()
    {
        QSet<QString> seen;
        for (const auto& f : storeFormats()) {
            QVERIFY2(!seen.contains(f.kind), qPrintable(f.kind));
            seen.insert(f.kind);
            QVERIFY(!f.description.isEmpty());
            QVERIFY(f.recognise && f.open);
            QVERIFY(f.capabilities.testFlag(StoreCapability::Read));
            QCOMPARE(findStoreFormat(f.kind), &f);
        }
        QCOMPARE(storeKinds().size(), qsizetype(storeFormats().size()));
        // Only our own store keeps the app's annotations; other tools' files are never written.
        for (const auto& f : storeFormats())
            QCOMPARE(f.capabilities.testFlag(StoreCapability::WriteAnnotations), f.kind == QLatin1String("runlens"));
        QVERIFY(!findStoreFormat(QStringLiteral("nosuch")));
    }

    void eachFormatRecognisesItsOwnStores()
    {
        const QString fixtures = QStringLiteral(RUNLENS_SHARED_FIXTURES);
        const std::vector<std::pair<QString, QString>> stores = {
            {makeRunlensStore(), QStringLiteral("runlens")},
            {makeMlflowFileStore(), QStringLiteral("mlflow-file")},
            {fixtures + QStringLiteral("/mlflow-sqlite/mlflow.db"), QStringLiteral("mlflow-sqlite")},
            {fixtures + QStringLiteral("/tensorboard"), QStringLiteral("tensorboard")},
            {makeCsvLogs("metrics.csv", "step,loss\n0,1\n"), QStringLiteral("lightning")},
            {makeCsvLogs("plots/metrics/loss.tsv", "step\tloss\n0\t1\n"), QStringLiteral("dvclive")},
            {makeWandbFolder(false), QStringLiteral("wandb")},
            // W&B copies TensorBoard's event files into a run it syncs them to: still W&B's.
            {makeWandbFolder(true), QStringLiteral("wandb")},
            {makeSacredRuns(), QStringLiteral("sacred")},
            {makeGuildRuns(), QStringLiteral("guild")},
            {makeCometArchives(), QStringLiteral("comet")},
            {makeCometArchives() + QStringLiteral("/.cometml-runs/0123456789abcdef0123456789abcdef.zip"), QStringLiteral("comet")},
            {makeNeptuneRuns(), QStringLiteral("neptune")},
        };
        QSet<QString> covered;
        for (const auto& [path, kind] : stores) {
            QVERIFY2(QFileInfo::exists(path), qPrintable(path + QStringLiteral(" is missing (shared fixtures?)")));
            auto detected = openStore(path);
            QVERIFY2(detected, qPrintable(path + QStringLiteral(": ") + (detected ? QString() : detected.error())));
            QCOMPARE((*detected)->kind(), kind);
            auto forced = openStore(path, kind);
            QVERIFY2(forced, qPrintable(forced ? QString() : forced.error()));
            QCOMPARE((*forced)->kind(), kind);
            covered.insert(kind);
        }
        // A format added to the registry gets a line above, or this fails.
        // A store on a server is named by its URL, never recognised from a
        // path: test_team_store opens the team store's on a real server.
        const auto onDisk = std::count_if(storeFormats().begin(), storeFormats().end(),
            [](const StoreFormat& f) { return f.urlSchemes.isEmpty(); });
        QCOMPARE(covered.size(), qsizetype(onDisk));
        QCOMPARE(qsizetype(storeFormats().size()) - onDisk, 1);
    }

    // Recognising a store looks no deeper than the formats' layouts go: a
    // folder six levels down is never listed, one skipped is not entered,
    // and a stop ends the walk.
    void folderWalksStopAtTheirDepth()
    {
        const QString root = dir_.filePath(QStringLiteral("deep"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/a/b/c/d/e/f")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/.hidden/x")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/skipped/y")));
        QStringList seen;
        walkFolders(root, 3, [&](const QString& folder) {
            seen << QDir(root).relativeFilePath(folder);
            return folder.endsWith(QLatin1String("skipped")) ? WalkNext::Skip : WalkNext::Enter;
        });
        QCOMPARE(seen, (QStringList{QStringLiteral(".hidden"), QStringLiteral("a"), QStringLiteral("skipped"),
                            QStringLiteral(".hidden/x"), QStringLiteral("a/b"), QStringLiteral("a/b/c")}));
        seen.clear();
        walkFolders(root, 10, [&](const QString& folder) {
            seen << QDir(root).relativeFilePath(folder);
            return folder.endsWith(QLatin1String("/b")) ? WalkNext::Stop : WalkNext::Enter;
        });
        QCOMPARE(seen.last(), QStringLiteral("a/b"));
        QVERIFY(!seen.contains(QStringLiteral("skipped/y")));
    }

    void whatIsNoStoreSaysSo()
    {
        auto missing = openStore(dir_.filePath(QStringLiteral("nothing")));
        QVERIFY(!missing);
        QVERIFY(missing.error().contains(QStringLiteral("does not exist")));

        const QString text = dir_.filePath(QStringLiteral("notes.txt"));
        test::writeFile(text, "hello");
        auto notSqlite = openStore(text);
        QVERIFY(!notSqlite);
        QVERIFY(notSqlite.error().contains(QStringLiteral("not a SQLite database")));

        const QString folder = dir_.filePath(QStringLiteral("empty-folder"));
        QDir().mkpath(folder);
        auto emptyFolder = openStore(folder);
        QVERIFY(!emptyFolder);
        QVERIFY(emptyFolder.error().contains(QStringLiteral("not a store this build reads")));
        for (const auto& f : storeFormats())
            QVERIFY2(emptyFolder.error().contains(f.description), qPrintable(f.description));

        auto unknown = openStore(folder, QStringLiteral("wandb-cloud"));
        QVERIFY(!unknown);
        QVERIFY(unknown.error().contains(storeKinds().join(QStringLiteral(", "))));
    }

    void aNamedPipeIsRefusedWithoutWaiting()
    {
        // Opening a FIFO for reading blocks until a writer comes: never open one.
        const QString fifo = dir_.filePath(QStringLiteral("pipe.db"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        auto opened = openStore(fifo); // a hang here is the failure (ctest's timeout ends it)
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(QStringLiteral("neither a file nor a folder")), qPrintable(opened.error()));
    }
};

QTEST_GUILESS_MAIN(TestStoreRegistry)
#include "test_store_registry.moc"
