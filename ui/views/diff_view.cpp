// SPDX-License-Identifier: GPL-3.0-or-later
#include "diff_view.h"

#include "run_colors.h"
#include "value_text.h"
#include "value_viewer_dialog.h"

#include <QAction>

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

void RunComparisonModel::setComparison(RunComparison comparison)
{
    beginResetModel();
    comparison_ = std::move(comparison);
    // The first run is the baseline unless one was chosen among these.
    if (baseline_ < 0 || baseline_ >= int(comparison_.runIds.size()))
        baseline_ = comparison_.runIds.empty() ? -1 : 0;
    rebuild();
    endResetModel();
}

void RunComparisonModel::setOnlyDifferences(bool only)
{
    beginResetModel();
    only_ = only;
    rebuild();
    endResetModel();
}

void RunComparisonModel::setBaseline(int run)
{
    baseline_ = run;
    emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

void RunComparisonModel::rebuild()
{
    shown_.clear();
    for (size_t i = 0; i < comparison_.rows.size(); ++i)
        if (!only_ || comparison_.rows[i].differs)
            shown_.push_back(int(i));
}

int RunComparisonModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(shown_.size()); }

int RunComparisonModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 2 + int(comparison_.runIds.size());
}

QVariant RunComparisonModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const ComparisonRow& row = comparison_.rows[size_t(shown_[size_t(index.row())])];
    const int c = index.column();
    if (c < 2) {
        if (role == Qt::DisplayRole)
            return c == 0 ? row.section : row.key;
        if (role == Qt::ToolTipRole && c == 1)
            return row.key;
        return {};
    }
    const size_t run = size_t(c - 2);
    const auto& value = row.values[run];
    switch (role) {
    case Qt::DisplayRole: {
        if (!value)
            return QStringLiteral("—");
        QString text = cellText(*value, sectionHoldsNumbers(row.section));
        if (row.quantity && baseline_ >= 0 && int(run) != baseline_)
            if (const auto d = deltaOf(value, row.values[size_t(baseline_)]); d && d->absolute != 0)
                text += QStringLiteral("  (%1)").arg(deltaText(*d));
        return text;
    }
    case Qt::ToolTipRole:
        return value ? value->left(8000) : QString();
    case ExactTextRole:
        return value ? QVariant(*value) : QVariant();
    case Qt::BackgroundRole:
        if (row.differs && baseline_ >= 0 && int(run) != baseline_ && value != row.values[size_t(baseline_)]) {
            QColor c = QColor(0xff, 0xc1, 0x07);
            c.setAlpha(50);
            return c;
        }
        return {};
    default: return {};
    }
}

QVariant RunComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (section < 2)
        return role == Qt::DisplayRole ? (section == 0 ? tr("Section") : tr("Key")) : QVariant();
    const size_t run = size_t(section - 2);
    if (run >= comparison_.runIds.size())
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return comparison_.runNames[run] + (int(run) == baseline_ ? tr(" (baseline)") : QString());
    case Qt::ToolTipRole: return comparison_.runIds[run];
    case Qt::DecorationRole: return runColor(comparison_.runIds[run]);
    default: return {};
    }
}

DiffView::DiffView(QWidget* parent) : QWidget(parent)
{
    model_ = new RunComparisonModel(this);
    table_ = new QTableView;
    table_->setModel(model_);
    table_->setTextElideMode(Qt::ElideMiddle);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setDefaultSectionSize(230);
    table_->setAlternatingRowColors(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    only_ = new QCheckBox(tr("Only differences"));
    only_->setChecked(true);
    toolTags_ = new QCheckBox(tr("Other tools' tags"));
    toolTags_->setToolTip(tr("Show tags other tools keep for themselves (mlflow.user, mlflow.source.*, …)"));
    baseline_ = new QComboBox;
    // Run names are long: the combo elides them rather than widen the window.
    baseline_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    baseline_->setMinimumContentsLength(14);
    summary_ = new QLabel;
    summary_->setWordWrap(true); // a long summary takes two lines, not the window's width
    // The table leaves as Markdown (notes, issues) or LaTeX (papers).
    auto* copy = new QPushButton(tr("Copy as Markdown"));
    auto* more = new QToolButton;
    more->setText(tr("Export"));
    more->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(more);
    exportMenu->addAction(tr("Copy as LaTeX"), this, [this] { QApplication::clipboard()->setText(latex()); });
    exportMenu->addAction(tr("Save as Markdown or LaTeX…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save comparison"), QStringLiteral("comparison.md"),
                                                          tr("Markdown (*.md);;LaTeX (*.tex)"));
        if (path.isEmpty())
            return;
        const QByteArray text = (path.endsWith(QLatin1String(".tex"), Qt::CaseInsensitive) ? latex() : markdown()).toUtf8();
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
            QMessageBox::warning(this, tr("Save comparison"), file.errorString());
    });
    more->setMenu(exportMenu);
    auto* bar = new QHBoxLayout;
    // The two filters stacked: side by side the bar outgrew a 1024-pixel window.
    auto* filters = new QVBoxLayout;
    filters->setSpacing(0);
    filters->addWidget(only_);
    filters->addWidget(toolTags_);
    bar->addLayout(filters);
    bar->addWidget(new QLabel(tr("Baseline:")));
    bar->addWidget(baseline_);
    bar->addWidget(copy);
    bar->addWidget(more);
    bar->addWidget(summary_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(table_, 1);
    connect(only_, &QCheckBox::toggled, model_, &RunComparisonModel::setOnlyDifferences);
    connect(toolTags_, &QCheckBox::toggled, this, [this] { setRuns(std::vector<RunDetails>(runs_)); });
    auto* copyCell = new QAction(tr("Copy"), table_);
    copyCell->setShortcut(QKeySequence::Copy);
    copyCell->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copyCell, &QAction::triggered, this, [this] { QApplication::clipboard()->setText(copyText()); });
    table_->addAction(copyCell);
    connect(table_, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
        const QString value = index.data(RunComparisonModel::ExactTextRole).toString();
        if (index.column() >= 2 && isElidedInCell(value))
            ValueViewerDialog::open(tr("%1 of %2").arg(index.siblingAtColumn(1).data().toString(),
                                                       model_->headerData(index.column(), Qt::Horizontal).toString()),
                                    value, this);
    });
    connect(baseline_, &QComboBox::currentIndexChanged, model_, &RunComparisonModel::setBaseline);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(markdown()); });
    setRuns({});
}

void DiffView::setShowToolTags(bool show)
{
    toolTags_->setChecked(show);
}

bool DiffView::showToolTags() const
{
    return toolTags_->isChecked();
}

QString DiffView::copyText() const
{
    const QModelIndex current = table_->currentIndex();
    const QVariant exact = current.data(RunComparisonModel::ExactTextRole);
    return exact.isValid() ? exact.toString() : current.data().toString();
}

void DiffView::setRuns(const std::vector<RunDetails>& runs)
{
    runs_ = runs;
    model_->setComparison(compareRuns(runs, {.toolTags = toolTags_->isChecked()}));
    const QSignalBlocker block(baseline_);
    baseline_->clear();
    for (const auto& r : runs) {
        QPixmap swatch(12, 12);
        swatch.fill(runColor(r.id));
        baseline_->addItem(QIcon(swatch), r.name);
    }
    baseline_->setCurrentIndex(model_->baseline());
    int differing = 0;
    for (const auto& row : model_->comparison().rows)
        differing += row.differs ? 1 : 0;
    summary_->setText(runs.size() < 2 ? tr("Select 2 to %1 runs to compare them.").arg(kMaxRuns)
                                      : tr("%1 runs · %2 of %3 values differ")
                                            .arg(runs.size())
                                            .arg(differing)
                                            .arg(model_->comparison().rows.size()));
    table_->resizeColumnToContents(0);
    table_->resizeColumnToContents(1);
    table_->setColumnWidth(1, std::clamp(table_->columnWidth(1), 120, 300));
}

QString DiffView::markdown() const
{
    return comparisonToMarkdown(model_->comparison(), model_->onlyDifferences(), model_->baseline());
}

QString DiffView::latex() const
{
    return comparisonToLatex(model_->comparison(), model_->onlyDifferences(), model_->baseline());
}

} // namespace runlens::ui
