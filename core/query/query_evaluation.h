// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluating a syntax tree against a run table: a field resolves to a getter
// of its cell, a condition compiles to a predicate over rows. An unknown key
// is an error with its position.
#pragma once

#include "query_ast.h"
#include "run_query.h"

#include <cmath>
#include <functional>

namespace runlens::query {

struct CellValue {
    bool present = false;
    double number = NAN; // NaN when not a number
    QString text;
};

using Getter = std::function<CellValue(int row)>;

using Predicate = std::function<bool(int row)>;

// Resolves a field against the table; nullopt and `error` when the key is
// unknown. `context` (may be null) gives each row its baseline: without it,
// baseline.X and welch_p are missing for every run.
std::optional<Getter> resolve(const Field& field, const RunTable& table, const QueryContext* context,
                              std::optional<QueryError>& error);
// A computed value (arithmetic over fields and numbers) as a getter: a
// missing or text operand, or NaN out of 0/0, is a missing value.
std::optional<Getter> valueOf(const Expr& expr, const RunTable& table, const QueryContext* context,
                              std::optional<QueryError>& error);
// The one arithmetic of Add, Sub, Mul and Div, for rows and for steps alike.
double arithmetic(Expr::Kind kind, double x, double y);

std::optional<Predicate> compile(const Node& node, const RunTable& table, const QueryContext* context,
                                 std::optional<QueryError>& error);

} // namespace runlens::query
