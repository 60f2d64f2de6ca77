// SPDX-License-Identifier: GPL-3.0-or-later
// The run table: a model over the core's RunTable, fast at 10,000+ runs.
// It reads the columnar table directly (no per-cell items), sorts and groups
// itself, and reports which columns are constant across the shown runs so
// the view can hide them.
//
// Numbers and values read compact (number_text.h, value_text.h); the exact
// value is the tooltip and ExactTextRole, which Copy uses.
//
// Shape: flat (one level) when not grouped; grouped, a top level of group
// rows ("lr = 0.01 · 6 runs") with the runs beneath.
//
// Threading: GUI thread only.
#pragma once

#include "run_table.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace runlens::ui {

class RunTableModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum class ColumnKind { Name, Status, Experiment, Store, Start, Duration, Param, Metric, MetricDelta, Tag };
    struct Column {
        ColumnKind kind;
        int index = -1;   // into the table's params/metrics/tags
        QString key;      // "params.lr", "metrics.val/auc", "name", ...
        QString title;
    };
    // ExactTextRole: a cell's value as logged, every digit (Copy; the display is compact).
    // FullValueRole: a value the cell shows only the start of (long JSON, several lines); else none.
    enum Roles { TableRowRole = Qt::UserRole + 1, IsGroupRole, SortKeyRole, ExactTextRole, FullValueRole };

    explicit RunTableModel(QObject* parent = nullptr);

    // A new table (a store opened or refreshed) and which of its rows to show.
    void setTable(std::shared_ptr<const RunTable> table, std::vector<int> rows, QStringList storeNames = {});
    void setRows(std::vector<int> rows);
    // Each table row's baseline row (-1: none); metrics get Δ columns against it.
    void setBaselines(std::vector<int> baselineOfRow);
    int baselineOf(int tableRow) const;
    const RunTable& table() const { return *table_; }
    std::shared_ptr<const RunTable> tableShared() const { return table_; }
    const std::vector<int>& shownRows() const { return rows_; }

    // Other tools' internal tags (tool_tags.h) as columns: hidden unless shown.
    void setShowToolTags(bool show);
    bool showToolTags() const { return showToolTags_; }

    // Group by a column key ("params.optimizer", "tags.stage"); empty: no grouping.
    void setGroupBy(const QString& key);
    const QString& groupBy() const { return groupBy_; }
    int groupCount() const { return grouped() ? int(groups_.size()) : 0; }
    // "optimizer = adam": what group `g` shares, without its count.
    QString groupName(int g) const;

    const std::vector<Column>& columns() const { return columns_; }
    int columnOf(const QString& key) const;
    // True when every shown run has the same value (or none) in this column.
    bool isConstant(int column) const;
    // The table row of an index; -1 for group rows.
    int tableRow(const QModelIndex& index) const;
    QModelIndex indexOfTableRow(int tableRow, int column = 0) const;
    // Visible runs in display order.
    std::vector<int> displayedRows() const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    // Sorting is kept by column key, so it survives a new table.
    void setSortKey(const QString& key, Qt::SortOrder order);
    int sortColumn() const { return sortColumn_; }
    Qt::SortOrder sortOrder() const { return sortOrder_; }

private:
    struct Cell {
        bool present = false;
        double number = NAN;
        QString text;
    };
    Cell cell(int tableRow, const Column& c) const;
    Cell sortCell(int tableRow, const Column& c) const;
    QString exactText(int tableRow, const Column& c) const;
    void rebuildColumns();
    void regroup();
    bool grouped() const { return !groupBy_.isEmpty() && columnOf(groupBy_) >= 0; }
    void sortRows(std::vector<int>& rows) const;

    std::shared_ptr<const RunTable> table_;
    std::vector<int> rows_;   // shown table rows (query and navigator applied), sorted
    std::vector<int> baselines_;
    std::vector<Column> columns_;
    std::vector<char> constant_;
    QStringList storeNames_;
    QString groupBy_;
    bool showToolTags_ = false;
    struct Group {
        QString label;
        std::vector<int> rows;
    };
    std::vector<Group> groups_;
    QString sortKey_ = QStringLiteral("start_time");
    int sortColumn_ = -1;
    Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
};

} // namespace runlens::ui
