// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers as people read them and as programs read them back (number_text.h),
// values in cells (value_text.h), other tools' internal tags (tool_tags.h),
// and keys in natural order in the run table and comparisons.
#include "number_text.h"
#include "run_diff.h"
#include "run_table.h"
#include "tool_tags.h"
#include "value_text.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

using namespace runlens;

class TestNumberText : public QObject {
    Q_OBJECT

private slots:
    void compactNumberHasSixDigitsAndEngineeringExponents_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("issue 21's param") << 0.057998924774706806 << QStringLiteral("0.0579989");
        QTest::newRow("a third") << 1.0 / 3 << QStringLiteral("0.333333");
        QTest::newRow("whole") << 1.0 << QStringLiteral("1");
        QTest::newRow("no trailing zeros") << 2.5 << QStringLiteral("2.5");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0");
        QTest::newRow("minus zero") << -0.0 << QStringLiteral("0");
        QTest::newRow("a thousandth stays plain") << 0.001 << QStringLiteral("0.001");
        QTest::newRow("small") << 0.000123456789 << QStringLiteral("123.457e-6");
        QTest::newRow("a learning rate") << 3e-4 << QStringLiteral("300e-6");
        QTest::newRow("1e-5") << 1e-5 << QStringLiteral("10e-6");
        QTest::newRow("negative small") << -2.5e-7 << QStringLiteral("-250e-9");
        QTest::newRow("below a million stays plain") << 123456.7 << QStringLiteral("123457");
        QTest::newRow("rounds into the exponent") << 999999.7 << QStringLiteral("1e6");
        QTest::newRow("large") << 1234567.0 << QStringLiteral("1.23457e6");
        QTest::newRow("billions") << 1.5e9 << QStringLiteral("1.5e9");
        QTest::newRow("tiny") << 1e-300 << QStringLiteral("1e-300");
        QTest::newRow("nan") << double(NAN) << QStringLiteral("NaN");
        QTest::newRow("inf") << double(INFINITY) << QStringLiteral("inf");
        QTest::newRow("-inf") << -double(INFINITY) << QStringLiteral("-inf");
    }
    void compactNumberHasSixDigitsAndEngineeringExponents()
    {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(compactNumber(value), text);
        // What is shown reads back as a number within six digits.
        if (std::isfinite(value) && value != 0) {
            bool ok = false;
            const double back = text.toDouble(&ok);
            QVERIFY(ok);
            QVERIFY(std::abs(back - value) <= std::abs(value) * 5e-6);
        }
    }

    void numberTextIsExactAndRoundTrips()
    {
        QCOMPARE(numberText(0.057998924774706806), QStringLiteral("0.057998924774706806"));
        std::mt19937_64 random(21);
        std::uniform_real_distribution<double> exponent(-300, 300);
        for (int i = 0; i < 2000; ++i) {
            const double v = std::pow(10.0, exponent(random)) * (i % 2 ? -1 : 1);
            QCOMPARE(numberText(v).toDouble(), v);
        }
    }

    void compactValueShortensFractionsOnly()
    {
        QCOMPARE(compactValue(QStringLiteral("0.057998924774706806")), QStringLiteral("0.0579989"));
        QCOMPARE(compactValue(QStringLiteral("1e-05")), QStringLiteral("10e-6"));
        QCOMPARE(compactValue(QStringLiteral("0.000123456")), QStringLiteral("123.456e-6"));
        QCOMPARE(compactValue(QStringLiteral("1234567.5")), QStringLiteral("1.23457e6"));
        QCOMPARE(compactValue(QStringLiteral("0.1234567")), QStringLiteral("0.123457"));
        // A short plain fraction is compact already, and keeps its written digits.
        for (const char* text : {"3.10", "0.10", "0.25", "12345.5", "0.001", "-2.50"})
            QCOMPARE(compactValue(QString::fromLatin1(text)), QString::fromLatin1(text));
        // Whole numbers are ids, seeds and sizes: every digit stays.
        QCOMPARE(compactValue(QStringLiteral("1234567890123")), QStringLiteral("1234567890123"));
        QCOMPARE(compactValue(QStringLiteral("-42")), QStringLiteral("-42"));
        for (const char* text : {"adam", "nan", "inf", "-Infinity", "", "0x1f", "3.10.2", "[1, 2]"})
            QCOMPARE(compactValue(QString::fromLatin1(text)), QString::fromLatin1(text));
    }

    void longJsonIsElidedInACellAndPrettyInTheViewer()
    {
        QString json = QStringLiteral(R"([{"run_id": "8f1c", "artifact_path": "model", "flavors": {"python_function": {"loader_module": "mlflow.sklearn", "python_version": "3.10.12"}}}])");
        QVERIFY(isLongJson(json));
        QVERIFY(isElidedInCell(json));
        const QString cell = cellText(json, false);
        QCOMPARE(cell.size(), kCellValueChars);
        QVERIFY(cell.endsWith(QChar(0x2026)));
        QVERIFY(cell.startsWith(QStringLiteral(R"([{"artifact_path":"model")"))); // compact JSON, keys sorted by Qt
        const QString pretty = prettyValue(json);
        QVERIFY(pretty.startsWith(QStringLiteral("[\n    {\n        \"artifact_path\": \"model\",\n")));
        QVERIFY(pretty.contains(QStringLiteral("\"loader_module\": \"mlflow.sklearn\"")));
        // Short values and text are as they are.
        QCOMPARE(cellText(QStringLiteral("{\"a\": 1}"), false), QStringLiteral("{\"a\": 1}"));
        QVERIFY(!isLongJson(QStringLiteral("x").repeated(200)));
        QCOMPARE(prettyValue(QStringLiteral("not json {")), QStringLiteral("not json {"));
        QCOMPARE(cellText(QStringLiteral("a\nb"), false), QStringLiteral("a ↵ b"));
        // Recorded facts keep every character; params and tags read compact.
        QCOMPARE(cellText(QStringLiteral("0.057998924774706806"), false), QStringLiteral("0.057998924774706806"));
        QCOMPARE(cellText(QStringLiteral("0.057998924774706806")), QStringLiteral("0.0579989"));
    }

    void toolTagsAreOtherToolsBookkeeping()
    {
        for (const char* key : {"mlflow.user", "mlflow.source.name", "mlflow.source.git.commit", "mlflow.runName",
                 "mlflow.log-model.history", "mlflow.parentRunId", "azureml.runsource", "_wandb.runtime"})
            QVERIFY2(isToolInternalTag(QString::fromLatin1(key)), key);
        for (const char* key : {"owner", "stage", "runlens.dropped_points", "mlflowish", "model.mlflow"})
            QVERIFY2(!isToolInternalTag(QString::fromLatin1(key)), key);
    }

    void columnsSortNaturally()
    {
        RunTable t;
        const int row = t.addRun(QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        for (const char* key : {"param_10", "param_2", "param_1", "Param_3", "alpha"})
            t.setParam(row, QString::fromLatin1(key), QStringLiteral("1"), 1.0);
        for (const char* key : {"layer10/loss", "layer9/loss"})
            t.setMetric(row, QString::fromLatin1(key), 1, 1, 1, 1, 0);
        t.sortColumns();
        QStringList keys;
        for (const auto& c : t.params())
            keys << c.key;
        QCOMPARE(keys, QStringList({QStringLiteral("alpha"), QStringLiteral("param_1"), QStringLiteral("param_2"),
                           QStringLiteral("Param_3"), QStringLiteral("param_10")}));
        QCOMPARE(t.metrics().front().key, QStringLiteral("layer9/loss"));
        QCOMPARE(t.param(QStringLiteral("param_10"))->key, QStringLiteral("param_10")); // the index follows
    }

    void comparisonsHideToolTagsSortNaturallyAndCopyCompact()
    {
        auto run = [](const char* id, const char* lr, const char* user) {
            RunDetails d;
            d.id = QString::fromLatin1(id);
            d.name = d.id;
            d.params = {{QStringLiteral("param_10"), QStringLiteral("int"), QString::fromLatin1(id)},
                        {QStringLiteral("param_2"), QStringLiteral("float"), QString::fromLatin1(lr)}};
            d.tags = {{QStringLiteral("mlflow.user"), QString::fromLatin1(user)}, {QStringLiteral("stage"), QString::fromLatin1(id)}};
            return d;
        };
        const std::vector<RunDetails> runs = {run("1", "0.057998924774706806", "ada"), run("2", "0.221622073168209", "bob")};
        const RunComparison hidden = compareRuns(runs);
        QStringList keys;
        for (const auto& r : hidden.rows)
            keys << r.section + QLatin1Char('.') + r.key;
        QVERIFY(!keys.contains(QStringLiteral("tags.mlflow.user")));
        QVERIFY(keys.contains(QStringLiteral("tags.stage")));
        QVERIFY(keys.indexOf(QStringLiteral("params.param_2")) < keys.indexOf(QStringLiteral("params.param_10")));
        // The values stay exact in the comparison; what is pasted reads compact.
        const auto lr = std::find_if(hidden.rows.begin(), hidden.rows.end(), [](const auto& r) { return r.key == QLatin1String("param_2"); });
        QCOMPARE(*lr->values[0], QStringLiteral("0.057998924774706806"));
        const QString markdown = comparisonToMarkdown(hidden, true, 0);
        QVERIFY2(markdown.contains(QStringLiteral("| 0.0579989 |")), qPrintable(markdown));
        QVERIFY(!markdown.contains(QStringLiteral("0.057998924774706806")));

        const RunComparison shown = compareRuns(runs, {.toolTags = true});
        QVERIFY(std::any_of(shown.rows.begin(), shown.rows.end(), [](const auto& r) { return r.key == QLatin1String("mlflow.user"); }));
        const auto entries = diffRuns(runs[0], runs[1]);
        QVERIFY(std::none_of(entries.begin(), entries.end(), [](const auto& e) { return e.key == QLatin1String("mlflow.user"); }));
        QCOMPARE(entries.front().key, QStringLiteral("param_2"));
    }
};

QTEST_GUILESS_MAIN(TestNumberText)
#include "test_number_text.moc"
