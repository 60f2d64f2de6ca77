// SPDX-License-Identifier: GPL-3.0-or-later
// The main window assembles the views around one Workspace and one RunSession:
// it wires the views to the session, which computes what they show; the navigator
// (left), the query bar and run table (centre top), the curves (centre
// bottom) and the run details (right). It holds no data of its own and runs
// no SQL; the views read core/ through models.
#pragma once

#include "curves_view.h"
#include "run_table.h"

#include "run_watch.h"

#include <QMainWindow>

#include <QSet>

#include <memory>
#include <optional>

class QLabel;
class QProgressBar;
class QToolButton;
class QSplitter;
class QTextStream;
class QTabWidget;
class QDockWidget;
class QUndoStack;

namespace runlens {
class RunEdit;
class RunSession;
class Workspace;
}

class QSystemTrayIcon;

namespace runlens::ui {

class CandidatesView;
class ModelsView;
class ArtifactsView;
class CodeDiffView;
class DiffView;
class SeedsView;
class ScatterView;
class ImportanceView;
class DistributionView;
class ParallelCoordinatesView;
class NavigatorView;
class QueryBar;
class RunDetailsView;
class RunTableModel;
class RunTableView;
class WatchPanel;
class EventBanner;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Workspace& workspace() { return *workspace_; }
    // What the window shows: query, scope, brush and selection (core/workspace/run_session.h).
    RunSession& session() { return *session_; }
    void openStores(const QStringList& paths);

    // Applies a query as if typed; returns the error text, empty when valid.
    QString applyQuery(const QString& query);
    void selectRuns(const std::vector<int>& tableRows);
    void selectRunIds(const QStringList& idsOrNames);

    // The lab notebook (Edit menu): each edit of runs is an undoable command.
    QUndoStack* undoStack() const { return undo_; }
    // Pushes `edit` (its no-op runs dropped) on the undo stack; false, with
    // the reason in the status bar, when there is nothing to do or it is refused.
    bool pushEdit(const RunEdit& edit);
    void renameSelectedRun();
    void tagSelectedRuns();
    void toggleStarOnSelectedRuns();
    // Moves the selected runs to the trash, or out of it when the trash is shown.
    void trashSelectedRuns(bool trash = true);
    void setShowTrash(bool show);
    // Where Save Query/Save View keep theirs: the navigator's store, the only one, or asked; -1: none.
    int storeToKeepIn(const QString& title);
    void emptyTrash();
    // Candidates (Edit menu, the Candidates tab). Promote asks why in a
    // dialog that shows each run against its rule; promoteRuns is what it
    // does (a run failing its rule only with `force`, which the record keeps).
    void promoteSelectedRuns();
    bool promoteRuns(const std::vector<int>& rows, const QString& why, bool force);
    void demoteSelectedRuns();
    // The promotion rule of the selected run's experiment (else the one in view), in a dialog.
    void editPromotionRule();
    CandidatesView* candidatesView() const { return candidates_; }
    ModelsView* modelsView() const { return models_; }
    // The Models tab: register the selected run as a model's next version
    // (asks which model), point an alias or move a stage (our stores only).
    void registerSelectedRun();
    void setModelAlias(int store, const QString& model, qint64 version);
    void setModelStage(int store, const QString& model, qint64 version, const QString& stage);
    // Save Query…: keeps the query bar's text with the store chosen in the
    // navigator (asking which when several are open), under `name` (asked
    // when empty).
    void saveQuery(const QString& name = {});
    // View > Save View…: the query, the table's columns and grouping, the
    // charted metrics, the curves' settings and the tab, kept with the store
    // as saveQuery keeps a query (name asked when empty); listed in the
    // navigator, where a click applies it (applyView).
    void saveView(const QString& name = {});
    // False (and why in the status bar) when the JSON is not a view.
    bool applyView(const QString& name, const QString& viewJson);
    // View ▸ Derived Metrics…: a metric computed from others, kept with a
    // store; `expression` prefills the editor (a column's "Derive from…").
    void editDerivedMetrics(const QString& expression = {});
    // Other tools' internal tags in the table, the details and the comparison (View menu).
    void setShowToolTags(bool show);

    RunTableModel* tableModel() const { return model_; }
    RunTableView* tableView() const { return table_; }
    QueryBar* queryBar() const { return query_; }
    CurvesView* curvesView() const { return curves_; }
    DiffView* diffView() const { return diff_; }
    CodeDiffView* codeDiffView() const { return codeDiff_; }
    ArtifactsView* artifactsView() const { return artifacts_; }
    SeedsView* seedsView() const { return seeds_; }
    ParallelCoordinatesView* parallelView() const { return parcoords_; }
    ScatterView* scatterView() const { return scatter_; }
    ImportanceView* importanceView() const { return importance_; }
    DistributionView* distributionView() const { return distributions_; }
    RunDetailsView* detailsView() const { return details_; }
    NavigatorView* navigator() const { return navigator_; }
    WatchPanel* watchPanel() const { return watch_; }
    EventBanner* eventBanner() const { return banner_; }

    // The run table as CSV, the rows shown: every column, or those shown as shown.
    void writeTableCsv(QTextStream& out, bool allColumns) const;

    // The runs File > Export Report takes; `note` says when some were left out.
    std::vector<int> reportRows(QString* note = nullptr) const;

    // Shows one view alone, for `runlens snapshot`.
    enum class SnapshotView { Window, Table, Curves, Diff, CodeDiff, Artifacts, Seeds, Parallel, Scatter, Importance, Distributions, Candidates, Models };
    void prepareSnapshot(SnapshotView view);

    // The runs the curves show when nothing is selected.
    static constexpr int kDefaultCurveRuns = 20;
    // Candidates whose promotion history the Candidates tab reads (one run's details each).
    static constexpr int kCandidateHistories = 20;
    static constexpr int kMaxGroupedCurveRuns = 2000;
    // The side panels' widths: wished for, and the least they get.
    static constexpr int kNavigatorWidth = 230, kNavigatorMinWidth = 140;
    static constexpr int kDetailsWidth = 340, kDetailsMinWidth = 220;
    // File > Export Report takes at most this many runs when none are selected.
    static constexpr size_t kMaxReportRuns = 50;

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void buildMenus();
    // The session's signals, applied to the views.
    void onTableChanged();
    void onFilteredRowsChanged();
    void applyShownRows();
    void onSelectionChanged();
    // Each run against its experiment's rule, into the table and the Candidates tab.
    void refreshPromotion();
    void updateGrouping();
    void updateDiff();
    // The metric the table sorts by (a header, else the query's order by).
    QString sortMetric() const;
    // Points the scatter's x axis and the first parallel axis at a param.
    void focusParam(const QString& key, const QString& metric);
    void updateRecentMenu();
    void addRecent(const QString& path);
    // allColumns: every param, metric and tag; else the columns shown, as shown.
    void exportTableCsv(bool allColumns);
    void exportReport();
    void loadSettings();
    void saveSettings() const;

    std::unique_ptr<Workspace> workspace_;
    NavigatorView* navigator_;
    QueryBar* query_;
    RunTableModel* model_;
    RunTableView* table_;
    CurvesView* curves_;
    DiffView* diff_;
    CodeDiffView* codeDiff_;
    ArtifactsView* artifacts_;
    SeedsView* seeds_;
    CandidatesView* candidates_;
    ModelsView* models_;
    // A registry change asked for: its model and version are chosen in the
    // Models tab once the store was read again.
    struct {
        int store = -1;
        QString model;
        qint64 version = 0;
    } pendingRegistration_;
    ParallelCoordinatesView* parcoords_;
    ScatterView* scatter_;
    ImportanceView* importance_;
    DistributionView* distributions_;
    QTabWidget* views_;
    RunDetailsView* details_;
    QSplitter* centre_;
    QDockWidget* navigatorDock_;
    QDockWidget* detailsDock_;
    // Live watch: the rules and events (View ▸ Watch), the banner that names
    // the latest event, and the desktop's notification where there is a tray.
    WatchPanel* watch_ = nullptr;
    QDockWidget* watchDock_ = nullptr;
    EventBanner* banner_ = nullptr;
    QSystemTrayIcon* tray_ = nullptr;
    QString trayRunId_;
    void notifyDesktop(const std::vector<WatchEvent>& events);
    QLabel* summary_;
    QProgressBar* progress_;
    QToolButton* cancel_;
    QMenu* recentMenu_ = nullptr;
    QUndoStack* undo_;
    RunSession* session_;
    // Set while the views are rebuilt: their selection resets then are not the user's.
    bool rebuildingViews_ = false;
    quint64 shownUpdates_ = 0;
};

} // namespace runlens::ui
