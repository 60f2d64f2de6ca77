// SPDX-License-Identifier: GPL-3.0-or-later
// The comparison report: sections present, values right, user strings
// escaped, no external resources; sections chosen; the PDF written; the
// metrics a report picks by default. (tests/python/test_report_e2e.py opens
// the files in Chromium and poppler.)
#include "column_fit.h"
#include "comparison_report.h"
#include "figure_export.h"
#include "metric_priority.h"
#include "parallel_coordinates_view.h"
#include "report_dialog.h"
#include "run_colors.h"
#include "runlens/runlens.h"
#include "test_support.h"
#include "workspace.h"

#include <QCheckBox>
#include <QImage>
#include <QListWidget>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTextBrowser>
#include <QTemporaryDir>
#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>
#include <QTextTable>
#include <QtTest>

#include <cmath>
#include <numeric>

using namespace runlens;

class TestReport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    // Every run of the workspace's table, in order.
    static std::vector<int> allRows(const Workspace& ws)
    {
        std::vector<int> rows(size_t(ws.runs()->rowCount()));
        std::iota(rows.begin(), rows.end(), 0);
        return rows;
    }

private slots:
    void selfContainedEscapedAndComplete()
    {
        const QString store = dir_.filePath(QStringLiteral("report.db"));
        for (int seed = 0; seed < 2; ++seed) {
            auto run = Run::start(store.toStdString(), test::testRun(seed ? "<script>alert(1)</script>" : "plain & simple"));
            run.logParam("lr", 0.1);
            run.logParam("seed", seed);
            run.setTag("gpu_mem_gb", std::to_string(16 << seed));
            run.setTag("slurm_job", std::to_string(4812345670 + seed));   // an id: shown whole
            run.setTag("ratio", seed ? "0.333333333333" : "0.25");          // a long fraction: six digits
            run.logParam("note", "a<b");
            run.logDataVersion("train", "v\"3\"");
            // Ends in _seed: a seed key, so it differs per run without splitting the seed group.
            run.logParam("<img src=x onerror=alert(3)>_seed", seed * 2);
            for (int s = 0; s < 200; ++s) {
                run.logMetric("loss", 1.0 / (s + 1) + seed, s);
                run.logMetric("<script>alert(2)</script>", s, s);   // a metric name goes into chart titles
            }
            run.finish();
        }
        Workspace ws;
        ws.open({store});
        ws.waitForIdle();
        QCOMPARE(ws.runs()->rowCount(), 2);
        ui::ReportOptions o;
        o.title = QStringLiteral("A <b>bold</b> title");
        o.notes = QStringLiteral("line one\nline <two>");
        const auto report = ui::ComparisonReport::build(ws, {0, 1}, o, [&](const SeriesKey& k) { return ws.loadSeriesNow(k); });
        // Two curves and the parallel coordinates (lr does not vary, seed and loss do).
        QCOMPARE(report.figureCount(), 3);
        const QString html = report.html();
        for (const char* id : {"runs", "differences", "curves", "parallel", "seeds", "provenance", "notes"})
            QVERIFY2(html.contains(QStringLiteral("<section id=\"%1\">").arg(QLatin1String(id))), id);
        // Every user string escaped.
        QVERIFY(!html.contains(QStringLiteral("<script>")));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;")));
        QVERIFY(html.contains(QStringLiteral("A &lt;b&gt;bold&lt;/b&gt; title")));
        QVERIFY(html.contains(QStringLiteral("plain &amp; simple")));
        QVERIFY(html.contains(QStringLiteral("line <two>").toHtmlEscaped()));
        QVERIFY(html.contains(QStringLiteral("v&quot;3&quot;")));
        // Values: the seed differs, lr does not; the second run's loss is 1 higher.
        QVERIFY(html.contains(QStringLiteral("<td>params</td><td>seed</td>")));
        QVERIFY(!html.contains(QStringLiteral("<td>params</td><td>lr</td>")));
        // A delta for a quantity, none for a seed (a label).
        QVERIFY(html.contains(QStringLiteral("<td class=\"changed\">32 <span class=\"muted\">(+16, +100.0%)</span></td>")));
        QVERIFY(html.contains(QStringLiteral("<td>params</td><td>seed</td><td>0</td><td class=\"changed\">1</td>")));
        QVERIFY(html.contains(QStringLiteral(">4812345671 ")));
        QVERIFY(html.contains(QStringLiteral(">0.333333 ")));
        // The curve is inline SVG; nothing is fetched from elsewhere.
        QVERIFY(html.contains(QStringLiteral("<svg")));
        static const QRegularExpression external(QStringLiteral("(src|href)\\s*=\\s*[\"']?(https?:|//)"));
        QVERIFY(!external.match(html).hasMatch());
        QVERIFY(!html.contains(QStringLiteral("<link")));
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("<runlens-figure")));
        // Printed from a browser, figures stay whole (the rules are here; their
        // effect on real page breaks is checked in Chromium by test_report_e2e).
        QVERIFY(html.contains(QStringLiteral("@media print{")) && html.contains(QStringLiteral("div.figure,tr{break-inside:avoid}")));
        QCOMPARE(html.count(QStringLiteral("<svg")), 3);
        QVERIFY(!html.contains(QStringLiteral("<img")));
        QVERIFY(html.contains(QStringLiteral("&lt;img src=x onerror=alert(3)&gt;_seed")));
        QVERIFY(html.contains(QStringLiteral("<title>&lt;script&gt;alert(2)&lt;/script&gt;</title>")));

        // The document behind the PDF and the preview: the same text, figures as objects.
        const auto doc = report.document();
        const QString text = doc->toPlainText();
        QVERIFY(text.contains(QStringLiteral("<script>alert(1)</script>")));
        QVERIFY(text.contains(QStringLiteral("Provenance")));
        QCOMPARE(text.count(QChar::ObjectReplacementCharacter), 3);

        const QString pdf = dir_.filePath(QStringLiteral("report.pdf"));
        const auto saved = report.save(pdf);
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error()));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        QVERIFY(bytes.size() > 10'000);
        QVERIFY(!report.save(dir_.filePath(QStringLiteral("report.docx"))).ok());
    }

    void sectionsAreChosen()
    {
        const QString store = dir_.filePath(QStringLiteral("sections.db"));
        for (int i = 0; i < 3; ++i) {
            auto run = Run::start(store.toStdString(), test::testRun("run" + std::to_string(i)));
            run.logParam("lr", 0.1 * (i + 1));
            for (int s = 0; s < 50; ++s) {
                run.logMetric("val_loss", 1.0 / (s + 1 + i), s);
                run.logMetric("epoch", s, s);
            }
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        ui::ReportOptions o;
        o.sections = {};
        o.sections.runs = o.sections.provenance = o.sections.differences = o.sections.parallel = o.sections.seeds = false;
        o.metrics = {QStringLiteral("epoch")};
        const auto report = ui::ComparisonReport::build(ws, {0, 1, 2}, o, [&](const SeriesKey& k) { return ws.loadSeriesNow(k); });
        QCOMPARE(report.figureCount(), 1);
        const QString html = report.html();
        QVERIFY(html.contains(QStringLiteral("<section id=\"curves\">")));
        for (const char* id : {"runs", "differences", "parallel", "seeds", "provenance"})
            QVERIFY2(!html.contains(QStringLiteral("<section id=\"%1\">").arg(QLatin1String(id))), id);
        // The chosen metric is charted; the default one is not.
        QVERIFY(html.contains(QStringLiteral("<title>epoch</title>")));
        QVERIFY(!html.contains(QStringLiteral("<title>val_loss</title>")));
        // Curves against time since start: the axis and the caption say so.
        o.axis = XAxis::RelativeTime;
        bool allRelative = true;
        const QString timed = ui::ComparisonReport::build(ws, {0, 1, 2}, o, [&](const SeriesKey& k) {
                                  allRelative = allRelative && k.axis == XAxis::RelativeTime;
                                  return ws.loadSeriesNow(k);
                              }).html();
        QVERIFY(allRelative);
        QVERIFY(timed.contains(QStringLiteral("epoch by time since start (s);")));
        QVERIFY(timed.contains(QStringLiteral(">time since start (s)</text>")));
        // By default the loss comes before the epoch counter.
        QCOMPARE(ui::ComparisonReport::defaultMetrics(*ws.runs(), {0, 1, 2}).value(0), QStringLiteral("val_loss"));
    }

    void numbersAreCompactAndToolTagsHidden()
    {
        const QString store = dir_.filePath(QStringLiteral("numbers.db"));
        for (int i = 0; i < 3; ++i) {
            auto run = Run::start(store.toStdString(), test::testRun("run" + std::to_string(i)));
            run.logParam("lr", 0.1 * (i + 1)); // 0.30000000000000004 for the third
            run.logParam("decay", 0.057998924774706806 * (i + 1));
            run.setTag("mlflow.source.name", "train" + std::to_string(i) + ".py");
            run.logMetric("val_loss", 0.221622073168209 * (i + 1), 0);
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        ui::ReportOptions o;
        o.sections.curves = o.sections.parallel = false;
        const auto source = [&](const SeriesKey& k) { return ws.loadSeriesNow(k); };
        const QString html = ui::ComparisonReport::build(ws, {0, 1, 2}, o, source).html();
        for (const char* exact : {"0.30000000000000004", "0.057998924774706806", "0.221622073168209"})
            QVERIFY2(!html.contains(QLatin1String(exact)), exact);
        for (const char* compact : {">0.3<", ">0.0579989", ">0.221622<", ">0.664866<"})
            QVERIFY2(html.contains(QLatin1String(compact)), compact);
        QVERIFY(!html.contains(QStringLiteral("mlflow.source.name")));
        o.toolTags = true;
        QVERIFY(ui::ComparisonReport::build(ws, {0, 1, 2}, o, source).html().contains(QStringLiteral("mlflow.source.name")));
    }

    void reportChartsKeepASpike()
    {
        // One point in 100,000 at 100 over a flat 0.5: decimated for a page,
        // the chart must still reach the top at that step.
        const QString store = dir_.filePath(QStringLiteral("spike.db"));
        {
            auto run = Run::start(store.toStdString(), test::testRun("spiky"));
            for (int s = 0; s < 100000; ++s)
                run.logMetric("loss", s == 61234 ? 100.0 : 0.5 + 0.001 * std::sin(s * 0.01), s);
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        const auto report = ui::ComparisonReport::build(ws, {0}, {}, [&](const SeriesKey& k) { return ws.loadSeriesNow(k); });
        QCOMPARE(report.figureCount(), 1);
        const QString html = report.html();
        const QString colour = ui::runColor(ws.runs()->id(0)).name();
        static const QRegularExpression polyline(QStringLiteral("stroke=\"%1\"[^>]*>\\s*<polyline[^>]*points=\"([^\"]*)\"").arg(colour));
        double top = 1e9, bottom = -1e9, spikeX = 0;
        int points = 0;
        for (auto it = polyline.globalMatch(html); it.hasNext();) {
            for (const auto& pair : it.next().captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
                const double x = pair.section(QLatin1Char(','), 0, 0).toDouble(), y = pair.section(QLatin1Char(','), 1, 1).toDouble();
                ++points;
                bottom = std::max(bottom, y);
                if (y < top) {
                    top = y;
                    spikeX = x;
                }
            }
        }
        QVERIFY(points > 100);
        QVERIFY(points < 2000);   // decimated: not 100,000
        // The plot area runs from y 26 to 244 and x 62 to 666: the spike is at the top, at 61% across.
        QVERIFY2(top < 40, qPrintable(QString::number(top)));
        QVERIFY(bottom > 200);
        QVERIFY2(std::abs(spikeX - (62 + 604 * 0.61234)) < 4, qPrintable(QString::number(spikeX)));
    }

    void manyRunsGetARowEachAndSharedProvenanceOnce()
    {
        const QString store = dir_.filePath(QStringLiteral("many.db"));
        for (int i = 0; i < 9; ++i) {
            auto run = Run::start(store.toStdString(), test::testRun("many-" + std::to_string(i)));
            run.logParam("lr", i < 3 ? 0.1 : 0.2);
            run.logParam("seed", i % 3);
            run.logDataVersion("train", "v2");
            run.logMetric("loss", 1.0 / (i + 1), 0);
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        const std::vector<int> rows = allRows(ws);
        const QString html = ui::ComparisonReport::build(ws, rows, {}, [&](const SeriesKey& k) { return ws.loadSeriesNow(k); }).html();
        const QString differences = html.section(QStringLiteral("<section id=\"differences\">"), 1).section(QStringLiteral("</section>"), 0, 0);
        // Nine runs: a row each, the differing keys as columns (not nine run columns).
        QVERIFY(differences.contains(QStringLiteral("<thead><tr><th>Run</th><th>lr</th><th>seed</th></tr></thead>")));
        QCOMPARE(differences.count(QStringLiteral("<tr><td>many-")), 9);
        QVERIFY(differences.contains(QStringLiteral("<td class=\"changed\">0.2 <span class=\"muted\">(+0.1, +100.0%)</span></td>")));
        // What every run shares is said once, not nine times.
        const QString provenance = html.section(QStringLiteral("<section id=\"provenance\">"), 1).section(QStringLiteral("</section>"), 0, 0);
        QVERIFY(provenance.contains(QStringLiteral("<p>Every run: ")));
        QCOMPARE(provenance.count(QStringLiteral("data train: v2")), 1);
        QCOMPARE(provenance.count(QStringLiteral("<tr><td>many-")), 9);
    }

    void pageTablesUseTheWidthAndNeverBreakNumbers()
    {
        // Twelve runs with long hyphenated names, params with long names and
        // long-fraction metrics: the page's table must fill the page, keep
        // every number and header word on one line, and wrap names only at
        // their separators. (It was squeezed into equal columns: "Statu s",
        // "finish ed", "0. 03460 8".)
        const QString store = dir_.filePath(QStringLiteral("page-tables.db"));
        for (int i = 0; i < 12; ++i) {
            auto run = Run::start(store.toStdString(),
                test::testRun("resnet50-imagenet-cosine-warmup-lr0.0" + std::to_string(i) + "-seed" + std::to_string(i)));
            run.logParam("learning_rate", 0.001 * (i + 1));
            run.logParam("batch_size", 16 << (i % 3));
            run.logParam("optimizer", i % 2 ? "adamw" : "sgd");
            run.logParam("seed", i);
            for (const char* m : {"val/loss", "val/accuracy", "train/epoch_loss", "val/auc"})
                run.logMetric(m, 0.0346081234 + i * 0.001, 0);
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        const auto report = ui::ComparisonReport::build(ws, allRows(ws), {}, [&](const SeriesKey& k) { return ws.loadSeriesNow(k); });
        QCOMPARE(report.pageLayout().orientation(), QPageLayout::Landscape);
        const auto doc = report.document();
        doc->documentLayout()->documentSize(); // lay it all out
        const qreal pageWidth = report.pageLayout().paintRectPixels(96).width();
        const QTextTable* runs = nullptr;
        for (QTextFrame* frame : doc->rootFrame()->childFrames())
            if (auto* t = qobject_cast<QTextTable*>(frame); t && !runs)
                runs = t;
        QVERIFY(runs);
        const QRectF box = doc->documentLayout()->frameBoundingRect(const_cast<QTextTable*>(runs));
        QVERIFY2(box.width() > 0.95 * pageWidth && box.width() <= pageWidth + 1,
            qPrintable(QStringLiteral("table %1 px on a %2 px page").arg(box.width()).arg(pageWidth)));
        auto linesOf = [&](int row, int column) {
            const QTextTableCell cell = runs->cellAt(row, column);
            int lines = 0;
            for (auto it = cell.begin(); !it.atEnd(); ++it)
                if (it.currentBlock().layout())
                    lines += it.currentBlock().layout()->lineCount();
            return lines;
        };
        auto textOf = [&](int row, int column) {
            const QTextTableCell cell = runs->cellAt(row, column);
            QTextCursor c(doc.get());
            c.setPosition(cell.firstPosition());
            c.setPosition(cell.lastPosition(), QTextCursor::KeepAnchor);
            return c.selectedText();
        };
        QCOMPARE(runs->rows(), 13);
        for (int column = 0; column < runs->columns(); ++column) {
            const QString header = textOf(0, column);
            // Header words whole: one line unless the header has a separator.
            if (!header.contains(QLatin1Char('/')) && !header.contains(QLatin1Char(' ')))
                QVERIFY2(linesOf(0, column) == 1, qPrintable(header));
            for (int row = 1; row < runs->rows(); ++row) {
                const QString text = textOf(row, column);
                bool isNumber = false;
                text.toDouble(&isNumber);
                if (isNumber || header == QLatin1String("Status"))
                    QVERIFY2(linesOf(row, column) == 1, qPrintable(header + QLatin1String(": ") + text));
            }
        }
        // Names wrap only between their pieces: no line of the name column
        // ends inside a piece.
        for (int row = 1; row < runs->rows(); ++row) {
            const QTextTableCell cell = runs->cellAt(row, 0);
            const QTextBlock block = doc->findBlock(cell.firstPosition());
            QTextLayout* layout = block.layout();
            for (int l = 0; l + 1 < layout->lineCount(); ++l) {
                const QTextLine line = layout->lineAt(l);
                const QChar last = block.text().at(line.textStart() + line.textLength() - 1);
                QVERIFY2(last == QLatin1Char('-') || last.isSpace(),
                    qPrintable(block.text() + QStringLiteral(" broke after '%1'").arg(last)));
            }
        }
    }

    void tablesTooWideForThePageSplitTheirColumns()
    {
        // Fourteen columns that each need 100 px on a 700 px page: parts,
        // each starting with the key column, covering every column once.
        std::vector<ui::ColumnNeed> needs(14, ui::ColumnNeed{100, 150});
        needs[0] = {120, 300};
        const auto parts = ui::fitColumns(needs, 700, 1);
        QVERIFY(parts.size() >= 3);
        std::vector<int> seen(needs.size());
        for (const auto& part : parts) {
            QCOMPARE(part.columns.front(), 0);
            double sum = 0;
            for (size_t i = 0; i < part.columns.size(); ++i) {
                QVERIFY(part.widths[i] >= needs[size_t(part.columns[i])].minimum);
                sum += part.widths[i];
                ++seen[size_t(part.columns[i])];
            }
            QVERIFY(std::abs(sum - 700) < 1e-6);
        }
        QCOMPARE(seen[0], int(parts.size()));
        for (size_t c = 1; c < seen.size(); ++c)
            QCOMPARE(seen[c], 1);
        // What fits stays one table; spare width goes to every column.
        const auto one = ui::fitColumns(std::vector<ui::ColumnNeed>(3, ui::ColumnNeed{50, 100}), 700, 1);
        QCOMPARE(one.size(), size_t(1));
        for (double w : one.front().widths)
            QVERIFY(w > 100);
        // A piece wider than the page (a 300-character param) is capped so
        // the columns beside it keep their room.
        const auto capped = ui::fitColumns(std::vector<ui::ColumnNeed>{{80, 80}, {2000, 2000}, {60, 60}}, 700, 1);
        QCOMPARE(capped.size(), size_t(1));
        QVERIFY(capped.front().widths[2] >= 60);
    }

    void parallelCoordinatesKeepToAPageOfAxes()
    {
        // Twelve varying params, one of them on every run and the rest on some.
        const QString store = dir_.filePath(QStringLiteral("wide.db"));
        for (int i = 0; i < 6; ++i) {
            auto run = Run::start(store.toStdString(), test::testRun("wide-" + std::to_string(i)));
            run.logParam("z_everywhere", i);   // last by name, first by coverage
            for (int p = 0; p < 11; ++p)
                if ((i + p) % 3 != 0)
                    run.logParam("p" + std::to_string(p), i * p);
            run.logMetric("score", i, 0);
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        ui::ReportOptions o;
        o.sections = {false, false, false, true, false, false};
        const QString html = ui::ComparisonReport::build(ws, {0, 1, 2, 3, 4, 5}, o, [&](const SeriesKey& k) { return ws.loadSeriesNow(k); }).html();
        QVERIFY(html.contains(QStringLiteral("The 7 params most runs have of the 12 that vary, then score")));
        // The param every run has is among the axes drawn (an axis title is SVG
        // text, elided in the middle to the axis spacing), and p9 is not.
        QVERIFY(html.contains(QRegularExpression(QStringLiteral(">\\s*z_ev[^<]*</text>"))));
        QVERIFY(!html.contains(QRegularExpression(QStringLiteral(">\\s*p9\\s*</text>"))));
    }

    void chartsDrawAtMostSixtyRuns()
    {
        const QString store = dir_.filePath(QStringLiteral("seventy.db"));
        for (int i = 0; i < 70; ++i) {
            auto run = Run::start(store.toStdString(), test::testRun("r" + std::to_string(i)));
            run.logMetric("loss", 1.0 / (i + 1), 0);
            run.logMetric("loss", 0.5 / (i + 1), 1);
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        const std::vector<int> rows = allRows(ws);
        // Only the drawn runs' series are loaded...
        QCOMPARE(ui::ComparisonReport::seriesKeys(*ws.runs(), rows, {QStringLiteral("loss")}).size(), size_t(60));
        ui::ReportOptions o;
        o.sections = {true, false, true, false, false, false};
        int loaded = 0;
        const QString html = ui::ComparisonReport::build(ws, rows, o, [&](const SeriesKey& k) {
                                 ++loaded;
                                 return ws.loadSeriesNow(k);
                             }).html();
        // ...and drawn, and the caption says so; the run table still lists all 70.
        QCOMPARE(loaded, 60);
        QVERIFY(html.contains(QStringLiteral("The first 60 of the 70 runs that have it.")));
        QCOMPARE(html.count(QStringLiteral("<span class=\"swatch\"")), 70);
    }

    void dialogPreviewsFollowsChoicesAndSaves()
    {
        const QString store = dir_.filePath(QStringLiteral("dialog.db"));
        for (int i = 0; i < 4; ++i) {
            auto run = Run::start(store.toStdString(), test::testRun("dialog-run-" + std::to_string(i)));
            run.logParam("lr", 0.1 * (i + 1));
            run.logParam("width", 32 << i);
            for (int s = 0; s < 300; ++s) {
                run.logMetric("val_loss", 1.0 / (s + 1 + i), s);
                run.logMetric("val_acc", 1.0 - 1.0 / (s + 2 + i), s);
            }
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        ui::ReportDialog dialog(ws, {0, 1, 2, 3});
        QSignalSpy updated(&dialog, &ui::ReportDialog::previewUpdated);
        QVERIFY(updated.wait(10'000));
        // Both metrics charted, and the parallel coordinates.
        QVERIFY(dialog.report());
        QCOMPARE(dialog.report()->figureCount(), 3);
        auto* preview = dialog.findChild<QTextBrowser*>();
        QVERIFY(preview);
        QVERIFY(preview->document()->toPlainText().contains(QStringLiteral("dialog-run-3")));
        QCOMPARE(preview->document()->toPlainText().count(QChar::ObjectReplacementCharacter), 3);

        // Leave out the curves: only the parallel coordinates remain.
        QCheckBox* curves = nullptr;
        for (auto* box : dialog.findChildren<QCheckBox*>())
            if (box->text() == QLatin1String("Metric curves"))
                curves = box;
        QVERIFY(curves);
        curves->setChecked(false);
        QVERIFY(updated.wait(10'000));
        QCOMPARE(dialog.report()->figureCount(), 1);
        QVERIFY(!dialog.options().sections.curves);
        QVERIFY(!dialog.report()->html().contains(QStringLiteral("<section id=\"curves\">")));

        // Uncheck every metric: none is charted or tabled, not the default ones.
        curves->setChecked(true);
        auto* metrics = dialog.findChild<QListWidget*>();
        for (int i = 0; i < metrics->count(); ++i)
            metrics->item(i)->setCheckState(Qt::Unchecked);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBuilding(), 10'000);
        QVERIFY(dialog.options().metrics && dialog.options().metrics->isEmpty());
        QVERIFY(!dialog.report()->html().contains(QStringLiteral("<th>val_loss</th>")));

        // Saved on a pool thread; a bad suffix is refused with a message.
        QSignalSpy saved(&dialog, &ui::ReportDialog::saved);
        QSignalSpy failed(&dialog, &ui::ReportDialog::saveFailed);
        const QString pdf = dir_.filePath(QStringLiteral("dialog.pdf"));
        dialog.saveAs(pdf);
        QVERIFY(saved.wait(20'000));
        QCOMPARE(saved.first().first().toString(), pdf);
        QVERIFY(QFileInfo(pdf).size() > 1000);
        dialog.saveAs(dir_.filePath(QStringLiteral("dialog.txt")));
        QVERIFY(failed.wait(20'000));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral(".html or .pdf")));
    }

    void chartsSaveAsVectorSvgAndSharpPng()
    {
        const QString store = dir_.filePath(QStringLiteral("figures.db"));
        for (int i = 0; i < 40; ++i) {
            auto run = Run::start(store.toStdString(), test::testRun("fig-" + std::to_string(i)));
            run.logParam("lr", 0.001 * (i + 1));
            run.logParam("depth", i % 4);
            run.logMetric("score", i * 0.5, 0);
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        const std::vector<int> rows = allRows(ws);
        ui::ParallelCoordinatesView view;
        view.resize(700, 360);
        view.setRuns(ws.runs(), rows, QStringLiteral("score"));
        QCOMPARE(int(view.axes().axes().size()), 3);
        // The lines are vectors in the SVG (on screen they come from an image).
        const QString svg = QString::fromUtf8(ui::figureSvg(view));
        QVERIFY(svg.count(QStringLiteral("<polyline")) >= 40);
        QVERIFY(!svg.contains(QStringLiteral("<image")));
        QVERIFY(svg.contains(QStringLiteral("sans-serif")));

        const QString png = dir_.filePath(QStringLiteral("parallel.png"));
        QVERIFY(ui::saveFigure(view, png).ok());
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1400, 720));   // twice the widget, for slides and print
        const QString svgPath = dir_.filePath(QStringLiteral("parallel.svg"));
        QVERIFY(ui::saveFigure(view, svgPath).ok());
        QVERIFY(QFileInfo(svgPath).size() > 1000);
        const auto refused = ui::saveFigure(view, dir_.filePath(QStringLiteral("parallel.jpg2")));
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().contains(QStringLiteral(".png or .svg")));
    }

    void dialogKeepsItsRunsWhenStoresChange()
    {
        QStringList stores;
        for (const char* name : {"first", "second"}) {
            const QString store = dir_.filePath(QStringLiteral("%1.db").arg(QLatin1String(name)));
            for (int i = 0; i < 2; ++i) {
                auto run = Run::start(store.toStdString(), test::testRun(std::string(name) + "-" + std::to_string(i)));
                run.logMetric("loss", i, 0);
                run.finish();
            }
            stores << store;
        }
        Workspace ws;
        QVERIFY(ws.openAndWait(stores).isEmpty());
        // Stores land in the order they finish loading: take the runs of the
        // one that sits second, whose rows move up when the first closes.
        const QString kept = QFileInfo(ws.store(1).path).baseName(), gone = QFileInfo(ws.store(0).path).baseName();
        const int a = ws.runs()->findRun(kept + QStringLiteral("-0")), b = ws.runs()->findRun(kept + QStringLiteral("-1"));
        QVERIFY(a >= 2 && b >= 2);
        ui::ReportDialog dialog(ws, {a, b});
        QSignalSpy updated(&dialog, &ui::ReportDialog::previewUpdated);
        QVERIFY(updated.wait(10'000));
        ws.close(0);
        QCOMPARE(ws.runs()->rowCount(), 2);
        for (auto* box : dialog.findChildren<QCheckBox*>())
            if (box->text() == QLatin1String("Seed statistics"))
                box->setChecked(false);   // any change rebuilds
        QVERIFY(updated.wait(10'000));
        QCOMPARE(dialog.report()->runCount(), 2);
        const QString html = dialog.report()->html();
        QVERIFY(html.contains(kept + QStringLiteral("-0")) && html.contains(kept + QStringLiteral("-1")));
        QVERIFY(!html.contains(gone + QStringLiteral("-")));
    }

    void runsWithoutSeedsOrProvenanceSayNothingFalse()
    {
        // Like another tool's runs: no params, no git, no environment.
        const QString store = dir_.filePath(QStringLiteral("bare.db"));
        for (int i = 0; i < 3; ++i) {
            RunOptions o = test::testRun("bare-" + std::to_string(i));
            o.capture_environment = false;
            auto run = Run::start(store.toStdString(), o);
            run.logMetric("loss", i, 0);
            run.finish();
        }
        Workspace ws;
        QVERIFY(ws.openAndWait({store}).isEmpty());
        const QString html
            = ui::ComparisonReport::build(ws, allRows(ws), {}, [&](const SeriesKey& k) { return ws.loadSeriesNow(k); }).html();
        // Three runs with no params are not "a seed group"; no commit is not a commit.
        QVERIFY(!html.contains(QStringLiteral("<section id=\"seeds\">")));
        QVERIFY(!html.contains(QStringLiteral("commit: —")));
        QVERIFY(html.contains(QStringLiteral("No git state, data versions or environment recorded")));
    }

    void preferredMetricsPutLossesAndScoresFirst()
    {
        const QStringList available = {QStringLiteral("epoch"), QStringLiteral("lr"), QStringLiteral("train/acc"),
            QStringLiteral("train/loss"), QStringLiteral("val/acc"), QStringLiteral("val/loss"), QStringLiteral("val_auc"),
            QStringLiteral("throughput")};
        // One of each kind first (held-out before training), then the rest.
        QCOMPARE(preferredMetrics(available, 4),
                 (QStringList{QStringLiteral("val/loss"), QStringLiteral("val/acc"), QStringLiteral("val_auc"),
                     QStringLiteral("train/loss")}));
        QCOMPARE(preferredMetrics(available, 100).size(), available.size());
        QCOMPARE(preferredMetrics({QStringLiteral("b"), QStringLiteral("a10"), QStringLiteral("a9")}, 2),
                 (QStringList{QStringLiteral("a9"), QStringLiteral("a10")}));
        QVERIFY(preferredMetrics({}, 4).isEmpty());

        // The logger's system metrics are never chosen unasked (a "loss"
        // among them is still a system metric), not even when a live run has
        // logged nothing else yet; lists to choose from have them last.
        const QStringList withSystem = {QStringLiteral("system/cpu_percent"), QStringLiteral("system/gpu.0.memory_used_mb"),
            QStringLiteral("acc"), QStringLiteral("system/loss_scale"), QStringLiteral("throughput")};
        QCOMPARE(preferredMetrics(withSystem, 3), (QStringList{QStringLiteral("acc"), QStringLiteral("throughput")}));
        QCOMPARE(metricsInPreferredOrder(withSystem),
                 (QStringList{QStringLiteral("acc"), QStringLiteral("throughput"), QStringLiteral("system/cpu_percent"),
                     QStringLiteral("system/gpu.0.memory_used_mb"), QStringLiteral("system/loss_scale")}));
        QCOMPARE(chosenMetric(withSystem, {}, {}), QStringLiteral("acc"));
        QCOMPARE(chosenMetric({QStringLiteral("system/cpu_percent")}, {}, {}), QString());
        QVERIFY(isSystemMetric(QStringLiteral("system/process.rss_mb")));
        QVERIFY(!isSystemMetric(QStringLiteral("val/system/loss")));
    }

    void aReportLeavesSystemMetricsOutUnlessChosen()
    {
        RunTable t;
        const int r = t.addRun(QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        for (const char* key : {"system/gpu.0.memory_used_mb", "loss", "system/cpu_percent"})
            t.setMetric(r, QString::fromLatin1(key), 1, 1, 1, 10, 9);
        QCOMPARE(ReportContent::defaultMetrics(t, {r}), QStringList{QStringLiteral("loss")});
    }
};

QTEST_MAIN(TestReport)
#include "test_report.moc"
