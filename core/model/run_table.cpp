// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_table.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "natural_compare.h"

#include <QSet>

#include <algorithm>

namespace runlens {

QString alreadyTriedText(const QString& tagValue)
{
    const QJsonValue text = QJsonDocument::fromJson(tagValue.toUtf8()).object().value(QStringLiteral("text"));
    return text.isString() ? text.toString() : tagValue;
}

QString durationText(int64_t ms)
{
    if (ms < 0)
        return {};
    // A sub-second run is common (a smoke test, a crashed start): "0s" hid it.
    if (ms < 1000)
        return QStringLiteral("%1 s").arg(QString::number(double(ms) / 1000.0, 'g', ms < 100 ? 1 : 2));
    if (ms < 10000)
        return QStringLiteral("%1 s").arg(QString::number(double(ms) / 1000.0, 'f', 1));
    const int64_t s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h %2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

bool ValueColumn::variesAcross(std::span<const int> rows) const
{
    if (rows.empty())
        return false;
    const int first = rows.front();
    return std::any_of(rows.begin(), rows.end(), [&](int r) {
        return has(r) != has(first) || (has(r) && text[size_t(r)] != text[size_t(first)]);
    });
}

QString statusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return QStringLiteral("running");
    case RunStatus::Finished:
        return QStringLiteral("finished");
    case RunStatus::Failed:
        return QStringLiteral("failed");
    case RunStatus::Killed:
        return QStringLiteral("killed");
    case RunStatus::Crashed:
        return QStringLiteral("crashed");
    }
    return QStringLiteral("finished");
}

std::optional<RunStatus> statusFromName(const QString& name)
{
    for (auto s : {RunStatus::Running, RunStatus::Finished, RunStatus::Failed, RunStatus::Killed, RunStatus::Crashed})
        if (name.compare(statusName(s), Qt::CaseInsensitive) == 0)
            return s;
    return std::nullopt;
}

int ValueColumn::distinctCount() const
{
    QSet<QString> seen;
    bool missing = false;
    for (size_t i = 0; i < present.size(); ++i) {
        if (present[i])
            seen.insert(text[i]);
        else
            missing = true;
    }
    return static_cast<int>(seen.size()) + (missing ? 1 : 0);
}

int RunTable::addRun(const QString& id, const QString& name, const QString& experiment, RunStatus status,
    int64_t startTime, int64_t endTime)
{
    const int row = rowCount();
    ids_.push_back(id);
    names_.push_back(name);
    parent_.emplace_back();
    int exp = static_cast<int>(experiments_.indexOf(experiment));
    if (exp < 0) {
        exp = static_cast<int>(experiments_.size());
        experiments_.append(experiment);
    }
    experimentIndex_.push_back(exp);
    status_.push_back(status);
    start_.push_back(startTime);
    end_.push_back(endTime);
    rowById_.insert(id, row);
    git_.emplace_back();
    environmentOf_.push_back(-1);
    notes_.emplace_back();
    hypothesis_.emplace_back();
    const auto n = static_cast<size_t>(rowCount());
    for (auto* cols : {&params_, &tags_, &data_}) {
        for (auto& c : *cols) {
            c.text.resize(n);
            c.number.resize(n, NAN);
            c.present.resize(n, 0);
        }
    }
    for (auto& m : metrics_) {
        m.last.resize(n, NAN);
        m.min.resize(n, NAN);
        m.max.resize(n, NAN);
        m.mean.resize(n, NAN);
        m.count.resize(n, 0);
        m.nanCount.resize(n, 0);
        m.lastStep.resize(n, 0);
    }
    return row;
}

int RunTable::column(std::vector<ValueColumn>& cols, QHash<QString, int>& index, const QString& key)
{
    auto it = index.constFind(key);
    if (it != index.constEnd())
        return *it;
    const int i = static_cast<int>(cols.size());
    index.insert(key, i);
    ValueColumn c;
    c.key = key;
    const auto n = static_cast<size_t>(rowCount());
    c.text.resize(n);
    c.number.resize(n, NAN);
    c.present.resize(n, 0);
    cols.push_back(std::move(c));
    return i;
}

int RunTable::paramColumn(const QString& key)
{
    return column(params_, paramIndex_, key);
}
int RunTable::tagColumn(const QString& key)
{
    return column(tags_, tagIndex_, key);
}

int RunTable::metricColumn(const QString& key)
{
    auto it = metricIndex_.constFind(key);
    if (it != metricIndex_.constEnd())
        return *it;
    const int i = static_cast<int>(metrics_.size());
    metricIndex_.insert(key, i);
    MetricColumn c;
    c.key = key;
    const auto n = static_cast<size_t>(rowCount());
    c.last.resize(n, NAN);
    c.min.resize(n, NAN);
    c.max.resize(n, NAN);
    c.mean.resize(n, NAN);
    c.count.resize(n, 0);
    c.nanCount.resize(n, 0);
    c.lastStep.resize(n, 0);
    metrics_.push_back(std::move(c));
    return i;
}

void RunTable::setParamAt(int column, int row, const QString& text, std::optional<double> number)
{
    ValueColumn& c = params_[static_cast<size_t>(column)];
    const auto r = static_cast<size_t>(row);
    c.text[r] = text;
    c.number[r] = number.value_or(NAN);
    c.present[r] = 1;
    if (!number)
        c.allNumeric = false;
}

void RunTable::setTagAt(int column, int row, const QString& value)
{
    setTextAt(tags_[static_cast<size_t>(column)], row, value);
}

int RunTable::dataColumn(const QString& name)
{
    return column(data_, dataIndex_, name);
}

void RunTable::setDataAt(int column, int row, const QString& version)
{
    setTextAt(data_[static_cast<size_t>(column)], row, version);
}

const ValueColumn* RunTable::dataVersion(const QString& name) const
{
    auto it = dataIndex_.constFind(name);
    return it == dataIndex_.constEnd() ? nullptr : &data_[static_cast<size_t>(*it)];
}

int RunTable::environmentIndex(const Environment& env)
{
    Environment sorted = env;
    std::sort(sorted.begin(), sorted.end());
    QString text;
    for (const auto& [key, value] : sorted) {
        text += key;
        text += QChar(0);
        text += value;
        text += QChar(0);
    }
    auto it = environmentByText_.constFind(text);
    if (it != environmentByText_.constEnd())
        return *it;
    const int index = static_cast<int>(environments_.size());
    environments_.push_back(std::move(sorted));
    environmentByText_.insert(text, index);
    return index;
}

QStringList RunTable::environmentKeys() const
{
    QSet<QString> seen;
    for (const auto& env : environments_)
        for (const auto& kv : env)
            seen.insert(kv.first);
    QStringList keys(seen.begin(), seen.end());
    std::sort(keys.begin(), keys.end(), [](const QString& a, const QString& b) { return naturalCompare(a, b) < 0; });
    return keys;
}

void RunTable::setTextAt(ValueColumn& c, int row, const QString& value)
{
    const auto r = static_cast<size_t>(row);
    c.text[r] = value;
    bool ok = false;
    const double d = value.toDouble(&ok);
    c.number[r] = ok ? d : NAN;
    c.present[r] = 1;
    if (!ok)
        c.allNumeric = false;
}

void RunTable::clearTagAt(int column, int row)
{
    ValueColumn& c = tags_[static_cast<size_t>(column)];
    const auto r = static_cast<size_t>(row);
    c.text[r].clear();
    c.number[r] = NAN;
    c.present[r] = 0;
}

bool RunTable::isStarred(int row) const
{
    const ValueColumn* c = tag(kStarredTag);
    return c && c->has(row);
}

bool RunTable::isTrashed(int row) const
{
    const ValueColumn* c = tag(kTrashedTag);
    return c && c->has(row);
}

void RunTable::setMetricAt(int column, int row, double last, double min, double max, int64_t count, int64_t lastStep,
    double mean, int64_t nanCount)
{
    MetricColumn& m = metrics_[static_cast<size_t>(column)];
    const auto r = static_cast<size_t>(row);
    m.last[r] = last;
    m.min[r] = min;
    m.max[r] = max;
    m.mean[r] = mean;
    m.nanCount[r] = nanCount;
    m.count[r] = count;
    m.lastStep[r] = lastStep;
}

const ValueColumn* RunTable::param(const QString& key) const
{
    auto it = paramIndex_.constFind(key);
    return it == paramIndex_.constEnd() ? nullptr : &params_[static_cast<size_t>(*it)];
}

const ValueColumn* RunTable::tag(const QString& key) const
{
    auto it = tagIndex_.constFind(key);
    return it == tagIndex_.constEnd() ? nullptr : &tags_[static_cast<size_t>(*it)];
}

const MetricColumn* RunTable::metric(const QString& key) const
{
    auto it = metricIndex_.constFind(key);
    return it == metricIndex_.constEnd() ? nullptr : &metrics_[static_cast<size_t>(*it)];
}

Result<std::vector<int>> RunTable::findRuns(const QStringList& idsOrNames) const
{
    std::vector<int> rows;
    for (const auto& which : idsOrNames) {
        const int row = findRun(which);
        if (row == -2)
            return Failure{QStringLiteral("'%1' matches several runs; give more of the id").arg(which)};
        if (row < 0)
            return Failure{QStringLiteral("no run '%1' (give an id, a unique id prefix or a unique name)").arg(which)};
        rows.push_back(row);
    }
    return rows;
}

int RunTable::findRun(const QString& idOrName) const
{
    if (idOrName.isEmpty())
        return -1;
    if (auto it = rowById_.constFind(idOrName); it != rowById_.constEnd())
        return *it;
    // A name typed in full says more than an id prefix that happens to match.
    const auto unique = [&](auto matches) {
        int found = -1;
        for (int r = 0; r < rowCount(); ++r)
            if (matches(r)) {
                if (found >= 0)
                    return -2;
                found = r;
            }
        return found;
    };
    if (const int byName = unique([&](int r) { return names_[size_t(r)] == idOrName; }); byName != -1)
        return byName;
    return unique([&](int r) { return ids_[size_t(r)].startsWith(idOrName); });
}

RunTable RunTable::merge(const std::vector<std::shared_ptr<const RunTable>>& tables)
{
    RunTable out;
    for (size_t t = 0; t < tables.size(); ++t) {
        const RunTable& in = *tables[t];
        const int base = out.rowCount();
        for (int r = 0; r < in.rowCount(); ++r) {
            const int row = out.addRun(in.id(r), in.name(r), in.experiment(r), in.status(r), in.startTime(r), in.endTime(r));
            out.setParentId(row, in.parentId(r));
            out.git_[size_t(row)] = in.git_[size_t(r)];
            out.notes_[size_t(row)] = in.notes_[size_t(r)];
            out.hypothesis_[size_t(row)] = in.hypothesis_[size_t(r)];
            out.storeIndex_.resize(size_t(row) + 1, 0);
            out.storeIndex_[size_t(row)] = int(t);
        }
        for (const auto& c : in.params_) {
            const int col = out.paramColumn(c.key);
            for (int r = 0; r < in.rowCount(); ++r)
                if (c.has(r))
                    out.setParamAt(col, base + r, c.text[size_t(r)],
                                   std::isnan(c.number[size_t(r)]) ? std::nullopt : std::optional(c.number[size_t(r)]));
        }
        for (const auto& c : in.tags_) {
            const int col = out.tagColumn(c.key);
            for (int r = 0; r < in.rowCount(); ++r)
                if (c.has(r))
                    out.setTagAt(col, base + r, c.text[size_t(r)]);
        }
        for (const auto& c : in.data_) {
            const int col = out.dataColumn(c.key);
            for (int r = 0; r < in.rowCount(); ++r)
                if (c.has(r))
                    out.setDataAt(col, base + r, c.text[size_t(r)]);
        }
        std::vector<int> environmentMap;
        environmentMap.reserve(in.environments_.size());
        for (const auto& env : in.environments_)
            environmentMap.push_back(out.environmentIndex(env));
        for (int r = 0; r < in.rowCount(); ++r)
            if (const int e = in.environmentOf_[size_t(r)]; e >= 0)
                out.environmentOf_[size_t(base + r)] = environmentMap[size_t(e)];
        for (const auto& m : in.metrics_) {
            const int col = out.metricColumn(m.key);
            for (int r = 0; r < in.rowCount(); ++r)
                if (m.has(r))
                    out.setMetricAt(col, base + r, m.last[size_t(r)], m.min[size_t(r)], m.max[size_t(r)],
                                    m.count[size_t(r)], m.lastStep[size_t(r)], m.mean[size_t(r)],
                                    m.nanCount[size_t(r)]);
        }
        // A text value that once read as a number keeps allNumeric honest.
        for (const auto& c : in.params_)
            if (!c.allNumeric)
                out.params_[size_t(out.paramIndex_.value(c.key))].allNumeric = false;
    }
    out.sortColumns();
    return out;
}

void RunTable::sortColumns()
{
    // Natural order, as run names sort: param_2 before param_10, layer9 before layer10.
    auto byKey = [](const auto& a, const auto& b) { return naturalCompare(a.key, b.key) < 0; };
    std::sort(params_.begin(), params_.end(), byKey);
    std::sort(tags_.begin(), tags_.end(), byKey);
    std::sort(metrics_.begin(), metrics_.end(), byKey);
    std::sort(data_.begin(), data_.end(), byKey);
    dataIndex_.clear();
    for (size_t i = 0; i < data_.size(); ++i)
        dataIndex_.insert(data_[i].key, static_cast<int>(i));
    paramIndex_.clear();
    tagIndex_.clear();
    metricIndex_.clear();
    for (size_t i = 0; i < params_.size(); ++i)
        paramIndex_.insert(params_[i].key, static_cast<int>(i));
    for (size_t i = 0; i < tags_.size(); ++i)
        tagIndex_.insert(tags_[i].key, static_cast<int>(i));
    for (size_t i = 0; i < metrics_.size(); ++i)
        metricIndex_.insert(metrics_[i].key, static_cast<int>(i));
}

} // namespace runlens
