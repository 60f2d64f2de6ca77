// SPDX-License-Identifier: GPL-3.0-or-later
// The run query language:
//
//   params.lr < 1e-3 and (status = finished or tags.stage in (prod, 'canary'))
//     and name ~ '^sweep' order by metrics.val_auc desc limit 10
//
// Boolean: and, or, not, parentheses. Comparisons: = != < <= > >= , `in (...)`,
// `not in (...)`, `~` / `!~` (regular expression). Fields: params.K, tags.K,
// metrics.K (last value; metrics.K.min / .max / .count / .last_step), name, id,
// status, experiment, start_time, end_time (a number of ms, or a quoted date
// such as '2026-11-01 14:00'), duration (seconds); what else was recorded:
// data.NAME (a data version), env.KEY (env.host, env.gpu.0, env.python,
// env.package.NAME, also written env.packages.NAME), git.commit, git.branch,
// git.dirty, notes, hypothesis (text; `~` finds words in them), starred,
// trashed, is_parent (yes/no fields, which stand alone as conditions:
// `starred and not trashed`), parent (the parent run's id: the runs of a
// sweep), seeds (how many runs share the run's seed group: the runs of its
// store and experiment, the trash left out, whose params are the same but
// for seed keys, seed_keys.h) and
// seed_group (that group's number, 1, 2, ... in table order). Keys with other
// characters go in backticks: params.`my key`. A run without the field never
// matches a comparison. Keywords are case-insensitive.
//
// Promotion rules compare a run with its experiment's baseline:
//
//   metrics.val_auc >= baseline.val_auc + 0.005 and seeds >= 3 and welch_p < 0.05
//
// baseline.X is field X of the baseline run (a bare key is a metric:
// baseline.val_auc; baseline.params.lr names any other field), is_baseline
// says which run it is; seed_mean.M and seed_sd.M are metric M over the run's
// seed group's finished runs, and welch_p.M is the two-sided p of Welch's t-test between the
// run's seed group and the baseline's (1 for the baseline's own group;
// missing when a group has fewer than 2 values). A bare welch_p tests the
// metric the query compares with the baseline. Either side of a comparison
// may compute: + - * / and parentheses over fields and numbers (a missing or
// text operand leaves the run out; arithmetic signs need spaces around them
// where a key could hold them: metrics.a - metrics.b).
//
// Parsing only checks the syntax; select() resolves keys against a table, so
// an unknown key is reported with its position too. No SQL is ever involved:
// the query runs over the in-memory RunTable.
#pragma once

#include "run_table.h"

#include <QString>

#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace runlens {

namespace query {
struct Ast;
}

struct QueryError {
    int position = 0; // 0-based offset into the query text
    int length = 1;
    QString message;
    // "column 12: expected a value after '<'"
    QString describe() const;
    bool operator==(const QueryError&) const = default;
};

// What a query sees beyond the table: for each row, the row of its
// experiment's baseline run in the same store, or -1. Used only during
// select()/test(). One context serves one table: it also keeps the seed
// groups the first query that needs them computes, so the fields of a rule
// (seeds, seed_mean, welch_p) and every rule checked with it share them.
struct QueryContext {
    std::vector<int> baselineRows;
    mutable std::shared_ptr<const void> seedGroups;   // query_evaluation.cpp's, for this context's table
};

struct QuerySelection {
    std::vector<int> rows; // matching rows, ordered, limited
    std::optional<QueryError> error;
};

class RunQuery {
public:
    explicit RunQuery(const QString& text = {});
    ~RunQuery();
    RunQuery(RunQuery&&) noexcept;
    RunQuery& operator=(RunQuery&&) noexcept;

    const QString& text() const { return text_; }
    bool isValid() const { return !error_.has_value(); }
    const std::optional<QueryError>& error() const { return error_; }
    bool hasOrder() const;
    std::optional<int> limit() const;
    // The fields of `order by`, as written ("metrics.val_auc"), first key first.
    QStringList orderKeys() const;
    // The syntax tree (null when the query did not parse), for a store that
    // narrows what it loads by it (core/team/team_run_filter.h).
    const query::Ast* ast() const { return ast_.get(); }

    // Why `text` cannot be a promotion rule (which says which runs qualify):
    // bad syntax, an order by or limit, or over kMaxRuleLength; else nullopt.
    static std::optional<QueryError> ruleError(const QString& text);
    static constexpr qsizetype kMaxRuleLength = 4096;

    // The rows of `table` that match, in the query's order (else table order).
    QuerySelection select(const RunTable& table, const QueryContext* context = nullptr) const;
    // Whether each of `rows` matches (the where part only: order and limit
    // do not apply); an error when the query does not resolve.
    std::optional<QueryError> test(const RunTable& table, const QueryContext* context, std::span<const int> rows,
                                   std::vector<bool>& matches) const;

private:
    QString text_;
    std::optional<QueryError> error_;
    std::unique_ptr<query::Ast> ast_;
};

} // namespace runlens
