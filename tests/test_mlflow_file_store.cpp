// SPDX-License-Identifier: GPL-3.0-or-later
// The MLflow file store reader: the real 1.x store in shared/fixtures, and
// generated 2.x layouts with the odd and damaged parts MLflow leaves behind.
#include "mlflow_file_store_reader.h"
#include "test_support.h"

#include <QBuffer>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;

namespace {

void write(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
}

std::unique_ptr<MlflowFileStoreReader> open(const QString& path)
{
    auto r = MlflowFileStoreReader::open(path);
    if (!r)
        qFatal("%s", qPrintable(r.error()));
    return std::move(*r);
}

} // namespace

class TestMlflowFileStore : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString made_;

private slots:
    void initTestCase()
    {
        // A 2.x store: experiment_id as int, run_name in meta.yaml, nested keys,
        // NaN/Inf, a missing step, duplicate steps, deleted and trashed parts.
        made_ = dir_.filePath(QStringLiteral("project/mlruns"));
        write(made_ + QStringLiteral("/1/meta.yaml"),
              "artifact_location: file:///x/mlruns/1\ncreation_time: 1700000000000\nexperiment_id: 1\n"
              "lifecycle_stage: active\nname: vision\n");
        write(made_ + QStringLiteral("/1/tags/mlflow.note.content"), "experiment notes, not a run");
        const QString run = made_ + QStringLiteral("/1/aaa111");
        write(run + QStringLiteral("/meta.yaml"),
              "artifact_uri: file:///x/mlruns/1/aaa111/artifacts\nend_time: 1700000100000\nexperiment_id: '1'\n"
              "lifecycle_stage: active\nrun_id: aaa111\nrun_name: resnet-a\nrun_uuid: aaa111\nstart_time: 1700000000000\n"
              "status: 4\nuser_id: ada\n");
        write(run + QStringLiteral("/params/lr"), "0.001");
        write(run + QStringLiteral("/params/model/depth"), "50");
        write(run + QStringLiteral("/params/optimizer"), "adam");
        write(run + QStringLiteral("/tags/mlflow.runName"), "ignored-when-run_name-set");
        write(run + QStringLiteral("/tags/team"), "vision");
        write(run + QStringLiteral("/metrics/loss"),
              "1700000000001 1.5 0\n1700000000002 nan 1\n1700000000003 inf 2\n1700000000004 0.9333333333333333 3\n"
              "1700000000005 0.5 3\nnot a line\n1700000000006 0.4\n");
        write(run + QStringLiteral("/metrics/val/acc"), "1700000000009 0.75 10\n");
        write(run + QStringLiteral("/metrics/empty"), "");
        write(run + QStringLiteral("/artifacts/model.pt"), "weights");
        // A run deleted in MLflow, one with a broken meta.yaml, and one running.
        write(made_ + QStringLiteral("/1/bbb222/meta.yaml"),
              "run_id: bbb222\nrun_name: gone\nlifecycle_stage: deleted\nstatus: 3\nstart_time: 1\n");
        write(made_ + QStringLiteral("/1/ccc333/meta.yaml"), "run_id: [unclosed\n  : :");
        write(made_ + QStringLiteral("/1/ddd444/meta.yaml"),
              "run_id: ddd444\nname: ''\nlifecycle_stage: active\nstart_time: 1700000200000\nend_time: null\n");
        write(made_ + QStringLiteral("/1/ddd444/tags/mlflow.runName"), "from-tag");
        write(made_ + QStringLiteral("/.trash/7/meta.yaml"), "experiment_id: '7'\nname: trashed\nlifecycle_stage: deleted\n");
        write(made_ + QStringLiteral("/.trash/7/eee555/meta.yaml"), "run_id: eee555\nrun_name: trashed-run\nstatus: 3\n");
        write(made_ + QStringLiteral("/models/churn-model/meta.yaml"), "name: churn-model\n");
    }

    void readsTheRealFixtureStore()
    {
        const QString path = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-filestore-v1");
        if (!QFileInfo::exists(path))
            QFAIL(test::kMissingFixtures);
        const auto before = test::treeHash(path);
        auto reader = open(path);
        auto runs = reader->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 20);
        QVERIFY(runs->problems.isEmpty());
        int running = 0, finished = 0;
        for (int r = 0; r < t.rowCount(); ++r)
            (t.status(r) == RunStatus::Running ? running : finished) += 1;
        QCOMPARE(running, 4);   // status 1, end_time null
        QCOMPARE(finished, 16);
        // 1.x: name '' in meta.yaml, the name in the mlflow.runName tag.
        const int row = t.findRun(QStringLiteral("5f7beba1"));
        QVERIFY(row >= 0);
        QCOMPARE(t.name(row), QStringLiteral("self_stock"));
        QCOMPARE(t.experiment(row), QStringLiteral("AMZN_1000_118"));
        QCOMPARE(t.param(QStringLiteral("stock_fast_sma"))->number[size_t(row)], 10.0);
        QCOMPARE(t.param(QStringLiteral("stock_sma"))->text[size_t(row)], QStringLiteral("AMZN"));
        QCOMPARE(t.metric(QStringLiteral("init_cash"))->last[size_t(row)], 1000.0);
        QCOMPARE(t.startTime(row), int64_t(1665615288243));
        QCOMPARE(t.endTime(row), int64_t(1665615293060));
        auto s = reader->loadSeries(t.id(row), QStringLiteral("init_cash"));
        QVERIFY(s);
        QCOMPARE(s->size(), size_t(1));
        QCOMPARE(s->wallTimes[0], 1665615288.278);
        auto d = reader->loadDetails(t.id(row));
        QVERIFY(d);
        QCOMPARE(d->git.commit, QStringLiteral("3fbc4a046f43c7c2f977f23e0c3ab88e560766d8"));
        // MLflow records the commit, not the working tree: "not recorded", never "no".
        QVERIFY(!d->git.dirtyRecorded);
        QCOMPARE(d->git.dirtyText(), QStringLiteral("not recorded"));
        QCOMPARE(test::treeHash(path), before);   // nothing written
    }

    void readsA2xLayoutWithOddParts()
    {
        const auto before = test::treeHash(made_);
        // A folder holding mlruns opens too.
        auto reader = open(dir_.filePath(QStringLiteral("project")));
        auto runs = reader->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 2);   // deleted, broken and trashed runs left out
        const int a = t.findRun(QStringLiteral("aaa111"));
        QCOMPARE(t.name(a), QStringLiteral("resnet-a"));
        QCOMPARE(t.experiment(a), QStringLiteral("vision"));
        QCOMPARE(t.status(a), RunStatus::Failed);
        QCOMPARE(t.endTime(a), int64_t(1700000100000));
        QCOMPARE(t.param(QStringLiteral("model/depth"))->number[size_t(a)], 50.0);
        QCOMPARE(t.tag(QStringLiteral("team"))->text[size_t(a)], QStringLiteral("vision"));
        const MetricColumn* loss = t.metric(QStringLiteral("loss"));
        QVERIFY(loss);
        QCOMPARE(loss->count[size_t(a)], int64_t(6));          // the bad line skipped
        QCOMPARE(loss->lastStep[size_t(a)], int64_t(3));       // "0.4" has no step: step 0
        QCOMPARE(loss->last[size_t(a)], 0.5);                  // duplicate step 3: the later point
        QCOMPARE(loss->max[size_t(a)], INFINITY);
        QCOMPARE(loss->min[size_t(a)], 0.4);
        QVERIFY(t.metric(QStringLiteral("val/acc")));
        QVERIFY(!t.metric(QStringLiteral("empty")));
        const int dd = t.findRun(QStringLiteral("ddd444"));
        QCOMPARE(t.name(dd), QStringLiteral("from-tag"));
        QCOMPARE(t.status(dd), RunStatus::Running);            // no status: running
        QCOMPARE(t.endTime(dd), int64_t(-1));
        QVERIFY(runs->problems.join(QLatin1Char(' ')).contains(QStringLiteral("ccc333")));
        QVERIFY(runs->problems.join(QLatin1Char(' ')).contains(QStringLiteral("1 malformed metric line")));

        auto s = reader->loadSeries(QStringLiteral("aaa111"), QStringLiteral("loss"));
        QVERIFY(s);
        QCOMPARE(s->size(), size_t(6));
        QVERIFY(std::isnan(s->values[1]));
        QVERIFY(std::isinf(s->values[2]));
        QCOMPARE(s->values[3], 0.9333333333333333);
        QCOMPARE(s->steps[5], int64_t(0));
        QCOMPARE(s->problems.size(), 1);
        // A key cannot climb out of the run's metrics folder.
        QVERIFY(!reader->loadSeries(QStringLiteral("aaa111"), QStringLiteral("../params/lr")));

        auto d = reader->loadDetails(QStringLiteral("aaa111"));
        QVERIFY(d);
        QCOMPARE(d->params.size(), size_t(3));
        QCOMPARE(d->artifacts.size(), size_t(1));
        QCOMPARE(d->artifacts[0].path, QStringLiteral("model.pt"));
        QCOMPARE(reader->registeredModels(), QStringList{QStringLiteral("churn-model")});
        const QString notes = runs->notes.join(QLatin1Char(' '));
        QVERIFY2(notes.contains(QStringLiteral("model registry: 1 registered model(s): churn-model")), qPrintable(notes));
        QVERIFY(notes.contains(QStringLiteral("2 deleted run(s) or experiment(s) left out")));   // bbb222, .trash/7
        QCOMPARE(test::treeHash(made_), before);
    }

    // Runs are read several at a time (read_in_parallel.h): the table still
    // holds them in folder order, each with its own params and metrics,
    // however the reads finish (big runs among small ones).
    void runsReadAtOnceComeInFolderOrder()
    {
        const QString root = dir_.filePath(QStringLiteral("order/mlruns"));
        write(root + QStringLiteral("/7/meta.yaml"), "experiment_id: '7'\nname: order\nlifecycle_stage: active\n");
        for (int r = 0; r < 13; ++r) {
            const QString run = root + QStringLiteral("/7/r%1").arg(r, 2, 10, QLatin1Char('0'));
            write(run + QStringLiteral("/meta.yaml"), QStringLiteral("run_id: r%1\nrun_name: n%1\nstatus: 3\n").arg(r).toUtf8());
            write(run + QStringLiteral("/params/i"), QByteArray::number(r));
            QByteArray lines;
            const int points = r % 3 == 0 ? 60000 : 3;   // every third run much slower to read
            for (int s = 0; s < points; ++s)
                lines += "1700000000000 " + QByteArray::number(r) + ' ' + QByteArray::number(s) + '\n';
            write(run + QStringLiteral("/metrics/m"), lines);
        }
        auto runs = open(root)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 13);
        for (int r = 0; r < 13; ++r) {
            QCOMPARE(t.id(r), QStringLiteral("r%1").arg(r));
            QCOMPARE(t.name(r), QStringLiteral("n%1").arg(r));
            QCOMPARE(t.param(QStringLiteral("i"))->number[size_t(r)], double(r));
            QCOMPARE(t.metric(QStringLiteral("m"))->last[size_t(r)], double(r));
            QCOMPARE(t.metric(QStringLiteral("m"))->count[size_t(r)], int64_t(r % 3 == 0 ? 60000 : 3));
        }
    }

    void deletedPartsOnRequest()
    {
        auto viaOpenStore = openStore(made_, {}, /*includeDeleted=*/true);
        QVERIFY(viaOpenStore);
        QCOMPARE((*viaOpenStore)->loadRuns()->table->rowCount(), 4);
        auto r = MlflowFileStoreReader::open(made_, /*includeDeleted=*/true);
        QVERIFY(r);
        auto runs = (*r)->loadRuns();
        QVERIFY(runs);
        QCOMPARE(runs->table->rowCount(), 4);   // + the deleted run and the trashed experiment's run
        QVERIFY(runs->table->findRun(QStringLiteral("eee555")) >= 0);
    }

    void detectionAndDamage()
    {
        QVERIFY(MlflowFileStoreReader::recognise(StoreProbe{made_, true, false, {}}) > 0);
        QVERIFY(MlflowFileStoreReader::recognise(StoreProbe{dir_.path(), true, false, {}}) == 0);
        auto notStore = openStore(dir_.path());
        QVERIFY(!notStore);
        QVERIFY(notStore.error().contains(QStringLiteral("not a store this build reads")));
        auto viaOpenStore = openStore(made_);
        QVERIFY(viaOpenStore);
        QCOMPARE((*viaOpenStore)->kind(), QStringLiteral("mlflow-file"));
        QCOMPARE(test::detailsDisagreeWithTable(**viaOpenStore), QStringList());
        // Garbage YAML in an experiment: reported, the rest loads.
        QTemporaryDir d;
        write(d.filePath(QStringLiteral("mlruns/0/meta.yaml")), "experiment_id: '0'\nname: ok\n");
        write(d.filePath(QStringLiteral("mlruns/0/r1/meta.yaml")), "run_id: r1\nrun_name: fine\nstatus: 3\n");
        write(d.filePath(QStringLiteral("mlruns/5/meta.yaml")), "experiment_id: '5'\nname: [broken\n");
        auto reader = open(d.filePath(QStringLiteral("mlruns")));
        auto runs = reader->loadRuns();
        QVERIFY(runs);
        QCOMPARE(runs->table->rowCount(), 1);
        QVERIFY(runs->problems.join(QLatin1Char(' ')).contains(QStringLiteral("experiment skipped")));
    }

    void metricLineParsing()
    {
        int bad = 0;
        const auto s = parseMlflowMetricFile("1 2.5 3\r\n\n4 -inf\n5 x 6\n7 1e-3 -2\n", &bad);
        QCOMPARE(bad, 1);
        QCOMPARE(s.size(), size_t(3));
        QCOMPARE(s.wallTimes[0], 0.001);
        QCOMPARE(s.values[1], -INFINITY);
        QCOMPARE(s.steps[2], int64_t(-2));
    }

    void aHalfWrittenLastLineIsNotAPointYet()
    {
        // A live run's metric file caught mid-append: "ts 0.93" of
        // "ts 0.9312 40" read as a point at step 0. In a file written this
        // last minute a last line without its newline waits; the rest reads.
        const QString root = dir_.filePath(QStringLiteral("half/mlruns"));
        write(root + QStringLiteral("/1/meta.yaml"), "experiment_id: '1'\nname: live\n");
        const QString run = root + QStringLiteral("/1/abc");
        write(run + QStringLiteral("/meta.yaml"), "run_id: abc\nrun_name: live-run\nstatus: 1\n");
        write(run + QStringLiteral("/metrics/acc"), "1700000000001 0.5 38\n1700000000002 0.7 39\n1700000000003 0.93");
        auto reader = MlflowFileStoreReader::open(root);
        QVERIFY(reader);
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        const MetricColumn* acc = runs->table->metric(QStringLiteral("acc"));
        QVERIFY(acc);
        QCOMPARE(acc->count[0], int64_t(2));
        QCOMPARE(acc->lastStep[0], int64_t(39));
        auto series = (*reader)->loadSeries(QStringLiteral("abc"), QStringLiteral("acc"));
        QVERIFY(series);
        QCOMPARE(series->size(), size_t(2));
        QVERIFY(series->problems.isEmpty()); // not malformed: unfinished
        // The writer finishes its line: now it is a point.
        QFile f(run + QStringLiteral("/metrics/acc"));
        QVERIFY(f.open(QIODevice::Append));
        f.write("12 40\n");
        f.close();
        series = (*reader)->loadSeries(QStringLiteral("abc"), QStringLiteral("acc"));
        QVERIFY(series);
        QCOMPARE(series->size(), size_t(3));
        QCOMPARE(series->steps.back(), int64_t(40));
        QCOMPARE(series->values.back(), 0.9312);
    }

    void metricFilesAreReadLineByLineInPieces()
    {
        // Lines across the reader's 1 MiB pieces, a line of junk longer than
        // any metric line (skipped as one bad line, not held), CRLF, and a
        // last line without a newline.
        QByteArray text;
        for (int i = 0; i < 100'000; ++i)
            text += QByteArray::number(1700000000000LL + i) + ' ' + QByteArray::number(i * 0.5) + ' ' + QByteArray::number(i) + "\r\n";
        QVERIFY(text.size() > 2 * kReadPieceBytes);
        text += QByteArray(3 * kMaxLineBytes, 'x') + '\n';
        text += "1800000000000 7 100000";
        QBuffer in(&text);
        QVERIFY(in.open(QIODevice::ReadOnly));
        MetricFileCounts counts;
        const MetricSeries s = readMlflowMetricFile(in, &counts);
        QCOMPARE(counts.badLines, int64_t(1));
        QCOMPARE(counts.leftOut, int64_t(0));
        QCOMPARE(s.size(), size_t(100'001));
        for (size_t i = 0; i < s.size(); ++i)
            QCOMPARE(s.steps[i], int64_t(i));
        QCOMPARE(s.values[99'999], 99'999 * 0.5);
        QCOMPARE(s.values[100'000], 7.0);

        // Points past the most a series holds are counted, not kept.
        QVERIFY(in.seek(0));
        const MetricSeries capped = readMlflowMetricFile(in, &counts, 1000);
        QCOMPARE(capped.size(), size_t(1000));
        QCOMPARE(capped.steps.back(), int64_t(999));
        QCOMPARE(counts.leftOut, int64_t(99'001));
    }
};

QTEST_GUILESS_MAIN(TestMlflowFileStore)
#include "test_mlflow_file_store.moc"
