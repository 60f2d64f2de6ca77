// SPDX-License-Identifier: GPL-3.0-or-later
// Parsing a query's tokens into its syntax tree (syntax only: keys are
// resolved against a table by evaluation).
#pragma once

#include "query_ast.h"
#include "query_lexer.h"

namespace runlens::query {

struct ParseResult {
    std::unique_ptr<Ast> ast;
    std::optional<QueryError> error;
};

ParseResult parse(std::vector<Token> tokens);

struct ExprParseResult {
    std::unique_ptr<Expr> expr;
    std::optional<QueryError> error;
};
// An arithmetic expression alone, with nothing after it.
ExprParseResult parseExpression(std::vector<Token> tokens);

} // namespace runlens::query
