// SPDX-License-Identifier: GPL-3.0-or-later
#include "seeds_view.h"

#include "metric_priority.h"
#include "number_text.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace runlens::ui {

SeedsView::SeedsView(QWidget* parent) : QWidget(parent)
{
    metric_ = new QComboBox;
    metric_->setMinimumContentsLength(20);
    groupBy_ = new QComboBox;
    groupBy_->setToolTip(tr("Which runs form a group: those that differ only by their seed, or those that share "
                            "one param's value with every other param pooled"));
    groupBy_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    groupBy_->setMinimumContentsLength(10);
    seedKeys_ = new QLineEdit(defaultSeedKeys().join(QStringLiteral(", ")));
    seedKeys_->setToolTip(tr("Params that count as seeds; *suffix matches by ending"));
    auto* bands = new QPushButton(tr("Bands in Curves"));
    bands->setToolTip(tr("Draw each group's mean and spread in the curves"));
    table_ = new QTableWidget;
    table_->setColumnCount(7);
    table_->setHorizontalHeaderLabels({tr("Config (runs that differ only by seed)"), tr("n"), tr("Mean ± SD"), tr("Min"),
                                       tr("Max"), tr("vs best (Welch)"), tr("Note")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table_->setTextElideMode(Qt::ElideMiddle);
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Metric:")));
    bar->addWidget(metric_);
    bar->addWidget(new QLabel(tr("Group:")));
    bar->addWidget(groupBy_);
    bar->addWidget(new QLabel(tr("Seed keys:")));
    bar->addWidget(seedKeys_, 1);
    bar->addWidget(bands);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(table_, 1);
    layout->addWidget(summary_);
    connect(metric_, &QComboBox::currentIndexChanged, this, &SeedsView::recompute);
    connect(seedKeys_, &QLineEdit::editingFinished, this, &SeedsView::recompute);
    connect(groupBy_, &QComboBox::currentIndexChanged, this, [this] {
        seedKeys_->setEnabled(groupBy_->currentData().toString().isEmpty());
        recompute();
    });
    connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
        // Two groups chosen: the test between them.
        QList<int> picked;
        for (const auto& i : table_->selectionModel()->selectedRows())
            picked << i.row();
        if (picked.size() != 2)
            return;
        const auto w = welchTTest(stats_[size_t(picked[0])], stats_[size_t(picked[1])]);
        summary_->setText(w.valid ? tr("Welch's t-test between the two selected groups: %1").arg(welchText(w))
                                  : w.warning);
    });
    connect(bands, &QPushButton::clicked, this, [this] {
        QStringList labels;
        QHash<int, int> groupOf;
        for (size_t g = 0; g < groups_.size(); ++g) {
            labels << groups_[g].label;
            for (int r : groups_[g].rows)
                groupOf.insert(r, int(g));
        }
        emit bandsRequested(labels, groupOf);
    });
}

void SeedsView::setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows)
{
    runs_ = std::move(table);
    rows_ = rows;
    const QString keep = metric_->currentText();
    const QSignalBlocker block(metric_);
    metric_->clear();
    for (const auto& m : runs_->metrics())
        if (std::any_of(rows_.begin(), rows_.end(), [&](int r) { return m.has(r); }))
            metric_->addItem(m.key);
    // The metric chosen before, else the one that most likely matters (a
    // validation score or loss, not `epoch`, the first in name order).
    int i = metric_->findText(keep);
    if (i < 0) {
        const QStringList preferred = preferredMetrics(metricsPresentIn(*runs_, rows_), 1);
        i = preferred.isEmpty() ? 0 : std::max(0, metric_->findText(preferred.front()));
    }
    metric_->setCurrentIndex(i);
    {
        // By seed, or by any param that varies here.
        const QSignalBlocker blockGroup(groupBy_);
        const QString keepGroup = groupBy_->currentData().toString();
        groupBy_->clear();
        groupBy_->addItem(tr("By seed"), QString());
        for (const auto& c : runs_->params())
            if (!isSeedKey(c.key, defaultSeedKeys()) && c.variesAcross(rows_))
                groupBy_->addItem(tr("By %1, rest pooled").arg(c.key), c.key);
        groupBy_->setCurrentIndex(std::max(0, groupBy_->findData(keepGroup)));
        seedKeys_->setEnabled(groupBy_->currentData().toString().isEmpty());
    }
    recompute();
}

void SeedsView::setGroupBy(const QString& paramKey)
{
    groupBy_->setCurrentIndex(std::max(0, groupBy_->findData(paramKey)));
}

QString SeedsView::summary() const { return summary_->text(); }

void SeedsView::setMetric(const QString& metric)
{
    const int i = metric_->findText(metric);
    if (i >= 0)
        metric_->setCurrentIndex(i);
}

QString SeedsView::metric() const { return metric_->currentText(); }

void SeedsView::recompute()
{
    table_->setRowCount(0);
    groups_.clear();
    stats_.clear();
    if (!runs_ || metric_->currentText().isEmpty()) {
        summary_->setText(tr("No metric among the shown runs."));
        return;
    }
    const QString metric = metric_->currentText();
    std::vector<int> withMetric;
    for (int r : rows_)
        if (!metricValues(*runs_, {r}, metric).empty())
            withMetric.push_back(r);
    QStringList keys;
    for (const auto& k : seedKeys_->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        keys << k.trimmed();
    const QString byParam = groupBy_->currentData().toString();
    auto groups = byParam.isEmpty() ? groupBySeed(*runs_, withMetric, keys) : groupByParam(*runs_, withMetric, byParam);
    std::vector<std::pair<SeedGroup, SampleStats>> rows;
    for (auto& g : groups)
        rows.emplace_back(std::move(g), sampleStats(metricValues(*runs_, g.rows, metric)));
    // Best first: the lowest mean of a loss or an error, else the highest.
    const bool lower = lowerIsBetter(metric);
    // Groups without a finite value (diverged runs) last.
    std::stable_sort(rows.begin(), rows.end(), [lower](const auto& a, const auto& b) {
        if ((a.second.n == 0) != (b.second.n == 0))
            return b.second.n == 0;
        return lower ? a.second.mean < b.second.mean : a.second.mean > b.second.mean;
    });
    table_->setRowCount(int(rows.size()));
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& [g, s] = rows[i];
        groups_.push_back(g);
        stats_.push_back(s);
        QString vs = tr("(best)");
        if (i > 0) {
            const auto w = welchTTest(rows[0].second, s);
            vs = w.valid ? QStringLiteral("p = %1").arg(QString::number(w.p, 'g', 3)) : QStringLiteral("—");
        }
        const QString none = QStringLiteral("—");
        const QStringList cells = {g.label, QString::number(s.n),
            s.n ? QStringLiteral("%1 ± %2").arg(compactNumber(s.mean), compactNumber(s.sd)) : none,
            s.n ? compactNumber(s.min) : none, s.n ? compactNumber(s.max) : none, vs, s.warning};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);
            if (c == 6 && !s.warning.isEmpty())
                item->setForeground(QColor(0xe6, 0x51, 0x00));
            table_->setItem(int(i), c, item);
        }
    }
    for (int c = 1; c < 7; ++c)
        table_->resizeColumnToContents(c);
    // Say which test ran on what, so a p-value is read for what it is.
    summary_->setText(tr("%1 groups from %2 runs with %3%4. p: Welch's two-sided t-test (unequal variances) of each "
                         "group's last %3 against the best group (the %5 mean); select two groups to test them "
                         "against each other.")
                          .arg(rows.size())
                          .arg(withMetric.size())
                          .arg(metric,
                              byParam.isEmpty() ? tr(", grouped where only the seed differs")
                                                : tr(", grouped by %1 with every other param pooled").arg(byParam),
                              lower ? tr("lowest") : tr("highest")));
}

} // namespace runlens::ui
