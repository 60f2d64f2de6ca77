// The HTML report: sections present, values right, user strings escaped, no
// external resources.
#include "report_writer.h"
#include "runlens/runlens.h"
#include "workspace.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;

class TestReport : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void selfContainedEscapedAndComplete()
    {
        const QString store = dir_.filePath(QStringLiteral("report.db"));
        for (int seed = 0; seed < 2; ++seed) {
            RunOptions o;
            o.name = seed ? "<script>alert(1)</script>" : "plain & simple";
            o.capture_git = false;
            auto run = Run::start(store.toStdString(), o);
            run.logParam("lr", 0.1);
            run.logParam("seed", seed);
            run.logParam("note", "a<b");
            run.logDataVersion("train", "v\"3\"");
            for (int s = 0; s < 200; ++s)
                run.logMetric("loss", 1.0 / (s + 1) + seed, s);
            run.finish();
        }
        Workspace ws;
        ws.open({store});
        ws.waitForIdle();
        QCOMPARE(ws.runs()->rowCount(), 2);
        ui::ReportOptions o;
        o.title = QStringLiteral("A <b>bold</b> title");
        o.notes = QStringLiteral("line one\nline <two>");
        const QString html = ui::buildHtmlReport(ws, {0, 1}, o);
        for (const char* id : {"runs", "diff", "curves", "seeds", "provenance", "notes"})
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
        QVERIFY(html.contains(QStringLiteral("(+1)")));
        // The curve is inline SVG; nothing is fetched from elsewhere.
        QVERIFY(html.contains(QStringLiteral("<svg")));
        static const QRegularExpression external(QStringLiteral("(src|href)\\s*=\\s*[\"']?(https?:|//)"));
        QVERIFY(!external.match(html).hasMatch());
        QVERIFY(!html.contains(QStringLiteral("<link")));
        QVERIFY(!html.contains(QStringLiteral("<script")));
    }
};

QTEST_MAIN(TestReport)
#include "test_report.moc"
