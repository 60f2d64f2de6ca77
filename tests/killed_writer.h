// SPDX-License-Identifier: GPL-3.0-or-later
// A training process (tests/tools/test_writer.cpp) killed with SIGKILL after
// a while, and what it had handed to the logger by then: the crash tests in
// test_processes and tests/stress judge what reached the store against it.
#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QString>

#include <signal.h>

#include <utility>
#include <vector>

namespace runlens::test {

struct KilledWriter {
    std::vector<std::pair<qint64, long>> logged; // (ms since start, step) as the writer printed them
    qint64 killedAt = 0;                          // ms since start
    bool started = false;

    // The last step logged more than `flushMs` twice over plus `slackMs`
    // before the kill: every step up to it must be on disk. -1: none.
    long mustHave(int flushMs, int slackMs = 100) const
    {
        long step = -1;
        for (const auto& [ms, s] : logged)
            if (ms < killedAt - 2 * flushMs - slackMs)
                step = s;
        return step;
    }
    long lastLogged() const { return logged.empty() ? -1 : logged.back().second; }
};

// Starts the writer on `store` (a run named `name` logging metric "x": step i
// is i * 0.5, a point per `pauseUs`) and kills it after `killAfterMs`.
inline KilledWriter runAndKill(const QString& writerPath, const QString& store, const QString& name, int killAfterMs,
    int flushMs, int pauseUs = 1000)
{
    KilledWriter k;
    QProcess writer;
    writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    writer.start(writerPath, {store, name, QStringLiteral("100000000"), QString::number(pauseUs),
                                 QString::number(flushMs), QStringLiteral("finish")});
    k.started = writer.waitForStarted();
    if (!k.started)
        return k;
    QElapsedTimer clock;
    clock.start();
    QByteArray buffer;
    while (clock.elapsed() < killAfterMs) {
        writer.waitForReadyRead(20);
        buffer += writer.readAllStandardOutput();
        qsizetype nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
            const QByteArray line = buffer.left(nl);
            buffer.remove(0, nl + 1);
            if (line.startsWith("step "))
                k.logged.emplace_back(clock.elapsed(), line.mid(5).toLong());
        }
    }
    ::kill(static_cast<pid_t>(writer.processId()), SIGKILL);
    k.killedAt = clock.elapsed();
    writer.waitForFinished();
    return k;
}

} // namespace runlens::test
