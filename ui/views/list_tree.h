// SPDX-License-Identifier: GPL-3.0-or-later
// The read-only lists of records beside the table (the Candidates and
// Models tabs): a tree over a QStandardItemModel rebuilt from core, whole
// rows selected, nothing edited in place, uniform rows for long lists.
#pragma once

#include <QAbstractItemView>
#include <QStandardItemModel>
#include <QTreeView>

namespace runlens::ui {

inline QTreeView* makeListTree(QStandardItemModel* model, QAbstractItemView::SelectionMode selection)
{
    auto* tree = new QTreeView;
    tree->setModel(model);
    tree->setSelectionMode(selection);
    tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    return tree;
}

} // namespace runlens::ui
