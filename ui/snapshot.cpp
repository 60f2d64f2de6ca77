// SPDX-License-Identifier: GPL-3.0-or-later
#include "snapshot.h"

#include "column_key.h"
#include "distribution_view.h"
#include "importance_view.h"
#include "artifacts_view.h"
#include "main_window.h"
#include "run_table_model.h"
#include "run_table_view.h"
#include "parallel_coordinates_view.h"
#include "report_dialog.h"
#include "scatter_view.h"
#include "seeds_view.h"
#include "workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QListWidget>
#include <QImage>
#include <QPixmap>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextStream>

namespace runlens::ui {

namespace {

// The Export Report dialog with its preview built.
SnapshotError renderReportDialog(MainWindow& window, const SnapshotOptions& o, QTextStream& err)
{
    ReportDialog dialog(window.workspace(), window.reportRows(), &window);
    if (o.metrics.size() > 0) {
        // Check exactly the metrics asked for.
        auto* list = dialog.findChild<QListWidget*>();
        for (int i = 0; list && i < list->count(); ++i)
            list->item(i)->setCheckState(o.metrics.contains(list->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
    }
    dialog.resize(o.size);
    dialog.show();
    QElapsedTimer waited;
    waited.start();
    while ((dialog.isBuilding() || !dialog.report()) && waited.elapsed() < 60'000)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    if (!dialog.report()) {
        err << "runlens snapshot: the report preview did not build\n";
        return SnapshotError::Failed;
    }
    if (!dialog.grab().toImage().save(o.output)) {
        err << "runlens snapshot: cannot write '" << o.output << "'\n";
        return SnapshotError::Failed;
    }
    return SnapshotError::None;
}

} // namespace

const QStringList& snapshotViews()
{
    static const QStringList views = {QStringLiteral("table"), QStringLiteral("curves"), QStringLiteral("diff"),
        QStringLiteral("codediff"), QStringLiteral("artifacts"), QStringLiteral("seeds"), QStringLiteral("parcoords"), QStringLiteral("scatter"),
        QStringLiteral("importance"), QStringLiteral("distributions"), QStringLiteral("candidates"), QStringLiteral("models"), QStringLiteral("report"), QStringLiteral("window")};
    return views;
}

SnapshotError renderSnapshot(const SnapshotOptions& o, QTextStream& err)
{
    // Settings from a scratch place: a snapshot neither reads nor changes the user's.
    QTemporaryDir settingsDir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    MainWindow window;
    window.workspace().setLiveInterval(0);
    if (const QString failure = window.workspace().openAndWait(o.stores); !failure.isEmpty()) {
        err << "runlens snapshot: " << failure << '\n';
        return SnapshotError::StoreUnreadable;
    }
    if (!o.query.isEmpty()) {
        const QString error = window.applyQuery(o.query);
        if (!error.isEmpty()) {
            err << "runlens snapshot: invalid query, " << error << '\n';
            return SnapshotError::BadQuery;
        }
    }
    if (!o.groupBy.isEmpty()) {
        if (window.tableModel()->columnOf(o.groupBy) < 0) {
            err << "runlens snapshot: no column '" << o.groupBy << "' to group by\n";
            return SnapshotError::Failed;
        }
        emit window.tableView()->groupByRequested(o.groupBy);
    }
    if (!o.sortBy.isEmpty()) {
        const bool descending = o.sortBy.startsWith(QLatin1Char('-'));
        const QString key = descending ? o.sortBy.mid(1) : o.sortBy;
        const int column = window.tableModel()->columnOf(key);
        if (column < 0) {
            err << "runlens snapshot: no column '" << key << "' to sort by\n";
            return SnapshotError::Failed;
        }
        window.tableView()->sortByColumn(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    }
    if (!o.runs.isEmpty()) {
        const auto rows = window.workspace().runs()->findRuns(o.runs);
        if (!rows) {
            err << "runlens snapshot: " << rows.error() << '\n';
            return SnapshotError::RunNotFound;
        }
        window.selectRuns(*rows);
    }
    if (!o.metrics.isEmpty())
        window.curvesView()->setMetrics(o.metrics);
    CurveSettings s = window.curvesView()->settings();
    if (!o.bands.isEmpty()) {
        if (o.bands != QLatin1String("minmax") && o.bands != QLatin1String("sd")) {
            err << "runlens snapshot: --bands takes minmax or sd\n";
            return SnapshotError::BadOption;
        }
        s.groupBands = true;
        s.band = o.bands == QLatin1String("sd") ? BandKind::StdDev : BandKind::MinMax;
    }
    if (o.axis == XAxis::Metric && !window.workspace().runs()->metric(o.xMetric)) {
        err << "runlens snapshot: --x takes step, elapsed, time or a metric; no run has '" << o.xMetric << "'\n";
        return SnapshotError::BadOption;
    }
    s.axis = o.axis;
    s.xMetric = o.xMetric;
    window.curvesView()->setSettings(s);

    if (o.view == QLatin1String("report"))
        return renderReportDialog(window, o, err);
    MainWindow::SnapshotView view = MainWindow::SnapshotView::Window;
    if (o.view == QLatin1String("table"))
        view = MainWindow::SnapshotView::Table;
    else if (o.view == QLatin1String("curves"))
        view = MainWindow::SnapshotView::Curves;
    else if (o.view == QLatin1String("diff"))
        view = MainWindow::SnapshotView::Diff;
    else if (o.view == QLatin1String("codediff"))
        view = MainWindow::SnapshotView::CodeDiff;
    else if (o.view == QLatin1String("artifacts"))
        view = MainWindow::SnapshotView::Artifacts;
    else if (o.view == QLatin1String("seeds"))
        view = MainWindow::SnapshotView::Seeds;
    else if (o.view == QLatin1String("parcoords"))
        view = MainWindow::SnapshotView::Parallel;
    else if (o.view == QLatin1String("scatter"))
        view = MainWindow::SnapshotView::Scatter;
    else if (o.view == QLatin1String("importance"))
        view = MainWindow::SnapshotView::Importance;
    else if (o.view == QLatin1String("distributions"))
        view = MainWindow::SnapshotView::Distributions;
    else if (o.view == QLatin1String("candidates"))
        view = MainWindow::SnapshotView::Candidates;
    else if (o.view == QLatin1String("models"))
        view = MainWindow::SnapshotView::Models;
    else if (o.view != QLatin1String("window")) {
        err << "runlens snapshot: unknown view '" << o.view << "' (" << snapshotViews().join(QStringLiteral(", ")) << ")\n";
        return SnapshotError::BadOption;
    }
    if ((view == MainWindow::SnapshotView::Diff || view == MainWindow::SnapshotView::CodeDiff) && o.runs.isEmpty()) {
        // These views need a selection: the first shown runs (two for code).
        const auto shown = window.tableModel()->displayedRows();
        const ptrdiff_t n = view == MainWindow::SnapshotView::Diff ? 6 : 2;
        window.selectRuns(std::vector<int>(shown.begin(), shown.begin() + std::min<ptrdiff_t>(n, ptrdiff_t(shown.size()))));
    }
    window.parallelView()->setSynchronous(true);
    window.importanceView()->setSynchronous(true);
    window.distributionView()->setSynchronous(true);
    window.prepareSnapshot(view);
    if (view == MainWindow::SnapshotView::Seeds && !o.metrics.isEmpty())
        window.seedsView()->setMetric(o.metrics.first());
    if (view == MainWindow::SnapshotView::Importance && !o.metrics.isEmpty())
        window.importanceView()->setMetric(o.metrics.first());
    if (view == MainWindow::SnapshotView::Distributions) {
        DistributionView& d = *window.distributionView();
        if (!o.metrics.isEmpty())
            d.setMetric(o.metrics.first());
        // params.K or K; two of them: the heat map.
        QStringList keys;
        for (const QString& p : o.params)
            keys << (p.startsWith(QLatin1String("params.")) ? p.mid(7) : p);
        for (const QString& k : keys)
            if (!window.workspace().runs()->param(k)) {
                err << "runlens snapshot: no param '" << k << "'\n";
                return SnapshotError::BadOption;
            }
        if (keys.size() > 2) {
            err << "runlens snapshot: --params takes one param (box plots) or two (a heat map)\n";
            return SnapshotError::BadOption;
        }
        if (!keys.isEmpty())
            d.setParam(keys.first());
        if (keys.size() == 2) {
            d.setSecondParam(keys.last());
            d.setMode(DistributionView::Mode::HeatMap);
        }
    }
    if (view == MainWindow::SnapshotView::Scatter && !o.metrics.isEmpty()) {
        // --metrics Y or X,Y (X may be params.K or metrics.K).
        const QString y = o.metrics.last();
        QString x = o.metrics.size() > 1 ? o.metrics.first() : QString();
        if (!x.isEmpty())
            x = ColumnKey::parseMetric(x).text();
        window.scatterView()->setAxes(x, y);
    }
    window.resize(o.size);
    window.show();
    QCoreApplication::processEvents();
    if (view == MainWindow::SnapshotView::Artifacts) {
        ArtifactsView& a = *window.artifactsView();
        a.waitForIdle();
        if (!o.artifact.isEmpty() && !a.chooseArtifact(o.artifact)) {
            QStringList known;
            for (const auto& e : a.catalog().entries())
                known << e.path;
            err << "runlens snapshot: the runs have no artifact '" << o.artifact << "'"
                << (known.isEmpty() ? QStringLiteral(" (they have none)") : QStringLiteral(" (they have: ") + known.join(QStringLiteral(", ")) + QStringLiteral(")"))
                << "\n";
            return SnapshotError::BadOption;
        }
        if (!o.step.isEmpty()) {
            bool ok = false;
            const qlonglong step = o.step.toLongLong(&ok);
            if (!ok) {
                err << "runlens snapshot: --step takes a number\n";
                return SnapshotError::BadOption;
            }
            a.setStep(step);
        }
        a.setDifference(o.difference);
        a.waitForIdle();
    }
    window.curvesView()->loadNow();
    QCoreApplication::processEvents();
    const QImage image = window.grab().toImage();
    if (!image.save(o.output)) {
        err << "runlens snapshot: cannot write '" << o.output << "'\n";
        return SnapshotError::Failed;
    }
    return SnapshotError::None;
}

} // namespace runlens::ui
