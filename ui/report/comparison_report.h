// SPDX-License-Identifier: GPL-3.0-or-later
// A comparison report of chosen runs, to read away from the workstation:
// title and notes, the run table, what differs (with deltas against the
// baseline), metric curves, chosen artifacts side by side, the parallel
// coordinates, seed statistics where runs share a config, and each run's
// provenance; stamped with the stores,
// the time and the Runlens version.
//
// Built once, written two ways: a self-contained HTML file (figures as
// inline SVG; no scripts, no external resources, opens offline in any
// browser) or a PDF (the same HTML laid out by QTextDocument with the
// figures drawn as vectors). The report dialog previews that document.
// Every user string is escaped.
//
// Threading: build() and the writers run on the GUI thread (the figures are
// drawn by the app's own chart widgets); load the series first, off it.
#pragma once

#include "report_content.h"
#include "result.h"
#include "workspace.h"

#include <QString>
#include <QStringList>

#include "report_table.h"

#include <QPageLayout>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QTextDocument;

namespace runlens::ui {

struct ReportSections {
    bool runs = true;
    bool differences = true;
    bool curves = true;
    bool parallel = true;
    bool seeds = true;
    bool provenance = true;
};

struct ReportOptions {
    QString title = QStringLiteral("Run comparison");
    QString notes;
    std::optional<QStringList> metrics; // none: defaultMetrics()
    XAxis axis = XAxis::Step;            // what the curves plot against
    QString xMetric;                     // with XAxis::Metric: the metric giving x
    ReportSections sections;
    bool toolTags = false; // other tools' internal tags (mlflow.*) among the differences
    // Artifact paths or media keys to show side by side across the runs
    // (the Artifacts tab's grid, each run's latest step): images embedded,
    // confusion matrices with their difference, text, tables.
    QStringList artifacts;
};

// Where a report's curves come from: the workspace's cache after
// requestSeries(), or Workspace::loadSeriesNow headless.
using SeriesSource = std::function<std::shared_ptr<const PlotSeries>(const SeriesKey&)>;

class ComparisonReport {
public:
    class Builder;

    // The metrics a report shows when none are chosen: losses and scores first.
    static QStringList defaultMetrics(const RunTable& table, const std::vector<int>& rows);
    // Every series a report of `rows` draws, to load before build().
    static std::vector<SeriesKey> seriesKeys(
        const RunTable& table, const std::vector<int>& rows, const QStringList& metrics, XAxis axis = XAxis::Step,
        const QString& xMetric = {});

    // `rows` are rows of the workspace's merged table, in report order. All
    // at once; Builder does the same a piece at a time.
    static ComparisonReport build(const Workspace& workspace, const std::vector<int>& rows,
        const ReportOptions& options, const SeriesSource& series);

    QString html() const;
    // The page a PDF is printed on.
    QPageLayout pageLayout() const;
    // For PDF and the preview: laid out on pageLayout(), figures as vector
    // objects, tables sized to the page.
    std::unique_ptr<QTextDocument> document() const;
    Result<bool> writePdf(const QString& path) const;
    // By suffix: .html / .htm or .pdf.
    Result<bool> save(const QString& path) const;

    int figureCount() const { return int(figures_.size()); }
    int runCount() const { return runCount_; }

private:
    friend class Builder;

    QString title_;
    QString body_; // HTML with <runlens-figure index="N"/> and <runlens-table index="N"/>
    std::vector<QByteArray> figures_; // SVG documents
    std::vector<ReportTable> tables_;
    int runCount_ = 0;
};

// Assembles a report a piece at a time (a table, or one figure, per step),
// so the window builds it between events rather than in one long block.
// Keeps references to the workspace: use it while the workspace lives.
class ComparisonReport::Builder {
public:
    Builder(const Workspace& workspace, std::vector<int> rows, ReportOptions options, SeriesSource series);
    ~Builder();
    Builder(const Builder&) = delete;
    Builder& operator=(const Builder&) = delete;

    bool done() const { return next_ >= pieces_.size(); }
    int stepCount() const { return int(pieces_.size()); }
    int stepsDone() const { return int(next_); }
    void step();
    // The report (finishing what is left).
    ComparisonReport take();

private:
    void header();
    void runsSection();
    void curve(qsizetype index);
    void parallelSection();
    void seedsSection();
    void artifactsSection();

    const Workspace& workspace_;
    std::vector<int> rows_;
    ReportOptions options_;
    SeriesSource series_;
    std::shared_ptr<const RunTable> table_;
    ReportContent content_; // what the report says; this class only writes it
    std::vector<RunDetails> details_;
    std::vector<std::function<void()>> pieces_;
    size_t next_ = 0;
    ComparisonReport report_;
};

} // namespace runlens::ui
