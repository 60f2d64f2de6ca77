// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_table_model.h"

#include "natural_compare.h"
#include "number_text.h"
#include "run_colors.h"
#include "run_json.h"
#include "tool_tags.h"
#include "value_text.h"

#include <QDateTime>
#include <QFont>
#include <QMap>

#include <algorithm>

namespace runlens::ui {

namespace {

// Group rows carry their group index + 1 in internalId; run rows under a
// group carry 0 and their parent is found from the group index table.
constexpr quintptr kTopLevel = 0;

} // namespace

RunTableModel::RunTableModel(QObject* parent) : QAbstractItemModel(parent), table_(std::make_shared<const RunTable>())
{
}

void RunTableModel::setTable(std::shared_ptr<const RunTable> table, std::vector<int> rows, QStringList storeNames)
{
    beginResetModel();
    table_ = table ? std::move(table) : std::make_shared<const RunTable>();
    storeNames_ = std::move(storeNames);
    rebuildColumns();
    sortColumn_ = columnOf(sortKey_);
    rows_ = std::move(rows);
    sortRows(rows_);
    regroup();
    endResetModel();
}

void RunTableModel::setRows(std::vector<int> rows)
{
    beginResetModel();
    rows_ = std::move(rows);
    sortRows(rows_);
    regroup();
    endResetModel();
}

void RunTableModel::setBaselines(std::vector<int> baselineOfRow)
{
    beginResetModel();
    baselines_ = std::move(baselineOfRow);
    rebuildColumns();
    sortColumn_ = columnOf(sortKey_);
    regroup();
    endResetModel();
}

int RunTableModel::baselineOf(int tableRow) const
{
    return tableRow >= 0 && size_t(tableRow) < baselines_.size() ? baselines_[size_t(tableRow)] : -1;
}

void RunTableModel::setGroupBy(const QString& key)
{
    beginResetModel();
    groupBy_ = key;
    regroup();
    endResetModel();
}

void RunTableModel::setShowToolTags(bool show)
{
    if (show == showToolTags_)
        return;
    beginResetModel();
    showToolTags_ = show;
    rebuildColumns();
    sortColumn_ = columnOf(sortKey_);
    sortRows(rows_);
    regroup();
    endResetModel();
}

void RunTableModel::rebuildColumns()
{
    columns_.clear();
    columns_.push_back({ColumnKind::Name, -1, QStringLiteral("name"), tr("Name")});
    columns_.push_back({ColumnKind::Status, -1, QStringLiteral("status"), tr("Status")});
    columns_.push_back({ColumnKind::Experiment, -1, QStringLiteral("experiment"), tr("Experiment")});
    if (storeNames_.size() > 1)
        columns_.push_back({ColumnKind::Store, -1, QStringLiteral("store"), tr("Store")});
    columns_.push_back({ColumnKind::Start, -1, QStringLiteral("start_time"), tr("Started")});
    columns_.push_back({ColumnKind::Duration, -1, QStringLiteral("duration"), tr("Duration")});
    for (size_t i = 0; i < table_->params().size(); ++i) {
        const auto& key = table_->params()[i].key;
        columns_.push_back({ColumnKind::Param, int(i), QStringLiteral("params.") + key, key});
    }
    for (size_t i = 0; i < table_->metrics().size(); ++i) {
        const auto& key = table_->metrics()[i].key;
        columns_.push_back({ColumnKind::Metric, int(i), QStringLiteral("metrics.") + key, key});
    }
    // With a baseline anywhere, each metric gets its difference to it.
    if (std::any_of(baselines_.begin(), baselines_.end(), [](int b) { return b >= 0; }))
        for (size_t i = 0; i < table_->metrics().size(); ++i) {
            const auto& key = table_->metrics()[i].key;
            columns_.push_back({ColumnKind::MetricDelta, int(i), QStringLiteral("delta.") + key, QStringLiteral("Δ ") + key});
        }
    for (size_t i = 0; i < table_->tags().size(); ++i) {
        const auto& key = table_->tags()[i].key;
        // The notebook's marks show as a star on the name and as the trash's scope, not as columns.
        if (key == kStarredTag || key == kTrashedTag)
            continue;
        if (showToolTags_ || !isToolInternalTag(key))
            columns_.push_back({ColumnKind::Tag, int(i), QStringLiteral("tags.") + key, key});
    }
}

int RunTableModel::columnOf(const QString& key) const
{
    for (size_t i = 0; i < columns_.size(); ++i)
        if (columns_[i].key == key)
            return int(i);
    return -1;
}

RunTableModel::Cell RunTableModel::cell(int r, const Column& c) const
{
    const RunTable& t = *table_;
    switch (c.kind) {
    case ColumnKind::Name: return {true, NAN, t.name(r)};
    case ColumnKind::Status: return {true, double(int(t.status(r))), statusName(t.status(r))};
    case ColumnKind::Experiment: return {true, NAN, t.experiment(r)};
    case ColumnKind::Store: return {true, NAN, storeNames_.value(t.storeIndex(r))};
    case ColumnKind::Start:
        return {true, double(t.startTime(r)),
                QDateTime::fromMSecsSinceEpoch(t.startTime(r)).toString(QStringLiteral("yyyy-MM-dd HH:mm"))};
    case ColumnKind::Duration: {
        if (t.endTime(r) < 0)
            return {true, NAN, tr("running")};
        const int64_t ms = t.endTime(r) - t.startTime(r);
        return {true, double(ms), durationText(ms)};
    }
    case ColumnKind::Param:
    case ColumnKind::Tag: {
        const ValueColumn& v = c.kind == ColumnKind::Param ? t.params()[size_t(c.index)] : t.tags()[size_t(c.index)];
        if (!v.has(r))
            return {};
        return {true, v.number[size_t(r)], cellText(v.text[size_t(r)])};
    }
    case ColumnKind::Metric: {
        const MetricColumn& m = t.metrics()[size_t(c.index)];
        if (!m.has(r))
            return {};
        return {true, m.last[size_t(r)], compactNumber(m.last[size_t(r)])};
    }
    case ColumnKind::MetricDelta: {
        const MetricColumn& m = t.metrics()[size_t(c.index)];
        const int b = baselineOf(r);
        if (b < 0 || !m.has(r) || !m.has(b))
            return {};
        if (b == r)
            return {true, 0, tr("baseline")};
        const double d = m.last[size_t(r)] - m.last[size_t(b)];
        return {true, d, (d > 0 ? QStringLiteral("+") : QString()) + compactNumber(d)};
    }
    }
    return {};
}

QString RunTableModel::exactText(int r, const Column& c) const
{
    const RunTable& t = *table_;
    switch (c.kind) {
    case ColumnKind::Param:
    case ColumnKind::Tag: {
        const ValueColumn& v = c.kind == ColumnKind::Param ? t.params()[size_t(c.index)] : t.tags()[size_t(c.index)];
        return v.has(r) ? v.text[size_t(r)] : QString();
    }
    case ColumnKind::Metric:
    case ColumnKind::MetricDelta: {
        const Cell x = cell(r, c);
        if (!x.present)
            return {};
        if (c.kind == ColumnKind::MetricDelta && baselineOf(r) == r)
            return x.text;
        return (c.kind == ColumnKind::MetricDelta && x.number > 0 ? QStringLiteral("+") : QString()) + numberText(x.number);
    }
    default: {
        const Cell x = cell(r, c);
        return x.present ? x.text : QString();
    }
    }
}

RunTableModel::Cell RunTableModel::sortCell(int r, const Column& c) const
{
    // What sorting compares: the number where there is one, no display text.
    const RunTable& t = *table_;
    switch (c.kind) {
    case ColumnKind::Start: return {true, double(t.startTime(r)), {}};
    case ColumnKind::Duration:
        return t.endTime(r) < 0 ? Cell{true, NAN, tr("running")} : Cell{true, double(t.endTime(r) - t.startTime(r)), {}};
    case ColumnKind::Metric: {
        const MetricColumn& m = t.metrics()[size_t(c.index)];
        return m.has(r) ? Cell{true, m.last[size_t(r)], {}} : Cell{};
    }
    default: return cell(r, c);
    }
}

bool RunTableModel::isConstant(int column) const
{
    return column >= 0 && size_t(column) < constant_.size() && constant_[size_t(column)];
}

QString RunTableModel::groupName(int g) const
{
    if (g < 0 || g >= groupCount())
        return {};
    return tr("%1 = %2").arg(columns_[size_t(columnOf(groupBy_))].title, groups_[size_t(g)].label);
}

void RunTableModel::regroup()
{
    // Constant columns are judged over the shown runs, on the raw values:
    // formatting 700,000 cells to compare them would cost half a second.
    constant_.assign(columns_.size(), 0);
    const RunTable& t = *table_;
    auto same = [&](auto&& equal) {
        for (size_t k = 1; k < rows_.size(); ++k)
            if (!equal(rows_[0], rows_[k]))
                return false;
        return rows_.size() > 1;
    };
    for (size_t c = 0; c < columns_.size(); ++c) {
        const Column& col = columns_[c];
        bool constant = false;
        switch (col.kind) {
        case ColumnKind::Param:
        case ColumnKind::Tag: {
            const ValueColumn& v = col.kind == ColumnKind::Param ? t.params()[size_t(col.index)] : t.tags()[size_t(col.index)];
            constant = same([&](int a, int b) {
                return v.present[size_t(a)] == v.present[size_t(b)] && v.text[size_t(a)] == v.text[size_t(b)];
            });
            break;
        }
        case ColumnKind::Metric: {
            const MetricColumn& m = t.metrics()[size_t(col.index)];
            constant = same([&](int a, int b) {
                const double x = m.last[size_t(a)], y = m.last[size_t(b)];
                return m.has(a) == m.has(b) && (x == y || (std::isnan(x) && std::isnan(y)));
            });
            break;
        }
        case ColumnKind::Experiment:
            constant = same([&](int a, int b) { return t.experiment(a) == t.experiment(b); });
            break;
        case ColumnKind::Store:
            constant = same([&](int a, int b) { return t.storeIndex(a) == t.storeIndex(b); });
            break;
        default: break;
        }
        constant_[c] = constant;
    }

    groups_.clear();
    if (!grouped())
        return;
    const Column& g = columns_[size_t(columnOf(groupBy_))];
    QMap<QString, size_t> byLabel;
    std::vector<std::pair<Cell, QString>> keys;
    for (int r : rows_) {
        const Cell x = cell(r, g);
        const QString label = x.present ? x.text : tr("(none)");
        auto it = byLabel.find(label);
        if (it == byLabel.end()) {
            it = byLabel.insert(label, groups_.size());
            groups_.push_back({label, {}});
            keys.emplace_back(x, label);
        }
        groups_[*it].rows.push_back(r);
    }
    // Groups in value order: numbers numerically, text naturally, (none) last.
    std::vector<size_t> order(groups_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const Cell& x = keys[a].first;
        const Cell& y = keys[b].first;
        if (x.present != y.present)
            return x.present;
        if (!std::isnan(x.number) && !std::isnan(y.number))
            return x.number < y.number;
        return naturalCompare(x.text, y.text) < 0;
    });
    std::vector<Group> sorted;
    for (size_t i : order)
        sorted.push_back(std::move(groups_[i]));
    groups_ = std::move(sorted);
}

void RunTableModel::sortRows(std::vector<int>& rows) const
{
    if (sortColumn_ < 0 || sortColumn_ >= int(columns_.size()))
        return;
    const Column& c = columns_[size_t(sortColumn_)];
    std::vector<Cell> cells(size_t(table_->rowCount()));
    for (int r : rows)
        cells[size_t(r)] = sortCell(r, c);
    const bool desc = sortOrder_ == Qt::DescendingOrder;
    std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
        const Cell& x = cells[size_t(a)];
        const Cell& y = cells[size_t(b)];
        if (x.present != y.present)
            return x.present;   // missing last either way
        const bool xn = !std::isnan(x.number), yn = !std::isnan(y.number);
        int cmp;
        if (xn && yn)
            cmp = x.number < y.number ? -1 : x.number > y.number ? 1 : 0;
        else if (xn != yn)
            return xn;
        else
            cmp = naturalCompare(x.text, y.text);
        return desc ? cmp > 0 : cmp < 0;
    });
}

void RunTableModel::setSortKey(const QString& key, Qt::SortOrder order)
{
    sortKey_ = key;
    if (key.isEmpty()) {   // rows keep the order they are given in
        sortColumn_ = -1;
        sortOrder_ = order;
        return;
    }
    const int c = columnOf(key);
    if (c >= 0)
        sort(c, order);
    else
        sortOrder_ = order;
}

void RunTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= int(columns_.size()))
        return;   // an empty model: keep the key for the table to come
    sortKey_ = columns_[size_t(column)].key;
    emit layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    std::vector<int> rowsBefore;
    for (const auto& i : before)
        rowsBefore.push_back(tableRow(i));
    sortColumn_ = column;
    sortOrder_ = order;
    sortRows(rows_);
    for (auto& g : groups_)
        sortRows(g.rows);
    QModelIndexList after;
    for (size_t k = 0; k < size_t(before.size()); ++k)
        after.append(rowsBefore[k] >= 0 ? indexOfTableRow(rowsBefore[k], before[qsizetype(k)].column())
                                        : before[qsizetype(k)]);
    changePersistentIndexList(before, after);
    emit layoutChanged();
}

std::vector<int> RunTableModel::displayedRows() const
{
    if (!grouped())
        return rows_;
    std::vector<int> out;
    for (const auto& g : groups_)
        out.insert(out.end(), g.rows.begin(), g.rows.end());
    return out;
}

int RunTableModel::tableRow(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return -1;
    if (!grouped())
        return rows_[size_t(index.row())];
    if (index.internalId() == kTopLevel)
        return -1;
    return groups_[size_t(index.internalId() - 1)].rows[size_t(index.row())];
}

QModelIndex RunTableModel::indexOfTableRow(int tableRow, int column) const
{
    if (!grouped()) {
        const auto it = std::find(rows_.begin(), rows_.end(), tableRow);
        return it == rows_.end() ? QModelIndex() : createIndex(int(it - rows_.begin()), column, kTopLevel);
    }
    for (size_t g = 0; g < groups_.size(); ++g) {
        const auto& rows = groups_[g].rows;
        const auto it = std::find(rows.begin(), rows.end(), tableRow);
        if (it != rows.end())
            return createIndex(int(it - rows.begin()), column, quintptr(g + 1));
    }
    return {};
}

QModelIndex RunTableModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= columnCount())
        return {};
    if (!grouped()) {
        if (parent.isValid() || row >= int(rows_.size()))
            return {};
        return createIndex(row, column, kTopLevel);
    }
    if (!parent.isValid())
        return row < int(groups_.size()) ? createIndex(row, column, kTopLevel) : QModelIndex();
    if (parent.internalId() != kTopLevel || parent.row() >= int(groups_.size()))
        return {};
    if (row >= int(groups_[size_t(parent.row())].rows.size()))
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex RunTableModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || !grouped() || child.internalId() == kTopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kTopLevel);
}

int RunTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    if (!grouped())
        return parent.isValid() ? 0 : int(rows_.size());
    if (!parent.isValid())
        return int(groups_.size());
    if (parent.internalId() == kTopLevel)
        return int(groups_[size_t(parent.row())].rows.size());
    return 0;
}

int RunTableModel::columnCount(const QModelIndex&) const { return int(columns_.size()); }

Qt::ItemFlags RunTableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const int r = tableRow(index);
    if (r < 0) {   // a group row
        const Group& g = groups_[size_t(index.row())];
        if (role == IsGroupRole)
            return true;
        if (index.column() != 0)
            return {};
        if (role == Qt::DisplayRole)
            return tr("%1 · %2").arg(groupName(index.row()),
                g.rows.size() == 1 ? tr("1 run") : tr("%1 runs").arg(g.rows.size()));
        if (role == Qt::FontRole) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    }
    const Column& c = columns_[size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole: {
        const Cell x = cell(r, c);
        if (c.kind == ColumnKind::Name && table_->isStarred(r))
            return QStringLiteral("\u2605 ") + x.text;   // ★, before the name: starred runs read at a glance
        return x.present ? x.text : QString();
    }
    case Qt::DecorationRole:
        if (c.kind == ColumnKind::Name)
            return runColor(table_->id(r));
        if (c.kind == ColumnKind::Status)
            return statusIcon(table_->status(r));
        return {};
    case Qt::FontRole:
        if (c.kind == ColumnKind::Name && baselineOf(r) == r) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole: {
        if (c.kind == ColumnKind::Name)
            return tr("%1\nid %2%3").arg(table_->name(r), table_->id(r),
                                         baselineOf(r) == r ? tr("\nbaseline of %1").arg(table_->experiment(r)) : QString());
        if (c.kind == ColumnKind::MetricDelta) {
            const int b = baselineOf(r);
            return b >= 0 && b != r ? tr("against the baseline %1").arg(table_->name(b)) : QVariant();
        }
        if (c.kind == ColumnKind::Metric) {
            const MetricColumn& m = table_->metrics()[size_t(c.index)];
            if (!m.has(r))
                return {};
            const auto i = size_t(r);
            return tr("%1\nlast %2 (step %3)\nmin %4, max %5\n%6 points")
                .arg(m.key, numberText(m.last[i]))
                .arg(m.lastStep[i])
                .arg(numberText(m.min[i]), numberText(m.max[i]))
                .arg(m.count[i]);
        }
        // The exact value where the cell shows less of it (fewer digits, the start of a long value).
        const QString exact = data(index, ExactTextRole).toString();
        return exact != cell(r, c).text || exact.size() > 24 ? exact.left(4000) : QVariant();
    }
    case ExactTextRole: return exactText(r, c);
    case FullValueRole: {
        if (c.kind != ColumnKind::Param && c.kind != ColumnKind::Tag)
            return {};
        const QString exact = exactText(r, c);
        return isElidedInCell(exact) ? QVariant(exact) : QVariant();
    }
    case Qt::TextAlignmentRole:
        if (c.kind == ColumnKind::Metric || c.kind == ColumnKind::MetricDelta
            || (c.kind == ColumnKind::Param && table_->params()[size_t(c.index)].allNumeric) || c.kind == ColumnKind::Duration)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case TableRowRole: return r;
    case IsGroupRole: return false;
    case SortKeyRole: {
        const Cell x = cell(r, c);
        return std::isnan(x.number) ? QVariant(x.text) : QVariant(x.number);
    }
    default: return {};
    }
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= int(columns_.size()))
        return {};
    const Column& c = columns_[size_t(section)];
    if (role == Qt::DisplayRole)
        return c.title;
    if (role == Qt::ToolTipRole)
        return c.key;
    if (role == Qt::ForegroundRole && c.kind == ColumnKind::Metric)
        return QColor(0x1e, 0x6f, 0xc8);
    return {};
}

} // namespace runlens::ui
