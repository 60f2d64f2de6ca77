// SPDX-License-Identifier: GPL-3.0-or-later
// What the user is looking at in one window, over a Workspace: which store
// and experiment, the query, the parallel axes' brush and the selection, and
// the rows each stage leaves. The window's views observe its signals (as
// Tiled's views observe a MapDocument) and the window only wires them, so the
// pipeline is tested without widgets (tests/test_run_session.cpp).
//
//   every run --query--> queryRows --scope--> filteredRows --brush--> shownRows
//
// Rows are rows of workspace.runs(); the selection is kept by run id, so it
// survives a refresh that renumbers rows. Lives on the GUI thread.
#pragma once

#include "run_query.h"
#include "run_table.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace runlens {

class Workspace;

// Which part of the open stores is in view: a store, an experiment of it, or all.
struct SessionScope {
    int store = -1;      // -1: every store
    QString experiment;  // empty: every experiment
    bool trash = false;  // the trashed runs instead of the others
    bool operator==(const SessionScope&) const = default;
};

class RunSession : public QObject {
    Q_OBJECT

public:
    explicit RunSession(Workspace& workspace, QObject* parent = nullptr);

    Workspace& workspace() const { return workspace_; }
    std::shared_ptr<const RunTable> table() const { return table_; }

    // The query as typed. A valid one replaces the last good query; a bad one
    // is reported (queryError) and the last good result stays in view.
    std::optional<QueryError> setQuery(const QString& text);
    const QString& query() const { return query_; }
    const std::optional<QueryError>& queryError() const { return queryError_; }
    // The metric the query orders by first ("val/auc" of "order by metrics.val/auc"), else empty.
    QString queryOrderMetric() const;

    void setScope(const SessionScope& scope);
    const SessionScope& scope() const { return scope_; }

    // The rows the parallel axes' brushes keep; nullopt: no brush.
    void setBrush(std::optional<std::vector<int>> keptRows);
    bool brushed() const { return brush_.has_value(); }

    const std::vector<int>& queryRows() const { return queryRows_; }    // in the query's order
    const std::vector<int>& filteredRows() const { return filteredRows_; } // and in scope
    const std::vector<int>& shownRows() const { return shownRows_; }    // and kept by the brush

    void setSelectedRows(const std::vector<int>& rows);
    void setSelectedIds(const QStringList& idsOrNames);
    const QStringList& selectedIds() const { return selectedIds_; }
    // The selected runs that the current table has, as its rows.
    std::vector<int> selectedRows() const;

    // "12 of 40 runs (brushed)".
    QString summary() const;

signals:
    // A new table from the workspace (opened, refreshed, closed): views rebind before the rows follow.
    void tableChanged();
    void queryErrorChanged();
    // The runs before the brush changed (the parallel axes' input).
    void filteredRowsChanged();
    // The runs the table shows changed.
    void shownRowsChanged();
    void selectionChanged();

private:
    void onWorkspaceChanged();
    // Recomputes the stages from `from` on and says what changed.
    enum class Stage { Query, Scope, Brush };
    void recompute(Stage from, bool tableChanged = false);

    Workspace& workspace_;
    std::shared_ptr<const RunTable> table_;
    QString query_;
    std::optional<QueryError> queryError_;
    SessionScope scope_;
    std::optional<std::vector<int>> brush_;
    std::vector<int> queryRows_;
    std::vector<int> filteredRows_;
    std::vector<int> shownRows_;
    quint64 shownVersion_ = 0;
    QStringList selectedIds_;
};

} // namespace runlens
