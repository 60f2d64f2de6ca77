// runlens: the desktop app, or with a sub-command the headless CLI.
#include "command_line.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("runlens"));
    QCoreApplication::setOrganizationName(QStringLiteral("Runlens"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RUNLENS_VERSION));
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();

    QTextStream out(stdout);
    QTextStream err(stderr);
    if (runlens::cli::isCommand(arguments) || arguments.isEmpty())
        return runlens::cli::run(arguments, out, err);
    // The desktop app arrives with the app issue; until then, list the stores.
    int code = 0;
    for (const auto& store : arguments)
        code = std::max(code, runlens::cli::run({QStringLiteral("runs"), store}, out, err));
    return code;
}
