// SPDX-License-Identifier: GPL-3.0-or-later
// The sub-commands that draw (offscreen, no display needed): snapshot and
// report. main() makes the QApplication they need.
#include "cli_command.h"

#include "comparison_report.h"
#include "run_query.h"
#include "snapshot.h"
#include "workspace.h"

#include <QFileInfo>
#include <QTextStream>

namespace runlens::cli {

namespace {

// --x: step, elapsed, time, or the name of a metric to plot against.
std::pair<XAxis, QString> xAxisOf(const CliCall& call)
{
    const QString x = call.value(QStringLiteral("x"));
    if (x == QLatin1String("step") || x.isEmpty())
        return {XAxis::Step, {}};
    if (x == QLatin1String("elapsed"))
        return {XAxis::RelativeTime, {}};
    if (x == QLatin1String("time"))
        return {XAxis::WallTime, {}};
    return {XAxis::Metric, x};
}

} // namespace

ExitCode snapshotCommand(const CliCall& call)
{
    if (!call.isSet(QStringLiteral("output")))
        return usageError(QStringLiteral("snapshot"), QStringLiteral("-o out.png is missing"), call.err);
    ui::SnapshotOptions o;
    o.stores = call.positionals;
    o.view = call.value(QStringLiteral("view"));
    o.runs = call.list(QStringLiteral("runs"));
    o.query = call.value(QStringLiteral("query"));
    o.metrics = call.list(QStringLiteral("metrics"));
    o.groupBy = call.value(QStringLiteral("group-by"));
    o.params = call.list(QStringLiteral("params"));
    o.sortBy = call.value(QStringLiteral("sort"));
    o.bands = call.value(QStringLiteral("bands"));
    o.artifact = call.value(QStringLiteral("artifact"));
    o.step = call.value(QStringLiteral("step"));
    o.difference = call.isSet(QStringLiteral("difference"));
    std::tie(o.axis, o.xMetric) = xAxisOf(call);
    const QStringList wh = call.value(QStringLiteral("size")).split(QLatin1Char('x'));
    if (wh.size() != 2 || wh[0].toInt() < 200 || wh[1].toInt() < 150)
        return usageError(QStringLiteral("snapshot"), QStringLiteral("--size takes WxH, e.g. 1400x900"), call.err);
    o.size = QSize(wh[0].toInt(), wh[1].toInt());
    o.output = call.value(QStringLiteral("output"));
    switch (ui::renderSnapshot(o, call.err)) {
    case ui::SnapshotError::None:
        return Ok;
    case ui::SnapshotError::StoreUnreadable:
        return StoreError;
    case ui::SnapshotError::RunNotFound:
        return RunNotFound;
    case ui::SnapshotError::BadQuery:
        return BadQuery;
    case ui::SnapshotError::BadOption:
        return Usage;
    case ui::SnapshotError::Failed:
        break;
    }
    return Failed;
}

ExitCode reportCommand(const CliCall& call)
{
    const QString name = QStringLiteral("report");
    const bool byRuns = call.isSet(QStringLiteral("runs"));
    if (byRuns == call.isSet(QStringLiteral("query")))
        return usageError(name, QStringLiteral("give either --runs or --query"), call.err);
    if (!call.isSet(QStringLiteral("output")))
        return usageError(name, QStringLiteral("-o report.html or -o report.pdf is missing"), call.err);
    const QString output = call.value(QStringLiteral("output"));
    const QString suffix = QFileInfo(output).suffix().toLower();
    if (suffix != QLatin1String("html") && suffix != QLatin1String("htm") && suffix != QLatin1String("pdf"))
        return usageError(name, QStringLiteral("-o names an .html or a .pdf file"), call.err);
    ui::ReportOptions o;
    std::tie(o.axis, o.xMetric) = xAxisOf(call);
    o.toolTags = call.isSet(QStringLiteral("tool-tags"));
    o.artifacts = call.list(QStringLiteral("artifacts"));
    if (call.isSet(QStringLiteral("sections"))) {
        o.sections = {false, false, false, false, false, false};
        for (const auto& section : call.list(QStringLiteral("sections"))) {
            bool* flag = section == QLatin1String("runs")       ? &o.sections.runs
                : section == QLatin1String("differences")      ? &o.sections.differences
                : section == QLatin1String("curves")           ? &o.sections.curves
                : section == QLatin1String("parallel")         ? &o.sections.parallel
                : section == QLatin1String("seeds")            ? &o.sections.seeds
                : section == QLatin1String("provenance")       ? &o.sections.provenance
                                                               : nullptr;
            if (!flag)
                return usageError(name, QStringLiteral("no section '%1'").arg(section), call.err);
            *flag = true;
        }
    }
    Workspace workspace;
    if (const QString failure = workspace.openAndWait(call.positionals); !failure.isEmpty()) {
        call.err << "runlens report: " << failure << '\n';
        return StoreError;
    }
    const auto table = workspace.runs();
    if (o.axis == XAxis::Metric && !table->metric(o.xMetric))
        return usageError(name,
            QStringLiteral("--x takes step, elapsed, time or a metric; no run has '%1'").arg(o.xMetric), call.err);
    std::vector<int> rows;
    if (!byRuns) {
        const QueryContext baselines = workspace.queryContext();
        const auto selection = RunQuery(call.value(QStringLiteral("query"))).select(*table, &baselines);
        if (selection.error) {
            call.err << "runlens report: invalid query, " << selection.error->describe() << '\n';
            return BadQuery;
        }
        rows = selection.rows;
    } else {
        const auto found = table->findRuns(call.list(QStringLiteral("runs")));
        if (!found) {
            call.err << "runlens report: " << found.error() << '\n';
            return RunNotFound;
        }
        rows = *found;
    }
    if (rows.empty()) {
        call.err << "runlens report: no runs to report\n";
        return RunNotFound;
    }
    if (call.isSet(QStringLiteral("title")))
        o.title = call.value(QStringLiteral("title"));
    o.notes = call.value(QStringLiteral("notes"));
    if (call.isSet(QStringLiteral("metrics")))
        o.metrics = call.list(QStringLiteral("metrics"));
    const auto report = ui::ComparisonReport::build(
        workspace, rows, o, [&](const SeriesKey& key) { return workspace.loadSeriesNow(key); });
    if (const auto saved = report.save(output); !saved) {
        call.err << "runlens report: " << saved.error() << '\n';
        return Failed;
    }
    return Ok;
}

} // namespace runlens::cli
