// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_query.h"

#include "natural_compare.h"
#include "query_evaluation.h"
#include "query_lexer.h"
#include "query_parser.h"

#include <algorithm>
#include <cmath>

namespace runlens {

using namespace query;

QString QueryError::describe() const
{
    return QStringLiteral("column %1: %2").arg(position + 1).arg(message);
}

RunQuery::RunQuery(const QString& text)
    : text_(text)
{
    auto lexed = lex(text);
    if (lexed.error) {
        error_ = lexed.error;
        return;
    }
    auto parsed = query::parse(std::move(lexed.tokens));
    error_ = parsed.error;
    ast_ = std::move(parsed.ast);
}

RunQuery::~RunQuery() = default;
RunQuery::RunQuery(RunQuery&&) noexcept = default;
RunQuery& RunQuery::operator=(RunQuery&&) noexcept = default;

std::optional<QueryError> RunQuery::ruleError(const QString& text)
{
    if (text.size() > kMaxRuleLength)
        return QueryError{int(kMaxRuleLength), 1,
                          QStringLiteral("a rule is at most %1 characters; this one is %2").arg(kMaxRuleLength).arg(text.size())};
    const RunQuery query(text);
    if (query.error())
        return query.error();
    if (query.hasOrder() || query.limit())
        return QueryError{0, int(text.size()), QStringLiteral("a rule says which runs qualify; it takes no order by or limit")};
    return std::nullopt;
}

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
        if (item.field.ofBaseline) {
            keys << text_.mid(item.field.pos, item.field.len);
            continue;
        }
        switch (item.field.kind) {
        case FieldKind::Param: keys << QStringLiteral("params.") + item.field.path; break;
        case FieldKind::Metric: keys << QStringLiteral("metrics.") + item.field.path; break;
        case FieldKind::Tag: keys << QStringLiteral("tags.") + item.field.path; break;
        case FieldKind::Data: keys << QStringLiteral("data.") + item.field.path; break;
        case FieldKind::Env: keys << QStringLiteral("env.") + item.field.path; break;
        default: keys << text_.mid(item.field.pos, item.field.len); break;
        }
    }
    return keys;
}

std::optional<QueryError> RunQuery::test(const RunTable& table, const QueryContext* context, std::span<const int> rows,
                                         std::vector<bool>& matches) const
{
    matches.assign(rows.size(), false);
    if (error_)
        return error_;
    std::optional<QueryError> error;
    std::optional<Predicate> where;
    if (ast_ && ast_->where) {
        where = compile(*ast_->where, table, context, error);
        if (!where)
            return error;
    }
    for (size_t i = 0; i < rows.size(); ++i)
        matches[i] = !where || (*where)(rows[i]);
    return std::nullopt;
}

QuerySelection RunQuery::select(const RunTable& table, const QueryContext* context) const
{
    QuerySelection out;
    if (error_) {
        out.error = error_;
        return out;
    }
    std::optional<Predicate> where;
    if (ast_ && ast_->where) {
        where = compile(*ast_->where, table, context, out.error);
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
            auto g = resolve(item.field, table, context, out.error);
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
