#include "report_writer.h"

#include "curve_plot.h"
#include "run_colors.h"
#include "run_diff.h"
#include "seed_statistics.h"
#include "workspace.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QPainter>
#include <QSvgGenerator>

#include <cmath>

namespace runlens::ui {

namespace {

QString esc(const QString& s) { return s.toHtmlEscaped(); }

QString chartSvg(Workspace& workspace, const std::vector<int>& rows, const QString& metric)
{
    const auto table = workspace.runs();
    std::vector<CurveSeries> series;
    for (int r : rows) {
        SeriesKey key{table->storeIndex(r), table->id(r), metric, XAxis::Step, Smoothing::None, 0};
        if (const MetricColumn* m = table->metric(metric); !m || !m->has(r))
            continue;
        auto plot = workspace.loadSeriesNow(key);
        if (plot)
            series.push_back({table->id(r), table->name(r), runColor(table->id(r)), plot, nullptr, -1});
    }
    if (series.empty())
        return {};
    CurvePlot plot;
    plot.resize(720, 300);
    plot.setTitle(metric);
    plot.setXLabel(QStringLiteral("step"));
    plot.setSeries(std::move(series));
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(plot.size());
    svg.setViewBox(QRect(QPoint(0, 0), plot.size()));
    {
        QPainter p(&svg);
        plot.render(&p);
    }
    QString text = QString::fromUtf8(buffer.data());
    // The generator writes an XML prolog; inline SVG in HTML starts at <svg.
    const auto start = text.indexOf(QLatin1String("<svg"));
    return start >= 0 ? text.mid(start) : QString();
}

} // namespace

QString buildHtmlReport(Workspace& workspace, const std::vector<int>& rows, const ReportOptions& options)
{
    const auto table = workspace.runs();
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%1</title>\n").arg(esc(options.title));
    h += QStringLiteral("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
                        "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}th{background:#f4f4f4}"
                        "td.num{text-align:right}.diff{background:#fff3cd}.swatch{display:inline-block;width:10px;height:10px;"
                        "margin-right:6px}.warn{color:#b45309}h2{margin-top:1.6em}svg{max-width:100%;height:auto}</style>"
                        "</head><body>\n");
    h += QStringLiteral("<h1>%1</h1>\n").arg(esc(options.title));
    QStringList stores;
    for (int s = 0; s < workspace.storeCount(); ++s)
        stores << QFileInfo(workspace.store(s).path).fileName();
    h += QStringLiteral("<p class=\"stamp\">Store: %1 · generated %2 · Runlens %3</p>\n")
             .arg(esc(stores.join(QStringLiteral(", "))), QDateTime::currentDateTime().toString(Qt::ISODate),
                  QStringLiteral(RUNLENS_VERSION));
    if (!options.notes.isEmpty())
        h += QStringLiteral("<section id=\"notes\"><h2>Notes</h2><p>%1</p></section>\n")
                 .arg(esc(options.notes).replace(QLatin1Char('\n'), QStringLiteral("<br>")));

    // Runs.
    h += QStringLiteral("<section id=\"runs\"><h2>Runs</h2><table><tr><th>Run</th><th>Status</th><th>Experiment</th>");
    QStringList metrics = options.metrics;
    if (metrics.isEmpty())
        for (const auto& m : table->metrics())
            if (metrics.size() < 4 && std::any_of(rows.begin(), rows.end(), [&](int r) { return m.has(r); }))
                metrics << m.key;
    for (const auto& m : metrics)
        h += QStringLiteral("<th>%1</th>").arg(esc(m));
    h += QStringLiteral("</tr>\n");
    for (int r : rows) {
        h += QStringLiteral("<tr><td><span class=\"swatch\" style=\"background:%1\"></span>%2</td><td>%3</td><td>%4</td>")
                 .arg(runColor(table->id(r)).name(), esc(table->name(r)), statusName(table->status(r)), esc(table->experiment(r)));
        for (const auto& key : metrics) {
            const MetricColumn* m = table->metric(key);
            h += QStringLiteral("<td class=\"num\">%1</td>")
                     .arg(m && m->has(r) ? QString::number(m->last[size_t(r)], 'g', 6) : QStringLiteral("—"));
        }
        h += QStringLiteral("</tr>\n");
    }
    h += QStringLiteral("</table></section>\n");

    // Differences, against the first run.
    std::vector<RunDetails> details;
    for (int r : rows)
        if (auto d = workspace.details(r))
            details.push_back(std::move(*d));
    const RunComparison c = compareRuns(details);
    h += QStringLiteral("<section id=\"diff\"><h2>What differs</h2><p>Deltas against the first run, %1.</p><table><tr><th>Section</th><th>Key</th>")
             .arg(details.empty() ? QString() : esc(details.front().name));
    for (const auto& n : c.runNames)
        h += QStringLiteral("<th>%1</th>").arg(esc(n));
    h += QStringLiteral("</tr>\n");
    for (const auto& row : c.rows) {
        if (!row.differs)
            continue;
        h += QStringLiteral("<tr><td>%1</td><td>%2</td>").arg(esc(row.section), esc(row.key));
        for (size_t i = 0; i < row.values.size(); ++i) {
            QString v = row.values[i] ? esc(row.values[i]->left(300)) : QStringLiteral("—");
            if (i > 0)
                if (const auto d = deltaOf(row.values[i], row.values[0]); d && d->absolute != 0)
                    v += QStringLiteral(" (%1%2)").arg(d->absolute > 0 ? QStringLiteral("+") : QString(),
                                                       QString::number(d->absolute, 'g', 4));
            h += QStringLiteral("<td%1>%2</td>").arg(i > 0 && row.values[i] != row.values[0] ? QStringLiteral(" class=\"diff\"") : QString(), v);
        }
        h += QStringLiteral("</tr>\n");
    }
    h += QStringLiteral("</table></section>\n");

    // Curves.
    h += QStringLiteral("<section id=\"curves\"><h2>Curves</h2>\n");
    for (const auto& m : metrics)
        h += QStringLiteral("<figure>%1<figcaption>%2</figcaption></figure>\n").arg(chartSvg(workspace, rows, m), esc(m));
    h += QStringLiteral("</section>\n");

    // Seed statistics, where runs share a config.
    if (!metrics.isEmpty()) {
        const auto groups = groupBySeed(*table, rows);
        if (std::any_of(groups.begin(), groups.end(), [](const SeedGroup& g) { return g.rows.size() > 1; })) {
            h += QStringLiteral("<section id=\"seeds\"><h2>Seed statistics: %1</h2><table><tr><th>Config</th><th>n</th>"
                                "<th>Mean ± SD</th><th>Min</th><th>Max</th><th></th></tr>\n")
                     .arg(esc(metrics.front()));
            for (const auto& g : groups) {
                const auto s = sampleStats(metricValues(*table, g.rows, metrics.front()));
                h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3 ± %4</td><td>%5</td><td>%6</td><td class=\"warn\">%7</td></tr>\n")
                         .arg(esc(g.label))
                         .arg(s.n)
                         .arg(QString::number(s.mean, 'g', 5), QString::number(s.sd, 'g', 3), QString::number(s.min, 'g', 5),
                              QString::number(s.max, 'g', 5), esc(s.warning));
            }
            h += QStringLiteral("</table></section>\n");
        }
    }

    // Provenance.
    h += QStringLiteral("<section id=\"provenance\"><h2>Provenance</h2><table><tr><th>Run</th><th>Commit</th><th>Uncommitted "
                        "changes</th><th>Data</th><th>Reproducibility hash</th></tr>\n");
    for (const auto& d : details) {
        QStringList data;
        for (const auto& [k, v] : d.dataVersions)
            data << esc(k) + QStringLiteral(": ") + esc(v);
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>\n")
                 .arg(esc(d.name), esc(d.git.commit.left(12)),
                      d.git.present ? (d.git.dirty ? QStringLiteral("yes") : QStringLiteral("no")) : QStringLiteral("—"),
                      data.join(QStringLiteral("<br>")), esc(d.reproHash.left(16)));
    }
    h += QStringLiteral("</table></section>\n</body></html>\n");
    return h;
}

} // namespace runlens::ui
