// SPDX-License-Identifier: GPL-3.0-or-later
// neptune-client's offline runs as neptune writes them (.neptune/offline/
// run__<uuid>[__<pid>__<key>]/data-<N>.log, a JSON operation a line, with
// last_put_version and, from 1.8.3, metadata.json; tests/fixtures/neptune/
// NOTES.md): the replay of every operation kind, statuses from what neptune
// leaves, every point across rotated logs, forked processes as one run, a
// record cut short, live growth, and nothing written.
#include "neptune_offline_reader.h"
#include "store_importer.h"
#include "store_registry.h"
#include "test_support.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace runlens;

namespace {

const QString kA = QStringLiteral("a1561719-b425-4000-a65a-b5efb044d6bb");
const QString kB = QStringLiteral("b2000000-0000-4000-8000-000000000002");
const QString kC = QStringLiteral("c3000000-0000-4000-8000-000000000003");
const QString kD = QStringLiteral("d4000000-0000-4000-8000-000000000004");
const QString kE = QStringLiteral("e5000000-0000-4000-8000-000000000005");
const QString kF = QStringLiteral("f6000000-0000-4000-8000-000000000006");
const QString kG = QStringLiteral("07000000-0000-4000-8000-000000000007");
const QString kH = QStringLiteral("08000000-0000-4000-8000-000000000008");

QJsonArray path(const QString& p)
{
    QJsonArray out;
    for (const auto& part : p.split(QLatin1Char('/')))
        out.append(part);
    return out;
}

QJsonObject op(const QString& type, const QString& p, const QJsonObject& fields = {})
{
    QJsonObject o = fields;
    o.insert(QStringLiteral("type"), type);
    o.insert(QStringLiteral("path"), path(p));
    return o;
}

QJsonObject floats(const QString& p, const QJsonArray& values)
{
    return op(QStringLiteral("LogFloats"), p, {{QStringLiteral("values"), values}});
}

QJsonObject point(double value, const QJsonValue& step, double ts)
{
    return {{QStringLiteral("value"), value}, {QStringLiteral("step"), step}, {QStringLiteral("ts"), ts}};
}

// What neptune's DiskQueue writes: json.dumps of the envelope, a line each.
class Log {
public:
    QByteArray add(const QJsonObject& operation, double at = 0)
    {
        QByteArray line = "{\"obj\": " + QJsonDocument(operation).toJson(QJsonDocument::Compact) + ", \"version\": " + QByteArray::number(++version_);
        if (at > 0)
            line += ", \"at\": " + QByteArray::number(at, 'f', 7);
        line += "}\n";
        bytes_ += line;
        return line;
    }
    void raw(const QByteArray& line) { bytes_ += line; ++version_; }
    QByteArray take() { return std::exchange(bytes_, {}); }
    int version() const { return version_; }

private:
    QByteArray bytes_;
    int version_ = 0;
};

void setAge(const QString& file, int seconds)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadWrite) || !f.setFileTime(QDateTime::currentDateTime().addSecs(-seconds), QFileDevice::FileModificationTime))
        throw std::runtime_error("cannot age " + file.toStdString());
}

QByteArray metadata(const QString& uuid, const QString& created)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("mode"), QStringLiteral("offline")}, {QStringLiteral("containerId"), uuid},
                             {QStringLiteral("containerType"), QStringLiteral("run")}, {QStringLiteral("structureVersion"), 3},
                             {QStringLiteral("os"), QStringLiteral("Linux-6.8.0-x86_64-with-glibc2.35")},
                             {QStringLiteral("pythonVersion"), QStringLiteral("3.10.12")},
                             {QStringLiteral("neptuneClientVersion"), QStringLiteral("1.10.4")}, {QStringLiteral("createdAt"), created}})
        .toJson();
}

} // namespace

class TestNeptune : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString project_, offline_;
    const double t0_ = 1716199872.0; // 2024-05-20T10:11:12Z

    QString folder(const QString& uuid, const QString& tail = QStringLiteral("__4242__k3x9q0zt")) const
    {
        return offline_ + QStringLiteral("/run__") + uuid + tail;
    }

    // Writes a run's files as neptune 1.9+ leaves them; `stopped`: metadata.json rewritten after the last operation.
    void writeRun(const QString& dir, const QByteArray& log, int lastVersion, bool withMetadata, bool stopped, int ageSeconds)
    {
        test::writeFile(dir + QStringLiteral("/data-1.log"), log);
        test::writeFile(dir + QStringLiteral("/last_put_version"), QByteArray::number(lastVersion));
        test::writeFile(dir + QStringLiteral("/last_ack_version"), {});
        setAge(dir + QStringLiteral("/data-1.log"), ageSeconds);
        setAge(dir + QStringLiteral("/last_put_version"), ageSeconds);
        if (withMetadata) {
            test::writeFile(dir + QStringLiteral("/metadata.json"), metadata(uuidOfDir(dir), QStringLiteral("2024-05-20T10:11:12.123456+00:00")));
            setAge(dir + QStringLiteral("/metadata.json"), stopped ? ageSeconds - 1 : ageSeconds + 60);
        }
    }
    static QString uuidOfDir(const QString& dir) { return QFileInfo(dir).fileName().mid(5, 36); }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        project_ = dir_.filePath(QStringLiteral("proj"));
        offline_ = project_ + QStringLiteral("/.neptune/offline");

        // A: neptune 1.10, stopped cleanly; its loss logged over two log files.
        Log a;
        a.add(op(QStringLiteral("AssignString"), QStringLiteral("sys/name"), {{QStringLiteral("value"), QStringLiteral("wide-net")}}), t0_);
        a.add(op(QStringLiteral("AssignString"), QStringLiteral("sys/description"), {{QStringLiteral("value"), QStringLiteral("try wider")}}), t0_);
        a.add(op(QStringLiteral("AssignString"), QStringLiteral("monitoring/7a3e9f1c/hostname"), {{QStringLiteral("value"), QStringLiteral("lab-7")}}), t0_);
        a.add(op(QStringLiteral("AssignString"), QStringLiteral("sys/hostname"), {{QStringLiteral("value"), QStringLiteral("lab-7")}}), t0_);
        a.add(op(QStringLiteral("AddStrings"), QStringLiteral("sys/tags"), {{QStringLiteral("values"), QJsonArray{QStringLiteral("baseline"), QStringLiteral("resnet")}}}), t0_);
        a.add(op(QStringLiteral("AssignBool"), QStringLiteral("sys/failed"), {{QStringLiteral("value"), false}}), t0_);
        a.add(op(QStringLiteral("AssignString"), QStringLiteral("source_code/entrypoint"), {{QStringLiteral("value"), QStringLiteral("train.py")}}), t0_);
        a.add(op(QStringLiteral("UploadFile"), QStringLiteral("source_code/diff"),
                  {{QStringLiteral("ext"), QStringLiteral("patch")}, {QStringLiteral("file_path"), QJsonValue::Null},
                      {QStringLiteral("tmp_file_name"), QStringLiteral("source_code_diff-1716199872.14.patch")}, {QStringLiteral("clean_after_upload"), false}}),
            t0_);
        a.add(op(QStringLiteral("UploadFile"), QStringLiteral("model/weights"),
                  {{QStringLiteral("ext"), QStringLiteral("pt")}, {QStringLiteral("file_path"), QStringLiteral("/data/models/w.pt")},
                      {QStringLiteral("tmp_file_name"), QJsonValue::Null}, {QStringLiteral("clean_after_upload"), false}}),
            t0_);
        a.add(op(QStringLiteral("ConfigFloatSeries"), QStringLiteral("monitoring/7a3e9f1c/cpu"),
                  {{QStringLiteral("min"), 0.0}, {QStringLiteral("max"), 100.0}, {QStringLiteral("unit"), QStringLiteral("%")}}), t0_);
        a.add(op(QStringLiteral("AssignFloat"), QStringLiteral("parameters/lr"), {{QStringLiteral("value"), 0.001}}), t0_);
        a.add(op(QStringLiteral("AssignInt"), QStringLiteral("parameters/bs"), {{QStringLiteral("value"), 64}}), t0_);
        a.add(op(QStringLiteral("AssignString"), QStringLiteral("parameters/opt/name"), {{QStringLiteral("value"), QStringLiteral("adam")}}), t0_);
        a.add(op(QStringLiteral("AssignBool"), QStringLiteral("parameters/use_amp"), {{QStringLiteral("value"), true}}), t0_);
        a.add(op(QStringLiteral("AssignDatetime"), QStringLiteral("info/started"), {{QStringLiteral("value"), 1716199872123.0}}), t0_);
        a.add(op(QStringLiteral("AssignFloat"), QStringLiteral("parameters/lr"), {{QStringLiteral("value"), 0.002}}), t0_); // assigned again
        a.add(op(QStringLiteral("CopyAttribute"), QStringLiteral("parameters/lr_copy"),
                  {{QStringLiteral("source_path"), path(QStringLiteral("parameters/lr"))}, {QStringLiteral("source_attr_name"), QStringLiteral("Float")}}),
            t0_); // run["parameters/lr_copy"] = run["parameters/lr"]
        a.add(floats(QStringLiteral("scratch"), QJsonArray{point(1, QJsonValue::Null, t0_)}), t0_);
        a.add(op(QStringLiteral("ClearFloatLog"), QStringLiteral("scratch")), t0_);
        for (int batch = 0; batch < 2; ++batch) { // extend() in batches of 100, no steps
            QJsonArray values;
            for (int s = batch * 100; s < batch * 100 + 100; ++s)
                values.append(point(1.0 / (s + 1), QJsonValue::Null, t0_ + s * 0.5));
            a.add(floats(QStringLiteral("train/loss"), values), t0_ + batch);
        }
        a.add(floats(QStringLiteral("eval/acc"), QJsonArray{point(0.5, 0, t0_), point(0.6, 10, t0_ + 5), point(0.7, 20, t0_ + 10)}), t0_ + 10);
        for (int i = 0; i < 3; ++i) {
            a.add(floats(QStringLiteral("monitoring/7a3e9f1c/cpu"), QJsonArray{point(20 + i, QJsonValue::Null, t0_ + 10 * i)}), t0_ + 10 * i);
            a.add(floats(QStringLiteral("monitoring/7a3e9f1c/memory"), QJsonArray{point(3.5, QJsonValue::Null, t0_ + 10 * i)}), t0_ + 10 * i);
            a.add(floats(QStringLiteral("monitoring/7a3e9f1c/gpu"), QJsonArray{point(90, QJsonValue::Null, t0_ + 10 * i)}), t0_ + 10 * i);
        }
        a.add(op(QStringLiteral("LogStrings"), QStringLiteral("monitoring/7a3e9f1c/stdout"),
                  {{QStringLiteral("values"), QJsonArray{QJsonObject{{QStringLiteral("value"), QStringLiteral("epoch 1")}, {QStringLiteral("step"), QJsonValue::Null}, {QStringLiteral("ts"), t0_}}}}}),
            t0_);
        a.add(op(QStringLiteral("RemoveStrings"), QStringLiteral("sys/tags"), {{QStringLiteral("values"), QJsonArray{QStringLiteral("resnet")}}}), t0_);
        a.add(op(QStringLiteral("AddStrings"), QStringLiteral("sys/tags"), {{QStringLiteral("values"), QJsonArray{QStringLiteral("final")}}}), t0_);
        const QByteArray first = a.take();
        // Two more files, each named after its first record's version; the
        // third's number has more digits than the second's, so only their
        // numbers, not their names' letters, put them in order.
        const auto lossFrom = [&](int from, int to) {
            QJsonArray values;
            for (int s = from; s < to; ++s)
                values.append(point(1.0 / (s + 1), QJsonValue::Null, t0_ + s * 0.5));
            return floats(QStringLiteral("train/loss"), values);
        };
        const int second = a.version() + 1;
        a.add(lossFrom(200, 250), t0_ + 150);
        while (a.version() < 120) // console lines, which are not shown
            a.add(op(QStringLiteral("LogStrings"), QStringLiteral("monitoring/7a3e9f1c/stdout"),
                      {{QStringLiteral("values"), QJsonArray{QJsonObject{{QStringLiteral("value"), QStringLiteral(".")},
                                                      {QStringLiteral("step"), QJsonValue::Null}, {QStringLiteral("ts"), t0_}}}}}),
                t0_);
        const QByteArray secondLog = a.take();
        const int third = a.version() + 1;
        a.add(lossFrom(250, 300), t0_ + 160);
        // Before 1.8.3, neptune let NaN through as Python's bare token.
        a.raw(R"({"obj": {"type": "LogFloats", "path": ["eval", "acc"], "values": [{"value": NaN, "step": 30, "ts": 1716199900.0}]}, "version": )"
              + QByteArray::number(a.version() + 1) + "}\n");
        const QString dirA = folder(kA);
        writeRun(dirA, first, a.version(), true, true, 3600);
        QVERIFY(QString::number(second).size() < QString::number(third).size());
        for (const auto& [version, bytes] : {std::pair{second, secondLog}, std::pair{third, a.take()}}) {
            test::writeFile(dirA + QStringLiteral("/data-%1.log").arg(version), bytes);
            setAge(dirA + QStringLiteral("/data-%1.log").arg(version), 3600);
        }
        test::writeFile(dirA + QStringLiteral("/upload_path/source_code_diff-1716199872.14.patch"), "--- a/train.py\n+++ b/train.py\n");
        setAge(dirA + QStringLiteral("/metadata.json"), 3599);

        // B: neptune 0.16 (run__<uuid>, no metadata.json, flat monitoring/), failed.
        Log b;
        b.add(op(QStringLiteral("AssignString"), QStringLiteral("sys/name"), {{QStringLiteral("value"), QStringLiteral("Untitled")}}));
        b.add(op(QStringLiteral("AssignFloat"), QStringLiteral("parameters/lr"), {{QStringLiteral("value"), 0.1}}));
        b.add(floats(QStringLiteral("monitoring/cpu"), QJsonArray{point(55, QJsonValue::Null, t0_)}));
        b.add(floats(QStringLiteral("train/loss"), QJsonArray{point(2.0, QJsonValue::Null, t0_), point(1.5, QJsonValue::Null, t0_ + 1)}));
        b.add(op(QStringLiteral("LogStrings"), QStringLiteral("monitoring/traceback"),
            {{QStringLiteral("values"), QJsonArray{QJsonObject{{QStringLiteral("value"), QStringLiteral("ValueError")}, {QStringLiteral("step"), QJsonValue::Null}, {QStringLiteral("ts"), t0_ + 2}}}}}));
        b.add(op(QStringLiteral("AssignBool"), QStringLiteral("sys/failed"), {{QStringLiteral("value"), true}}));
        writeRun(folder(kB, {}), b.take(), b.version(), false, false, 7200);

        // C: killed mid-record an hour ago; metadata.json never rewritten.
        Log c;
        c.add(op(QStringLiteral("AssignFloat"), QStringLiteral("parameters/lr"), {{QStringLiteral("value"), 0.01}}), t0_);
        c.add(floats(QStringLiteral("train/loss"), QJsonArray{point(0.9, 0, t0_), point(0.8, 1, t0_ + 1)}), t0_ + 1);
        const QByteArray cut = c.add(floats(QStringLiteral("train/loss"), QJsonArray{point(0.7, 2, t0_ + 2)}), t0_ + 2);
        QByteArray cLog = c.take();
        cLog.chop(cut.size() / 2);
        writeRun(folder(kC), cLog, c.version(), true, false, 3600);

        // D: logging now.
        Log d;
        d.add(floats(QStringLiteral("train/loss"), QJsonArray{point(1.0, 0, t0_)}), t0_);
        writeRun(folder(kD), d.take(), d.version(), true, false, 0);
        liveLog_ = std::move(d);

        // E: a forked process's folder beside its parent's (neptune 1.9 on).
        Log e, child;
        e.add(op(QStringLiteral("AssignString"), QStringLiteral("sys/name"), {{QStringLiteral("value"), QStringLiteral("forked")}}), t0_);
        e.add(floats(QStringLiteral("train/loss"), QJsonArray{point(1.0, 0, t0_), point(0.5, 1, t0_ + 1)}), t0_ + 1);
        e.add(floats(QStringLiteral("monitoring/aaaa0001/cpu"), QJsonArray{point(10, QJsonValue::Null, t0_)}), t0_);
        child.add(floats(QStringLiteral("worker/throughput"), QJsonArray{point(128, 0, t0_ + 2)}), t0_ + 2);
        // The child's own monitoring (its hash) and a file it uploaded, kept in its folder.
        child.add(floats(QStringLiteral("monitoring/bbbb0002/cpu"), QJsonArray{point(90, QJsonValue::Null, t0_ + 0.5)}), t0_ + 0.5);
        child.add(op(QStringLiteral("UploadFile"), QStringLiteral("worker/log"),
                      {{QStringLiteral("ext"), QStringLiteral("txt")}, {QStringLiteral("file_path"), QJsonValue::Null},
                          {QStringLiteral("tmp_file_name"), QStringLiteral("worker_log.txt")}, {QStringLiteral("clean_after_upload"), false}}),
            t0_ + 3);
        // pid 99 after pid 100: ordered by number, not by name.
        writeRun(folder(kE, QStringLiteral("__99__aaaaaaaa")), e.take(), e.version(), true, true, 3600);
        writeRun(folder(kE, QStringLiteral("__100__bbbbbbbb")), child.take(), child.version(), true, true, 3600);
        test::writeFile(folder(kE, QStringLiteral("__100__bbbbbbbb")) + QStringLiteral("/upload_path/worker_log.txt"), "worker done\n");

        // G and H: runs of this machine, told by their processes. G's died
        // a moment ago (written to now, never flushed); H's process (this
        // test) lives, though it wrote nothing for an hour.
        const QString here = QSysInfo::machineHostName();
        for (const auto& [uuid, pid, age] : {std::tuple{kG, qint64(4'999'999), 0}, std::tuple{kH, QCoreApplication::applicationPid(), 3600}}) {
            Log l;
            l.add(op(QStringLiteral("AssignString"), QStringLiteral("sys/hostname"), {{QStringLiteral("value"), here}}), t0_);
            l.add(floats(QStringLiteral("train/loss"), QJsonArray{point(1.0, 0, t0_)}), t0_);
            writeRun(folder(uuid, QStringLiteral("__%1__cccccccc").arg(pid)), l.take(), l.version(), true, false, age);
        }

        // F: an async run's queue, which a server has: not an offline run.
        Log f;
        f.add(floats(QStringLiteral("train/loss"), QJsonArray{point(1.0, 0, t0_)}), t0_);
        writeRun(project_ + QStringLiteral("/.neptune/async/run__") + kF + QStringLiteral("__1__cccccccc"), f.take(), 1, true, true, 3600);
    }

    void replaysEveryOperationKind()
    {
        auto reader = openStore(project_);
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("neptune"));
        auto runs = (*reader)->loadRuns();
        QVERIFY2(runs, runs ? "" : qPrintable(runs.error()));
        const auto& t = *runs->table;
        QCOMPARE(t.rowCount(), 7); // E's two folders are one run; F is not offline
        const int a = t.findRun(kA), b = t.findRun(kB), c = t.findRun(kC), d = t.findRun(kD), e = t.findRun(kE);
        QVERIFY(a >= 0 && b >= 0 && c >= 0 && d >= 0 && e >= 0);
        QCOMPARE(t.status(a), RunStatus::Finished);
        QCOMPARE(t.status(b), RunStatus::Failed);
        QCOMPARE(t.status(c), RunStatus::Crashed);
        QCOMPARE(t.status(d), RunStatus::Running);
        QCOMPARE(t.status(e), RunStatus::Finished);
        QCOMPARE(t.name(a), QStringLiteral("wide-net"));
        QCOMPARE(t.name(b), kB); // "Untitled": the id says more
        QCOMPARE(t.experiment(a), QStringLiteral("proj")); // the folder holding .neptune
        QCOMPARE(t.startTime(a), QDateTime::fromString(QStringLiteral("2024-05-20T10:11:12.123Z"), Qt::ISODateWithMs).toMSecsSinceEpoch());
        QCOMPARE(t.endTime(d), int64_t(-1));

        QCOMPARE(t.param(QStringLiteral("parameters/lr"))->text[size_t(a)], QStringLiteral("0.002"));
        QCOMPARE(t.param(QStringLiteral("parameters/lr"))->number[size_t(b)], 0.1);
        QCOMPARE(t.param(QStringLiteral("parameters/bs"))->number[size_t(a)], 64.0);
        QCOMPARE(t.param(QStringLiteral("parameters/opt/name"))->text[size_t(a)], QStringLiteral("adam"));
        QCOMPARE(t.param(QStringLiteral("parameters/use_amp"))->text[size_t(a)], QStringLiteral("true"));
        QCOMPARE(t.param(QStringLiteral("info/started"))->text[size_t(a)], QStringLiteral("2024-05-20T10:11:12.123Z"));
        QVERIFY(!t.param(QStringLiteral("monitoring/7a3e9f1c/hostname")));
        QVERIFY(!t.param(QStringLiteral("sys/name")));
        QCOMPARE(t.tag(QStringLiteral("neptune.tags"))->text[size_t(a)], QStringLiteral("baseline, final"));
        QVERIFY(!t.metric(QStringLiteral("scratch"))); // cleared

        auto loss = (*reader)->loadSeries(kA, QStringLiteral("train/loss"));
        QVERIFY2(loss, loss ? "" : qPrintable(loss.error()));
        QCOMPARE(loss->size(), size_t(300)); // across data-1.log and the next
        for (size_t s = 0; s < 300; ++s) {
            QCOMPARE(loss->steps[s], int64_t(s)); // no step given: the one after the last
            QCOMPARE(loss->values[s], 1.0 / double(s + 1));
            QCOMPARE(loss->wallTimes[s], t0_ + double(s) * 0.5);
        }
        auto acc = (*reader)->loadSeries(kA, QStringLiteral("eval/acc"));
        QVERIFY(acc);
        QCOMPARE(acc->steps, (std::vector<int64_t>{0, 10, 20, 30}));
        QVERIFY(std::isnan(acc->values[3]));
        auto cpu = (*reader)->loadSeries(kA, QStringLiteral("system/cpu_percent"));
        QVERIFY(cpu);
        QCOMPARE(cpu->values, (std::vector<double>{20, 21, 22}));
        QVERIFY(t.metric(QStringLiteral("system/memory")));
        QVERIFY(t.metric(QStringLiteral("system/gpu.0.utilization_percent")));
        QCOMPARE(t.metric(QStringLiteral("system/cpu_percent"))->last[size_t(b)], 55.0); // 0.16's flat monitoring/cpu
        QCOMPARE(t.metric(QStringLiteral("train/loss"))->count[size_t(c)], int64_t(2)); // the cut record left out
        QCOMPARE(t.metric(QStringLiteral("worker/throughput"))->last[size_t(e)], 128.0); // the forked process's
        QCOMPARE(t.metric(QStringLiteral("train/loss"))->count[size_t(e)], int64_t(2));
        QCOMPARE(t.metric(QStringLiteral("system/cpu_percent"))->last[size_t(e)], 10.0); // the parent's, the run's own
        QCOMPARE(t.metric(QStringLiteral("system/bbbb0002/cpu_percent"))->last[size_t(e)], 90.0); // the child's, apart
        QCOMPARE(t.status(t.findRun(kG)), RunStatus::Crashed);
        QCOMPARE(t.status(t.findRun(kH)), RunStatus::Running);
        QCOMPARE(t.param(QStringLiteral("parameters/lr_copy"))->text[size_t(a)], QStringLiteral("0.002"));

        const QString problems = runs->problems.join(QLatin1Char('\n'));
        QVERIFY2(problems.contains(kC + QStringLiteral(": the log ends in a record cut short")), qPrintable(problems));
        QVERIFY2(!problems.contains(kA), qPrintable(problems));

        auto details = (*reader)->loadDetails(kA);
        QVERIFY(details);
        QCOMPARE(details->host, QStringLiteral("lab-7"));
        QCOMPARE(details->notes, QStringLiteral("try wider"));
        QVERIFY(std::find(details->environment.begin(), details->environment.end(),
                    std::pair{QStringLiteral("entrypoint"), QStringLiteral("train.py")}) != details->environment.end());
        QVERIFY(std::find(details->environment.begin(), details->environment.end(),
                    std::pair{QStringLiteral("neptuneClientVersion"), QStringLiteral("1.10.4")}) != details->environment.end());
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }

    void uploadsAreArtifacts()
    {
        auto reader = openStore(project_);
        QVERIFY(reader);
        QVERIFY((*reader)->loadRuns());
        auto artifacts = (*reader)->loadArtifacts(kA);
        QVERIFY(artifacts);
        QCOMPARE(artifacts->items.size(), size_t(2));
        const ArtifactItem& weights = artifacts->items[0];
        const ArtifactItem& diff = artifacts->items[1];
        QCOMPARE(weights.path, QStringLiteral("model/weights.pt"));
        QCOMPARE(weights.remoteUri, QStringLiteral("file:///data/models/w.pt")); // the user's file, not kept by neptune
        QCOMPARE(diff.path, QStringLiteral("source_code/diff.patch"));
        auto bytes = (*reader)->loadArtifactBytes(artifacts->root, diff, 1 << 20);
        QVERIFY2(bytes, bytes ? "" : qPrintable(bytes.error()));
        QCOMPARE(*bytes, QByteArray("--- a/train.py\n+++ b/train.py\n"));
    }

    void aForkedProcesssUploadIsItsOwn()
    {
        auto reader = openStore(project_);
        QVERIFY(reader);
        QVERIFY((*reader)->loadRuns());
        auto artifacts = (*reader)->loadArtifacts(kE);
        QVERIFY(artifacts);
        QCOMPARE(artifacts->items.size(), size_t(1));
        auto bytes = (*reader)->loadArtifactBytes(artifacts->root, artifacts->items[0], 1 << 20);
        QVERIFY2(bytes, bytes ? "" : qPrintable(bytes.error()));
        QCOMPARE(*bytes, QByteArray("worker done\n"));
    }

    void oneRunFolderOpensAlone()
    {
        auto reader = openStore(folder(kA));
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("neptune"));
        const auto table = test::mustLoad(**reader);
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->id(0), kA);
        QVERIFY(!NeptuneOfflineReader::open(project_ + QStringLiteral("/.neptune/async")));
    }

    void aLiveRunGrowsAndANewRunAppears()
    {
        auto reader = openStore(project_);
        QVERIFY(reader);
        QCOMPARE(test::mustLoad(**reader)->metric(QStringLiteral("train/loss"))->count[size_t(test::mustLoad(**reader)->findRun(kD))], int64_t(1));
        QString stamp = (*reader)->changeStamp();
        QFile log(folder(kD) + QStringLiteral("/data-1.log"));
        QVERIFY(log.open(QIODevice::Append));
        log.write(liveLog_.add(floats(QStringLiteral("train/loss"), QJsonArray{point(0.5, 1, t0_ + 1), point(0.25, 2, t0_ + 2)}), t0_ + 2));
        log.close();
        QVERIFY((*reader)->changeStamp() != stamp);
        auto table = test::mustLoad(**reader);
        QCOMPARE(table->metric(QStringLiteral("train/loss"))->count[size_t(table->findRun(kD))], int64_t(3));

        stamp = (*reader)->changeStamp();
        const QString later = QStringLiteral("99999999-0000-4000-8000-000000000009");
        Log l;
        l.add(floats(QStringLiteral("train/loss"), QJsonArray{point(3.0, 0, t0_)}), t0_);
        writeRun(folder(later), l.take(), 1, true, false, 0);
        QVERIFY((*reader)->changeStamp() != stamp);
        table = test::mustLoad(**reader);
        QCOMPARE(table->rowCount(), 8);
        QVERIFY(QDir(folder(later)).removeRecursively());
    }

    void readingWritesNothing()
    {
        const QByteArray before = test::treeHash(project_);
        auto reader = openStore(project_);
        QVERIFY(reader);
        QCOMPARE(test::readEverything(**reader), QStringList());
        QCOMPARE(test::treeHash(project_), before);
    }

    void importsIntoARunlensStore()
    {
        auto source = openStore(project_);
        QVERIFY(source);
        const auto imported = test::importInto(**source, dir_.filePath(QStringLiteral("imported.db")));
        QCOMPARE(imported.imported, 7);
        QCOMPARE(imported.table->rowCount(), 7);
        QCOMPARE(imported.table->tag(QStringLiteral("runlens.import.kind"))->text[0], QStringLiteral("neptune"));
        const int a = imported.table->findRun(QStringLiteral("wide-net")); // imported runs get ids of their own
        QVERIFY(a >= 0);
        auto loss = imported.reader->loadSeries(imported.table->id(a), QStringLiteral("train/loss"));
        QVERIFY(loss);
        QCOMPARE(loss->size(), size_t(300));
    }

private:
    Log liveLog_;
};

QTEST_GUILESS_MAIN(TestNeptune)
#include "test_neptune.moc"
