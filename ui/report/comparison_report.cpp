// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparison_report.h"

#include "store_registry.h"

#include "artifacts_view.h"
#include "column_key.h"
#include "curve_plot.h"
#include "figure_export.h"
#include "metric_priority.h"
#include "number_text.h"
#include "parallel_coordinates_view.h"
#include "report_content.h"
#include "report_table.h"
#include "run_colors.h"
#include "run_diff.h"
#include "run_tree.h"
#include "seed_statistics.h"
#include "svg_text_object.h"

#include <QAbstractTextDocumentLayout>
#include <QDateTime>
#include <QFileInfo>
#include <QPageLayout>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens::ui {

namespace {

constexpr int kFigureWidth = 680; // an A4 page's text width at 96 dpi: no scaling in print
constexpr size_t kMaxParallelAxes = 8;
constexpr size_t kMaxSideBySideRuns = 6; // more runs: a row each in the differences
constexpr size_t kKeysPerTable = 7; // differing keys per table, when runs are rows

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

// Numbers compact (number_text.h: six digits, engineering exponents), long
// text to 300 characters. Integers stay whole: they are often ids (a job, a commit).
QString shortValue(const QString& value, bool number)
{
    const QString shown = shortDigests(number ? compactValue(value) : value);
    return shown.size() > 300 ? shown.left(299) + QChar(0x2026) : shown;
}

// Which colour is which run, under a chart (the run table has the same swatches).
QString legend(const RunTable& table, const std::vector<int>& rows, const QString& metric)
{
    const MetricColumn* m = table.metric(metric);
    QStringList entries;
    for (int r : rows)
        if (m && m->has(r))
            entries << QStringLiteral("<span style=\"color:%1\">■</span>&nbsp;%2")
                           .arg(runColor(table.id(r)).name(), esc(table.name(r)));
    if (entries.size() > 30)
        return {};
    return QStringLiteral("<br>") + entries.join(QStringLiteral(" &nbsp; "));
}

QString placeholder(int figure)
{
    return QStringLiteral("<runlens-figure index=\"%1\"/>").arg(figure);
}

QString tablePlaceholder(int table)
{
    return QStringLiteral("<runlens-table index=\"%1\"/>").arg(table);
}

// Where `table` goes in the body; written when the page is known.
QString place(std::vector<ReportTable>& tables, ReportTable table)
{
    tables.push_back(std::move(table));
    return tablePlaceholder(int(tables.size() - 1));
}

// The browser's page: centred and bounded. (Print has its own margins, and a
// proportional line height in QTextDocument would stretch figure lines.)
const QString kScreenStyle = QStringLiteral(
    "body{margin:2em auto;max-width:1100px;padding:0 1em;line-height:1.4}"
    // Printed from a browser: figures and table rows whole, headings with what follows.
    "@media print{body{margin:0;max-width:none}td,th{font-size:8pt;padding:2px 4px}"
    "div.figure,tr{break-inside:avoid}h2{break-after:avoid}}");
const QString kStyle = QStringLiteral(
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#1f2328;overflow-wrap:anywhere}"
    "h1{font-size:22pt;margin-bottom:0.2em}h2{font-size:15pt;margin-top:1.6em;border-bottom:1px solid #d0d7de}"
    "table{border-collapse:collapse;margin:0.6em 0;border-color:#d0d7de}"
    "td,th{border:1px solid #d0d7de;padding:3px 8px;font-size:10pt;text-align:left;vertical-align:top}"
    "th{background-color:#f3f4f6}td.nowrap{white-space:nowrap}"
    "td.num{text-align:right}"
    "td.changed{background-color:#fff4ce}span.swatch{font-size:12pt}"
    ".stamp{color:#57606a;font-size:9pt}.warn{color:#9a6700}.muted{color:#57606a}"
    "div.figure{margin:1em 0}p.caption{color:#57606a;font-size:9pt;margin-top:0}svg{max-width:100%;height:auto}");

QByteArray curveFigure(const RunTable& table, const std::vector<int>& rows, const QString& metric, XAxis axis,
    const QString& xMetric, const SeriesSource& source)
{
    const MetricColumn* column = table.metric(metric);
    if (!column)
        return {};
    std::vector<CurveSeries> series;
    for (int r : rows) {
        if (!column->has(r))
            continue;
        const SeriesKey key{table.storeIndex(r), table.id(r), metric, axis, xMetric, Smoothing::None, 0};
        if (auto plot = source(key))
            series.push_back({table.id(r), table.name(r), runColor(table.id(r)), std::move(plot), nullptr, -1});
    }
    if (series.empty())
        return {};
    CurvePlot plot;
    plot.setObjectName(metric);
    plot.resize(kFigureWidth, 280);
    plot.setTitle(metric);
    plot.setXLabel(xAxisLabel(axis, xMetric));
    plot.setPixelsPerColumn(2);
    plot.setSeries(std::move(series));
    return figureSvg(plot);
}

struct Figure {
    QByteArray svg; // empty: nothing to draw
    QString caption;
};

Figure parallelFigure(std::shared_ptr<const RunTable> table, const std::vector<int>& rows, const QString& colourBy)
{
    // A page holds a handful of readable axes: the params most runs have
    // (in their order), then the colour metric.
    int varying = 0;
    const QStringList keys = ParallelAxes::defaultKeys(*table, rows, colourBy, int(kMaxParallelAxes) - 1, &varying);
    ParallelCoordinatesView view;
    view.setObjectName(QStringLiteral("parallel coordinates"));
    view.setSynchronous(true);
    view.resize(kFigureWidth, 340);
    view.setRuns(table, rows, colourBy);
    view.axes().build(*table, rows, keys);
    view.invalidate();
    const auto& axes = view.axes().axes();
    if (axes.size() < 2)
        return {};
    const QString last = esc(axes.back().title);
    const QString caption = varying > int(axes.size()) - 1
        ? QStringLiteral("The %1 params most runs have of the %2 that vary, then %3; lines coloured by it.")
              .arg(axes.size() - 1)
              .arg(varying)
              .arg(last)
        : QStringLiteral("The params that vary, then %1; lines coloured by it.").arg(last);
    return {figureSvg(view), caption};
}

// What differs between the runs. A few runs sit side by side (a column
// each); many runs get a row each with the differing keys as columns, a
// table per few keys, so neither the page nor the reader runs out of width.
QString differencesSection(const ReportContent& content, std::vector<ReportTable>& tables)
{
    const int baseline = content.baseline;
    std::vector<const ComparisonRow*> rows;
    for (const auto& row : content.differences)
        rows.push_back(&row);
    QString h
        = QStringLiteral("<section id=\"differences\"><h2>What differs</h2><p>Only what differs; deltas against %1 "
                         "(baseline).</p>")
              .arg(esc(content.runNames[baseline]));
    if (rows.empty())
        return h + QStringLiteral("<p>The runs agree on every param, tag and recorded setting.</p></section>\n");
    auto cell = [&](const ComparisonRow& row, size_t run) {
        const auto& base = row.values[size_t(baseline)];
        ReportCell c = ReportCell::text(row.values[run] ? esc(shortValue(*row.values[run], sectionHoldsNumbers(row.section))) : QStringLiteral("—"));
        if (int(run) != baseline && row.quantity)
            if (const auto d = deltaOf(row.values[run], base); d && d->absolute != 0)
                c.html += QStringLiteral(" <span class=\"muted\">(%1)</span>").arg(deltaText(*d));
        c.changed = int(run) != baseline && row.values[run] != base;
        return c;
    };
    const QStringList& names = content.runNames;
    if (size_t(names.size()) <= kMaxSideBySideRuns) {
        ReportTable t;
        t.keyColumns = 2;
        t.header = {QStringLiteral("Section"), QStringLiteral("Key")};
        for (qsizetype i = 0; i < names.size(); ++i)
            t.header.push_back(esc(names[i]) + (int(i) == baseline ? QStringLiteral(" (baseline)") : QString()));
        for (const ComparisonRow* row : rows) {
            std::vector<ReportCell> cells{ReportCell::text(esc(row->section)), ReportCell::text(esc(row->key))};
            for (size_t i = 0; i < row->values.size(); ++i)
                cells.push_back(cell(*row, i));
            t.rows.push_back(std::move(cells));
        }
        return h + place(tables, std::move(t)) + QStringLiteral("</section>\n");
    }
    for (size_t first = 0; first < rows.size(); first += kKeysPerTable) {
        const size_t last = std::min(rows.size(), first + kKeysPerTable);
        ReportTable t;
        t.header = {QStringLiteral("Run")};
        for (size_t k = first; k < last; ++k)
            t.header.push_back(esc(rows[k]->section == QLatin1String("params")
                    ? rows[k]->key
                    : rows[k]->section + QLatin1Char('.') + rows[k]->key));
        for (qsizetype i = 0; i < names.size(); ++i) {
            std::vector<ReportCell> cells{ReportCell::text(esc(names[i])
                + (int(i) == baseline ? QStringLiteral(" <span class=\"muted\">(baseline)</span>") : QString()))};
            for (size_t k = first; k < last; ++k)
                cells.push_back(cell(*rows[k], size_t(i)));
            t.rows.push_back(std::move(cells));
        }
        h += place(tables, std::move(t));
    }
    return h + QStringLiteral("</section>\n");
}

// Each run's provenance. What every run shares is said once; the table
// keeps what differs between them, and the reproducibility hash.
QString provenanceSection(
    const ReportContent& content, const std::vector<RunDetails>& details, std::vector<ReportTable>& tables)
{
    auto facts = [](const std::vector<ReportContent::Fact>& list) {
        QStringList out;
        for (const auto& [label, value] : list)
            out << QStringLiteral("%1: %2").arg(esc(label), esc(value));
        return out;
    };
    const QStringList shared = facts(content.sharedFacts);
    QString h = QStringLiteral("<section id=\"provenance\"><h2>Provenance</h2>");
    if (!shared.isEmpty())
        h += QStringLiteral("<p>Every run: %1.</p>").arg(shared.join(QStringLiteral("; ")));
    if (!content.anyFacts)
        h += QStringLiteral("<p class=\"muted\">No git state, data versions or environment recorded for these runs.</p>");
    ReportTable t;
    t.header = {QStringLiteral("Run"),
        shared.isEmpty() ? QStringLiteral("Commit, data, environment") : QStringLiteral("Its own"),
        QStringLiteral("Reproducibility hash")};
    for (size_t i = 0; i < details.size(); ++i) {
        const QStringList own = facts(content.ownFacts[i]);
        t.rows.push_back({ReportCell::text(esc(details[i].name)),
            ReportCell::text(own.isEmpty() ? QStringLiteral("—") : own.join(QStringLiteral("<br>"))),
            ReportCell::whole(esc(details[i].reproHash.left(16)))});
    }
    return h + place(tables, std::move(t)) + QStringLiteral("</section>\n");
}

// QTextDocument has no "keep with next": a heading can end a page with its
// table or figure on the next. Such a heading moves to the next page. Blocks
// are checked in order, so each move is seen by the checks after it.
void keepHeadingsWithTheirContent(QTextDocument& doc)
{
    const qreal pageHeight = doc.pageSize().height();
    if (pageHeight <= 0)
        return;
    // Where a block's line sits: a line that does not fit is pushed to the
    // next page while its block's frame stays put.
    auto pageOf = [&](const QTextBlock& b, bool lastLine = false) {
        doc.documentLayout()->documentSize(); // the layout is lazy: finish it
        qreal top = doc.documentLayout()->blockBoundingRect(b).top();
        if (b.layout() && b.layout()->lineCount() > 0)
            top += b.layout()->lineAt(lastLine ? b.layout()->lineCount() - 1 : 0).y();
        return int(top / pageHeight);
    };
    auto breakBefore = [](const QTextBlock& b) {
        QTextCursor cursor(b);
        QTextBlockFormat format = b.blockFormat();
        format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
        cursor.setBlockFormat(format);
    };
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().headingLevel() > 0) {
            // The heading's content: the next block, or the one after a short
            // introduction ("Only what differs...").
            QTextBlock content = block.next();
            if (content.isValid() && content.text().size() < 200 && content.next().isValid()
                && !content.text().contains(QChar::ObjectReplacementCharacter))
                content = content.next();
            if (content.isValid() && pageOf(content) > pageOf(block))
                breakBefore(block);
        } else if (block.text().contains(QChar::ObjectReplacementCharacter)) {
            // A figure and its caption (with the legend) on one page; a
            // heading just above goes with them.
            const QTextBlock caption = block.next();
            if (caption.isValid() && pageOf(caption, true) > pageOf(block)) {
                const QTextBlock previous = block.previous();
                breakBefore(previous.isValid() && previous.blockFormat().headingLevel() > 0 ? previous : block);
            }
        }
    }
}

} // namespace

QStringList ComparisonReport::defaultMetrics(const RunTable& table, const std::vector<int>& rows)
{
    return ReportContent::defaultMetrics(table, rows);
}

std::vector<SeriesKey> ComparisonReport::seriesKeys(
    const RunTable& table, const std::vector<int>& rows, const QStringList& metrics, XAxis axis, const QString& xMetric)
{
    std::vector<SeriesKey> keys;
    ReportContent content;
    content.rows = rows;
    for (const auto& metric : metrics)
        for (int r : content.chartRows(table, metric))
            keys.push_back({table.storeIndex(r), table.id(r), metric, axis, xMetric, Smoothing::None, 0});
    return keys;
}

ComparisonReport ComparisonReport::build(
    const Workspace& workspace, const std::vector<int>& rows, const ReportOptions& options, const SeriesSource& series)
{
    Builder builder(workspace, rows, options, series);
    while (!builder.done())
        builder.step();
    return builder.take();
}

ComparisonReport::Builder::Builder(
    const Workspace& workspace, std::vector<int> rows, ReportOptions options, SeriesSource series)
    : workspace_(workspace)
    , rows_(std::move(rows))
    , options_(std::move(options))
    , series_(std::move(series))
    , table_(workspace.runs())
{
    report_.title_ = options_.title;
    report_.runCount_ = int(rows_.size());
    // The metrics decide how many pieces there are; the rest of what the report
    // says is decided once, by the first piece, with the details it needs.
    content_.metrics = options_.metrics ? *options_.metrics : ReportContent::defaultMetrics(*table_, rows_);
    const ReportSections& want = options_.sections;
    pieces_.push_back([this, withDetails = want.differences || want.provenance] {
        int baseline = 0;
        if (withDetails) {
            for (int r : rows_)
                if (auto d = workspace_.details(r))
                    details_.push_back(std::move(*d));
            // Deltas against the experiment's baseline when it is in the report, else the first run.
            if (const int b = workspace_.baselineRowFor(rows_.front()); b >= 0)
                if (auto it = std::find(rows_.begin(), rows_.end(), b); it != rows_.end())
                    baseline = int(it - rows_.begin());
        }
        content_ = decideReportContent(*table_, rows_, details_, baseline, content_.metrics,
                                       CompareOptions{.toolTags = options_.toolTags});
        header();
    });
    if (want.runs)
        pieces_.push_back([this] { runsSection(); });
    if (want.differences)
        pieces_.push_back([this] {
            if (details_.size() >= 2)
                report_.body_ += differencesSection(content_, report_.tables_);
        });
    if (want.curves && !content_.metrics.isEmpty()) {
        // A figure per step: each is the bulk of a step's time.
        for (qsizetype i = 0; i < content_.metrics.size(); ++i)
            pieces_.push_back([this, i] { curve(i); });
    }
    if (!options_.artifacts.isEmpty())
        pieces_.push_back([this] { artifactsSection(); });
    if (want.parallel && rows_.size() >= 2)
        pieces_.push_back([this] { parallelSection(); });
    if (want.seeds && !content_.metrics.isEmpty())
        pieces_.push_back([this] { seedsSection(); });
    if (want.provenance)
        pieces_.push_back([this] {
            if (!details_.empty())
                report_.body_ += provenanceSection(content_, details_, report_.tables_);
        });
}

ComparisonReport::Builder::~Builder() = default;

void ComparisonReport::Builder::step()
{
    if (!done())
        pieces_[next_++]();
}

ComparisonReport ComparisonReport::Builder::take()
{
    while (!done())
        step();
    return std::move(report_);
}

void ComparisonReport::Builder::header()
{
    QString& h = report_.body_;
    h += QStringLiteral("<h1>%1</h1>\n").arg(esc(options_.title));
    QStringList stores;
    for (int s = 0; s < workspace_.storeCount(); ++s)
        stores << storeDisplayName(workspace_.store(s).path);
    const QStringList& experiments = content_.experiments;
    h += QStringLiteral("<p class=\"stamp\">%1 runs%2 from %3 · generated %4 · Runlens %5</p>\n")
             .arg(rows_.size())
             .arg(experiments.size() == 1 ? QStringLiteral(" of ") + esc(experiments.front()) : QString(),
                 esc(stores.join(QStringLiteral(", "))),
                 QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                 QStringLiteral(RUNLENS_VERSION));
    if (!options_.notes.trimmed().isEmpty())
        h += QStringLiteral("<section id=\"notes\"><h2>Notes</h2><p>%1</p></section>\n")
                 .arg(esc(options_.notes.trimmed()).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
}

void ComparisonReport::Builder::runsSection()
{
    const RunTable& table = *table_;
    const bool oneExperiment = content_.experiments.size() == 1;
    const QStringList& params = content_.tableParams;
    ReportTable t;
    t.header = {QStringLiteral("Run"), QStringLiteral("Status")};
    if (!oneExperiment)
        t.header.push_back(QStringLiteral("Experiment"));
    t.header.push_back(QStringLiteral("Started"));
    t.header.push_back(QStringLiteral("Duration"));
    for (const auto& p : params)
        t.header.push_back(esc(p));
    for (const auto& m : content_.metrics)
        t.header.push_back(esc(m));
    // Nested runs follow their parent, indented (run_tree.h).
    for (const RunTree::Line& line : RunTree::build(table, rows_, false).flatten()) {
        const int r = line.row;
        const QString nesting = line.depth > 0
            ? QStringLiteral("&nbsp;&nbsp;").repeated(line.depth - 1) + QStringLiteral("\u2514&nbsp;")
            : QString();
        std::vector<ReportCell> cells{
            ReportCell::text(QStringLiteral("%3<span class=\"swatch\" style=\"color:%1\">■</span> %2")
                                 .arg(runColor(table.id(r)).name(), esc(table.name(r)), nesting)),
            ReportCell::whole(statusName(table.status(r)))};
        if (!oneExperiment)
            cells.push_back(ReportCell::text(esc(table.experiment(r))));
        // Date and time may sit on two lines when the page is short of room.
        cells.push_back(ReportCell::text(
            QDateTime::fromMSecsSinceEpoch(table.startTime(r)).toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
        cells.push_back(ReportCell::number(table.endTime(r) < 0 ? QStringLiteral("running")
                                                                : durationText(table.endTime(r) - table.startTime(r))));
        for (const auto& key : params) {
            const ValueColumn* c = table.param(key);
            if (!c || !c->has(r))
                cells.push_back(ReportCell::text(QStringLiteral("—")));
            else if (!std::isnan(c->number[size_t(r)]))
                cells.push_back(ReportCell::number(esc(compactValue(c->text[size_t(r)]))));
            else
                cells.push_back(ReportCell::text(esc(c->text[size_t(r)].left(120))));
        }
        for (const auto& key : content_.metrics) {
            const MetricColumn* m = table.metric(key);
            cells.push_back(ReportCell::number(m && m->has(r) ? compactNumber(m->last[size_t(r)]) : QStringLiteral("—")));
        }
        t.rows.push_back(std::move(cells));
    }
    report_.body_ += QStringLiteral("<section id=\"runs\"><h2>Runs</h2>") + place(report_.tables_, std::move(t))
        + QStringLiteral("<p class=\"muted\">Metrics are last values.</p></section>\n");
}

void ComparisonReport::Builder::curve(qsizetype index)
{
    const RunTable& table = *table_;
    QString& h = report_.body_;
    const QString& m = content_.metrics[index];
    if (index == 0)
        h += QStringLiteral("<section id=\"curves\"><h2>Curves</h2>\n");
    int having = 0;
    const std::vector<int> drawn = content_.chartRows(table, m, &having);
    QByteArray svg = curveFigure(table, drawn, m, options_.axis, options_.xMetric, series_);
    if (svg.isEmpty()) {
        h += QStringLiteral("<p class=\"muted\">%1: no values recorded for these runs.</p>\n").arg(esc(m));
    } else {
        const QString which = int(drawn.size()) < having
            ? QStringLiteral(" The first %1 of the %2 runs that have it.").arg(drawn.size()).arg(having)
            : QString();
        h += QStringLiteral(
            "<div class=\"figure\">%1<p class=\"caption\">%2 by %3; every run's extremes kept.%4%5</p></div>\n")
                 .arg(placeholder(int(report_.figures_.size())), esc(m), esc(xAxisLabel(options_.axis, options_.xMetric)), which,
                      legend(table, drawn, m));
        report_.figures_.push_back(std::move(svg));
    }
    if (index == content_.metrics.size() - 1)
        h += QStringLiteral("</section>\n");
}

void ComparisonReport::Builder::parallelSection()
{
    Figure figure = parallelFigure(table_, rows_, content_.metrics.value(0));
    if (figure.svg.isEmpty())
        return;
    report_.body_ += QStringLiteral("<section id=\"parallel\"><h2>Parallel coordinates</h2><div class=\"figure\">%1"
                                    "<p class=\"caption\">%2</p></div></section>\n")
                         .arg(placeholder(int(report_.figures_.size())), figure.caption);
    report_.figures_.push_back(std::move(figure.svg));
}

void ComparisonReport::Builder::artifactsSection()
{
    // The Artifacts tab's own grid, drawn to SVG: pictures go in as PNG
    // data: URIs (inline in the HTML, drawn in the PDF), matrices as vectors.
    ArtifactsView view(&workspace_);
    view.setSynchronous(true);
    view.resize(kFigureWidth, 800);
    std::vector<int> rows(rows_.begin(), rows_.begin() + std::min<ptrdiff_t>(ArtifactsView::kMaxRuns, ptrdiff_t(rows_.size())));
    view.setRuns(rows);
    QString& h = report_.body_;
    h += QStringLiteral("<section id=\"artifacts\"><h2>Artifacts</h2>\n");
    if (rows_.size() > rows.size())
        h += QStringLiteral("<p class=\"muted\">The first %1 of the %2 runs.</p>\n").arg(rows.size()).arg(rows_.size());
    for (const QString& path : options_.artifacts) {
        if (!view.chooseArtifact(path)) {
            h += QStringLiteral("<p class=\"muted\">No run here logged %1.</p>\n").arg(esc(path));
            continue;
        }
        const auto* entry = view.catalog().entry(path);
        QString caption = QStringLiteral("%1, %2").arg(esc(path), esc(artifactKindText(entry->kind)));
        if (!entry->steps.empty())
            caption += QStringLiteral(", each run's last step");
        caption += QStringLiteral(".");
        if (!view.message().isEmpty())
            caption += QLatin1Char(' ') + esc(view.message()) + QLatin1Char('.');
        h += QStringLiteral("<div class=\"figure\">%1<p class=\"caption\">%2</p></div>\n")
                 .arg(placeholder(int(report_.figures_.size())), caption);
        view.drawGrid(kFigureWidth, [&](QWidget& grid) {
            grid.setObjectName(path);
            report_.figures_.push_back(figureSvg(grid));
        });
    }
    h += QStringLiteral("</section>\n");
}

void ComparisonReport::Builder::seedsSection()
{
    if (content_.seedGroups.empty())
        return;
    ReportTable t;
    t.header = {QStringLiteral("Config"), QStringLiteral("n")};
    for (const auto& m : content_.metrics)
        t.header.push_back(esc(m));
    for (const auto& g : content_.seedGroups) {
        std::vector<ReportCell> cells{ReportCell::text(esc(g.label)), ReportCell::number(QString::number(g.runs))};
        for (const auto& s : g.stats) {
            // The statistic breaks only between its parts, never in a number.
            cells.push_back(s.n == 0 ? ReportCell::text(QStringLiteral("—"))
                                     : ReportCell::text(QStringLiteral("%1&nbsp;±&nbsp;%2 [%3,&nbsp;%4]%5")
                                             .arg(compactNumber(s.mean), compactNumber(s.sd), compactNumber(s.min), compactNumber(s.max),
                                                 s.warning.isEmpty() ? QString()
                                                                     : QStringLiteral("<br><span class=\"warn\">%1</span>")
                                                                           .arg(esc(s.warning)))));
        }
        t.rows.push_back(std::move(cells));
    }
    report_.body_ += QStringLiteral("<section id=\"seeds\"><h2>Seed statistics</h2><p>Runs that differ only by their "
                                    "seed, grouped: mean ± sample SD [min, max] of the last value.</p>")
        + place(report_.tables_, std::move(t)) + QStringLiteral("</section>\n");
}

QString ComparisonReport::html() const
{
    QString body = body_;
    for (size_t i = 0; i < figures_.size(); ++i) {
        QString svg = QString::fromUtf8(figures_[i]);
        // The generator writes an XML prolog; inline SVG in HTML starts at <svg.
        svg = svg.mid(std::max<qsizetype>(0, svg.indexOf(QLatin1String("<svg"))));
        body.replace(placeholder(int(i)), svg);
    }
    for (size_t i = 0; i < tables_.size(); ++i)
        body.replace(tablePlaceholder(int(i)), tables_[i].html());
    return QStringLiteral(
               "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"generator\" content=\"Runlens %1\"><title>%2</title>\n<style>%3</style></head>\n<body>\n")
               .arg(QStringLiteral(RUNLENS_VERSION), esc(title_), kStyle + kScreenStyle)
        + body + QStringLiteral("</body></html>\n");
}

QPageLayout ComparisonReport::pageLayout() const
{
    // Wide comparisons get a landscape page.
    return QPageLayout(QPageSize(QPageSize::A4), runCount_ > 5 ? QPageLayout::Landscape : QPageLayout::Portrait,
        QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
}

std::unique_ptr<QTextDocument> ComparisonReport::document() const
{
    // Laid out at 96 dpi on the page's text area, and scaled to the printer:
    // figures keep the size they were drawn at, tables fit the page.
    const QSizeF page = pageLayout().paintRectPixels(96).size();
    QFont cellFont(QStringLiteral("DejaVu Sans"));
    cellFont.setPointSizeF(10);
    QString body = body_;
    for (size_t i = 0; i < tables_.size(); ++i)
        body.replace(tablePlaceholder(int(i)), tables_[i].pagedHtml(page.width(), cellFont));
    for (size_t i = 0; i < figures_.size(); ++i)
        body.replace(placeholder(int(i)),
            QStringLiteral("<img src=\"%1%2\">").arg(QLatin1String(SvgTextObject::kImagePrefix)).arg(i));
    auto doc = std::make_unique<QTextDocument>();
    doc->setDefaultStyleSheet(kStyle + ReportTable::kPageTableStyle);
    doc->setMetaInformation(QTextDocument::DocumentTitle, title_);
    doc->setHtml(QStringLiteral("<html><body>") + body + QStringLiteral("</body></html>"));
    doc->setPageSize(page);
    SvgTextObject::install(*doc, figures_);
    return doc;
}

Result<bool> ComparisonReport::writePdf(const QString& path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Failure{QStringLiteral("cannot write '%1': %2").arg(path, file.errorString())};
    {
        QPdfWriter pdf(&file);
        pdf.setTitle(title_);
        pdf.setCreator(QStringLiteral("Runlens %1").arg(QStringLiteral(RUNLENS_VERSION)));
        pdf.setPageLayout(pageLayout());
        pdf.setResolution(300);
        const auto doc = document();
        keepHeadingsWithTheirContent(*doc);
        doc->print(&pdf);
    }
    if (!file.commit())
        return Failure{QStringLiteral("cannot write '%1': %2").arg(path, file.errorString())};
    return true;
}

Result<bool> ComparisonReport::save(const QString& path) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pdf"))
        return writePdf(path);
    if (suffix != QLatin1String("html") && suffix != QLatin1String("htm"))
        return Failure{
            QStringLiteral("reports are written as .html or .pdf, not '%1'").arg(QFileInfo(path).fileName())};
    QSaveFile file(path);
    const QByteArray bytes = html().toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Failure{QStringLiteral("cannot write '%1': %2").arg(path, file.errorString())};
    return true;
}

} // namespace runlens::ui
