// SPDX-License-Identifier: GPL-3.0-or-later
#include "distribution_view.h"

#include "metric_chooser.h"
#include "metric_priority.h"
#include "number_text.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace runlens::ui {

namespace {

const QColor kWarning(0xe6, 0x51, 0x00);

QComboBox* paramBox()
{
    auto* box = new QComboBox;
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(16);
    return box;
}

} // namespace

DistributionView::DistributionView(QWidget* parent) : QWidget(parent)
{
    metric_ = new QComboBox;
    metric_->setMinimumContentsLength(20);
    metric_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    param_ = paramBox();
    param_->setToolTip(tr("The param whose values group the runs (seeds and per-run labels are not offered)"));
    mode_ = new QComboBox;
    mode_->addItem(tr("Box plots"));
    mode_->addItem(tr("Heat map"));
    mode_->setToolTip(tr("Box plots of the metric per value of one param, or its mean per pair of values of two"));
    secondLabel_ = new QLabel(tr("against:"));
    second_ = paramBox();
    second_->setToolTip(tr("The heat map's rows"));
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    groupA_ = paramBox();
    groupB_ = paramBox();
    for (QComboBox* g : {groupA_, groupB_})
        g->setToolTip(tr("Click a group's label in the plot to choose it here; Shift+click for the second"));
    welch_ = new QLabel;
    welch_->setWordWrap(true);
    welch_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box_ = new BoxPlotWidget;
    heat_ = new HeatMapWidget;
    stack_ = new QStackedWidget;
    stack_->addWidget(box_);
    stack_->addWidget(heat_);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Metric:")));
    bar->addWidget(metric_);
    bar->addWidget(new QLabel(tr("by")));
    bar->addWidget(param_);
    bar->addWidget(mode_);
    bar->addWidget(secondLabel_);
    bar->addWidget(second_);
    bar->addStretch(1);
    compareBar_ = new QWidget;
    auto* compare = new QHBoxLayout(compareBar_);
    compare->setContentsMargins(0, 0, 0, 0);
    compare->addWidget(new QLabel(tr("Compare A:")));
    compare->addWidget(groupA_);
    compare->addWidget(new QLabel(tr("with B:")));
    compare->addWidget(groupB_);
    compare->addWidget(welch_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(summary_);
    layout->addWidget(stack_, 1);
    layout->addWidget(compareBar_);

    for (QComboBox* c : {metric_, param_, second_})
        connect(c, &QComboBox::currentIndexChanged, this, &DistributionView::recompute);
    connect(mode_, &QComboBox::currentIndexChanged, this, [this] {
        const bool heat = mode() == Mode::HeatMap;
        secondLabel_->setVisible(heat);
        second_->setVisible(heat);
        compareBar_->setVisible(!heat);
        stack_->setCurrentWidget(heat ? static_cast<QWidget*>(heat_) : box_);
        recompute();
    });
    secondLabel_->hide();
    second_->hide();
    for (QComboBox* g : {groupA_, groupB_})
        connect(g, &QComboBox::currentIndexChanged, this, &DistributionView::updateComparison);
    connect(box_, &BoxPlotWidget::groupClicked, this, [this](int group, bool second) {
        (second ? groupB_ : groupA_)->setCurrentIndex(group);
    });
    connect(box_, &BoxPlotWidget::runClicked, this, &DistributionView::runClicked);
    connect(heat_, &HeatMapWidget::runsClicked, this, &DistributionView::runsClicked);
}

void DistributionView::setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows, const QString& metric)
{
    // Called on every selection change while the tab shows: the same runs need no new grouping.
    if (table == runs_ && rows == rows_ && metric_->count() > 0)
        return;
    runs_ = std::move(table);
    rows_ = rows;
    fillMetricChooser(*metric_, *runs_, rows_, metric);
    fillParams();
    recompute();
}

void DistributionView::fillParams()
{
    const QStringList params = distributionParams(*runs_, rows_);
    const QString keepFirst = param_->currentText(), keepSecond = second_->currentText();
    const QSignalBlocker blockFirst(param_), blockSecond(second_);
    param_->clear();
    second_->clear();
    param_->addItems(params);
    second_->addItems(params);
    for (int i = 0; i < params.size(); ++i) {
        param_->setItemData(i, params[i], Qt::ToolTipRole);
        second_->setItemData(i, params[i], Qt::ToolTipRole);
    }
    param_->setCurrentIndex(std::max(0, param_->findText(keepFirst)));
    // The heat map's rows: what was chosen, else the first param that is not its columns.
    int s = second_->findText(keepSecond);
    if (s < 0 || s == param_->currentIndex())
        s = params.size() > 1 ? (param_->currentIndex() == 0 ? 1 : 0) : 0;
    second_->setCurrentIndex(s);
}

void DistributionView::setMetric(const QString& metric)
{
    if (const int i = metric_->findText(metric); i >= 0)
        metric_->setCurrentIndex(i);
}

void DistributionView::setParam(const QString& key)
{
    if (const int i = param_->findText(key); i >= 0)
        param_->setCurrentIndex(i);
}

void DistributionView::setSecondParam(const QString& key)
{
    if (const int i = second_->findText(key); i >= 0)
        second_->setCurrentIndex(i);
}

void DistributionView::setMode(Mode mode)
{
    mode_->setCurrentIndex(mode == Mode::HeatMap ? 1 : 0);
}

DistributionView::Mode DistributionView::mode() const
{
    return mode_->currentIndex() == 1 ? Mode::HeatMap : Mode::Box;
}

QString DistributionView::metric() const { return metric_->currentText(); }
QString DistributionView::param() const { return param_->currentText(); }
QString DistributionView::secondParam() const { return second_->currentText(); }
QString DistributionView::summary() const { return summary_->text(); }
QString DistributionView::comparison() const { return welch_->text(); }

void DistributionView::setSelectedRows(const std::vector<int>& rows)
{
    box_->setSelectedRows(rows);
}

void DistributionView::compareGroups(int a, int b)
{
    const QSignalBlocker block(groupA_);
    groupA_->setCurrentIndex(a);
    groupB_->setCurrentIndex(b);   // its signal updates the line
    updateComparison();
}

void DistributionView::recompute()
{
    const bool heat = mode() == Mode::HeatMap;
    if (!runs_ || metric_->currentText().isEmpty() || param_->currentText().isEmpty()) {
        ++generation_;   // a computation still running is no longer wanted
        computing_ = false;
        Result none;
        none.box.warning = none.heat.warning = !runs_ || metric_->currentText().isEmpty()
            ? tr("No metric among the shown runs.")
            : tr("No param varies across the shown runs (seeds and per-run labels do not count).");
        showResult(std::move(none));
        return;
    }
    const quint64 generation = ++generation_;
    // Copies and a shared table: the job touches nothing of this view's.
    auto job = [table = runs_, rows = rows_, metric = metric_->currentText(), first = param_->currentText(),
                second = second_->currentText(), heat] {
        Result r;
        if (heat)
            r.heat = paramHeatMap(*table, rows, metric, first, second);
        else
            r.box = paramDistribution(*table, rows, metric, first);
        return r;
    };
    if (synchronous_) {
        showResult(job());
        return;
    }
    computing_ = true;
    summary_->setText(tr("Grouping %1 runs by %2…").arg(rows_.size()).arg(param_->currentText()));
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != generation_)
            return;   // the runs or the choices changed meanwhile: a newer result is on its way
        computing_ = false;
        showResult(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(job));
}

void DistributionView::showResult(Result result)
{
    const bool heat = mode() == Mode::HeatMap;
    const int runs = heat ? result.heat.runs : result.box.runs;
    const int leftOut = heat ? result.heat.leftOut : result.box.leftOut;
    const QString warning = heat ? result.heat.warning : result.box.warning;
    QString text = runs == 1 ? tr("Over 1 run") : tr("Over %1 runs").arg(runs);
    if (leftOut > 0)
        text += tr(" (%1 without a finite value left out)").arg(leftOut);
    if (heat) {
        text += tr(": %1 × %2 cells, %3 without runs (hatched: not tried, never filled in). Colour: the mean of %4.")
                    .arg(result.heat.x.size())
                    .arg(result.heat.y.size())
                    .arg(result.heat.emptyCells)
                    .arg(result.heat.metric);
    } else {
        const ParamDistribution& d = result.box;
        text += tr(" in %1 groups%2. Box: quartiles and median, whiskers to the furthest run within 1.5 IQR, ◆ the "
                   "mean; each dot a run in its colour, a config's seeds in one column joined by a line.")
                    .arg(d.groups.size())
                    .arg(d.binned ? tr(" (%1 cut into quantile bins: it has more values than fit)").arg(d.param)
                                  : QString());
    }
    if (!warning.isEmpty())
        text = runs == 0 ? QStringLiteral("<span style='color:%1'>%2</span>").arg(kWarning.name(), warning.toHtmlEscaped())
                         : QStringLiteral("<span style='color:%1'>%2.</span> %3")
                               .arg(kWarning.name(), warning.toHtmlEscaped(), text.toHtmlEscaped());
    summary_->setText(text);
    if (heat) {
        heat_->setHeatMap(std::move(result.heat));
        return;
    }
    // The groups to compare: the best mean against the runner-up (lowest for
    // a loss), as the Seeds view tests every group against the best.
    const bool lower = lowerIsBetter(result.box.metric);
    std::vector<int> order;
    for (size_t g = 0; g < result.box.groups.size(); ++g)
        if (result.box.groups[g].stats.n >= 2)
            order.push_back(int(g));
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const double ma = result.box.groups[size_t(a)].stats.mean, mb = result.box.groups[size_t(b)].stats.mean;
        return lower ? ma < mb : ma > mb;
    });
    {
        const QSignalBlocker blockA(groupA_), blockB(groupB_);
        groupA_->clear();
        groupB_->clear();
        for (const auto& g : result.box.groups) {
            const QString label = QStringLiteral("%1 (n=%2)").arg(g.label).arg(g.stats.n);
            groupA_->addItem(label);
            groupB_->addItem(label);
        }
    }
    box_->setDistribution(runs_, std::move(result.box));
    compareGroups(order.size() > 0 ? order[0] : -1, order.size() > 1 ? order[1] : -1);
}

void DistributionView::updateComparison()
{
    const auto& groups = box_->distribution().groups;
    const int a = groupA_->currentIndex(), b = groupB_->currentIndex();
    box_->setComparedGroups(a, b);
    if (a < 0 || b < 0 || a >= int(groups.size()) || b >= int(groups.size())) {
        welch_->setText(groups.size() < 2 ? QString() : tr("Choose two groups with at least 2 runs each to compare."));
        return;
    }
    if (a == b) {
        welch_->setText(tr("Choose two different groups."));
        return;
    }
    const DistributionGroup& ga = groups[size_t(a)];
    const DistributionGroup& gb = groups[size_t(b)];
    const WelchTest w = runlens::compareGroups(ga, gb);
    const QString means = ga.stats.n && gb.stats.n
        ? tr("difference of means A − B = %1 (%2 vs %3)")
              .arg(compactNumber(ga.stats.mean - gb.stats.mean), compactNumber(ga.stats.mean), compactNumber(gb.stats.mean))
        : QString();
    welch_->setText(w.valid ? tr("Welch's t-test between A and B: %1; %2").arg(means, welchText(w))
                            : (means.isEmpty() ? w.warning : means + QStringLiteral("; ") + w.warning));
    welch_->setToolTip(tr("A: %1 = %2\nB: %1 = %3\nWelch's two-sided t-test (unequal variances), as in the Seeds view")
                           .arg(box_->distribution().param, ga.detail, gb.detail));
}

} // namespace runlens::ui
