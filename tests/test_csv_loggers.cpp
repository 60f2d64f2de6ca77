// SPDX-License-Identifier: GPL-3.0-or-later
// Lightning CSVLogger and DVCLive output, generated here in their layouts,
// read through openStore's detection.
#include "csv_logger_reader.h"
#include "run_details.h"
#include "run_json.h"
#include "test_support.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

#include <QTemporaryDir>
#include <QTimeZone>
#include <QtTest>

using namespace runlens;

namespace {

void write(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}

// A run's params as its details give them: key -> "type value".
QHash<QString, QString> typedParams(StoreReader& reader, const QString& runId)
{
    QHash<QString, QString> out;
    const auto d = reader.loadDetails(runId);
    if (!d)
        return out;
    for (const auto& p : d->params)
        out.insert(p.key, p.type + QLatin1Char(' ') + p.value);
    return out;
}

} // namespace

class TestCsvLoggers : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void lightningCsvLogger()
    {
        const QString root = dir_.filePath(QStringLiteral("lightning_logs"));
        // Sparse columns: train rows and val rows log different metrics.
        write(root + QStringLiteral("/version_0/metrics.csv"),
              "epoch,step,train_loss,val_loss,val_acc\n"
              "0,49,0.9,,\n0,49,,0.8,0.55\n1,99,0.6,,\n1,99,,0.5,\"0.75\"\n2,149,nan,,\n");
        write(root + QStringLiteral("/version_0/hparams.yaml"),
              "lr: 0.001\nmodel:\n  depth: 18\n  act: relu\nlayers: [64, 32]\n");
        write(root + QStringLiteral("/version_1/metrics.csv"), "epoch,step,train_loss\n0,9,1.5\n");
        write(root + QStringLiteral("/version_1/hparams.yaml"), "lr: [unclosed\n");
        const auto before = test::fileHash(root + QStringLiteral("/version_0/metrics.csv"));

        auto opened = openStore(root);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        QCOMPARE((*opened)->kind(), QStringLiteral("lightning"));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 2);
        const int v0 = t.findRun(QStringLiteral("version_0"));
        QCOMPARE(t.experiment(v0), QStringLiteral("lightning_logs"));
        QCOMPARE(t.metric(QStringLiteral("train_loss"))->count[size_t(v0)], int64_t(3));
        QVERIFY(std::isnan(t.metric(QStringLiteral("train_loss"))->last[size_t(v0)]));
        QCOMPARE(t.metric(QStringLiteral("train_loss"))->min[size_t(v0)], 0.6);
        QCOMPARE(t.metric(QStringLiteral("val_acc"))->last[size_t(v0)], 0.75);   // a quoted field
        QCOMPARE(t.metric(QStringLiteral("val_acc"))->lastStep[size_t(v0)], int64_t(99));
        QCOMPARE(t.metric(QStringLiteral("epoch"))->last[size_t(v0)], 2.0);
        QCOMPARE(t.param(QStringLiteral("model.depth"))->number[size_t(v0)], 18.0);
        QCOMPARE(t.param(QStringLiteral("model.act"))->text[size_t(v0)], QStringLiteral("relu"));
        QCOMPARE(t.param(QStringLiteral("layers"))->text[size_t(v0)], QStringLiteral("[64, 32]"));
        // The broken hparams.yaml costs version_1 its params, not the run.
        QVERIFY(runs->problems.join(QLatin1Char(' ')).contains(QStringLiteral("version_1/hparams.yaml")));
        auto s = (*opened)->loadSeries(t.id(v0), QStringLiteral("val_loss"));
        QVERIFY(s);
        QCOMPARE(s->steps, (std::vector<int64_t>{49, 99}));
        QCOMPARE(s->values, (std::vector<double>{0.8, 0.5}));
        QCOMPARE(test::fileHash(root + QStringLiteral("/version_0/metrics.csv")), before);
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
    }

    void hparamsAreTypedAndListsAreJson()
    {
        // Every param was a string, and lists showed as YAML flow text.
        // YAML's core schema types plain scalars; a quoted one is a string.
        const QString root = dir_.filePath(QStringLiteral("typed_logs"));
        write(root + QStringLiteral("/version_0/metrics.csv"), "step,loss\n0,1.0\n");
        write(root + QStringLiteral("/version_0/hparams.yaml"),
              "lr: 1.0e-03\nquoted: \"1e-3\"\nbatch_size: 64\nhex: 0x1F\namp: true\nname: resnet\n"
              "nothing: null\ntilde: ~\nbig: -.inf\nundefined: .nan\n"
              "layers:\n- 24\n- 24\nblocks:\n- {depth: 2, act: relu}\n- [1, 2.5, \"x\", null, false]\n"
              "model:\n  depth: 18\n  opt:\n    name: sgd\nempty: {}\n");
        auto opened = openStore(root);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        const auto table = test::mustLoad(**opened);
        const auto p = typedParams(**opened, QStringLiteral("version_0"));
        QCOMPARE(p.value(QStringLiteral("lr")), QStringLiteral("float 1.0e-03"));
        QCOMPARE(p.value(QStringLiteral("quoted")), QStringLiteral("string 1e-3"));
        QCOMPARE(p.value(QStringLiteral("batch_size")), QStringLiteral("int 64"));
        QCOMPARE(p.value(QStringLiteral("hex")), QStringLiteral("int 31"));
        QCOMPARE(p.value(QStringLiteral("amp")), QStringLiteral("bool true"));
        QCOMPARE(p.value(QStringLiteral("name")), QStringLiteral("string resnet"));
        // null is JSON's null, as our own store keeps it (its params have no null type).
        QCOMPARE(p.value(QStringLiteral("nothing")), QStringLiteral("json null"));
        QCOMPARE(p.value(QStringLiteral("tilde")), QStringLiteral("json null"));
        QCOMPARE(p.value(QStringLiteral("big")), QStringLiteral("float -inf"));
        QCOMPARE(p.value(QStringLiteral("undefined")), QStringLiteral("float nan"));
        QCOMPARE(p.value(QStringLiteral("layers")), QStringLiteral("json [24, 24]"));
        QCOMPARE(p.value(QStringLiteral("blocks")),
                 QStringLiteral(R"(json [{"depth": 2, "act": "relu"}, [1, 2.5, "x", null, false]])"));
        QCOMPARE(p.value(QStringLiteral("model.depth")), QStringLiteral("int 18"));
        QCOMPARE(p.value(QStringLiteral("model.opt.name")), QStringLiteral("string sgd"));
        QCOMPARE(p.value(QStringLiteral("empty")), QStringLiteral("json {}"));
        QCOMPARE(p.size(), 15);
        QCOMPARE(table->param(QStringLiteral("lr"))->number[0], 0.001);
        QCOMPARE(table->param(QStringLiteral("batch_size"))->number[0], 64.0);
        QCOMPARE(table->param(QStringLiteral("layers"))->text[0], QStringLiteral("[24, 24]"));
        QVERIFY(std::isnan(table->param(QStringLiteral("layers"))->number[0]));
        // Exports read the JSON as JSON.
        const QJsonObject json = runToJson(*table, 0).value(QStringLiteral("params")).toObject();
        QCOMPARE(json.value(QStringLiteral("layers")).toArray().size(), 2);
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
    }

    void realHparamsWithPythonTagsAnchorsAndBinary()
    {
        // What Lightning's save_hparams_to_yaml (PyYAML's yaml.dump, not
        // safe_dump) writes for an argparse Namespace, a tuple, a class, numpy
        // scalars (a dtype anchored once and aliased after) and an enum, with
        // a merge key. yaml-cpp refused the numpy scalars' "- !!binary |"
        // entries, so the run lost every param.
        const QString root = dir_.filePath(QStringLiteral("python_tags"));
        write(root + QStringLiteral("/version_0/metrics.csv"), "step,loss\n0,1.0\n");
        write(root + QStringLiteral("/version_0/hparams.yaml"),
              "args: !!python/object:argparse.Namespace\n"
              "  lr: 0.1\n"
              "  dims: !!python/tuple\n"
              "  - 64\n"
              "  - 32\n"
              "shape: !!python/tuple\n- 3\n- 224\n"
              "act: !!python/name:torch.nn.ReLU ''\n"
              "weights: !!binary |\n  AAEC\n"
              "base: &base\n  depth: 18\n  width: 64\n"
              "model:\n  <<: *base\n  width: 128\n"
              "lr_np: !!python/object/apply:numpy.core.multiarray.scalar\n"
              "- &id001 !!python/object/apply:numpy.dtype\n"
              "  args:\n  - f8\n  - false\n  - true\n"
              "  state: !!python/tuple\n  - 3\n  - <\n  - null\n  - null\n  - null\n  - -1\n  - -1\n  - 0\n"
              "- !!binary |\n  /Knx0k1iUD8=\n"
              "wd_np: !!python/object/apply:numpy.core.multiarray.scalar\n"
              "- *id001\n"
              "- !!binary |\n  AAAAAAAA8D8=\n"
              "precision: !!python/object/apply:lightning.fabric.utilities.enums.PrecisionType\n- '16'\n"
              "epochs: 10\n");
        // Cut off mid-write: what precedes the broken value and follows it is read.
        write(root + QStringLiteral("/version_1/metrics.csv"), "step,loss\n0,1.0\n");
        write(root + QStringLiteral("/version_1/hparams.yaml"),
              "lr: 0.1\nlayers: [64, 32\nepochs: 3\nopt: {name: sgd\n");
        auto opened = openStore(root);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        const auto p = typedParams(**opened, QStringLiteral("version_0"));
        QCOMPARE(p.value(QStringLiteral("args.lr")), QStringLiteral("float 0.1"));   // an object's fields, flattened
        QCOMPARE(p.value(QStringLiteral("args.dims")), QStringLiteral("json [64, 32]"));
        QCOMPARE(p.value(QStringLiteral("shape")), QStringLiteral("json [3, 224]"));   // a tuple reads as a list
        QCOMPARE(p.value(QStringLiteral("act")), QStringLiteral("string torch.nn.ReLU"));
        QCOMPARE(p.value(QStringLiteral("base.depth")), QStringLiteral("int 18"));
        QCOMPARE(p.value(QStringLiteral("model.depth")), QStringLiteral("int 18"));   // merged from the anchor
        QCOMPARE(p.value(QStringLiteral("model.width")), QStringLiteral("int 128"));  // its own value wins
        QCOMPARE(p.value(QStringLiteral("lr_np")), QStringLiteral("float 0.001"));    // numpy float64, decoded
        QCOMPARE(p.value(QStringLiteral("wd_np")), QStringLiteral("float 1"));
        QCOMPARE(p.value(QStringLiteral("epochs")), QStringLiteral("int 10"));
        QVERIFY(!p.contains(QStringLiteral("weights")));
        QVERIFY(!p.contains(QStringLiteral("precision")));
        QVERIFY(!p.contains(QStringLiteral("model.<<")));
        QCOMPARE(p.size(), 11);
        // One line says what was skipped, by key.
        const QStringList v0 = runs->problems.filter(QStringLiteral("version_0/hparams.yaml"));
        QCOMPARE(v0.size(), 1);
        QVERIFY2(v0[0].contains(QStringLiteral("weights")) && v0[0].contains(QStringLiteral("precision")), qPrintable(v0[0]));
        QVERIFY2(v0[0].contains(QStringLiteral("binary")), qPrintable(v0[0]));

        const auto p1 = typedParams(**opened, QStringLiteral("version_1"));
        QCOMPARE(p1.value(QStringLiteral("lr")), QStringLiteral("float 0.1"));
        QCOMPARE(p1.value(QStringLiteral("epochs")), QStringLiteral("int 3"));
        QCOMPARE(p1.size(), 2);
        const QStringList v1 = runs->problems.filter(QStringLiteral("version_1/hparams.yaml"));
        QCOMPARE(v1.size(), 1);
        QVERIFY2(v1[0].contains(QStringLiteral("layers (line 2")) && v1[0].contains(QStringLiteral("opt (line 4")),
                 qPrintable(v1[0]));
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
    }

    void hostileHparamsNeverHang()
    {
        // Aliases that expand to 10^9 values, a list and a map that hold
        // themselves, and nesting past yaml-cpp's limit: each costs its key
        // and says so; the keys beside them are read.
        const QString root = dir_.filePath(QStringLiteral("hostile_yaml"));
        QByteArray laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i < 10; ++i)
            laughs += QStringLiteral("a%1: &a%1 [*a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2, *a%2]\n")
                          .arg(i).arg(i - 1).toUtf8();
        write(root + QStringLiteral("/version_0/metrics.csv"), "step,loss\n0,1.0\n");
        write(root + QStringLiteral("/version_0/hparams.yaml"),
              "lr: 0.1\n" + laughs + "selfish: &s [*s]\nloop: &m {k: *m}\ndeep: " + QByteArray(5000, '[')
                  + QByteArray(5000, ']') + "\nepochs: 3\n");
        auto opened = openStore(root);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        QElapsedTimer timer;
        timer.start();
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
        const auto p = typedParams(**opened, QStringLiteral("version_0"));
        QCOMPARE(p.value(QStringLiteral("lr")), QStringLiteral("float 0.1"));
        QCOMPARE(p.value(QStringLiteral("epochs")), QStringLiteral("int 3"));
        QCOMPARE(p.value(QStringLiteral("a0")), QStringLiteral(R"(json ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"])"));
        QVERIFY(!p.contains(QStringLiteral("a9")));
        QVERIFY(!p.contains(QStringLiteral("selfish")));
        QVERIFY(!p.contains(QStringLiteral("deep")));
        const QString problems = runs->problems.join(QLatin1Char('\n'));
        QVERIFY2(problems.contains(QStringLiteral("a9")) && problems.contains(QStringLiteral("selfish"))
                     && problems.contains(QStringLiteral("loop")) && problems.contains(QStringLiteral("deep")),
                 qPrintable(problems));
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
    }

    void aRunThatDiedBeforeLoggingIsShown()
    {
        // CSVLogger writes hparams.yaml at the start and metrics.csv at the
        // first flush: a run that died between the two was not shown.
        const QString root = dir_.filePath(QStringLiteral("died_logs"));
        write(root + QStringLiteral("/version_0/metrics.csv"), "step,loss\n0,1.0\n");
        write(root + QStringLiteral("/version_0/hparams.yaml"), "lr: 0.1\n");
        write(root + QStringLiteral("/version_1/hparams.yaml"), "lr: 0.2\n");
        auto opened = openStore(root);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        const auto table = test::mustLoad(**opened);
        QCOMPARE(table->rowCount(), 2);
        const int v1 = table->findRun(QStringLiteral("version_1"));
        QVERIFY(v1 >= 0);
        QVERIFY(table->param(QStringLiteral("lr")));
        QCOMPARE(table->param(QStringLiteral("lr"))->number[size_t(v1)], 0.2);
        QVERIFY(!table->metric(QStringLiteral("loss"))->has(v1));
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());

        // Alone in its logs folder, a version_N folder is still Lightning's.
        const QString lone = dir_.filePath(QStringLiteral("lone_dead"));
        write(lone + QStringLiteral("/version_3/hparams.yaml"), "lr: 0.3\n");
        auto loneOpened = openStore(lone);
        QVERIFY2(loneOpened, qPrintable(loneOpened ? QString() : loneOpened.error()));
        QCOMPARE((*loneOpened)->kind(), QStringLiteral("lightning"));
        QCOMPARE(test::mustLoad(**loneOpened)->rowCount(), 1);
        QCOMPARE(test::detailsDisagreeWithTable(**loneOpened), QStringList());

        // Any other folder with an hparams.yaml is no store.
        write(dir_.filePath(QStringLiteral("configs/exp/hparams.yaml")), "lr: 0.1\n");
        QVERIFY(!openStore(dir_.filePath(QStringLiteral("configs"))));
    }

    void testTubeLogs()
    {
        // Lightning's older TestTubeLogger (test_tube.Experiment.save, read in
        // williamFalcon/test-tube's test_tube/log.py): hparams as key,value
        // rows in meta_tags.csv, metrics.csv from a pandas DataFrame with a
        // created_at column (str(datetime.utcnow())) and no step column,
        // meta.experiment (JSON) with the run's created_at.
        const QString root = dir_.filePath(QStringLiteral("test_tube_data"));
        const QString run = root + QStringLiteral("/default/version_0");
        write(run + QStringLiteral("/meta_tags.csv"), "key,value\nlr,0.01\nbatch_size,32\nlayers,\"[64, 32]\"\n");
        write(run + QStringLiteral("/metrics.csv"),
              "loss,val_acc,created_at\n0.9,,2020-03-01 10:00:01.500000\n0.7,0.6,2020-03-01 10:00:02.250000\n"
              "0.5,0.7,2020-03-01 10:00:03\n");
        write(run + QStringLiteral("/meta.experiment"),
              R"({"name": "default", "version": 0, "autosave": false, "description": null, )"
              R"("created_at": "2020-03-01 10:00:00.000000", "exp_hash": "default_v0"})");
        auto opened = openStore(root);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        QCOMPARE((*opened)->kind(), QStringLiteral("lightning"));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        QVERIFY2(runs->problems.isEmpty(), qPrintable(runs->problems.join(QLatin1Char('\n'))));
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 1);
        QCOMPARE(t.id(0), QStringLiteral("default/version_0"));
        QVERIFY(t.param(QStringLiteral("lr")) && t.param(QStringLiteral("layers")) && t.metric(QStringLiteral("val_acc")));
        QCOMPARE(t.param(QStringLiteral("lr"))->number[0], 0.01);
        QCOMPARE(t.param(QStringLiteral("layers"))->text[0], QStringLiteral("[64, 32]"));
        QVERIFY(!t.metric(QStringLiteral("created_at")));
        QCOMPARE(t.metric(QStringLiteral("val_acc"))->count[0], int64_t(2));
        QCOMPARE(t.metric(QStringLiteral("val_acc"))->lastStep[0], int64_t(2));   // the row index
        const int64_t created = QDateTime(QDate(2020, 3, 1), QTime(10, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        QCOMPARE(t.startTime(0), created);
        QCOMPARE(t.endTime(0), created + 3000);
        auto s = (*opened)->loadSeries(t.id(0), QStringLiteral("loss"));
        QVERIFY(s);
        QCOMPARE(s->steps, (std::vector<int64_t>{0, 1, 2}));
        QCOMPARE(s->wallTimes, (std::vector<double>{created / 1000.0 + 1.5, created / 1000.0 + 2.25, created / 1000.0 + 3}));
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
    }

    void aRunAtTheRootIsOneExperimentEverywhere()
    {
        // A single CSVLogger folder opened itself: the table named its
        // experiment after the folder, the details after the folder's parent.
        const QString root = dir_.filePath(QStringLiteral("parent/just_one_run"));
        write(root + QStringLiteral("/metrics.csv"), "step,loss\n0,1.0\n1,0.5\n");
        write(root + QStringLiteral("/hparams.yaml"), "lr: 0.1\n");
        auto opened = openStore(root);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        const auto table = test::mustLoad(**opened);
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->experiment(0), QStringLiteral("just_one_run"));
        const auto details = (*opened)->loadDetails(table->id(0));
        QVERIFY(details);
        QCOMPARE(details->experiment, QStringLiteral("just_one_run"));
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
    }

    void dvcLive()
    {
        const QString root = dir_.filePath(QStringLiteral("project"));
        write(root + QStringLiteral("/dvclive/plots/metrics/train/loss.tsv"),
              "timestamp\tstep\tloss\n1700000000000\t0\t2.5\n1700000001000\t1\t1.25\n1700000002000\t2\tinf\n");
        write(root + QStringLiteral("/dvclive/plots/metrics/acc.tsv"), "step\tacc\n0\t0.5\n1\t0.7\n");
        write(root + QStringLiteral("/dvclive/metrics.json"),
              "{\"train\": {\"loss\": 1.25}, \"acc\": 0.7, \"test_auc\": 0.91, \"step\": 2}");
        write(root + QStringLiteral("/dvclive/params.yaml"), "optimizer:\n  name: sgd\n  lr: 0.1\nepochs: 3\n");
        auto opened = openStore(root);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        QCOMPARE((*opened)->kind(), QStringLiteral("dvclive"));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 1);
        QCOMPARE(t.name(0), QStringLiteral("dvclive"));
        QCOMPARE(t.metric(QStringLiteral("train/loss"))->count[0], int64_t(3));
        QCOMPARE(t.metric(QStringLiteral("train/loss"))->max[0], INFINITY);
        QCOMPARE(t.metric(QStringLiteral("acc"))->count[0], int64_t(2));      // the history wins over metrics.json
        QCOMPARE(t.metric(QStringLiteral("test_auc"))->last[0], 0.91);       // only in metrics.json
        QCOMPARE(t.metric(QStringLiteral("test_auc"))->lastStep[0], int64_t(2));
        QCOMPARE(t.param(QStringLiteral("optimizer.lr"))->number[0], 0.1);
        auto s = (*opened)->loadSeries(t.id(0), QStringLiteral("train/loss"));
        QVERIFY(s);
        QCOMPARE(s->wallTimes[1], 1700000001.0);
        auto d = (*opened)->loadDetails(t.id(0));
        QVERIFY(d);
        QCOMPARE(d->params.size(), size_t(3));
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
    }

    void olderDvcLiveLayouts()
    {
        // Read in iterative/dvclive's history (src/dvclive/live.py and the
        // Scalar/Metric classes at each tag):
        // - 0.4.0-0.5.x: Live.summary_path is dir + ".json" (dvclive.json,
        //   beside the folder); data/scalar.py writes <dir>/<name>.tsv with
        //   columns timestamp, step and the full name (train/acc).
        // - 0.6.0-0.12.x: Scalar.subfolder "scalars": <dir>/scalars/<name>.tsv,
        //   the summary still dvclive.json; params.yaml in <dir> since 0.11.
        // - 1.0 on (dvcLive() above): <dir>/plots/metrics/<name>.tsv,
        //   <dir>/metrics.json, <dir>/params.yaml.
        const QString v04 = dir_.filePath(QStringLiteral("dvclive_04"));
        write(v04 + QStringLiteral("/dvclive/loss.tsv"),
              "timestamp\tstep\tloss\n1600000000000\t0\t1.0\n1600000001000\t1\t0.5\n");
        write(v04 + QStringLiteral("/dvclive/train/acc.tsv"),
              "timestamp\tstep\ttrain/acc\n1600000000000\t0\t0.5\n1600000001000\t1\t0.6\n");
        write(v04 + QStringLiteral("/dvclive.json"),
              "{\n    \"step\": 1,\n    \"loss\": 0.5,\n    \"train\": {\"acc\": 0.6},\n    \"test_auc\": 0.9\n}");
        const QString v010 = dir_.filePath(QStringLiteral("dvclive_010"));
        write(v010 + QStringLiteral("/dvclive/scalars/loss.tsv"),
              "timestamp\tstep\tloss\n1600000000000\t0\t1.0\n1600000001000\t1\t0.5\n1600000002000\t2\t0.25\n");
        write(v010 + QStringLiteral("/dvclive/scalars/eval/f1.tsv"),
              "timestamp\tstep\teval/f1\n1600000002000\t2\t0.8\n");
        write(v010 + QStringLiteral("/dvclive.json"), "{\"step\": 2, \"loss\": 0.25, \"eval\": {\"f1\": 0.8}, \"best\": 3.0}");
        write(v010 + QStringLiteral("/dvclive/params.yaml"), "lr: 0.01\n");
        write(v010 + QStringLiteral("/dvclive/report.html"), "<html></html>");

        for (const QString& root : {v04, v010, v04 + QStringLiteral("/dvclive")}) {
            auto opened = openStore(root);
            QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
            QCOMPARE((*opened)->kind(), QStringLiteral("dvclive"));
            auto runs = (*opened)->loadRuns();
            QVERIFY(runs);
            QVERIFY2(runs->problems.isEmpty(), qPrintable(runs->problems.join(QLatin1Char('\n'))));
            const RunTable& t = *runs->table;
            QCOMPARE(t.rowCount(), 1);
            QCOMPARE(t.name(0), QStringLiteral("dvclive"));
            QVERIFY(t.metric(QStringLiteral("loss")));
            auto s = (*opened)->loadSeries(t.id(0), QStringLiteral("loss"));
            QVERIFY(s);
            QCOMPARE(s->wallTimes[1], 1600000001.0);
            if (root == v010) {
                QCOMPARE(t.metric(QStringLiteral("loss"))->count[0], int64_t(3));
                QVERIFY(t.metric(QStringLiteral("eval/f1")) && t.metric(QStringLiteral("best")) && t.param(QStringLiteral("lr")));
                QCOMPARE(t.metric(QStringLiteral("eval/f1"))->count[0], int64_t(1));
                QCOMPARE(t.metric(QStringLiteral("best"))->lastStep[0], int64_t(2));   // the summary's only
                QCOMPARE(t.param(QStringLiteral("lr"))->number[0], 0.01);
            } else {
                QCOMPARE(t.metric(QStringLiteral("loss"))->count[0], int64_t(2));
                QVERIFY(t.metric(QStringLiteral("train/acc")) && t.metric(QStringLiteral("test_auc")));
                QCOMPARE(t.metric(QStringLiteral("train/acc"))->last[0], 0.6);   // the full name's column
                QCOMPARE(t.metric(QStringLiteral("test_auc"))->last[0], 0.9);
            }
            QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
        }

        // TSV files and a JSON file of the folder's name are no DVCLive output
        // unless the TSVs are DVCLive's (timestamp, step, value).
        write(dir_.filePath(QStringLiteral("tables/data/a.tsv")), "name\tcount\nx\t1\n");
        write(dir_.filePath(QStringLiteral("tables/data.json")), "{}");
        QVERIFY(!openStore(dir_.filePath(QStringLiteral("tables"))));
    }

    void damagedFiles()
    {
        const QString root = dir_.filePath(QStringLiteral("damaged"));
        write(root + QStringLiteral("/version_0/metrics.csv"), "");
        write(root + QStringLiteral("/version_1/metrics.csv"), "step,loss\n1,0.5\n2,\"unterminated\n");
        auto r = CsvLoggerReader::open(root);
        QVERIFY(r);
        auto runs = (*r)->loadRuns();
        QVERIFY(runs);
        QCOMPARE(runs->table->rowCount(), 2);
        QVERIFY(runs->problems.join(QLatin1Char(' ')).contains(QStringLiteral("empty file")));
        const int v1 = runs->table->findRun(QStringLiteral("version_1"));
        QCOMPARE(runs->table->metric(QStringLiteral("loss"))->count[size_t(v1)], int64_t(1));
        QVERIFY(!CsvLoggerReader::open(dir_.filePath(QStringLiteral("nothing-here"))));
    }

    void largeMetricsCsvIsReadRowByRow()
    {
        // Rows across the reader's 1 MiB pieces, quoted fields among them;
        // then, in another run, a row of 200,000 fields ends the reading
        // there (the rows before it kept) instead of being held.
        const QString root = dir_.filePath(QStringLiteral("large"));
        QByteArray csv = "epoch,step,\"train,loss\",val_loss\n";
        for (int i = 0; i < 150'000; ++i) {
            csv += "0," + QByteArray::number(i) + ",\"" + QByteArray::number(i * 0.5) + "\",\n";
            if (i % 10 == 9)
                csv += "0," + QByteArray::number(i) + ",," + QByteArray::number(i) + '\n';
        }
        QVERIFY(csv.size() > 2 * (1 << 20));
        write(root + QStringLiteral("/version_0/metrics.csv"), csv);
        write(root + QStringLiteral("/version_1/metrics.csv"), "step,loss\n1,0.5\n" + QByteArray(200'000, ',') + "\n3,0.25\n");
        auto r = CsvLoggerReader::open(root);
        QVERIFY(r);
        auto runs = (*r)->loadRuns();
        QVERIFY(runs);
        const int v0 = runs->table->findRun(QStringLiteral("version_0"));
        const int v1 = runs->table->findRun(QStringLiteral("version_1"));
        QCOMPARE(runs->table->metric(QStringLiteral("train,loss"))->count[size_t(v0)], int64_t(150'000));
        QCOMPARE(runs->table->metric(QStringLiteral("val_loss"))->count[size_t(v0)], int64_t(15'000));
        QCOMPARE(runs->table->metric(QStringLiteral("val_loss"))->lastStep[size_t(v0)], int64_t(149'999));
        QCOMPARE(runs->table->metric(QStringLiteral("loss"))->count[size_t(v1)], int64_t(1));
        const QString problems = runs->problems.join(QLatin1Char('\n'));
        QVERIFY2(runs->problems.size() == 1 && problems.contains(QStringLiteral("version_1/metrics.csv: row 3 is longer than"))
                     && problems.contains(QStringLiteral("100,000 fields")),
                 qPrintable(problems));
        auto s = (*r)->loadSeries(QStringLiteral("version_0"), QStringLiteral("train,loss"));
        QVERIFY(s);
        QCOMPARE(s->size(), size_t(150'000));
        for (size_t i = 0; i < s->size(); ++i)
            QCOMPARE(s->steps[i], int64_t(i));
        QCOMPARE(s->values.back(), 149'999 * 0.5);
    }
};

QTEST_GUILESS_MAIN(TestCsvLoggers)
#include "test_csv_loggers.moc"
