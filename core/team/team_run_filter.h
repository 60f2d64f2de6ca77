// SPDX-License-Identifier: GPL-3.0-or-later
// A query (core/query/) as a condition the team store's server evaluates, so
// that a command selecting a few runs out of 100,000 reads those few. The
// condition is a superset: it leaves out only runs the query cannot select,
// and the query is then evaluated on what loads exactly as on a file, so the
// answer is the in-memory evaluator's by construction. What it cannot judge
// in SQL (regular expressions, arithmetic, dates, negations) it lets through;
// a query whose answer for one run depends on the other runs (seed groups,
// baselines, welch_p, is_parent) or on environments is not narrowed at all.
// User text only ever goes in as bound values.
#pragma once

#include <QString>
#include <QVariantList>

#include <optional>

namespace runlens {

class RunQuery;

struct TeamRunFilter {
    // Over `runs r JOIN experiments e ON e.id = r.experiment_id`, with `?`
    // for each of `values` in order.
    QString condition;
    QVariantList values;
};

// nullopt: every run must load (the query is invalid, selects by other runs,
// or nothing in it narrows).
std::optional<TeamRunFilter> teamRunFilter(const RunQuery& query);

} // namespace runlens
