// SPDX-License-Identifier: GPL-3.0-or-later
#include "team_run_filter.h"

#include "query_ast.h"
#include "run_query.h"

#include <QStringList>

#include <cmath>
#include <functional>

namespace runlens {

using namespace query;

namespace {

// Fields whose value for one run depends on other runs, or that the team
// store keeps in a form the condition does not read: a table narrowed by
// anything would answer differently for them.
bool needsEveryRun(const Field& f)
{
    if (f.ofBaseline)
        return true;
    switch (f.kind) {
    case FieldKind::Seeds:
    case FieldKind::SeedGroup:
    case FieldKind::IsBaseline:
    case FieldKind::WelchP:
    case FieldKind::SeedMean:
    case FieldKind::SeedSd:
    case FieldKind::IsParent:
    case FieldKind::Env:
        return true;
    default:
        return false;
    }
}

bool anyField(const Expr& e, const std::function<bool(const Field&)>& test)
{
    return (e.kind == Expr::FieldRef && test(e.field)) || (e.left && anyField(*e.left, test))
        || (e.right && anyField(*e.right, test));
}

bool anyField(const Node& n, const std::function<bool(const Field&)>& test)
{
    for (const auto& c : n.children)
        if (anyField(*c, test))
            return true;
    if (n.kind != Node::Compare)
        return false;
    return (n.lhs ? anyField(*n.lhs, test) : test(n.field)) || (n.rhs && anyField(*n.rhs, test));
}

// A literal as the in-memory evaluator takes it: a number when it is one or
// reads as one ('0.5' quoted), else text.
std::optional<double> numberOf(const Literal& lit)
{
    if (lit.isNumber)
        return lit.number;
    bool ok = false;
    const double d = lit.text.toDouble(&ok);
    return ok ? std::optional<double>(d) : std::nullopt;
}

bool anyNumber(const std::vector<Literal>& values)
{
    return std::any_of(values.begin(), values.end(), [](const Literal& l) { return numberOf(l).has_value(); });
}

class Compiler {
public:
    QVariantList values;

    // nullopt: this part lets every run through.
    std::optional<QString> compile(const Node& n)
    {
        switch (n.kind) {
        case Node::And: {
            QStringList parts;
            for (const auto& c : n.children)
                if (auto part = compile(*c))
                    parts << *part;
            if (parts.isEmpty())
                return std::nullopt;
            return QStringLiteral("(%1)").arg(parts.join(QStringLiteral(" AND ")));
        }
        case Node::Or: {
            // Values bound by a part dropped later stay in the list: compiled
            // into a copy, kept only when every part narrows.
            QStringList parts;
            const QVariantList before = values;
            for (const auto& c : n.children) {
                auto part = compile(*c);
                if (!part) {
                    values = before;
                    return std::nullopt;
                }
                parts << *part;
            }
            return QStringLiteral("(%1)").arg(parts.join(QStringLiteral(" OR ")));
        }
        case Node::Not:
            // The negation of a superset is no superset.
            return std::nullopt;
        case Node::Compare:
            return comparison(n);
        }
        return std::nullopt;
    }

private:
    QString bind(const QVariant& value)
    {
        values << value;
        return QStringLiteral("?");
    }

    QString textList(const std::vector<Literal>& literals)
    {
        QStringList marks;
        for (const auto& lit : literals)
            marks << bind(lit.text);
        return marks.join(QStringLiteral(", "));
    }

    std::optional<QString> comparison(const Node& n)
    {
        if (n.lhs || n.rhs || n.values.empty())
            return std::nullopt; // arithmetic, field against field
        const Field& f = n.field;
        const bool equality = n.cmp == Cmp::Eq || n.cmp == Cmp::In;
        switch (f.kind) {
        case FieldKind::Param:
        case FieldKind::Tag:
        case FieldKind::Data: {
            // A run without the key never matches any comparison, != included.
            const char* table = f.kind == FieldKind::Param ? "params" : f.kind == FieldKind::Tag ? "tags" : "data_versions";
            const char* key = f.kind == FieldKind::Data ? "name" : "key";
            const char* value = f.kind == FieldKind::Data ? "version" : "value";
            QString sql = QStringLiteral("EXISTS (SELECT 1 FROM %1 x WHERE x.run_id = r.id AND x.%2 = %3")
                              .arg(QLatin1String(table), QLatin1String(key), bind(f.path));
            // Equal to words: the same text, byte for byte (numbers compare
            // as numbers, which their texts do not tell).
            if (equality && !anyNumber(n.values))
                sql += QStringLiteral(" AND x.%1 IN (%2)").arg(QLatin1String(value), textList(n.values));
            return sql + QLatin1Char(')');
        }
        case FieldKind::Metric:
            return metric(n);
        case FieldKind::Name:
        case FieldKind::Id:
        case FieldKind::Experiment: {
            // Compared as text, case and all.
            if (!equality)
                return std::nullopt;
            const char* column = f.kind == FieldKind::Name ? "r.name" : f.kind == FieldKind::Id ? "r.id" : "e.name";
            return QStringLiteral("%1 IN (%2)").arg(QLatin1String(column), textList(n.values));
        }
        case FieldKind::Status: {
            if (!equality)
                return std::nullopt;
            // A run stored as running shows as crashed once its logger is
            // gone: both are let through for either.
            QStringList stored;
            for (const auto& lit : n.values) {
                const QString s = lit.text.toLower();
                stored << s;
                if (s == QLatin1String("crashed"))
                    stored << QStringLiteral("running");
            }
            QStringList marks;
            for (const auto& s : stored)
                marks << bind(s);
            return QStringLiteral("r.status IN (%1)").arg(marks.join(QStringLiteral(", ")));
        }
        default:
            return std::nullopt;
        }
    }

    std::optional<QString> metric(const Node& n)
    {
        const QString& path = n.field.path;
        auto exists = [&](const QString& key, const QString& extra = {}) {
            return QStringLiteral("EXISTS (SELECT 1 FROM metrics m WHERE m.run_id = r.id AND m.key = %1 AND m.count > 0%2)")
                .arg(bind(key), extra);
        };
        // metrics.K.min and the like read K's summary when no metric is
        // named K.min: either may be the one.
        for (const char* suffix : {".last", ".min", ".max", ".mean", ".count", ".last_step"})
            if (path.endsWith(QLatin1String(suffix))) {
                const QString whole = exists(path);
                return QStringLiteral("(%1 OR %2)").arg(whole, exists(path.left(path.size() - qsizetype(qstrlen(suffix)))));
            }
        // Its last value against one number, as a number: the bound text has
        // every digit, so the server compares the same doubles.
        static const std::pair<Cmp, const char*> ops[]
            = {{Cmp::Eq, "="}, {Cmp::Lt, "<"}, {Cmp::Le, "<="}, {Cmp::Gt, ">"}, {Cmp::Ge, ">="}};
        for (const auto& [cmp, op] : ops)
            if (n.cmp == cmp && n.values.size() == 1)
                if (const auto number = numberOf(n.values.front()); number && !std::isnan(*number)) {
                    const QString key = bind(path);
                    const QString bound = bind(QString::number(*number, 'g', 17));
                    return QStringLiteral("EXISTS (SELECT 1 FROM metrics m WHERE m.run_id = r.id AND m.key = %1 AND "
                                          "m.count > 0 AND m.last_value %2 %3::float8)")
                        .arg(key, QLatin1String(op), bound);
                }
        return exists(path);
    }
};

} // namespace

std::optional<TeamRunFilter> teamRunFilter(const RunQuery& query)
{
    const Ast* ast = query.ast();
    if (!query.isValid() || !ast || !ast->where)
        return std::nullopt;
    if (anyField(*ast->where, needsEveryRun))
        return std::nullopt;
    for (const auto& item : ast->order)
        if (needsEveryRun(item.field))
            return std::nullopt;
    Compiler compiler;
    const auto condition = compiler.compile(*ast->where);
    if (!condition)
        return std::nullopt;
    return TeamRunFilter{*condition, compiler.values};
}

} // namespace runlens
