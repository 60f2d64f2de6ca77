// SPDX-License-Identifier: GPL-3.0-or-later
// `runlens import`: runs copied with their provenance, series intact, and a
// second import adding nothing.
#include "runlens/runlens.h"
#include "store_importer.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;

class TestImport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void importsMlflowOnceWithProvenance()
    {
        const QString src = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-filestore-v1");
        if (!QFileInfo::exists(src))
            QFAIL(test::kMissingFixtures);
        const QString dest = dir_.filePath(QStringLiteral("imported.db"));
        auto source = openStore(src);
        QVERIFY(source);
        auto first = importStore(**source, dest);
        QVERIFY2(first, qPrintable(first ? QString() : first.error()));
        QCOMPARE(first->imported, 20);
        QCOMPARE(first->skipped, 0);
        auto again = importStore(**source, dest);
        QVERIFY(again);
        QCOMPARE(again->imported, 0);
        QCOMPARE(again->skipped, 20);

        auto reader = test::mustOpen(dest);
        auto table = test::mustLoad(*reader);
        QCOMPARE(table->rowCount(), 20);
        const int row = table->findRun(QStringLiteral("self_stock"));
        QVERIFY(row != -1);
        // Several runs are called self_stock: find the one from run 5f7beba1 by its provenance tag.
        const ValueColumn* origin = table->tag(QStringLiteral("runlens.import.run_id"));
        QVERIFY(origin);
        int r5f = -1;
        for (int r = 0; r < table->rowCount(); ++r)
            if (origin->text[size_t(r)] == QStringLiteral("5f7beba1a1664c62b697de6a3e05c9e2"))
                r5f = r;
        QVERIFY(r5f >= 0);
        QCOMPARE(table->experiment(r5f), QStringLiteral("AMZN_1000_118"));
        QCOMPARE(table->status(r5f), RunStatus::Finished);
        QCOMPARE(table->startTime(r5f), int64_t(1665615288243));
        QCOMPARE(table->tag(QStringLiteral("runlens.import.kind"))->text[size_t(r5f)], QStringLiteral("mlflow-file"));
        QCOMPARE(table->param(QStringLiteral("stock_fast_sma"))->number[size_t(r5f)], 10.0);
        auto s = reader->loadSeries(table->id(r5f), QStringLiteral("init_cash"));
        QVERIFY(s);
        QCOMPARE(s->values, std::vector<double>{1000.0});
        QCOMPARE(s->wallTimes[0], 1665615288.278);
        auto d = reader->loadDetails(table->id(r5f));
        QCOMPARE(d->git.commit, QStringLiteral("3fbc4a046f43c7c2f977f23e0c3ab88e560766d8"));
    }

    void typedParamsOfAFolderStoreImport()
    {
        // Lightning's hparams are typed (int, float, bool, string, json; a
        // null is JSON's null): every type is one our store's params take.
        const QString src = dir_.filePath(QStringLiteral("lightning_logs"));
        test::writeFile(src + QStringLiteral("/version_0/metrics.csv"), "step,loss\n0,1.0\n");
        test::writeFile(src + QStringLiteral("/version_0/hparams.yaml"),
                        "epochs: 3\nlr: 0.1\namp: true\nname: resnet\nlayers: [24, 24]\nscheduler: null\n");
        auto source = openStore(src);
        QVERIFY(source);
        const QString dest = dir_.filePath(QStringLiteral("imported_lightning.db"));
        auto imported = importStore(**source, dest);
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error()));
        QCOMPARE(imported->imported, 1);
        auto reader = test::mustOpen(dest);
        const auto table = test::mustLoad(*reader);
        const auto d = reader->loadDetails(table->id(0));
        QVERIFY(d);
        QStringList params;
        for (const auto& p : d->params)
            params << QStringLiteral("%1 %2 %3").arg(p.key, p.type, p.value);
        QCOMPARE(params, (QStringList{QStringLiteral("amp bool true"), QStringLiteral("epochs int 3"),
                                      QStringLiteral("layers json [24, 24]"), QStringLiteral("lr float 0.1"),
                                      QStringLiteral("name string resnet"), QStringLiteral("scheduler json null")}));
    }

    void ourOwnStoreRoundTripsExactly()
    {
        const QString src = dir_.filePath(QStringLiteral("ours.db"));
        {
            RunOptions o;
            o.name = "orig";
            o.capture_git = false;
            auto run = Run::start(src.toStdString(), o);
            for (int i = 0; i < 3000; ++i)
                run.logMetric("x", i == 7 ? NAN : i * 0.25, i, 100.0 + i);
            run.logParam("lr", 0.5);
            run.finish(RunStatus::Killed);
        }
        const auto before = test::fileHash(src);
        auto source = openStore(src);
        const QString dest = dir_.filePath(QStringLiteral("copy.db"));
        QVERIFY(importStore(**source, dest));
        QVERIFY(!importStore(**source, src));   // never into itself
        source->reset();
        QCOMPARE(test::fileHash(src), before);
        auto reader = test::mustOpen(dest);
        auto table = test::mustLoad(*reader);
        QCOMPARE(table->status(0), RunStatus::Killed);
        auto s = reader->loadSeries(table->id(0), QStringLiteral("x"));
        QCOMPARE(s->size(), size_t(3000));
        QVERIFY(std::isnan(s->values[7]));
        QCOMPARE(s->values[2999], 2999 * 0.25);
        QCOMPARE(s->wallTimes[5], 105.0);
        QCOMPARE(table->metric(QStringLiteral("x"))->count[0], int64_t(3000));
        QCOMPARE(table->param(QStringLiteral("lr"))->number[0], 0.5);
    }
};

QTEST_GUILESS_MAIN(TestImport)
#include "test_import.moc"
