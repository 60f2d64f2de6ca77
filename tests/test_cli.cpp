// SPDX-License-Identifier: GPL-3.0-or-later
// The CLI as a script sees it: output formats, exit codes and messages.
#include "baselines.h"
#include "cli_output.h"
#include "command_line.h"
#include "desktop_launch.h"
#include "run_table.h"
#include "snapshot.h"
#include "runlens/runlens.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;

class TestCli : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString store_;
    QString idA_, idB_;

    using Output = test::CliOutput;
    static Output cli(const QStringList& args) { return test::runCli(args); }

    // The binary as a server's shell starts it: no DISPLAY, no WAYLAND_DISPLAY,
    // no QT_QPA_PLATFORM. Before, Qt aborted ("could not connect to display").
    struct Process {
        int code = -1;
        QProcess::ExitStatus status = QProcess::CrashExit;
        QString out, err;
    };
    static Process headless(const QStringList& args, const QString& platform = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QString::fromLatin1(name));
        if (!platform.isEmpty())
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
        env.insert(QStringLiteral("QT_QPA_PLATFORM_PLUGIN_PATH"), QStringLiteral("/nonexistent")); // a window would fail loudly
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(RUNLENS_BIN), args);
        Process r;
        if (!p.waitForFinished(20000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.code = p.exitCode();
        r.status = p.exitStatus();
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private slots:
    void aReportIsTheSameFromProcessToProcess()
    {
        // Each run's colour comes from its id alone: a qHash with a seed
        // mixed in the process's random seed, so every report written by the
        // CLI coloured the same runs differently.
        QByteArray reports[2];
        for (int i = 0; i < 2; ++i) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
            p.setProcessEnvironment(env);
            const QString out = dir_.filePath(QStringLiteral("same-%1.html").arg(i));
            p.start(QStringLiteral(RUNLENS_BIN), {QStringLiteral("report"), store_, QStringLiteral("--query"),
                                                   QStringLiteral("status = finished"), QStringLiteral("-o"), out});
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 0);
            QFile f(out);
            QVERIFY(f.open(QIODevice::ReadOnly));
            reports[i] = f.readAll();
        }
        QVERIFY(reports[0].contains("background:#") || reports[0].contains("color:#"));
        QVERIFY2(reports[0] == reports[1], "two runs of the same report command wrote different reports");
    }

    void initTestCase()
    {
        store_ = dir_.filePath(QStringLiteral("cli.db"));
        auto make = [&](const char* name, double lr, const char* opt, double scale, RunStatus status) {
            RunOptions o;
            o.experiment = "cli";
            o.name = name;
            o.capture_git = false;
            auto run = Run::start(store_.toStdString(), o);
            run.logParam("lr", lr);
            run.logParam("optimizer", opt);
            run.logParam("epochs", 3);
            run.setTag("owner", "ada");
            run.logDataVersion("train", "v3");
            for (int i = 0; i < 3; ++i)
                run.logMetric("loss", scale / (i + 1), i, 1700000000.0 + i);
            run.finish(status);
            return QString::fromStdString(run.id());
        };
        idA_ = make("baseline, \"quoted\"", 0.1, "sgd", 1.0, RunStatus::Finished);
        idB_ = make("wide", 0.01, "adam", 2.0, RunStatus::Failed);
    }

    void runsAsJson()
    {
        const auto o = cli({QStringLiteral("runs"), store_, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(o.code, 0);
        const auto arr = QJsonDocument::fromJson(o.out.toUtf8()).array();
        QCOMPARE(arr.size(), 2);
        const auto a = arr[0].toObject();
        QCOMPARE(a[QStringLiteral("id")].toString(), idA_);
        QCOMPARE(a[QStringLiteral("name")].toString(), QStringLiteral("baseline, \"quoted\""));
        QCOMPARE(a[QStringLiteral("experiment")].toString(), QStringLiteral("cli"));
        QCOMPARE(a[QStringLiteral("status")].toString(), QStringLiteral("finished"));
        QVERIFY(a[QStringLiteral("start_time")].toDouble() > 0);
        QVERIFY(a[QStringLiteral("end_time")].toDouble() >= a[QStringLiteral("start_time")].toDouble());
        QCOMPARE(a[QStringLiteral("params")].toObject()[QStringLiteral("lr")].toDouble(), 0.1);
        QCOMPARE(a[QStringLiteral("params")].toObject()[QStringLiteral("optimizer")].toString(), QStringLiteral("sgd"));
        QCOMPARE(a[QStringLiteral("tags")].toObject()[QStringLiteral("owner")].toString(), QStringLiteral("ada"));
        const auto loss = a[QStringLiteral("metrics")].toObject()[QStringLiteral("loss")].toObject();
        QCOMPARE(loss[QStringLiteral("last")].toDouble(), 1.0 / 3);
        QCOMPARE(loss[QStringLiteral("min")].toDouble(), 1.0 / 3);
        QCOMPARE(loss[QStringLiteral("max")].toDouble(), 1.0);
        QCOMPARE(loss[QStringLiteral("count")].toInt(), 3);
        QCOMPARE(loss[QStringLiteral("last_step")].toInt(), 2);
        QCOMPARE(arr[1].toObject()[QStringLiteral("status")].toString(), QStringLiteral("failed"));
    }

    void runsWithQueryAndCsv()
    {
        auto o = cli({QStringLiteral("runs"), store_, QStringLiteral("--query"),
            QStringLiteral("params.lr < 0.05 or status = finished order by params.lr"), QStringLiteral("--format"),
            QStringLiteral("csv")});
        QCOMPARE(o.code, 0);
        const auto lines = o.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith(QStringLiteral("id,name,experiment,status,start_time,end_time,params.epochs")));
        QVERIFY(lines[1].startsWith(idB_ + QStringLiteral(",wide,cli,failed,")));
        // CSV quoting of a name with a comma and quotes.
        QVERIFY2(lines[2].contains(QStringLiteral("\"baseline, \"\"quoted\"\"\"")), qPrintable(lines[2]));

        o = cli({QStringLiteral("runs"), store_, QStringLiteral("-q"), QStringLiteral("status = failed")});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains(QStringLiteral("wide")));
        QVERIFY(!o.out.contains(QStringLiteral("baseline")));
        QVERIFY(o.out.contains(QStringLiteral("1 of 2 runs")));
    }

    void badQueryExitsFiveAndPointsAtTheColumn()
    {
        const auto o = cli({QStringLiteral("runs"), store_, QStringLiteral("--query"), QStringLiteral("params.lr <")});
        QCOMPARE(o.code, int(cli::BadQuery));
        QVERIFY2(o.err.contains(QStringLiteral("column 12")), qPrintable(o.err));
        QVERIFY(o.err.contains(QStringLiteral("           ^")));
        QVERIFY(o.out.isEmpty());
    }

    void metricPrintsEveryPoint()
    {
        auto o = cli({QStringLiteral("metric"), store_, QStringLiteral("wide"), QStringLiteral("loss")});
        QCOMPARE(o.code, 0);
        QCOMPARE(o.out,
            QStringLiteral("step,timestamp,value\n0,1700000000.000,2\n1,1700000001.000,1\n"
                           "2,1700000002.000,0.6666666666666666\n"));
        o = cli({QStringLiteral("metric"), store_, idA_.left(6), QStringLiteral("loss"), QStringLiteral("--format"),
            QStringLiteral("json")});
        QCOMPARE(o.code, 0);
        const auto arr = QJsonDocument::fromJson(o.out.toUtf8()).array();
        QCOMPARE(arr.size(), 3);
        QCOMPARE(arr[1].toObject()[QStringLiteral("value")].toDouble(), 0.5);
        QCOMPARE(arr[2].toObject()[QStringLiteral("step")].toInt(), 2);
        o = cli({QStringLiteral("metric"), store_, QStringLiteral("wide"), QStringLiteral("acc")});
        QCOMPARE(o.code, int(cli::RunNotFound));
        QVERIFY(o.err.contains(QStringLiteral("it has: loss")));
    }

    void showAndDiff()
    {
        auto o = cli({QStringLiteral("show"), store_, QStringLiteral("wide")});
        QCOMPARE(o.code, 0);
        for (const char* expected : {"Run wide", "failed", "optimizer", "adam", "Data versions", "train", "v3",
                 "Metrics", "Environment", "owner"})
            QVERIFY2(o.out.contains(QString::fromLatin1(expected)), expected);

        o = cli({QStringLiteral("diff"), store_, idA_, QStringLiteral("wide"), QStringLiteral("--format"),
            QStringLiteral("json")});
        QCOMPARE(o.code, 0);
        const auto diffs = QJsonDocument::fromJson(o.out.toUtf8()).object()[QStringLiteral("differences")].toArray();
        QStringList keys;
        for (const auto& d : diffs)
            keys << d.toObject()[QStringLiteral("section")].toString() + QLatin1Char(':')
                    + d.toObject()[QStringLiteral("key")].toString();
        QVERIFY(keys.contains(QStringLiteral("params:lr")));
        QVERIFY(keys.contains(QStringLiteral("params:optimizer")));
        QVERIFY(keys.contains(QStringLiteral("run:status")));
        QVERIFY(keys.contains(QStringLiteral("metrics:loss.last")));
        QVERIFY(keys.contains(QStringLiteral("run:reproducibility hash")));
        // What is equal is not listed.
        QVERIFY(!keys.contains(QStringLiteral("params:epochs")));
        QVERIFY(!keys.contains(QStringLiteral("tags:owner")));
        QVERIFY(!keys.contains(QStringLiteral("data:train")));
        QVERIFY(!keys.contains(QStringLiteral("metrics:loss.count")));

        o = cli({QStringLiteral("diff"), store_, QStringLiteral("wide"), QStringLiteral("wide")});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains(QStringLiteral("No differences.")));

        // The same differences as tables to paste: the second run's deltas against the first.
        o = cli({QStringLiteral("diff"), store_, idA_, QStringLiteral("wide"), QStringLiteral("--format"),
            QStringLiteral("markdown")});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains(QStringLiteral("(baseline) | wide |")));
        QVERIFY(o.out.contains(QStringLiteral("| params | optimizer |")));
        QVERIFY(!o.out.contains(QStringLiteral("| params | epochs |")));
        o = cli({QStringLiteral("diff"), store_, idA_, QStringLiteral("wide"), QStringLiteral("--format"),
            QStringLiteral("latex")});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains(QStringLiteral("\\toprule")));
        QVERIFY(o.out.contains(QStringLiteral("params & optimizer & ")));
        o = cli({QStringLiteral("diff"), store_, idA_, QStringLiteral("wide"), QStringLiteral("--format"),
            QStringLiteral("docx")});
        QCOMPARE(o.code, 2);
    }

    void seedStatistics()
    {
        // Two configs x three seeds; one config clearly better.
        const QString store = dir_.filePath(QStringLiteral("seeds.db"));
        for (int lr = 0; lr < 2; ++lr)
            for (int seed = 0; seed < 3; ++seed) {
                RunOptions o;
                o.name = "s" + std::to_string(lr) + std::to_string(seed);
                o.capture_git = false;
                auto run = Run::start(store.toStdString(), o);
                run.logParam("lr", lr ? 0.1 : 0.01);
                run.logParam("seed", seed);
                run.logMetric("auc", (lr ? 0.9 : 0.5) + seed * 0.01, 0);
                run.finish();
            }
        auto o = cli({QStringLiteral("seeds"), store, QStringLiteral("--metric"), QStringLiteral("auc"),
                      QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(o.code, 0);
        const auto groups = QJsonDocument::fromJson(o.out.toUtf8()).array();
        QCOMPARE(groups.size(), 2);
        QCOMPARE(groups[0].toObject()[QStringLiteral("config")].toString(), QStringLiteral("lr=0.1"));
        QCOMPARE(groups[0].toObject()[QStringLiteral("n")].toInt(), 3);
        QVERIFY(std::abs(groups[0].toObject()[QStringLiteral("mean")].toDouble() - 0.91) < 1e-12);
        QVERIFY(std::abs(groups[0].toObject()[QStringLiteral("sd")].toDouble() - 0.01) < 1e-12);
        const auto welch = groups[1].toObject()[QStringLiteral("welch_vs_best")].toObject();
        QVERIFY(std::abs(welch[QStringLiteral("df")].toDouble() - 4.0) < 1e-9);
        QVERIFY(welch[QStringLiteral("p")].toDouble() < 1e-4);
        o = cli({QStringLiteral("seeds"), store, QStringLiteral("--metric"), QStringLiteral("nope")});
        QCOMPARE(o.code, int(cli::RunNotFound));
        QCOMPARE(cli({QStringLiteral("seeds"), store}).code, int(cli::Usage));
    }

    void candidatesGateCi()
    {
        // A baseline config and a better one, three seeds each, and a run of
        // a noisy config: the rule holds for the better runs only.
        const QString store = dir_.filePath(QStringLiteral("candidates.db"));
        QString baseline;
        const std::pair<double, std::array<double, 3>> configs[] = {
            {0.1, {0.900, 0.902, 0.904}}, {0.05, {0.910, 0.912, 0.914}}, {0.2, {0.890, 0.930, 0.910}}};
        for (const auto& [lr, aucs] : configs)
            for (int seed = 0; seed < 3; ++seed) {
                RunOptions o;
                o.name = "lr" + std::to_string(lr).substr(0, 4) + "-s" + std::to_string(seed);
                o.experiment = "gate";
                o.capture_git = false;
                auto run = Run::start(store.toStdString(), o);
                run.logParam("lr", lr);
                run.logParam("seed", seed);
                run.logMetric("val_auc", aucs[size_t(seed)], 0);
                if (baseline.isEmpty())
                    baseline = QString::fromStdString(run.id());
                run.finish();
            }
        auto o = cli({QStringLiteral("baseline"), store, baseline.left(8)});
        QCOMPARE(o.code, 0);
        QCOMPARE(o.out.trimmed(), QStringLiteral("lr0.10-s0 is the baseline of gate"));
        {
            auto reader = test::mustOpen(store);
            QCOMPARE(readBaselines(*reader).value(QStringLiteral("gate")), baseline);
        }
        const QString rule = QStringLiteral("metrics.val_auc >= baseline.val_auc + 0.005 and seeds >= 3 and welch_p < 0.05");
        // A rule with bad syntax is refused with its column; an order by too.
        o = cli({QStringLiteral("rule"), store, QStringLiteral("gate"), QStringLiteral("metrics.val_auc >= baseline.val_auc +")});
        QCOMPARE(o.code, int(cli::BadQuery));
        QVERIFY2(o.err.contains(QLatin1String("column 38")), qPrintable(o.err));
        QCOMPARE(cli({QStringLiteral("rule"), store, QStringLiteral("gate"), QStringLiteral("seeds > 1 order by name")}).code,
                 int(cli::BadQuery));
        QCOMPARE(cli({QStringLiteral("rule"), store, QStringLiteral("gate")}).code, int(cli::Failed)); // none yet
        QCOMPARE(cli({QStringLiteral("rule"), store, QStringLiteral("gate"), rule}).code, 0);
        o = cli({QStringLiteral("rule"), store, QStringLiteral("gate")});
        QCOMPARE(o.out.trimmed(), rule);

        // The gate: exit 0 when every given run meets it, 1 otherwise.
        o = cli({QStringLiteral("candidates"), store, QStringLiteral("--run"), QStringLiteral("lr0.05-s1")});
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.contains(QLatin1String("lr0.05-s1")) && o.out.contains(QLatin1String("meets the rule")), qPrintable(o.out));
        o = cli({QStringLiteral("candidates"), store, QStringLiteral("--run"), QStringLiteral("lr0.05-s1"),
                 QStringLiteral("--run"), QStringLiteral("lr0.20-s1")});
        QCOMPARE(o.code, int(cli::Failed));
        QVERIFY(o.out.contains(QLatin1String("lr0.20-s1")));
        QVERIFY(o.out.contains(QLatin1String("fails the rule")));
        QCOMPARE(cli({QStringLiteral("candidates"), store, QStringLiteral("--run"), QStringLiteral("nobody")}).code,
                 int(cli::RunNotFound));
        o = cli({QStringLiteral("candidates"), store, QStringLiteral("--run"), QStringLiteral("lr0.20-s1"),
                 QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(o.code, int(cli::Failed));
        QCOMPARE(QJsonDocument::fromJson(o.out.toUtf8()).array().at(0).toObject().value(QStringLiteral("meets")).toBool(), false);

        // Promote: refused against the rule unless forced; recorded either way.
        o = cli({QStringLiteral("promote"), store, QStringLiteral("lr0.20-s1"), QStringLiteral("--why"), QStringLiteral("hunch")});
        QCOMPARE(o.code, int(cli::Failed));
        QVERIFY(o.err.contains(QLatin1String("--force")));
        o = cli({QStringLiteral("promote"), store, QStringLiteral("lr0.05-s0"), QStringLiteral("lr0.05-s1"),
                 QStringLiteral("--why"), QStringLiteral("+1 point on every seed")});
        QCOMPARE(o.code, 0);
        QCOMPARE(o.out.count(QLatin1String("(meets the rule)")), 2);
        QCOMPARE(cli({QStringLiteral("promote"), store, QStringLiteral("lr0.20-s1"), QStringLiteral("--force")}).code, 0);
        o = cli({QStringLiteral("candidates"), store, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(o.code, 0);
        const QJsonObject gate = QJsonDocument::fromJson(o.out.toUtf8()).array().at(0).toObject();
        QCOMPARE(gate.value(QStringLiteral("rule")).toString(), rule);
        const QJsonArray candidates = gate.value(QStringLiteral("candidates")).toArray();
        QCOMPARE(candidates.size(), 3);
        const QJsonObject record = candidates.at(0).toObject().value(QStringLiteral("promotion")).toObject();
        QCOMPARE(record.value(QStringLiteral("why")).toString(), QStringLiteral("+1 point on every seed"));
        QCOMPARE(record.value(QStringLiteral("met_rule")).toBool(), true);
        QCOMPARE(record.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("val_auc")).toDouble(), 0.910);
        QCOMPARE(candidates.at(2).toObject().value(QStringLiteral("promotion")).toObject().value(QStringLiteral("met_rule")).toBool(),
                 false);
        const QJsonArray meeting = gate.value(QStringLiteral("meets_rule")).toArray();
        QCOMPARE(meeting.size(), 1);
        QCOMPARE(meeting.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("lr0.05-s2"));
        // The table form names the same, and demote takes the mark off.
        o = cli({QStringLiteral("candidates"), store});
        QVERIFY(o.out.contains(QLatin1String("candidate lr0.05-s0")));
        QVERIFY(o.out.contains(QLatin1String("against the rule")));
        QVERIFY(o.out.contains(QLatin1String("meets the rule, not promoted: lr0.05-s2")));
        QCOMPARE(cli({QStringLiteral("demote"), store, QStringLiteral("lr0.20-s1")}).code, 0);
        o = cli({QStringLiteral("candidates"), store, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(QJsonDocument::fromJson(o.out.toUtf8()).array().at(0).toObject().value(QStringLiteral("candidates")).toArray().size(), 2);
        // runs --query reaches the baseline too.
        o = cli({QStringLiteral("runs"), store, QStringLiteral("--query"), QStringLiteral("is_baseline"), QStringLiteral("--format"),
                 QStringLiteral("json")});
        QCOMPARE(QJsonDocument::fromJson(o.out.toUtf8()).array().size(), 1);
        // Without a baseline, nothing can beat it: the gate closes.
        QCOMPARE(cli({QStringLiteral("baseline"), store, QStringLiteral("lr0.10-s0"), QStringLiteral("--clear")}).code, 0);
        QCOMPARE(cli({QStringLiteral("candidates"), store, QStringLiteral("--run"), QStringLiteral("lr0.05-s1")}).code,
                 int(cli::Failed));
        QCOMPARE(cli({QStringLiteral("rule"), store, QStringLiteral("gate"), QStringLiteral("--clear")}).code, 0);
        QCOMPARE(cli({QStringLiteral("rule"), store, QStringLiteral("gate")}).code, int(cli::Failed));
    }

    void errorsAndExitCodes()
    {
        QCOMPARE(cli({QStringLiteral("show"), store_, QStringLiteral("nobody")}).code, int(cli::RunNotFound));
        QCOMPARE(cli({QStringLiteral("show"), store_}).code, int(cli::Usage));
        QCOMPARE(cli({QStringLiteral("runs"), store_, QStringLiteral("--format"), QStringLiteral("xml")}).code,
            int(cli::Usage));
        QCOMPARE(cli({QStringLiteral("runs"), store_, QStringLiteral("--bogus")}).code, int(cli::Usage));
        const auto o = cli({QStringLiteral("runs"), dir_.filePath(QStringLiteral("missing.db"))});
        QCOMPARE(o.code, int(cli::StoreError));
        QVERIFY(o.err.contains(QStringLiteral("does not exist")));
        QCOMPARE(cli({QStringLiteral("--help")}).code, 0);
        QVERIFY(cli::isCommand({QStringLiteral("runs")}));
        QVERIFY(!cli::isCommand({store_}));
    }

    void notebookEditsFromTheCommandLine()
    {
        const QString store = dir_.filePath(QStringLiteral("edits.db"));
        QVERIFY(QFile::copy(store_, store));
        auto json = [&](const QStringList& extra = {}) {
            const auto o = cli(QStringList{QStringLiteral("runs"), store, QStringLiteral("--format"), QStringLiteral("json")} + extra);
            return QJsonDocument::fromJson(o.out.toUtf8()).array();
        };
        auto runNamed = [&](const QString& name, const QStringList& extra = {}) {
            for (const auto& v : json(extra))
                if (v.toObject().value(QStringLiteral("name")).toString() == name)
                    return v.toObject();
            return QJsonObject();
        };
        // Tags: set two, remove one, on two runs given by name and id prefix.
        auto o = cli({QStringLiteral("tag"), store, QStringLiteral("wide"), idA_.left(8), QStringLiteral("team=vision"),
                      QStringLiteral("intent=lr sweep ✓"), QStringLiteral("-d"), QStringLiteral("owner")});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains(QStringLiteral("Tag 2 runs team=vision (")));
        QVERIFY2(o.out.contains(QStringLiteral("wide")) && o.out.contains(QStringLiteral(", ")), qPrintable(o.out)); // which runs, by name
        QJsonObject tags = runNamed(QStringLiteral("wide")).value(QStringLiteral("tags")).toObject();
        QCOMPARE(tags.value(QStringLiteral("team")).toString(), QStringLiteral("vision"));
        QCOMPARE(tags.value(QStringLiteral("intent")).toString(), QStringLiteral("lr sweep ✓"));
        QVERIFY(!tags.contains(QStringLiteral("owner")));
        // Notes, unicode kept; rename; star.
        QCOMPARE(cli({QStringLiteral("note"), store, QStringLiteral("wide"), QStringLiteral("ünïcødé 实验: diverged")}).code, 0);
        QCOMPARE(cli({QStringLiteral("note"), store, QStringLiteral("wide"), QStringLiteral("--hypothesis"), QStringLiteral("adam is better")}).code, 0);
        QCOMPARE(cli({QStringLiteral("rename"), store, QStringLiteral("wide"), QStringLiteral("wide-adam")}).code, 0);
        QCOMPARE(cli({QStringLiteral("star"), store, QStringLiteral("wide-adam")}).code, 0);
        o = cli({QStringLiteral("show"), store, QStringLiteral("wide-adam"), QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(o.code, 0);
        const QJsonObject shown = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(shown.value(QStringLiteral("notes")).toString(), QStringLiteral("ünïcødé 实验: diverged"));
        QCOMPARE(shown.value(QStringLiteral("hypothesis")).toString(), QStringLiteral("adam is better"));
        QCOMPARE(runNamed(QStringLiteral("wide-adam")).value(QStringLiteral("tags")).toObject().value(kStarredTag).toString(),
                 QStringLiteral("true"));
        // The trash hides a run from `runs` until restored (or --deleted).
        QCOMPARE(cli({QStringLiteral("trash"), store, QStringLiteral("wide-adam")}).code, 0);
        QCOMPARE(json().size(), 1);
        QCOMPARE(json({QStringLiteral("--deleted")}).size(), 2);
        const auto asked = cli({QStringLiteral("empty-trash"), store});
        QCOMPARE(asked.code, int(cli::Usage)); // asks for --yes, naming what it would delete
        QVERIFY2(asked.err.contains(QStringLiteral("1 run(s) in the trash would be deleted for good, with everything they logged: wide-adam;")),
            qPrintable(asked.err));
        QCOMPARE(json({QStringLiteral("--deleted")}).size(), 2);
        QCOMPARE(cli({QStringLiteral("restore"), store, QStringLiteral("wide-adam")}).code, 0);
        QCOMPARE(json().size(), 2);
        QCOMPARE(cli({QStringLiteral("trash"), store, QStringLiteral("wide-adam")}).code, 0);
        o = cli({QStringLiteral("empty-trash"), store, QStringLiteral("--yes"), QStringLiteral("--vacuum")});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains(QStringLiteral("deleted 1 run")));
        QCOMPARE(json({QStringLiteral("--deleted")}).size(), 1);

        // Bad input: clear errors, the exit-code contract, nothing written.
        const QByteArray before = test::fileHash(store);
        o = cli({QStringLiteral("tag"), store, QStringLiteral("nobody"), QStringLiteral("k=v")});
        QCOMPARE(o.code, int(cli::RunNotFound));
        QVERIFY(o.err.contains(QStringLiteral("no run 'nobody'")));
        o = cli({QStringLiteral("tag"), store, idA_, QStringLiteral("=v")});
        QCOMPARE(o.code, int(cli::Usage));
        QVERIFY(o.err.contains(QStringLiteral("a tag needs a key")));
        QCOMPARE(cli({QStringLiteral("tag"), store, idA_}).code, int(cli::Usage));
        o = cli({QStringLiteral("note"), store, idA_, QString(1024 * 1024 + 10, QLatin1Char('x'))});
        QCOMPARE(o.code, int(cli::Usage));
        QVERIFY(o.err.contains(QStringLiteral("at most 1,024 KiB")));
        o = cli({QStringLiteral("rename"), store, idA_, QStringLiteral("   ")});
        QCOMPARE(o.code, int(cli::Usage));
        QCOMPARE(test::fileHash(store), before);
        QCOMPARE(cli({QStringLiteral("rename"), store, idA_}).code, int(cli::Usage));
        QCOMPARE(cli({QStringLiteral("annotations"), QStringLiteral("send"), store}).code, int(cli::Usage));
    }

    void modelsRegisterAndAlias()
    {
        const QString store = dir_.filePath(QStringLiteral("models.db"));
        QVERIFY(QFile::copy(store_, store));
        auto o = cli({QStringLiteral("models"), store});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains(QStringLiteral("no registered models")));
        // The model made on the way, the alias in the same write.
        o = cli({QStringLiteral("register"), store, QStringLiteral("wide"), QStringLiteral("churn"), QStringLiteral("--alias"),
                 QStringLiteral("challenger"), QStringLiteral("--description"), QStringLiteral("adam, lr 0.01")});
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.contains(QStringLiteral("as churn version 1 (challenger)")), qPrintable(o.out));
        // A refused alias leaves no version behind (one transaction), and says why.
        o = cli({QStringLiteral("register"), store, idA_.left(8), QStringLiteral("churn"), QStringLiteral("--alias"),
                 QStringLiteral("latest")});
        QCOMPARE(o.code, int(cli::Failed));
        QVERIFY2(o.err.contains(QStringLiteral("reserved")), qPrintable(o.err));
        QCOMPARE(cli({QStringLiteral("register"), store, idA_.left(8), QStringLiteral("churn")}).code, 0);
        QCOMPARE(cli({QStringLiteral("alias"), store, QStringLiteral("churn"), QStringLiteral("champion"), QStringLiteral("v2")}).code, 0);
        QCOMPARE(cli({QStringLiteral("alias"), store, QStringLiteral("churn"), QStringLiteral("challenger"), QStringLiteral("--clear")}).code, 0);
        QCOMPARE(cli({QStringLiteral("alias"), store, QStringLiteral("churn"), QStringLiteral("x"), QStringLiteral("9")}).code,
                 int(cli::RunNotFound));
        QCOMPARE(cli({QStringLiteral("alias"), store, QStringLiteral("churn"), QStringLiteral("x")}).code, int(cli::Usage));
        o = cli({QStringLiteral("models"), store, QStringLiteral("churn"), QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(o.code, 0);
        const QJsonObject model = QJsonDocument::fromJson(o.out.toUtf8()).object().value(QStringLiteral("models")).toArray()[0].toObject();
        QCOMPARE(model.value(QStringLiteral("aliases")).toObject(), (QJsonObject{{QStringLiteral("champion"), 2}}));
        const QJsonArray versions = model.value(QStringLiteral("versions")).toArray();
        QCOMPARE(versions.size(), 2);   // the refused batch made none
        QCOMPARE(versions[0].toObject().value(QStringLiteral("run_name")).toString(), QStringLiteral("wide"));
        QCOMPARE(versions[0].toObject().value(QStringLiteral("description")).toString(), QStringLiteral("adam, lr 0.01"));
        QCOMPARE(versions[1].toObject().value(QStringLiteral("source")).toString(), QStringLiteral("runs:/%1/model").arg(idA_));
        // The table: a name with a terminal escape prints as one harmless line.
        QCOMPARE(cli({QStringLiteral("register"), store, QStringLiteral("wide"), QStringLiteral("evil\u009b31m")}).code,
                 int(cli::Failed));
        o = cli({QStringLiteral("models"), store});
        QVERIFY(o.out.contains(QStringLiteral("churn  (2 versions; champion \u2192 v2)")));
        QVERIFY(o.out.contains(QStringLiteral("  v2  None")));
        QCOMPARE(cli({QStringLiteral("models"), store, QStringLiteral("nope")}).code, int(cli::RunNotFound));
        // The exit code follows what the registry refused, not the words of its message: a reserved
        // alias on a model whose name says "not found" is refused as invalid (1), a missing version is 4.
        const QString odd = QStringLiteral("page not found");
        QCOMPARE(cli({QStringLiteral("register"), store, QStringLiteral("wide"), odd}).code, 0);
        QCOMPARE(cli({QStringLiteral("alias"), store, odd, QStringLiteral("latest"), QStringLiteral("1")}).code, int(cli::Failed));
        QCOMPARE(cli({QStringLiteral("alias"), store, odd, QStringLiteral("best"), QStringLiteral("7")}).code, int(cli::RunNotFound));
        // Another tool's store: read, never written.
        const QString mlflow = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-sqlite/mlflow.db");
        const QByteArray before = test::fileHash(mlflow);
        o = cli({QStringLiteral("models"), mlflow});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains(QStringLiteral("logistic_regression")));
        QCOMPARE(cli({QStringLiteral("register"), mlflow, QStringLiteral("85f2ec88"), QStringLiteral("x")}).code, int(cli::Failed));
        QCOMPARE(test::fileHash(mlflow), before);
    }

    void annotationsTravelWithAnotherToolsStore()
    {
        const QString fixture = QStringLiteral(RUNLENS_SHARED_FIXTURES "/mlflow-filestore-v1");
        QVERIFY2(QFileInfo(fixture).isDir(), test::kMissingFixtures);
        const QString mine = dir_.filePath(QStringLiteral("mine-mlruns"));
        QVERIFY(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-r"), fixture, mine}) == 0);
        qputenv("RUNLENS_ANNOTATIONS_DIR", dir_.filePath(QStringLiteral("my-annotations")).toUtf8());
        auto o = cli({QStringLiteral("runs"), mine, QStringLiteral("--format"), QStringLiteral("json")});
        const QString id = QJsonDocument::fromJson(o.out.toUtf8()).array().first().toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(cli({QStringLiteral("note"), mine, id, QStringLiteral("checked by hand")}).code, 0);
        o = cli({QStringLiteral("star"), mine, id});
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains(QStringLiteral("the store is not written")));
        // The experiment's promotion rule travels with the notes.
        o = cli({QStringLiteral("runs"), mine, QStringLiteral("--format"), QStringLiteral("json")});
        const QString exp = QJsonDocument::fromJson(o.out.toUtf8()).array().first().toObject().value(QStringLiteral("experiment")).toString();
        QCOMPARE(cli({QStringLiteral("rule"), mine, exp, QStringLiteral("metrics.acc > 0.5")}).code, 0);
        const QString exported = dir_.filePath(QStringLiteral("notes.json"));
        QCOMPARE(cli({QStringLiteral("annotations"), QStringLiteral("export"), mine, QStringLiteral("-o"), exported}).code, 0);
        // A colleague: the same store elsewhere, their own annotations folder.
        const QString theirs = dir_.filePath(QStringLiteral("their-mlruns"));
        QVERIFY(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-r"), fixture, theirs}) == 0);
        qputenv("RUNLENS_ANNOTATIONS_DIR", dir_.filePath(QStringLiteral("their-annotations")).toUtf8());
        o = cli({QStringLiteral("annotations"), QStringLiteral("import"), theirs, exported});
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.contains(QStringLiteral("imported 2 annotation(s) and 1 saved query or rule")), qPrintable(o.out));
        o = cli({QStringLiteral("rule"), theirs, exp});
        QCOMPARE(o.out.trimmed(), QStringLiteral("metrics.acc > 0.5"));
        o = cli({QStringLiteral("show"), theirs, id, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(QJsonDocument::fromJson(o.out.toUtf8()).object().value(QStringLiteral("notes")).toString(),
                 QStringLiteral("checked by hand"));
        QCOMPARE(QProcess::execute(QStringLiteral("diff"), {QStringLiteral("-r"), QStringLiteral("-q"), fixture, theirs}), 0);
        o = cli({QStringLiteral("annotations"), QStringLiteral("export"), store_});
        QCOMPARE(o.code, int(cli::Usage));   // ours keep them in the store
        qunsetenv("RUNLENS_ANNOTATIONS_DIR");
    }

    void ambiguousNames()
    {
        // Two runs with one name: the name alone cannot say which.
        const QString store = dir_.filePath(QStringLiteral("twins.db"));
        for (int i = 0; i < 2; ++i) {
            RunOptions o;
            o.name = "twin";
            o.capture_git = false;
            Run::start(store.toStdString(), o).finish();
        }
        const auto o = cli({QStringLiteral("show"), store, QStringLiteral("twin")});
        QCOMPARE(o.code, int(cli::RunNotFound));
        QVERIFY(o.err.contains(QStringLiteral("several runs")));

        // A run's name wins over another run's id prefix that spells the same
        // (ids are hex: a run named "a2" and a run whose id starts a2 meet
        // once in 256 runs; a test once picked the wrong one that way).
        RunTable t;
        t.addRun(QStringLiteral("a2c4e6"), QStringLiteral("b1"), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        t.addRun(QStringLiteral("0f1e2d"), QStringLiteral("a2"), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        t.addRun(QStringLiteral("a2ffff"), QStringLiteral("c3"), QStringLiteral("e"), RunStatus::Finished, 0, 1);
        QCOMPARE(t.findRun(QStringLiteral("a2")), 1);
        QCOMPARE(t.findRun(QStringLiteral("a2c")), 0);   // a prefix when no name matches
        QCOMPARE(t.findRun(QStringLiteral("a2f")), 2);
        QCOMPARE(t.findRun(QStringLiteral("a")), -2);    // two ids start so
        QCOMPARE(t.findRun(QStringLiteral("0f1e2d")), 1);
        QCOMPARE(t.findRun(QStringLiteral("zz")), -1);
    }

    void helpForEveryCommand()
    {
        // `runlens help NAME` and `runlens NAME --help` give the command's
        // synopsis and every option it takes; the overview lists every command.
        const auto overview = cli({QStringLiteral("help")});
        QCOMPARE(overview.code, 0);
        QCOMPARE(cli({}).out, overview.out);
        QVERIFY(cli::commands().size() >= 10);
        for (const auto& command : cli::commands()) {
            QVERIFY2(overview.out.contains(QRegularExpression(QStringLiteral("\\n  %1[ \\n]").arg(command.name))),
                     qPrintable(command.name));
            const auto help = cli({QStringLiteral("help"), command.name});
            QCOMPARE(help.code, 0);
            QVERIFY2(help.out.startsWith(QStringLiteral("usage: runlens ") + command.name), qPrintable(help.out));
            QCOMPARE(cli({command.name, QStringLiteral("--help")}).out, help.out);
            for (const auto& option : command.options)
                QVERIFY2(help.out.contains(QStringLiteral("--") + option.names.first()),
                         qPrintable(command.name + QStringLiteral(" --") + option.names.first()));
        }
        const auto unknown = cli({QStringLiteral("help"), QStringLiteral("nosuch")});
        QCOMPARE(unknown.code, int(cli::Usage));
        QVERIFY(unknown.err.contains(QStringLiteral("no command 'nosuch'")));
        // Every view a snapshot can take is in its help (the usage once listed 3 of 9; there are 14).
        const auto snapshot = cli({QStringLiteral("help"), QStringLiteral("snapshot")}).out;
        QCOMPARE(ui::snapshotViews().size(), 14);
        for (const auto& view : ui::snapshotViews())
            QVERIFY2(snapshot.contains(view), qPrintable(view));
    }

    void versionAndUsageErrors()
    {
        for (const char* spelling : {"--version", "version"}) {
            const auto o = cli({QString::fromLatin1(spelling)});
            QCOMPARE(o.code, 0);
            QCOMPARE(o.out, QStringLiteral("runlens " RUNLENS_VERSION "\n"));
        }
        // A usage error names what was expected and shows that command's help.
        const auto o = cli({QStringLiteral("diff"), store_, idA_});
        QCOMPARE(o.code, int(cli::Usage));
        QVERIFY2(o.err.contains(QStringLiteral("expected STORE RUN_A RUN_B, got 2")), qPrintable(o.err));
        QVERIFY(o.err.contains(QStringLiteral("usage: runlens diff")));
        QCOMPARE(cli({QStringLiteral("report"), store_, QStringLiteral("-o"), QStringLiteral("r.html")}).code,
                 int(cli::Usage)); // neither --runs nor --query
        QCOMPARE(cli({QStringLiteral("nosuch-command-but-a-path/")}).code, int(cli::Usage));
    }

    void unknownWordWithoutADisplaySaysSoAndSuggests()
    {
        const auto typo = headless({QStringLiteral("rusn"), store_});
        QCOMPARE(typo.status, QProcess::NormalExit);
        QCOMPARE(typo.code, int(cli::Usage));
        QVERIFY2(typo.err.contains(QStringLiteral("unknown command or store: rusn (did you mean 'runs'?)")), qPrintable(typo.err));
        QVERIFY(!typo.err.contains(QStringLiteral("could not connect")));
        const auto far = headless({QStringLiteral("qwertyuiop")});
        QCOMPARE(far.code, int(cli::Usage));
        QVERIFY2(far.err.contains(QStringLiteral("unknown command or store: qwertyuiop\n")), qPrintable(far.err));
        // With a display (here offscreen) a mistyped command is still no store.
        const auto offscreen = headless({QStringLiteral("shwo")}, QStringLiteral("offscreen"));
        QCOMPARE(offscreen.code, int(cli::Usage));
        QVERIFY2(offscreen.err.contains(QStringLiteral("(did you mean 'show'?)")), qPrintable(offscreen.err));
    }

    void storeWithoutADisplaySuggestsTheCommandLine()
    {
        for (const QStringList& args : {QStringList{store_}, QStringList{}}) {
            const auto o = headless(args);
            QCOMPARE(o.status, QProcess::NormalExit);
            QCOMPARE(o.code, int(cli::Failed));
            QVERIFY2(o.err.contains(QStringLiteral("no display to open the window on")), qPrintable(o.err));
            QVERIFY2(o.err.contains(QStringLiteral("runlens runs %1").arg(args.isEmpty() ? QStringLiteral("STORE") : store_)),
                     qPrintable(o.err));
        }
        // A store training has not created yet is a path, not a typo.
        const auto later = headless({dir_.filePath(QStringLiteral("later.db"))});
        QCOMPARE(later.code, int(cli::Failed));
        QVERIFY(later.err.contains(QStringLiteral("no display")));
    }

    void displayAndSuggestionRules()
    {
        auto has = [](const char* display, const char* wayland, const char* platform) {
            return cli::DisplayEnvironment{QString::fromLatin1(display), QString::fromLatin1(wayland),
                                           QString::fromLatin1(platform)}
                .hasDisplay();
        };
        QVERIFY(!has("", "", ""));
        QVERIFY(has(":0", "", ""));
        QVERIFY(has("", "wayland-0", ""));
        QVERIFY(has("", "", "offscreen"));
        QVERIFY(!has("", "", "xcb"));
        QVERIFY(!has("", "", "wayland;xcb"));
        QCOMPARE(cli::closestCommand(QStringLiteral("snap")), QStringLiteral("snapshot"));
        QCOMPARE(cli::closestCommand(QStringLiteral("dif")), QStringLiteral("diff"));
        QCOMPARE(cli::closestCommand(QStringLiteral("reprot")), QStringLiteral("report"));
        QCOMPARE(cli::closestCommand(QStringLiteral("zzz")), QString());
        const cli::DisplayEnvironment screen{QStringLiteral(":0"), {}, {}};
        QVERIFY(!cli::desktopLaunchRefusal({store_}, screen));
        QVERIFY(!cli::desktopLaunchRefusal({}, screen));
        QVERIFY(!cli::desktopLaunchRefusal({QStringLiteral("-platform"), QStringLiteral("offscreen"), store_}, {}));
    }

    void numbersReadCompactInTablesAndExactInExports()
    {
        const QString store = dir_.filePath(QStringLiteral("numbers.db"));
        {
            RunOptions o;
            o.experiment = "numbers";
            o.name = "long-float";
            o.capture_git = false;
            auto run = Run::start(store.toStdString(), o);
            run.logParam("lr", 0.057998924774706806);
            run.logParam("param_10", 1);
            run.logParam("param_2", 2);
            run.setTag("mlflow.user", "ada");
            run.setTag("mlflow.source.name", "train.py");
            run.logMetric("auc", 0.91234567891, 0);
            run.finish(RunStatus::Finished);
            RunOptions o2 = o;
            o2.name = "other";
            auto other = Run::start(store.toStdString(), o2);
            other.logParam("lr", 0.1);
            other.logParam("param_10", 3);
            other.logParam("param_2", 4);
            other.logMetric("auc", 0.5, 0);
            other.finish(RunStatus::Finished);
        }
        const auto table = cli({QStringLiteral("runs"), store});
        QCOMPARE(table.code, 0);
        QVERIFY2(table.out.contains(QStringLiteral("0.0579989")) && table.out.contains(QStringLiteral("0.912346")), qPrintable(table.out));
        QVERIFY(!table.out.contains(QStringLiteral("0.057998924774706806")));
        QVERIFY(table.out.indexOf(QStringLiteral("param_2")) < table.out.indexOf(QStringLiteral("param_10")));
        const auto json = cli({QStringLiteral("runs"), store, QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY(json.out.contains(QStringLiteral("0.057998924774706806")));
        QVERIFY(json.out.contains(QStringLiteral("0.91234567891")));
        const auto csv = cli({QStringLiteral("runs"), store, QStringLiteral("--format"), QStringLiteral("csv")});
        QVERIFY(csv.out.contains(QStringLiteral(",0.057998924774706806,")));
        QVERIFY(csv.out.contains(QStringLiteral("0.91234567891")));

        // show: compact, other tools' tags hidden unless asked; json has everything.
        const auto show = cli({QStringLiteral("show"), store, QStringLiteral("long-float")});
        QCOMPARE(show.code, 0);
        QVERIFY2(show.out.contains(QStringLiteral("0.0579989")), qPrintable(show.out));
        QVERIFY(!show.out.contains(QStringLiteral("mlflow.user")));
        QVERIFY(show.out.contains(QStringLiteral("(2 internal tag(s) of other tools hidden; --tool-tags shows them)")));
        const auto all = cli({QStringLiteral("show"), store, QStringLiteral("long-float"), QStringLiteral("--tool-tags")});
        QVERIFY(all.out.contains(QStringLiteral("mlflow.user")));
        QVERIFY(cli({QStringLiteral("show"), store, QStringLiteral("long-float"), QStringLiteral("--format"), QStringLiteral("json")})
                    .out.contains(QStringLiteral("mlflow.user")));
        const auto diff = cli({QStringLiteral("diff"), store, QStringLiteral("long-float"), QStringLiteral("other")});
        QVERIFY2(!diff.out.contains(QStringLiteral("mlflow")), qPrintable(diff.out));
        QVERIFY(diff.out.indexOf(QStringLiteral("param_2")) < diff.out.indexOf(QStringLiteral("param_10")));
        QVERIFY(cli({QStringLiteral("diff"), store, QStringLiteral("long-float"), QStringLiteral("other"), QStringLiteral("--tool-tags")})
                    .out.contains(QStringLiteral("mlflow.user")));
    }

    void durationsReadAsPeopleSayThem()
    {
        QCOMPARE(durationText(0), QStringLiteral("0 s"));
        QCOMPARE(durationText(40), QStringLiteral("0.04 s"));
        QCOMPARE(durationText(400), QStringLiteral("0.4 s"));
        QCOMPARE(durationText(450), QStringLiteral("0.45 s"));
        QCOMPARE(durationText(3240), QStringLiteral("3.2 s"));
        QCOMPARE(durationText(42'000), QStringLiteral("42 s"));
        QCOMPARE(durationText(185'000), QStringLiteral("3m 05s"));
        QCOMPARE(durationText(2 * 3600'000 + 600'000), QStringLiteral("2h 10m"));
        QCOMPARE(durationText(-1), QString());
        // The runs of this test take well under a second: the table says how long, not "0s".
        const auto table = cli({QStringLiteral("runs"), store_}).out;
        QVERIFY2(!table.contains(QStringLiteral(" 0s")), qPrintable(table));
        QVERIFY2(table.contains(QRegularExpression(QStringLiteral(" 0(\\.\\d+)? s"))), qPrintable(table));
    }

    void tableShowsEveryColumnOrThoseChosen()
    {
        // 12 varying params and 25 metrics: none dropped in silence (the demo
        // once lost val/auc and seed past the first few).
        const QString store = dir_.filePath(QStringLiteral("wide-table.db"));
        for (int i = 0; i < 2; ++i) {
            auto run = Run::start(store.toStdString(), test::testRun("wide" + std::to_string(i)));
            for (int p = 0; p < 12; ++p)
                run.logParam("p" + std::to_string(p), int64_t(i * 100 + p));
            for (int m = 0; m < 25; ++m)
                run.logMetric("m" + std::to_string(m), m + i, 0);
            run.finish();
        }
        const auto all = cli({QStringLiteral("runs"), store});
        QCOMPARE(all.code, 0);
        const QString header = all.out.section(QLatin1Char('\n'), 0, 0);
        for (int p = 0; p < 12; ++p)
            QVERIFY2(header.contains(QStringLiteral(" p%1 ").arg(p)) || header.endsWith(QStringLiteral(" p%1").arg(p)),
                     qPrintable(header));
        for (int m = 0; m < 25; ++m)
            QVERIFY2(header.contains(QStringLiteral(" m%1 ").arg(m)) || header.endsWith(QStringLiteral(" m%1").arg(m)),
                     qPrintable(header));
        const auto chosen = cli({QStringLiteral("runs"), store, QStringLiteral("--columns"),
                                 QStringLiteral("metrics.m24,p3")});
        QCOMPARE(chosen.code, 0);
        const QStringList cells = chosen.out.section(QLatin1Char('\n'), 0, 0).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QCOMPARE(cells.mid(6), QStringList({QStringLiteral("m24"), QStringLiteral("p3")})); // in the order asked
        const auto bad = cli({QStringLiteral("runs"), store, QStringLiteral("--columns"), QStringLiteral("nosuch")});
        QCOMPARE(bad.code, int(cli::Usage));
        QVERIFY(bad.err.contains(QStringLiteral("nosuch")));
    }

    void systemColumnsShowWhatTheAppShows()
    {
        // A system metric in the terminal is its peak (or mean, or lowest) as
        // in the app, headed by the query field that reads it; KEY.max asks.
        const QString store = dir_.filePath(QStringLiteral("system-columns.db"));
        auto run = Run::start(store.toStdString(), test::testRun("gpu"));
        for (int i = 0; i < 4; ++i) {
            run.logMetric("system/process.rss_mb", i == 1 ? 900.0 : 100.0, i);
            run.logMetric("system/gpu.0.utilization_percent", i % 2 ? 80.0 : 40.0, i);
            run.logMetric("loss", 1.0 / (i + 1), i);
        }
        run.finish();
        const auto shown = cli({QStringLiteral("runs"), store, QStringLiteral("--columns"),
            QStringLiteral("system/process.rss_mb,metrics.system/gpu.0.utilization_percent,loss.max,loss")});
        QCOMPARE(shown.code, 0);
        const QStringList head = shown.out.section(QLatin1Char('\n'), 0, 0).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QCOMPARE(head.mid(6), (QStringList{QStringLiteral("system/process.rss_mb.max"),
                                  QStringLiteral("system/gpu.0.utilization_percent.mean"), QStringLiteral("loss.max"),
                                  QStringLiteral("loss")}));
        const QStringList row = shown.out.section(QLatin1Char('\n'), 1, 1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QCOMPARE(row.mid(row.size() - 4),
            (QStringList{QStringLiteral("900"), QStringLiteral("60"), QStringLiteral("1"), QStringLiteral("0.25")}));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
