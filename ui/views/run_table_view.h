// SPDX-License-Identifier: GPL-3.0-or-later
// The run table's view: hides columns that are constant across the shown
// runs (unless asked), lets the user choose, pin and hide columns, group by
// a column, and sort by clicking a header. Copy (Ctrl+C) gives the selected
// runs' exact values; a long value opens in a viewer on double-click.
// Nested runs start collapsed under their parent (click the arrow, or Right
// and Left, + and -, * for a whole subtree); a parent shown only as context
// for the runs a query matched starts expanded. What the user expanded or
// collapsed stays so when the table reloads (a store being written, a new
// query), by run id.
#pragma once

#include <QSet>
#include <QStringList>
#include <QTreeView>

namespace runlens::ui {

class RunTableModel;

class RunTableView : public QTreeView {
    Q_OBJECT

public:
    explicit RunTableView(QWidget* parent = nullptr);
    void setRunModel(RunTableModel* model);
    RunTableModel* runModel() const { return model_; }

    void setShowConstantColumns(bool show);
    bool showConstantColumns() const { return showConstant_; }
    // The columns the user hid, by key. System metric columns (the logger's
    // system/... series) are hidden until shown: one the user shows is listed
    // as "+KEY", so that settings and saved views keep both in one list.
    QStringList hiddenColumns() const;
    void setHiddenColumns(const QStringList& keys);
    QStringList pinnedColumns() const { return pinned_; }
    void setPinnedColumns(const QStringList& keys);
    // Re-applies visibility and order after the model changed.
    void applyColumns();
    // Table rows of the selected runs (group rows excluded).
    std::vector<int> selectedTableRows() const;
    void selectTableRows(const std::vector<int>& rows);
    void chooseColumns();
    // The selected runs as tab-separated text, header first, the shown columns
    // in their order, values exact (every digit; the cells show them compact).
    QString copyText() const;
    // Logical indexes of the columns on screen, in their order there.
    std::vector<int> shownColumns() const;
    // Opens the viewer on a cell whose value it shows only the start of; false when it shows all.
    bool viewValue(const QModelIndex& index);

signals:
    void groupByRequested(const QString& key);
    void baselineRequested(int tableRow, bool mark);
    void columnsChanged();
    // "Derive a Metric from metrics.X…" in a metric column's header menu.
    void deriveRequested(const QString& columnKey);

private:
    void headerMenu(const QPoint& pos);
    void restoreExpanded();
    void spanGroupRows();

    RunTableModel* model_ = nullptr;
    bool showConstant_ = false;
    QSet<QString> hidden_;
    QSet<QString> shownSystem_; // system metric columns the user shows
    // Hidden by the user's choice (or, for a system metric, by default).
    bool hiddenByChoice(const QString& key) const;
    void setHiddenByChoice(const QString& key, bool hidden);
    QStringList pinned_;
    QSet<QString> expandedIds_, collapsedIds_;   // by the user
    bool restoring_ = false;
};

} // namespace runlens::ui
