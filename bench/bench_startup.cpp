// SPDX-License-Identifier: GPL-3.0-or-later
// Start-up as a user meets it (issue 18, item 6): from launching
// `runlens STORE` to the first paint of the run table holding the store's
// runs, timed from outside the process (RUNLENS_REPORT_FIRST_PAINT makes the
// app say when), against Qt's own start-up in the same run: a bare QWidget
// window (bench_bare_window) launched and painted the same way. Launches
// alternate, ten each, with a configuration folder of their own so that the
// user's recent stores are neither read nor changed.
//
// bench_startup [STORE]  (default: the demo store the README's first command makes)
#include "bench_timer.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace runlens::bench;

namespace {

// Milliseconds from start() to the child's "painted" line, or -1.
double launch(const QString& program, const QStringList& arguments, const QProcessEnvironment& env, QByteArray* said)
{
    QProcess child;
    child.setProcessEnvironment(env);
    Stopwatch sw;
    child.start(program, arguments);
    // Whatever else the child prints, the line that counts starts with "painted".
    QByteArray out;
    auto painted = [&] { return out.startsWith("painted") || out.contains("\npainted"); };
    while (!(painted() && out.endsWith('\n')) && child.waitForReadyRead(60000))
        out += child.readAllStandardOutput();
    const double ms = sw.seconds() * 1e3;
    child.waitForFinished(10000);
    if (said)
        *said = out.trimmed();
    return painted() ? ms : -1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QString store = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(RUNLENS_DEMO_STORE);
    if (!QFileInfo::exists(store)) {
        std::fprintf(stderr, "bench_startup: %s does not exist (packaging/bootstrap.sh demo makes the demo store)\n",
            qPrintable(store));
        return 1;
    }
    QTemporaryDir config;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
    env.insert(QStringLiteral("RUNLENS_REPORT_FIRST_PAINT"), QStringLiteral("1"));
    std::printf("store %s, platform %s\n", qPrintable(store),
        qPrintable(env.value(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("(default)"))));

    // One of each first: the files into the page cache, as for a user's second launch.
    QByteArray said;
    if (launch(QStringLiteral(RUNLENS_BIN), {store}, env, &said) < 0
        || launch(QStringLiteral(RUNLENS_BARE_WINDOW), {}, env, nullptr) < 0) {
        std::fprintf(stderr, "bench_startup: a launch did not paint (%s)\n", said.constData());
        return 1;
    }
    FrameTimes app_, bare;
    for (int i = 0; i < 10; ++i) {
        const double a = launch(QStringLiteral(RUNLENS_BIN), {store}, env, &said);
        const double b = launch(QStringLiteral(RUNLENS_BARE_WINDOW), {}, env, nullptr);
        if (a < 0 || b < 0)
            return 1;
        app_.add(a);
        bare.add(b);
    }
    std::printf("runlens said: %s\n", said.constData());
    reportFrames("launch to the table's first paint", app_, "a bare QWidget window, first paint", bare);
    std::printf("Runlens's own part (mean): %.0f ms\n", app_.mean() - bare.mean());
    return 0;
}
