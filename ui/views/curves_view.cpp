// SPDX-License-Identifier: GPL-3.0-or-later
#include "curves_view.h"

#include "metric_priority.h"
#include "number_text.h"
#include "range_statistics.h"
#include "run_colors.h"
#include "value_bars.h"
#include "workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace runlens::ui {

struct SeriesKeyLite {
    int row;
    SeriesKey key;
};

namespace {

QIcon swatch(const QColor& c)
{
    QPixmap pm(14, 14);
    pm.fill(c);
    return QIcon(pm);
}


} // namespace

CurvesView::CurvesView(Workspace& workspace, QWidget* parent) : QWidget(parent), workspace_(workspace)
{
    // Left: metric chooser and legend. Right: controls over the chart grid.
    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    metricFilter_ = new QLineEdit;
    metricFilter_->setObjectName(QStringLiteral("metricFilter"));
    metricFilter_->setPlaceholderText(tr("Search metrics"));
    metricFilter_->setClearButtonEnabled(true);
    metricList_ = new QListWidget;
    metricList_->setObjectName(QStringLiteral("metricList"));
    metricList_->setUniformItemSizes(true);
    legend_ = new QListWidget;
    legend_->setObjectName(QStringLiteral("runLegend"));
    legend_->setUniformItemSizes(true);
    legend_->setTextElideMode(Qt::ElideMiddle);
    legend_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    legend_->setToolTip(tr("Untick a run to hide it in every chart"));
    sideLayout->addWidget(new QLabel(tr("<b>Metrics</b>")));
    sideLayout->addWidget(metricFilter_);
    sideLayout->addWidget(metricList_, 2);
    sideLayout->addWidget(new QLabel(tr("<b>Runs</b>")));
    sideLayout->addWidget(legend_, 3);

    auto* controls = new QHBoxLayout;
    axis_ = new QComboBox;
    axis_->setObjectName(QStringLiteral("xAxis"));
    axis_->addItems({tr("Step"), tr("Wall time"), tr("Relative time")});
    axis_->setToolTip(tr("X axis: the step, time, or another metric of each run (epoch, samples seen) to line up "
                         "runs that log at different rates"));
    // Metric names can be long: the combo keeps its width, the list shows them whole.
    axis_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    axis_->setMinimumContentsLength(6);
    logY_ = new QCheckBox(tr("Log Y"));
    smoothing_ = new QComboBox;
    smoothing_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    smoothing_->setMinimumContentsLength(6);
    smoothing_->addItems({tr("No smoothing"), tr("EMA (debiased)"), tr("Running mean")});
    smoothingParam_ = new QDoubleSpinBox;
    showRaw_ = new QCheckBox(tr("Raw"));
    showRaw_->setToolTip(tr("Draw the unsmoothed curves faintly behind the smoothed ones"));
    bands_ = new QComboBox;
    bands_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    bands_->setMinimumContentsLength(6);
    bands_->setObjectName(QStringLiteral("groupMode"));
    bands_->addItems({tr("Runs"), tr("Groups: mean, min-max"), tr("Groups: mean ± SD")});
    bands_->setToolTip(tr("Group the runs as the run table groups them"));
    status_ = new QLabel;
    // What the status says must never widen the window, nor, where the
    // window has no room to spare, take it from the metric list: a long one
    // wraps, and its words add nothing to the controls' minimum width.
    status_->setWordWrap(true);
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    controls->addWidget(new QLabel(tr("X:")));
    controls->addWidget(axis_);
    controls->addWidget(logY_);
    controls->addWidget(smoothing_);
    controls->addWidget(smoothingParam_);
    controls->addWidget(showRaw_);
    controls->addWidget(bands_);
    controls->addWidget(status_, 1);

    grid_ = new QWidget;
    gridLayout_ = new QGridLayout(grid_);
    gridLayout_->setContentsMargins(0, 0, 0, 0);
    gridLayout_->setSpacing(6);
    scroll_ = new QScrollArea;
    scroll_->setWidgetResizable(true);
    scroll_->setWidget(grid_);
    scroll_->viewport()->installEventFilter(this);
    scroll_->setFrameShape(QFrame::NoFrame);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(controls);
    // Zoomed in, each run's numbers over the range in view (as TensorBoard's
    // tooltip), under the charts in a splitter the user can size.
    rangeStats_ = new QTableWidget;
    rangeStats_->setObjectName(QStringLiteral("rangeStatistics"));
    rangeStats_->setColumnCount(10);
    rangeStats_->setHorizontalHeaderLabels({tr("Metric"), tr("Run"), tr("Min"), tr("at"), tr("Max"), tr("at"), tr("Mean"),
                                            tr("First"), tr("Last"), tr("\u0394")});
    rangeStats_->horizontalHeaderItem(3)->setToolTip(tr("Where the minimum is first reached (x)"));
    rangeStats_->horizontalHeaderItem(5)->setToolTip(tr("Where the maximum is first reached (x)"));
    rangeStats_->horizontalHeaderItem(9)->setToolTip(tr("Last minus first, over the range in view"));
    rangeStats_->verticalHeader()->setDefaultSectionSize(rangeStats_->fontMetrics().height() + 6);
    rangeStats_->setIconSize(QSize(10, 10));
    rangeStats_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    rangeStats_->setSelectionBehavior(QAbstractItemView::SelectRows);
    rangeStats_->verticalHeader()->hide();
    rangeStats_->setSortingEnabled(true);
    rangeStats_->setAlternatingRowColors(true);
    rangeStats_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    rangeStats_->horizontalHeader()->setStretchLastSection(false);
    rangeStats_->setTextElideMode(Qt::ElideMiddle);   // run names share their start and end
    rangeStats_->hide();
    rangeStatsTimer_.setSingleShot(true);
    rangeStatsTimer_.setInterval(120);   // once the zoom or pan pauses
    connect(&rangeStatsTimer_, &QTimer::timeout, this, &CurvesView::updateRangeStatistics);
    auto* chartsAndStats = new QSplitter(Qt::Vertical);
    chartsAndStats->addWidget(scroll_);
    chartsAndStats->addWidget(rangeStats_);
    chartsAndStats->setStretchFactor(0, 1);
    chartsAndStats->setChildrenCollapsible(false);
    rightLayout->addWidget(chartsAndStats, 1);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(side);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({250, 900});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    syncControls();
    connect(metricFilter_, &QLineEdit::textChanged, this, &CurvesView::showMetricItems);
    // The System section's header opens and closes it.
    connect(metricList_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        if (!item->data(kSystemHeaderRole).toBool())
            return;
        systemExpanded_ = !systemExpanded_;
        rebuildMetricList();
    });
    connect(metricList_, &QListWidget::itemChanged, this, [this] {
        QStringList chosen;
        for (int i = 0; i < metricList_->count(); ++i)
            if (metricList_->item(i)->checkState() == Qt::Checked && !metricList_->item(i)->data(kSystemHeaderRole).toBool())
                chosen << metricList_->item(i)->text();
        if (chosen == chosen_)
            return;
        chosen_ = chosen;
        userChoseMetrics_ = true;
        emit metricsChanged(chosen_);
        request();
    });
    connect(legend_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        const QString id = item->data(Qt::UserRole).toString();
        if (item->checkState() == Qt::Checked)
            hidden_.remove(id);
        else
            hidden_.insert(id);
        rebuildPlots();
    });
    auto changed = [this] {
        const QString xMetric = axis_->currentData().toString();
        settings_.axis = xMetric.isEmpty() ? XAxis(axis_->currentIndex()) : XAxis::Metric;
        settings_.xMetric = xMetric;
        settings_.logY = logY_->isChecked();
        settings_.smoothing = Smoothing(smoothing_->currentIndex());
        if (settings_.smoothing == Smoothing::Ema)
            settings_.emaWeight = smoothingParam_->value();
        else if (settings_.smoothing == Smoothing::RunningMean)
            settings_.meanWindow = int(smoothingParam_->value());
        settings_.showRaw = showRaw_->isChecked();
        settings_.groupBands = bands_->currentIndex() > 0;
        settings_.band = bands_->currentIndex() == 2 ? BandKind::StdDev : BandKind::MinMax;
        syncControls();
        emit settingsChanged();
        request();
    };
    connect(axis_, &QComboBox::currentIndexChanged, this, changed);
    connect(logY_, &QCheckBox::toggled, this, changed);
    connect(smoothing_, &QComboBox::currentIndexChanged, this, changed);
    connect(smoothingParam_, &QDoubleSpinBox::editingFinished, this, changed);
    connect(showRaw_, &QCheckBox::toggled, this, changed);
    connect(bands_, &QComboBox::currentIndexChanged, this, changed);
    connect(&workspace_, &Workspace::seriesReady, this, [this](quint64 ticket) {
        if (ticket != ticket_)
            return;   // an answer to a request since replaced
        loading_ = false;
        rebuildPlots();
    });
    connect(&workspace_, &Workspace::runsChanged, this, [this] { rebuildMetricList(); });
}

void CurvesView::syncControls()
{
    const QSignalBlocker b1(axis_), b2(logY_), b3(smoothing_), b4(smoothingParam_), b5(showRaw_), b6(bands_);
    syncAxisChoices();
    logY_->setChecked(settings_.logY);
    smoothing_->setCurrentIndex(int(settings_.smoothing));
    if (settings_.smoothing == Smoothing::RunningMean) {
        smoothingParam_->setDecimals(0);
        smoothingParam_->setRange(1, 10000);
        smoothingParam_->setSingleStep(1);
        smoothingParam_->setValue(settings_.meanWindow);
        smoothingParam_->setToolTip(tr("Window (points)"));
    } else {
        smoothingParam_->setDecimals(3);
        smoothingParam_->setRange(0, 0.999);
        smoothingParam_->setSingleStep(0.05);
        smoothingParam_->setValue(settings_.emaWeight);
        smoothingParam_->setToolTip(tr("EMA weight (TensorBoard's smoothing)"));
    }
    smoothingParam_->setEnabled(settings_.smoothing != Smoothing::None);
    showRaw_->setChecked(settings_.showRaw);
    showRaw_->setEnabled(settings_.smoothing != Smoothing::None);
    bands_->setCurrentIndex(settings_.groupBands ? (settings_.band == BandKind::StdDev ? 2 : 1) : 0);
    // Groups come from the run table's Group by (or the Seeds view).
    if (auto* model = qobject_cast<QStandardItemModel*>(bands_->model()))
        for (int i = 1; i < model->rowCount(); ++i)
            model->item(i)->setEnabled(!groupLabels_.isEmpty());
    bands_->setToolTip(groupLabels_.isEmpty() ? tr("Group the run table (right-click a column, Group by) to draw "
                                                   "each group as its mean and band")
                                              : tr("Draw each group of the run table as its mean and band"));
}

void CurvesView::syncAxisChoices()
{
    // Step and times, then the metrics that can serve as x: the counters
    // first (epoch, samples, tokens), then the rest.
    const QSignalBlocker block(axis_);
    while (axis_->count() > 3)
        axis_->removeItem(3);
    const auto table = workspace_.runs();
    QStringList metrics = xAxisMetrics(metricsPresentIn(*table, rows_));
    if (settings_.axis == XAxis::Metric && !metrics.contains(settings_.xMetric))
        metrics.prepend(settings_.xMetric); // chosen before: kept, even while no shown run has it
    if (!metrics.isEmpty())
        axis_->insertSeparator(3);
    for (const auto& m : metrics)
        axis_->addItem(tr("By %1").arg(m), m);
    axis_->setCurrentIndex(settings_.axis == XAxis::Metric ? axis_->findData(settings_.xMetric) : int(settings_.axis));
}

void CurvesView::setSettings(const CurveSettings& s)
{
    const bool changed = !(s == settings_);
    settings_ = s;
    syncControls();
    if (changed)
        emit settingsChanged();
    request();
}

void CurvesView::setRuns(const std::vector<int>& rows)
{
    rows_ = rows;
    rebuildMetricList();
    request();
}

void CurvesView::setGrouping(const QStringList& labels, const QHash<int, int>& groupOfRow)
{
    groupLabels_ = labels;
    groupOfRow_ = groupOfRow;
    // Without groups the choice cannot hold: the combo says what is drawn.
    if (labels.isEmpty() && settings_.groupBands) {
        settings_.groupBands = false;
        syncControls();
        emit settingsChanged();
    } else {
        syncControls();
    }
    if (settings_.groupBands)
        rebuildPlots();
}

void CurvesView::setMetrics(const QStringList& metrics)
{
    chosen_ = metrics;
    userChoseMetrics_ = !metrics.isEmpty();
    rebuildMetricList();
    request();
}

void CurvesView::rebuildMetricList()
{
    const auto table = workspace_.runs();
    const QStringList available = metricsPresentIn(*table, rows_);
    if (!userChoseMetrics_) {
        // Curves first: a metric with one value per run is a bar, worth a
        // look only when nothing has a history.
        chosen_ = preferredMetrics(available, int(available.size())); // never a system metric
        std::stable_partition(chosen_.begin(), chosen_.end(), [this](const QString& m) { return !oneValuePerRun(m); });
        chosen_ = chosen_.mid(0, 4);
    }
    syncAxisChoices();
    const QSignalBlocker block(metricList_);
    metricList_->clear();
    // What the machine did (system/...) comes last, in a section of its own,
    // closed until opened or a filter reaches into it.
    QStringList system;
    auto add = [this](const QString& k) {
        auto* item = new QListWidgetItem(k, metricList_);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(chosen_.contains(k) ? Qt::Checked : Qt::Unchecked);
    };
    for (const auto& k : available) {
        if (isSystemMetric(k))
            system << k;
        else
            add(k);
    }
    if (!system.isEmpty()) {
        auto* header = new QListWidgetItem(
            (systemExpanded_ ? QStringLiteral("\u25be ") : QStringLiteral("\u25b8 ")) + tr("System metrics (%n)", nullptr, int(system.size())),
            metricList_);
        header->setData(kSystemHeaderRole, true);
        header->setFlags(Qt::ItemIsEnabled);
        QFont bold = header->font();
        bold.setBold(true);
        header->setFont(bold);
        header->setToolTip(tr("What the machine did during the runs, sampled by the logger. Click to show or hide."));
        for (const auto& k : system)
            add(k);
    }
    showMetricItems();
}

void CurvesView::showMetricItems()
{
    const QString text = metricFilter_->text();
    for (int i = 0; i < metricList_->count(); ++i) {
        QListWidgetItem* item = metricList_->item(i);
        if (item->data(kSystemHeaderRole).toBool()) {
            item->setHidden(false);
            continue;
        }
        const bool matches = item->text().contains(text, Qt::CaseInsensitive);
        // A system metric shows in the open section, or when a filter asks for it (or it is charted).
        const bool inClosedSection = isSystemMetric(item->text()) && !systemExpanded_ && text.isEmpty()
            && item->checkState() != Qt::Checked;
        item->setHidden(!matches || inClosedSection);
    }
}

int CurvesView::columnsNow() const
{
    // A chart narrower than this reads poorly: fewer columns, not a scrollbar.
    constexpr int kMinChartWidth = 320;
    return std::clamp(scroll_->viewport()->width() / kMinChartWidth, 1, std::max(1, settings_.columns));
}

bool CurvesView::eventFilter(QObject* watched, QEvent* event)
{
    // The charts' viewport, once laid out at its new width.
    if (watched == scroll_->viewport() && event->type() == QEvent::Resize && !plots_.empty()
        && columnsNow() != columnsShown_)
        QMetaObject::invokeMethod(this, [this] { rebuildPlots(); }, Qt::QueuedConnection);
    return QWidget::eventFilter(watched, event);
}

bool CurvesView::oneValuePerRun(const QString& metric) const
{
    const auto table = workspace_.runs();
    const MetricColumn* m = table->metric(metric);
    if (!m)
        return false;
    bool any = false;
    for (int r : rows_) {
        if (r >= table->rowCount() || !m->has(r))
            continue;
        if (m->count[size_t(r)] > 1)
            return false;
        any = true;
    }
    return any;
}

XAxis CurvesView::axisNow() const
{
    // "By epoch" chosen for one store, then another opened that has no
    // epoch: its runs draw by step rather than not at all.
    if (settings_.axis != XAxis::Metric)
        return settings_.axis;
    const auto table = workspace_.runs();
    const MetricColumn* x = table->metric(settings_.xMetric);
    const bool any = x && std::any_of(rows_.begin(), rows_.end(), [&](int r) { return r < table->rowCount() && x->has(r); });
    return any ? XAxis::Metric : XAxis::Step;
}

std::vector<SeriesKeyLite> CurvesView::keysFor(bool smoothed) const
{
    std::vector<SeriesKeyLite> keys;
    const auto table = workspace_.runs();
    const XAxis axis = axisNow();
    for (const auto& metric : chosen_) {
        const MetricColumn* m = table->metric(metric);
        if (!m || oneValuePerRun(metric))
            continue; // nothing to load: the table has the values
        for (int r : rows_) {
            if (r >= table->rowCount() || !m->has(r))
                continue;
            SeriesKey k;
            k.store = table->storeIndex(r);
            k.runId = table->id(r);
            k.metric = metric;
            k.axis = axis;
            if (axis == XAxis::Metric)
                k.xMetric = settings_.xMetric;
            if (smoothed) {
                k.smoothing = settings_.smoothing;
                k.smoothingParam = settings_.smoothing == Smoothing::Ema ? settings_.emaWeight
                                                                         : double(settings_.meanWindow);
            }
            keys.push_back({r, k});
        }
    }
    return keys;
}

void CurvesView::request()
{
    std::vector<SeriesKey> keys;
    for (const auto& k : keysFor(false))
        keys.push_back(k.key);
    if (settings_.smoothing != Smoothing::None)
        for (const auto& k : keysFor(true))
            keys.push_back(k.key);
    ++ticket_;
    loading_ = !keys.empty();
    status_->setText(loading_ ? tr("Loading %1 series…").arg(keys.size()) : QString());
    rebuildPlots();   // what is cached already shows at once
    workspace_.requestSeries(keys, ticket_);
}

std::shared_ptr<const PlotSeries> CurvesView::shownSeries(const SeriesKey& key)
{
    const QString text = key.text();
    auto series = workspace_.cachedSeries(key);
    // A refresh dropped a live run's series to load it again: until the new
    // one arrives, the chart keeps what it showed rather than going blank.
    if (!series && loading_)
        series = lastShown_.value(text);
    if (series)
        shownNow_.insert(text, series);
    return series;
}

void CurvesView::loadNow()
{
    for (const auto& k : keysFor(false))
        workspace_.loadSeriesNow(k.key);
    if (settings_.smoothing != Smoothing::None)
        for (const auto& k : keysFor(true))
            workspace_.loadSeriesNow(k.key);
    ++ticket_;   // anything still in flight is stale now
    loading_ = false;
    rebuildPlots();
}

namespace {

// The length of the start every name shares, cut back to a separator so a
// token is never split; 0 when that is short or there is only one name.
qsizetype sharedNamePrefix(const QStringList& names)
{
    if (names.size() < 2)
        return 0;
    qsizetype n = names.front().size();
    for (const auto& name : names) {
        qsizetype i = 0;
        while (i < n && i < name.size() && name[i] == names.front()[i])
            ++i;
        n = i;
    }
    static const QString separators = QStringLiteral("-_/. =:");
    while (n > 0 && !separators.contains(names.front()[n - 1]))
        --n;
    return n >= 4 ? n : 0;
}

} // namespace

void CurvesView::rebuildPlots()
{
    shownNow_.clear();
    const auto table = workspace_.runs();
    const bool bands = settings_.groupBands && !groupLabels_.isEmpty();
    auto groupColor = [](int g) { return QColor::fromHsl((g * 67) % 360, 190, 120); };
    // Legend: the groups' colours in band mode, then every run, ticked unless hidden.
    {
        const QSignalBlocker block(legend_);
        legend_->clear();
        if (bands) {
            // Each group with the runs that make its mean: those drawn here.
            std::vector<int> members(size_t(groupLabels_.size()));
            for (int r : rows_)
                if (const int g = groupOfRow_.value(r, -1); g >= 0 && g < int(members.size()))
                    ++members[size_t(g)];
            for (int g = 0; g < groupLabels_.size(); ++g) {
                if (members[size_t(g)] == 0)
                    continue;
                auto* item = new QListWidgetItem(swatch(groupColor(g)),
                    members[size_t(g)] == 1 ? tr("%1 · 1 run").arg(groupLabels_[g])
                                           : tr("%1 · %2 runs").arg(groupLabels_[g]).arg(members[size_t(g)]), legend_);
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
                item->setFlags(Qt::ItemIsEnabled);
                item->setToolTip(groupLabels_[g]);
            }
        }
        // Sweeps name runs alike ("mlp-h32-b16-lr0.1-s1"): the legend is
        // narrow, so the part every name shares goes and the rest shows.
        QStringList names;
        for (int r : rows_)
            if (r < table->rowCount())
                names << table->name(r);
        const qsizetype shared = sharedNamePrefix(names);
        for (int r : rows_) {
            if (r >= table->rowCount())
                continue;
            const QString& name = table->name(r);
            auto* item = new QListWidgetItem(swatch(runColor(table->id(r))),
                                             shared > 0 ? QChar(0x2026) + name.mid(shared) : name, legend_);
            item->setData(Qt::UserRole, table->id(r));
            item->setToolTip(table->name(r));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(hidden_.contains(table->id(r)) ? Qt::Unchecked : Qt::Checked);
        }
    }
    // One chart per chosen metric, reusing the widgets (and so their zoom).
    while (int(plots_.size()) > int(chosen_.size())) {
        delete plots_.back();
        plots_.pop_back();
        delete valueBars_.back();
        valueBars_.pop_back();
    }
    while (plots_.size() < size_t(chosen_.size())) {
        auto* plot = new CurvePlot;
        plot->setMinimumHeight(240);
        connect(plot, &CurvePlot::xRangeChanged, this, [this, plot](double x0, double x1) {
            for (auto* other : plots_)
                if (other != plot)
                    other->setXRange(std::pair(x0, x1));
            zoom_ = std::pair(x0, x1);
            rangeStatsTimer_.start();
        });
        connect(plot, &CurvePlot::ignoreOutliersToggled, this, [this, plot](bool on) {
            outliersIgnored_[plot->title()] = on;   // by metric: kept when the charts are rebuilt
        });
        connect(plot, &CurvePlot::viewReset, this, [this] {
            zoom_.reset();
            ++rangeStatsGeneration_;
            rangeStats_->hide();
        });
        connect(plot, &CurvePlot::viewReset, this, [this, plot] {
            for (auto* other : plots_)
                if (other != plot)
                    other->resetView();
        });
        plots_.push_back(plot);
        valueBars_.push_back(new ValueBars);
    }
    for (size_t i = 0; i < plots_.size(); ++i) {
        const int columns = columnsShown_ = columnsNow();
        gridLayout_->addWidget(plots_[i], int(i) / columns, int(i) % columns);
        gridLayout_->addWidget(valueBars_[i], int(i) / columns, int(i) % columns);
    }

    for (size_t i = 0; i < plots_.size(); ++i) {
        CurvePlot* plot = plots_[i];
        const QString& metric = chosen_[qsizetype(i)];
        const bool bars = oneValuePerRun(metric);
        plot->setVisible(!bars);
        valueBars_[i]->setVisible(bars);
        if (bars) {
            std::vector<ValueBar> values;
            const MetricColumn* m = table->metric(metric);
            QStringList names;
            for (int r : rows_)
                if (r < table->rowCount() && m->has(r) && !hidden_.contains(table->id(r)))
                    names << table->name(r);
            // As the legend: the start every name shares goes, the rest shows.
            const qsizetype shared = sharedNamePrefix(names);
            for (int r : rows_)
                if (r < table->rowCount() && m->has(r) && !hidden_.contains(table->id(r)))
                    values.push_back({shared > 0 ? QChar(0x2026) + table->name(r).mid(shared) : table->name(r),
                        runColor(table->id(r)), m->last[size_t(r)]});
            valueBars_[i]->setTitle(metric);
            valueBars_[i]->setBars(std::move(values));
            plot->setSeries({});
            continue;
        }
        plot->setTitle(metric);
        plot->setXLabel(xAxisLabel(axisNow(), settings_.xMetric));
        plot->setLogY(settings_.logY);
        plot->setShowRaw(settings_.showRaw);
        // A loss's first steps dwarf the rest of its curve: loss-like metrics
        // start with outliers ignored, others with every point in range.
        plot->setIgnoreOutliers(outliersIgnored_.value(metric, lowerIsBetter(metric)));
        std::vector<CurveSeries> series;
        for (const auto& k : keysFor(false)) {
            if (k.key.metric != metric || hidden_.contains(k.key.runId))
                continue;
            CurveSeries s;
            s.runId = k.key.runId;
            s.label = table->name(k.row);
            s.color = runColor(k.key.runId);
            s.raw = shownSeries(k.key);
            if (!s.raw)
                continue;
            if (settings_.smoothing != Smoothing::None) {
                SeriesKey sk = k.key;
                sk.smoothing = settings_.smoothing;
                sk.smoothingParam = settings_.smoothing == Smoothing::Ema ? settings_.emaWeight
                                                                          : double(settings_.meanWindow);
                s.smoothed = shownSeries(sk);
            }
            s.group = bands ? groupOfRow_.value(k.row, -1) : -1;
            series.push_back(std::move(s));
        }
        plot->setSeries(std::move(series));
        if (bands) {
            std::vector<CurveGroup> groups;
            // Evenly spread hues: groups are few and must tell apart at a glance.
            for (int g = 0; g < groupLabels_.size(); ++g)
                groups.push_back({groupLabels_[g], groupColor(g)});
            plot->setGroups(std::move(groups), settings_.band);
        } else {
            plot->clearGroups();
        }
    }
    if (!loading_)
        status_->setText(metricList_->count() == 0 && !rows_.empty() ? tr("No metrics logged by these runs")
                : chosen_.isEmpty()                  ? tr("Choose metrics on the left")
                : axisNow() != settings_.axis ? tr("No run here has %1: by step").arg(settings_.xMetric)
                                              : QString());
    // Only what is on screen is kept for the next frame to fall back on.
    lastShown_ = std::move(shownNow_);
    if (zoom_)
        rangeStatsTimer_.start();
}

QVariantMap curveSettingsToMap(const CurveSettings& c)
{
    return {{QStringLiteral("axis"), int(c.axis)},           {QStringLiteral("xMetric"), c.xMetric},
            {QStringLiteral("logY"), c.logY},                {QStringLiteral("smoothing"), int(c.smoothing)},
            {QStringLiteral("emaWeight"), c.emaWeight},      {QStringLiteral("meanWindow"), c.meanWindow},
            {QStringLiteral("showRaw"), c.showRaw},          {QStringLiteral("groupBands"), c.groupBands},
            {QStringLiteral("band"), int(c.band)}};
}

CurveSettings curveSettingsFromMap(const QVariantMap& m)
{
    CurveSettings c;
    // What reads as the setting's type, else its default: "x" is no number.
    auto get = [&](const char* key, auto fallback) -> decltype(fallback) {
        const QVariant v = m.value(QString::fromLatin1(key));
        bool ok = v.isValid();
        if constexpr (std::is_same_v<decltype(fallback), int>) {
            const int i = v.toInt(&ok);
            return ok ? i : fallback;
        } else if constexpr (std::is_same_v<decltype(fallback), double>) {
            const double d = v.toDouble(&ok);
            return ok && std::isfinite(d) ? d : fallback;
        } else if constexpr (std::is_same_v<decltype(fallback), bool>) {
            const QString t = v.toString();
            return t == QLatin1String("true") || t == QLatin1String("1") ? true
                 : t == QLatin1String("false") || t == QLatin1String("0") ? false
                                                                          : fallback;
        } else {
            return ok ? v.toString() : fallback;
        }
    };
    const int axis = get("axis", int(c.axis));
    c.axis = axis >= int(XAxis::Step) && axis <= int(XAxis::Metric) ? XAxis(axis) : XAxis::Step;
    c.xMetric = get("xMetric", c.xMetric);
    if (c.axis == XAxis::Metric && c.xMetric.isEmpty())
        c.axis = XAxis::Step;
    c.logY = get("logY", c.logY);
    const int smoothing = get("smoothing", int(c.smoothing));
    c.smoothing = smoothing >= int(Smoothing::None) && smoothing <= int(Smoothing::RunningMean) ? Smoothing(smoothing) : c.smoothing;
    c.emaWeight = std::clamp(get("emaWeight", c.emaWeight), 0.0, 0.999);
    c.meanWindow = std::clamp(get("meanWindow", c.meanWindow), 1, 100000);
    c.showRaw = get("showRaw", c.showRaw);
    c.groupBands = get("groupBands", c.groupBands);
    const int band = get("band", int(c.band));
    c.band = band >= int(BandKind::MinMax) && band <= int(BandKind::StdDev) ? BandKind(band) : c.band;
    return c;
}

void CurvesView::updateRangeStatistics()
{
    if (!zoom_)
        return;
    struct Job {
        QString metric, run;
        QColor colour;
        std::shared_ptr<const PlotSeries> series;
    };
    std::vector<Job> jobs;
    for (const CurvePlot* plot : plots_) {
        if (plot->isHidden())   // a metric shown as bars: one value, no range
            continue;
        for (const auto& s : plot->series())
            if (s.raw)
                jobs.push_back({plot->title(), s.label, s.color, s.raw});
    }
    // A range of 100 runs x 1 M points is a few hundred ms to read: off the GUI thread.
    const quint64 generation = ++rangeStatsGeneration_;
    const double x0 = zoom_->first, x1 = zoom_->second;   // captured below: no structured binding (clang 14)
    auto* watcher = new QFutureWatcher<std::vector<RangeStatistics>>(this);
    connect(watcher, &QFutureWatcher<std::vector<RangeStatistics>>::finished, this, [this, watcher, jobs, generation] {
        watcher->deleteLater();
        if (generation != rangeStatsGeneration_)
            return;   // zoomed again, or reset, meanwhile
        const std::vector<RangeStatistics> stats = watcher->result();
        rangeStats_->setSortingEnabled(false);
        rangeStats_->setRowCount(0);
        // Shown compact, sorted by value.
        struct NumberItem : QTableWidgetItem {
            using QTableWidgetItem::QTableWidgetItem;
            bool operator<(const QTableWidgetItem& other) const override
            {
                return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
            }
        };
        auto number = [](double v) {
            auto* item = new NumberItem(std::isnan(v) ? QString() : compactNumber(v));
            item->setData(Qt::UserRole, v);
            item->setToolTip(std::isnan(v) ? QString() : numberText(v));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            return item;
        };
        for (size_t i = 0; i < jobs.size(); ++i) {
            const RangeStatistics& r = stats[i];
            if (r.count == 0)
                continue;
            const int row = rangeStats_->rowCount();
            rangeStats_->insertRow(row);
            rangeStats_->setItem(row, 0, new QTableWidgetItem(jobs[i].metric));
            auto* run = new QTableWidgetItem(jobs[i].run);
            run->setToolTip(jobs[i].run);
            QPixmap swatch(10, 10);
            swatch.fill(jobs[i].colour);
            run->setIcon(QIcon(swatch));
            rangeStats_->setItem(row, 1, run);
            const double values[] = {r.min, r.xAtMin, r.max, r.xAtMax, r.mean, r.first, r.last, r.delta()};
            for (int c = 0; c < 8; ++c)
                rangeStats_->setItem(row, c + 2, number(values[c]));
        }
        rangeStats_->setSortingEnabled(true);
        // A long name keeps its column from pushing the numbers out of view.
        rangeStats_->resizeColumnsToContents();
        rangeStats_->setColumnWidth(1, std::min(rangeStats_->columnWidth(1), 260));
        rangeStats_->setHidden(rangeStats_->rowCount() == 0);
    });
    watcher->setFuture(QtConcurrent::run([jobs, x0, x1] {
        std::vector<RangeStatistics> out;
        out.reserve(jobs.size());
        for (const auto& j : jobs)
            out.push_back(runlens::rangeStatistics(*j.series, x0, x1));
        return out;
    }));
}

} // namespace runlens::ui
