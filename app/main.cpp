// SPDX-License-Identifier: GPL-3.0-or-later
// runlens: the desktop app, or with a sub-command the headless CLI.
#include "command_line.h"
#include "desktop_launch.h"
#include "first_paint_report.h"
#include "main_window.h"
#include "store_registry.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTextStream>

#include <memory>

namespace {

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("runlens"));
    QCoreApplication::setOrganizationName(QStringLiteral("Runlens"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RUNLENS_VERSION));
}

// The demo store the README's first command makes, next to the build.
QString demoStore()
{
    const QString p = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../demo/runlens-demo.db"));
    return QFileInfo::exists(p) ? QFileInfo(p).absoluteFilePath() : QString();
}

} // namespace

int main(int argc, char* argv[])
{
    QStringList raw;
    for (int i = 1; i < argc; ++i)
        raw << QString::fromLocal8Bit(argv[i]);
    if (runlens::cli::isCommand(raw)) {
        const runlens::cli::CliCommand* command = runlens::cli::commandOf(raw);
        // A command that draws needs a QApplication, and without a display it
        // draws offscreen (chosen before the application exists).
        const bool renders = command && command->renders;
        if (renders && qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        std::unique_ptr<QCoreApplication> app
            = renders ? std::make_unique<QApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
        setIdentity();
        QTextStream out(stdout), err(stderr);
        QStringList arguments = QCoreApplication::arguments();
        arguments.removeFirst();
        return runlens::cli::run(arguments, out, err);
    }

    // Before Qt: without a display it would abort, and a mistyped command would open as a store.
    if (const auto refusal = runlens::cli::desktopLaunchRefusal(raw, runlens::cli::DisplayEnvironment::current())) {
        QTextStream(stderr) << refusal->message;
        return refusal->code;
    }
    QApplication app(argc, argv);
    setIdentity();
    // The icon lives in a static library: its resources are linked in only when named.
    Q_INIT_RESOURCE(runlens);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/runlens/runlens.svg")));
    runlens::ui::MainWindow window;
    QStringList stores = raw;
    if (stores.isEmpty()) {
        // The last store, else the demo store.
        const QStringList recent = QSettings().value(QStringLiteral("recentStores")).toStringList();
        for (const auto& r : recent)
            if (QFileInfo::exists(r) || runlens::isStoreUrl(r)) {
                stores << r;
                break;
            }
        if (stores.isEmpty() && !demoStore().isEmpty())
            stores << demoStore();
    }
    runlens::cli::reportFirstTablePaintIfAsked(window);
    window.show();
    window.openStores(stores);
    return app.exec();
}
