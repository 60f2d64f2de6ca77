// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"
#include "event_banner.h"
#include "watch_panel.h"
#include "store_registry.h"
#include "team_store_dialog.h"

#include "column_key.h"
#include "artifacts_view.h"
#include "code_diff_view.h"
#include "diff_view.h"
#include "scatter_view.h"
#include "parallel_coordinates_view.h"
#include "seeds_view.h"
#include "importance_view.h"
#include "derived_metric_dialog.h"
#include "saved_view.h"
#include "distribution_view.h"
#include "candidates_view.h"
#include "models_view.h"
#include "promote_dialog.h"
#include "promotion.h"
#include "promotion_rule_dialog.h"
#include "navigator_view.h"
#include "query_bar.h"
#include "report_dialog.h"
#include "run_colors.h"
#include "run_details_view.h"
#include "run_edit.h"
#include "run_edit_command.h"
#include "run_edit_writer.h"
#include "tag_editor_dialog.h"
#include "run_json.h"
#include "run_query.h"
#include "run_session.h"
#include "run_table_csv.h"
#include "run_table_model.h"
#include "run_table_view.h"
#include "workspace.h"

#include <QAction>
#include <QPushButton>
#include <QCheckBox>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSaveFile>
#include <QScreen>
#include <QScopedValueRollback>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTextStream>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace runlens::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), workspace_(std::make_unique<Workspace>()), undo_(new QUndoStack(this)),
      session_(new RunSession(*workspace_, this))
{
    setWindowTitle(tr("Runlens"));
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    query_ = new QueryBar;
    model_ = new RunTableModel(this);
    table_ = new RunTableView;
    table_->setRunModel(model_);
    // Oldest first, as the runs were started: a sweep reads in its own order.
    model_->setSortKey(QStringLiteral("start_time"), Qt::AscendingOrder);
    summary_ = new QLabel;
    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(4, 4, 4, 0);
    banner_ = new EventBanner;
    topLayout->addWidget(banner_);
    auto* queryRow = new QHBoxLayout;
    queryRow->addWidget(query_, 1);
    queryRow->addWidget(summary_);
    topLayout->addLayout(queryRow);
    topLayout->addWidget(table_, 1);

    curves_ = new CurvesView(*workspace_);
    diff_ = new DiffView;
    views_ = new QTabWidget;
    views_->setDocumentMode(true);
    views_->addTab(curves_, tr("Curves"));
    views_->addTab(diff_, tr("Compare"));
    codeDiff_ = new CodeDiffView;
    views_->addTab(codeDiff_, tr("Code"));
    artifacts_ = new ArtifactsView(workspace_.get());
    views_->addTab(artifacts_, tr("Artifacts"));
    seeds_ = new SeedsView;
    views_->addTab(seeds_, tr("Seeds"));
    parcoords_ = new ParallelCoordinatesView;
    views_->addTab(parcoords_, tr("Parallel"));
    scatter_ = new ScatterView;
    views_->addTab(scatter_, tr("Scatter"));
    importance_ = new ImportanceView;
    views_->addTab(importance_, tr("Importance"));
    distributions_ = new DistributionView;
    views_->addTab(distributions_, tr("Distributions"));
    // A param chosen there: the scatter plots the metric against it and the
    // parallel axes start with it, coloured by the metric.
    connect(importance_, &ImportanceView::paramChosen, this, &MainWindow::focusParam);
    connect(importance_, &ImportanceView::paramActivated, this, [this](const QString& key, const QString& metric) {
        focusParam(key, metric);
        views_->setCurrentWidget(scatter_);
    });
    candidates_ = new CandidatesView;
    views_->addTab(candidates_, tr("Candidates"));
    connect(candidates_, &CandidatesView::runsSelected, this, [this](const std::vector<int>& rows) {
        if (!rows.empty())
            selectRuns(rows);
    });
    connect(candidates_, &CandidatesView::promoteRequested, this, &MainWindow::promoteSelectedRuns);
    connect(candidates_, &CandidatesView::demoteRequested, this, &MainWindow::demoteSelectedRuns);
    connect(candidates_, &CandidatesView::ruleRequested, this, &MainWindow::editPromotionRule);
    models_ = new ModelsView;
    views_->addTab(models_, tr("Models"));
    connect(models_, &ModelsView::runsSelected, this, [this](const std::vector<int>& rows) {
        if (!rows.empty())
            selectRuns(rows);
    });
    connect(models_, &ModelsView::registerRequested, this, &MainWindow::registerSelectedRun);
    connect(models_, &ModelsView::aliasRequested, this, &MainWindow::setModelAlias);
    connect(models_, &ModelsView::stageRequested, this, &MainWindow::setModelStage);
    // A run clicked in a chart: selected, or added to the selection with Ctrl.
    const auto selectClicked = [this](int row, bool add) {
        auto rows = add ? table_->selectedTableRows() : std::vector<int>{};
        if (std::find(rows.begin(), rows.end(), row) == rows.end())
            rows.push_back(row);
        selectRuns(rows);
    };
    connect(scatter_, &ScatterView::runClicked, this, selectClicked);
    connect(distributions_, &DistributionView::runClicked, this, selectClicked);
    connect(distributions_, &DistributionView::runsClicked, this, [this](const std::vector<int>& rows) {
        if (!rows.empty())
            selectRuns(rows);
    });
    connect(parcoords_, &ParallelCoordinatesView::brushChanged, session_, [this](const std::vector<int>& kept, bool any) {
        session_->setBrush(any ? std::optional<std::vector<int>>(kept) : std::nullopt);
    });
    connect(seeds_, &SeedsView::bandsRequested, this, [this](const QStringList& labels, const QHash<int, int>& groupOf) {
        curves_->setGrouping(labels, groupOf);
        CurveSettings s = curves_->settings();
        s.groupBands = true;
        curves_->setSettings(s);
        views_->setCurrentWidget(curves_);
    });
    connect(views_, &QTabWidget::currentChanged, this, [this] {
        if (views_->currentWidget() == candidates_)
            refreshPromotion();   // its history is read only while it is in view
        updateDiff();
    });
    centre_ = new QSplitter(Qt::Vertical);
    centre_->addWidget(top);
    centre_->addWidget(views_);
    centre_->setStretchFactor(0, 2);
    centre_->setStretchFactor(1, 3);
    setCentralWidget(centre_);

    navigator_ = new NavigatorView(*workspace_);
    navigatorDock_ = new QDockWidget(tr("Stores"), this);
    navigatorDock_->setObjectName(QStringLiteral("navigator"));
    navigatorDock_->setWidget(navigator_);
    addDockWidget(Qt::LeftDockWidgetArea, navigatorDock_);
    details_ = new RunDetailsView;
    detailsDock_ = new QDockWidget(tr("Run details"), this);
    detailsDock_->setObjectName(QStringLiteral("details"));
    detailsDock_->setWidget(details_);
    addDockWidget(Qt::RightDockWidgetArea, detailsDock_);
    // Narrower than this the panels read as "Stor…" and "Key / Va": at
    // 1024 px the centre gives way instead.
    navigatorDock_->setMinimumWidth(kNavigatorMinWidth);
    detailsDock_->setMinimumWidth(kDetailsMinWidth);
    resizeDocks({navigatorDock_, detailsDock_}, {kNavigatorWidth, kDetailsWidth}, Qt::Horizontal);
    watch_ = new WatchPanel;
    watchDock_ = new QDockWidget(tr("Watch"), this);
    watchDock_->setObjectName(QStringLiteral("watch"));
    watchDock_->setWidget(watch_);
    addDockWidget(Qt::RightDockWidgetArea, watchDock_);
    tabifyDockWidget(detailsDock_, watchDock_);
    detailsDock_->raise();
    const auto showRun = [this](const QString& runId) {
        if (!runId.isEmpty())
            selectRunIds({runId});
    };
    connect(watch_, &WatchPanel::runActivated, this, showRun);
    connect(banner_, &EventBanner::runActivated, this, showRun);
    connect(watch_, &WatchPanel::eventsRaised, this, [this](const std::vector<WatchEvent>& events) {
        banner_->show(events);
        notifyDesktop(events);
    });
    connect(watch_, &WatchPanel::rulesChanged, this, [this] {
        if (const auto table = session_->table())
            watch_->update(*workspace_, *table);
    });

    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(200);
    progress_->setVisible(false);
    cancel_ = new QToolButton;
    cancel_->setText(tr("Cancel"));
    cancel_->setVisible(false);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    connect(cancel_, &QToolButton::clicked, workspace_.get(), &Workspace::cancel);

    connect(workspace_.get(), &Workspace::loadingChanged, this, [this](bool loading) {
        progress_->setVisible(loading);
        cancel_->setVisible(loading);
        if (!loading) {
            progress_->setValue(0);
            statusBar()->clearMessage();
        }
    });
    connect(workspace_.get(), &Workspace::progress, this, [this](double f, const QString& what) {
        progress_->setValue(int(f * 1000));
        statusBar()->showMessage(tr("Loading %1…").arg(what), 2000);
    });
    connect(workspace_.get(), &Workspace::storeFailed, this, [this](const QString& path, const QString& message) {
        statusBar()->showMessage(tr("Could not open %1").arg(storeDisplayName(path)), 10000);
        // Not exec(): a failed store must not stop the loads still coming in.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open store"), message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    connect(workspace_.get(), &Workspace::storeRefreshFailed, this, [this](int store, const QString& message) {
        statusBar()->showMessage(tr("Could not refresh %1 (its runs stay as last read): %2")
                                     .arg(storeDisplayName(workspace_->store(store).path), message),
            15000);
    });
    connect(session_, &RunSession::tableChanged, this, &MainWindow::onTableChanged);
    connect(workspace_.get(), &Workspace::storeAwaited, this, [this](const QString& path) {
        statusBar()->showMessage(
            tr("Waiting for %1: it opens as soon as training creates it").arg(QFileInfo(path).fileName()));
    });
    connect(session_, &RunSession::filteredRowsChanged, this, &MainWindow::onFilteredRowsChanged);
    connect(session_, &RunSession::shownRowsChanged, this, &MainWindow::applyShownRows);
    connect(session_, &RunSession::queryErrorChanged, this, [this] { query_->setError(session_->queryError()); });
    connect(navigator_, &NavigatorView::filterChanged, this, [this] {
        const NavigatorFilter f = navigator_->filter();
        session_->setScope({f.store, f.experiment, session_->scope().trash});
    });
    connect(query_, &QueryBar::queryEdited, this, [this](const QString& text) { applyQuery(text); });
    connect(navigator_, &NavigatorView::savedQueryChosen, this, [this](const QString& text) {
        if (text != query_->text()) {   // a click after Enter (an activation) applies it once
            applyQuery(text);
            query_->commitToHistory();
        }
    });
    connect(query_, &QueryBar::saveQueryRequested, this, [this] { saveQuery(); });
    connect(navigator_, &NavigatorView::savedViewChosen, this, &MainWindow::applyView);
    connect(workspace_.get(), &Workspace::savedViewsChanged, this, [this] {
        const QSignalBlocker block(navigator_);
        navigator_->rebuild();
    });
    connect(workspace_.get(), &Workspace::savedQueriesChanged, this, [this] {
        const QSignalBlocker block(navigator_);
        navigator_->rebuild();
    });
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        // The view's selection model survives a reset but loses its rows.
        connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                &MainWindow::onSelectionChanged, Qt::UniqueConnection);
    });
    connect(table_, &RunTableView::groupByRequested, this, [this](const QString& key) {
        model_->setGroupBy(key);
        table_->expandAll();
        updateGrouping();
    });
    connect(curves_, &CurvesView::settingsChanged, this, [this] {
        saveSettings();
        if (table_->selectedTableRows().empty())
            onSelectionChanged(); // runs or groups: a different default set of runs
    });
    connect(table_, &RunTableView::baselineRequested, this, [this](int row, bool mark) {
        if (auto done = workspace_->setBaseline(row, mark); !done)
            statusBar()->showMessage(done.error(), 10000);
    });
    connect(workspace_.get(), &Workspace::baselineSaving, this, [this](bool saving) {
        if (saving)
            statusBar()->showMessage(tr("Keeping the baseline in the store…"));
        else
            statusBar()->clearMessage();
    });
    connect(workspace_.get(), &Workspace::promotionRulesChanged, this, &MainWindow::refreshPromotion);
    connect(workspace_.get(), &Workspace::derivedMetricsChanged, this, [this] {
        if (const QStringList problems = workspace_->derivedMetricProblems(); !problems.isEmpty())
            statusBar()->showMessage(problems.join(QStringLiteral("; ")), 15000);
    });
    connect(table_, &RunTableView::deriveRequested, this, [this](const QString& columnKey) {
        editDerivedMetrics(columnKey + QStringLiteral(" "));
    });
    connect(workspace_.get(), &Workspace::baselineFailed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("The baseline could not be kept: %1").arg(message), 15000);
    });

    connect(details_, &RunDetailsView::runActivated, this, [this](const QString& id) {
        const int row = workspace_->runs()->rowOfId(id);
        if (row >= 0)
            table_->selectTableRows({row});
    });
    connect(details_, &RunDetailsView::queryRequested, this, [this](const QString& query) {
        query_->setText(query);
        applyQuery(query);
    });
    connect(details_, &RunDetailsView::textEdited, this,
            [this](const QString& runId, RunField field, const QString& before, const QString& after) {
                pushEdit(RunEdit(field, {}, {{runId, before, after}}));
            });
    connect(workspace_.get(), &Workspace::editSaving, this, [this](bool saving) {
        if (saving) {
            statusBar()->showMessage(tr("Keeping the edit…"));
            return;
        }
        statusBar()->clearMessage();
        onSelectionChanged();   // the details show the edit's history
    });
    connect(workspace_.get(), &Workspace::registryChanged, this, [this](int store, qint64 registered) {
        if (registered > 0 && pendingRegistration_.store == store) {
            pendingRegistration_.version = registered;
            statusBar()->showMessage(tr("Registered as %1 version %2; the run is now a candidate")
                                         .arg(pendingRegistration_.model)
                                         .arg(registered),
                                     8000);
        }
    });
    connect(workspace_.get(), &Workspace::editFailed, this, [this](const QString& message) {
        pendingRegistration_ = {};   // nothing to choose once read again
        statusBar()->showMessage(tr("The edit could not be kept, and is undone in the views: %1").arg(message), 20000);
    });
    connect(workspace_.get(), &Workspace::emptyTrashDone, this, [this](int deleted) {
        statusBar()->showMessage(deleted == 1 ? tr("Deleted 1 run for good") : tr("Deleted %1 runs for good").arg(deleted), 10000);
    });

    buildMenus();
    loadSettings();
    workspace_->setWaitForMissingStores(true);
    workspace_->setLiveInterval(1000);
    workspace_->setListening(true);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open Store…"), this, [this] {
        // The stores that are one file: ours, MLflow's mlflow.db, a Comet archive.
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a store file"), QString(),
            tr("Store files (*.db *.runlens *.sqlite *.zip);;Runlens and MLflow databases (*.db *.runlens *.sqlite);;"
               "Comet offline archives (*.zip);;All files (*)"));
        if (!path.isEmpty())
            openStores({path});
    });
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a store folder"));
        if (!dir.isEmpty())
            openStores({dir});
    });
    file->addAction(tr("Open &Team Store…"), this, [this] {
        TeamStoreDialog dialog(this);
        if (dialog.exec() == QDialog::Accepted)
            openStores({dialog.url()});
    });
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    auto* refresh = file->addAction(tr("&Refresh"), this, [this] { workspace_->refresh(true); });
    refresh->setShortcut(QKeySequence::Refresh);
    auto* exportReport = file->addAction(tr("Export &Report…"), this, &MainWindow::exportReport);
    exportReport->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    auto* exportCsv = file->addAction(tr("&Export Run Table as CSV (Shown Columns)…"), this, [this] { exportTableCsv(false); });
    exportCsv->setShortcut(QKeySequence(tr("Ctrl+E")));
    file->addAction(tr("Export Run Table as CSV (&All Columns)…"), this, [this] { exportTableCsv(true); });
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    auto* undoAction = undo_->createUndoAction(this, tr("&Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    auto* redoAction = undo_->createRedoAction(this, tr("&Redo"));
    redoAction->setShortcut(QKeySequence::Redo);
    edit->addAction(undoAction);
    edit->addAction(redoAction);
    edit->addSeparator();
    // The notebook's edits act on the selected runs. Keys that also edit text
    // (F2, Delete) belong to the run table, so the query bar keeps them.
    auto* rename = edit->addAction(tr("Re&name Run…"), this, &MainWindow::renameSelectedRun);
    rename->setShortcut(QKeySequence(Qt::Key_F2));
    auto* tag = edit->addAction(tr("&Tag Runs…"), this, &MainWindow::tagSelectedRuns);
    tag->setShortcut(QKeySequence(tr("Ctrl+T")));
    auto* star = edit->addAction(tr("&Star / Unstar Runs"), this, &MainWindow::toggleStarOnSelectedRuns);
    star->setShortcut(QKeySequence(tr("Ctrl+D")));
    auto* trash = edit->addAction(tr("Move to Tras&h"), this, [this] { trashSelectedRuns(true); });
    trash->setShortcut(QKeySequence::Delete);
    auto* restore = edit->addAction(tr("Rest&ore from Trash"), this, [this] { trashSelectedRuns(false); });
    edit->addAction(tr("&Empty Trash…"), this, &MainWindow::emptyTrash);
    edit->addSeparator();
    auto* promote = edit->addAction(tr("&Promote to Candidate…"), this, &MainWindow::promoteSelectedRuns);
    promote->setShortcut(QKeySequence(tr("Ctrl+Shift+P")));
    auto* demote = edit->addAction(tr("De&mote Candidate"), this, &MainWindow::demoteSelectedRuns);
    edit->addAction(tr("Promotion R&ule…"), this, &MainWindow::editPromotionRule);
    // The same mark seen from the model: the run's model as a registered version.
    auto* registerModel = edit->addAction(tr("Re&gister Model Version…"), this, &MainWindow::registerSelectedRun);
    for (QAction* a : {rename, trash}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        table_->addAction(a);
    }
    connect(edit, &QMenu::aboutToShow, this, [this, rename, tag, star, trash, restore, promote, demote, registerModel] {
        const auto rows = table_->selectedTableRows();
        const auto table = workspace_->runs();
        const bool any = !rows.empty();
        rename->setEnabled(rows.size() == 1);
        tag->setEnabled(any);
        star->setEnabled(any);
        const bool allTrashed = any && std::all_of(rows.begin(), rows.end(), [&](int r) { return table->isTrashed(r); });
        trash->setEnabled(any && !allTrashed);
        restore->setEnabled(any && std::any_of(rows.begin(), rows.end(), [&](int r) { return table->isTrashed(r); }));
        promote->setEnabled(any);
        demote->setEnabled(std::any_of(rows.begin(), rows.end(), [&](int r) { return isCandidate(*table, r); }));
        registerModel->setEnabled(rows.size() == 1 && workspace_->keepsRegistry(table->storeIndex(rows.front())));
    });
    edit->addSeparator();
    auto* find = edit->addAction(tr("&Find Runs"), this, [this] {
        query_->setFocus();
        query_->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    edit->addAction(tr("Sa&ve Query…"), this, [this] { saveQuery(); });
    auto* selectAll = edit->addAction(tr("Select &All Runs"), table_, &QTreeView::selectAll);
    selectAll->setShortcut(QKeySequence::SelectAll);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    auto* constant = view->addAction(tr("Show &Constant Columns"));
    constant->setCheckable(true);
    connect(constant, &QAction::toggled, this, [this](bool on) {
        table_->setShowConstantColumns(on);
        saveSettings();
    });
    connect(view, &QMenu::aboutToShow, constant, [this, constant] { constant->setChecked(table_->showConstantColumns()); });
    view->addAction(tr("Choose Co&lumns…"), table_, &RunTableView::chooseColumns);
    view->addAction(tr("Derived &Metrics…"), this, [this] { editDerivedMetrics(); });
    view->addAction(tr("Sa&ve View…"), this, [this] { saveView(); });
    // MLflow's own tags (mlflow.user, mlflow.source.*, a JSON blob per logged
    // model) crowd the table, the details and the comparison: hidden unless asked.
    auto* toolTags = view->addAction(tr("Show Other &Tools' Tags"));
    toolTags->setCheckable(true);
    connect(toolTags, &QAction::toggled, this, [this](bool on) {
        setShowToolTags(on);
        saveSettings();
    });
    connect(view, &QMenu::aboutToShow, toolTags, [this, toolTags] {
        const QSignalBlocker block(toolTags);
        toolTags->setChecked(model_->showToolTags());
    });
    connect(diff_->toolTagsBox(), &QCheckBox::toggled, this, [this](bool on) {
        setShowToolTags(on);
        saveSettings();
    });
    // Other tools keep what their users deleted (MLflow's deleted runs and
    // .trash); hidden unless asked for, and never restored into their files.
    auto* deleted = view->addAction(tr("Show &Deleted Runs (MLflow)"));
    deleted->setCheckable(true);
    connect(deleted, &QAction::toggled, this, [this](bool on) {
        workspace_->setIncludeDeleted(on);
        saveSettings();
    });
    connect(view, &QMenu::aboutToShow, deleted, [this, deleted] {
        const QSignalBlocker block(deleted);
        deleted->setChecked(workspace_->includeDeleted());
    });
    auto* showTrash = view->addAction(tr("Show the &Trash"));
    showTrash->setCheckable(true);
    connect(showTrash, &QAction::toggled, this, &MainWindow::setShowTrash);
    connect(view, &QMenu::aboutToShow, showTrash, [this, showTrash] {
        const QSignalBlocker block(showTrash);
        showTrash->setChecked(session_->scope().trash);
    });
    // Runs that differ only by seed, together: what "already tried" counts.
    view->addAction(tr("Group by Same &Config"), this, [this] { emit table_->groupByRequested(QStringLiteral("config")); });
    view->addAction(tr("&Ungroup"), this, [this] {
        model_->setGroupBy(QString());
        updateGrouping();
    });
    view->addSeparator();
    // From anywhere in the window, as in browsers and IDEs.
    auto* nextView = view->addAction(tr("&Next View"), this, [this] {
        views_->setCurrentIndex((views_->currentIndex() + 1) % views_->count());
    });
    nextView->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Tab), QKeySequence(Qt::CTRL | Qt::Key_PageDown)});
    auto* previousView = view->addAction(tr("&Previous View"), this, [this] {
        views_->setCurrentIndex((views_->currentIndex() + views_->count() - 1) % views_->count());
    });
    previousView->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab), QKeySequence(Qt::CTRL | Qt::Key_PageUp)});
    for (QAction* a : {nextView, previousView})
        a->setShortcutContext(Qt::WindowShortcut);
    view->addSeparator();
    view->addAction(navigatorDock_->toggleViewAction());
    view->addAction(detailsDock_->toggleViewAction());
    view->addAction(watchDock_->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Query Language"), this, [this] {
        QMessageBox::information(
            this, tr("Query language"),
            tr("<p><b>Fields</b>: params.X, metrics.X (last value; .min .max .mean .count .last_step), tags.X, name, id, "
               "status, experiment, start_time, end_time, duration.</p>"
               "<p><b>What else was recorded</b>: data.X (data versions: data.train = 'v3'), env.X (env.host, "
               "env.gpu.0, env.python, env.package.torch), git.commit, git.branch, git.dirty, notes and "
               "hypothesis (notes ~ 'overfit'), starred, trashed, parent (the parent run's id), is_parent, "
               "seeds (runs in the run's seed group: same experiment, same params but the seed) and "
               "seed_group (that group's number). Yes/no fields stand alone: starred and not git.dirty.</p>"
               "<p><b>Operators</b>: = != &lt; &lt;= &gt; &gt;= , in (a, b), not in (...), ~ and !~ (regular "
               "expressions); and, or, not, parentheses.</p>"
               "<p><b>Order and limit</b>: order by metrics.val_auc desc, params.lr limit 10</p>"
               "<p>Keys with spaces: params.`my key`. Dates: start_time &gt; '2026-11-01'.</p>"
               "<p><b>Saved queries</b>: Save Query… (Edit menu, or the query bar's context menu) keeps the "
               "query with the store; it is listed under the store in the Stores panel, a click applies it.</p>"));
    });
    help->addAction(tr("&About Runlens"), this, [this] {
        QMessageBox::about(this, tr("About Runlens"),
                           tr("<b>Runlens %1</b><p>Experiment browser and comparator.</p>").arg(QStringLiteral(RUNLENS_VERSION)));
    });
    updateRecentMenu();
}

void MainWindow::openStores(const QStringList& paths)
{
    for (const auto& p : paths)
        addRecent(storeShownLocation(storeKey(p)));
    workspace_->open(paths);
}

void MainWindow::onTableChanged()
{
    const auto table = session_->table();
    QStringList storeNames;
    for (int s = 0; s < workspace_->storeCount(); ++s)
        storeNames << storeDisplayName(workspace_->store(s).path);
    {
        // Colours by start order, so a sweep's runs get well spread colours.
        std::vector<int> order(size_t(table->rowCount()));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return table->startTime(a) < table->startTime(b); });
        QStringList ids;
        for (int r : order)
            ids << table->id(r);
        registerRunColors(ids);
    }
    {
        // The session keeps the selection by id; the model's reset is not the user's.
        const QScopedValueRollback rebuilding(rebuildingViews_, true);
        model_->setTable(table, {}, storeNames);
    }
    model_->setBaselines(workspace_->baselineRows());
    refreshPromotion();
    {
        std::vector<ModelsView::StoreModels> registries;
        for (int i = 0; i < workspace_->storeCount(); ++i)
            registries.push_back({i, storeDisplayName(workspace_->store(i).path), workspace_->keepsRegistry(i),
                                  workspace_->store(i).registry});
        models_->setData(table, std::move(registries));
        if (pendingRegistration_.store >= 0
            && models_->choose(pendingRegistration_.store, pendingRegistration_.model.toStdString(), pendingRegistration_.version)
            && pendingRegistration_.version > 0)
            pendingRegistration_ = {};
    }
    watch_->update(*workspace_, *table);
    QStringList params, metrics, tags, data;
    for (const auto& c : table->params())
        params << c.key;
    for (const auto& m : table->metrics())
        metrics << m.key;
    for (const auto& c : table->tags())
        tags << c.key;
    for (const auto& c : table->dataVersions())
        data << c.key;
    query_->setKeys(params, metrics, tags, data, table->environmentKeys());
    {
        const QSignalBlocker block(navigator_);
        navigator_->rebuild();
    }
    QString title = tr("Runlens");
    if (workspace_->storeCount() == 1)
        title = storeDisplayName(workspace_->store(0).path) + QStringLiteral(" — Runlens");
    else if (workspace_->storeCount() > 1)
        title = tr("%1 stores — Runlens").arg(workspace_->storeCount());
    setWindowTitle(title);
    QStringList problems;
    for (int s = 0; s < workspace_->storeCount(); ++s)
        problems += workspace_->store(s).problems;
    if (!problems.isEmpty())
        statusBar()->showMessage(problems.join(QStringLiteral("; ")), 15000);
}

void MainWindow::notifyDesktop(const std::vector<WatchEvent>& events)
{
    // The banner says it in the window; the desktop is told when the user
    // looks elsewhere (freedesktop notifications through Qt's tray icon,
    // where the session has a tray).
    if (events.empty() || isActiveWindow() || !QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!tray_) {
        tray_ = new QSystemTrayIcon(QApplication::windowIcon(), this);
        tray_->setToolTip(tr("Runlens"));
        connect(tray_, &QSystemTrayIcon::messageClicked, this, [this] {
            raise();
            activateWindow();
            if (!trayRunId_.isEmpty())
                selectRunIds({trayRunId_});
        });
        tray_->show();
    }
    trayRunId_ = events.back().runId;
    tray_->showMessage(tr("Runlens: %1").arg(events.back().kindName()), banner_->text(), QSystemTrayIcon::Warning, 15000);
}

int MainWindow::storeToKeepIn(const QString& title)
{
    if (workspace_->storeCount() == 0)
        return -1;
    // The store chosen in the navigator, else the only one, else ask.
    int store = navigator_->filter().store;
    if (store < 0 && workspace_->storeCount() == 1)
        store = 0;
    if (store < 0) {
        QStringList names;
        for (int s = 0; s < workspace_->storeCount(); ++s)
            names << storeShownLocation(workspace_->store(s).path);
        bool ok = false;
        const QString chosen = QInputDialog::getItem(this, title, tr("Keep it with:"), names, 0, false, &ok);
        if (!ok)
            return -1;
        store = int(names.indexOf(chosen));
    }
    return store;
}

void MainWindow::saveView(const QString& givenName)
{
    const int store = storeToKeepIn(tr("Save View"));
    if (store < 0)
        return;
    QString name = givenName;
    if (name.isEmpty()) {
        bool ok = false;
        name = QInputDialog::getText(this, tr("Save View"), tr("Name for this view (query, columns, grouping, charts):"),
                                     QLineEdit::Normal, QString(), &ok)
                   .trimmed();
        if (!ok || name.isEmpty())
            return;
    }
    SavedView view;
    view.query = query_->text().trimmed();
    view.hiddenColumns = table_->hiddenColumns();
    view.pinnedColumns = table_->pinnedColumns();
    view.groupBy = model_->groupBy();
    view.metrics = curves_->metrics();
    view.curves = QJsonObject::fromVariantMap(curveSettingsToMap(curves_->settings()));
    // The view's class, not its title: a translated title would not match in another language.
    view.tab = QString::fromLatin1(views_->currentWidget()->metaObject()->className());
    workspace_->saveView(store, name, view.toJson());
    statusBar()->showMessage(tr("Saved the view as “%1”").arg(name), 5000);
}

bool MainWindow::applyView(const QString& name, const QString& viewJson)
{
    const auto view = SavedView::fromJson(viewJson);
    if (!view) {
        statusBar()->showMessage(tr("“%1” is not a view this Runlens reads: %2").arg(name, view.error()), 10000);
        return false;
    }
    applyQuery(view->query);
    table_->setHiddenColumns(view->hiddenColumns);
    table_->setPinnedColumns(view->pinnedColumns);
    model_->setGroupBy(view->groupBy);
    updateGrouping();
    curves_->setSettings(curveSettingsFromMap(view->curves.toVariantMap()));
    if (!view->metrics.isEmpty())
        curves_->setMetrics(view->metrics);
    for (int i = 0; i < views_->count(); ++i)
        if (QLatin1String(views_->widget(i)->metaObject()->className()) == view->tab)
            views_->setCurrentIndex(i);
    statusBar()->showMessage(tr("View “%1”").arg(name), 5000);
    return true;
}

void MainWindow::saveQuery(const QString& givenName)
{
    const QString text = query_->text().trimmed();
    if (text.isEmpty()) {
        statusBar()->showMessage(tr("Type a query first, then save it"), 5000);
        return;
    }
    if (const RunQuery parsed(text); !parsed.isValid()) {
        statusBar()->showMessage(tr("The query has an error: %1").arg(parsed.error()->describe()), 10000);
        return;
    }
    const int store = storeToKeepIn(tr("Save Query"));
    if (store < 0)
        return;
    QString name = givenName;
    if (name.isEmpty()) {
        bool ok = false;
        name = QInputDialog::getText(this, tr("Save Query"), tr("Name for “%1”:").arg(text), QLineEdit::Normal, QString(), &ok)
                   .trimmed();
        if (!ok || name.isEmpty())
            return;
    }
    workspace_->saveQuery(store, name, text);
    statusBar()->showMessage(tr("Saved the query as “%1”").arg(name), 5000);
}

QString MainWindow::applyQuery(const QString& text)
{
    query_->setText(text);
    const RunQuery parsed(text);
    const bool ordered = parsed.isValid() && parsed.hasOrder();
    if (ordered) {
        // The query's order wins until a header is clicked.
        model_->setSortKey(QString(), Qt::AscendingOrder);
        table_->header()->setSortIndicator(-1, Qt::AscendingOrder);
    }
    const quint64 shownBefore = shownUpdates_;
    const auto error = session_->setQuery(text);
    query_->setError(error);
    if (error) {
        // A bad query keeps the last good result on screen.
        summary_->setText(QStringLiteral("<span style='color:#e53935'>%1</span>").arg(error->describe().toHtmlEscaped()));
        return error->describe();
    }
    if (ordered && shownUpdates_ == shownBefore)
        applyShownRows(); // the same runs, in the query's order now
    return {};
}

void MainWindow::onFilteredRowsChanged()
{
    // The axes see the runs before brushing; their brush narrows the table.
    // Their colour: the metric the table sorts by (a header, else the query's order by).
    parcoords_->setRuns(session_->table(), session_->filteredRows(), sortMetric());
}

QString MainWindow::sortMetric() const
{
    const ColumnKey sorted = ColumnKey::parse(
        model_->sortColumn() >= 0 ? model_->columns()[size_t(model_->sortColumn())].key : QString());
    return sorted.isMetric() ? sorted.name : session_->queryOrderMetric();
}

void MainWindow::focusParam(const QString& key, const QString& metric)
{
    const QString axis = QStringLiteral("params.") + key;
    scatter_->setRuns(workspace_->runs(), model_->displayedRows(), metric);
    scatter_->setAxes(axis, metric);
    parcoords_->colourBy(metric);
    parcoords_->moveAxisFirst(axis);
    // The Distributions tab shows the metric over its values when opened.
    distributions_->setRuns(workspace_->runs(), model_->displayedRows(), metric);
    distributions_->setMetric(metric);
    distributions_->setParam(key);
}

void MainWindow::applyShownRows()
{
    ++shownUpdates_;
    {
        const QScopedValueRollback rebuilding(rebuildingViews_, true);
        model_->setRows(session_->shownRows());
        if (model_->groupCount() > 0)
            table_->expandAll();
        selectRunIds(session_->selectedIds());
    }
    summary_->setText(session_->summary());
    updateGrouping();
    onSelectionChanged();
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    // Qt gives a growing window's width to the centre: side panels squeezed
    // at a small size would stay squeezed. They get back what they lack, as
    // far as the centre's spare width allows.
    const int spare = centralWidget()->width() - centralWidget()->minimumSizeHint().width();
    QList<QDockWidget*> docks;
    QList<int> lacks;
    int lack = 0;
    for (auto [dock, wanted] : {std::pair(navigatorDock_, kNavigatorWidth), std::pair(detailsDock_, kDetailsWidth)})
        if (dock->isVisible() && !dock->isFloating() && dock->width() < wanted) {
            docks << dock;
            lacks << wanted - dock->width();
            lack += lacks.back();
        }
    if (spare <= 0 || lack == 0)
        return;
    const double share = std::min(1.0, double(spare) / double(lack));
    QList<int> widths;
    for (qsizetype i = 0; i < docks.size(); ++i)
        widths << docks[i]->width() + int(lacks[i] * share);
    resizeDocks(docks, widths, Qt::Horizontal);
}

void MainWindow::selectRuns(const std::vector<int>& tableRows)
{
    table_->selectTableRows(tableRows);
    // Runs nested under collapsed parents come into sight.
    for (int r : tableRows)
        for (QModelIndex p = model_->indexOfTableRow(r).parent(); p.isValid(); p = p.parent())
            table_->expand(p);
    if (!tableRows.empty())
        table_->scrollTo(model_->indexOfTableRow(tableRows.back()));
    onSelectionChanged();
}

bool MainWindow::pushEdit(const RunEdit& edit)
{
    if (const QString why = edit.problem(); !why.isEmpty()) {
        statusBar()->showMessage(why, 10000);
        return false;
    }
    const RunEdit effective = edit.withoutNoOps();
    if (effective.empty())
        return false;
    undo_->push(new RunEditCommand(*workspace_, effective));
    return true;
}

void MainWindow::renameSelectedRun()
{
    const auto rows = table_->selectedTableRows();
    if (rows.size() != 1) {
        statusBar()->showMessage(tr("Select one run to rename"), 5000);
        return;
    }
    const auto table = workspace_->runs();
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Run"), tr("New name for %1:").arg(table->name(rows.front())),
                                               QLineEdit::Normal, table->name(rows.front()), &ok);
    if (ok)
        pushEdit(RunEdit::forRows(*table, rows, RunField::Name, {}, name.trimmed()));
}

void MainWindow::tagSelectedRuns()
{
    const auto rows = table_->selectedTableRows();
    if (rows.empty()) {
        statusBar()->showMessage(tr("Select the runs to tag"), 5000);
        return;
    }
    const auto table = workspace_->runs();
    TagEditorDialog dialog(*table, rows, this);
    if (dialog.exec() == QDialog::Accepted)
        pushEdit(RunEdit::forRows(*table, rows, RunField::Tag, dialog.key(), dialog.value()));
}

void MainWindow::toggleStarOnSelectedRuns()
{
    const auto rows = table_->selectedTableRows();
    if (rows.empty())
        return;
    const auto table = workspace_->runs();
    // Like a mail client: all starred unstars them, anything else stars them all.
    const bool allStarred = std::all_of(rows.begin(), rows.end(), [&](int r) { return table->isStarred(r); });
    pushEdit(RunEdit::forRows(*table, rows, RunField::Tag, kStarredTag,
                              allStarred ? std::nullopt : std::optional<QString>(QStringLiteral("true"))));
}

void MainWindow::trashSelectedRuns(bool trash)
{
    const auto rows = table_->selectedTableRows();
    if (rows.empty())
        return;
    const auto table = workspace_->runs();
    std::vector<int> chosen;
    for (int r : rows)
        if (table->isTrashed(r) != trash)
            chosen.push_back(r);
    if (pushEdit(RunEdit::forRows(*table, chosen, RunField::Tag, kTrashedTag,
                                  trash ? std::optional<QString>(trashedNow()) : std::nullopt)))
        statusBar()->showMessage(trash ? tr("Moved to the trash (View > Show the Trash; Ctrl+Z puts them back)")
                                       : tr("Restored from the trash"),
                                 8000);
}

void MainWindow::refreshPromotion()
{
    const auto table = workspace_->runs();
    const RuleCheck check = workspace_->checkRules();
    std::vector<QString> rules(size_t(table->rowCount()));
    for (int r = 0; r < table->rowCount(); ++r)
        rules[size_t(r)] = workspace_->promotionRuleFor(r);
    model_->setPromotion(check.verdicts, rules);
    // Each candidate's promotions and demotions, read only while the tab is
    // in view (a live store refreshes every second) and for the first few.
    QHash<int, std::vector<RunEvent>> history;
    if (views_->currentWidget() == candidates_) {
        int read = 0;
        for (int r = 0; r < table->rowCount() && read < kCandidateHistories; ++r) {
            if (!isCandidate(*table, r))
                continue;
            ++read;
            if (auto d = workspace_->details(r)) {
                auto& events = history[r];
                for (auto& e : d->events)
                    if (e.field == QLatin1String("tag") && e.key == kCandidateTag)
                        events.push_back(std::move(e));
            }
        }
    }
    candidates_->setData(table, check, std::move(rules), std::move(history));
}

void MainWindow::promoteSelectedRuns()
{
    const auto rows = table_->selectedTableRows();
    if (rows.empty()) {
        statusBar()->showMessage(tr("Select the runs to promote"), 5000);
        return;
    }
    const auto table = workspace_->runs();
    const RuleCheck check = workspace_->checkRules();
    std::vector<QString> rules(size_t(table->rowCount()));
    QStringList ids;
    for (int r : rows) {
        rules[size_t(r)] = workspace_->promotionRuleFor(r);
        ids << table->id(r);
    }
    PromoteDialog dialog(*table, rows, check.verdicts, rules, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    // The live timer may have brought a new table while the dialog was open:
    // the runs are the ones chosen, by id, wherever they are now.
    const auto now = workspace_->runs();
    std::vector<int> chosen;
    for (const QString& id : ids)
        if (const int r = now->rowOfId(id); r >= 0)
            chosen.push_back(r);
    promoteRuns(chosen, dialog.why(), true);
}

bool MainWindow::promoteRuns(const std::vector<int>& rows, const QString& why, bool force)
{
    if (rows.empty())
        return false;
    const auto table = workspace_->runs();
    const RuleCheck check = workspace_->checkRules();
    const PromotionPlan plan = planPromotion(*table, rows, why, force, check, workspace_->queryContext(),
                                             [this](int row) { return workspace_->promotionRuleFor(row); });
    if (!plan.refused.empty() && !force) {
        const int r = plan.refused.front();
        statusBar()->showMessage(tr("%1 %2 of %3").arg(table->name(r), verdictText(check.verdicts[size_t(r)]),
                                                       table->experiment(r)),
                                 10000);
        return false;
    }
    if (!pushEdit(plan.edit))
        return false;
    statusBar()->showMessage(tr("Promoted to candidate (Ctrl+Z takes it back)"), 8000);
    return true;
}

void MainWindow::registerSelectedRun()
{
    const auto rows = table_->selectedTableRows();
    const auto table = workspace_->runs();
    if (rows.size() != 1) {
        statusBar()->showMessage(tr("Select the one run whose model to register"), 6000);
        return;
    }
    const int row = rows.front();
    const int store = table->storeIndex(row);
    if (!workspace_->keepsRegistry(store)) {
        QMessageBox::information(this, tr("Register Model"),
                                 tr("%1 is another tool's store: Runlens reads its registry and never writes it. Import "
                                    "it into a Runlens store (File > Import) to register its runs' models.")
                                     .arg(storeDisplayName(workspace_->store(store).path)));
        return;
    }
    QStringList names;
    if (const auto& registry = workspace_->store(store).registry)
        for (const auto& m : registry->models)
            names << QString::fromStdString(m.name);
    const auto c = models_->chosen();
    const int current = c && c->store == store ? int(names.indexOf(QString::fromStdString(c->model))) : -1;
    bool ok = false;
    const QString name = QInputDialog::getItem(
        this, tr("Register Model"),
        tr("Register the model of %1 as the next version of (a new name creates the model):").arg(table->name(row)),
        names, std::max(current, 0), true, &ok).trimmed();
    if (!ok || name.isEmpty())
        return;
    // Created when needed, decided inside the write: a training script may
    // register into the same model meanwhile.
    RegistryChange create{RegistryAction::CreateModel, name.toStdString(), 0, {}, std::nullopt, {}, {}};
    create.ifMissing = true;
    std::vector<RegistryChange> changes{create};
    RegistryChange version{RegistryAction::CreateVersion, name.toStdString(), 0, {}, std::nullopt, {}, {}};
    version.runId = table->id(row).toStdString();
    version.source = "runs:/" + version.runId + "/model";
    changes.push_back(std::move(version));
    pendingRegistration_ = {store, name, 0};
    workspace_->changeRegistry(store, std::move(changes));
}

void MainWindow::setModelAlias(int store, const QString& model, qint64 version)
{
    bool ok = false;
    const QString alias = QInputDialog::getText(this, tr("Set Alias"),
                                                tr("Alias to point at %1 v%2 (champion, challenger, …):").arg(model).arg(version),
                                                QLineEdit::Normal, QStringLiteral("champion"), &ok)
                              .trimmed();
    if (!ok || alias.isEmpty())
        return;
    pendingRegistration_ = {store, model, version};
    workspace_->changeRegistry(store, {{RegistryAction::SetAlias, model.toStdString(), version, alias.toStdString(),
                                        std::nullopt, {}, {}}});
}

void MainWindow::setModelStage(int store, const QString& model, qint64 version, const QString& stage)
{
    pendingRegistration_ = {store, model, version};
    workspace_->changeRegistry(store, {{RegistryAction::SetStage, model.toStdString(), version, {}, stage.toStdString(), {}, {}}});
}

void MainWindow::demoteSelectedRuns()
{
    const auto rows = table_->selectedTableRows();
    if (pushEdit(demotionEdit(*workspace_->runs(), rows)))
        statusBar()->showMessage(tr("Demoted (the history keeps the promotion; Ctrl+Z takes it back)"), 8000);
}

void MainWindow::editPromotionRule()
{
    const auto table = workspace_->runs();
    const auto rows = table_->selectedTableRows();
    int store = rows.empty() ? session_->scope().store : table->storeIndex(rows.front());
    QString experiment = rows.empty() ? session_->scope().experiment : table->experiment(rows.front());
    if (store < 0 && workspace_->storeCount() == 1)
        store = 0;
    if (experiment.isEmpty() && store >= 0 && workspace_->store(store).table->experiments().size() == 1)
        experiment = workspace_->store(store).table->experiments().front();
    if (store < 0 || experiment.isEmpty()) {
        statusBar()->showMessage(tr("Select a run (or an experiment in the navigator) whose experiment gets the rule"), 8000);
        return;
    }
    PromotionRuleDialog dialog(*table, workspace_->queryContext(), experiment, workspace_->promotionRule(store, experiment),
                               this);
    if (dialog.exec() == QDialog::Accepted)
        workspace_->setPromotionRule(store, experiment, dialog.rule());
}

void MainWindow::editDerivedMetrics(const QString& expression)
{
    if (workspace_->storeCount() == 0) {
        statusBar()->showMessage(tr("Open a store first: a derived metric is kept with one"), 8000);
        return;
    }
    std::vector<DerivedMetricDialog::StoreDefinitions> stores;
    for (int i = 0; i < workspace_->storeCount(); ++i)
        stores.push_back({storeDisplayName(workspace_->store(i).path), workspace_->store(i).derivedMetrics});
    const auto rows = table_->selectedTableRows();
    const int store = session_->scope().store >= 0 ? session_->scope().store
                      : rows.empty()                ? 0
                                                    : workspace_->runs()->storeIndex(rows.front());
    // Held for as long as the dialog is open: a live refresh replaces the workspace's table meanwhile.
    const auto table = workspace_->runs();
    DerivedMetricDialog dialog(*table, std::move(stores), store, workspace_->derivedMetricProblems(), {}, expression, this);
    if (dialog.exec() == QDialog::Accepted && !dialog.name().isEmpty())
        workspace_->setDerivedMetric(dialog.store(), dialog.name(), dialog.expression());
}

void MainWindow::setShowTrash(bool show)
{
    SessionScope scope = session_->scope();
    scope.trash = show;
    session_->setScope(scope);
    statusBar()->showMessage(show ? tr("Showing the trash: runs moved there, hidden elsewhere") : QString(), show ? 0 : 1);
}

void MainWindow::emptyTrash()
{
    const auto table = workspace_->runs();
    int trashed = 0;
    for (int r = 0; r < table->rowCount(); ++r)
        trashed += table->isTrashed(r) && keepsEditsInStore(*workspace_->store(table->storeIndex(r)).reader) ? 1 : 0;
    if (trashed == 0) {
        QMessageBox::information(this, tr("Empty Trash"),
                                 tr("No run of a Runlens store is in the trash. (Runs of other tools' stores are only "
                                    "hidden by the trash; Runlens never deletes them.)"));
        return;
    }
    QMessageBox box(QMessageBox::Warning, tr("Empty Trash"),
                    trashed == 1 ? tr("Delete 1 run for good, with everything it logged?")
                                 : tr("Delete %1 runs for good, with everything they logged?").arg(trashed),
                    QMessageBox::Cancel, this);
    box.setInformativeText(tr("This cannot be undone. Compacting gives the space back to the disk; it rewrites the file "
                              "and takes longer."));
    auto* del = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    auto* compact = box.addButton(tr("Delete and Compact"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    QAbstractButton* clicked = box.clickedButton();
    if (clicked != static_cast<QAbstractButton*>(del) && clicked != static_cast<QAbstractButton*>(compact))
        return;
    // Deleted runs take their edits' undo with them.
    undo_->clear();
    workspace_->emptyTrash(clicked == static_cast<QAbstractButton*>(compact));
}

void MainWindow::selectRunIds(const QStringList& idsOrNames)
{
    const auto table = workspace_->runs();
    std::vector<int> rows;
    for (const auto& id : idsOrNames) {
        const int r = table->findRun(id);
        if (r >= 0)
            rows.push_back(r);
    }
    const QSignalBlocker block(table_->selectionModel());
    table_->selectTableRows(rows);
}

void MainWindow::onSelectionChanged()
{
    if (rebuildingViews_)
        return;
    auto rows = table_->selectedTableRows();
    session_->setSelectedRows(rows);
    if (rows.empty()) {
        // Nothing chosen: the curves show the first runs in table order, or
        // as groups every shown run (a group of the first twenty alone
        // would leave whole groups out).
        const auto shown = model_->displayedRows();
        const bool groups = curves_->settings().groupBands && model_->groupCount() > 0;
        rows.assign(shown.begin(), shown.begin()
                + std::min<ptrdiff_t>(groups ? kMaxGroupedCurveRuns : kDefaultCurveRuns, ptrdiff_t(shown.size())));
        details_->showSummary(*workspace_->runs(), ShownRunsSummary::of(*workspace_->runs(), shown));
    } else {
        auto d = workspace_->details(rows.front());
        if (d)
            details_->showRun(*d);
        else
            details_->showMessage(d.error());
        details_->setEditable(rows.size() == 1);
        // A registered run chosen anywhere: its newest version in the Models tab.
        if (rows.size() == 1)
            models_->followRun(rows.front());
    }
    curves_->setRuns(rows);
    updateDiff();
}

void MainWindow::updateDiff()
{
    if (views_->currentWidget() == scatter_) {
        scatter_->setRuns(workspace_->runs(), model_->displayedRows(), session_->queryOrderMetric());
        scatter_->setSelectedRows(table_->selectedTableRows());
        return;
    }
    if (views_->currentWidget() == importance_) {
        // Over every shown run, as the Seeds tab: importance needs the whole sweep.
        importance_->setRuns(workspace_->runs(), model_->displayedRows(), sortMetric());
        return;
    }
    if (views_->currentWidget() == distributions_) {
        // Over every shown run, as the Seeds tab: a group needs all of a sweep.
        distributions_->setRuns(workspace_->runs(), model_->displayedRows(), sortMetric());
        distributions_->setSelectedRows(table_->selectedTableRows());
        return;
    }
    if (views_->currentWidget() == seeds_) {
        // Seeds look at every shown run: seed groups need all of a sweep.
        seeds_->setRuns(workspace_->runs(), model_->displayedRows());
        return;
    }
    if (views_->currentWidget() == artifacts_) {
        // The selected runs; none chosen: the first shown, as the curves.
        auto rows = table_->selectedTableRows();
        if (rows.empty()) {
            const auto shown = model_->displayedRows();
            rows.assign(shown.begin(), shown.begin() + std::min<ptrdiff_t>(ArtifactsView::kMaxRuns, ptrdiff_t(shown.size())));
        }
        artifacts_->setRuns(rows);
        return;
    }
    // Details are read only while the Compare tab shows.
    if (views_->currentWidget() != diff_ && views_->currentWidget() != codeDiff_)
        return;
    const auto table = workspace_->runs();
    auto rows = table_->selectedTableRows();
    if (rows.size() > size_t(DiffView::kMaxRuns))
        rows.resize(size_t(DiffView::kMaxRuns));
    std::vector<RunDetails> runs;
    if (rows.size() >= 2)
        for (int r : rows)
            if (auto d = workspace_->details(r))
                runs.push_back(std::move(*d));
    if (views_->currentWidget() == diff_)
        diff_->setRuns(runs);
    else
        codeDiff_->setRuns(runs);
}

void MainWindow::updateGrouping()
{
    QStringList labels;
    QHash<int, int> groupOf;
    const QString key = model_->groupBy();
    if (!key.isEmpty()) {
        for (int g = 0; g < model_->rowCount(); ++g) {
            const QModelIndex gi = model_->index(g, 0);
            labels << model_->groupName(g);
            for (int i = 0; i < model_->rowCount(gi); ++i)
                groupOf.insert(model_->tableRow(model_->index(i, 0, gi)), g);
        }
    }
    curves_->setGrouping(labels, groupOf);
}

void MainWindow::prepareSnapshot(SnapshotView view)
{
    if (view == SnapshotView::Window)
        return;
    navigatorDock_->hide();
    detailsDock_->hide();
    watchDock_->hide();
    menuBar()->hide();
    statusBar()->hide();
    if (view == SnapshotView::Table) {
        views_->hide();
    } else if (view == SnapshotView::Models) {
        // The version's run selected above, the registry and its history beneath.
        views_->setCurrentWidget(models_);
    } else if (view == SnapshotView::Candidates) {
        // The table's Candidate column above, the list beneath: both halves of the story.
        views_->setCurrentWidget(candidates_);
        refreshPromotion();
    } else {
        centre_->widget(0)->hide();
        views_->setCurrentWidget(view == SnapshotView::Diff       ? static_cast<QWidget*>(diff_)
                                 : view == SnapshotView::CodeDiff ? static_cast<QWidget*>(codeDiff_)
                                 : view == SnapshotView::Artifacts ? static_cast<QWidget*>(artifacts_)
                                 : view == SnapshotView::Seeds    ? static_cast<QWidget*>(seeds_)
                                 : view == SnapshotView::Parallel ? static_cast<QWidget*>(parcoords_)
                                 : view == SnapshotView::Scatter  ? static_cast<QWidget*>(scatter_)
                                 : view == SnapshotView::Importance ? static_cast<QWidget*>(importance_)
                                 : view == SnapshotView::Distributions ? static_cast<QWidget*>(distributions_)
                                                                  : curves_);
        views_->tabBar()->hide();
    }
}

void MainWindow::exportTableCsv(bool allColumns)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export run table"), QStringLiteral("runs.csv"),
                                                      tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        QMessageBox::warning(this, tr("Export"), file.errorString());
        return;
    }
    QTextStream out(&file);
    writeTableCsv(out, allColumns);
    out.flush();
    if (!file.commit())
        QMessageBox::warning(this, tr("Export"), file.errorString());
    else
        statusBar()->showMessage(tr("Exported %1").arg(path), 5000);
}

void MainWindow::writeTableCsv(QTextStream& out, bool allColumns) const
{
    if (allColumns) {
        writeRunTableCsv(model_->table(), model_->displayedRows(), out);
        return;
    }
    // The columns as shown, in their visual order; values exact (the screen
    // shows numbers compact, a CSV is read back by programs).
    const std::vector<int> cols = table_->shownColumns();
    QStringList header{QStringLiteral("id")};
    for (int c : cols)
    {
        // A system metric's column holds its peak, mean or lowest: the header
        // names that field (metrics.system/gpu.0.memory_used_mb.max).
        const auto& column = model_->columns()[size_t(c)];
        header << csvField(column.key + querySuffixOf(column.stat));
    }
    out << header.join(QLatin1Char(',')) << '\n';
    for (int r : model_->displayedRows()) {
        QStringList line{csvField(model_->table().id(r))};
        for (int c : cols)
            line << csvField(model_->data(model_->indexOfTableRow(r, c), RunTableModel::ExactTextRole).toString());
        out << line.join(QLatin1Char(',')) << '\n';
    }
}

std::vector<int> MainWindow::reportRows(QString* note) const
{
    // The selected runs, else those shown (the first ones only: a report of
    // hundreds reads badly; select to choose).
    std::vector<int> rows = table_->selectedTableRows();
    if (rows.empty()) {
        rows = model_->displayedRows();
        if (rows.size() > kMaxReportRuns) {
            if (note)
                *note = tr("The report has the first %1 of %2 shown runs; select runs to choose them.")
                            .arg(kMaxReportRuns)
                            .arg(rows.size());
            rows.resize(kMaxReportRuns);
        }
    }
    return rows;
}

void MainWindow::exportReport()
{
    QString note;
    std::vector<int> rows = reportRows(&note);
    if (!note.isEmpty())
        statusBar()->showMessage(note, 10000);
    if (rows.empty()) {
        QMessageBox::information(this, tr("Export Report"), tr("Open a store and select the runs to compare first."));
        return;
    }
    auto* dialog = new ReportDialog(*workspace_, std::move(rows), this);
    dialog->setShowToolTags(model_->showToolTags());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ReportDialog::saved, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Report saved to %1").arg(path), 10000);
    });
    dialog->show();
}

void MainWindow::addRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentStores")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 10)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentStores"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    if (!recentMenu_)
        return;
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentStores")).toStringList();
    for (const auto& path : recent)
        recentMenu_->addAction(path, this, [this, path] { openStores({path}); });
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::loadSettings()
{
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    centre_->restoreState(s.value(QStringLiteral("window/centre")).toByteArray());
    if (!s.contains(QStringLiteral("window/geometry"))) {
        // A first start fits the screen (a laptop's, or Xvfb's 1400 x 900).
        QSize size(1500, 950);
        if (const QScreen* display = screen())
            size = size.boundedTo(display->availableGeometry().size());
        resize(size);
    }
    table_->setShowConstantColumns(s.value(QStringLiteral("table/showConstant"), false).toBool());
    setShowToolTags(s.value(QStringLiteral("view/toolTags"), false).toBool());
    workspace_->setIncludeDeleted(s.value(QStringLiteral("stores/showDeleted"), false).toBool());
    table_->setHiddenColumns(s.value(QStringLiteral("table/hidden")).toStringList());
    table_->setPinnedColumns(s.value(QStringLiteral("table/pinned")).toStringList());
    query_->setHistory(s.value(QStringLiteral("query/history")).toStringList());
    QVariantMap curves;
    s.beginGroup(QStringLiteral("curves"));
    for (const QString& key : s.childKeys())
        curves.insert(key, s.value(key));
    s.endGroup();
    const CurveSettings c = curveSettingsFromMap(curves);
    curves_->setSettings(c);
    connect(table_, &RunTableView::columnsChanged, this, [this] { saveSettings(); });
}

void MainWindow::setShowToolTags(bool show)
{
    model_->setShowToolTags(show);
    diff_->setShowToolTags(show);
    details_->setShowToolTags(show);
}

void MainWindow::saveSettings() const
{
    QSettings s;
    s.setValue(QStringLiteral("table/showConstant"), table_->showConstantColumns());
    s.setValue(QStringLiteral("view/toolTags"), model_->showToolTags());
    s.setValue(QStringLiteral("stores/showDeleted"), workspace_->includeDeleted());
    s.setValue(QStringLiteral("table/hidden"), table_->hiddenColumns());
    s.setValue(QStringLiteral("table/pinned"), table_->pinnedColumns());
    s.setValue(QStringLiteral("query/history"), query_->history());
    const QVariantMap curves = curveSettingsToMap(curves_->settings());
    for (auto it = curves.cbegin(); it != curves.cend(); ++it)
        s.setValue(QStringLiteral("curves/") + it.key(), it.value());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/centre"), centre_->saveState());
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const auto& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    openStores(paths);
}

} // namespace runlens::ui
