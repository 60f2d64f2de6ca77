// runlens: the desktop app, or with a sub-command the headless CLI.
#include "command_line.h"
#include "main_window.h"
#include "snapshot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTextStream>

namespace {

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("runlens"));
    QCoreApplication::setOrganizationName(QStringLiteral("Runlens"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RUNLENS_VERSION));
}

int snapshot(int argc, char* argv[])
{
    // Rendering needs no display.
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    setIdentity();
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments();
    args.removeAt(1);   // "snapshot"
    QCommandLineParser parser;
    const QCommandLineOption view(QStringLiteral("view"), QStringLiteral("table, curves or window"), QStringLiteral("view"),
                                  QStringLiteral("table"));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Runs to select"), QStringLiteral("ids"));
    const QCommandLineOption query(QStringLiteral("query"), QStringLiteral("Run query"), QStringLiteral("query"));
    const QCommandLineOption metrics(QStringLiteral("metrics"), QStringLiteral("Metrics to chart"), QStringLiteral("m1,m2"));
    const QCommandLineOption group(QStringLiteral("group-by"), QStringLiteral("Column to group by"), QStringLiteral("key"));
    const QCommandLineOption bands(QStringLiteral("bands"), QStringLiteral("Group bands: minmax or sd"),
                                   QStringLiteral("kind"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("WxH"), QStringLiteral("size"),
                                  QStringLiteral("1400x900"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("PNG file"), QStringLiteral("file"));
    parser.addOptions({view, runs, query, metrics, group, bands, size, output});
    if (!parser.parse(args) || parser.positionalArguments().isEmpty() || !parser.isSet(output)) {
        err << "usage: runlens snapshot STORE... --view table|curves|window [--runs ID,...] [--query Q] "
               "[--metrics m1,m2] [--group-by KEY [--bands minmax|sd]] [--size WxH] -o out.png\n";
        if (!parser.errorText().isEmpty())
            err << parser.errorText() << '\n';
        return 2;
    }
    runlens::ui::SnapshotOptions o;
    o.stores = parser.positionalArguments();
    o.view = parser.value(view);
    if (parser.isSet(runs))
        o.runs = parser.value(runs).split(QLatin1Char(','), Qt::SkipEmptyParts);
    o.query = parser.value(query);
    if (parser.isSet(metrics))
        o.metrics = parser.value(metrics).split(QLatin1Char(','), Qt::SkipEmptyParts);
    o.groupBy = parser.value(group);
    o.bands = parser.value(bands);
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    if (wh.size() != 2 || wh[0].toInt() < 200 || wh[1].toInt() < 150) {
        err << "runlens snapshot: --size takes WxH, e.g. 1400x900\n";
        return 2;
    }
    o.size = QSize(wh[0].toInt(), wh[1].toInt());
    o.output = parser.value(output);
    return runlens::ui::renderSnapshot(o, err);
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
    if (!raw.isEmpty() && raw.first() == QLatin1String("snapshot"))
        return snapshot(argc, argv);
    if (runlens::cli::isCommand(raw)) {
        QCoreApplication app(argc, argv);
        setIdentity();
        QTextStream out(stdout), err(stderr);
        QStringList arguments = QCoreApplication::arguments();
        arguments.removeFirst();
        return runlens::cli::run(arguments, out, err);
    }

    QApplication app(argc, argv);
    setIdentity();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/runlens/runlens.svg")));
    runlens::ui::MainWindow window;
    QStringList stores = raw;
    if (stores.isEmpty()) {
        // The last store, else the demo store.
        const QStringList recent = QSettings().value(QStringLiteral("recentStores")).toStringList();
        for (const auto& r : recent)
            if (QFileInfo::exists(r)) {
                stores << r;
                break;
            }
        if (stores.isEmpty() && !demoStore().isEmpty())
            stores << demoStore();
    }
    window.show();
    window.openStores(stores);
    return app.exec();
}
