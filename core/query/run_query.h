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
// experiment whose params are the same but for seed keys, seed_keys.h) and
// seed_group (that group's number, 1, 2, ... in table order). Keys with other
// characters go in backticks: params.`my key`. A run without the field never
// matches a comparison. Keywords are case-insensitive.
//
// Parsing only checks the syntax; select() resolves keys against a table, so
// an unknown key is reported with its position too. No SQL is ever involved:
// the query runs over the in-memory RunTable.
#pragma once

#include "run_table.h"

#include <QString>

#include <memory>
#include <optional>
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

    // The rows of `table` that match, in the query's order (else table order).
    QuerySelection select(const RunTable& table) const;

private:
    QString text_;
    std::optional<QueryError> error_;
    std::unique_ptr<query::Ast> ast_;
};

} // namespace runlens
