// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_table_view.h"

#include "metric_priority.h"

#include "run_table_model.h"
#include "value_viewer_dialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>

#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QScopedValueRollback>
#include <QVBoxLayout>

namespace runlens::ui {

RunTableView::RunTableView(QWidget* parent) : QTreeView(parent)
{
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSortingEnabled(true);
    setRootIsDecorated(false);
    setAllColumnsShowFocus(true);
    setIconSize(QSize(12, 12));
    // The middle goes: a parent's count of runs and the ends of long run names stay.
    setTextElideMode(Qt::ElideMiddle);
    header()->setSectionsMovable(true);
    header()->setStretchLastSection(false);
    header()->setDefaultSectionSize(90);
    header()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header(), &QHeaderView::customContextMenuRequested, this, &RunTableView::headerMenu);
    auto* copy = new QAction(tr("Copy"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, [this] { QApplication::clipboard()->setText(copyText()); });
    addAction(copy);
    connect(this, &QAbstractItemView::doubleClicked, this, &RunTableView::viewValue);
    auto remember = [this](const QModelIndex& index, bool expanded) {
        const int row = model_ && !restoring_ ? model_->tableRow(index) : -1;
        if (row < 0)
            return;
        const QString& id = model_->table().id(row);
        (expanded ? expandedIds_ : collapsedIds_).insert(id);
        (expanded ? collapsedIds_ : expandedIds_).remove(id);
    };
    connect(this, &QTreeView::expanded, this, [remember](const QModelIndex& i) { remember(i, true); });
    connect(this, &QTreeView::collapsed, this, [remember](const QModelIndex& i) { remember(i, false); });
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const int row = model_ ? model_->tableRow(indexAt(pos)) : -1;
        if (row < 0)
            return;
        QMenu menu(this);
        const QModelIndex at = indexAt(pos);
        menu.addAction(tr("Copy"), this, [this] { QApplication::clipboard()->setText(copyText()); });
        menu.addAction(tr("Copy Value"), this,
                       [at] { QApplication::clipboard()->setText(at.data(RunTableModel::ExactTextRole).toString()); });
        if (at.data(RunTableModel::FullValueRole).isValid())
            menu.addAction(tr("View Value…"), this, [this, at] { viewValue(at); });
        menu.addSeparator();
        const bool isBaseline = model_->baselineOf(row) == row;
        menu.addAction(isBaseline ? tr("Clear the baseline of %1").arg(model_->table().experiment(row))
                                  : tr("Mark as the baseline of %1").arg(model_->table().experiment(row)),
                       this, [this, row, isBaseline] { emit baselineRequested(row, !isBaseline); });
        menu.exec(viewport()->mapToGlobal(pos));
    });
}

QString RunTableView::copyText() const
{
    if (!model_)
        return {};
    const std::vector<int> columns = shownColumns();
    // One line a run: a tab or line break inside a value would break the row.
    auto field = [](QString text) {
        return text.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    };
    QStringList lines;
    QStringList head;
    for (int c : columns)
        head << field(model_->columns()[size_t(c)].key);
    lines << head.join(QLatin1Char('\t'));
    for (int r : selectedTableRows()) {
        QStringList cells;
        for (int c : columns)
            cells << field(model_->indexOfTableRow(r, c).data(RunTableModel::ExactTextRole).toString());
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

std::vector<int> RunTableView::shownColumns() const
{
    std::vector<int> columns;
    for (int v = 0; v < header()->count(); ++v) {
        const int c = header()->logicalIndex(v);
        if (c >= 0 && !isColumnHidden(c))
            columns.push_back(c);
    }
    return columns;
}

bool RunTableView::viewValue(const QModelIndex& index)
{
    const QVariant full = index.data(RunTableModel::FullValueRole);
    const int row = model_ ? model_->tableRow(index) : -1;
    if (!full.isValid() || row < 0)
        return false;
    ValueViewerDialog::open(tr("%1 of %2").arg(model_->columns()[size_t(index.column())].key, model_->table().name(row)),
                            full.toString(), this);
    return true;
}

void RunTableView::setRunModel(RunTableModel* model)
{
    model_ = model;
    setModel(model);
    connect(model, &QAbstractItemModel::modelReset, this, &RunTableView::applyColumns);
    connect(model, &QAbstractItemModel::modelReset, this, &RunTableView::restoreExpanded);
    connect(model, &QAbstractItemModel::modelReset, this, &RunTableView::spanGroupRows);
    applyColumns();
    restoreExpanded();
    spanGroupRows();
}

void RunTableView::spanGroupRows()
{
    // A group's title ("Config = lr=0.1, hidden=32 · 3 runs") is its only
    // cell: across the row, not cut to the name column's width.
    if (!model_)
        return;
    for (int i = 0; i < model_->rowCount(); ++i)
        setFirstColumnSpanned(i, QModelIndex(), model_->index(i, 0).data(RunTableModel::IsGroupRole).toBool());
}

void RunTableView::restoreExpanded()
{
    if (!model_ || model_->groupCount() > 0 || !model_->nested())
        return;
    const QScopedValueRollback restoring(restoring_, true);
    const RunTable& t = model_->table();
    for (const QString& id : std::as_const(expandedIds_))
        if (const QModelIndex i = model_->indexOfTableRow(t.rowOfId(id)); i.isValid())
            expand(i);
    for (int r : model_->contextRows())
        if (!collapsedIds_.contains(t.id(r)))
            expand(model_->indexOfTableRow(r));
}

void RunTableView::setShowConstantColumns(bool show)
{
    showConstant_ = show;
    applyColumns();
}

namespace {

bool isSystemColumn(const QString& key)
{
    return key.startsWith(QLatin1String("metrics.")) && isSystemMetric(key.mid(8));
}

} // namespace

QStringList RunTableView::hiddenColumns() const
{
    QStringList keys(hidden_.begin(), hidden_.end());
    for (const auto& k : shownSystem_)
        keys << QLatin1Char('+') + k;
    keys.sort();
    return keys;
}

void RunTableView::setHiddenColumns(const QStringList& keys)
{
    hidden_.clear();
    shownSystem_.clear();
    for (const auto& k : keys) {
        if (k.startsWith(QLatin1Char('+')))
            shownSystem_.insert(k.mid(1));
        else
            hidden_.insert(k);
    }
    applyColumns();
}

bool RunTableView::hiddenByChoice(const QString& key) const
{
    return isSystemColumn(key) ? !shownSystem_.contains(key) : hidden_.contains(key);
}

void RunTableView::setHiddenByChoice(const QString& key, bool hidden)
{
    if (isSystemColumn(key)) {
        if (hidden)
            shownSystem_.remove(key);
        else
            shownSystem_.insert(key);
    } else if (hidden) {
        hidden_.insert(key);
    } else {
        hidden_.remove(key);
    }
}

void RunTableView::setPinnedColumns(const QStringList& keys)
{
    pinned_ = keys;
    applyColumns();
}

void RunTableView::applyColumns()
{
    if (!model_)
        return;
    setRootIsDecorated(model_->nested());
    const auto& cols = model_->columns();
    QHeaderView* h = header();
    for (int c = 0; c < int(cols.size()); ++c) {
        const bool constant = model_->isConstant(c) && !showConstant_;
        setColumnHidden(c, c != 0 && (constant || hiddenByChoice(cols[size_t(c)].key)));
    }
    // Pinned columns follow the name, in pin order; the rest keep model order.
    int visual = 1;
    for (const auto& key : pinned_) {
        const int c = model_->columnOf(key);
        if (c > 0) {
            h->moveSection(h->visualIndex(c), visual);
            ++visual;
        }
    }
    for (int c = 1; c < int(cols.size()); ++c) {
        if (pinned_.contains(cols[size_t(c)].key))
            continue;
        if (h->visualIndex(c) != visual)
            h->moveSection(h->visualIndex(c), visual);
        ++visual;
    }
    // Fit the columns to their header and the first rows' text: asking the
    // view for a size hint walks every row, which at 10,000 runs costs more
    // than loading them.
    // Runs, not group rows: grouped, the top level is groups, which hold
    // text in the first column only (and squeezed every other to its header).
    const QFontMetrics fm(font());
    // Context parents (a query matched their runs only) too: their names lead the tree.
    std::vector<int> shown = model_->contextRows();
    const auto matched = model_->displayedRows();
    shown.insert(shown.end(), matched.begin(), matched.end());
    const size_t sample = std::min<size_t>(shown.size(), 60);
    auto indent = [&](int row) { return model_->nested() ? indentation() * (1 + model_->depthOf(row)) : 0; };
    for (int c = 0; c < int(cols.size()); ++c) {
        if (isColumnHidden(c))
            continue;
        int fit = h->sectionSizeHint(c);
        for (size_t i = 0; i < sample; ++i)
            fit = std::max(fit, fm.horizontalAdvance(model_->indexOfTableRow(shown[i], c).data().toString())
                    + (c < 2 ? 26 : 12) + (c == 0 ? indent(shown[i]) : 0));
        h->resizeSection(c, std::clamp(fit, 60, c > 0 ? 200 : model_->nested() ? 440 : 320));
    }
    if (model_->sortColumn() >= 0)
        h->setSortIndicator(model_->sortColumn(), model_->sortOrder());
}

std::vector<int> RunTableView::selectedTableRows() const
{
    std::vector<int> rows;
    if (!model_ || !selectionModel())
        return rows;
    for (const auto& idx : selectionModel()->selectedRows()) {
        const int r = model_->tableRow(idx);
        if (r >= 0)
            rows.push_back(r);
    }
    // Display order, so the curves' legend follows the table.
    const auto order = model_->displayedRows();
    std::vector<int> pos(size_t(model_->table().rowCount()), 0);
    for (size_t i = 0; i < order.size(); ++i)
        pos[size_t(order[i])] = int(i);
    std::sort(rows.begin(), rows.end(), [&](int a, int b) { return pos[size_t(a)] < pos[size_t(b)]; });
    return rows;
}

void RunTableView::selectTableRows(const std::vector<int>& rows)
{
    QItemSelection sel;
    for (int r : rows) {
        const QModelIndex i = model_->indexOfTableRow(r);
        if (i.isValid())
            sel.select(i, i.siblingAtColumn(model_->columnCount() - 1));
    }
    selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RunTableView::headerMenu(const QPoint& pos)
{
    const int c = header()->logicalIndexAt(pos);
    QMenu menu(this);
    if (c >= 0 && model_) {
        const auto& col = model_->columns()[size_t(c)];
        menu.addAction(tr("Group by %1").arg(col.title), this, [this, key = col.key] { emit groupByRequested(key); });
        if (!model_->groupBy().isEmpty())
            menu.addAction(tr("Ungroup"), this, [this] { emit groupByRequested(QString()); });
        if (c > 0) {
            const bool pinned = pinned_.contains(col.key);
            menu.addAction(pinned ? tr("Unpin %1").arg(col.title) : tr("Pin %1").arg(col.title), this,
                           [this, key = col.key, pinned] {
                               if (pinned)
                                   pinned_.removeAll(key);
                               else
                                   pinned_.append(key);
                               applyColumns();
                               emit columnsChanged();
                           });
            menu.addAction(tr("Hide %1").arg(col.title), this, [this, key = col.key] {
                setHiddenByChoice(key, true);
                applyColumns();
                emit columnsChanged();
            });
        }
        if (col.kind == RunTableModel::ColumnKind::Metric)
            menu.addAction(tr("Derive a Metric from %1…").arg(col.title), this, [this, key = col.key] {
                emit deriveRequested(key);
            });
        menu.addSeparator();
    }
    menu.addAction(tr("Choose columns…"), this, &RunTableView::chooseColumns);
    auto* constant = menu.addAction(tr("Show constant columns"));
    constant->setCheckable(true);
    constant->setChecked(showConstant_);
    connect(constant, &QAction::toggled, this, [this](bool on) {
        setShowConstantColumns(on);
        emit columnsChanged();
    });
    menu.exec(header()->mapToGlobal(pos));
}

void RunTableView::chooseColumns()
{
    if (!model_)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Columns"));
    auto* filter = new QLineEdit;
    filter->setPlaceholderText(tr("Search columns"));
    filter->setClearButtonEnabled(true);
    auto* list = new QListWidget;
    const auto& cols = model_->columns();
    for (int c = 1; c < int(cols.size()); ++c) {
        const auto& col = cols[size_t(c)];
        auto* item = new QListWidgetItem(col.key + (model_->isConstant(c) ? tr("  (same in every run)") : QString()), list);
        item->setData(Qt::UserRole, col.key);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(hiddenByChoice(col.key) ? Qt::Unchecked : Qt::Checked);
    }
    connect(filter, &QLineEdit::textChanged, list, [list](const QString& t) {
        for (int i = 0; i < list->count(); ++i)
            list->item(i)->setHidden(!list->item(i)->text().contains(t, Qt::CaseInsensitive));
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(filter);
    layout->addWidget(list);
    layout->addWidget(new QLabel(tr("Constant columns show only with \"Show constant columns\".\n"
                                    "System metrics (system/…: CPU, memory, GPU) show when checked here.")));
    layout->addWidget(buttons);
    dialog.resize(420, 520);
    if (dialog.exec() != QDialog::Accepted)
        return;
    for (int i = 0; i < list->count(); ++i)
        setHiddenByChoice(list->item(i)->data(Qt::UserRole).toString(), list->item(i)->checkState() == Qt::Unchecked);
    applyColumns();
    emit columnsChanged();
}

} // namespace runlens::ui
