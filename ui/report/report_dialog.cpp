// SPDX-License-Identifier: GPL-3.0-or-later
#include "report_dialog.h"

#include "artifacts_view.h"
#include "metric_priority.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTextBrowser>
#include <QTextDocument>
#include <QtConcurrent/QtConcurrentRun>

namespace runlens::ui {

namespace {

// Tickets of the workspace's series requests are shared with other views;
// the dialog's carry a high bit so they never match theirs.
constexpr quint64 kTicketBase = quint64(1) << 62;

} // namespace

ReportDialog::ReportDialog(Workspace& workspace, std::vector<int> rows, QWidget* parent)
    : QDialog(parent)
    , workspace_(workspace)
    , rows_(std::move(rows))
    , ticket_(kTicketBase)
{
    setWindowTitle(tr("Export Report"));
    const auto table = workspace_.runs();

    title_ = new QLineEdit(QSettings().value(QStringLiteral("report/title"), tr("Run comparison")).toString());
    notes_ = new QPlainTextEdit;
    notes_->setPlaceholderText(tr("What was tried, what came out, what to do next…"));
    notes_->setMaximumHeight(110);

    auto* sectionsBox = new QGroupBox(tr("Sections"));
    auto* sectionsLayout = new QVBoxLayout(sectionsBox);
    const std::pair<QString, bool ReportSections::*> names[] = {
        {tr("Run table"), &ReportSections::runs},
        {tr("What differs (deltas against the baseline)"), &ReportSections::differences},
        {tr("Metric curves"), &ReportSections::curves},
        {tr("Parallel coordinates"), &ReportSections::parallel},
        {tr("Seed statistics"), &ReportSections::seeds},
        {tr("Provenance (git, data, environment)"), &ReportSections::provenance},
    };
    for (const auto& [label, member] : names) {
        auto* box = new QCheckBox(label);
        box->setChecked(true);
        sectionsLayout->addWidget(box);
        sections_.emplace_back(box, member);
        connect(box, &QCheckBox::toggled, this, &ReportDialog::scheduleRebuild);
    }
    toolTags_ = new QCheckBox(tr("Other tools' tags (mlflow.*) among the differences"));
    sectionsLayout->addWidget(toolTags_);
    connect(toolTags_, &QCheckBox::toggled, this, &ReportDialog::scheduleRebuild);

    metricFilter_ = new QLineEdit;
    metricFilter_->setPlaceholderText(tr("Filter metrics"));
    metricFilter_->setClearButtonEnabled(true);
    metrics_ = new QListWidget;
    // Listed in the order a reviewer looks for them; the report follows the list.
    for (int r : rows_)
        runIds_ << table->id(r);
    const QStringList present = metricsPresentIn(*table, rows_);
    const QStringList chosen = ComparisonReport::defaultMetrics(*table, rows_);
    for (const auto& key : metricsInPreferredOrder(present)) {
        auto* item = new QListWidgetItem(key, metrics_);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(chosen.contains(key) ? Qt::Checked : Qt::Unchecked);
    }
    connect(metricFilter_, &QLineEdit::textChanged, this, [this](const QString& text) {
        for (int i = 0; i < metrics_->count(); ++i)
            metrics_->item(i)->setHidden(!metrics_->item(i)->text().contains(text, Qt::CaseInsensitive));
    });
    connect(metrics_, &QListWidget::itemChanged, this, &ReportDialog::scheduleRebuild);

    // What the runs produced: listed off the GUI thread (the stores are read).
    artifacts_ = new QListWidget;
    artifacts_->setObjectName(QStringLiteral("reportArtifacts"));
    artifacts_->setMaximumHeight(120);
    artifacts_->setToolTip(tr("Artifacts and logged media to show side by side across the runs"));
    {
        const std::vector<int> listed(rows_.begin(), rows_.begin() + std::min<ptrdiff_t>(ArtifactsView::kMaxRuns, ptrdiff_t(rows_.size())));
        auto sources = ArtifactCatalog::sourcesOf(workspace_, listed);
        connect(&artifactListing_, &QFutureWatcher<ArtifactCatalog>::finished, this, [this] {
            const ArtifactCatalog catalog = artifactListing_.result();
            for (const auto& e : catalog.entries()) {
                auto* item = new QListWidgetItem(QStringLiteral("%1  (%2, %3/%4)")
                                                     .arg(e.path, artifactKindText(e.kind))
                                                     .arg(e.runs.size())
                                                     .arg(catalog.runs().size()),
                    artifacts_);
                item->setData(Qt::UserRole, e.path);
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
                item->setCheckState(Qt::Unchecked);
            }
            if (catalog.entries().empty())
                artifacts_->addItem(tr("These runs logged no artifacts."));
        });
        artifactListing_.setFuture(QtConcurrent::run([sources = std::move(sources)]() mutable {
            return ArtifactCatalog::load(std::move(sources));
        }));
    }
    connect(artifacts_, &QListWidget::itemChanged, this, &ReportDialog::scheduleRebuild);

    axis_ = new QComboBox;
    axis_->addItem(tr("Step"), int(XAxis::Step));
    axis_->addItem(tr("Time since start"), int(XAxis::RelativeTime));
    axis_->addItem(tr("Wall time"), int(XAxis::WallTime));
    {
        const QStringList xMetrics = xAxisMetrics(metricsPresentIn(*workspace_.runs(), rows_));
        if (!xMetrics.isEmpty())
            axis_->insertSeparator(axis_->count());
        for (const auto& m : xMetrics)
            axis_->addItem(tr("By %1").arg(m), m);
    }
    connect(axis_, &QComboBox::currentIndexChanged, this, &ReportDialog::scheduleRebuild);
    auto* form = new QFormLayout;
    form->addRow(tr("Title:"), title_);
    form->addRow(tr("Notes:"), notes_);
    form->addRow(tr("Curves by:"), axis_);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(form);
    leftLayout->addWidget(sectionsBox);
    leftLayout->addWidget(new QLabel(tr("Metrics (curves, run table, seed statistics):")));
    leftLayout->addWidget(metricFilter_);
    leftLayout->addWidget(metrics_, 1);
    leftLayout->addWidget(new QLabel(tr("Artifacts side by side:")));
    leftLayout->addWidget(artifacts_);
    auto* runsLabel = new QLabel((rows_.size() == 1 ? tr("1 run in the report.") : tr("%1 runs in the report.").arg(rows_.size())));
    runsLabel->setWordWrap(true);
    leftLayout->addWidget(runsLabel);

    preview_ = new QTextBrowser;
    preview_->setOpenLinks(false);
    auto* splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(preview_);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({320, 800});

    status_ = new QLabel;
    busy_ = new QProgressBar;
    busy_->setRange(0, 0);
    busy_->setMaximumWidth(160);
    busy_->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    save_ = buttons->addButton(tr("Save…"), QDialogButtonBox::AcceptRole);
    save_->setEnabled(false);
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(save_, &QPushButton::clicked, this, &ReportDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(busy_);
    bottom->addWidget(status_, 1);
    bottom->addWidget(buttons);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(bottom);
    resize(1180, 780);

    connect(title_, &QLineEdit::textChanged, this, &ReportDialog::scheduleRebuild);
    connect(notes_, &QPlainTextEdit::textChanged, this, &ReportDialog::scheduleRebuild);
    debounce_.setSingleShot(true);
    debounce_.setInterval(250);
    connect(&debounce_, &QTimer::timeout, this, &ReportDialog::rebuild);
    connect(&workspace_, &Workspace::seriesReady, this, [this](quint64 ticket) {
        if (ticket == ticket_)
            build();
    });
    connect(&writer_, &QFutureWatcher<Result<bool>>::finished, this, [this] {
        busy_->hide();
        save_->setEnabled(report_.has_value());
        const Result<bool> result = writer_.result();
        if (!result) {
            status_->setText(tr("Not saved: %1").arg(result.error()));
            emit saveFailed(result.error());
            return;
        }
        const QString path = writer_.property("path").toString();
        status_->setText(tr("Saved %1").arg(path));
        emit saved(path);
    });
    rebuild();
}

ReportDialog::~ReportDialog()
{
    preview_->setDocument(nullptr);
    // A file being written finishes; its result is not reported.
    writer_.waitForFinished();
}

void ReportDialog::setShowToolTags(bool show)
{
    toolTags_->setChecked(show);
}

ReportOptions ReportDialog::options() const
{
    ReportOptions o;
    o.title = title_->text().trimmed().isEmpty() ? tr("Run comparison") : title_->text().trimmed();
    o.notes = notes_->toPlainText();
    for (const auto& [box, member] : sections_)
        o.sections.*member = box->isChecked();
    o.toolTags = toolTags_->isChecked();
    const QVariant x = axis_->currentData();
    o.axis = x.typeId() == QMetaType::QString ? XAxis::Metric : XAxis(x.toInt());
    if (o.axis == XAxis::Metric)
        o.xMetric = x.toString();
    o.metrics.emplace();
    for (int i = 0; i < metrics_->count(); ++i)
        if (metrics_->item(i)->checkState() == Qt::Checked)
            o.metrics->append(metrics_->item(i)->text());
    for (int i = 0; i < artifacts_->count(); ++i)
        if (artifacts_->item(i)->checkState() == Qt::Checked)
            o.artifacts.append(artifacts_->item(i)->data(Qt::UserRole).toString());
    return o;
}

void ReportDialog::scheduleRebuild()
{
    debounce_.start();
}

void ReportDialog::rebuild()
{
    // The window may have reloaded or opened stores since: the runs are
    // found again by id, so the report keeps to the runs the user chose.
    const auto table = workspace_.runs();
    rows_.clear();
    for (const auto& id : runIds_)
        if (const int r = table->findRun(id); r >= 0)
            rows_.push_back(r);
    const ReportOptions o = options();
    const auto keys = o.sections.curves ? ComparisonReport::seriesKeys(*workspace_.runs(), rows_, *o.metrics, o.axis, o.xMetric)
                                        : std::vector<SeriesKey>{};
    ++ticket_; // what is still loading for an older choice is not waited for
    builder_.reset(); // nor what is still drawing
    building_ = true;
    save_->setEnabled(false);
    busy_->show();
    status_->setText(keys.empty() ? tr("Building the report…") : (keys.size() == 1 ? tr("Loading 1 curve…") : tr("Loading %1 curves…").arg(keys.size())));
    workspace_.requestSeries(keys, ticket_);
}

void ReportDialog::build()
{
    builder_ = std::make_unique<ComparisonReport::Builder>(workspace_, rows_, options(), [this](const SeriesKey& key) {
        // Cached by the request just answered; loaded here if evicted since.
        auto series = workspace_.cachedSeries(key);
        return series ? series : workspace_.loadSeriesNow(key);
    });
    buildStep();
}

void ReportDialog::buildStep()
{
    if (!builder_)
        return; // a newer choice started over
    // A piece per turn of the event loop: a figure takes tens of
    // milliseconds, the whole report can take a second.
    builder_->step();
    if (!builder_->done()) {
        status_->setText(tr("Drawing the report: %1 of %2…").arg(builder_->stepsDone()).arg(builder_->stepCount()));
        QTimer::singleShot(0, this, &ReportDialog::buildStep);
        return;
    }
    report_ = builder_->take();
    builder_.reset();
    building_ = false;
    // The preview keeps its place while the document under it is replaced;
    // the old one goes once the browser no longer shows it.
    const int scroll = preview_->verticalScrollBar()->value();
    auto doc = report_->document();
    preview_->setDocument(doc.get());
    shown_ = std::move(doc);
    preview_->verticalScrollBar()->setValue(scroll);
    busy_->hide();
    save_->setEnabled(!writer_.isRunning());
    status_->setText((report_->figureCount() == 1 ? tr("1 figure.") : tr("%1 figures.").arg(report_->figureCount())));
    emit previewUpdated();
}

void ReportDialog::save()
{
    if (!report_ || writer_.isRunning())
        return;
    QSettings settings;
    settings.setValue(QStringLiteral("report/title"), title_->text());
    QString name = title_->text().trimmed().toLower();
    name.replace(QRegularExpression(QStringLiteral("[^a-z0-9_-]+")), QStringLiteral("-"));
    const QString dir = settings.value(QStringLiteral("report/dir")).toString();
    QString selected;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save report"),
        QDir(dir).filePath((name.isEmpty() ? QStringLiteral("report") : name) + QStringLiteral(".html")),
        tr("Self-contained HTML (*.html);;PDF (*.pdf)"), &selected);
    if (path.isEmpty())
        return;
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty())
        target += selected.contains(QLatin1String("pdf")) ? QStringLiteral(".pdf") : QStringLiteral(".html");
    settings.setValue(QStringLiteral("report/dir"), QFileInfo(target).absolutePath());
    saveAs(target);
}

void ReportDialog::saveAs(const QString& target)
{
    if (!report_ || writer_.isRunning())
        return;
    save_->setEnabled(false);
    busy_->show();
    status_->setText(tr("Writing %1…").arg(QFileInfo(target).fileName()));
    writer_.setProperty("path", target);
    // The report is plain data; writing it (the PDF lays out and prints a
    // QTextDocument) needs no widget, so it runs off the GUI thread.
    writer_.setFuture(QtConcurrent::run([report = *report_, target] { return report.save(target); }));
}

} // namespace runlens::ui
