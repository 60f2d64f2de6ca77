// SPDX-License-Identifier: GPL-3.0-or-later
// Comet's offline archives as comet_ml writes them (one <key>.zip a run:
// experiment.json, messages.json a message a line, the uploaded files as
// members; tests/fixtures/comet/NOTES.md): both generations of messages,
// statuses, params, every point, system metrics, artifacts, damaged
// archives, and nothing written.
#include "comet_offline_reader.h"
#include "store_importer.h"
#include "store_registry.h"
#include "test_support.h"
#include "zip_writer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace runlens;

namespace {

const QString kKeyA = QStringLiteral("0123456789abcdef0123456789abcdef");
const QString kKeyB = QStringLiteral("fedcba9876543210fedcba9876543210-abcdef"); // resumed: "-" and six letters
const QString kKeyC = QStringLiteral("11111111111111111111111111111111");
const QString kKeyD = QStringLiteral("22222222222222222222222222222222");
const QString kKeyE = QStringLiteral("33333333333333333333333333333333");

// comet_ml's compact_json_dump: sorted keys, no spaces, a line each.
QByteArray line(const QString& type, const QJsonObject& payload)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("payload"), payload}, {QStringLiteral("type"), type}}).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject metric(const QString& name, const QJsonValue& value, const QJsonValue& step, int64_t ms)
{
    return {{QStringLiteral("local_timestamp"), double(ms)},
        {QStringLiteral("metric"), QJsonObject{{QStringLiteral("epoch"), QJsonValue::Null}, {QStringLiteral("metricName"), name},
                                       {QStringLiteral("metricValue"), value}, {QStringLiteral("step"), step}}}};
}

QJsonObject param(const QString& name, const QJsonValue& value, const QString& source = QStringLiteral("manual"))
{
    return {{QStringLiteral("local_timestamp"), 1.7e12},
        {value.isArray() ? QStringLiteral("params") : QStringLiteral("param"),
            QJsonObject{{QStringLiteral("paramName"), name}, {QStringLiteral("paramValue"), value},
                {QStringLiteral("source"), source}, {QStringLiteral("step"), QJsonValue::Null}}}};
}

QByteArray experimentJson(const QString& key, const QJsonValue& project, int64_t start, int64_t stop, const QJsonValue& error)
{
    QJsonObject o{{QStringLiteral("offline_id"), key}, {QStringLiteral("project_name"), project},
        {QStringLiteral("start_time"), double(start)}, {QStringLiteral("stop_time"), double(stop)},
        {QStringLiteral("tags"), QJsonArray{QStringLiteral("baseline"), QStringLiteral("resnet")}},
        {QStringLiteral("workspace"), QStringLiteral("vision-lab")}, {QStringLiteral("resume_strategy"), QStringLiteral("create")},
        {QStringLiteral("customer_error_reported"), !error.isNull()}, {QStringLiteral("customer_error_message"), error}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

const QByteArray kImage = QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(200, 'i');
const QByteArray kConfig = "lr: 0.001\nlayers: 4\n";

} // namespace

class TestComet : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString project_, runs_;
    const int64_t start_ = 1741306701609;

    QString archive(const QString& key) const { return runs_ + QLatin1Char('/') + key + QStringLiteral(".zip"); }

    // The typed messages of comet_ml 3.4x and later.
    QByteArray newerMessages() const
    {
        QByteArray m;
        m += line(QStringLiteral("installed_packages"),
            {{QStringLiteral("installed_packages"), QJsonArray{QStringLiteral("numpy==1.26.4"), QStringLiteral("torch==2.3.0")}},
                {QStringLiteral("message_id"), 1}});
        m += line(QStringLiteral("log_other"), {{QStringLiteral("key"), QStringLiteral("offline_experiment")}, {QStringLiteral("value"), true}});
        m += line(QStringLiteral("metric_msg"), metric(QStringLiteral("early"), 1.0, QJsonValue::Null, start_));
        m += line(QStringLiteral("log_other"), {{QStringLiteral("key"), QStringLiteral("Name")}, {QStringLiteral("value"), QStringLiteral("wide-net")}});
        m += line(QStringLiteral("log_other"), {{QStringLiteral("key"), QStringLiteral("Created from")}, {QStringLiteral("value"), QStringLiteral("pytorch")}});
        m += line(QStringLiteral("parameter_msg"), param(QStringLiteral("lr"), 0.001));
        m += line(QStringLiteral("parameter_msg"), param(QStringLiteral("hyp|anchor_t"), 4.5));
        m += line(QStringLiteral("parameter_msg"), param(QStringLiteral("freeze"), QJsonArray{0, 1}));
        m += line(QStringLiteral("parameter_msg"), param(QStringLiteral("opt"), QStringLiteral("adam"), QStringLiteral("cli")));
        m += line(QStringLiteral("parameter_msg"), param(QStringLiteral("lr"), 0.002)); // the last one logged wins
        m += line(QStringLiteral("system_details"),
            {{QStringLiteral("hostname"), QStringLiteral("lab-7")}, {QStringLiteral("os"), QStringLiteral("Linux-6.8.0-x86_64")},
                {QStringLiteral("python_version"), QStringLiteral("3.11.4")},
                {QStringLiteral("command"), QJsonArray{QStringLiteral("train.py"), QStringLiteral("--lr"), QStringLiteral("0.001")}},
                {QStringLiteral("env"), QJsonObject{{QStringLiteral("API_TOKEN"), QStringLiteral("secret")}}}, {QStringLiteral("pid"), 4242}});
        m += line(QStringLiteral("git_metadata"),
            {{QStringLiteral("git_metadata"),
                QJsonObject{{QStringLiteral("branch"), QStringLiteral("refs/heads/main")}, {QStringLiteral("origin"), QStringLiteral("https://example.org/proj.git")},
                    {QStringLiteral("parent"), QStringLiteral("7dbae3164e1c39a813f133736619d0b1523a815c")}, {QStringLiteral("status"), QJsonValue::Null}}}});
        m += line(QStringLiteral("gpu_static_info"),
            {{QStringLiteral("gpu_static_info"), QJsonArray{QJsonObject{{QStringLiteral("gpu_index"), 0}, {QStringLiteral("name"), QStringLiteral("RTX 3050")}}}}});
        for (int s = 0; s < 300; ++s)
            m += line(QStringLiteral("metric_msg"), metric(QStringLiteral("loss"), 1.0 / (s + 1), s, start_ + 100 * s));
        for (int s = 0; s <= 20; s += 10) {
            QJsonObject test = metric(QStringLiteral("acc"), 0.5 + s / 100.0, s, start_ + 100 * s);
            test.insert(QStringLiteral("context"), QStringLiteral("test"));
            m += line(QStringLiteral("metric_msg"), test);
        }
        m += line(QStringLiteral("metric_msg"), metric(QStringLiteral("odd"), QStringLiteral("NaN"), 0, start_));
        m += line(QStringLiteral("metric_msg"), metric(QStringLiteral("odd"), QStringLiteral("Infinity"), 1, start_));
        m += line(QStringLiteral("metric_msg"), metric(QStringLiteral("odd"), QStringLiteral("n/a"), 2, start_));
        m += line(QStringLiteral("metric_msg"), metric(QStringLiteral("odd"), 0.25, 3, start_));
        // Python's json writes infinity as a bare token, which JSON has not.
        m += R"({"payload":{"local_timestamp":1741306701609,"metric":{"epoch":null,"metricName":"odd","metricValue":-Infinity,"step":4}},"type":"metric_msg"})"
             "\n";
        for (int i = 0; i < 3; ++i) {
            m += line(QStringLiteral("metric_msg"), metric(QStringLiteral("sys.gpu.0.used_memory"), 246755328.0 + i * 1048576.0, QJsonValue::Null, start_ + 1000 * i));
            m += line(QStringLiteral("metric_msg"), metric(QStringLiteral("sys.gpu.0.power_usage"), 10912 + i, QJsonValue::Null, start_ + 1000 * i));
            m += line(QStringLiteral("metric_msg"), metric(QStringLiteral("sys.load.avg"), 1.5, QJsonValue::Null, start_ + 1000 * i));
        }
        m += line(QStringLiteral("standard_output"), {{QStringLiteral("output"), QStringLiteral("epoch 1\n")}, {QStringLiteral("stderr"), false}});
        m += line(QStringLiteral("file_upload"),
            {{QStringLiteral("additional_params"), QJsonObject{{QStringLiteral("figName"), QStringLiteral("confusion")},
                                                       {QStringLiteral("extension"), QStringLiteral("png")}, {QStringLiteral("step"), 5}}},
                {QStringLiteral("file_path"), QStringLiteral("tmpimg00001")}, {QStringLiteral("local_timestamp"), double(start_ + 500)},
                {QStringLiteral("upload_type"), QStringLiteral("visualization")}});
        m += line(QStringLiteral("file_upload"),
            {{QStringLiteral("additional_params"), QJsonObject{{QStringLiteral("fileName"), QStringLiteral("config.yaml")},
                                                       {QStringLiteral("step"), QJsonValue::Null}}},
                {QStringLiteral("file_path"), QStringLiteral("tmpcfg00002")}, {QStringLiteral("upload_type"), QStringLiteral("asset")}});
        // yolov5's figures: named by the image's path where it ran, no extension.
        m += line(QStringLiteral("file_upload"),
            {{QStringLiteral("additional_params"), QJsonObject{{QStringLiteral("figName"), QStringLiteral("C:\\data\\images\\1005_epoch_0")},
                                                       {QStringLiteral("step"), 89}}},
                {QStringLiteral("file_path"), QStringLiteral("tmpwin00004")}, {QStringLiteral("upload_type"), QStringLiteral("visualization")}});
        m += line(QStringLiteral("file_upload"), // named, but not in the archive
            {{QStringLiteral("additional_params"), QJsonObject{{QStringLiteral("fileName"), QStringLiteral("gone.bin")}}},
                {QStringLiteral("file_path"), QStringLiteral("tmpgone0003")}, {QStringLiteral("upload_type"), QStringLiteral("asset")}});
        m += "{not json\n";
        return m;
    }

    // comet_ml up to 3.3x: everything but metrics and params under "ws_msg".
    QByteArray olderMessages() const
    {
        QByteArray m;
        for (int s = 0; s < 10; ++s)
            m += line(QStringLiteral("ws_msg"), metric(QStringLiteral("loss"), 2.0 - s * 0.1, s, start_ + 10 * s));
        m += line(QStringLiteral("parameter_msg"), param(QStringLiteral("lr"), 0.01));
        m += line(QStringLiteral("parameter_msg"), param(QStringLiteral("model"), QStringLiteral("{\"depth\": 4}")));
        m += line(QStringLiteral("ws_msg"),
            {{QStringLiteral("local_timestamp"), double(start_)},
                {QStringLiteral("log_other"), QJsonObject{{QStringLiteral("key"), QStringLiteral("Name")}, {QStringLiteral("val"), QStringLiteral("old-sdk")}}}});
        m += line(QStringLiteral("ws_msg"),
            {{QStringLiteral("local_timestamp"), double(start_)},
                {QStringLiteral("log_other"), QJsonObject{{QStringLiteral("key"), QStringLiteral("dataset")}, {QStringLiteral("val"), QStringLiteral("cifar10")}}}});
        m += line(QStringLiteral("ws_msg"),
            {{QStringLiteral("local_timestamp"), double(start_)},
                {QStringLiteral("env_details"), QJsonObject{{QStringLiteral("hostname"), QStringLiteral("lab-8")}, {QStringLiteral("python_version"), QStringLiteral("3.8.10")}}}});
        m += line(QStringLiteral("ws_msg"),
            {{QStringLiteral("local_timestamp"), double(start_)},
                {QStringLiteral("git_meta"), QJsonObject{{QStringLiteral("branch"), QStringLiteral("dev")}, {QStringLiteral("parent"), QStringLiteral("abc123")}}}});
        return m;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        project_ = dir_.filePath(QStringLiteral("yolo-project"));
        runs_ = project_ + QStringLiteral("/.cometml-runs");
        QVERIFY(QDir().mkpath(runs_));
        QVERIFY(test::writeZip(archive(kKeyA),
            {{QStringLiteral("experiment.json"), experimentJson(kKeyA, QStringLiteral("mnist"), start_, start_ + 60'000, QJsonValue::Null)},
                {QStringLiteral("messages.json"), newerMessages()}, {QStringLiteral("tmpimg00001"), kImage},
                {QStringLiteral("tmpcfg00002"), kConfig}, {QStringLiteral("tmpwin00004"), kImage}}));
        // Zipped again by a user: deflated members.
        QVERIFY(test::writeZip(archive(kKeyB),
            {{QStringLiteral("experiment.json"), experimentJson(kKeyB, QJsonValue::Null, start_ + 100'000, start_ + 110'000,
                                                     QStringLiteral("Unexpected error detected in the user script: ValueError('bad')"))},
                {QStringLiteral("messages.json"), olderMessages()}},
            true));
        QVERIFY(test::writeZip(archive(kKeyC),
            {{QStringLiteral("experiment.json"), experimentJson(kKeyC, QStringLiteral("mnist"), start_ + 200'000, start_ + 201'000,
                                                     QStringLiteral("Unexpected error detected in the user script: KeyboardInterrupt()"))},
                {QStringLiteral("messages.json"), line(QStringLiteral("metric_msg"), metric(QStringLiteral("loss"), 0.5, 0, start_ + 200'000))}}));
        QVERIFY(test::writeZip(archive(kKeyD), {})); // running now
        QVERIFY(test::writeZip(archive(kKeyE), {})); // killed ten days ago
        QFile old(archive(kKeyE));
        QVERIFY(old.open(QIODevice::ReadWrite));
        QVERIFY(old.setFileTime(QDateTime::currentDateTime().addDays(-10), QFileDevice::FileModificationTime));
        old.close();
        QVERIFY(test::writeZip(runs_ + QStringLiteral("/holiday-photos.zip"), {{QStringLiteral("beach.jpg"), "jpeg"}})); // no run
        // Named like a key, but a cache file of something else: no run either.
        QVERIFY(test::writeZip(runs_ + QStringLiteral("/abcdefabcdefabcdefabcdefabcdefab.zip"), {{QStringLiteral("data.bin"), "bytes"}}));
    }

    void readsRunsStatusesParamsAndEveryPoint()
    {
        auto reader = openStore(project_);
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("comet"));
        auto runs = (*reader)->loadRuns();
        QVERIFY2(runs, runs ? "" : qPrintable(runs.error()));
        const auto& t = *runs->table;
        QCOMPARE(t.rowCount(), 5); // not the photos
        auto row = [&](const QString& key) { return t.findRun(key); };
        const int a = row(kKeyA), b = row(kKeyB), c = row(kKeyC), d = row(kKeyD), e = row(kKeyE);
        QVERIFY(a >= 0 && b >= 0 && c >= 0 && d >= 0 && e >= 0);
        QCOMPARE(t.status(a), RunStatus::Finished);
        QCOMPARE(t.status(b), RunStatus::Failed);
        QCOMPARE(t.status(c), RunStatus::Killed);
        QCOMPARE(t.status(d), RunStatus::Running);
        QCOMPARE(t.status(e), RunStatus::Crashed);
        QCOMPARE(t.name(a), QStringLiteral("wide-net"));
        QCOMPARE(t.name(b), QStringLiteral("old-sdk"));
        QCOMPARE(t.experiment(a), QStringLiteral("mnist"));
        QCOMPARE(t.experiment(b), QStringLiteral(".cometml-runs")); // no project: the folder's name
        QCOMPARE(t.startTime(a), start_);
        QCOMPARE(t.endTime(a), start_ + 60'000);
        QCOMPARE(t.endTime(d), int64_t(-1));

        QCOMPARE(t.param(QStringLiteral("lr"))->text[size_t(a)], QStringLiteral("0.002"));
        QCOMPARE(t.param(QStringLiteral("lr"))->number[size_t(b)], 0.01);
        QCOMPARE(t.param(QStringLiteral("hyp.anchor_t"))->number[size_t(a)], 4.5);
        QCOMPARE(t.param(QStringLiteral("freeze"))->text[size_t(a)], QStringLiteral("[0,1]"));
        QCOMPARE(t.param(QStringLiteral("opt"))->text[size_t(a)], QStringLiteral("adam"));
        QCOMPARE(t.param(QStringLiteral("model"))->text[size_t(b)], QStringLiteral("{\"depth\": 4}"));
        QCOMPARE(t.tag(QStringLiteral("Created from"))->text[size_t(a)], QStringLiteral("pytorch"));
        QCOMPARE(t.tag(QStringLiteral("dataset"))->text[size_t(b)], QStringLiteral("cifar10"));
        QVERIFY(!t.tag(QStringLiteral("offline_experiment")));
        QCOMPARE(t.tag(QStringLiteral("comet.tags"))->text[size_t(a)], QStringLiteral("baseline, resnet"));
        QCOMPARE(t.tag(QStringLiteral("comet.workspace"))->text[size_t(a)], QStringLiteral("vision-lab"));
        QCOMPARE(t.tag(QStringLiteral("comet.experiment_key"))->text[size_t(a)], kKeyA);
        QCOMPARE(t.tag(QStringLiteral("comet.error"))->text[size_t(b)], QStringLiteral("Unexpected error detected in the user script: ValueError('bad')"));

        auto loss = (*reader)->loadSeries(kKeyA, QStringLiteral("loss"));
        QVERIFY2(loss, loss ? "" : qPrintable(loss.error()));
        QCOMPARE(loss->size(), size_t(300));
        for (size_t s = 0; s < 300; ++s) {
            QCOMPARE(loss->steps[s], int64_t(s));
            QCOMPARE(loss->values[s], 1.0 / double(s + 1));
            QCOMPARE(loss->wallTimes[s], double(start_ + 100 * int64_t(s)) / 1000.0);
        }
        auto older = (*reader)->loadSeries(kKeyB, QStringLiteral("loss"));
        QVERIFY(older);
        QCOMPARE(older->size(), size_t(10));
        QCOMPARE(older->values[9], 2.0 - 9 * 0.1);
        auto acc = (*reader)->loadSeries(kKeyA, QStringLiteral("test_acc")); // logged in the "test" context
        QVERIFY(acc);
        QCOMPARE(acc->steps, (std::vector<int64_t>{0, 10, 20}));
        auto odd = (*reader)->loadSeries(kKeyA, QStringLiteral("odd"));
        QVERIFY(odd);
        QCOMPARE(odd->steps, (std::vector<int64_t>{0, 1, 3, 4}));
        QVERIFY(std::isnan(odd->values[0]));
        QCOMPARE(odd->values[1], std::numeric_limits<double>::infinity());
        QCOMPARE(odd->values[2], 0.25);
        QCOMPARE(odd->values[3], -std::numeric_limits<double>::infinity());

        // Comet's sys.* as ours where they mean the same (bytes as MiB,
        // milliwatts as watts), else under system/ by Comet's name.
        auto gpuMemory = (*reader)->loadSeries(kKeyA, QStringLiteral("system/gpu.0.memory_used_mb"));
        QVERIFY(gpuMemory);
        // No step: the experiment's current one, the last any metric was given
        // ("odd" ended at 4), as comet_ml logs them; 0 before any.
        QCOMPARE(gpuMemory->steps, (std::vector<int64_t>{4, 4, 4}));
        auto early = (*reader)->loadSeries(kKeyA, QStringLiteral("early"));
        QVERIFY(early);
        QCOMPARE(early->steps, (std::vector<int64_t>{0}));
        QCOMPARE(gpuMemory->values[1], (246755328.0 + 1048576.0) / 1048576.0);
        QCOMPARE(t.metric(QStringLiteral("system/gpu.0.power_w"))->last[size_t(a)], 10.914);
        QVERIFY(t.metric(QStringLiteral("system/load.avg")));
        QVERIFY(!t.metric(QStringLiteral("sys.load.avg")));

        const QString problems = runs->problems.join(QLatin1Char('\n'));
        QVERIFY2(problems.contains(QStringLiteral("1 value(s) of 'odd' are not numbers")), qPrintable(problems));
        QVERIFY2(problems.contains(QStringLiteral("1 line(s) of messages.json are not JSON")), qPrintable(problems));
        QVERIFY2(problems.contains(kKeyD + QStringLiteral(".zip: empty")), qPrintable(problems));

        auto details = (*reader)->loadDetails(kKeyA);
        QVERIFY(details);
        QCOMPARE(details->host, QStringLiteral("lab-7"));
        QCOMPARE(details->git.commit, QStringLiteral("7dbae3164e1c39a813f133736619d0b1523a815c"));
        QCOMPARE(details->git.branch, QStringLiteral("main"));
        QCOMPARE(details->git.remote, QStringLiteral("https://example.org/proj.git"));
        const auto env = [&](const char* key) {
            for (const auto& [k, v] : details->environment)
                if (k == QLatin1String(key))
                    return v;
            return QString();
        };
        QCOMPARE(env("command"), QStringLiteral("train.py --lr 0.001"));
        QCOMPARE(env("installed packages"), QStringLiteral("numpy==1.26.4, torch==2.3.0"));
        QCOMPARE(env("gpus"), QStringLiteral("RTX 3050"));
        for (const auto& [k, v] : details->environment)
            QVERIFY2(!v.contains(QStringLiteral("secret")), qPrintable(k)); // the process environment stays out
        auto olderDetails = (*reader)->loadDetails(kKeyB);
        QVERIFY(olderDetails);
        QCOMPARE(olderDetails->host, QStringLiteral("lab-8"));
        QCOMPARE(olderDetails->git.branch, QStringLiteral("dev"));
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }

    void uploadedFilesAreArtifacts()
    {
        auto reader = openStore(project_);
        QVERIFY(reader);
        QVERIFY((*reader)->loadRuns());
        auto artifacts = (*reader)->loadArtifacts(kKeyA);
        QVERIFY2(artifacts, artifacts ? "" : qPrintable(artifacts.error()));
        QCOMPARE(artifacts->items.size(), size_t(3)); // not the one missing from the archive
        const ArtifactItem& config = artifacts->items[0];
        const ArtifactItem& figure = artifacts->items[1];
        const ArtifactItem& image = artifacts->items[2];
        QCOMPARE(figure.path, QStringLiteral("images/1005_epoch_0"));
        QCOMPARE(figure.kind, ArtifactKind::Image);
        QCOMPARE(figure.step, int64_t(89));
        QCOMPARE(config.path, QStringLiteral("config.yaml"));
        QCOMPARE(image.path, QStringLiteral("images/confusion.png"));
        QCOMPARE(image.kind, ArtifactKind::Image);
        QVERIFY(image.stepped);
        QCOMPARE(image.step, int64_t(5));
        QCOMPARE(image.size, int64_t(kImage.size()));
        auto bytes = (*reader)->loadArtifactBytes(artifacts->root, image, 1 << 20);
        QVERIFY2(bytes, bytes ? "" : qPrintable(bytes.error()));
        QCOMPARE(*bytes, kImage);
        auto text = (*reader)->loadArtifactBytes(artifacts->root, config, 1 << 20);
        QVERIFY(text);
        QCOMPARE(*text, kConfig);
        QVERIFY(!(*reader)->loadArtifactBytes(artifacts->root, image, 10)); // over the limit asked
    }

    void anArchiveFoundTwiceKeepsBothByPath()
    {
        QTemporaryDir dir;
        const QString key = QStringLiteral("66666666666666666666666666666666");
        for (const char* folder : {"a", "b"}) {
            QVERIFY(QDir().mkpath(dir.filePath(QLatin1String(folder))));
            QVERIFY(test::writeZip(dir.filePath(QStringLiteral("%1/%2.zip").arg(QLatin1String(folder), key)),
                {{QStringLiteral("experiment.json"),
                     experimentJson(key, QStringLiteral("mnist"), start_, start_ + 1000,
                         QStringLiteral("Comet failed to write all data items to messages file (120 messages remaining)"))},
                    {QStringLiteral("messages.json"), line(QStringLiteral("metric_msg"), metric(QStringLiteral("loss"), 0.1, 0, start_))}}));
        }
        auto reader = openStore(dir.path());
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error()));
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        QCOMPARE(runs->table->rowCount(), 2);
        QCOMPARE(runs->table->id(0), QStringLiteral("a/") + key);
        QCOMPARE(runs->table->id(1), QStringLiteral("b/") + key);
        QVERIFY((*reader)->loadDetails(QStringLiteral("b/") + key));
        // Comet's own trouble: the script ended well, and what Comet lost is said.
        QCOMPARE(runs->table->status(0), RunStatus::Finished);
        QVERIFY2(runs->problems.join(QLatin1Char('\n')).contains(QStringLiteral("Comet reported: Comet failed to write all data items")),
            qPrintable(runs->problems.join(QLatin1Char('\n'))));
    }

    void oneArchiveOpensAlone()
    {
        auto reader = openStore(archive(kKeyB));
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("comet"));
        const auto table = test::mustLoad(**reader);
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->id(0), kKeyB);
        QVERIFY(!CometOfflineReader::open(runs_ + QStringLiteral("/holiday-photos.zip")));
        QVERIFY(!CometOfflineReader::open(dir_.path() + QStringLiteral("/nothing-here")));
    }

    void anArchiveWrittenAfterOpeningIsSeen()
    {
        auto reader = openStore(project_);
        QVERIFY(reader);
        QCOMPARE(test::mustLoad(**reader)->rowCount(), 5);
        const QString before = (*reader)->changeStamp();
        const QString key = QStringLiteral("44444444444444444444444444444444");
        QVERIFY(test::writeZip(archive(key),
            {{QStringLiteral("experiment.json"), experimentJson(key, QStringLiteral("mnist"), start_, start_ + 1000, QJsonValue::Null)},
                {QStringLiteral("messages.json"), line(QStringLiteral("metric_msg"), metric(QStringLiteral("loss"), 0.1, 7, start_))}}));
        QVERIFY((*reader)->changeStamp() != before);
        const auto table = test::mustLoad(**reader);
        QCOMPARE(table->rowCount(), 6);
        QCOMPARE(table->metric(QStringLiteral("loss"))->lastStep[size_t(table->findRun(key))], int64_t(7));
        QVERIFY(QFile::remove(archive(key)));
    }

    void damagedArchivesGiveWhatCanBeRead()
    {
        // Every 4 KiB cut of a finished archive, and bytes flipped across
        // it: a run with a problem said, never a crash or a hang.
        QFile file(archive(kKeyA));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray whole = file.readAll();
        const QString damaged = dir_.filePath(QStringLiteral("damaged"));
        QVERIFY(QDir().mkpath(damaged));
        const QString path = damaged + QLatin1Char('/') + kKeyA + QStringLiteral(".zip");
        std::vector<QByteArray> variants;
        for (qsizetype cut = 0; cut < whole.size(); cut += 4096)
            variants.push_back(whole.left(cut));
        variants.push_back(whole.left(whole.size() - 1));
        for (qsizetype at = 0; at < whole.size(); at += whole.size() / 61) {
            QByteArray flipped = whole;
            flipped[at] = char(flipped[at] ^ 0x5a);
            variants.push_back(flipped);
        }
        int crcFailures = 0;
        for (const QByteArray& bytes : variants) {
            test::writeFile(path, bytes);
            auto reader = CometOfflineReader::open(damaged);
            QVERIFY(reader);
            auto runs = (*reader)->loadRuns();
            QVERIFY(runs);
            QCOMPARE(runs->table->rowCount(), 1);
            if (bytes != whole && bytes.size() < whole.size())
                QVERIFY2(!runs->problems.isEmpty(), qPrintable(QString::number(bytes.size())));
            for (const auto& p : runs->problems)
                crcFailures += p.contains(QStringLiteral("read as far as it could be")) ? 1 : 0;
            (void)(*reader)->loadSeries(QStringLiteral("%1").arg(kKeyA), QStringLiteral("loss"));
            if (auto artifacts = (*reader)->loadArtifacts(kKeyA))
                for (const auto& item : artifacts->items)
                    (void)(*reader)->loadArtifactBytes(artifacts->root, item, 1 << 20);
        }
        QVERIFY(crcFailures > 0); // a flip inside messages.json is caught by its CRC and said
    }

    void readingWritesNothing()
    {
        const QByteArray before = test::treeHash(project_);
        const QDateTime touched = QFileInfo(archive(kKeyA)).lastModified();
        auto reader = openStore(project_);
        QVERIFY(reader);
        QCOMPARE(test::readEverything(**reader), QStringList());
        QCOMPARE(test::treeHash(project_), before);
        QCOMPARE(QFileInfo(archive(kKeyA)).lastModified(), touched);
    }

    void importsIntoARunlensStore()
    {
        auto source = openStore(project_);
        QVERIFY(source);
        const auto imported = test::importInto(**source, dir_.filePath(QStringLiteral("imported.db")));
        QCOMPARE(imported.imported, 5);
        QCOMPARE(imported.table->rowCount(), 5);
        QCOMPARE(imported.table->tag(QStringLiteral("runlens.import.kind"))->text[0], QStringLiteral("comet"));
        const int a = imported.table->findRun(QStringLiteral("wide-net")); // imported runs get ids of their own
        QVERIFY(a >= 0);
        auto loss = imported.reader->loadSeries(imported.table->id(a), QStringLiteral("loss"));
        QVERIFY(loss);
        QCOMPARE(loss->size(), size_t(300));
        QCOMPARE(loss->values[299], 1.0 / 300.0);
    }
};

QTEST_GUILESS_MAIN(TestComet)
#include "test_comet.moc"
