// SPDX-License-Identifier: GPL-3.0-or-later
// Weights & Biases run folders: a real datastore from W&B's own tests
// (tests/fixtures/wandb/NOTES.md), and folders this test writes with
// wandb_writer.h: runs, names, statuses, params and every point of the
// series against what was written; a datastore cut at every 4 KiB and with
// flipped bytes (a clean partial result); one growing while it is open.
#include "store_importer.h"
#include "test_support.h"
#include "wandb_folder_reader.h"
#include "wandb_records.h"
#include "wandb_writer.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QtTest>

#include <ctime>

#include <cmath>
#include <set>

using namespace runlens;
namespace wb = runlens::test::wandb;

namespace {

const QString kRealSample = QStringLiteral(RUNLENS_SOURCE_DIR "/tests/fixtures/wandb/wandb");

struct Point {
    int64_t step;
    double value;
    bool operator==(const Point&) const = default;
    bool operator<(const Point& o) const { return step < o.step || (step == o.step && value < o.value); }
};

// What a generated run logged, to check the reader against.
struct Written {
    std::vector<Point> loss, valAcc, cpu;
};

double lossAt(int64_t step, int seed) { return 2.0 / double(step + 1 + seed) + 0.001 * double(step % 7); }

// A datastore of one run as wandb writes it: run, config, `rows` history
// rows (loss; val/acc as a nested dict every 10th), stats every 25th row, a
// row holding a 40 KiB text (a record across blocks), the summary and,
// unless `exitCode` is empty, the exit record.
QByteArray makeRun(const QByteArray& id, const QByteArray& name, int rows, std::optional<int> exitCode, Written* written,
    int seed = 0)
{
    wb::LogWriter log;
    wb::Run run;
    run.id = id;
    run.name = name;
    run.project = "mnist";
    run.notes = "wider layers";
    run.group = "sweep-a";
    run.jobType = "train";
    run.host = "gpu-box";
    run.tags = {"baseline", "v2"};
    run.startSeconds = 1700000000.5;
    log.append(wb::runRecord(run));
    log.append(wb::configRecord({{"lr", "0.001"},
        {"epochs", "10"},
        {"model", R"({"depth": 4, "act": "relu"})"},
        {"layers", "[64, 32]"},
        {"amp", "true"},
        {"_wandb", R"({"cli_version": "0.17.0"})"}}));
    for (int i = 0; i < rows; ++i) {
        const double t = 1700000001.0 + i * 0.5;
        std::vector<std::pair<QByteArray, QByteArray>> items{{"loss", QByteArray::number(lossAt(i, seed), 'g', 17)}};
        if (written)
            written->loss.push_back({i, lossAt(i, seed)});
        if (i % 10 == 0) {
            items.emplace_back("val", QByteArray("{\"acc\": ") + QByteArray::number(0.5 + i * 0.001, 'g', 17) + "}");
            if (written)
                written->valAcc.push_back({i, 0.5 + i * 0.001});
        }
        if (i == rows / 2)
            items.emplace_back("samples", '"' + QByteArray(40 * 1024, 'x') + '"');   // text: no point, but 2 blocks
        log.append(wb::historyRecord(i, t, t - run.startSeconds, items));
        if (i % 25 == 0) {
            log.append(wb::statsRecord(t, {{"cpu", QByteArray::number(10 + i % 50)}}));
            if (written)
                written->cpu.push_back({int64_t(written->cpu.size()), double(10 + i % 50)});
        }
    }
    log.append(wb::summaryRecord({{"loss", QByteArray::number(lossAt(rows - 1, seed), 'g', 17)}, {"best_acc", "0.93"}}));
    if (exitCode)
        log.append(wb::exitRecord(*exitCode, 42));
    return log.bytes();
}

void setOld(const QString& file)
{
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime));
}

std::vector<Point> pointsOf(const MetricSeries& s)
{
    std::vector<Point> out;
    for (size_t i = 0; i < s.size(); ++i)
        out.push_back({s.steps[i], s.values[i]});
    return out;
}

} // namespace

class TestWandb : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    // wandb/ with a finished, a failed and a crashed run, and latest-run.
    QString sweep_;
    Written written_;

private slots:
    void initTestCase()
    {
        // Times without a zone are UTC: a machine in UTC would not tell a
        // reader that took them as local time.
        qputenv("TZ", "America/New_York");
        tzset();
        sweep_ = dir_.filePath(QStringLiteral("project/wandb"));
        const QString a = sweep_ + QStringLiteral("/run-20240101_120000-aaaa1111/run-aaaa1111.wandb");
        const QString b = sweep_ + QStringLiteral("/run-20240101_130000-bbbb2222/run-bbbb2222.wandb");
        const QString c = sweep_ + QStringLiteral("/offline-run-20240101_140000-cccc3333/run-cccc3333.wandb");
        test::writeFile(a, makeRun("aaaa1111", "brisk-sun-1", 300, 0, &written_));
        test::writeFile(b, makeRun("bbbb2222", "calm-sea-2", 50, 1, nullptr, 1));
        test::writeFile(c, makeRun("cccc3333", "dark-sky-3", 20, std::nullopt, nullptr, 2));
        test::writeFile(sweep_ + QStringLiteral("/run-20240101_120000-aaaa1111/files/wandb-metadata.json"),
            "{\"os\": \"Linux-6.1\", \"python\": \"3.11.4\", \"program\": \"train.py\", \"args\": [\"--lr\", \"0.001\"],"
            " \"git\": {\"remote\": \"https://example.org/r.git\", \"commit\": \"abc123\"}}");
        for (const auto& f : {a, b, c})
            setOld(f);
        QVERIFY(QFile::link(QFileInfo(a).absolutePath(), sweep_ + QStringLiteral("/latest-run")));
    }

    // Nested keys and a row's step given as an item: the rows most writers
    // do not make, decoded in full beside the plain keys' fast path.
    void nestedKeysAndStepItemsOfAHistoryRow()
    {
        wb::LogWriter log;
        log.append(wb::historyRecordOf({wb::nestedItem({"train", "loss"}, "0.5"), wb::item("acc", "0.25"),
            wb::nestedItem({"_step"}, "7")}));
        log.append(wb::historyRecordOf({wb::nestedItem({"train", "loss"}, "0.375"), wb::item("acc", "0.5"),
            wb::item("_step", "9"), wb::item("", R"({"a": 2})")}));
        WandbLog out;
        decodeWandbBytes(log.bytes(), out);
        QCOMPARE(out.historyRows, int64_t(2));
        const MetricSeries loss = out.series.value(QStringLiteral("train/loss"));
        QCOMPARE(loss.steps, (std::vector<int64_t>{7, 9}));
        QCOMPARE(loss.values, (std::vector<double>{0.5, 0.375}));
        QCOMPARE(out.series.value(QStringLiteral("acc")).steps, (std::vector<int64_t>{7, 9}));
        QCOMPARE(out.series.value(QStringLiteral("/a")).values, (std::vector<double>{2}));   // a key-less dict, as before
        QVERIFY(!out.series.contains(QStringLiteral("_step")));
    }

    void crcIsZlibs()
    {
        // The check value of CRC-32/IEEE ("123456789"), as zlib.crc32 gives.
        QCOMPARE(crc32Ieee(reinterpret_cast<const uint8_t*>("123456789"), 9), 0xCBF43926u);
    }

    void readsWandbsOwnSampleRun()
    {
        auto reader = openStore(kRealSample);
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("wandb"));
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        QVERIFY2(runs->problems.isEmpty(), qPrintable(runs->problems.join(QLatin1Char('\n'))));
        const auto& t = *runs->table;
        QCOMPARE(t.rowCount(), 1);
        QCOMPARE(t.name(0), QStringLiteral("g9dvvkua"));
        QCOMPARE(t.experiment(0), QStringLiteral("code-toad"));
        QCOMPARE(t.status(0), RunStatus::Finished);   // an exit record, code 0
        // Its run record's start_time (whole seconds; wandb-metadata.json
        // says 23:44:07.003488 UTC, the same second).
        QCOMPARE(t.startTime(0), int64_t(1613519047000));
        // Its exit record gives no runtime: it ended at its last stats sample, seconds later.
        QVERIFY2(t.endTime(0) >= t.startTime(0) + 1000 && t.endTime(0) < t.startTime(0) + 60'000,
            qPrintable(QString::number(t.endTime(0) - t.startTime(0))));
        QVERIFY(t.params().empty());   // its config is W&B's own (_wandb) only
        // Its one stats record (cpu 24.3, memory 49.55, network as a dict).
        auto cpu = (*reader)->loadSeries(t.id(0), QStringLiteral("system/cpu"));
        QVERIFY(cpu);
        QCOMPARE(cpu->values, std::vector<double>{24.3});
        QCOMPARE((*reader)->loadSeries(t.id(0), QStringLiteral("system/memory"))->values, std::vector<double>{49.55});
        QCOMPARE((*reader)->loadSeries(t.id(0), QStringLiteral("system/network/sent"))->values.size(), size_t(1));
        auto d = (*reader)->loadDetails(t.id(0));
        QVERIFY(d);
        QCOMPARE(d->git.commit, QStringLiteral("86db7dc9144c87a4b41cad77a0dae2e55288b587"));
        QCOMPARE(d->git.remote, QStringLiteral("git@github.com:wandb/client.git"));
        QVERIFY(d->git.dirty && d->git.diff.startsWith(QStringLiteral("diff --git")));
        QVERIFY(std::find(d->environment.begin(), d->environment.end(),
                    std::pair{QStringLiteral("python"), QStringLiteral("3.7.5")}) != d->environment.end());
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }

    void readsRunsNamesStatusesParamsAndEveryPoint()
    {
        auto reader = openStore(sweep_);
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("wandb"));
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        QVERIFY2(runs->problems.isEmpty(), qPrintable(runs->problems.join(QLatin1Char('\n'))));
        const auto& t = *runs->table;
        QCOMPARE(t.rowCount(), 3);   // latest-run is not a fourth
        const int a = t.findRun(QStringLiteral("brisk-sun-1")), b = t.findRun(QStringLiteral("calm-sea-2")),
                  c = t.findRun(QStringLiteral("dark-sky-3"));
        QVERIFY(a >= 0 && b >= 0 && c >= 0);
        QCOMPARE(t.id(a), QStringLiteral("run-20240101_120000-aaaa1111"));
        QCOMPARE(t.status(a), RunStatus::Finished);
        QCOMPARE(t.status(b), RunStatus::Failed);
        QCOMPARE(t.status(c), RunStatus::Crashed);   // no exit record, not written for an hour
        QCOMPARE(t.experiment(a), QStringLiteral("mnist"));
        QCOMPARE(t.startTime(a), int64_t(1700000000500));
        QCOMPARE(t.endTime(a), int64_t(1700000000500 + 42'000));
        QCOMPARE(t.tag(QStringLiteral("wandb.tags"))->text[size_t(a)], QStringLiteral("baseline, v2"));
        QCOMPARE(t.tag(QStringLiteral("wandb.group"))->text[size_t(a)], QStringLiteral("sweep-a"));
        QCOMPARE(t.tag(QStringLiteral("wandb.job_type"))->text[size_t(a)], QStringLiteral("train"));
        // Config: typed, nested keys dotted, lists whole, W&B's own left out.
        QCOMPARE(t.param(QStringLiteral("lr"))->text[size_t(a)], QStringLiteral("0.001"));
        QCOMPARE(t.param(QStringLiteral("lr"))->number[size_t(a)], 0.001);
        QCOMPARE(t.param(QStringLiteral("epochs"))->number[size_t(a)], 10.0);
        QCOMPARE(t.param(QStringLiteral("model.depth"))->number[size_t(a)], 4.0);
        QCOMPARE(t.param(QStringLiteral("model.act"))->text[size_t(a)], QStringLiteral("relu"));
        QCOMPARE(t.param(QStringLiteral("layers"))->text[size_t(a)], QStringLiteral("[64,32]"));
        QCOMPARE(t.param(QStringLiteral("amp"))->number[size_t(a)], 1.0);
        QVERIFY(!t.param(QStringLiteral("_wandb.cli_version")) && !t.param(QStringLiteral("_wandb")));
        // Metrics: history, nested dicts with '/', stats, a summary-only value.
        QCOMPARE(t.metric(QStringLiteral("loss"))->count[size_t(a)], int64_t(300));
        QCOMPARE(t.metric(QStringLiteral("val/acc"))->count[size_t(a)], int64_t(30));
        QCOMPARE(t.metric(QStringLiteral("best_acc"))->last[size_t(a)], 0.93);
        QVERIFY(!t.metric(QStringLiteral("_runtime")) && !t.metric(QStringLiteral("samples")));

        const QString id = t.id(a);
        QCOMPARE(pointsOf(*(*reader)->loadSeries(id, QStringLiteral("loss"))), written_.loss);
        QCOMPARE(pointsOf(*(*reader)->loadSeries(id, QStringLiteral("val/acc"))), written_.valAcc);
        QCOMPARE(pointsOf(*(*reader)->loadSeries(id, QStringLiteral("system/cpu"))), written_.cpu);
        auto loss = (*reader)->loadSeries(id, QStringLiteral("loss"));
        QCOMPARE(loss->wallTimes[10], 1700000006.0);

        auto d = (*reader)->loadDetails(id);
        QVERIFY(d);
        QCOMPARE(d->name, QStringLiteral("brisk-sun-1"));
        QCOMPARE(d->notes, QStringLiteral("wider layers"));
        QCOMPARE(d->host, QStringLiteral("gpu-box"));
        QCOMPARE(d->git.commit, QStringLiteral("abc123"));
        QVERIFY(!d->git.dirtyRecorded);
        QVERIFY(std::find(d->environment.begin(), d->environment.end(),
                    std::pair{QStringLiteral("args"), QStringLiteral("--lr 0.001")}) != d->environment.end());
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }

    void aDatastoreCutAtEvery4KiBReadsItsWholeRecords()
    {
        Written w;
        const QByteArray whole = makeRun("cut00001", "cut", 1200, 0, &w);
        QVERIFY(whole.size() > 3 * 32768);
        const std::set<Point> truth(w.loss.begin(), w.loss.end());
        size_t previous = 0;
        for (qsizetype cut = 0; cut <= whole.size(); cut += 4096) {
            WandbLog log;
            decodeWandbBytes(whole.left(cut), log);
            const auto got = pointsOf(log.series.value(QStringLiteral("loss")));
            // A prefix of what was written, in order, growing with the cut.
            QVERIFY2(got.size() >= previous, qPrintable(QString::number(cut)));
            QVERIFY(std::equal(got.begin(), got.end(), w.loss.begin()));
            QCOMPARE(log.badChunks, 0);
            QCOMPARE(log.undecodable, 0);
            QVERIFY(cut == whole.size() || !log.exitCode);
            previous = got.size();
        }
        WandbLog all;
        decodeWandbBytes(whole, all);
        QCOMPARE(pointsOf(all.series.value(QStringLiteral("loss"))), w.loss);
        QVERIFY(!all.truncatedTail);

        // Through the reader: a run cut short loads what it has and says so.
        const QString folder = dir_.filePath(QStringLiteral("cut/wandb/run-20240101_000000-cut00001"));
        const QString file = folder + QStringLiteral("/run-cut00001.wandb");
        test::writeFile(file, whole.left(whole.size() / 2 + 1));
        setOld(file);
        auto reader = openStore(QFileInfo(folder).absolutePath());
        QVERIFY(reader);
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        QCOMPARE(runs->table->rowCount(), 1);
        QCOMPARE(runs->table->status(0), RunStatus::Crashed);
        QVERIFY(runs->table->metric(QStringLiteral("loss"))->count[0] > 100);
        QVERIFY2(runs->problems.join(QLatin1Char('\n')).contains(QStringLiteral("ends inside a record")),
            qPrintable(runs->problems.join(QLatin1Char('\n'))));
    }

    void flippedBytesGiveOnlyTruePointsAndSaySo()
    {
        Written w;
        const QByteArray whole = makeRun("flip0001", "flip", 200, 0, &w);
        const std::set<Point> truth(w.loss.begin(), w.loss.end());
        int reported = 0, flips = 0;
        for (qsizetype at = 7; at < whole.size(); at += 97) {
            if (32768 - at % 32768 < 7)
                continue;   // a block's zero trailer, which carries nothing to damage
            QByteArray bytes = whole;
            bytes[at] = char(bytes[at] ^ 0x5a);
            WandbLog log;
            decodeWandbBytes(bytes, log);
            for (const auto& p : pointsOf(log.series.value(QStringLiteral("loss"))))
                QVERIFY2(truth.count(p), qPrintable(QStringLiteral("flip at %1 gave step %2 value %3").arg(at).arg(p.step).arg(p.value)));
            ++flips;
            if (log.badChunks > 0 || log.undecodable > 0 || log.truncatedTail)
                ++reported;
        }
        // Every other byte is in a checksummed chunk: each flip is caught.
        QCOMPARE(reported, flips);
        // The header flipped: not a datastore at all.
        QByteArray bad = whole;
        bad[1] = 'X';
        WandbLog log;
        decodeWandbBytes(bad, log);
        QVERIFY(!log.header && log.series.isEmpty());
    }

    void aGrowingDatastoreShowsNewRowsAfterRefresh()
    {
        const QString root = dir_.filePath(QStringLiteral("live/wandb"));
        const QString file = root + QStringLiteral("/run-20240101_000000-live0001/run-live0001.wandb");
        const QByteArray whole = makeRun("live0001", "live", 120, 0, nullptr);
        // The writer is half way through: the first 40 KiB, ending mid-chunk.
        test::writeFile(file, whole.left(40 * 1024 + 3));
        auto reader = openStore(root);
        QVERIFY(reader);
        auto first = (*reader)->loadRuns();
        QVERIFY(first);
        QCOMPARE(first->table->status(0), RunStatus::Running);
        QVERIFY2(first->problems.isEmpty(), qPrintable(first->problems.join(QLatin1Char('\n'))));   // a live tail is no problem
        const int64_t before = first->table->metric(QStringLiteral("loss"))->count[0];
        QVERIFY(before > 0 && before < 120);
        const QString stamp = (*reader)->changeStamp();
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::Append));
            QCOMPARE(f.write(whole.mid(40 * 1024 + 3)), whole.size() - (40 * 1024 + 3));
        }
        QVERIFY((*reader)->changeStamp() != stamp);
        auto second = (*reader)->loadRuns();
        QVERIFY(second);
        QCOMPARE(second->table->metric(QStringLiteral("loss"))->count[0], int64_t(120));
        QCOMPARE(second->table->status(0), RunStatus::Finished);
    }

    void mediaBesideTheRunAreItsArtifacts()
    {
        // wandb.log({"val/samples": wandb.Image(...)}) at steps 10 and 20, and a wandb.Table.
        const QString run = sweep_ + QStringLiteral("/run-20240101_120000-aaaa1111/files/media");
        test::writeFile(run + QStringLiteral("/images/val/samples_10_0123456789abcdef0123.png"), "\x89PNG\r\n\x1a\nten");
        test::writeFile(run + QStringLiteral("/images/val/samples_20_fedcba9876543210fedc.png"), "\x89PNG\r\n\x1a\ntwenty");
        test::writeFile(run + QStringLiteral("/images/my_key_5_aaaaaaaaaaaaaaaaaaaa.jpg"), "\xff\xd8\xff");
        test::writeFile(run + QStringLiteral("/table/preds_30_bbbbbbbbbbbbbbbbbbbb.table.json"),
            "{\"_type\": \"table\", \"columns\": [\"id\", \"label\"], \"data\": [[1, \"cat\"]]}");
        auto reader = openStore(sweep_);
        QVERIFY(reader);
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        const int row = runs->table->findRun(QStringLiteral("brisk-sun-1"));
        QVERIFY(row >= 0);
        auto listed = (*reader)->loadArtifacts(runs->table->id(row));
        QVERIFY(listed);
        QStringList seen;
        for (const auto& item : listed->items)
            seen << QStringLiteral("%1@%2:%3").arg(item.path).arg(item.step).arg(artifactKindText(item.kind));
        QCOMPARE(seen, (QStringList{QStringLiteral("my_key@5:image"), QStringLiteral("preds@30:table"),
                           QStringLiteral("val/samples@10:image"), QStringLiteral("val/samples@20:image")}));
        const auto& twenty = listed->items.back();
        QCOMPARE((*reader)->loadArtifactBytes(listed->root, twenty, 1000).value(), QByteArray("\x89PNG\r\n\x1a\ntwenty"));
        QDir(run).removeRecursively();
    }

    void importsIntoARunlensStore()
    {
        auto source = openStore(sweep_);
        QVERIFY(source);
        const QString dest = dir_.filePath(QStringLiteral("imported.db"));
        auto imported = importStore(**source, dest);
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error()));
        QCOMPARE(imported->imported, 3);
        auto reader = test::mustOpen(dest);
        auto table = test::mustLoad(*reader);
        const int row = table->findRun(QStringLiteral("brisk-sun-1"));
        QVERIFY(row >= 0);
        QCOMPARE(table->tag(QStringLiteral("runlens.import.kind"))->text[size_t(row)], QStringLiteral("wandb"));
        QCOMPARE(pointsOf(*reader->loadSeries(table->id(row), QStringLiteral("loss"))), written_.loss);
    }
};

QTEST_GUILESS_MAIN(TestWandb)
#include "test_wandb.moc"
