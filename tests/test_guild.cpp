// SPDX-License-Identifier: GPL-3.0-or-later
// Guild AI runs as Guild 0.9 leaves them (.guild/attrs/* one YAML value a
// file, .guild/opref, .guild/output, event files, .guild/LOCK while running):
// runs, statuses, params and every point against what the test wrote.
#include "guild_reader.h"
#include "tensorboard_events.h"
#include "test_support.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;

class TestGuild : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString runs_;

    void writeRun(const QString& id, const QByteArray& label, std::optional<int> exitStatus, const QByteArray& lockPid = {})
    {
        const QString attrs = runs_ + QLatin1Char('/') + id + QStringLiteral("/.guild/attrs/");
        test::writeFile(attrs + QStringLiteral("flags"), "batch_size: 32\nlr: 0.01\noptimizer: adam\n");
        test::writeFile(attrs + QStringLiteral("label"), label + "\n");
        test::writeFile(attrs + QStringLiteral("started"), "1700000000123456\n");
        test::writeFile(attrs + QStringLiteral("tags"), "- baseline\n- gpu\n");
        test::writeFile(attrs + QStringLiteral("host"), "lab-7\n");
        test::writeFile(attrs + QStringLiteral("vcs_commit"), "git:0123456789abcdef0123456789abcdef01234567*\n");
        test::writeFile(runs_ + QLatin1Char('/') + id + QStringLiteral("/.guild/opref"),
            "guildfile:'/home/u/proj/guild.yml' 'f00d' 'mnist' 'train'\n");
        if (exitStatus) {
            test::writeFile(attrs + QStringLiteral("exit_status"), QByteArray::number(*exitStatus) + "\n");
            test::writeFile(attrs + QStringLiteral("stopped"), "1700000060654321\n");
        }
        if (!lockPid.isEmpty())
            test::writeFile(runs_ + QLatin1Char('/') + id + QStringLiteral("/.guild/LOCK"), lockPid);
    }

private slots:
    void initTestCase()
    {
        runs_ = dir_.filePath(QStringLiteral("guild-home/runs"));
        writeRun(QStringLiteral("aaaa0000000000000000000000000001"), "lr=0.01 baseline", 0);
        writeRun(QStringLiteral("bbbb0000000000000000000000000002"), "lr=0.01 broken", 1);
        writeRun(QStringLiteral("cccc0000000000000000000000000003"), "lr=0.01 live", std::nullopt,
            QByteArray::number(QCoreApplication::applicationPid()));
        writeRun(QStringLiteral("dddd0000000000000000000000000004"), "lr=0.01 died", std::nullopt, "999999999");
        QByteArray events;
        for (int s = 0; s < 30; ++s)
            events += scalarEventRecord("loss", s, 1700000001.0 + s, float(1.0 / (s + 1)));
        test::writeFile(runs_ + QStringLiteral("/aaaa0000000000000000000000000001/.guild/events.out.tfevents.1700000001.lab-7.1.0"), events);
        test::writeFile(runs_ + QStringLiteral("/bbbb0000000000000000000000000002/.guild/output"),
            "Training...\nstep: 1\nloss: 0.9\nacc: 0.5\nstep: 2\nloss: 0.7\nnot a scalar line\nacc: 0.625\n");
    }

    void readsRunsStatusesParamsAndEveryPoint()
    {
        auto reader = openStore(dir_.filePath(QStringLiteral("guild-home")));
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
        QCOMPARE((*reader)->kind(), QStringLiteral("guild"));
        auto runs = (*reader)->loadRuns();
        QVERIFY(runs);
        QVERIFY2(runs->problems.isEmpty(), qPrintable(runs->problems.join(QLatin1Char('\n'))));
        const auto& t = *runs->table;
        QCOMPARE(t.rowCount(), 4);
        const int a = t.findRun(QStringLiteral("lr=0.01 baseline")), b = t.findRun(QStringLiteral("lr=0.01 broken")),
                  c = t.findRun(QStringLiteral("lr=0.01 live")), d = t.findRun(QStringLiteral("lr=0.01 died"));
        QVERIFY(a >= 0 && b >= 0 && c >= 0 && d >= 0);
        QCOMPARE(t.status(a), RunStatus::Finished);
        QCOMPARE(t.status(b), RunStatus::Failed);
        QCOMPARE(t.status(c), RunStatus::Running);   // its LOCK names this live process
        QCOMPARE(t.status(d), RunStatus::Crashed);
        QCOMPARE(t.experiment(a), QStringLiteral("mnist:train"));
        QCOMPARE(t.startTime(a), int64_t(1700000000123));
        QCOMPARE(t.endTime(a), int64_t(1700000060654));
        QCOMPARE(t.endTime(c), int64_t(-1));
        QCOMPARE(t.param(QStringLiteral("lr"))->number[size_t(a)], 0.01);
        QCOMPARE(t.param(QStringLiteral("optimizer"))->text[size_t(a)], QStringLiteral("adam"));
        QCOMPARE(t.tag(QStringLiteral("guild.tags"))->text[size_t(a)], QStringLiteral("baseline, gpu"));

        auto loss = (*reader)->loadSeries(t.id(a), QStringLiteral("loss"));
        QVERIFY(loss);
        QCOMPARE(loss->size(), size_t(30));
        for (size_t s = 0; s < 30; ++s) {
            QCOMPARE(loss->steps[s], int64_t(s));
            QCOMPARE(loss->values[s], double(float(1.0 / double(s + 1))));
        }
        auto outLoss = (*reader)->loadSeries(t.id(b), QStringLiteral("loss"));
        QVERIFY(outLoss);
        QCOMPARE(outLoss->steps, (std::vector<int64_t>{1, 2}));
        QCOMPARE(outLoss->values, (std::vector<double>{0.9, 0.7}));
        QCOMPARE((*reader)->loadSeries(t.id(b), QStringLiteral("acc"))->values, (std::vector<double>{0.5, 0.625}));

        auto details = (*reader)->loadDetails(t.id(a));
        QVERIFY(details);
        QCOMPARE(details->git.commit, QStringLiteral("0123456789abcdef0123456789abcdef01234567"));
        QVERIFY(details->git.dirty);
        QCOMPARE(details->host, QStringLiteral("lab-7"));
        QCOMPARE(test::detailsDisagreeWithTable(**reader), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestGuild)
#include "test_guild.moc"
