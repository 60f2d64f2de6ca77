// SPDX-License-Identifier: GPL-3.0-or-later
// Twenty training processes killed with SIGKILL at random moments, all into
// one store: after every kill the store passes SQLite's integrity check, and
// every point logged more than a flush interval before the kill is there,
// exactly. Prints what each kill lost (docs/reliability.md quotes it).
#include "killed_writer.h"
#include "runlens/sqlite_db.h"
#include "test_support.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstdio>

using namespace runlens;
using namespace runlens::test;

class TestStressKills : public QObject {
    Q_OBJECT

private slots:
    void twentyKillsAtRandomMoments()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("kills.db"));
        const int flushMs = 200;
        const quint32 seed = QRandomGenerator::global()->generate();
        QRandomGenerator random(seed);
        std::printf("seed %u (flush interval %d ms)\n", seed, flushMs);
        qint64 worstLostMs = 0;
        long worstLostPoints = 0;
        for (int kill = 0; kill < 20; ++kill) {
            const int after = 60 + int(random.bounded(900));
            const QString name = QStringLiteral("kill-%1").arg(kill);
            const KilledWriter k = runAndKill(QStringLiteral(RUNLENS_TEST_WRITER), store, name, after, flushMs);
            QVERIFY(k.started);
            {
                SqliteDb db(store.toStdString(), SqliteDb::Mode::ReadOnly);
                auto check = db.prepare("PRAGMA integrity_check");
                QVERIFY(check.step());
                QCOMPARE(QString::fromUtf8(std::string(check.text(0)).c_str()), QStringLiteral("ok"));
            }
            auto reader = mustOpen(store);
            auto table = mustLoad(*reader);
            const int row = table->findRun(name);
            // Killed before the run was created: nothing to find, nothing promised.
            if (row < 0) {
                QVERIFY2(k.logged.empty(), qPrintable(name + QStringLiteral(" logged points but has no run")));
                std::printf("kill %2d after %4d ms: before the run began\n", kill, after);
                continue;
            }
            QCOMPARE(table->status(row), RunStatus::Crashed);
            size_t onDisk = 0;
            if (table->metric(QStringLiteral("x")) && table->metric(QStringLiteral("x"))->has(row)) {
                auto series = reader->loadSeries(table->id(row), QStringLiteral("x"));
                QVERIFY(series);
                onDisk = series->size();
                for (size_t i = 0; i < onDisk; ++i) {
                    QCOMPARE(series->steps[i], int64_t(i));
                    QCOMPARE(series->values[i], double(i) * 0.5);
                }
            }
            const long mustHave = k.mustHave(flushMs);
            QVERIFY2(long(onDisk) >= mustHave + 1,
                qPrintable(QStringLiteral("%1: %2 points on disk, %3 logged a flush interval before the kill")
                               .arg(name)
                               .arg(onDisk)
                               .arg(mustHave + 1)));
            // What the kill cost: points logged but not on disk, and how long
            // before the kill the first of them was logged.
            const long lost = std::max(0L, k.lastLogged() + 1 - long(onDisk));
            qint64 lostMs = 0;
            for (const auto& [ms, step] : k.logged)
                if (step == long(onDisk)) {
                    lostMs = k.killedAt - ms;
                    break;
                }
            worstLostMs = std::max(worstLostMs, lost ? lostMs : 0);
            worstLostPoints = std::max(worstLostPoints, lost);
            std::printf("kill %2d after %4d ms: %6ld logged, %6zu on disk, %5ld lost (logged in the last %lld ms)\n",
                kill, after, k.lastLogged() + 1, onDisk, lost, static_cast<long long>(lost ? lostMs : 0));
        }
        std::printf("worst kill lost %ld points, logged in the last %lld ms before it (flush interval %d ms)\n",
            worstLostPoints, static_cast<long long>(worstLostMs), flushMs);
    }
};

QTEST_GUILESS_MAIN(TestStressKills)
#include "test_stress_kills.moc"
