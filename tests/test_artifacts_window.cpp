// SPDX-License-Identifier: GPL-3.0-or-later
// The Artifacts tab with what users log: 4 runs whose per-step images were
// logged at different steps (the slider snaps each run to its nearest),
// zoom and pan locked across runs, a difference mode; text side by side
// with the lines that differ marked; confusion matrices as heat maps and
// their difference; a model file "identical to" another run's; a forged
// 30000 x 30000 PNG, a truncated PNG and an SVG with a script shown as
// errors or safely, never a crash; a run that logs after the window opened
// shows on refresh. Screenshots go to the build's test-artifacts folder.
#include "artifacts_view.h"
#include "confusion_matrix_widget.h"
#include "image_pane.h"
#include "main_window.h"
#include "runlens/runlens.h"
#include "runlens/sqlite_db.h"
#include "image_test_support.h"
#include "test_support.h"
#include "window_test_support.h"
#include "workspace.h"

#include <QBuffer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSlider>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBlock>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace runlens;
using namespace runlens::ui;
using namespace runlens::test;

namespace {


// A digit-like picture: a disc whose size grows with the step; runs differ in colour.
QImage sample(int run, int64_t step)
{
    QImage img(64, 64, QImage::Format_RGB888);
    img.fill(Qt::white);
    const int r = 4 + int(step / 10) % 24;
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x)
            if ((x - 32) * (x - 32) + (y - 32) * (y - 32) < r * r)
                img.setPixelColor(x, y, QColor::fromHsv(run * 80 % 360, 200, 220));
    return img;
}

template <class T> QList<T*> inCells(ArtifactsView& v)
{
    QList<T*> out;
    for (QWidget* cell : v.cells())
        out += cell->findChildren<T*>();
    return out;
}

QStringList headers(ArtifactsView& v)
{
    QStringList out;
    for (QWidget* cell : v.cells())
        if (auto labels = cell->findChildren<QLabel*>(); !labels.isEmpty())
            out << labels.front()->text();
    return out;
}

} // namespace

class TestArtifactsWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;

private slots:
    void initTestCase()
    {
        isolateSettings(dir_);
        store_ = dir_.filePath(QStringLiteral("media.db"));
        // Runs log images at different steps: every 10, every 15, ...
        const std::vector<int> every{10, 15, 20, 25};
        const std::vector<std::string> names{"resnet-a-with-a-rather-long-name-lr0.001", "resnet-b", "vit-small", "vit-base"};
        for (int r = 0; r < 4; ++r) {
            auto run = Run::start(store_.toStdString(), testRun(names[size_t(r)]));
            for (int64_t step = 0; step <= 100; step += every[size_t(r)]) {
                QVERIFY(run.logImage("val/samples", bytesOf(pngBytes(sample(r, step))), step));
                run.logMetric("loss", 1.0 / double(step + 1), step);
            }
            QVERIFY(run.logText("config.yaml",
                "model: resnet\nlr: " + std::to_string(0.001 * (r + 1)) + "\nbatch: 64\nepochs: 10\n"));
            const std::vector<std::string> labels{"cat", "dog", "bird"};
            const std::vector<int64_t> counts{int64_t(50 - r), int64_t(3 + r), 2, 4, 45, 1, int64_t(r), 2, 38};
            QVERIFY(run.logConfusionMatrix("val/confusion", labels, counts));
            QVERIFY(run.logTable("importance", "feature,gain\nlr," + std::to_string(0.5 - 0.1 * r) + "\ndepth,0.2\n"));
            QVERIFY(run.finish());
        }
    }

    void perStepImagesSnapToEachRunsNearestStepWithZoomLocked()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openStores({store_});
        settle(w);
        w.selectRuns({0, 1, 2, 3});
        auto* tabs = w.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentWidget(w.artifactsView());
        ArtifactsView& v = *w.artifactsView();
        v.waitForIdle();
        QCOMPARE(int(v.catalog().runs().size()), 4);
        // The first image is chosen: every run has it.
        QCOMPARE(v.chosenArtifact(), QStringLiteral("val/samples"));
        const auto* entry = v.catalog().entry(QStringLiteral("val/samples"));
        QVERIFY(entry);
        QCOMPARE(int(entry->runs.size()), 4);
        // Steps: the union of 0,10,..,100 / 0,15,..,90 / 0,20,.. / 0,25,..
        QVERIFY(std::binary_search(entry->steps.begin(), entry->steps.end(), int64_t(45)));
        QCOMPARE(entry->steps.back(), int64_t(100));
        auto* slider = v.findChild<QSlider*>(QStringLiteral("stepSlider"));
        QVERIFY(slider && slider->isVisible());
        QCOMPARE(slider->maximum(), int(entry->steps.size()) - 1);
        v.setStep(45);
        v.waitForIdle();
        QCOMPARE(v.cells().size(), 4);
        // Each run its nearest: 40 (every 10; 50 as near, the earlier wins), 45, 40, 50.
        const QStringList h = headers(v);
        QVERIFY2(h[0].contains(QStringLiteral("step 40")), qPrintable(h[0]));
        QVERIFY2(h[1].contains(QStringLiteral("step 45")), qPrintable(h[1]));
        QVERIFY2(h[2].contains(QStringLiteral("step 40")), qPrintable(h[2]));
        QVERIFY2(h[3].contains(QStringLiteral("step 50")), qPrintable(h[3]));
        const auto panes = inCells<ImagePane>(v);
        QCOMPARE(panes.size(), 4);
        QCOMPARE(panes[1]->image(), sample(1, 45).convertToFormat(panes[1]->image().format()));
        // Zoom one: all zoom, the same region side by side.
        v.setFit(false);
        QWheelEvent wheel(QPointF(10, 10), panes[0]->mapToGlobal(QPointF(10, 10)), {}, QPoint(0, 120), Qt::NoButton,
            Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(panes[0], &wheel);
        QCoreApplication::processEvents();
        QVERIFY(panes[0]->imageRect().width() > 64.0 * 1.2);
        for (auto* p : panes)
            QCOMPARE(p->imageRect().size(), panes[0]->imageRect().size());
        v.setFit(true);
        saveForALook(w, QStringLiteral("artifacts-images.png"));
        // Difference from the first run: white where equal, red where not.
        v.setDifference(true);
        v.waitForIdle();
        const auto diffPanes = inCells<ImagePane>(v);
        QCOMPARE(diffPanes.size(), 4);
        const QImage d = diffPanes[1]->image();
        QCOMPARE(d.pixelColor(0, 0), QColor(Qt::white)); // both white there
        QVERIFY(d.pixelColor(32, 32) != QColor(Qt::white)); // the discs differ in colour
        QVERIFY2(headers(v)[1].contains(QStringLiteral("differ from")), qPrintable(headers(v)[1]));
        saveForALook(w, QStringLiteral("artifacts-difference.png"));
        v.setDifference(false);
    }

    void textTablesConfusionMatricesAndModels()
    {
        Workspace ws;
        QVERIFY(ws.openAndWait({store_}).isEmpty());
        ArtifactsView v(&ws);
        v.resize(1300, 800);
        v.show();
        v.setRuns({0, 1, 2, 3});
        v.waitForIdle();
        // Text: the lines that differ from the first run are marked.
        QVERIFY(v.chooseArtifact(QStringLiteral("config.yaml")));
        v.waitForIdle();
        const auto edits = inCells<QPlainTextEdit>(v);
        QCOMPARE(edits.size(), 4);
        QCOMPARE(edits[1]->extraSelections().size(), 1); // only "lr:" differs
        QVERIFY(edits[1]->extraSelections().front().cursor.block().text().startsWith(QStringLiteral("lr:")));
        QCOMPARE(edits[0]->extraSelections().size(), 1);
        QVERIFY2(headers(v)[1].contains(QStringLiteral("1 line differ")), qPrintable(headers(v)[1]));
        saveForALook(v, QStringLiteral("artifacts-text.png"));
        // Tables: numbers sort as numbers.
        QVERIFY(v.chooseArtifact(QStringLiteral("importance")));
        v.waitForIdle();
        const auto tables = inCells<QTableWidget>(v);
        QCOMPARE(tables.size(), 4);
        QCOMPARE(tables[0]->rowCount(), 2);
        tables[0]->sortByColumn(1, Qt::AscendingOrder);
        QCOMPARE(tables[0]->item(0, 0)->text(), QStringLiteral("depth"));
        // Confusion matrices: one heat map a run and the difference of the first two.
        QVERIFY(v.chooseArtifact(QStringLiteral("val/confusion")));
        v.waitForIdle();
        const auto matrices = inCells<ConfusionMatrixWidget>(v);
        QCOMPARE(matrices.size(), 5);
        QCOMPARE(matrices[0]->matrix().at(0, 0), int64_t(50));
        QCOMPARE(matrices[0]->matrix().recall(0).value(), 50.0 / 55.0);
        auto* diff = v.findChild<ConfusionMatrixWidget*>(QStringLiteral("confusionDifference"));
        QVERIFY(diff);
        QCOMPARE(diff->matrix().at(0, 0), int64_t(-1)); // 49 − 50
        QCOMPARE(diff->matrix().at(0, 1), int64_t(1));
        QVERIFY(diff->toolTipAt(diff->cellRect(0, 1).center()).contains(QStringLiteral("1 more")));
        saveForALook(v, QStringLiteral("artifacts-confusion.png"));
    }

    void identicalFilesAreSaid()
    {
        // Two runs saving the same weights under the same name.
        const QString store = dir_.filePath(QStringLiteral("weights.db"));
        const QString a = dir_.filePath(QStringLiteral("w/a/weights.pt"));
        const QString b = dir_.filePath(QStringLiteral("w/b/weights.pt"));
        writeFile(a, QByteArray(3000, 'x'));
        writeFile(b, QByteArray(3000, 'x'));
        for (const QString& f : {a, b}) {
            auto run = Run::start(store.toStdString(), testRun(f.contains(QStringLiteral("/a/")) ? "first" : "second"));
            QVERIFY(run.logArtifact(f.toStdString()));
            QVERIFY(run.finish());
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        ArtifactsView v(&ws);
        v.setRuns({0, 1});
        v.waitForIdle();
        QVERIFY(v.chooseArtifact(QStringLiteral("weights.pt")));
        v.waitForIdle();
        const auto labels = inCells<QLabel>(v);
        QStringList texts;
        for (auto* l : labels)
            texts << l->text();
        QVERIFY2(texts.join(QLatin1Char('\n')).contains(QStringLiteral("Identical to")), qPrintable(texts.join(QLatin1Char('\n'))));
    }

    void hostileImagesAreRefusedOrShownSafely()
    {
        const QString store = dir_.filePath(QStringLiteral("hostile.db"));
        QImage one(1, 1, QImage::Format_RGB888);
        one.fill(Qt::red);
        QByteArray liar = pngBytes(one);
        forgePngSize(liar, 30000);
        const QByteArray truncated = pngBytes(sample(0, 50)).left(60);
        // An SVG with a script and a picture from elsewhere on the disk: drawn without either.
        const QString red = dir_.filePath(QStringLiteral("red.png"));
        QImage redImage(40, 40, QImage::Format_RGB888);
        redImage.fill(Qt::red);
        writeFile(red, pngBytes(redImage));
        // Also through an SVG nested as a data: URI, whose own link would be drawn unsanitised.
        const QByteArray nested = "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
                                  "width='40' height='40'><image xlink:href='" + red.toUtf8()
            + "' width='40' height='40'/></svg>";
        const QByteArray svg("<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
                             "width='40' height='40'><script>alert(1)</script>"
                             "<image xlink:href='file://" + red.toUtf8() + "' width='40' height='40'/>"
                             "<image xlink:href='" + red.toUtf8() + "' width='40' height='40'/>"
                             "<image xlink:href='data:image/svg+xml;base64," + nested.toBase64()
            + "' width='40' height='40'/>"
                             "<rect width='20' height='20' fill='blue'/></svg>");
        auto run = Run::start(store.toStdString(), testRun("hostile"));
        // The logger refuses the forged header itself; as another tool's file it must be refused on reading.
        QVERIFY(!run.logImage("liar", bytesOf(liar)));
        // So does it a truncated one: it cannot read its header.
        QVERIFY(!run.logImage("truncated", bytesOf(truncated)));
        QVERIFY2(QString::fromStdString(run.lastError()).contains(QStringLiteral("damaged")), run.lastError().c_str());
        QVERIFY(run.logImage("script", bytesOf(svg)));
        QVERIFY(run.finish());
        const QString folder = store + QStringLiteral(".artifacts/") + QString::fromStdString(run.id());
        // As another tool's files they reach the reader: refused or cut short there, never a crash.
        {
            SqliteDb db(store.toStdString(), SqliteDb::Mode::ReadWriteCreate);
            for (const auto& [name, content] : {std::pair{QStringLiteral("liar.png"), liar},
                     std::pair{QStringLiteral("truncated.png"), truncated}}) {
                writeFile(folder + QLatin1Char('/') + name, content);
                db.prepare("INSERT INTO artifacts(run_id, path, uri, size, sha256) VALUES(?, ?, ?, ?, '')")
                    .bind(1, run.id())
                    .bind(2, name.toStdString())
                    .bind(3, "file://" + (folder + QLatin1Char('/') + name).toStdString())
                    .bind(4, int64_t(content.size()))
                    .run();
            }
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        ArtifactsView v(&ws);
        v.resize(900, 600);
        v.show();
        v.setRuns({0});
        v.waitForIdle();
        QVERIFY(v.chooseArtifact(QStringLiteral("liar.png")));
        v.waitForIdle();
        QVERIFY2(headers(v).join(QString()).contains(QStringLiteral("30000")), qPrintable(headers(v).join(QString())));
        QVERIFY(inCells<ImagePane>(v).front()->image().isNull());
        QVERIFY(v.chooseArtifact(QStringLiteral("truncated.png")));
        v.waitForIdle();
        QCOMPARE(v.cells().size(), 1);
        QVERIFY2(headers(v).join(QString()).contains(QStringLiteral("cannot be decoded")), qPrintable(headers(v).join(QString())));
        QVERIFY(v.chooseArtifact(QStringLiteral("script")));
        v.waitForIdle();
        const QImage drawn = inCells<ImagePane>(v).front()->image();
        QVERIFY(!drawn.isNull());
        QCOMPARE(drawn.pixelColor(5, 5), QColor(Qt::blue)); // the rect is drawn
        QVERIFY2(drawn.pixelColor(30, 30) != QColor(Qt::red), "the file the SVG names was not read");
    }

    void aRunLoggingAfterTheWindowOpenedShowsOnRefresh()
    {
        const QString store = dir_.filePath(QStringLiteral("live.db"));
        Run::start(store.toStdString(), testRun("early")).finish();
        MainWindow w;
        w.show();
        w.openStores({store});
        settle(w);
        w.findChild<QTabWidget*>()->setCurrentWidget(w.artifactsView());
        auto run = Run::start(store.toStdString(), testRun("late"));
        QVERIFY(run.logText("notes.md", "# a late run\n"));
        QVERIFY(run.flush());
        w.workspace().refresh(true);
        settle(w);
        w.selectRuns({w.workspace().runs()->findRun(QStringLiteral("late"))});
        w.artifactsView()->waitForIdle();
        QCOMPARE(w.artifactsView()->chosenArtifact(), QStringLiteral("notes.md"));
        run.finish();
    }
};

QTEST_MAIN(TestArtifactsWindow)
#include "test_artifacts_window.moc"
