// SPDX-License-Identifier: GPL-3.0-or-later
// The query language's tokens: identifiers (with `backticked` parts),
// numbers, quoted strings, operators and punctuation, each with its position
// in the text for error messages.
#pragma once

#include "run_query.h"

#include <QString>

#include <optional>
#include <vector>

namespace runlens::query {

enum class Tok { Ident, Number, String, Op, LParen, RParen, Comma, End };

struct Token {
    Tok kind = Tok::End;
    QString text; // identifier path (backticks removed), string contents, operator
    double number = 0;
    int pos = 0, len = 0;
};

struct LexResult {
    std::vector<Token> tokens;
    std::optional<QueryError> error;
};

LexResult lex(const QString& text);

} // namespace runlens::query
