// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_query.h"

#include "natural_compare.h"

#include <QDateTime>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace runlens {

QString QueryError::describe() const
{
    return QStringLiteral("column %1: %2").arg(position + 1).arg(message);
}

namespace {

// ---------------------------------------------------------------- lexing

enum class Tok { Ident, Number, String, Op, LParen, RParen, Comma, End };

struct Token {
    Tok kind = Tok::End;
    QString text; // identifier path (backticks removed), string contents, operator
    double number = 0;
    int pos = 0, len = 0;
};

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == u'_' || c == u'`';
}
bool isIdentChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u'-' || c == u'/' || c == u':' || c == u'@'
        || c == u'`';
}

struct LexResult {
    std::vector<Token> tokens;
    std::optional<QueryError> error;
};

LexResult lex(const QString& s)
{
    LexResult out;
    int i = 0;
    const int n = static_cast<int>(s.size());
    auto fail = [&](int pos, int len, QString msg) {
        out.error = QueryError{pos, len, std::move(msg)};
        return out;
    };
    while (i < n) {
        const QChar c = s[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        const int start = i;
        if (c == u'(' || c == u')' || c == u',') {
            out.tokens.push_back({c == u'(' ? Tok::LParen : c == u')' ? Tok::RParen : Tok::Comma, QString(c), 0, i, 1});
            ++i;
        } else if (c == u'\'' || c == u'"') {
            QString text;
            ++i;
            bool closed = false;
            while (i < n) {
                if (s[i] == u'\\' && i + 1 < n) {
                    text += s[i + 1];
                    i += 2;
                } else if (s[i] == c) {
                    closed = true;
                    ++i;
                    break;
                } else {
                    text += s[i++];
                }
            }
            if (!closed)
                return fail(start, n - start, QStringLiteral("this string has no closing %1").arg(c));
            out.tokens.push_back({Tok::String, text, 0, start, i - start});
        } else if (c.isDigit()
            || ((c == u'-' || c == u'+' || c == u'.') && i + 1 < n && (s[i + 1].isDigit() || s[i + 1] == u'.'))) {
            ++i;
            while (i < n && (s[i].isDigit() || s[i] == u'.'))
                ++i;
            if (i < n && (s[i] == u'e' || s[i] == u'E')) {
                int j = i + 1;
                if (j < n && (s[j] == u'-' || s[j] == u'+'))
                    ++j;
                if (j < n && s[j].isDigit()) {
                    i = j;
                    while (i < n && s[i].isDigit())
                        ++i;
                }
            }
            bool ok = false;
            const double v = s.mid(start, i - start).toDouble(&ok);
            if (!ok || (i < n && isIdentChar(s[i]) && s[i] != u'.'))
                return fail(start, i - start + 1,
                    QStringLiteral("'%1' is not a number; quote text values").arg(s.mid(start, i - start + 1)));
            out.tokens.push_back({Tok::Number, s.mid(start, i - start), v, start, i - start});
        } else if (isIdentStart(c)) {
            QString text;
            while (i < n && isIdentChar(s[i])) {
                if (s[i] == u'`') {
                    const int close = static_cast<int>(s.indexOf(u'`', i + 1));
                    if (close < 0)
                        return fail(i, n - i, QStringLiteral("this `quoted key` has no closing backtick"));
                    text += s.mid(i + 1, close - i - 1);
                    i = close + 1;
                } else {
                    text += s[i++];
                }
            }
            out.tokens.push_back({Tok::Ident, text, 0, start, i - start});
        } else {
            static const QStringList ops = {QStringLiteral("<="), QStringLiteral(">="), QStringLiteral("!="),
                QStringLiteral("=="), QStringLiteral("!~"), QStringLiteral("<>"), QStringLiteral("="),
                QStringLiteral("<"), QStringLiteral(">"), QStringLiteral("~")};
            bool matched = false;
            for (const auto& op : ops) {
                if (s.mid(i, op.size()) == op) {
                    QString norm = op == QLatin1String("==") ? QStringLiteral("=")
                        : op == QLatin1String("<>")          ? QStringLiteral("!=")
                                                             : op;
                    out.tokens.push_back({Tok::Op, norm, 0, i, static_cast<int>(op.size())});
                    i += static_cast<int>(op.size());
                    matched = true;
                    break;
                }
            }
            if (!matched)
                return fail(i, 1, QStringLiteral("unexpected character '%1'").arg(c));
        }
    }
    out.tokens.push_back({Tok::End, {}, 0, n, 0});
    return out;
}

// ---------------------------------------------------------------- syntax tree

enum class FieldKind { Param, Metric, Tag, Name, Id, Status, Experiment, StartTime, EndTime, Duration };
enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge, Match, NoMatch, In, NotIn };

struct Field {
    FieldKind kind = FieldKind::Name;
    QString path; // for params/metrics/tags: everything after the prefix
    int pos = 0, len = 0;
};

struct Literal {
    bool isNumber = false;
    double number = 0;
    QString text;
    int pos = 0, len = 0;
};

struct Node {
    enum Kind { And, Or, Not, Compare } kind = Compare;
    std::vector<std::unique_ptr<Node>> children;
    Field field;
    Cmp cmp = Cmp::Eq;
    std::vector<Literal> values;
    int opPos = 0;
};

struct OrderItem {
    Field field;
    bool descending = false;
};

} // namespace

struct RunQuery::Ast {
    std::unique_ptr<Node> where; // null: every run
    std::vector<OrderItem> order;
    std::optional<int> limit;
};

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

    std::unique_ptr<RunQuery::Ast> parse()
    {
        auto ast = std::make_unique<RunQuery::Ast>();
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

    std::unique_ptr<Node> parseOr()
    {
        auto left = parseAnd();
        while (left && isKeyword(peek(), "or")) {
            next();
            auto right = parseAnd();
            if (!right)
                return nullptr;
            auto node = std::make_unique<Node>();
            node->kind = Node::Or;
            node->children.push_back(std::move(left));
            node->children.push_back(std::move(right));
            left = std::move(node);
        }
        return left;
    }

    std::unique_ptr<Node> parseAnd()
    {
        auto left = parseUnary();
        while (left && isKeyword(peek(), "and")) {
            next();
            auto right = parseUnary();
            if (!right)
                return nullptr;
            auto node = std::make_unique<Node>();
            node->kind = Node::And;
            node->children.push_back(std::move(left));
            node->children.push_back(std::move(right));
            left = std::move(node);
        }
        return left;
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
                {"metric.", FieldKind::Metric}, {"tags.", FieldKind::Tag}, {"tag.", FieldKind::Tag}};
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
            {"end_time", FieldKind::EndTime}, {"duration", FieldKind::Duration}};
        for (const auto& [word, kind] : plain) {
            if (t.text.compare(QLatin1String(word), Qt::CaseInsensitive) == 0) {
                f.kind = kind;
                next();
                return true;
            }
        }
        failAt(t,
            QStringLiteral("unknown field '%1'; use params.X, metrics.X, tags.X, name, id, status, "
                           "experiment, start_time, end_time or duration")
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
    std::vector<Token> t_;
    size_t i_ = 0;
    int depth_ = 0;
};

// ---------------------------------------------------------------- evaluation

struct CellValue {
    bool present = false;
    double number = NAN; // NaN when not a number
    QString text;
};

using Getter = std::function<CellValue(int row)>;

enum class MetricStat { Last, Min, Max, Count, LastStep };

QString formatNumber(double v)
{
    return QString::number(v, 'g', 17);
}

// Resolves a field against the table; nullopt + error when the key is unknown.
std::optional<Getter> resolve(const Field& f, const RunTable& t, std::optional<QueryError>& error)
{
    auto unknown = [&](const QString& what) {
        error = QueryError{f.pos, f.len, what};
        return std::nullopt;
    };
    switch (f.kind) {
    case FieldKind::Param:
    case FieldKind::Tag: {
        const ValueColumn* c = f.kind == FieldKind::Param ? t.param(f.path) : t.tag(f.path);
        if (!c)
            return unknown(
                QStringLiteral("no run has %1 '%2'")
                    .arg(f.kind == FieldKind::Param ? QStringLiteral("param") : QStringLiteral("tag"), f.path));
        return Getter([c](int r) {
            return c->has(r) ? CellValue{true, c->number[size_t(r)], c->text[size_t(r)]} : CellValue{};
        });
    }
    case FieldKind::Metric: {
        const MetricColumn* c = t.metric(f.path);
        MetricStat stat = MetricStat::Last;
        if (!c) {
            static const std::pair<const char*, MetricStat> stats[]
                = {{".last", MetricStat::Last}, {".min", MetricStat::Min}, {".max", MetricStat::Max},
                    {".count", MetricStat::Count}, {".last_step", MetricStat::LastStep}};
            for (const auto& [suffix, s] : stats) {
                if (f.path.endsWith(QLatin1String(suffix))) {
                    c = t.metric(f.path.left(f.path.size() - static_cast<qsizetype>(std::strlen(suffix))));
                    stat = s;
                    if (c)
                        break;
                }
            }
        }
        if (!c)
            return unknown(QStringLiteral("no run has metric '%1'").arg(f.path));
        return Getter([c, stat](int r) {
            if (!c->has(r))
                return CellValue{};
            const auto i = size_t(r);
            const double v = stat == MetricStat::Last ? c->last[i]
                : stat == MetricStat::Min             ? c->min[i]
                : stat == MetricStat::Max             ? c->max[i]
                : stat == MetricStat::Count           ? double(c->count[i])
                                                      : double(c->lastStep[i]);
            return CellValue{true, v, formatNumber(v)};
        });
    }
    case FieldKind::Name:
        return Getter([&t](int r) { return CellValue{true, NAN, t.name(r)}; });
    case FieldKind::Id:
        return Getter([&t](int r) { return CellValue{true, NAN, t.id(r)}; });
    case FieldKind::Experiment:
        return Getter([&t](int r) { return CellValue{true, NAN, t.experiment(r)}; });
    case FieldKind::Status:
        return Getter([&t](int r) { return CellValue{true, NAN, statusName(t.status(r))}; });
    case FieldKind::StartTime:
        return Getter([&t](int r) { return CellValue{true, double(t.startTime(r)), QString::number(t.startTime(r))}; });
    case FieldKind::EndTime:
        return Getter([&t](int r) {
            return t.endTime(r) < 0 ? CellValue{}
                                    : CellValue{true, double(t.endTime(r)), QString::number(t.endTime(r))};
        });
    case FieldKind::Duration:
        return Getter([&t, now = QDateTime::currentMSecsSinceEpoch()](int r) {
            const int64_t end = t.endTime(r) < 0 ? now : t.endTime(r);
            const double secs = double(end - t.startTime(r)) / 1000.0;
            return CellValue{true, secs, formatNumber(secs)};
        });
    }
    return std::nullopt;
}

// Dates in queries on time fields: '2026-11-01', '2026-11-01 14:00', ISO 8601.
std::optional<double> parseTime(const QString& text)
{
    for (const auto* fmt : {"yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"}) {
        const auto dt = QDateTime::fromString(text, QLatin1String(fmt));
        if (dt.isValid())
            return double(dt.toMSecsSinceEpoch());
    }
    const auto iso = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (iso.isValid())
        return double(iso.toMSecsSinceEpoch());
    return std::nullopt;
}

using Predicate = std::function<bool(int row)>;

std::optional<Predicate> compile(const Node& node, const RunTable& table, std::optional<QueryError>& error)
{
    if (node.kind != Node::Compare) {
        std::vector<Predicate> kids;
        for (const auto& child : node.children) {
            auto p = compile(*child, table, error);
            if (!p)
                return std::nullopt;
            kids.push_back(std::move(*p));
        }
        if (node.kind == Node::Not)
            return Predicate([p = kids[0]](int r) { return !p(r); });
        if (node.kind == Node::And)
            return Predicate([a = kids[0], b = kids[1]](int r) { return a(r) && b(r); });
        return Predicate([a = kids[0], b = kids[1]](int r) { return a(r) || b(r); });
    }

    auto getter = resolve(node.field, table, error);
    if (!getter)
        return std::nullopt;
    const bool timeField = node.field.kind == FieldKind::StartTime || node.field.kind == FieldKind::EndTime;
    const bool caseless = node.field.kind == FieldKind::Status;

    std::vector<Literal> values = node.values;
    for (auto& lit : values) {
        if (timeField && !lit.isNumber) {
            const auto ms = parseTime(lit.text);
            if (!ms) {
                error = QueryError{lit.pos, lit.len,
                    QStringLiteral("'%1' is not a date; write it as '2026-11-01' or "
                                   "'2026-11-01 14:30'")
                        .arg(lit.text)};
                return std::nullopt;
            }
            lit.isNumber = true;
            lit.number = *ms;
        } else if (!lit.isNumber) {
            // A quoted number compares as a number against numeric values.
            bool ok = false;
            const double d = lit.text.toDouble(&ok);
            if (ok)
                lit.number = d;
            else
                lit.number = NAN;
        }
    }

    if (node.cmp == Cmp::Match || node.cmp == Cmp::NoMatch) {
        QRegularExpression re(values[0].text);
        if (!re.isValid()) {
            error = QueryError{
                values[0].pos, values[0].len, QStringLiteral("invalid regular expression: %1").arg(re.errorString())};
            return std::nullopt;
        }
        re.optimize();
        const bool want = node.cmp == Cmp::Match;
        return Predicate([get = *getter, re, want](int r) {
            const CellValue v = get(r);
            return v.present && re.match(v.text).hasMatch() == want;
        });
    }

    // Three-way comparison; nullopt when the two cannot be ordered.
    auto compare = [caseless](const CellValue& v, const Literal& lit) -> std::optional<int> {
        const bool litNumeric = lit.isNumber || !std::isnan(lit.number);
        if (litNumeric && !std::isnan(v.number)) {
            if (std::isnan(lit.number))
                return std::nullopt;
            return v.number < lit.number ? -1 : v.number > lit.number ? 1 : 0;
        }
        if (lit.isNumber && std::isnan(lit.number))
            return std::nullopt; // nan matches nothing, like in IEEE arithmetic
        return v.text.compare(lit.text, caseless ? Qt::CaseInsensitive : Qt::CaseSensitive);
    };

    const Cmp cmp = node.cmp;
    return Predicate([get = *getter, values, cmp, compare](int r) {
        const CellValue v = get(r);
        if (!v.present)
            return false;
        if (cmp == Cmp::In || cmp == Cmp::NotIn) {
            const bool found = std::any_of(values.begin(), values.end(), [&](const Literal& lit) {
                const auto c = compare(v, lit);
                return c && *c == 0;
            });
            return found == (cmp == Cmp::In);
        }
        const auto c = compare(v, values[0]);
        if (!c)
            return cmp == Cmp::Ne;
        switch (cmp) {
        case Cmp::Eq:
            return *c == 0;
        case Cmp::Ne:
            return *c != 0;
        case Cmp::Lt:
            return *c < 0;
        case Cmp::Le:
            return *c <= 0;
        case Cmp::Gt:
            return *c > 0;
        case Cmp::Ge:
            return *c >= 0;
        default:
            return false;
        }
    });
}

} // namespace

RunQuery::RunQuery(const QString& text)
    : text_(text)
{
    auto lexed = lex(text);
    if (lexed.error) {
        error_ = lexed.error;
        return;
    }
    Parser parser(std::move(lexed.tokens));
    ast_ = parser.parse();
    if (parser.error) {
        error_ = parser.error;
        ast_.reset();
    }
}

RunQuery::~RunQuery() = default;
RunQuery::RunQuery(RunQuery&&) noexcept = default;
RunQuery& RunQuery::operator=(RunQuery&&) noexcept = default;

bool RunQuery::hasOrder() const
{
    return ast_ && !ast_->order.empty();
}
std::optional<int> RunQuery::limit() const
{
    return ast_ ? ast_->limit : std::nullopt;
}

QStringList RunQuery::orderKeys() const
{
    QStringList keys;
    if (!ast_)
        return keys;
    for (const auto& item : ast_->order) {
        switch (item.field.kind) {
        case FieldKind::Param: keys << QStringLiteral("params.") + item.field.path; break;
        case FieldKind::Metric: keys << QStringLiteral("metrics.") + item.field.path; break;
        case FieldKind::Tag: keys << QStringLiteral("tags.") + item.field.path; break;
        default: keys << text_.mid(item.field.pos, item.field.len); break;
        }
    }
    return keys;
}

QuerySelection RunQuery::select(const RunTable& table) const
{
    QuerySelection out;
    if (error_) {
        out.error = error_;
        return out;
    }
    std::optional<Predicate> where;
    if (ast_ && ast_->where) {
        where = compile(*ast_->where, table, out.error);
        if (!where)
            return out;
    }
    for (int r = 0; r < table.rowCount(); ++r)
        if (!where || (*where)(r))
            out.rows.push_back(r);

    if (ast_ && !ast_->order.empty()) {
        struct Key {
            Getter get;
            bool descending;
        };
        std::vector<Key> keys;
        for (const auto& item : ast_->order) {
            auto g = resolve(item.field, table, out.error);
            if (!g) {
                out.rows.clear();
                return out;
            }
            keys.push_back({std::move(*g), item.descending});
        }
        // Cache the sort keys once per row instead of per comparison.
        std::vector<std::vector<CellValue>> cache(keys.size());
        for (size_t k = 0; k < keys.size(); ++k) {
            cache[k].resize(static_cast<size_t>(table.rowCount()));
            for (int r : out.rows)
                cache[k][size_t(r)] = keys[k].get(r);
        }
        std::stable_sort(out.rows.begin(), out.rows.end(), [&](int a, int b) {
            for (size_t k = 0; k < keys.size(); ++k) {
                const CellValue& x = cache[k][size_t(a)];
                const CellValue& y = cache[k][size_t(b)];
                if (x.present != y.present)
                    return x.present; // missing values last, either direction
                if (!x.present)
                    continue;
                int c;
                const bool xn = !std::isnan(x.number), yn = !std::isnan(y.number);
                if (xn && yn)
                    c = x.number < y.number ? -1 : x.number > y.number ? 1 : 0;
                else if (xn != yn)
                    return xn; // numbers before NaN / text
                else
                    c = naturalCompare(x.text, y.text);
                if (c != 0)
                    return keys[k].descending ? c > 0 : c < 0;
            }
            return false;
        });
    }
    if (ast_ && ast_->limit && out.rows.size() > size_t(*ast_->limit))
        out.rows.resize(size_t(*ast_->limit));
    return out;
}

} // namespace runlens
