// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_table_model.h"

#include "seed_statistics.h"

#include "promotion.h"

#include "natural_compare.h"
#include "number_text.h"
#include "run_colors.h"
#include "metric_priority.h"
#include "run_json.h"
#include "run_tree.h"
#include "tool_tags.h"
#include "value_text.h"

#include <QDateTime>
#include <QFont>
#include <QGuiApplication>
#include <QMap>
#include <QPalette>

#include <algorithm>
#include <numeric>

namespace runlens::ui {

namespace {

// The order sorting puts two cells in: missing last either way, numbers
// before text, text naturally.
bool sortsBefore(const auto& x, const auto& y, bool desc)
{
    if (x.present != y.present)
        return x.present;
    const bool xn = !std::isnan(x.number), yn = !std::isnan(y.number);
    int cmp;
    if (xn && yn)
        cmp = x.number < y.number ? -1 : x.number > y.number ? 1 : 0;
    else if (xn != yn)
        return xn;
    else
        cmp = naturalCompare(x.text, y.text);
    return desc ? cmp > 0 : cmp < 0;
}

} // namespace

RunTableModel::RunTableModel(QObject* parent) : QAbstractItemModel(parent), table_(std::make_shared<const RunTable>())
{
}

void RunTableModel::setTable(std::shared_ptr<const RunTable> table, std::vector<int> rows, QStringList storeNames)
{
    beginResetModel();
    table_ = table ? std::move(table) : std::make_shared<const RunTable>();
    storeNames_ = std::move(storeNames);
    childCounts_ = RunTree::childCounts(*table_);
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

void RunTableModel::setPromotion(std::vector<RuleVerdict> verdicts, std::vector<QString> ruleOfRow)
{
    beginResetModel();
    verdicts_ = std::move(verdicts);
    rules_ = std::move(ruleOfRow);
    rebuildColumns();
    sortColumn_ = columnOf(sortKey_);
    regroup();
    endResetModel();
}

QString RunTableModel::candidateToolTip(int r) const
{
    const RunTable& t = *table_;
    const QString rule = size_t(r) < rules_.size() ? rules_[size_t(r)] : QString();
    if (isCandidate(t, r)) {
        const auto record = promotionOf(t, r);
        if (!record)
            return tr("A candidate (tagged %1 by hand: no promotion record)").arg(kCandidateTag);
        QString text = record->model.isEmpty()
            ? tr("Promoted to candidate by %1, %2")
                  .arg(record->user, record->when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
            : tr("Registered as %1 version %2 by %3, %4 (the Models tab shows the model)")
                  .arg(record->model)
                  .arg(record->version)
                  .arg(record->user, record->when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        if (!record->why.isEmpty())
            text += QStringLiteral("\n") + record->why;
        if (!record->rule.isEmpty())
            text += (record->metRule ? tr("\nmet the rule: %1") : tr("\nagainst the rule: %1")).arg(record->rule);
        if (!record->baseline.isEmpty())
            text += tr("\nbaseline then: %1").arg(record->baseline);
        return text;
    }
    const RuleVerdict v = size_t(r) < verdicts_.size() ? verdicts_[size_t(r)] : RuleVerdict::NoRule;
    switch (v) {
    case RuleVerdict::Meets: return tr("Meets the rule of %1:\n%2\nEdit > Promote to Candidate records it").arg(t.experiment(r), rule);
    case RuleVerdict::Fails:
        return t.status(r) == RunStatus::Finished ? tr("Does not meet the rule of %1:\n%2").arg(t.experiment(r), rule)
                                                  : tr("Did not finish: only finished runs can meet the rule of %1").arg(t.experiment(r));
    case RuleVerdict::Waiting: return tr("Running: judged against the rule of %1 when it finishes:\n%2").arg(t.experiment(r), rule);
    case RuleVerdict::Baseline: return tr("The baseline of %1: the rule compares runs with it").arg(t.experiment(r));
    case RuleVerdict::Trashed: return tr("In the trash: not judged against the rule of %1").arg(t.experiment(r));
    case RuleVerdict::NoRule: break;
    }
    return {};
}

int RunTableModel::baselineOf(int tableRow) const
{
    return tableRow >= 0 && size_t(tableRow) < baselines_.size() ? baselines_[size_t(tableRow)] : -1;
}

void RunTableModel::setGroupBy(const QString& key)
{
    beginResetModel();
    const bool configColumn = key == QLatin1String("config") || groupBy_ == QLatin1String("config");
    groupBy_ = key;
    if (configColumn) {   // the Config column comes with grouping by it
        rebuildColumns();
        sortColumn_ = columnOf(sortKey_);
    }
    regroup();
    endResetModel();
}

bool RunTableModel::alreadyTried(int row) const
{
    const ValueColumn* tried = table_->tag(kAlreadyTriedTag);
    return tried && tried->has(row);
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
    const ValueColumn* candidates = table_->tag(kCandidateTag);
    if (std::any_of(verdicts_.begin(), verdicts_.end(), [](RuleVerdict v) { return v != RuleVerdict::NoRule; })
        || (candidates && std::any_of(candidates->present.begin(), candidates->present.end(), [](auto p) { return bool(p); })))
        columns_.push_back({ColumnKind::Candidate, -1, QStringLiteral("candidate"), tr("Candidate")});
    columns_.push_back({ColumnKind::Experiment, -1, QStringLiteral("experiment"), tr("Experiment")});
    // Config (the params but for seeds): there when the logger found runs whose
    // config had run before, so they can be grouped with those, or when asked to group by it.
    const ValueColumn* tried = table_->tag(kAlreadyTriedTag);
    configOf_.clear();
    if (groupBy_ == QLatin1String("config")
        || (tried && std::any_of(tried->present.begin(), tried->present.end(), [](auto p) { return bool(p); }))) {
        std::vector<int> all(size_t(table_->rowCount()));
        std::iota(all.begin(), all.end(), 0);
        configOf_.assign(all.size(), QString());
        // Per experiment: the same params in two experiments are two configs.
        const bool several = table_->experiments().size() > 1;
        for (const auto& g : groupBySeed(*table_, all))
            for (int r : g.rows)
                configOf_[size_t(r)] = several ? table_->experiment(r) + QStringLiteral(" \u00b7 ") + g.label : g.label;
        columns_.push_back({ColumnKind::Config, -1, QStringLiteral("config"), tr("Config")});
    }
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
        const ShownStat stat = shownStatOf(key);
        const QString label = labelOf(stat);
        columns_.push_back({ColumnKind::Metric, int(i), QStringLiteral("metrics.") + key,
            label.isEmpty() ? key : tr("%1 (%2)").arg(key, label), stat});
    }
    // With a baseline anywhere, each metric gets its difference to it.
    if (std::any_of(baselines_.begin(), baselines_.end(), [](int b) { return b >= 0; }))
        for (size_t i = 0; i < table_->metrics().size(); ++i) {
            const auto& key = table_->metrics()[i].key;
            const ShownStat stat = shownStatOf(key);
            const QString label = labelOf(stat);
            columns_.push_back({ColumnKind::MetricDelta, int(i), QStringLiteral("delta.") + key,
                QStringLiteral("Δ ") + (label.isEmpty() ? key : tr("%1 (%2)").arg(key, label)), stat});
        }
    for (size_t i = 0; i < table_->tags().size(); ++i) {
        const auto& key = table_->tags()[i].key;
        // The notebook's marks show as a star on the name and as the trash's scope, not as columns.
        if (key == kStarredTag || key == kTrashedTag || key == kCandidateTag || key == kAlreadyTriedTag)
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
    case ColumnKind::Config: return {size_t(r) < configOf_.size(), NAN, size_t(r) < configOf_.size() ? configOf_[size_t(r)] : QString()};
    case ColumnKind::Candidate: {
        // Sorted best first when descending: candidates, then runs that meet the rule.
        if (isCandidate(t, r)) {
            // A registered model version is the same mark, named by its version.
            if (const auto record = promotionOf(t, r); record && !record->model.isEmpty())
                return {true, 3, QStringLiteral("\u25c6 %1 v%2").arg(record->model).arg(record->version)};
            return {true, 3, tr("\u25c6 candidate")};
        }
        const RuleVerdict v = size_t(r) < verdicts_.size() ? verdicts_[size_t(r)] : RuleVerdict::NoRule;
        if (v == RuleVerdict::Meets)
            return {true, 2, tr("\u2713 meets rule")};
        if (v == RuleVerdict::Waiting)
            return {true, 1, tr("running")};
        if (v == RuleVerdict::Baseline)
            return {true, 0.5, tr("baseline")};
        return v == RuleVerdict::Fails ? Cell{true, 0, QString()} : Cell{};
    }
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
        const double v = shownValue(m, c.stat, r);
        // A mean the store does not know (written before it kept sums) shows as nothing.
        if (c.stat == ShownStat::Mean && std::isnan(v))
            return {};
        return {true, v, compactNumber(v)};
    }
    case ColumnKind::MetricDelta: {
        const MetricColumn& m = t.metrics()[size_t(c.index)];
        const int b = baselineOf(r);
        if (b < 0 || !m.has(r) || !m.has(b))
            return {};
        if (b == r)
            return {true, 0, tr("baseline")};
        const double d = shownValue(m, c.stat, r) - shownValue(m, c.stat, b);
        if (std::isnan(d))
            return {};
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
        if (!m.has(r))
            return {};
        const double v = shownValue(m, c.stat, r);
        // A mean not recorded sorts with the runs that lack the metric, as it shows.
        return c.stat == ShownStat::Mean && std::isnan(v) ? Cell{} : Cell{true, v, {}};
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
    return tr("%1 = %2").arg(columns_[size_t(columnOf(groupBy_))].title, groupLabels_[g]);
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
                const double x = shownValue(m, col.stat, a), y = shownValue(m, col.stat, b);
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

    reshape();
}

void RunTableModel::reshape()
{
    nodes_.clear();
    roots_.clear();
    order_.clear();
    groupLabels_.clear();
    best_.clear();
    bestRow_.clear();
    nodeOfRow_.assign(size_t(table_->rowCount()), -1);
    nested_ = false;
    if (!grouped()) {
        nestRuns();
    } else {
        // Groups first (nodes 0..n-1, in value order), each with its runs flat
        // beneath it in the sorted order.
        const Column& g = columns_[size_t(columnOf(groupBy_))];
        QMap<QString, size_t> byLabel;
        std::vector<Cell> keys;
        std::vector<std::vector<int>> members;
        for (int r : rows_) {
            const Cell x = cell(r, g);
            const QString label = x.present ? x.text : tr("(none)");
            auto it = byLabel.find(label);
            if (it == byLabel.end()) {
                it = byLabel.insert(label, members.size());
                members.emplace_back();
                keys.push_back(x);
                groupLabels_ << label;
            }
            members[*it].push_back(r);
        }
        // Groups in value order: numbers numerically, text naturally, (none) last.
        std::vector<size_t> order(members.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return sortsBefore(keys[a], keys[b], false); });
        QStringList labels;
        for (size_t i : order) {
            labels << groupLabels_[qsizetype(i)];
            roots_.push_back(int(nodes_.size()));
            nodes_.push_back({-1, -1, int(roots_.size()) - 1, 0, false, {}});
        }
        groupLabels_ = labels;
        for (size_t k = 0; k < order.size(); ++k) {
            for (int r : members[order[k]]) {
                nodeOfRow_[size_t(r)] = int(nodes_.size());
                nodes_[k].children.push_back(int(nodes_.size()));
                nodes_.push_back({r, int(k), int(nodes_[k].children.size()) - 1, 1, false, {}});
            }
        }
        nested_ = !roots_.empty();
    }
    // Depth first, for the display order.
    order_.reserve(nodes_.size());
    std::vector<int> stack(roots_.rbegin(), roots_.rend());
    while (!stack.empty()) {
        const int i = stack.back();
        stack.pop_back();
        order_.push_back(i);
        stack.insert(stack.end(), nodes_[size_t(i)].children.rbegin(), nodes_[size_t(i)].children.rend());
    }
}

void RunTableModel::nestRuns()
{
    RunTree tree = RunTree::build(*table_, rows_, true);
    const auto& tn = tree.nodes();
    // With the table sorted by a metric, a parent stands for the best run beneath it.
    const Column* sorted = sortColumn_ >= 0 && sortColumn_ < int(columns_.size()) ? &columns_[size_t(sortColumn_)] : nullptr;
    if (tree.nested() && sorted && sorted->kind == ColumnKind::Metric) {
        const MetricColumn& m = table_->metrics()[size_t(sorted->index)];
        const bool lower = lowerIsBetter(m.key);
        best_.assign(tn.size(), NAN);
        bestRow_.assign(tn.size(), -1);
        // Children before parents: the reverse of a depth-first order.
        const auto lines = tree.flatten();
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
            const int i = tree.nodeOf(it->row);
            for (int c : tn[size_t(i)].children) {
                auto offer = [&](double v, int row) {
                    if (!std::isnan(v) && (std::isnan(best_[size_t(i)]) || (lower ? v < best_[size_t(i)] : v > best_[size_t(i)]))) {
                        best_[size_t(i)] = v;
                        bestRow_[size_t(i)] = row;
                    }
                };
                const int cr = tn[size_t(c)].row;
                if (!tn[size_t(c)].context && m.has(cr))
                    offer(shownValue(m, sorted->stat, cr), cr);
                offer(best_[size_t(c)], bestRow_[size_t(c)]);
            }
        }
    }
    if (tree.nested() && sortColumn_ >= 0 && sortColumn_ < int(columns_.size())) {
        // Siblings in the table's order; a parent by its best run's value for a sorted metric.
        std::vector<Cell> keys(tn.size());
        for (size_t i = 0; i < tn.size(); ++i)
            keys[i] = hasBest(int(i)) ? Cell{true, best_[i], {}} : sortCell(tn[i].row, columns_[size_t(sortColumn_)]);
        const bool desc = sortOrder_ == Qt::DescendingOrder;
        tree.sortSiblings([&](int a, int b) { return sortsBefore(keys[size_t(a)], keys[size_t(b)], desc); });
    }
    nodes_.resize(tn.size());
    for (size_t i = 0; i < tn.size(); ++i) {
        Node& n = nodes_[i];
        n.row = tn[i].row;
        n.parent = tn[i].parent;
        n.depth = tn[i].depth;
        n.context = tn[i].context;
        n.children = tn[i].children;
        for (size_t k = 0; k < n.children.size(); ++k)
            nodes_[size_t(n.children[k])].place = int(k);
        nodeOfRow_[size_t(n.row)] = int(i);
    }
    roots_ = tree.roots();
    for (size_t k = 0; k < roots_.size(); ++k)
        nodes_[size_t(roots_[k])].place = int(k);
    nested_ = tree.nested();
}

bool RunTableModel::hasBest(int node) const
{
    return node >= 0 && size_t(node) < best_.size() && !std::isnan(best_[size_t(node)]);
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
    std::stable_sort(rows.begin(), rows.end(),
                     [&](int a, int b) { return sortsBefore(cells[size_t(a)], cells[size_t(b)], desc); });
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
    reshape();   // the same runs and groups; groups keep their order
    QModelIndexList after;
    for (size_t k = 0; k < size_t(before.size()); ++k)
        after.append(rowsBefore[k] >= 0 ? indexOfTableRow(rowsBefore[k], before[qsizetype(k)].column())
                                        : before[qsizetype(k)]);
    changePersistentIndexList(before, after);
    emit layoutChanged();
}

std::vector<int> RunTableModel::displayedRows() const
{
    std::vector<int> out;
    out.reserve(rows_.size());
    for (int i : order_)
        if (nodes_[size_t(i)].row >= 0 && !nodes_[size_t(i)].context)
            out.push_back(nodes_[size_t(i)].row);
    return out;
}

std::vector<int> RunTableModel::contextRows() const
{
    std::vector<int> out;
    for (int i : order_)
        if (nodes_[size_t(i)].context)
            out.push_back(nodes_[size_t(i)].row);
    return out;
}

int RunTableModel::tableRow(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return -1;
    return nodes_[size_t(index.internalId())].row;
}

QModelIndex RunTableModel::indexOfTableRow(int tableRow, int column) const
{
    if (tableRow < 0 || size_t(tableRow) >= nodeOfRow_.size() || nodeOfRow_[size_t(tableRow)] < 0)
        return {};
    const int n = nodeOfRow_[size_t(tableRow)];
    return createIndex(nodes_[size_t(n)].place, column, quintptr(n));
}

int RunTableModel::depthOf(int tableRow) const
{
    const QModelIndex i = indexOfTableRow(tableRow);
    return i.isValid() ? nodes_[size_t(i.internalId())].depth : -1;
}

QModelIndex RunTableModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= columnCount() || parent.column() > 0)
        return {};
    const std::vector<int>& under = parent.isValid() ? nodes_[size_t(parent.internalId())].children : roots_;
    return row < int(under.size()) ? createIndex(row, column, quintptr(under[size_t(row)])) : QModelIndex();
}

QModelIndex RunTableModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const int p = nodes_[size_t(child.internalId())].parent;
    return p < 0 ? QModelIndex() : createIndex(nodes_[size_t(p)].place, 0, quintptr(p));
}

int RunTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(parent.isValid() ? nodes_[size_t(parent.internalId())].children.size() : roots_.size());
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
    const int n = int(index.internalId());
    const Node& node = nodes_[size_t(n)];
    const int r = node.row;
    if (r < 0) {   // a group row
        if (role == IsGroupRole)
            return true;
        if (index.column() != 0)
            return {};
        if (role == Qt::DisplayRole)
            return tr("%1 · %2").arg(groupName(index.row()),
                node.children.size() == 1 ? tr("1 run") : tr("%1 runs").arg(node.children.size()));
        if (role == Qt::FontRole) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    }
    const Column& c = columns_[size_t(index.column())];
    // A parent's cell of the sorted metric: the best value beneath it.
    const bool showsBest = index.column() == sortColumn_ && hasBest(n);
    switch (role) {
    case Qt::DisplayRole: {
        if (showsBest)
            return compactNumber(best_[size_t(n)]);
        const Cell x = cell(r, c);
        QString text = x.present ? x.text : QString();
        if (c.kind == ColumnKind::Name && table_->isStarred(r))
            text = QStringLiteral("\u2605 ") + text;   // ★, before the name: starred runs read at a glance
        if (c.kind == ColumnKind::Name && alreadyTried(r))
            text = QStringLiteral("\u21bb ") + text;   // ↻: its config had run before it started
        if (c.kind == ColumnKind::Name && !node.children.empty()) {
            const int shown = int(node.children.size());
            const int all = std::max(shown, childCounts_[size_t(r)]);
            text += QStringLiteral("  \u00b7 ")
                + (shown == all ? (all == 1 ? tr("1 run") : tr("%1 runs").arg(all)) : tr("%1 of %2 runs").arg(shown).arg(all));
        }
        return text;
    }
    case Qt::ForegroundRole:
        if (node.context)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case IsContextRole: return node.context;
    case Qt::DecorationRole:
        if (c.kind == ColumnKind::Name)
            return runColor(table_->id(r));
        if (c.kind == ColumnKind::Status)
            return statusIcon(table_->status(r));
        return {};
    case Qt::FontRole:
        if ((c.kind == ColumnKind::Name && baselineOf(r) == r) || showsBest) {
            QFont f;
            f.setBold(!showsBest);
            f.setItalic(showsBest);
            return f;
        }
        return {};
    case Qt::ToolTipRole: {
        if (c.kind == ColumnKind::Candidate)
            return candidateToolTip(r);
        if (c.kind == ColumnKind::Name)
            return tr("%1\nid %2%3%4%5").arg(table_->name(r), table_->id(r),
                                           baselineOf(r) == r ? tr("\nbaseline of %1").arg(table_->experiment(r)) : QString(),
                                           node.context ? tr("\nshown as the parent of runs the query matched; it does not match")
                                                        : QString(),
                                           alreadyTried(r) ? tr("\n\u21bb already tried: %1")
                                                                 .arg(alreadyTriedText(table_->tag(kAlreadyTriedTag)->text[size_t(r)]))
                                                           : QString());
        if (showsBest) {
            const MetricColumn& m = table_->metrics()[size_t(c.index)];
            return tr("%1: best of the runs beneath, %2 (%3; %4 is better)\nthis run's own: %5")
                .arg(m.key, numberText(best_[size_t(n)]), table_->name(bestRow_[size_t(n)]),
                     lowerIsBetter(m.key) ? tr("lower") : tr("higher"),
                     m.has(r) ? numberText(shownValue(m, c.stat, r)) : tr("none"));
        }
        if (c.kind == ColumnKind::MetricDelta) {
            const int b = baselineOf(r);
            return b >= 0 && b != r ? tr("against the baseline %1").arg(table_->name(b)) : QVariant();
        }
        if (c.kind == ColumnKind::Metric) {
            const MetricColumn& m = table_->metrics()[size_t(c.index)];
            if (!m.has(r))
                return {};
            const auto i = size_t(r);
            const QString mean = std::isnan(m.mean[i]) && m.min[i] <= m.max[i]
                ? tr("not known (not kept by the store, or +inf and -inf met)")
                : numberText(m.mean[i]);
            return tr("%1\nlast %2 (step %3)\nmin %4, max %5, mean %6\n%7 points%8")
                .arg(m.key, numberText(m.last[i]))
                .arg(m.lastStep[i])
                .arg(numberText(m.min[i]), numberText(m.max[i]), mean)
                .arg(m.count[i])
                .arg(c.stat == ShownStat::Last
                        ? QString()
                        : tr("\nthe column shows the %1: query it as metrics.%2%3")
                              .arg(labelOf(c.stat), m.key, querySuffixOf(c.stat)));
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
    const MetricColumn* metric = c.kind == ColumnKind::Metric ? &table_->metrics()[size_t(c.index)] : nullptr;
    if (role == Qt::ToolTipRole) {
        if (metric && !metric->expression.isEmpty())
            return tr("%1 = %2\nA derived metric (View ▸ Derived Metrics): the expression over each run's "
                      "last values; its curve is computed per step.")
                .arg(c.key, metric->expression);
        return c.key;
    }
    if (role == Qt::ForegroundRole && metric)
        return QColor(0x1e, 0x6f, 0xc8);
    // A derived metric's title reads as computed, not logged.
    if (role == Qt::FontRole && metric && !metric->expression.isEmpty()) {
        QFont italic;
        italic.setItalic(true);
        return italic;
    }
    return {};
}

} // namespace runlens::ui
