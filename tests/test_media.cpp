// SPDX-License-Identifier: GPL-3.0-or-later
// Media a run logs (runlens/media.h) read back as the Artifacts tab and the
// CLI read them: encoded images byte for byte, raw pixels as the same
// pixels, tables, text and confusion matrices; a picture logged twice
// stored once; refusals with a message (not an image, too large, a shape
// that does not match its buffer); an older store without the media tables
// reads as before; a run logging media after the store was opened shows
// them on the next read. Artifact folders: MLflow's step images and model
// folders; paths that climb out of the folder are refused.
#include "artifact_files.h"
#include "mlflow_file_store_reader.h"
#include "store_importer.h"
#include "store_run_editor.h"
#include "tensorboard_events.h"
#include "tensorboard_logdir_reader.h"
#include "runlens/media.h"
#include "runlens/runlens.h"
#include "runlens/sqlite_db.h"
#include "image_test_support.h"
#include "test_support.h"

#include <sys/stat.h>

#include <QBuffer>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
using namespace runlens::test;

namespace {

template <class T> QString whyNot(const Result<T>& r)
{
    return r ? QString() : r.error();
}


QImage gradient(int w, int h, int seed)
{
    QImage img(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            img.setPixelColor(x, y, QColor((x * 7 + seed) % 256, (y * 5 + seed) % 256, (x + y + seed) % 256));
    return img;
}

const ArtifactItem* find(const RunArtifacts& a, const QString& path, int64_t step = 0)
{
    for (const auto& item : a.items)
        if (item.path == path && item.step == step)
            return &item;
    return nullptr;
}

int64_t count(const QString& store, const char* sql)
{
    SqliteDb db(store.toStdString(), SqliteDb::Mode::ReadOnlyForeign);
    auto st = db.prepare(sql);
    st.step();
    return st.int64(0);
}

} // namespace

class TestMedia : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void encodedImagesReadBackByteForByte()
    {
        const QString store = dir_.filePath(QStringLiteral("encoded.db"));
        const QByteArray png = pngBytes(gradient(64, 48, 1));
        QImage jpegSource = gradient(40, 30, 2);
        QByteArray jpeg;
        {
            QBuffer b(&jpeg);
            b.open(QIODevice::WriteOnly);
            jpegSource.save(&b, "JPEG");
        }
        auto run = Run::start(store.toStdString(), testRun("images"));
        QVERIFY(run.logImage("samples/val", bytesOf(png), 0, "epoch 0"));
        QVERIFY(run.logImage("samples/val", bytesOf(jpeg), 10));
        QVERIFY(run.logImage("cover", bytesOf(png)));
        QVERIFY(run.finish());

        auto reader = mustOpen(store);
        auto a = reader->loadArtifacts(QString::fromStdString(run.id()));
        QVERIFY2(a, qPrintable(whyNot(a)));
        const auto* first = find(*a, QStringLiteral("samples/val"), 0);
        const auto* later = find(*a, QStringLiteral("samples/val"), 10);
        const auto* cover = find(*a, QStringLiteral("cover"));
        QVERIFY(first && later && cover);
        QCOMPARE(first->kind, ArtifactKind::Image);
        QCOMPARE(first->format, QStringLiteral("png"));
        QCOMPARE(later->format, QStringLiteral("jpeg"));
        QVERIFY(first->stepped && later->stepped && !cover->stepped);
        QCOMPARE(first->caption, QStringLiteral("epoch 0"));
        QCOMPARE(first->width, 64);
        QCOMPARE(first->height, 48);
        QVERIFY(first->inStore());
        const auto firstBytes = reader->loadArtifactBytes(a->root, *first, 1 << 20);
        QVERIFY2(firstBytes, qPrintable(whyNot(firstBytes)));
        QCOMPARE(*firstBytes, png);
        const auto laterBytes = reader->loadArtifactBytes(a->root, *later, 1 << 20);
        QVERIFY2(laterBytes, qPrintable(whyNot(laterBytes)));
        QCOMPARE(*laterBytes, jpeg);
        // The same picture twice is one blob.
        QCOMPARE(first->sha256, cover->sha256);
        QCOMPARE(count(store, "SELECT count(*) FROM media_blobs"), 2);
        // Above the caller's limit: refused with the size, not read.
        auto capped = reader->loadArtifactBytes(a->root, *first, 100);
        QVERIFY(!capped);
        QVERIFY2(capped.error().contains(QStringLiteral("above")), qPrintable(capped.error()));
    }

    void pixelsAreEncodedOnTheWriterAndReadBackAsTheSamePixels()
    {
        const QString store = dir_.filePath(QStringLiteral("pixels.db"));
        const int w = 33, h = 17; // odd sizes: no row padding assumed
        std::vector<uint8_t> rgb(size_t(w * h * 3)), grey(size_t(w * h)), rgba(size_t(w * h * 4));
        for (size_t i = 0; i < rgb.size(); ++i)
            rgb[i] = uint8_t(i * 31 % 251);
        for (size_t i = 0; i < grey.size(); ++i)
            grey[i] = uint8_t(i % 256);
        for (size_t i = 0; i < rgba.size(); ++i)
            rgba[i] = uint8_t((i * 13) % 256);
        auto run = Run::start(store.toStdString(), testRun("pixels"));
        QVERIFY(run.logImagePixels("rgb", {w, h, 3, 0, rgb}, 1));
        QVERIFY(run.logImagePixels("grey", {w, h, 1, 0, grey}, 1));
        QVERIFY(run.logImagePixels("rgba", {w, h, 4, 0, rgba}, 1));
        // Rows with padding between them, as a cropped buffer has.
        std::vector<uint8_t> strided(size_t((w * 3 + 5) * h));
        for (int y = 0; y < h; ++y)
            std::copy_n(rgb.data() + y * w * 3, w * 3, strided.data() + y * (w * 3 + 5));
        QVERIFY(run.logImagePixels("strided", {w, h, 3, size_t(w * 3 + 5), strided}, 1));
        QVERIFY(run.finish());

        auto reader = mustOpen(store);
        auto a = reader->loadArtifacts(QString::fromStdString(run.id()));
        QVERIFY(a);
        for (const auto* key : {"rgb", "strided"}) {
            const auto* item = find(*a, QString::fromLatin1(key), 1);
            QVERIFY(item);
            QCOMPARE(item->format, QStringLiteral("png"));
            const QImage img = QImage::fromData(reader->loadArtifactBytes(a->root, *item, 1 << 20).value())
                                   .convertToFormat(QImage::Format_RGB888);
            QCOMPARE(img.size(), QSize(w, h));
            for (int y = 0; y < h; ++y)
                QVERIFY(std::equal(rgb.begin() + y * w * 3, rgb.begin() + (y + 1) * w * 3, img.constScanLine(y)));
        }
        const QImage g = QImage::fromData(reader->loadArtifactBytes(a->root, *find(*a, QStringLiteral("grey"), 1), 1 << 20).value())
                             .convertToFormat(QImage::Format_Grayscale8);
        QCOMPARE(g.pixelColor(5, 3).red(), int(grey[size_t(3 * w + 5)]));
        const QImage c4 = QImage::fromData(reader->loadArtifactBytes(a->root, *find(*a, QStringLiteral("rgba"), 1), 1 << 20).value());
        QVERIFY(c4.hasAlphaChannel());
        QCOMPARE(c4.convertToFormat(QImage::Format_RGBA8888).constScanLine(2)[7], rgba[size_t(2 * w * 4 + 7)]);
        // The same pixels under two keys: one blob.
        QCOMPARE(find(*a, QStringLiteral("rgb"), 1)->sha256, find(*a, QStringLiteral("strided"), 1)->sha256);
    }

    void refusalsSayWhyAndKeepTheRunGoing()
    {
        const QString store = dir_.filePath(QStringLiteral("refusals.db"));
        auto run = Run::start(store.toStdString(), testRun("refusals"));
        const QByteArray notAnImage("hello, this is text");
        QVERIFY(!run.logImage("bad", bytesOf(notAnImage)));
        QVERIFY2(QString::fromStdString(run.lastError()).contains(QStringLiteral("not a PNG")),
            run.lastError().c_str());
        std::vector<uint8_t> small(10);
        QVERIFY(!run.logImagePixels("short", {4, 4, 3, 0, small}));
        QVERIFY2(QString::fromStdString(run.lastError()).contains(QStringLiteral("needs 48")), run.lastError().c_str());
        QVERIFY(!run.logImagePixels("channels", {2, 2, 5, 0, small}));
        QVERIFY(!run.logImagePixels("huge", {kMaxImageSide + 1, 1, 1, 0, small}));
        // A PNG header claiming 30000 x 30000 pixels: refused before anything is decoded.
        QImage tiny(1, 1, QImage::Format_RGB888);
        tiny.fill(Qt::red);
        QByteArray liar = pngBytes(tiny);
        forgePngSize(liar, 30000);
        QVERIFY(!run.logImage("liar", bytesOf(liar)));
        QVERIFY2(QString::fromStdString(run.lastError()).contains(QStringLiteral("30000 x 30000")), run.lastError().c_str());
        // Too large a table: refused, with the cap named.
        const std::string big(kMaxMediaBytes + 1, 'x');
        QVERIFY(!run.logText("big", big));
        QVERIFY2(QString::fromStdString(run.lastError()).contains(QStringLiteral("MB")), run.lastError().c_str());
        // A mismatched confusion matrix.
        const std::vector<std::string> labels{"a", "b"};
        const std::vector<int64_t> three{1, 2, 3};
        QVERIFY(!run.logConfusionMatrix("cm", labels, three));
        // The run goes on and keeps what was fine.
        QVERIFY(run.logText("fine", "still logging"));
        QVERIFY(run.finish());
        auto reader = mustOpen(store);
        auto a = reader->loadArtifacts(QString::fromStdString(run.id()));
        QVERIFY(a);
        QCOMPARE(int(a->items.size()), 1);
        QCOMPARE(a->items.front().path, QStringLiteral("fine"));
    }

    void tablesTextAndConfusionMatrices()
    {
        const QString store = dir_.filePath(QStringLiteral("tables.db"));
        auto run = Run::start(store.toStdString(), testRun("tables"));
        const std::string csv = "feature,importance\n\"petal, width\",0.42\nsepal,0.1\n";
        QVERIFY(run.logTable("importance", csv));
        QVERIFY(run.logText("config.yaml", "lr: 0.1\n", {}, "yaml"));
        const std::vector<std::string> labels{"cat", "dog, big"};
        const std::vector<int64_t> counts{5, 1, 2, 7};
        QVERIFY(run.logConfusionMatrix("val/confusion", labels, counts, 3));
        // Logged again at the same step: replaces.
        QVERIFY(run.logText("notes", "first", 1));
        QVERIFY(run.logText("notes", "second", 1));
        QVERIFY(run.finish());
        auto reader = mustOpen(store);
        auto a = reader->loadArtifacts(QString::fromStdString(run.id()));
        QVERIFY(a);
        const auto* table = find(*a, QStringLiteral("importance"));
        const auto* text = find(*a, QStringLiteral("config.yaml"));
        const auto* cm = find(*a, QStringLiteral("val/confusion"), 3);
        const auto* notes = find(*a, QStringLiteral("notes"), 1);
        QVERIFY(table && text && cm && notes);
        QCOMPARE(table->kind, ArtifactKind::Table);
        QCOMPARE(reader->loadArtifactBytes(a->root, *table, 1 << 20).value().toStdString(), csv);
        QCOMPARE(text->kind, ArtifactKind::Text);
        QCOMPARE(text->format, QStringLiteral("yaml"));
        QCOMPARE(cm->kind, ArtifactKind::ConfusionMatrix);
        QCOMPARE(reader->loadArtifactBytes(a->root, *cm, 1 << 20).value(),
            QByteArray(",cat,\"dog, big\"\ncat,5,1\n\"dog, big\",2,7\n"));
        QCOMPARE(reader->loadArtifactBytes(a->root, *notes, 1 << 20).value(), QByteArray("second"));
    }

    void mediaLoggedAfterTheStoreWasOpenedShowOnTheNextRead()
    {
        // The app opens a store whose runs logged no media yet (no tables),
        // then a run logs its first image: the next read finds it.
        const QString store = dir_.filePath(QStringLiteral("later.db"));
        Run::start(store.toStdString(), testRun("before")).finish();
        auto reader = mustOpen(store);
        auto run = Run::start(store.toStdString(), testRun("after"));
        const QString id = QString::fromStdString(run.id());
        auto before = reader->loadArtifacts(id);
        QVERIFY2(before, qPrintable(whyNot(before)));
        QVERIFY(before->items.empty());
        QVERIFY(run.logImage("late", bytesOf(pngBytes(gradient(8, 8, 3))), 0));
        QVERIFY(run.flush());
        auto after = reader->loadArtifacts(id);
        QVERIFY(after);
        QCOMPARE(int(after->items.size()), 1);
        QVERIFY(reader->loadArtifactBytes(after->root, after->items.front(), 1 << 20));
        run.finish();
    }

    void emptyingTheTrashGivesTheirPicturesBack()
    {
        // Two runs share a picture (one blob); a third has its own. Deleting
        // the third deletes its blob; the shared one stays until both go.
        const QString store = dir_.filePath(QStringLiteral("trash.db"));
        const QByteArray shared = pngBytes(gradient(32, 32, 7)), own = pngBytes(gradient(32, 32, 8));
        std::vector<std::string> ids;
        for (int r = 0; r < 3; ++r) {
            auto run = Run::start(store.toStdString(), testRun("trash-" + std::to_string(r)));
            QVERIFY(run.logImage("sample", bytesOf(r < 2 ? shared : own)));
            QVERIFY(run.finish());
            ids.push_back(run.id());
        }
        QCOMPARE(count(store, "SELECT count(*) FROM media_blobs"), 2);
        const auto trash = [&](std::initializer_list<int> which) {
            SqliteDb db(store.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            for (int r : which)
                db.prepare("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES(?, ?, ?)")
                    .bind(1, ids[size_t(r)])
                    .bind(2, kTrashedTag.toStdString())
                    .bind(3, "2026-12-02T00:00:00Z")
                    .run();
        };
        trash({2});
        QCOMPARE(StoreRunEditor::emptyTrash(store, false, QStringLiteral("test")).value(), 1);
        QCOMPARE(count(store, "SELECT count(*) FROM media_blobs"), 1);
        trash({0});
        QCOMPARE(StoreRunEditor::emptyTrash(store, false, QStringLiteral("test")).value(), 1);
        QCOMPARE(count(store, "SELECT count(*) FROM media_blobs"), 1); // run 1 still shows it
        trash({1});
        QCOMPARE(StoreRunEditor::emptyTrash(store, true, QStringLiteral("test")).value(), 1);
        QCOMPARE(count(store, "SELECT count(*) FROM media_blobs"), 0);
    }

    void anOlderStoreWithoutMediaTablesIsLeftAlone()
    {
        const QString store = dir_.filePath(QStringLiteral("older.db"));
        auto run = Run::start(store.toStdString(), testRun("older"));
        run.logMetric("loss", 1.0, 0);
        QVERIFY(run.finish());
        QFile::remove(store + QStringLiteral("-wal"));
        const QByteArray hash = fileHash(store);
        auto reader = mustOpen(store);
        auto a = reader->loadArtifacts(QString::fromStdString(run.id()));
        QVERIFY(a);
        QVERIFY(a->items.empty());
        ArtifactItem blob;
        blob.path = QStringLiteral("x");
        blob.sha256 = QStringLiteral("00");
        QVERIFY(!reader->loadArtifactBytes(a->root, blob, 100));
        reader.reset();
        QCOMPARE(fileHash(store), hash);
    }

    void artifactFilesBesideOurStoreAreReadFromBesideIt()
    {
        // A store mailed with its .artifacts folder to another machine: the
        // recorded URI names the first machine; the folder beside the store serves.
        QTemporaryDir here;
        const QString store = here.filePath(QStringLiteral("runs.db"));
        const QString src = here.filePath(QStringLiteral("roc.png"));
        writeFile(src, pngBytes(gradient(10, 10, 4)));
        auto run = Run::start(store.toStdString(), testRun("files"));
        QVERIFY(run.logArtifact(src.toStdString(), "plots"));
        QVERIFY(run.finish());
        QTemporaryDir there;
        const QString moved = there.filePath(QStringLiteral("mailed.db"));
        QVERIFY(QFile::copy(store, moved));
        QFile::copy(store + QStringLiteral("-wal"), moved + QStringLiteral("-wal"));
        const QString id = QString::fromStdString(run.id());
        QVERIFY(QDir().mkpath(there.filePath(QStringLiteral("mailed.db.artifacts/") + id + QStringLiteral("/plots"))));
        QVERIFY(QFile::copy(here.filePath(QStringLiteral("runs.db.artifacts/") + id + QStringLiteral("/plots/roc.png")),
            there.filePath(QStringLiteral("mailed.db.artifacts/") + id + QStringLiteral("/plots/roc.png"))));
        QVERIFY(QFile::remove(here.filePath(QStringLiteral("runs.db.artifacts/") + id + QStringLiteral("/plots/roc.png"))));
        auto reader = mustOpen(moved);
        auto a = reader->loadArtifacts(id);
        QVERIFY(a);
        const auto* roc = find(*a, QStringLiteral("plots/roc.png"));
        QVERIFY(roc);
        QCOMPARE(roc->kind, ArtifactKind::Image);
        QVERIFY(!roc->inStore());
        auto bytes = reader->loadArtifactBytes(a->root, *roc, 1 << 20);
        QVERIFY2(bytes, qPrintable(whyNot(bytes)));
        QCOMPARE(bytes->size(), roc->size);
    }

    void pathsThatClimbOutOfTheFolderAreRefused()
    {
        QTemporaryDir root;
        writeFile(root.filePath(QStringLiteral("run/ok.txt")), "fine");
        writeFile(root.filePath(QStringLiteral("secret.txt")), "secret");
        QVERIFY(QFile::link(root.filePath(QStringLiteral("secret.txt")), root.filePath(QStringLiteral("run/link.txt"))));
        const QString run = root.filePath(QStringLiteral("run"));
        QCOMPARE(readArtifactFile(run, QStringLiteral("ok.txt"), 100).value(), QByteArray("fine"));
        for (const QString& bad : {QStringLiteral("../secret.txt"), root.filePath(QStringLiteral("secret.txt")),
                 QStringLiteral("link.txt"), QStringLiteral("sub/../../secret.txt")}) {
            auto r = readArtifactFile(run, bad, 100);
            QVERIFY2(!r, qPrintable(bad));
            QVERIFY2(r.error().contains(QStringLiteral("outside")), qPrintable(r.error()));
        }
        // A named pipe in the folder is not opened (it would block until a writer came).
        QVERIFY(::mkfifo(QFile::encodeName(root.filePath(QStringLiteral("run/pipe.txt"))).constData(), 0600) == 0);
        auto pipe = readArtifactFile(run, QStringLiteral("pipe.txt"), 100);
        QVERIFY(!pipe);
        QVERIFY2(pipe.error().contains(QStringLiteral("regular file")), qPrintable(pipe.error()));
        QVERIFY(!readArtifactFile(run, QStringLiteral("missing.txt"), 100));
    }

    void mlflowStepImagesAndModelFolders()
    {
        // MLflow 2.x: log_image(key=, step=) writes images/<key, / as #>%step%<n>%timestamp%<ms>%<uuid>.png
        // beside a compressed .webp; log_model writes a folder with an MLmodel file.
        QTemporaryDir mlruns;
        const QString runDir = mlruns.filePath(QStringLiteral("0/abc123"));
        writeFile(mlruns.filePath(QStringLiteral("0/meta.yaml")),
            "artifact_location: file://" + mlruns.filePath(QStringLiteral("0")).toUtf8()
                + "\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n");
        writeFile(runDir + QStringLiteral("/meta.yaml"),
            "artifact_uri: file://" + runDir.toUtf8() + "/artifacts\nend_time: 2\nexperiment_id: '0'\n"
            "lifecycle_stage: active\nrun_id: abc123\nrun_name: r\nstart_time: 1\nstatus: 3\n");
        const QByteArray png = pngBytes(gradient(12, 12, 5));
        for (int step : {0, 5})
            writeFile(runDir + QStringLiteral("/artifacts/images/val#samples%step%") + QString::number(step)
                    + QStringLiteral("%timestamp%17000%uuid") + QString::number(step) + QStringLiteral(".png"),
                png);
        writeFile(runDir + QStringLiteral("/artifacts/images/val#samples%step%0%timestamp%17000%uuid0%compressed.webp"), "webp");
        writeFile(runDir + QStringLiteral("/artifacts/model/MLmodel"),
            "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    pickled_model: model.pkl\n");
        writeFile(runDir + QStringLiteral("/artifacts/model/model.pkl"), QByteArray(1000, 'p'));
        writeFile(runDir + QStringLiteral("/artifacts/metrics.json"), "{\"columns\":[\"a\"],\"data\":[[1]]}");
        auto reader = MlflowFileStoreReader::open(mlruns.path());
        QVERIFY2(reader, qPrintable(whyNot(reader)));
        QVERIFY((*reader)->loadRuns());
        auto a = (*reader)->loadArtifacts(QStringLiteral("abc123"));
        QVERIFY2(a, qPrintable(whyNot(a)));
        const auto* s0 = find(*a, QStringLiteral("val/samples"), 0);
        const auto* s5 = find(*a, QStringLiteral("val/samples"), 5);
        QVERIFY(s0 && s5);
        QVERIFY(s5->stepped);
        QCOMPARE(s5->time, int64_t(17000));
        QCOMPARE((*reader)->loadArtifactBytes(a->root, *s5, 1 << 20).value(), png);
        for (const auto& item : a->items)
            QVERIFY2(!item.file.endsWith(QStringLiteral(".webp")), qPrintable(item.file));
        const auto* model = find(*a, QStringLiteral("model"));
        QVERIFY(model);
        QCOMPARE(model->kind, ArtifactKind::Model);
        QVERIFY(model->size >= 1000);
        const auto mlmodel = (*reader)->loadArtifactBytes(a->root, *model, 1 << 20);
        QVERIFY(mlmodel);
        QCOMPARE(mlmodelFlavors(*mlmodel), (QStringList{QStringLiteral("python_function"), QStringLiteral("sklearn")}));
        QCOMPARE(find(*a, QStringLiteral("metrics.json"))->kind, ArtifactKind::Text);
    }

    void tensorboardImageAndTextSummaries()
    {
        // TF2's images plugin (width, height, then the pictures: tensorboard/plugins/image/summary_v2.py),
        // TF1's Summary.Image, and the text plugin; records written with the encoder the scalar
        // tests check against the shared fixtures' event files.
        QTemporaryDir logdir;
        const QByteArray a = pngBytes(gradient(16, 8, 1)), b = pngBytes(gradient(16, 8, 2)), c = pngBytes(gradient(10, 10, 3));
        QByteArray events;
        events += scalarEventRecord("loss", 0, 1700000000.0, 1.0f);
        events += imageEventRecord("val/samples", 0, 1700000001.0, 16, 8, {a, b});
        events += textEventRecord("notes", 3, 1700000002.0, "first take");
        // The same tag at the same step again (a run restarted from a checkpoint): the later wins.
        events += textEventRecord("notes", 3, 1700000002.5, "**lr** too high");
        events += tf1ImageEventRecord("input", 5, 1700000003.0, 10, 10, c);
        events += imageEventRecord("val/samples", 10, 1700000004.0, 16, 8, {b, a});
        events += scalarEventRecord("loss", 10, 1700000004.0, 0.5f);
        // A half-written image record at the end, as a run still writing leaves it.
        events += imageEventRecord("val/samples", 20, 1700000005.0, 16, 8, {a}).left(40);
        writeFile(logdir.filePath(QStringLiteral("run1/events.out.tfevents.1700000000.host")), events);
        auto reader = TensorboardLogdirReader::open(logdir.path());
        QVERIFY2(reader, qPrintable(whyNot(reader)));
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        QCOMPARE(runs->table->rowCount(), 1);
        QVERIFY(runs->table->metric(QStringLiteral("loss"))); // the scalars are read as before
        auto listed = (*reader)->loadArtifacts(runs->table->id(0));
        QVERIFY2(listed, qPrintable(whyNot(listed)));
        QStringList seen;
        for (const auto& item : listed->items)
            seen << QStringLiteral("%1@%2").arg(item.path).arg(item.step);
        QCOMPARE(seen, (QStringList{QStringLiteral("input@5"), QStringLiteral("notes@3"), QStringLiteral("val/samples@0"),
                           QStringLiteral("val/samples@10"), QStringLiteral("val/samples/1@0"), QStringLiteral("val/samples/1@10")}));
        const auto bytesOfItem = [&](const QString& path, int64_t step) {
            const auto* item = find(*listed, path, step);
            return item ? (*reader)->loadArtifactBytes(listed->root, *item, 1 << 20) : Result<QByteArray>(Failure{path});
        };
        QCOMPARE(bytesOfItem(QStringLiteral("val/samples"), 0).value(), a);
        QCOMPARE(bytesOfItem(QStringLiteral("val/samples/1"), 0).value(), b);
        QCOMPARE(bytesOfItem(QStringLiteral("val/samples"), 10).value(), b);
        QCOMPARE(bytesOfItem(QStringLiteral("input"), 5).value(), c);
        QCOMPARE(bytesOfItem(QStringLiteral("notes"), 3).value(), QByteArray("**lr** too high"));
        const auto* sample = find(*listed, QStringLiteral("val/samples"), 0);
        QCOMPARE(sample->kind, ArtifactKind::Image);
        QCOMPARE(sample->format, QStringLiteral("png"));
        QCOMPARE((std::pair{sample->width, sample->height}), (std::pair{16, 8}));
        QCOMPARE(find(*listed, QStringLiteral("notes"), 3)->kind, ArtifactKind::Text);
        // Imported into a Runlens store, the pictures and text come along, in the store.
        const QString imported = logdir.filePath(QStringLiteral("imported.db"));
        auto summary = importStore(**reader, imported);
        QVERIFY2(summary, qPrintable(whyNot(summary)));
        auto ours = mustOpen(imported);
        const auto ourRuns = mustLoad(*ours);
        auto copied = ours->loadArtifacts(ourRuns->id(0));
        QVERIFY(copied);
        QCOMPARE(copied->items.size(), listed->items.size());
        const auto* copiedSample = find(*copied, QStringLiteral("val/samples/1"), 10);
        QVERIFY(copiedSample && copiedSample->inStore());
        QCOMPARE(ours->loadArtifactBytes(copied->root, *copiedSample, 1 << 20).value(), a);
        // The file rewritten under the reader (a new run in the same folder): said, not misread.
        writeFile(logdir.filePath(QStringLiteral("run1/events.out.tfevents.1700000000.host")), QByteArray(events.size(), 'x'));
        auto stale = (*reader)->loadArtifactBytes(listed->root, *sample, 1 << 20);
        QVERIFY(!stale);
        QVERIFY2(stale.error().contains(QStringLiteral("changed")), qPrintable(stale.error()));
    }
};

QTEST_MAIN(TestMedia)
#include "test_media.moc"
