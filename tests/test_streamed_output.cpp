// SPDX-License-Identifier: GPL-3.0-or-later
// `runlens runs` and `runlens metric` write JSON and CSV as they go instead
// of building the document first (issue 18). The output must not change: the
// streamed text is compared byte for byte with the document the CLI printed
// before (QJsonDocument over runToJson / seriesToJson, indented) and with the
// CSV of the line-at-a-time QStringList writer it replaced, on a store of odd
// values: NaN and infinities, unicode and control characters, keys that sort
// differently by code unit and by code point, missing params, JSON params,
// nested and trashed runs, a run with nothing logged.
#include "cli_output.h"
#include "json_text.h"
#include "run_json.h"
#include "run_table_csv.h"
#include "store_registry.h"
#include "runlens/runlens.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <optional>
#include <random>

using namespace runlens;

namespace {

using test::runCli;

std::shared_ptr<const RunTable> load(const QString& store)
{
    auto reader = openStore(store);
    if (!reader)
        throw std::runtime_error(reader.error().toStdString());
    auto runs = (*reader)->loadRuns();
    if (!runs)
        throw std::runtime_error(runs.error().toStdString());
    return runs->table;
}

// What `runlens runs` listed before: every run but the trashed, in table order.
std::vector<int> untrashed(const RunTable& t)
{
    std::vector<int> rows;
    for (int r = 0; r < t.rowCount(); ++r)
        if (!t.isTrashed(r))
            rows.push_back(r);
    return rows;
}

// The CSV writer as it was before it streamed (a QStringList a line, each
// field quoted by the csvField of then): the reference the streamed CSV must
// equal, kept whole here so that a change to today's quoting shows.
QString csvFieldAsBefore(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
        && !text.contains(QLatin1Char('\r')))
        return text;
    QString q = text;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString csvAsBefore(const RunTable& t, const std::vector<int>& rows)
{
    QString text;
    QTextStream out(&text);
    QStringList header = {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("experiment"),
        QStringLiteral("status"), QStringLiteral("start_time"), QStringLiteral("end_time")};
    for (const auto& c : t.params())
        header << QStringLiteral("params.") + c.key;
    for (const auto& m : t.metrics())
        header << QStringLiteral("metrics.") + m.key;
    for (const auto& c : t.tags())
        header << QStringLiteral("tags.") + c.key;
    for (auto& h : header)
        h = csvFieldAsBefore(h);
    out << header.join(QLatin1Char(',')) << '\n';
    for (int r : rows) {
        QStringList cells = {t.id(r), t.name(r), t.experiment(r), statusName(t.status(r)),
            QString::number(t.startTime(r)), t.endTime(r) < 0 ? QString() : QString::number(t.endTime(r))};
        for (const auto& c : t.params())
            cells << (c.has(r) ? c.text[size_t(r)] : QString());
        for (const auto& m : t.metrics())
            cells << (m.has(r) ? numberText(m.last[size_t(r)]) : QString());
        for (const auto& c : t.tags())
            cells << (c.has(r) ? c.text[size_t(r)] : QString());
        for (auto& cell : cells)
            cell = csvFieldAsBefore(cell);
        out << cells.join(QLatin1Char(',')) << '\n';
    }
    out.flush();
    return text;
}

QString indented(const QJsonArray& array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented));
}

QString written(const QJsonValue& v)
{
    QString text;
    JsonTextWriter w(text);
    w.value(v);
    return text;
}

// The first line where two texts differ, for a failure that can be read.
QByteArray firstDifference(const QString& got, const QString& want)
{
    const QStringList a = got.split(QLatin1Char('\n')), b = want.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < std::max(a.size(), b.size()); ++i)
        if (a.value(i) != b.value(i) || i >= a.size() || i >= b.size())
            return QStringLiteral("line %1:\n  got:  %2\n  want: %3").arg(i + 1).arg(a.value(i), b.value(i)).toUtf8();
    return {};
}

#define COMPARE_TEXT(got, want) QVERIFY2((got) == (want), firstDifference((got), (want)).constData())

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

} // namespace

class TestStreamedOutput : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;
    std::optional<Run> live_;

    static QJsonObject byName(const QJsonArray& runs, const QString& name)
    {
        for (const auto& r : runs)
            if (r.toObject()[QStringLiteral("name")].toString() == name)
                return r.toObject();
        return {};
    }

private slots:
    void initTestCase()
    {
        store_ = dir_.filePath(QStringLiteral("odd.db"));
        const std::string path = store_.toStdString();
        std::string parentId;
        {
            RunOptions o = test::testRun("sweep \"α\", parent");
            o.experiment = "expérience";
            auto parent = Run::start(path, o);
            parent.logParam("lr", 0.1);
            parent.logParam("optimizer", "adam, \"β1\"\nline two");
            parent.logParam("ok", true);
            parent.logParam("huge", int64_t(1) << 60);
            parent.logParam("tiny", 5e-324);
            parent.logParamJson("layers", R"([64, 1.0, 1e15, 9007199254740993, {"z": null, "a": "x"}, [], {}])");
            parent.setTag("note", "tab\there, bell\x07, slash / backslash \\ end");
            parent.setTag("émoji 😀", "😀 and 中文");
            parent.setTag("old mac", "line\rend"); // quoted in CSV for its \r alone
            // Keys that sort one way by UTF-16 code unit (QJsonObject's order)
            // and another by code point: U+FF21 before U+1F600 by code point,
            // after it by code unit.
            parent.logParam("\xef\xbc\xa1", 1);
            parent.logParam("\xf0\x9f\x98\x80", 2);
            parent.logParam("Zeta", 3);
            parent.logParam("alpha", 4);
            parent.logMetric("loss", 1.5, 0);
            parent.logMetric("loss", kNaN, 1);
            parent.logMetric("inf", kInf, 0);
            parent.logMetric("neg-inf", -kInf, 0);
            parent.logMetric("zero", -0.0, 0);
            parent.logMetric("big step", 0.25, int64_t(1) << 55);
            parent.finish(RunStatus::Finished);
            parentId = parent.id();
        }
        for (int i = 0; i < 3; ++i) {
            RunOptions o = test::testRun("trial " + std::to_string(i));
            o.parent_id = parentId;
            auto run = Run::start(path, o);
            if (i != 1) // a missing param
                run.logParam("lr", 0.01 * (i + 1));
            run.logParam("seed", i);
            run.logMetric("loss", 1.0 / (i + 3), 0);
            run.logMetric("acc", i == 2 ? kNaN : 0.5 + i * 0.1, 0);
            if (i == 2) // trashed: out of `runlens runs`, as in the app
                run.setTag(kTrashedTag.toStdString(), "2024-01-01T00:00:00Z");
            run.finish(i == 0 ? RunStatus::Failed : RunStatus::Finished);
        }
        live_.emplace(Run::start(path, test::testRun("empty"))); // nothing logged, still running
        QVERIFY(live_->flush());
    }

    void cleanupTestCase() { live_.reset(); }

    // The writer prints any value as QJsonDocument does: numbers as
    // QJsonValue keeps them (whole ones as integers within 2^53), every
    // escape, surrogates paired and lone, empty and nested containers.
    void writerPrintsWhatQtPrints()
    {
        QJsonArray values;
        for (double d : {0.0, -0.0, 1.0, -1.0, 0.1, 1e-5, 1e-7, 123456.789, 1e15, 1e16, 1e21, 1e300, 5e-324,
                 std::numeric_limits<double>::max(), 9007199254740992.0, 9007199254740994.0, -9007199254740992.0,
                 -9007199254740994.0, 9.2233720368547758e18, -9.2233720368547758e18, 1.7e12, kNaN, kInf, -kInf})
            values.append(d);
        std::mt19937_64 rng(18);
        std::uniform_real_distribution<double> unit(-1, 1);
        std::uniform_int_distribution<int> exponent(-320, 300);
        for (int i = 0; i < 20000; ++i) {
            const double d = std::ldexp(unit(rng), exponent(rng) / 4);
            values.append(d);
            values.append(std::round(d * 1000)); // whole numbers, inside and outside 2^53
        }
        values.append(qint64(9007199254740993)); // an integer past 2^53, exact
        values.append(std::numeric_limits<qint64>::min());
        QString controls;
        for (char16_t c = 0; c < 0x80; ++c)
            controls += QChar(c);
        values.append(controls);
        values.append(QStringLiteral("é 中文 😀 \u2028 \u00ad"));
        values.append(QString(QChar(0xd83d)) + QStringLiteral("lone high, then lone low") + QChar(0xde00));
        values.append(QStringLiteral("high at the end ") + QChar(0xd83d));
        values.append(QString(QChar(0xd83d)) + QChar(0xd83d) + QChar(0xde00));
        values.append(QString());
        values.append(QJsonValue());
        values.append(true);
        values.append(false);
        values.append(QJsonArray());
        values.append(QJsonObject());
        values.append(QJsonDocument::fromJson(R"({"b": [1, 2.0, 3.5, {}], "a": {"x": [[]]}, "é": "\u0001"})").object());
        COMPARE_TEXT(written(values), indented(values));

        // number() is QJsonValue(double) printed.
        QString numbers;
        JsonTextWriter w(numbers);
        w.beginArray();
        QJsonArray asValues;
        for (const auto& v : values)
            if (v.isDouble()) {
                w.number(v.toDouble());
                asValues.append(v.toDouble());
            }
        w.endArray();
        COMPARE_TEXT(numbers, indented(asValues));
        COMPARE_TEXT(written(QJsonArray()), indented(QJsonArray()));
    }

    void runsJsonIsTheDocumentAsBefore()
    {
        const auto table = load(store_);
        const auto rows = untrashed(*table);
        QCOMPARE(int(rows.size()), 4); // one trashed of five
        QJsonArray before;
        for (int r : rows)
            before.append(runToJson(*table, r));
        const auto o = runCli({QStringLiteral("runs"), store_, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(o.code, 0);
        COMPARE_TEXT(o.out, indented(before));
        // And it parses. (Not back to `before` value for value: Qt reads "1"
        // printed from a double 1.0 as an integer, and QJsonValue tells them apart.)
        QJsonParseError error;
        const auto parsed = QJsonDocument::fromJson(o.out.toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(parsed.array().size(), before.size());

        // The values themselves, not only "as before": what the odd ones became.
        const QJsonObject parent = byName(before, QStringLiteral("sweep \"α\", parent"));
        QCOMPARE(parent[QStringLiteral("experiment")].toString(), QStringLiteral("expérience"));
        const QJsonObject metrics = parent[QStringLiteral("metrics")].toObject();
        QVERIFY(metrics[QStringLiteral("loss")].toObject()[QStringLiteral("last")].isNull()); // NaN
        QCOMPARE(metrics[QStringLiteral("inf")].toObject()[QStringLiteral("last")].toString(), QStringLiteral("inf"));
        QCOMPARE(metrics[QStringLiteral("neg-inf")].toObject()[QStringLiteral("max")].toString(), QStringLiteral("-inf"));
        QCOMPARE(metrics[QStringLiteral("big step")].toObject()[QStringLiteral("last_step")].toInteger(), qint64(1) << 55);
        const QJsonObject params = parent[QStringLiteral("params")].toObject();
        QCOMPARE(params[QStringLiteral("ok")].toBool(), true);
        QCOMPARE(params[QStringLiteral("layers")].toArray().size(), 7);
        QCOMPARE(params.keys().mid(0, 2), QStringList({QStringLiteral("Zeta"), QStringLiteral("alpha")}));
        QVERIFY(o.out.indexOf(QStringLiteral("\"😀\"")) < o.out.indexOf(QStringLiteral("\"\uff21\"")));
        QVERIFY(o.out.contains(QStringLiteral(R"("note": "tab\there, bell\u0007, slash / backslash \\ end")")));
        const QJsonObject trial = byName(before, QStringLiteral("trial 0"));
        QCOMPARE(trial[QStringLiteral("parent_id")].toString(), parent[QStringLiteral("id")].toString());
        QCOMPARE(trial[QStringLiteral("status")].toString(), QStringLiteral("failed"));
        QVERIFY(!byName(before, QStringLiteral("trial 1"))[QStringLiteral("params")].toObject().contains(QStringLiteral("lr")));
        QVERIFY(byName(before, QStringLiteral("trial 2")).isEmpty()); // in the trash
        const QJsonObject empty = byName(before, QStringLiteral("empty"));
        QVERIFY(empty[QStringLiteral("end_time")].isNull());
        QVERIFY(empty[QStringLiteral("params")].toObject().isEmpty());
        QVERIFY(o.out.contains(QStringLiteral("\"params\": {\n        },")));
    }

    void runsJsonOfNoRunsAndOfAQuery()
    {
        const auto table = load(store_);
        auto none = runCli({QStringLiteral("runs"), store_, QStringLiteral("-q"), QStringLiteral("name = nosuch"),
            QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(none.code, 0);
        COMPARE_TEXT(none.out, indented(QJsonArray()));

        // With the trash too, in a query's order.
        auto some = runCli({QStringLiteral("runs"), store_, QStringLiteral("--deleted"), QStringLiteral("-q"),
            QStringLiteral("order by metrics.loss"), QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(some.code, 0);
        const QJsonArray got = QJsonDocument::fromJson(some.out.toUtf8()).array();
        QCOMPARE(got.size(), 5);
        QJsonArray before;
        for (const auto& run : got)
            before.append(runToJson(*table, table->findRuns({run.toObject()[QStringLiteral("id")].toString()})->front()));
        COMPARE_TEXT(some.out, indented(before));
    }

    void runsCsvIsAsBefore()
    {
        const auto table = load(store_);
        const auto o = runCli({QStringLiteral("runs"), store_, QStringLiteral("--format"), QStringLiteral("csv")});
        QCOMPARE(o.code, 0);
        COMPARE_TEXT(o.out, csvAsBefore(*table, untrashed(*table)));
        QVERIFY(o.out.contains(QStringLiteral("\"adam, \"\"β1\"\"\nline two\"")));
        for (const char* text : {"a,\"b\"", "plain", "", "cr\rlf\n", "\"", "tab\t"})
            QCOMPARE(csvField(QString::fromUtf8(text)), csvFieldAsBefore(QString::fromUtf8(text)));
    }

    void seriesJsonIsTheDocumentAsBefore()
    {
        const std::string path = dir_.filePath(QStringLiteral("series.db")).toStdString();
        {
            auto run = Run::start(path, test::testRun("curve"));
            const double values[] = {0.5, kNaN, kInf, -kInf, -0.0, 1e-300, 123456789.125};
            for (int64_t i = 0; i < 5000; ++i)
                run.logMetric("loss", values[i % 7] * (i % 2 ? 1 : -1), i < 4999 ? i : (int64_t(1) << 60) + 1,
                    1700000000.0 + double(i) / 7);
            run.finish();
        }
        const QString store = QString::fromStdString(path);
        auto reader = openStore(store);
        QVERIFY(reader.ok());
        const auto runs = (*reader)->loadRuns();
        const auto series = (*reader)->loadSeries(runs->table->id(0), QStringLiteral("loss"));
        QVERIFY(series.ok());
        QCOMPARE(series->size(), size_t(5000));
        const auto o = runCli({QStringLiteral("metric"), store, QStringLiteral("curve"), QStringLiteral("loss"),
            QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(o.code, 0);
        COMPARE_TEXT(o.out, indented(seriesToJson(*series)));
        QVERIFY(o.out.contains(QStringLiteral("\"step\": 1152921504606846977")));
    }
};

QTEST_GUILESS_MAIN(TestStreamedOutput)
#include "test_streamed_output.moc"
