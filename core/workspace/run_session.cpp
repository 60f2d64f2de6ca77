// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_session.h"

#include "column_key.h"
#include "workspace.h"

#include <QSet>

#include <numeric>

namespace runlens {

RunSession::RunSession(Workspace& workspace, QObject* parent)
    : QObject(parent), workspace_(workspace), table_(workspace.runs())
{
    connect(&workspace_, &Workspace::runsChanged, this, &RunSession::onWorkspaceChanged);
    recompute(Stage::Query);
}

void RunSession::onWorkspaceChanged()
{
    table_ = workspace_.runs();
    // A store that closed takes its scope with it.
    if (scope_.store >= workspace_.storeCount())
        scope_ = {};
    // The brush named rows of the old table; the axes send it anew for this one.
    // No stage may hold the old table's rows while the views rebind.
    brush_.reset();
    queryRows_.clear();
    filteredRows_.clear();
    shownRows_.clear();
    emit tableChanged();
    recompute(Stage::Query, true);
}

std::optional<QueryError> RunSession::setQuery(const QString& text)
{
    const QueryContext context = workspace_.queryContext();
    const auto selection = RunQuery(text).select(*table_, &context);
    if (selection.error) {
        queryError_ = selection.error;
        emit queryErrorChanged();
        return queryError_;
    }
    const bool hadError = queryError_.has_value();
    queryError_.reset();
    query_ = text;
    if (hadError)
        emit queryErrorChanged();
    recompute(Stage::Query);
    return std::nullopt;
}

QString RunSession::queryOrderMetric() const
{
    const ColumnKey key = ColumnKey::parse(RunQuery(query_).orderKeys().value(0));
    return key.isMetric() ? key.name : QString();
}

void RunSession::setScope(const SessionScope& scope)
{
    if (scope == scope_)
        return;
    scope_ = scope;
    recompute(Stage::Scope);
}

void RunSession::setBrush(std::optional<std::vector<int>> keptRows)
{
    if (!keptRows && !brush_)
        return;
    brush_ = std::move(keptRows);
    recompute(Stage::Brush);
}

void RunSession::recompute(Stage from, bool tableChanged)
{
    const RunTable& table = *table_;
    if (from == Stage::Query) {
        if (query_.isEmpty()) {
            queryRows_.resize(size_t(table.rowCount()));
            std::iota(queryRows_.begin(), queryRows_.end(), 0);
        } else {
            // The last good query may not parse against a new table (a key
            // gone); then nothing matches and the error says why.
            const QueryContext context = workspace_.queryContext();
            const auto selection = RunQuery(query_).select(table, &context);
            queryRows_ = selection.error ? std::vector<int>() : selection.rows;
            if (selection.error != queryError_) {
                queryError_ = selection.error;
                emit queryErrorChanged();
            }
        }
    }
    if (from == Stage::Query || from == Stage::Scope) {
        std::vector<int> rows;
        rows.reserve(queryRows_.size());
        // The trash is out of sight unless it is what is looked at.
        const ValueColumn* trashed = table.tag(kTrashedTag);
        for (int r : queryRows_) {
            if ((trashed && trashed->has(r)) != scope_.trash)
                continue;
            if (scope_.store >= 0 && table.storeIndex(r) != scope_.store)
                continue;
            if (!scope_.experiment.isEmpty() && table.experiment(r) != scope_.experiment)
                continue;
            rows.push_back(r);
        }
        if (rows != filteredRows_ || tableChanged) {
            filteredRows_ = std::move(rows);
            // The parallel axes answer with their brush for these rows, which
            // recomputes the shown rows in turn: then they are done.
            const quint64 before = shownVersion_;
            emit filteredRowsChanged();
            if (shownVersion_ != before)
                return;
        }
    }
    std::vector<int> shown;
    if (brush_) {
        const QSet<int> kept(brush_->begin(), brush_->end());
        for (int r : filteredRows_)
            if (kept.contains(r))
                shown.push_back(r);
    } else {
        shown = filteredRows_;
    }
    if (shown != shownRows_ || tableChanged || from == Stage::Brush) {
        shownRows_ = std::move(shown);
        ++shownVersion_;
        emit shownRowsChanged();
    }
}

void RunSession::setSelectedRows(const std::vector<int>& rows)
{
    QStringList ids;
    for (int r : rows)
        if (r >= 0 && r < table_->rowCount())
            ids << table_->id(r);
    if (ids == selectedIds_)
        return;
    selectedIds_ = ids;
    emit selectionChanged();
}

void RunSession::setSelectedIds(const QStringList& idsOrNames)
{
    std::vector<int> rows;
    for (const auto& id : idsOrNames)
        if (const int r = table_->findRun(id); r >= 0)
            rows.push_back(r);
    setSelectedRows(rows);
}

std::vector<int> RunSession::selectedRows() const
{
    std::vector<int> rows;
    for (const auto& id : selectedIds_)
        if (const int r = table_->findRun(id); r >= 0)
            rows.push_back(r);
    return rows;
}

QString RunSession::summary() const
{
    const int total = table_->rowCount();
    QString text = total == 1 ? tr("%1 of 1 run").arg(shownRows_.size())
                              : tr("%1 of %2 runs").arg(shownRows_.size()).arg(total);
    if (brush_)
        text += tr(" (brushed)");
    return text;
}

} // namespace runlens
