// SPDX-License-Identifier: GPL-3.0-or-later
#include "query_parser.h"

#include <algorithm>
#include <cmath>

namespace runlens::query {

namespace {

bool isKeyword(const Token& t, const char* word)
{
    return t.kind == Tok::Ident && t.text.compare(QLatin1String(word), Qt::CaseInsensitive) == 0;
}

class Parser {
public:
    explicit Parser(std::vector<Token> tokens)
        : t_(std::move(tokens))
    {
    }

    std::unique_ptr<Ast> parse()
    {
        auto ast = std::make_unique<Ast>();
        if (!atOrderOrLimit() && peek().kind != Tok::End)
            ast->where = parseOr();
        if (error)
            return nullptr;
        if (isKeyword(peek(), "order")) {
            next();
            if (!isKeyword(peek(), "by"))
                return failAt(peek(), QStringLiteral("expected 'by' after 'order'"));
            next();
            do {
                OrderItem item;
                if (!parseField(item.field))
                    return nullptr;
                if (isKeyword(peek(), "desc")) {
                    item.descending = true;
                    next();
                } else if (isKeyword(peek(), "asc")) {
                    next();
                }
                ast->order.push_back(std::move(item));
            } while (peek().kind == Tok::Comma && (next(), true));
        }
        if (isKeyword(peek(), "limit")) {
            next();
            const Token& n = peek();
            if (n.kind != Tok::Number || n.number < 0 || n.number != std::floor(n.number))
                return failAt(n, QStringLiteral("expected a whole number after 'limit'"));
            ast->limit = static_cast<int>(std::min(n.number, 2e9));
            next();
        }
        if (peek().kind != Tok::End) {
            const Token& t = peek();
            return failAt(t,
                t.kind == Tok::RParen ? QStringLiteral("this ')' has no matching '('")
                                      : QStringLiteral("unexpected '%1'; expected and, or, order by "
                                                       "or limit")
                                            .arg(t.text));
        }
        return ast;
    }

    std::optional<QueryError> error;

private:
    const Token& peek() const { return t_[i_]; }
    const Token& next() { return t_[i_ < t_.size() - 1 ? i_++ : i_]; }
    bool atOrderOrLimit() const { return isKeyword(peek(), "order") || isKeyword(peek(), "limit"); }

    std::nullptr_t failAt(const Token& t, QString message)
    {
        if (!error)
            error = QueryError{t.pos, std::max(1, t.len), std::move(message)};
        return nullptr;
    }

    // "a or b or c" is one node with three children, not a chain two
    // deep per term: thousands of terms (a pasted list of ids) stay flat, so
    // compiling and evaluating them is linear and needs no deep stack.
    std::unique_ptr<Node> parseOr() { return parseList(Node::Or, "or", &Parser::parseAnd); }
    std::unique_ptr<Node> parseAnd() { return parseList(Node::And, "and", &Parser::parseUnary); }

    std::unique_ptr<Node> parseList(Node::Kind kind, const char* keyword, std::unique_ptr<Node> (Parser::*term)())
    {
        auto first = (this->*term)();
        if (!first || !isKeyword(peek(), keyword))
            return first;
        auto node = std::make_unique<Node>();
        node->kind = kind;
        node->children.push_back(std::move(first));
        while (isKeyword(peek(), keyword)) {
            if (int(node->children.size()) >= kMaxTerms)
                return failAt(peek(), QStringLiteral("the query has more than %1 terms joined by '%2'; "
                                                     "narrow it, or use 'in (...)' for a list of values")
                                          .arg(kMaxTerms)
                                          .arg(QLatin1String(keyword)));
            next();
            auto another = (this->*term)();
            if (!another)
                return nullptr;
            node->children.push_back(std::move(another));
        }
        return node;
    }

    std::unique_ptr<Node> parseUnary()
    {
        // Bounded recursion: a hostile query of 100,000 '(' is an error, not a stack overflow.
        if (++depth_ > kMaxDepth)
            return failAt(peek(), QStringLiteral("the query nests deeper than %1 levels").arg(kMaxDepth));
        struct Leave {
            int& d;
            ~Leave() { --d; }
        } leave{depth_};
        if (isKeyword(peek(), "not")) {
            next();
            auto inner = parseUnary();
            if (!inner)
                return nullptr;
            auto node = std::make_unique<Node>();
            node->kind = Node::Not;
            node->children.push_back(std::move(inner));
            return node;
        }
        if (peek().kind == Tok::LParen) {
            const Token open = next();
            auto inner = parseOr();
            if (!inner)
                return nullptr;
            if (peek().kind != Tok::RParen)
                return failAt(open, QStringLiteral("this '(' is never closed"));
            next();
            return inner;
        }
        return parseComparison();
    }

    bool parseField(Field& f)
    {
        const Token& t = peek();
        if (t.kind != Tok::Ident || isKeyword(t, "and") || isKeyword(t, "or") || isKeyword(t, "not")) {
            failAt(t,
                t.kind == Tok::End ? QStringLiteral("the query ends where a field was expected")
                                   : QStringLiteral("expected a field such as params.lr, metrics.loss, "
                                                    "tags.X, name or status"));
            return false;
        }
        f.pos = t.pos;
        f.len = t.len;
        static const std::pair<const char*, FieldKind> prefixes[]
            = {{"params.", FieldKind::Param}, {"param.", FieldKind::Param}, {"metrics.", FieldKind::Metric},
                {"metric.", FieldKind::Metric}, {"tags.", FieldKind::Tag}, {"tag.", FieldKind::Tag},
                {"data.", FieldKind::Data}, {"env.", FieldKind::Env}};
        for (const auto& [prefix, kind] : prefixes) {
            if (t.text.startsWith(QLatin1String(prefix), Qt::CaseInsensitive)) {
                f.kind = kind;
                f.path = t.text.mid(static_cast<qsizetype>(std::strlen(prefix)));
                if (f.path.isEmpty()) {
                    failAt(t, QStringLiteral("'%1' needs a key after the dot").arg(t.text));
                    return false;
                }
                next();
                return true;
            }
        }
        static const std::pair<const char*, FieldKind> plain[] = {{"name", FieldKind::Name}, {"id", FieldKind::Id},
            {"status", FieldKind::Status}, {"experiment", FieldKind::Experiment}, {"start_time", FieldKind::StartTime},
            {"end_time", FieldKind::EndTime}, {"duration", FieldKind::Duration}, {"git.commit", FieldKind::GitCommit},
            {"git.branch", FieldKind::GitBranch}, {"git.dirty", FieldKind::GitDirty}, {"notes", FieldKind::Notes},
            {"hypothesis", FieldKind::Hypothesis}, {"starred", FieldKind::Starred}, {"trashed", FieldKind::Trashed},
            {"parent", FieldKind::Parent}, {"is_parent", FieldKind::IsParent}, {"seeds", FieldKind::Seeds},
            {"seed_group", FieldKind::SeedGroup}};
        for (const auto& [word, kind] : plain) {
            if (t.text.compare(QLatin1String(word), Qt::CaseInsensitive) == 0) {
                f.kind = kind;
                next();
                return true;
            }
        }
        if (t.text.startsWith(QLatin1String("git."), Qt::CaseInsensitive)) {
            failAt(t, QStringLiteral("unknown field '%1'; use git.commit, git.branch or git.dirty").arg(t.text));
            return false;
        }
        failAt(t,
            QStringLiteral("unknown field '%1'; use params.X, metrics.X, tags.X, data.X, env.X, name, id, status, "
                           "experiment, start_time, end_time, duration, git.commit, git.branch, git.dirty, notes, "
                           "hypothesis, starred, trashed, parent, is_parent, seeds or seed_group")
                .arg(t.text));
        return false;
    }

    bool parseLiteral(Literal& lit)
    {
        const Token& t = peek();
        lit.pos = t.pos;
        lit.len = t.len;
        if (t.kind == Tok::Number) {
            lit.isNumber = true;
            lit.number = t.number;
            lit.text = t.text;
        } else if (t.kind == Tok::String) {
            lit.text = t.text;
        } else if (t.kind == Tok::Ident && !isKeyword(t, "and") && !isKeyword(t, "or") && !isKeyword(t, "order")
            && !isKeyword(t, "limit")) {
            lit.text = t.text; // a bare word: finished, relu, true
            if (t.text.compare(QLatin1String("inf"), Qt::CaseInsensitive) == 0) {
                lit.isNumber = true;
                lit.number = INFINITY;
            } else if (t.text.compare(QLatin1String("nan"), Qt::CaseInsensitive) == 0) {
                lit.isNumber = true;
                lit.number = NAN;
            }
        } else {
            failAt(t,
                t.kind == Tok::End ? QStringLiteral("the query ends where a value was expected")
                                   : QStringLiteral("expected a value (a number, a 'quoted string' or a word)"));
            return false;
        }
        next();
        return true;
    }

    std::unique_ptr<Node> parseComparison()
    {
        auto node = std::make_unique<Node>();
        if (!parseField(node->field))
            return nullptr;
        const Token& op = peek();
        node->opPos = op.pos;
        // A yes/no field stands alone as a condition: "starred and not trashed".
        const FieldKind k = node->field.kind;
        if ((k == FieldKind::Starred || k == FieldKind::Trashed || k == FieldKind::IsParent || k == FieldKind::GitDirty)
            && (op.kind == Tok::End || op.kind == Tok::RParen || isKeyword(op, "and") || isKeyword(op, "or")
                || atOrderOrLimit())) {
            Literal yes;
            yes.text = QStringLiteral("true");
            yes.pos = node->field.pos;
            yes.len = node->field.len;
            node->cmp = Cmp::Eq;
            node->values.push_back(std::move(yes));
            return node;
        }
        bool negatedIn = false;
        if (isKeyword(op, "not")) {
            next();
            if (!isKeyword(peek(), "in"))
                return failAt(peek(), QStringLiteral("expected 'in' after 'not'"));
            negatedIn = true;
        }
        if (isKeyword(peek(), "in")) {
            next();
            node->cmp = negatedIn ? Cmp::NotIn : Cmp::In;
            if (peek().kind != Tok::LParen)
                return failAt(peek(), QStringLiteral("expected '(' after 'in'"));
            next();
            do {
                Literal lit;
                if (!parseLiteral(lit))
                    return nullptr;
                node->values.push_back(std::move(lit));
            } while (peek().kind == Tok::Comma && (next(), true));
            if (peek().kind != Tok::RParen)
                return failAt(peek(), QStringLiteral("expected ',' or ')' in the list"));
            next();
            return node;
        }
        if (op.kind != Tok::Op)
            return failAt(op,
                op.kind == Tok::End ? QStringLiteral("the query ends after a field; expected an "
                                                     "operator such as = or <")
                                    : QStringLiteral("expected an operator (= != < <= > >= ~ in) "
                                                     "after the field"));
        static const std::pair<const char*, Cmp> ops[] = {{"=", Cmp::Eq}, {"!=", Cmp::Ne}, {"<", Cmp::Lt},
            {"<=", Cmp::Le}, {">", Cmp::Gt}, {">=", Cmp::Ge}, {"~", Cmp::Match}, {"!~", Cmp::NoMatch}};
        for (const auto& [text, cmp] : ops)
            if (op.text == QLatin1String(text))
                node->cmp = cmp;
        next();
        Literal lit;
        if (!parseLiteral(lit))
            return nullptr;
        node->values.push_back(std::move(lit));
        return node;
    }

    static constexpr int kMaxDepth = 200;
    static constexpr int kMaxTerms = 20000;
    std::vector<Token> t_;
    size_t i_ = 0;
    int depth_ = 0;
};

} // namespace

ParseResult parse(std::vector<Token> tokens)
{
    Parser parser(std::move(tokens));
    ParseResult result;
    result.ast = parser.parse();
    result.error = parser.error;
    if (result.error)
        result.ast.reset();
    return result;
}

} // namespace runlens::query
