// SPDX-License-Identifier: GPL-3.0-or-later
// The run table: a model over the core's RunTable, fast at 10,000+ runs.
// It reads the columnar table directly (no per-cell items), sorts and groups
// itself, and reports which columns are constant across the shown runs so
// the view can hide them.
//
// Numbers and values read compact (number_text.h, value_text.h); the exact
// value is the tooltip and ExactTextRole, which Copy uses.
//
// Shape: nested runs as a tree (run_tree.h): a parent run with its children
// beneath it, its name followed by their count ("tuning · 10 runs"), and,
// when the table is sorted by a metric, its cell of that metric holding the
// best value among the runs beneath it (italic; lower is better for losses).
// Parents sort by that value, so the tuning job with the best trial comes
// first. A run the query matched whose parent it did not keeps the parent
// above it as context (dimmed, IsContextRole). No nesting: flat, one level.
// Grouped by a column, a top level of group rows ("lr = 0.01 · 6 runs") with
// the runs beneath, flat: grouping replaces the tree while it is on.
//
// Threading: GUI thread only.
#pragma once

#include "metric_priority.h"
#include "promotion_rules.h"
#include "run_table.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace runlens::ui {

class RunTableModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum class ColumnKind { Name, Status, Candidate, Experiment, Config, Store, Start, Duration, Param, Metric, MetricDelta, Tag };
    struct Column {
        ColumnKind kind;
        int index = -1;   // into the table's params/metrics/tags
        QString key;      // "params.lr", "metrics.val/auc", "name", ...
        QString title;
        // What a metric column shows per run (metric_priority.h: the peak
        // or mean of a system metric, else the last value).
        ShownStat stat = ShownStat::Last;
    };
    // ExactTextRole: a cell's value as logged, every digit (Copy; the display is compact).
    // FullValueRole: a value the cell shows only the start of (long JSON, several lines); else none.
    // IsContextRole: a run shown only as the parent of runs the query matched.
    enum Roles { TableRowRole = Qt::UserRole + 1, IsGroupRole, SortKeyRole, ExactTextRole, FullValueRole, IsContextRole };

    explicit RunTableModel(QObject* parent = nullptr);

    // A new table (a store opened or refreshed) and which of its rows to show.
    void setTable(std::shared_ptr<const RunTable> table, std::vector<int> rows, QStringList storeNames = {});
    void setRows(std::vector<int> rows);
    // Each table row's baseline row (-1: none); metrics get Δ columns against it.
    void setBaselines(std::vector<int> baselineOfRow);
    int baselineOf(int tableRow) const;
    // Each table row against its experiment's promotion rule, and that rule
    // (promotion_rules.h); with any rule or candidate, a Candidate column
    // says "candidate", "meets rule" or "running" (a run that fails is blank,
    // its tooltip says why).
    void setPromotion(std::vector<RuleVerdict> verdicts, std::vector<QString> ruleOfRow);
    const RunTable& table() const { return *table_; }
    std::shared_ptr<const RunTable> tableShared() const { return table_; }
    const std::vector<int>& shownRows() const { return rows_; }

    // Other tools' internal tags (tool_tags.h) as columns: hidden unless shown.
    void setShowToolTags(bool show);
    bool showToolTags() const { return showToolTags_; }

    // Group by a column key ("params.optimizer", "tags.stage"); empty: no grouping.
    void setGroupBy(const QString& key);
    const QString& groupBy() const { return groupBy_; }
    int groupCount() const { return int(groupLabels_.size()); }
    // "optimizer = adam": what group `g` shares, without its count.
    QString groupName(int g) const;

    const std::vector<Column>& columns() const { return columns_; }
    int columnOf(const QString& key) const;
    // True when every shown run has the same value (or none) in this column.
    bool isConstant(int column) const;
    // True when some row has rows beneath it (groups, or runs nested under a parent).
    bool nested() const { return nested_; }
    // The table row of an index; -1 for group rows.
    int tableRow(const QModelIndex& index) const;
    QModelIndex indexOfTableRow(int tableRow, int column = 0) const;
    // How deep a shown run sits: 0 at the top level (a run under a group: 1); -1 when not shown.
    int depthOf(int tableRow) const;
    // Shown runs in display order (parents before their children, collapsed
    // or not), without the context parents: the runs the query left.
    std::vector<int> displayedRows() const;
    // Parents shown only for the runs beneath them (the query did not match them).
    std::vector<int> contextRows() const;

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
    QString candidateToolTip(int tableRow) const;
    void rebuildColumns();
    void regroup();
    void reshape();
    void nestRuns();
    // The logger found the run's config had run before it started (kAlreadyTriedTag).
    bool alreadyTried(int row) const;
    bool grouped() const { return !groupBy_.isEmpty() && columnOf(groupBy_) >= 0; }
    void sortRows(std::vector<int>& rows) const;
    bool hasBest(int node) const;

    std::shared_ptr<const RunTable> table_;
    std::vector<int> rows_;   // shown table rows (query and navigator applied), sorted
    std::vector<int> baselines_;
    std::vector<RuleVerdict> verdicts_;
    std::vector<QString> rules_;
    std::vector<Column> columns_;
    std::vector<char> constant_;
    QStringList storeNames_;
    QString groupBy_;
    bool showToolTags_ = false;
    // The shape: nodes_[internalId] is the row an index points to. Grouped,
    // the groups are the first nodes, in their order.
    struct Node {
        int row = -1;       // table row; -1 for a group
        int parent = -1;    // node; -1 at the top level
        int place = 0;      // row under its parent
        int depth = 0;
        bool context = false;
        std::vector<int> children;
    };
    std::vector<Node> nodes_;
    std::vector<int> roots_;
    std::vector<int> nodeOfRow_;   // by table row; -1: not shown
    std::vector<int> order_;       // nodes depth first
    QStringList groupLabels_;
    std::vector<int> childCounts_; // by table row: runs naming it their parent, in the whole table
    // By table row: the config it shares with its seed group ("lr=0.1, hidden=32"),
    // for the Config column; filled while the column is there.
    std::vector<QString> configOf_;
    // For the sorted metric, by node: the best value beneath it and whose it is.
    std::vector<double> best_;
    std::vector<int> bestRow_;
    bool nested_ = false;
    QString sortKey_ = QStringLiteral("start_time");
    int sortColumn_ = -1;
    Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
};

} // namespace runlens::ui
