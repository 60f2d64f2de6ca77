// runlens: the desktop app, or with a sub-command the headless CLI.
#include "command_line.h"
#include "main_window.h"
#include "comparison_report.h"
#include "run_query.h"
#include "snapshot.h"
#include "workspace.h"

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

// A sub-command that draws widgets but shows none (snapshot, report): it
// gets the arguments for its parser (the program, then what follows the
// sub-command) and stderr. Rendering needs no display: without one, draw
// offscreen, which must be chosen before the QApplication exists.
int runRendering(int argc, char* argv[], int (*command)(const QStringList& args, QTextStream& err))
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    setIdentity();
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments();
    args.removeAt(1);
    return command(args, err);
}

int snapshot(const QStringList& args, QTextStream& err)
{
    QCommandLineParser parser;
    const QCommandLineOption view(QStringLiteral("view"), QStringLiteral("table, curves, diff, codediff, seeds, parcoords, scatter, report or window"), QStringLiteral("view"),
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
        err << "usage: runlens snapshot STORE... --view table|curves|diff|codediff|seeds|parcoords|scatter|report|window [--runs ID,...] [--query Q] "
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

int report(const QStringList& args, QTextStream& err)
{
    QCommandLineParser parser;
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Runs"), QStringLiteral("ids"));
    const QCommandLineOption query(QStringLiteral("query"), QStringLiteral("Run query"), QStringLiteral("query"));
    const QCommandLineOption metrics(QStringLiteral("metrics"), QStringLiteral("Metrics"), QStringLiteral("m1,m2"));
    const QCommandLineOption title(QStringLiteral("title"), QStringLiteral("Title"), QStringLiteral("title"));
    const QCommandLineOption notes(QStringLiteral("notes"), QStringLiteral("Notes"), QStringLiteral("text"));
    const QCommandLineOption sections(QStringLiteral("sections"),
                                      QStringLiteral("runs,differences,curves,parallel,seeds,provenance"),
                                      QStringLiteral("list"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("report.html or report.pdf"), QStringLiteral("file"));
    const QCommandLineOption axis(QStringLiteral("x"), QStringLiteral("Curves by step, elapsed (time since start) or time"),
                                  QStringLiteral("axis"), QStringLiteral("step"));
    parser.addOptions({runs, query, metrics, title, notes, sections, axis, output});
    const QString usage = QStringLiteral(
        "usage: runlens report STORE... (--runs A,B,C | --query Q) [--metrics m1,m2] [--title T] [--notes N]\n"
        "                      [--sections runs,differences,curves,parallel,seeds,provenance] [--x step|elapsed|time]\n"
        "                      -o report.html|report.pdf\n");
    if (!parser.parse(args) || parser.positionalArguments().isEmpty() || !parser.isSet(output)
        || parser.isSet(runs) == parser.isSet(query)) {
        err << usage;
        if (!parser.errorText().isEmpty())
            err << parser.errorText() << '\n';
        return 2;
    }
    const QString suffix = QFileInfo(parser.value(output)).suffix().toLower();
    if (suffix != QLatin1String("html") && suffix != QLatin1String("htm") && suffix != QLatin1String("pdf")) {
        err << "runlens report: -o names an .html or a .pdf file\n" << usage;
        return 2;
    }
    runlens::ui::ReportOptions o;
    const QString x = parser.value(axis);
    if (x == QLatin1String("step"))
        o.axis = runlens::XAxis::Step;
    else if (x == QLatin1String("elapsed"))
        o.axis = runlens::XAxis::RelativeTime;
    else if (x == QLatin1String("time"))
        o.axis = runlens::XAxis::WallTime;
    else {
        err << "runlens report: --x takes step, elapsed or time\n" << usage;
        return 2;
    }
    if (parser.isSet(sections)) {
        o.sections = {false, false, false, false, false, false};
        for (const auto& name : parser.value(sections).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool* flag = name == QLatin1String("runs")          ? &o.sections.runs
                : name == QLatin1String("differences")         ? &o.sections.differences
                : name == QLatin1String("curves")              ? &o.sections.curves
                : name == QLatin1String("parallel")            ? &o.sections.parallel
                : name == QLatin1String("seeds")               ? &o.sections.seeds
                : name == QLatin1String("provenance")          ? &o.sections.provenance
                                                               : nullptr;
            if (!flag) {
                err << "runlens report: no section '" << name << "'\n" << usage;
                return 2;
            }
            *flag = true;
        }
    }
    runlens::Workspace workspace;
    if (const QString failure = workspace.openAndWait(parser.positionalArguments()); !failure.isEmpty()) {
        err << "runlens report: " << failure << '\n';
        return 3;
    }
    const auto table = workspace.runs();
    std::vector<int> rows;
    if (parser.isSet(query)) {
        const auto sel = runlens::RunQuery(parser.value(query)).select(*table);
        if (sel.error) {
            err << "runlens report: invalid query, " << sel.error->describe() << '\n';
            return 5;
        }
        rows = sel.rows;
    } else {
        const auto found = table->findRuns(parser.value(runs).split(QLatin1Char(','), Qt::SkipEmptyParts));
        if (!found) {
            err << "runlens report: " << found.error() << '\n';
            return 4;
        }
        rows = *found;
    }
    if (rows.empty()) {
        err << "runlens report: no runs to report\n";
        return 4;
    }
    if (parser.isSet(title))
        o.title = parser.value(title);
    o.notes = parser.value(notes);
    if (parser.isSet(metrics))
        o.metrics = parser.value(metrics).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const auto report = runlens::ui::ComparisonReport::build(
        workspace, rows, o, [&](const runlens::SeriesKey& key) { return workspace.loadSeriesNow(key); });
    if (const auto saved = report.save(parser.value(output)); !saved) {
        err << "runlens report: " << saved.error() << '\n';
        return 1;
    }
    return 0;
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
        return runRendering(argc, argv, snapshot);
    if (!raw.isEmpty() && raw.first() == QLatin1String("report"))
        return runRendering(argc, argv, report);
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
