// SPDX-License-Identifier: GPL-3.0-or-later
#include "navigator_view.h"

#include "store_registry.h"

#include "saved_view.h"

#include "workspace.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QMap>
#include <QStyle>

namespace runlens::ui {

namespace {
constexpr int kStoreRole = Qt::UserRole + 1;
constexpr int kExperimentRole = Qt::UserRole + 2;
constexpr int kQueryRole = Qt::UserRole + 3;
constexpr int kViewRole = Qt::UserRole + 4;   // a saved view's JSON
} // namespace

NavigatorView::NavigatorView(Workspace& workspace, QWidget* parent) : QTreeWidget(parent), workspace_(workspace)
{
    setColumnCount(2);
    setHeaderLabels({tr("Stores"), tr("Runs")});
    // A long store or experiment name keeps its end: the tool after a
    // store's name ("… · MLflow") and the distinguishing suffix of a sweep's.
    setTextElideMode(Qt::ElideMiddle);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    connect(this, &QTreeWidget::itemSelectionChanged, this, &NavigatorView::filterChanged);
    // A click (or Enter) applies a saved query, again too after the bar was
    // edited; moving through the tree with the arrows does not.
    auto choose = [this](QTreeWidgetItem* item) {
        if (const QString query = item ? item->data(0, kQueryRole).toString() : QString(); !query.isEmpty())
            emit savedQueryChosen(query);
        if (const QString view = item ? item->data(0, kViewRole).toString() : QString(); !view.isEmpty())
            emit savedViewChosen(item->text(0), view);
    };
    connect(this, &QTreeWidget::itemClicked, this, choose);
    connect(this, &QTreeWidget::itemActivated, this, choose);
}

void NavigatorView::rebuild()
{
    const NavigatorFilter before = filter();
    const QSignalBlocker block(this);
    clear();
    auto* all = new QTreeWidgetItem(this, {tr("All runs"), QString::number(workspace_.runs()->rowCount())});
    all->setData(0, kStoreRole, -1);
    QTreeWidgetItem* reselect = all;
    for (int s = 0; s < workspace_.storeCount(); ++s) {
        const auto& store = workspace_.store(s);
        // The tool that wrote it, beside its name: two stores called "wandb"
        // or "mlruns" are told apart by where they are (the tooltip), and
        // what they are shows at a glance.
        const QString title = storeFormatTitle(store.kind);
        auto* item = new QTreeWidgetItem(this,
            {QStringLiteral("%1 · %2").arg(storeDisplayName(store.path), title), QString::number(store.table->rowCount())});
        QStringList lines = {storeShownLocation(store.path), tr("%1 store (%2)").arg(title, store.kind)};
        lines += store.notes;
        lines += store.problems;
        item->setToolTip(0, lines.join(QLatin1Char('\n')));
        item->setData(0, kStoreRole, s);
        QMap<QString, int> counts;
        for (int r = 0; r < store.table->rowCount(); ++r)
            ++counts[store.table->experiment(r)];
        for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
            auto* exp = new QTreeWidgetItem(item, {it.key(), QString::number(it.value())});
            exp->setData(0, kStoreRole, s);
            exp->setData(0, kExperimentRole, it.key());
            if (before.store == s && before.experiment == it.key())
                reselect = exp;
        }
        for (const auto& q : store.savedQueries) {
            auto* saved = new QTreeWidgetItem(item, {q.name, QString()});
            saved->setIcon(0, style()->standardIcon(QStyle::SP_FileDialogContentsView));
            saved->setToolTip(0, tr("Saved query: %1").arg(q.value));
            saved->setData(0, kStoreRole, s);
            saved->setData(0, kQueryRole, q.value);
        }
        for (const auto& v : store.savedViews) {
            auto* saved = new QTreeWidgetItem(item, {v.name, QString()});
            saved->setIcon(0, style()->standardIcon(QStyle::SP_FileDialogDetailedView));
            const auto view = SavedView::fromJson(v.value);
            saved->setToolTip(0, view ? tr("Saved view%1").arg(view->query.isEmpty() ? QString() : tr(": %1").arg(view->query))
                                      : tr("Not a view this Runlens reads: %1").arg(view.error()));
            saved->setData(0, kStoreRole, s);
            saved->setData(0, kViewRole, v.value);
        }
        if (before.store == s && before.experiment.isEmpty())
            reselect = item;
        item->setExpanded(true);
    }
    reselect->setSelected(true);
    setCurrentItem(reselect);
}

NavigatorFilter NavigatorView::filter() const
{
    const auto items = selectedItems();
    if (items.isEmpty())
        return {};
    return {items.first()->data(0, kStoreRole).toInt(), items.first()->data(0, kExperimentRole).toString()};
}

} // namespace runlens::ui
