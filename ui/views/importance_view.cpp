// SPDX-License-Identifier: GPL-3.0-or-later
#include "importance_view.h"

#include "metric_chooser.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace runlens::ui {

namespace {

const QColor kWarning(0xe6, 0x51, 0x00);
constexpr int kBarWidth = 300;

// The importance column: a bar as long as the share, the number over it, so
// that a glance down the column ranks the params and the number stays exact.
class BarDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        const double share = std::clamp(index.data(ImportanceModel::SortRole).toDouble(), 0.0, 1.0);
        const QRect area = opt.rect.adjusted(3, 4, -3, -4);
        painter->save();
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0x64, 0xb5, 0xf6, 170));
        painter->drawRect(QRectF(area.left(), area.top(), area.width() * share, area.height()));
        painter->restore();
        opt.widget->style()->drawItemText(painter, area.adjusted(4, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                                          opt.palette, true, text,
                                          (opt.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text);
    }
};

QString correlationText(const ParamImportance& p)
{
    if (p.kind == ParamImportance::Kind::Categorical)
        return QStringLiteral("ε² %1").arg(QString::number(p.correlation, 'f', 3));
    return QStringLiteral("ρ %1%2").arg(p.correlation >= 0 ? QStringLiteral("+") : QStringLiteral("−"),
                                        QString::number(std::abs(p.correlation), 'f', 3));
}

} // namespace

void ImportanceModel::setResult(ImportanceResult result)
{
    beginResetModel();
    result_ = std::move(result);
    endResetModel();
}

int ImportanceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(result_.params.size());
}

int ImportanceModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImportanceModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const ParamImportance& p = result_.params[size_t(index.row())];
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Param: return p.key;
        case Kind: return kindName(p.kind);
        case Importance: return QString::number(p.importance, 'f', 3);
        case Correlation: return correlationText(p);
        case Runs: return p.runs;
        default: return {};
        }
    }
    if (role == SortRole) {
        switch (column) {
        case Param: return p.key;
        case Kind: return kindName(p.kind);
        case Importance: return p.importance;
        // By strength: a strong negative rho matters as much as a positive one.
        case Correlation: return std::abs(p.correlation);
        case Runs: return p.runs;
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        QString tip;
        switch (column) {
        case Importance:
            tip = tr("%1 of the variance of %2's ranks is explained by %3's own effect (%4 %5; %6), less the "
                     "share its groups would explain by chance")
                      .arg(QString::number(p.importance * 100, 'f', 1) + QLatin1Char('%'), result_.metric, p.key)
                      .arg(p.groups)
                      .arg(p.kind == ParamImportance::Kind::Numeric ? tr("quantile bins") : tr("values"), result_.method);
            break;
        case Correlation:
            tip = p.kind == ParamImportance::Kind::Numeric
                ? tr("Spearman's rank correlation of %1 with %2: + rises with it, − falls").arg(p.key, result_.metric)
                : tr("Kruskal-Wallis epsilon-squared: how far %1's values separate the runs' %2 ranks (0 none, 1 fully)")
                      .arg(p.key, result_.metric);
            break;
        default:
            tip = p.key;
            break;
        }
        if (!p.warning.isEmpty())
            tip += QStringLiteral("\n") + p.warning;
        return tip;
    }
    if (role == Qt::ForegroundRole && column == Runs && !p.warning.isEmpty())
        return kWarning;
    if (role == Qt::TextAlignmentRole && (column == Runs || column == Correlation))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ImportanceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Param: return tr("Param");
    case Kind: return tr("Kind");
    case Importance: return tr("Importance");
    case Correlation: return tr("Correlation");
    case Runs: return tr("Runs");
    default: return {};
    }
}

ImportanceView::ImportanceView(QWidget* parent) : QWidget(parent)
{
    metric_ = new QComboBox;
    metric_->setMinimumContentsLength(20);
    metric_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    skipped_ = new QLabel;
    skipped_->setWordWrap(true);
    skipped_->setTextFormat(Qt::PlainText);
    model_ = new ImportanceModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(ImportanceModel::SortRole);
    table_ = new QTableView;
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(ImportanceModel::Importance, Qt::DescendingOrder);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setTextElideMode(Qt::ElideMiddle);   // long dotted keys keep their head and their leaf
    table_->setItemDelegateForColumn(ImportanceModel::Importance, new BarDelegate(table_));
    table_->setToolTip(tr("Click a param to put it on the scatter's X axis and first in parallel coordinates; "
                          "double-click to open the scatter"));
    auto* header = table_->horizontalHeader();
    // Names take the room left (long dotted keys elide in the middle); the
    // bars keep one width, so a share reads the same at any window width.
    header->setSectionResizeMode(ImportanceModel::Param, QHeaderView::Stretch);
    for (int c : {int(ImportanceModel::Kind), int(ImportanceModel::Correlation), int(ImportanceModel::Runs)})
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ImportanceModel::Importance, QHeaderView::Interactive);
    header->resizeSection(ImportanceModel::Importance, kBarWidth);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Metric:")));
    bar->addWidget(metric_);
    bar->addWidget(summary_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(table_, 1);
    layout->addWidget(skipped_);
    connect(metric_, &QComboBox::currentIndexChanged, this, &ImportanceView::recompute);
    connect(table_, &QTableView::clicked, this, [this](const QModelIndex& i) {
        if (const QString key = paramAt(i.row()); !key.isEmpty())
            emit paramChosen(key, metric());
    });
    connect(table_, &QTableView::activated, this, [this](const QModelIndex& i) {
        if (const QString key = paramAt(i.row()); !key.isEmpty())
            emit paramActivated(key, metric());
    });
}

void ImportanceView::setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows, const QString& metric)
{
    // The window calls this on every selection change while the tab shows;
    // the same runs need no new fit (about 60 ms at 10,000 runs x 50 params).
    if (table == runs_ && rows == rows_ && metric_->count() > 0)
        return;
    runs_ = std::move(table);
    rows_ = rows;
    fillMetricChooser(*metric_, *runs_, rows_, metric);
    recompute();
}

void ImportanceView::setMetric(const QString& metric)
{
    if (const int i = metric_->findText(metric); i >= 0)
        metric_->setCurrentIndex(i);
}

QString ImportanceView::metric() const
{
    return metric_->currentText();
}

QString ImportanceView::paramAt(int viewRow) const
{
    return proxy_->index(viewRow, ImportanceModel::Param).data(ImportanceModel::SortRole).toString();
}

QString ImportanceView::summary() const
{
    return summary_->text();
}

void ImportanceView::recompute()
{
    if (!runs_ || metric_->currentText().isEmpty()) {
        ++generation_;   // a fit still running is no longer wanted
        computing_ = false;
        model_->setResult({});
        summary_->setText(tr("No metric among the shown runs."));
        skipped_->clear();
        return;
    }
    const quint64 generation = ++generation_;
    // Copies and a shared table: the job touches nothing of this view's.
    auto job = [table = runs_, rows = rows_, metric = metric_->currentText()] {
        return paramImportance(*table, rows, metric);
    };
    if (synchronous_) {
        showResult(job());
        return;
    }
    computing_ = true;
    summary_->setText(tr("Fitting %1 over %2 runs…").arg(metric_->currentText()).arg(rows_.size()));
    auto* watcher = new QFutureWatcher<ImportanceResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != generation_)
            return;   // the runs or the metric changed meanwhile: a newer fit is on its way
        computing_ = false;
        showResult(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(job));
}

void ImportanceView::showResult(ImportanceResult result)
{
    QString text = result.runs == 1 ? tr("Over 1 run") : tr("Over %1 runs").arg(result.runs);
    if (result.leftOut > 0)
        text += tr(" (%1 without a finite value left out)").arg(result.leftOut);
    text += tr(". Importance: the share of the metric's rank variance a param's own effect explains, less chance "
               "(%1). Correlation: Spearman's ρ, or Kruskal-Wallis ε² for categories.")
                .arg(result.method);
    if (!result.warning.isEmpty())
        text = QStringLiteral("<span style='color:%1'>%2.</span> %3")
                   .arg(kWarning.name(), result.warning.toHtmlEscaped(), text.toHtmlEscaped());
    summary_->setText(text);
    // Said, so that a param missing from the list is not taken for unimportant.
    QStringList skipped;
    for (const auto& s : result.skipped)
        skipped << QStringLiteral("%1 (%2)").arg(s.key, s.reason);
    constexpr int kListed = 12;
    skipped_->setText(skipped.isEmpty() ? QString()
                      : skipped.size() <= kListed
                          ? tr("Not counted: %1").arg(skipped.join(QStringLiteral(", ")))
                          : tr("Not counted: %1 and %2 more").arg(skipped.mid(0, kListed).join(QStringLiteral(", ")))
                                .arg(skipped.size() - kListed));
    skipped_->setToolTip(skipped.join(QLatin1Char('\n')));
    model_->setResult(std::move(result));
}

} // namespace runlens::ui
