// SPDX-License-Identifier: GPL-3.0-or-later
#include "query_parser.h"

#include <algorithm>
#include <cmath>
#include <functional>

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
        if (ast->where && !nameWelchMetric(*ast->where))
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
        for (auto& item : ast->order)
            if (item.field.kind == FieldKind::WelchP && item.field.path.isEmpty()) {
                error = QueryError{item.field.pos, item.field.len,
                                   QStringLiteral("order by welch_p needs its metric: welch_p.METRIC")};
                return nullptr;
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

    // A computed value alone (a derived metric): `1 - metrics.val_acc`.
    std::unique_ptr<Expr> parseExpressionOnly()
    {
        if (peek().kind == Tok::End)
            return failAt(peek(), QStringLiteral("the expression is empty; write one such as 1 - metrics.val_acc"));
        auto e = parseSum();
        if (!e)
            return nullptr;
        if (peek().kind != Tok::End) {
            const Token& t = peek();
            return failAt(t, t.kind == Tok::RParen ? QStringLiteral("this ')' has no matching '('")
                                                   : QStringLiteral("unexpected '%1'; an expression computes with "
                                                                    "+ - * / over fields and numbers")
                                                         .arg(t.text));
        }
        return e;
    }

    std::optional<QueryError> error;

private:
    // A bare `welch_p` tests the metric the rule compares with its baseline
    // (`metrics.val_auc >= baseline.val_auc + 0.005 and welch_p < 0.05`), or
    // else the one metric it names; with none or several, it must be named.
    bool nameWelchMetric(Node& root)
    {
        std::vector<Field*> bare;
        QStringList againstBaseline, named;
        auto visitField = [&](Field& f) {
            if (f.kind == FieldKind::WelchP && f.path.isEmpty())
                bare.push_back(&f);
            // seed_mean.M and seed_sd.M name metric M as much as metrics.M does.
            const bool metric = f.kind == FieldKind::Metric || f.kind == FieldKind::SeedMean || f.kind == FieldKind::SeedSd;
            if (metric && !(f.ofBaseline ? againstBaseline : named).contains(f.path))
                (f.ofBaseline ? againstBaseline : named) << f.path;
        };
        std::function<void(Expr&)> visitExpr = [&](Expr& e) {
            if (e.kind == Expr::FieldRef)
                visitField(e.field);
            if (e.left)
                visitExpr(*e.left);
            if (e.right)
                visitExpr(*e.right);
        };
        std::function<void(Node&)> visit = [&](Node& n) {
            for (auto& c : n.children)
                visit(*c);
            if (n.kind != Node::Compare)
                return;
            if (n.lhs)
                visitExpr(*n.lhs);
            else
                visitField(n.field);
            if (n.rhs)
                visitExpr(*n.rhs);
        };
        visit(root);
        if (bare.empty())
            return true;
        const QStringList& candidates = !againstBaseline.isEmpty() ? againstBaseline : named;
        if (candidates.size() != 1) {
            error = QueryError{bare.front()->pos, bare.front()->len,
                candidates.isEmpty() ? QStringLiteral("welch_p needs a metric to test: write welch_p.METRIC, such as welch_p.val_auc")
                                     : QStringLiteral("welch_p could test %1: write welch_p.%2")
                                           .arg(candidates.join(QStringLiteral(" or ")), candidates.front())};
            return false;
        }
        for (Field* f : bare)
            f->path = candidates.front();
        return true;
    }

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

    // One level of nesting (a parenthesis, a not, a sign) for as long as it is parsed.
    struct Level {
        int& depth;
        explicit Level(int& d)
            : depth(++d)
        {
        }
        ~Level() { --depth; }
        Level(const Level&) = delete;
        Level& operator=(const Level&) = delete;
    };
    bool tooDeep()
    {
        if (depth_ <= kMaxDepth)
            return false;
        failAt(peek(), QStringLiteral("the query nests deeper than %1 levels").arg(kMaxDepth));
        return true;
    }

    std::unique_ptr<Node> parseUnary()
    {
        // Bounded recursion: a hostile query of 100,000 '(' is an error, not a stack overflow.
        const Level level(depth_);
        if (tooDeep())
            return nullptr;
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
            // "(a = 1 or b = 2)" groups conditions; "(metrics.a - metrics.b) * 2 > 1"
            // groups arithmetic. Conditions first; failing that, a computed comparison.
            const size_t start = i_;
            const Token open = next();
            auto inner = parseOr();
            if (inner && peek().kind == Tok::RParen) {
                next();
                return inner;
            }
            const auto conditionError = inner ? QueryError{open.pos, 1, QStringLiteral("this '(' is never closed")} : *error;
            i_ = start;
            error.reset();
            if (auto computed = parseComputedComparison())
                return computed;
            // Whichever reading got further says what is wrong.
            if (!error || error->position < conditionError.position)
                error = conditionError;
            return nullptr;
        }
        if (peek().kind == Tok::Number || (isArithmetic(peek()) && peek().text == QLatin1String("-")))
            return parseComputedComparison();   // "1 - metrics.acc < 0.02"
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
        if (!fieldOf(t, t.text, f))
            return false;
        next();
        return true;
    }

    // `text` (the token's, or what follows "baseline.") as a field.
    bool fieldOf(const Token& t, const QString& text, Field& f)
    {
        if (text.startsWith(QLatin1String("baseline."), Qt::CaseInsensitive) && !f.ofBaseline) {
            f.ofBaseline = true;
            const QString rest = text.mid(9);
            if (rest.isEmpty()) {
                failAt(t, QStringLiteral("'baseline.' needs a field or a metric after the dot"));
                return false;
            }
            // baseline.val_auc is the baseline's metric; baseline.params.lr and
            // the like name any other field.
            if (isFieldWord(rest))
                return fieldOf(t, rest, f);
            f.kind = FieldKind::Metric;
            f.path = rest;
            return true;
        }
        static const std::pair<const char*, FieldKind> prefixes[]
            = {{"params.", FieldKind::Param}, {"param.", FieldKind::Param}, {"metrics.", FieldKind::Metric},
                {"metric.", FieldKind::Metric}, {"tags.", FieldKind::Tag}, {"tag.", FieldKind::Tag},
                {"data.", FieldKind::Data}, {"env.", FieldKind::Env}, {"welch_p.", FieldKind::WelchP},
                {"seed_mean.", FieldKind::SeedMean}, {"seed_sd.", FieldKind::SeedSd}};
        for (const auto& [prefix, kind] : prefixes) {
            if (text.startsWith(QLatin1String(prefix), Qt::CaseInsensitive)) {
                f.kind = kind;
                f.path = text.mid(static_cast<qsizetype>(std::strlen(prefix)));
                if (f.path.isEmpty()) {
                    failAt(t, QStringLiteral("'%1' needs a key after the dot").arg(text));
                    return false;
                }
                return true;
            }
        }
        static const std::pair<const char*, FieldKind> plain[] = {{"name", FieldKind::Name}, {"id", FieldKind::Id},
            {"status", FieldKind::Status}, {"experiment", FieldKind::Experiment}, {"start_time", FieldKind::StartTime},
            {"end_time", FieldKind::EndTime}, {"duration", FieldKind::Duration}, {"git.commit", FieldKind::GitCommit},
            {"git.branch", FieldKind::GitBranch}, {"git.dirty", FieldKind::GitDirty}, {"notes", FieldKind::Notes},
            {"hypothesis", FieldKind::Hypothesis}, {"starred", FieldKind::Starred}, {"trashed", FieldKind::Trashed},
            {"parent", FieldKind::Parent}, {"is_parent", FieldKind::IsParent}, {"seeds", FieldKind::Seeds},
            {"seed_group", FieldKind::SeedGroup}, {"is_baseline", FieldKind::IsBaseline},
            {"welch_p", FieldKind::WelchP}};
        for (const auto& [word, kind] : plain) {
            if (text.compare(QLatin1String(word), Qt::CaseInsensitive) == 0) {
                f.kind = kind;
                return true;
            }
        }
        if (text.startsWith(QLatin1String("git."), Qt::CaseInsensitive)) {
            failAt(t, QStringLiteral("unknown field '%1'; use git.commit, git.branch or git.dirty").arg(text));
            return false;
        }
        failAt(t,
            QStringLiteral("unknown field '%1'; use params.X, metrics.X, tags.X, data.X, env.X, name, id, status, "
                           "experiment, start_time, end_time, duration, git.commit, git.branch, git.dirty, notes, "
                           "hypothesis, starred, trashed, parent, is_parent, seeds, seed_group, baseline.X, "
                           "is_baseline, welch_p, seed_mean.X or seed_sd.X")
                .arg(text));
        return false;
    }

    // A word that names a field rather than being a bare value: used where
    // either may stand (after "baseline.", and right of an operator, where
    // `status = finished` is a value but `x >= baseline.x` a field).
    static bool isFieldWord(const QString& text)
    {
        static const char* const prefixes[] = {"params.", "param.", "metrics.", "metric.", "tags.", "tag.", "data.",
            "env.", "baseline.", "welch_p.", "seed_mean.", "seed_sd.", "git."};
        for (const char* prefix : prefixes)
            if (text.startsWith(QLatin1String(prefix), Qt::CaseInsensitive))
                return true;
        static const char* const words[] = {"name", "id", "status", "experiment", "start_time", "end_time",
            "duration", "notes", "hypothesis", "starred", "trashed", "parent", "is_parent", "seeds", "seed_group",
            "is_baseline", "welch_p"};
        for (const char* word : words)
            if (text.compare(QLatin1String(word), Qt::CaseInsensitive) == 0)
                return true;
        return false;
    }

    static bool isArithmetic(const Token& t)
    {
        return t.kind == Tok::Op
            && (t.text == QLatin1String("+") || t.text == QLatin1String("-") || t.text == QLatin1String("*")
                || t.text == QLatin1String("/"));
    }
    // "x -1": the lexer reads a signed number; after a value it is a sum.
    static bool isSignedNumber(const Token& t)
    {
        return t.kind == Tok::Number && (t.text.startsWith(u'-') || t.text.startsWith(u'+'));
    }

    static std::unique_ptr<Expr> fieldExpr(const Field& f)
    {
        auto e = std::make_unique<Expr>();
        e->kind = Expr::FieldRef;
        e->field = f;
        e->pos = f.pos;
        e->len = f.len;
        return e;
    }
    static std::unique_ptr<Expr> join(Expr::Kind kind, std::unique_ptr<Expr> l, std::unique_ptr<Expr> r)
    {
        auto e = std::make_unique<Expr>();
        e->kind = kind;
        e->pos = l->pos;
        e->len = r->pos + r->len - l->pos;
        e->left = std::move(l);
        e->right = std::move(r);
        return e;
    }

    // Each operator deepens the tree that evaluation recurses through: a
    // pasted chain of 30,000 "+ 1" overflowed the stack. Far past any rule.
    bool countOperator(const Token& op)
    {
        if (++operators_ <= kMaxOperators)
            return true;
        failAt(op, QStringLiteral("the query computes with more than %1 operators").arg(kMaxOperators));
        return false;
    }

    // sum := product (('+' | '-') product)*, continuing from `first` when given.
    std::unique_ptr<Expr> parseSum(std::unique_ptr<Expr> first = nullptr)
    {
        auto left = parseProduct(std::move(first));
        while (left && (isArithmetic(peek()) || isSignedNumber(peek()))) {
            const Token& op = peek();
            if (!countOperator(op))
                return nullptr;
            if (op.kind == Tok::Number) {
                // "x -1 * 2": the signed number starts a product that is added.
                auto n = std::make_unique<Expr>();
                n->number = op.number;
                n->pos = op.pos;
                n->len = op.len;
                next();
                auto right = parseProduct(std::move(n));
                if (!right)
                    return nullptr;
                left = join(Expr::Add, std::move(left), std::move(right));
                continue;
            }
            if (op.text != QLatin1String("+") && op.text != QLatin1String("-"))
                break;
            const Expr::Kind kind = op.text == QLatin1String("+") ? Expr::Add : Expr::Sub;
            next();
            auto right = parseProduct();
            if (!right)
                return nullptr;
            left = join(kind, std::move(left), std::move(right));
        }
        return left;
    }

    std::unique_ptr<Expr> parseProduct(std::unique_ptr<Expr> first = nullptr)
    {
        auto left = first ? std::move(first) : parseFactor();
        while (left && isArithmetic(peek()) && (peek().text == QLatin1String("*") || peek().text == QLatin1String("/"))) {
            if (!countOperator(peek()))
                return nullptr;
            const Expr::Kind kind = peek().text == QLatin1String("*") ? Expr::Mul : Expr::Div;
            next();
            auto right = parseFactor();
            if (!right)
                return nullptr;
            left = join(kind, std::move(left), std::move(right));
        }
        return left;
    }

    std::unique_ptr<Expr> parseFactor()
    {
        const Level level(depth_);
        if (tooDeep())
            return nullptr;
        const Token& t = peek();
        if (isArithmetic(t) && t.text == QLatin1String("-")) {
            const int pos = t.pos;
            next();
            auto inner = parseFactor();
            if (!inner)
                return nullptr;
            auto e = std::make_unique<Expr>();
            e->kind = Expr::Negate;
            e->pos = pos;
            e->len = inner->pos + inner->len - pos;
            e->left = std::move(inner);
            return e;
        }
        if (t.kind == Tok::Number) {
            auto e = std::make_unique<Expr>();
            e->number = t.number;
            e->pos = t.pos;
            e->len = t.len;
            next();
            return e;
        }
        if (t.kind == Tok::LParen) {
            const Token open = next();
            auto inner = parseSum();
            if (!inner)
                return nullptr;
            if (peek().kind != Tok::RParen)
                return failAt(open, QStringLiteral("this '(' is never closed"));
            next();
            return inner;
        }
        if (t.kind == Tok::Ident && isFieldWord(t.text)) {
            Field f;
            if (!parseField(f))
                return nullptr;
            return fieldExpr(f);
        }
        return failAt(t,
            t.kind == Tok::End ? QStringLiteral("the query ends where a value was expected")
                               : QStringLiteral("expected a number, a field such as metrics.X or baseline.X, or '('"));
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
        if (isArithmetic(op) || isSignedNumber(op)) {
            node->lhs = parseSum(fieldExpr(node->field));
            if (!node->lhs)
                return nullptr;
            return parseValueComparison(std::move(node));
        }
        if ((k == FieldKind::Starred || k == FieldKind::Trashed || k == FieldKind::IsParent || k == FieldKind::GitDirty
                || k == FieldKind::IsBaseline)
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
        if (!takeComparisonOperator(*node))
            return nullptr;
        // Right of the operator: a value as before, or something to compute
        // (another field, arithmetic, parentheses).
        // Only prefixed keys are fields here: `name = notes` and `status = parent`
        // compare with the word, as they always did.
        const Token& v = peek();
        const bool computed = v.kind == Tok::LParen || (v.kind == Tok::Ident && isFieldWord(v.text) && v.text.contains(u'.'))
            || (isArithmetic(v) && v.text == QLatin1String("-"))
            || ((v.kind == Tok::Number) && (isArithmetic(t_[std::min(i_ + 1, t_.size() - 1)])
                                               || isSignedNumber(t_[std::min(i_ + 1, t_.size() - 1)])));
        if (computed && node->cmp != Cmp::Match && node->cmp != Cmp::NoMatch) {
            node->rhs = parseSum();
            if (!node->rhs)
                return nullptr;
            if (isBareValue(*node->rhs))
                takeAsLiteral(*node);
            return node;
        }
        Literal lit;
        if (!parseLiteral(lit))
            return nullptr;
        node->values.push_back(std::move(lit));
        return node;
    }

    // A comparison whose left side starts with a number or a parenthesis.
    std::unique_ptr<Node> parseComputedComparison()
    {
        auto node = std::make_unique<Node>();
        node->lhs = parseSum();
        if (!node->lhs)
            return nullptr;
        node->field = firstField(*node->lhs);
        return parseValueComparison(std::move(node));
    }

    static Field firstField(const Expr& e)
    {
        if (e.kind == Expr::FieldRef)
            return e.field;
        for (const Expr* child : {e.left.get(), e.right.get()})
            if (child)
                if (Field f = firstField(*child); f.len > 0)
                    return f;
        Field none;
        none.pos = e.pos;
        return none;
    }

    // After an arithmetic left side: one of = != < <= > >= and a value.
    std::unique_ptr<Node> parseValueComparison(std::unique_ptr<Node> node)
    {
        const Token& op = peek();
        node->opPos = op.pos;
        if (op.kind != Tok::Op || op.text == QLatin1String("~") || op.text == QLatin1String("!~"))
            return failAt(op, op.kind == Tok::End ? QStringLiteral("the query ends after a value; expected an "
                                                                    "operator such as = or <")
                                                  : QStringLiteral("expected = != < <= > or >= after the value"));
        if (!takeComparisonOperator(*node))
            return nullptr;
        node->rhs = parseSum();
        return node->rhs ? std::move(node) : nullptr;
    }

    bool takeComparisonOperator(Node& node)
    {
        const Token& op = peek();
        static const std::pair<const char*, Cmp> ops[] = {{"=", Cmp::Eq}, {"!=", Cmp::Ne}, {"<", Cmp::Lt},
            {"<=", Cmp::Le}, {">", Cmp::Gt}, {">=", Cmp::Ge}, {"~", Cmp::Match}, {"!~", Cmp::NoMatch}};
        bool found = false;
        for (const auto& [text, cmp] : ops)
            if (op.text == QLatin1String(text)) {
                node.cmp = cmp;
                found = true;
            }
        if (!found) {
            failAt(op, QStringLiteral("'%1' is arithmetic; compare with = != < <= > or >=").arg(op.text));
            return false;
        }
        next();
        return true;
    }

    // A right side that is a plain number after all ("x > -(1)" is rare; "x > 1" never gets here).
    static bool isBareValue(const Expr& e) { return e.kind == Expr::Number; }
    static void takeAsLiteral(Node& node)
    {
        Literal lit;
        lit.isNumber = true;
        lit.number = node.rhs->number;
        lit.text = QString::number(lit.number, 'g', 17);
        lit.pos = node.rhs->pos;
        lit.len = node.rhs->len;
        node.values.push_back(std::move(lit));
        node.rhs.reset();
    }

    static constexpr int kMaxDepth = 200;
    static constexpr int kMaxTerms = 20000;
    static constexpr int kMaxOperators = 1000;
    int operators_ = 0;
    std::vector<Token> t_;
    size_t i_ = 0;
    int depth_ = 0;
};

} // namespace

ExprParseResult parseExpression(std::vector<Token> tokens)
{
    Parser parser(std::move(tokens));
    ExprParseResult result;
    result.expr = parser.parseExpressionOnly();
    result.error = parser.error;
    if (result.error)
        result.expr.reset();
    return result;
}

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
