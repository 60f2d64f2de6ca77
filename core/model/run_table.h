// SPDX-License-Identifier: GPL-3.0-or-later
// The columnar in-memory model of a store's runs: what the run table, the
// query language and the CLI read. One column per param, tag and metric
// summary, each a typed vector indexed by row, so 10,000 runs x 70 columns
// stay compact and a column scans fast.
//
// Threading: built on a loader thread, then read-only; share it as
// std::shared_ptr<const RunTable> across threads.
#pragma once

#include "result.h"

#include "runlens/run_status.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace runlens {

QString statusName(RunStatus status);
// A duration as people read it: 0.4 s, 3.2 s, 42 s, 3m 05s, 2h 10m; empty when negative.
QString durationText(int64_t ms);
std::optional<RunStatus> statusFromName(const QString& name);

// The lab notebook's marks are reserved tags, so that every view, query,
// export and other tool's overlay carries them without a field of their own.
inline const QString kStarredTag = QStringLiteral("runlens.starred");
inline const QString kTrashedTag = QStringLiteral("runlens.trashed");   // value: when, ISO 8601 UTC
// value: the promotion record, JSON (core/notebook/promotion.h)
inline const QString kCandidateTag = QStringLiteral("runlens.candidate");
// value: the logger's "already tried" record, JSON with a "text" in words
// (core/logger/include/runlens/already_tried.h): the run's config had run before.
inline const QString kAlreadyTriedTag = QStringLiteral("runlens.already_tried");
// That record's words ("this config ran 3 times before, ..."); the value
// itself when it is not the JSON the logger writes.
QString alreadyTriedText(const QString& tagValue);

// A param or tag column. Values are kept as text (as logged) and, where they
// read as numbers (int, float, bool), as a double too for sorting and queries.
struct ValueColumn {
    QString key;
    std::vector<QString> text; // empty where missing
    std::vector<double> number; // NaN where missing or not a number
    std::vector<uint8_t> present;
    bool allNumeric = true; // every present value reads as a number

    bool has(int row) const { return present[static_cast<size_t>(row)] != 0; }
    int distinctCount() const; // over present values; missing counts as one more value
    // True when the value differs across `rows`. A run without the key differs
    // from one with it: "missing" is a value of its own. The one rule for "the
    // params that vary" (parallel axes, seed groups, reports, the CLI's table).
    bool variesAcross(std::span<const int> rows) const;
};

// Summary of one metric key for every run (count 0: the run has no such metric).
struct MetricColumn {
    QString key;
    std::vector<double> last, min, max;
    std::vector<double> mean; // NaN where unknown (run_details.h says when)
    std::vector<int64_t> count, lastStep;
    std::vector<int64_t> nanCount; // points that were NaN (a watch tells a NaN that came and went)
    // A derived metric (core/query/derived_metrics.h): what it computes from
    // the run's metrics and params. Empty for a logged metric.
    QString expression;

    bool has(int row) const { return count[static_cast<size_t>(row)] > 0; }
};

// The code a run ran: its commit and branch (empty when not recorded) and
// whether the working tree had uncommitted changes (-1: not recorded, as
// other tools keep the commit but not the tree's state).
struct RunGit {
    QString commit, branch;
    int8_t dirty = -1;
    bool present() const { return !commit.isEmpty() || !branch.isEmpty(); }
};

// One run's environment (host, os, gpu.0, python, package.NAME, ...), sorted
// by key. Runs of one machine and one virtualenv share theirs whole, so a
// table keeps each distinct environment once and each run points at its own.
using Environment = std::vector<std::pair<QString, QString>>;

class RunTable {
public:
    // Appends a run and returns its row; param/tag/metric cells start missing.
    int addRun(const QString& id, const QString& name, const QString& experiment, RunStatus status, int64_t startTime,
        int64_t endTime);

    int rowCount() const { return static_cast<int>(ids_.size()); }
    const QString& id(int row) const { return ids_[size_t(row)]; }
    const QString& name(int row) const { return names_[size_t(row)]; }
    const QString& experiment(int row) const { return experiments_[experimentIndex_[size_t(row)]]; }
    RunStatus status(int row) const { return status_[size_t(row)]; }
    int64_t startTime(int row) const { return start_[size_t(row)]; }
    int64_t endTime(int row) const { return end_[size_t(row)]; } // -1 while running
    const QString& parentId(int row) const { return parent_[size_t(row)]; }
    void setParentId(int row, const QString& parent) { parent_[size_t(row)] = parent; }
    void setName(int row, const QString& name) { names_[size_t(row)] = name; }
    const QStringList& experiments() const { return experiments_; }

    // Columns. A reader that fills many cells asks for a column index once
    // per key and then sets cells by index.
    int paramColumn(const QString& key);
    int tagColumn(const QString& key);
    int metricColumn(const QString& key);
    void setParamAt(int column, int row, const QString& text, std::optional<double> number);
    void setTagAt(int column, int row, const QString& value);
    // The tag is no longer there (a removed tag; the column stays).
    void clearTagAt(int column, int row);
    void setMetricAt(int column, int row, double last, double min, double max, int64_t count, int64_t lastStep,
        double mean = NAN, int64_t nanCount = 0);
    // Marks a metric column as derived from `expression`.
    void setMetricExpression(int column, const QString& expression) { metrics_[size_t(column)].expression = expression; }

    void setParam(int row, const QString& key, const QString& text, std::optional<double> number)
    {
        setParamAt(paramColumn(key), row, text, number);
    }
    void setTag(int row, const QString& key, const QString& value) { setTagAt(tagColumn(key), row, value); }
    void setMetric(int row, const QString& key, double last, double min, double max, int64_t count, int64_t lastStep,
        double mean = NAN, int64_t nanCount = 0)
    {
        setMetricAt(metricColumn(key), row, last, min, max, count, lastStep, mean, nanCount);
    }

    const std::vector<ValueColumn>& params() const { return params_; }
    const std::vector<ValueColumn>& tags() const { return tags_; }
    const std::vector<MetricColumn>& metrics() const { return metrics_; }
    const ValueColumn* param(const QString& key) const;
    const ValueColumn* tag(const QString& key) const;
    const MetricColumn* metric(const QString& key) const;

    // Everything else recorded about a run that queries reach: data versions
    // (a column per data name, like tags), git state, the environment, and
    // the notebook's text. Missing until a reader sets them.
    int dataColumn(const QString& name);
    void setDataAt(int column, int row, const QString& version);
    void setData(int row, const QString& name, const QString& version) { setDataAt(dataColumn(name), row, version); }
    const std::vector<ValueColumn>& dataVersions() const { return data_; }
    const ValueColumn* dataVersion(const QString& name) const;

    const RunGit& git(int row) const { return git_[size_t(row)]; }
    void setGit(int row, RunGit git) { git_[size_t(row)] = std::move(git); }

    // The index of an environment among the table's (added when new).
    int environmentIndex(const Environment& env);
    void setEnvironmentIndex(int row, int index) { environmentOf_[size_t(row)] = index; }
    void setEnvironment(int row, const Environment& env) { setEnvironmentIndex(row, environmentIndex(env)); }
    // -1: none recorded.
    int environmentIndexOf(int row) const { return environmentOf_[size_t(row)]; }
    const std::vector<Environment>& environments() const { return environments_; }
    // Every key any run's environment has, in natural order.
    QStringList environmentKeys() const;

    const QString& notes(int row) const { return notes_[size_t(row)]; }
    const QString& hypothesis(int row) const { return hypothesis_[size_t(row)]; }
    void setNotes(int row, const QString& text) { notes_[size_t(row)] = text; }
    void setHypothesis(int row, const QString& text) { hypothesis_[size_t(row)] = text; }

    // Row of a run: by id, by name, or by unique id prefix, in that order (a
    // run named "a2" is that run, though another's id may start with a2).
    // -1 if none; -2 if ambiguous (two runs of that name, or of that prefix).
    int findRun(const QString& idOrName) const;
    // Row of the run with exactly this id, or -1 (no prefixes, no names).
    int rowOfId(const QString& id) const { return rowById_.value(id, -1); }
    // The notebook's marks, kept as reserved tags (core/notebook/run_edit.h).
    bool isStarred(int row) const;
    bool isTrashed(int row) const;
    // Rows of several runs named that way, in the order given; a failure
    // says which one is missing or ambiguous.
    Result<std::vector<int>> findRuns(const QStringList& idsOrNames) const;

    // Keeps column order stable after loading: keys in natural order (param_2 before param_10).
    void sortColumns();

    // Several stores side by side: their runs in one table, each row
    // remembering the store it came from (its index in `tables`).
    static RunTable merge(const std::vector<std::shared_ptr<const RunTable>>& tables);
    int storeIndex(int row) const { return storeIndex_.empty() ? 0 : storeIndex_[size_t(row)]; }

private:
    int column(std::vector<ValueColumn>& cols, QHash<QString, int>& index, const QString& key);
    static void setTextAt(ValueColumn& c, int row, const QString& value);

    std::vector<QString> ids_, names_, parent_;
    std::vector<int> storeIndex_;
    std::vector<int> experimentIndex_;
    QStringList experiments_;
    std::vector<RunStatus> status_;
    std::vector<int64_t> start_, end_;
    std::vector<ValueColumn> params_, tags_, data_;
    std::vector<MetricColumn> metrics_;
    QHash<QString, int> paramIndex_, tagIndex_, metricIndex_, dataIndex_, rowById_;
    std::vector<RunGit> git_;
    std::vector<int> environmentOf_;
    std::vector<Environment> environments_;
    QHash<QString, int> environmentByText_;   // an environment's keys and values, joined -> its index
    std::vector<QString> notes_, hypothesis_;
};

} // namespace runlens
