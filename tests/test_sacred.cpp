// SPDX-License-Identifier: GPL-3.0-or-later
// Sacred FileStorageObserver folders, as Sacred 0.8 writes them (run.json,
// config.json, metrics.json, cout.txt; _sources/ beside the runs): runs,
// statuses, params and every point against what the test wrote.
#include "sacred_reader.h"
#include "store_importer.h"
#include "test_support.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QtTest>

#include <ctime>

using namespace runlens;

namespace {

QString utcIso(int64_t ms)
{
    // Sacred's datetime.utcnow().isoformat(): no zone, microseconds.
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000"));
}

QByteArray runJson(const QString& status, int64_t startMs, int64_t heartbeatMs, std::optional<int64_t> stopMs,
    const QJsonValue& result)
{
    QJsonObject experiment{{QStringLiteral("name"), QStringLiteral("mnist_sacred")},
        {QStringLiteral("base_dir"), QStringLiteral("/home/u/proj")},
        {QStringLiteral("mainfile"), QStringLiteral("train.py")},
        {QStringLiteral("dependencies"), QJsonArray{QStringLiteral("numpy==1.26.4"), QStringLiteral("sacred==0.8.7")}},
        {QStringLiteral("repositories"),
            QJsonArray{QJsonObject{{QStringLiteral("commit"), QStringLiteral("4b58fc57dd6b93bf0cf388264a0886a5c2f1ebe9")},
                {QStringLiteral("dirty"), true}, {QStringLiteral("url"), QStringLiteral("https://example.org/proj.git")}}}},
        {QStringLiteral("sources"), QJsonArray{}}};
    QJsonObject host{{QStringLiteral("hostname"), QStringLiteral("lab-3")}, {QStringLiteral("cpu"), QStringLiteral("Xeon")},
        {QStringLiteral("os"), QJsonArray{QStringLiteral("Linux"), QStringLiteral("Linux-6.8.0-x86_64")}},
        {QStringLiteral("python_version"), QStringLiteral("3.10.16")}, {QStringLiteral("ENV"), QJsonObject{}}};
    QJsonObject r{{QStringLiteral("artifacts"), QJsonArray{}}, {QStringLiteral("command"), QStringLiteral("my_main")},
        {QStringLiteral("experiment"), experiment}, {QStringLiteral("heartbeat"), utcIso(heartbeatMs)},
        {QStringLiteral("host"), host}, {QStringLiteral("meta"), QJsonObject{{QStringLiteral("comment"), QStringLiteral("try wider")}}},
        {QStringLiteral("resources"), QJsonArray{}}, {QStringLiteral("result"), result},
        {QStringLiteral("start_time"), utcIso(startMs)}, {QStringLiteral("status"), status}};
    if (stopMs)
        r.insert(QStringLiteral("stop_time"), utcIso(*stopMs));
    return QJsonDocument(r).toJson();
}

} // namespace

class TestSacred : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString base_;
    const int64_t start_ = 1757507682025;   // 2025-09-10T12:34:42.025

private slots:
    void initTestCase()
    {
        // Times without a zone are UTC: a machine in UTC would not tell a
        // reader that took them as local time.
        qputenv("TZ", "America/New_York");
        tzset();
        base_ = dir_.filePath(QStringLiteral("my_runs"));
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        test::writeFile(base_ + QStringLiteral("/1/run.json"),
            runJson(QStringLiteral("COMPLETED"), start_, start_ + 60'000, start_ + 61'000, 0.981));
        test::writeFile(base_ + QStringLiteral("/2/run.json"),
            runJson(QStringLiteral("FAILED"), start_ + 100'000, start_ + 110'000, start_ + 110'500, QJsonValue::Null));
        test::writeFile(base_ + QStringLiteral("/3/run.json"),   // died: its heartbeat stopped long ago
            runJson(QStringLiteral("RUNNING"), start_ + 200'000, start_ + 210'000, std::nullopt, QJsonValue::Null));
        test::writeFile(base_ + QStringLiteral("/4/run.json"),   // beating now
            runJson(QStringLiteral("RUNNING"), now - 5000, now, std::nullopt, QJsonValue::Null));
        test::writeFile(base_ + QStringLiteral("/5/run.json"),
            runJson(QStringLiteral("INTERRUPTED"), start_ + 300'000, start_ + 301'000, start_ + 301'000, QStringLiteral("stopped")));
        for (int i = 1; i <= 5; ++i) {
            QJsonObject config{{QStringLiteral("lr"), 0.01 * i}, {QStringLiteral("seed"), 1000 + i},
                {QStringLiteral("optimizer"), QJsonObject{{QStringLiteral("name"), QStringLiteral("adam")}, {QStringLiteral("betas"), QJsonArray{0.9, 0.999}}}}};
            test::writeFile(base_ + QStringLiteral("/%1/config.json").arg(i), QJsonDocument(config).toJson());
            test::writeFile(base_ + QStringLiteral("/%1/cout.txt").arg(i), "INFO - mnist_sacred - Running command 'my_main'\n");
        }
        // Run 1's metrics: loss at every step, accuracy every 5th.
        QJsonArray steps, times, values, accSteps, accTimes, accValues;
        for (int s = 0; s < 50; ++s) {
            steps.append(s);
            times.append(utcIso(start_ + 1000 * s));
            values.append(1.0 / (s + 1));
            if (s % 5 == 0) {
                accSteps.append(s);
                accTimes.append(utcIso(start_ + 1000 * s));
                accValues.append(0.5 + 0.01 * s);
            }
        }
        QJsonObject metrics{
            {QStringLiteral("train.loss"), QJsonObject{{QStringLiteral("steps"), steps}, {QStringLiteral("timestamps"), times}, {QStringLiteral("values"), values}}},
            {QStringLiteral("val.acc"), QJsonObject{{QStringLiteral("steps"), accSteps}, {QStringLiteral("timestamps"), accTimes}, {QStringLiteral("values"), accValues}}}};
        test::writeFile(base_ + QStringLiteral("/1/metrics.json"), QJsonDocument(metrics).toJson());
        test::writeFile(base_ + QStringLiteral("/2/metrics.json"), "{\"loss\": {\"steps\": [0, 1], \"timestamps\": [");   // cut short
        test::writeFile(base_ + QStringLiteral("/_sources/train_0123abcd.py"), "print('hi')\n");
        for (int i : {1, 2, 3, 5}) {   // their heartbeats ended long ago: so did their files' writes
            QFile f(base_ + QStringLiteral("/%1/run.json").arg(i));
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime));
        }
    }

    void readsRunsStatusesParamsAndEveryPoint()
    {
        auto reader = openStore(base_);
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("sacred"));
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        const auto& t = *runs->table;
        QCOMPARE(t.rowCount(), 5);   // _sources is not a run
        auto row = [&](const char* id) { return t.findRun(QLatin1String(id)); };
        QCOMPARE(t.status(row("1")), RunStatus::Finished);
        QCOMPARE(t.status(row("2")), RunStatus::Failed);
        QCOMPARE(t.status(row("3")), RunStatus::Crashed);
        QCOMPARE(t.status(row("4")), RunStatus::Running);
        QCOMPARE(t.status(row("5")), RunStatus::Killed);
        QCOMPARE(t.experiment(row("1")), QStringLiteral("mnist_sacred"));
        QCOMPARE(t.startTime(row("1")), start_);
        QCOMPARE(t.endTime(row("1")), start_ + 61'000);
        QCOMPARE(t.endTime(row("3")), start_ + 210'000);   // its last heartbeat
        QCOMPARE(t.endTime(row("4")), int64_t(-1));
        QCOMPARE(t.param(QStringLiteral("lr"))->number[size_t(row("3"))], 0.03);
        QCOMPARE(t.param(QStringLiteral("seed"))->text[size_t(row("3"))], QStringLiteral("1003"));
        QCOMPARE(t.param(QStringLiteral("optimizer.name"))->text[size_t(row("1"))], QStringLiteral("adam"));
        QCOMPARE(t.param(QStringLiteral("optimizer.betas"))->text[size_t(row("1"))], QStringLiteral("[0.9,0.999]"));
        QCOMPARE(t.metric(QStringLiteral("result"))->last[size_t(row("1"))], 0.981);
        QCOMPARE(t.tag(QStringLiteral("sacred.result"))->text[size_t(row("5"))], QStringLiteral("stopped"));
        QCOMPARE(t.metric(QStringLiteral("train.loss"))->count[size_t(row("1"))], int64_t(50));

        auto loss = (*reader)->loadSeries(QStringLiteral("1"), QStringLiteral("train.loss"));
        QVERIFY(loss);
        QCOMPARE(loss->size(), size_t(50));
        for (size_t s = 0; s < 50; ++s) {
            QCOMPARE(loss->steps[s], int64_t(s));
            QCOMPARE(loss->values[s], 1.0 / double(s + 1));
            QCOMPARE(loss->wallTimes[s], double(start_ + 1000 * int64_t(s)) / 1000.0);
        }
        auto acc = (*reader)->loadSeries(QStringLiteral("1"), QStringLiteral("val.acc"));
        QVERIFY(acc);
        QCOMPARE(acc->steps, (std::vector<int64_t>{0, 5, 10, 15, 20, 25, 30, 35, 40, 45}));
        QCOMPARE(acc->values[3], 0.5 + 0.01 * 15);

        // Run 2's metrics.json is cut short: said, and the rest of it loads.
        const QString problems = runs->problems.join(QLatin1Char('\n'));
        QVERIFY2(problems.contains(QStringLiteral("2: ")) && problems.contains(QStringLiteral("metrics.json")), qPrintable(problems));
        QCOMPARE(t.param(QStringLiteral("lr"))->number[size_t(row("2"))], 0.02);

        auto d = (*reader)->loadDetails(QStringLiteral("1"));
        QVERIFY(d);
        QCOMPARE(d->host, QStringLiteral("lab-3"));
        QCOMPARE(d->notes, QStringLiteral("try wider"));
        QCOMPARE(d->git.commit, QStringLiteral("4b58fc57dd6b93bf0cf388264a0886a5c2f1ebe9"));
        QVERIFY(d->git.dirty && d->git.dirtyRecorded);
        QVERIFY(std::find(d->environment.begin(), d->environment.end(),
                    std::pair{QStringLiteral("dependencies"), QStringLiteral("numpy==1.26.4, sacred==0.8.7")}) != d->environment.end());
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }

    void oneRunFolderOpensAlone()
    {
        auto reader = openStore(base_ + QStringLiteral("/1"));
        QVERIFY(reader);
        QCOMPARE((*reader)->kind(), QStringLiteral("sacred"));
        QCOMPARE(test::mustLoad(**reader)->rowCount(), 1);
    }

    void importsIntoARunlensStore()
    {
        auto source = openStore(base_);
        QVERIFY(source);
        const QString dest = dir_.filePath(QStringLiteral("imported.db"));
        auto imported = importStore(**source, dest);
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error()));
        QCOMPARE(imported->imported, 5);
        auto reader = test::mustOpen(dest);
        auto table = test::mustLoad(*reader);
        QCOMPARE(table->rowCount(), 5);
        QCOMPARE(table->tag(QStringLiteral("runlens.import.kind"))->text[0], QStringLiteral("sacred"));
    }
};

QTEST_GUILESS_MAIN(TestSacred)
#include "test_sacred.moc"
