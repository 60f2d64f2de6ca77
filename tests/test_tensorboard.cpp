// SPDX-License-Identifier: GPL-3.0-or-later
// TensorBoard logdirs: the PyTorch-written runs in shared/fixtures (values
// checked against an independent decode), and event files this test writes:
// TF2 tensor scalars of four dtypes with metadata on the first value only,
// hparams, images to skip, a bad checksum, a half-written tail, several files.
#include "tensorboard_logdir_reader.h"
#include "test_support.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace runlens;

namespace {

// A minimal protobuf writer, enough to make events.
struct Pb {
    QByteArray b;
    Pb& varint(uint64_t v)
    {
        while (v >= 0x80) {
            b.append(char(v | 0x80));
            v >>= 7;
        }
        b.append(char(v));
        return *this;
    }
    Pb& key(int field, int type) { return varint(uint64_t(field) << 3 | uint64_t(type)); }
    Pb& bytes(int field, const QByteArray& v)
    {
        key(field, 2).varint(uint64_t(v.size()));
        b.append(v);
        return *this;
    }
    Pb& f64(int field, double v)
    {
        key(field, 1);
        b.append(reinterpret_cast<const char*>(&v), 8);
        return *this;
    }
    Pb& f32(int field, float v)
    {
        key(field, 5);
        b.append(reinterpret_cast<const char*>(&v), 4);
        return *this;
    }
    Pb& u(int field, uint64_t v) { return key(field, 0).varint(v); }
};

QByteArray record(const QByteArray& data, bool corrupt = false)
{
    QByteArray r = frameRecord(data);
    if (corrupt)
        r[r.size() - 1] = char(r[r.size() - 1] ^ 1);   // the data checksum's last byte
    return r;
}

QByteArray makeEvent(int64_t step, double wall, const QByteArray& summaryValue)
{
    return Pb().f64(1, wall).u(2, uint64_t(step)).bytes(5, Pb().bytes(1, summaryValue).b).b;
}

QByteArray metadata(const char* plugin, const QByteArray& content = {})
{
    Pb pd;
    pd.bytes(1, plugin);
    if (!content.isEmpty())
        pd.bytes(2, content);
    return Pb().bytes(1, pd.b).b;
}

QByteArray simpleValue(const char* tag, float v) { return Pb().bytes(1, tag).f32(2, v).b; }

QByteArray tensorValue(const char* tag, int dtype, const QByteArray& content, bool withMeta)
{
    Pb v;
    v.bytes(1, tag);
    if (withMeta)
        v.bytes(9, metadata("scalars"));
    v.bytes(8, Pb().u(1, uint64_t(dtype)).bytes(4, content).b);
    return v.b;
}

template <class T>
QByteArray raw(T v)
{
    return QByteArray(reinterpret_cast<const char*>(&v), sizeof v);
}

// The hparams plugin's session_start_info as an event: each entry's value
// is a google.protobuf.Value, made with numberValue/stringValue/boolValue.
QByteArray hparamsEvent(const std::vector<std::pair<const char*, QByteArray>>& entries)
{
    Pb ssi;
    for (const auto& [key, value] : entries)
        ssi.bytes(1, Pb().bytes(1, key).bytes(2, value).b);
    const QByteArray content = Pb().bytes(3, ssi.b).b;
    return makeEvent(0, 1000.0, Pb().bytes(1, "_hparams_/session_start_info")
                                    .bytes(9, metadata("hparams", content))
                                    .bytes(8, Pb().u(1, 7).b).b);
}
QByteArray numberValue(double v) { return Pb().f64(2, v).b; }
QByteArray stringValue(const char* v) { return Pb().bytes(3, v).b; }
QByteArray boolValue(bool v) { return Pb().u(4, v ? 1 : 0).b; }

void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();
    // Older than a minute: not a live run.
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime));
}

} // namespace

class TestTensorboard : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void crcMatchesTheCastagnoliCheckValue()
    {
        const char* s = "123456789";
        QCOMPARE(crc32c(reinterpret_cast<const uint8_t*>(s), 9), 0xE3069283u);
    }

    // The eight-bytes-a-step CRCs against the definition, bit by bit: every
    // length around the 8-byte steps, at every alignment, whole and continued.
    void slicedCrcsMatchTheBitwiseDefinition()
    {
        auto bitwise = [](uint32_t poly, const uint8_t* p, size_t n, uint32_t crc) {
            uint32_t c = ~crc;
            for (size_t i = 0; i < n; ++i) {
                c ^= p[i];
                for (int k = 0; k < 8; ++k)
                    c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
            }
            return ~c;
        };
        std::vector<uint8_t> bytes(300);
        uint32_t x = 12345;
        for (auto& b : bytes)
            b = uint8_t((x = x * 1103515245u + 12345u) >> 24);
        for (size_t offset = 0; offset < 8; ++offset)
            for (size_t n = 0; n <= 80; ++n) {
                const uint8_t* p = bytes.data() + offset;
                QCOMPARE(crc32c(p, n), bitwise(0x82F63B78u, p, n, 0));
                QCOMPARE(crc32Ieee(p, n), bitwise(0xEDB88320u, p, n, 0));
                const size_t cut = n / 3;
                QCOMPARE(crc32Ieee(p + cut, n - cut, crc32Ieee(p, cut)), crc32Ieee(p, n));
                QCOMPARE(crc32c(p + cut, n - cut, crc32c(p, cut)), crc32c(p, n));
            }
        QCOMPARE(crc32c(bytes.data(), bytes.size()), bitwise(0x82F63B78u, bytes.data(), bytes.size(), 0));
    }

    void readsTheFixtureLogdirs()
    {
        const QString root = QStringLiteral(RUNLENS_SHARED_FIXTURES "/tensorboard");
        if (!QFileInfo::exists(root))
            QFAIL(test::kMissingFixtures);
        auto opened = openStore(root);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        QCOMPARE((*opened)->kind(), QStringLiteral("tensorboard"));
        auto runs = (*opened)->loadRuns();
        QVERIFY(runs);
        QVERIFY(runs->problems.isEmpty());
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 9);
        const int strict1 = t.findRun(QStringLiteral("strict/run_1"));
        QVERIFY(strict1 >= 0);
        const MetricColumn* foo = t.metric(QStringLiteral("strict/foo"));
        QCOMPARE(foo->count[size_t(strict1)], int64_t(100));
        QCOMPARE(foo->lastStep[size_t(strict1)], int64_t(495));
        QCOMPARE(foo->last[size_t(strict1)], double(1.212090253829956f));
        // Runs log different tags.
        const int lax3 = t.findRun(QStringLiteral("lax/run_3"));
        QVERIFY(!t.metric(QStringLiteral("lax/bar_1"))->has(lax3));
        QCOMPARE(t.metric(QStringLiteral("lax/bar_4"))->count[size_t(lax3)], int64_t(130));
        // Duplicate steps: 210 points over steps 0..199, the later one wins for "last".
        const int dup1 = t.findRun(QStringLiteral("duplicate_steps/run_1"));
        QCOMPARE(t.metric(QStringLiteral("dup_steps/foo"))->count[size_t(dup1)], int64_t(210));
        QCOMPARE(t.metric(QStringLiteral("dup_steps/foo"))->last[size_t(dup1)], 1.5478503704071045);
        auto s = (*opened)->loadSeries(t.id(strict1), QStringLiteral("strict/foo"));
        QVERIFY(s);
        QCOMPARE(s->size(), size_t(100));
        QCOMPARE(s->steps[1], int64_t(5));
        QCOMPARE(s->values[0], double(1.4962565898895264f));
        QCOMPARE(test::detailsDisagreeWithTable(**opened), QStringList());
    }

    void decodesTf2TensorsHparamsAndSkipsTheRest()
    {
        const QString logdir = dir_.filePath(QStringLiteral("tf2"));
        QByteArray first, second;
        first += record(Pb().f64(1, 1000.0).bytes(3, "brain.Event:2").b);   // file_version
        // hparams from the plugin: lr 0.01 (number), optimizer "adam", amp true.
        Pb hp;
        {
            auto entry = [](const char* k, const QByteArray& value) { return Pb().bytes(1, k).bytes(2, value).b; };
            Pb ssi;
            ssi.bytes(1, entry("lr", Pb().f64(2, 0.01).b));
            ssi.bytes(1, entry("optimizer", Pb().bytes(3, "adam").b));
            ssi.bytes(1, entry("amp", Pb().u(4, 1).b));
            hp.bytes(3, ssi.b);
        }
        first += record(makeEvent(0, 1000.0, Pb().bytes(1, "_hparams_/session_start_info")
                                              .bytes(9, metadata("hparams", hp.b))
                                              .bytes(8, Pb().u(1, 7).b).b));
        // Metadata on the first value only, as TF2 writes it.
        first += record(makeEvent(0, 1000.5, tensorValue("loss", 1, raw(1.5f), true)));
        first += record(makeEvent(1, 1001.0, tensorValue("loss", 1, raw(0.75f), false)));
        first += record(makeEvent(0, 1000.5, tensorValue("acc", 2, raw(0.25), true)));
        first += record(makeEvent(0, 1000.5, tensorValue("count", 3, raw(int32_t(-7)), true)));
        first += record(makeEvent(0, 1000.5, tensorValue("tokens", 9, raw(int64_t(1) << 40), true)));
        // An image summary: a tensor of another plugin, skipped quietly.
        first += record(makeEvent(0, 1000.5, Pb().bytes(1, "sample").bytes(9, metadata("images")).bytes(8, Pb().u(1, 7).b).b));
        // A record with a bad checksum: skipped and counted.
        first += record(makeEvent(2, 1002.0, tensorValue("loss", 1, raw(99.0f), false)), /*corrupt=*/true);
        writeFile(logdir + QStringLiteral("/run_a/events.out.tfevents.1000.host.1.0"), first);
        // A second file of the same run continues it; its last record is half written.
        second += record(makeEvent(3, 1003.0, tensorValue("loss", 1, raw(0.5f), false)));
        second += record(makeEvent(4, 1004.0, simpleValue("loss", 0.25f))).left(20);
        writeFile(logdir + QStringLiteral("/run_a/events.out.tfevents.1003.host.1.0"), second);
        // Another run with Lightning's hparams.yaml and a garbage file.
        writeFile(logdir + QStringLiteral("/run_b/events.out.tfevents.2000.host.2.0"),
                  record(makeEvent(0, 2000.0, simpleValue("loss", 2.0f))));
        writeFile(logdir + QStringLiteral("/run_b/hparams.yaml"), "lr: 0.1\nbatch_size: 64\n");
        writeFile(logdir + QStringLiteral("/run_c/events.out.tfevents.3000.host.3.0"), QByteArray(100, '\x42'));

        const auto before = test::fileHash(logdir + QStringLiteral("/run_a/events.out.tfevents.1000.host.1.0"));
        auto reader = TensorboardLogdirReader::open(logdir);
        QVERIFY(reader);
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QCOMPARE(t.rowCount(), 3);
        const int a = t.findRun(QStringLiteral("run_a"));
        const MetricColumn* loss = t.metric(QStringLiteral("loss"));
        QCOMPARE(loss->count[size_t(a)], int64_t(3));   // steps 0, 1, 3: the bad and the half-written skipped
        QCOMPARE(loss->last[size_t(a)], 0.5);
        QCOMPARE(loss->lastStep[size_t(a)], int64_t(3));
        QCOMPARE(t.metric(QStringLiteral("acc"))->last[size_t(a)], 0.25);
        QCOMPARE(t.metric(QStringLiteral("count"))->last[size_t(a)], -7.0);
        QCOMPARE(t.metric(QStringLiteral("tokens"))->last[size_t(a)], double(int64_t(1) << 40));
        QVERIFY(!t.metric(QStringLiteral("sample")));
        QCOMPARE(t.param(QStringLiteral("lr"))->number[size_t(a)], 0.01);
        QCOMPARE(t.param(QStringLiteral("optimizer"))->text[size_t(a)], QStringLiteral("adam"));
        QCOMPARE(t.param(QStringLiteral("amp"))->text[size_t(a)], QStringLiteral("true"));
        QCOMPARE(t.startTime(a), int64_t(1000000));
        const int b = t.findRun(QStringLiteral("run_b"));
        QCOMPARE(t.param(QStringLiteral("batch_size"))->number[size_t(b)], 64.0);
        const QString problems = runs->problems.join(QLatin1Char(' '));
        QVERIFY2(problems.contains(QStringLiteral("1 record(s) with a bad checksum")), qPrintable(problems));
        QVERIFY(problems.contains(QStringLiteral("half-written")));
        QVERIFY(problems.contains(QStringLiteral("1 record(s) or file(s) could not be decoded")));   // run_c
        auto s = (*reader)->loadSeries(QStringLiteral("run_a"), QStringLiteral("loss"));
        QVERIFY(s);
        QCOMPARE(s->steps, (std::vector<int64_t>{0, 1, 3}));
        QCOMPARE(s->wallTimes[2], 1003.0);
        QCOMPARE(test::fileHash(logdir + QStringLiteral("/run_a/events.out.tfevents.1000.host.1.0")), before);
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }

    void lightningHparamsOncePerKeyAndTyped()
    {
        // Lightning's TensorBoardLogger writes hparams twice: hparams.yaml
        // (nested maps, typed lists) and the hparams plugin, flattened with
        // '/' and lists turned into Python's text. Both showed, as strings.
        const QString logdir = dir_.filePath(QStringLiteral("lightning_tb"));
        QByteArray events = record(hparamsEvent({{"config/OutputCh", stringValue("[24, 24]")},
                                                 {"lr", numberValue(0.01)},
                                                 {"optimizer", stringValue("adam")},
                                                 {"extra/amp", boolValue(true)},
                                                 {"extra/wd", numberValue(0.5)}}));
        events += record(makeEvent(0, 1000.5, simpleValue("loss", 1.0f)));
        writeFile(logdir + QStringLiteral("/version_0/events.out.tfevents.1000.host.1.0"), events);
        writeFile(logdir + QStringLiteral("/version_0/hparams.yaml"),
                  "config:\n  OutputCh:\n  - 24\n  - 24\nlr: 0.001\noptimizer: adam\n");
        auto reader = openStore(logdir);
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("tensorboard"));
        const auto table = test::mustLoad(**reader);
        const auto d = (*reader)->loadDetails(QStringLiteral("version_0"));
        QVERIFY2(d, qPrintable(d ? QString() : d.error()));
        QStringList params;
        for (const auto& p : d->params)
            params << QStringLiteral("%1 %2 %3").arg(p.key, p.type, p.value);
        QCOMPARE(params, (QStringList{QStringLiteral("config.OutputCh json [24, 24]"),
                                      QStringLiteral("extra/amp bool true"),
                                      QStringLiteral("extra/wd float 0.5"),
                                      QStringLiteral("lr float 0.001"),   // hparams.yaml's, not the plugin's
                                      QStringLiteral("optimizer string adam")}));
        QVERIFY(!table->param(QStringLiteral("config/OutputCh")));
        QCOMPARE(table->param(QStringLiteral("lr"))->number[0], 0.001);
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }

    void csvLogsAndEventFilesInOneVersionFolderAreOneRun()
    {
        // Lightning with a CSVLogger and a TensorBoardLogger (sub_dir "tf")
        // writes one version folder; the test-tube logger writes its events
        // to version_N/tf beside metrics.csv and meta_tags.csv. Each showed
        // as "version_0/tf" beside nothing, its CSV columns and params lost.
        const QString logdir = dir_.filePath(QStringLiteral("both_loggers"));
        QByteArray tf = record(makeEvent(0, 1000.5, simpleValue("loss", 1.0f)));
        tf += record(makeEvent(1, 1001.0, simpleValue("loss", 0.5f)));
        tf += record(makeEvent(1, 1001.0, simpleValue("val_loss", 0.75f)));
        writeFile(logdir + QStringLiteral("/version_0/tf/events.out.tfevents.1000.host.1.0"), tf);
        writeFile(logdir + QStringLiteral("/version_0/metrics.csv"),
                  "epoch,step,loss,val_acc\n0,0,1.0,\n0,1,0.5,0.6\n");
        writeFile(logdir + QStringLiteral("/version_0/hparams.yaml"), "lr: 0.001\n");
        // Events beside metrics.csv.
        writeFile(logdir + QStringLiteral("/version_1/events.out.tfevents.1000.host.1.0"), tf);
        writeFile(logdir + QStringLiteral("/version_1/metrics.csv"), "step,loss,val_acc\n0,1.0,\n1,0.5,0.7\n");
        // test-tube.
        writeFile(logdir + QStringLiteral("/version_2/tf/events.out.tfevents.1000.host.1.0"), tf);
        writeFile(logdir + QStringLiteral("/version_2/metrics.csv"),
                  "loss,val_acc,created_at\n1.0,,2020-03-01 10:00:01\n0.5,0.8,2020-03-01 10:00:02\n");
        writeFile(logdir + QStringLiteral("/version_2/meta_tags.csv"), "key,value\nlr,0.01\n");
        auto reader = openStore(logdir);
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("tensorboard"));
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        const RunTable& t = *runs->table;
        QStringList ids;
        for (int r = 0; r < t.rowCount(); ++r)
            ids << t.id(r);
        ids.sort();
        QCOMPARE(ids, (QStringList{QStringLiteral("version_0"), QStringLiteral("version_1"), QStringLiteral("version_2")}));
        QVERIFY(t.metric(QStringLiteral("val_acc")) && t.metric(QStringLiteral("val_loss")) && t.param(QStringLiteral("lr")));
        for (const QString& id : ids) {
            const int r = t.findRun(id);
            QCOMPARE(t.metric(QStringLiteral("loss"))->count[size_t(r)], int64_t(2));   // the events', not twice
            QCOMPARE(t.metric(QStringLiteral("val_loss"))->count[size_t(r)], int64_t(1));
            QCOMPARE(t.metric(QStringLiteral("val_acc"))->count[size_t(r)], int64_t(1));   // the CSV's only
            QCOMPARE(t.startTime(r), int64_t(1000500));
        }
        QCOMPARE(t.param(QStringLiteral("lr"))->number[size_t(t.findRun(QStringLiteral("version_0")))], 0.001);
        QCOMPARE(t.param(QStringLiteral("lr"))->number[size_t(t.findRun(QStringLiteral("version_2")))], 0.01);
        auto s = (*reader)->loadSeries(QStringLiteral("version_0"), QStringLiteral("val_acc"));
        QVERIFY(s);
        QCOMPARE(s->steps, (std::vector<int64_t>{1}));
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }

    void aLiveRunIsRunningInItsDetailsToo()
    {
        // Written a moment ago: the table says running, and so must the
        // details (they once said finished, with an end time).
        const QString logdir = dir_.filePath(QStringLiteral("live"));
        const QString file = logdir + QStringLiteral("/run_live/events.out.tfevents.5000.host.5.0");
        writeFile(file, record(makeEvent(0, 5000.0, simpleValue("loss", 1.0f))));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(QDateTime::currentDateTime(), QFileDevice::FileModificationTime));
        }
        auto reader = openStore(logdir);
        QVERIFY(reader);
        const auto table = test::mustLoad(**reader);
        QCOMPARE(table->status(0), RunStatus::Running);
        const auto details = (*reader)->loadDetails(table->id(0));
        QVERIFY(details);
        QCOMPARE(details->status, RunStatus::Running);
        QCOMPARE(details->endTime, int64_t(-1));
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }

    void eventFilesAreDecodedRecordByRecord()
    {
        // Records across the decoder's 1 MiB pieces, and a record larger
        // than any scalar (100 MiB, a hole in a sparse file: no disk) passed
        // over unread, with the records after it still read.
        const QString logdir = dir_.filePath(QStringLiteral("pieces"));
        const QString file = logdir + QStringLiteral("/run/events.out.tfevents.1.host");
        QByteArray head;
        for (int i = 0; i < 50'000; ++i)
            head += record(makeEvent(i, 1000.0 + i, simpleValue("loss", float(i))));
        QVERIFY(head.size() > 2 * kReadPieceBytes);
        const uint64_t len = uint64_t(100) << 20;
        head.append(reinterpret_cast<const char*>(&len), 8);
        const uint32_t lenCrc = maskedCrc32c(reinterpret_cast<const uint8_t*>(&len), 8);
        head.append(reinterpret_cast<const char*>(&lenCrc), 4);
        QByteArray tail;
        for (int i = 50'000; i < 50'010; ++i)
            tail += record(makeEvent(i, 1000.0 + i, simpleValue("loss", float(i))));
        {
            QDir().mkpath(QFileInfo(file).path());
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(head), head.size());
            QVERIFY(f.resize(head.size() + qint64(len) + 4));   // the record's data and checksum: a hole
            QVERIFY(f.seek(f.size()));
            QCOMPARE(f.write(tail), tail.size());
            QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime));
        }
        auto reader = TensorboardLogdirReader::open(logdir);
        QVERIFY(reader);
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        QCOMPARE(runs->table->metric(QStringLiteral("loss"))->count[0], int64_t(50'010));
        const QString problems = runs->problems.join(QLatin1Char('\n'));
        QVERIFY2(runs->problems.size() == 1 && problems.contains(file) && problems.contains(QStringLiteral("1 record(s) over 64 MiB")),
                 qPrintable(problems));
        auto s = (*reader)->loadSeries(QStringLiteral("run"), QStringLiteral("loss"));
        QVERIFY(s);
        QCOMPARE(s->size(), size_t(50'010));
        for (size_t i = 0; i < s->size(); ++i)
            QCOMPARE(s->steps[i], int64_t(i));
        QCOMPARE(s->values.back(), 50'009.0);
    }

    void hostileBytesNeverCrash()
    {
        // Random and adversarial inputs: lengths past the end, deep garbage.
        QHash<QString, bool> tags;
        for (int seed = 0; seed < 200; ++seed) {
            QByteArray junk(64 + seed * 7, '\0');
            for (int i = 0; i < junk.size(); ++i)
                junk[i] = char((i * 131 + seed * 17) ^ (i >> 3));
            DecodedEvents ev;
            decodeEventFile(junk, ev, tags);
            size_t points = 0;
            for (const auto& series : std::as_const(ev.series))
                points += series.size();
            QVERIFY(points < 1000);
        }
        // A valid frame around garbage protobuf: counted as undecodable.
        DecodedEvents ev;
        decodeEventFile(record(QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11)), ev, tags);
        QCOMPARE(ev.records, 1);
        QCOMPARE(ev.undecodable, 1);
    }
};

QTEST_GUILESS_MAIN(TestTensorboard)
#include "test_tensorboard.moc"
