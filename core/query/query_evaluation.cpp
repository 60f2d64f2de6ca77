// SPDX-License-Identifier: GPL-3.0-or-later
#include "query_evaluation.h"

#include "natural_compare.h"
#include "sample_statistics.h"
#include "seed_keys.h"

#include <QDateTime>
#include <QSet>
#include <QRegularExpression>

#include <algorithm>
#include <cstring>
#include <memory>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace runlens::query {

namespace {

enum class MetricStat { Last, Min, Max, Mean, Count, LastStep };

QString formatNumber(double v)
{
    return QString::number(v, 'g', 17);
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

CellValue boolCell(bool b)
{
    return CellValue{true, b ? 1.0 : 0.0, b ? QStringLiteral("true") : QStringLiteral("false")};
}

CellValue textCell(const QString& text)
{
    bool ok = false;
    const double d = text.toDouble(&ok);
    return CellValue{true, ok ? d : NAN, text};
}

// Seed groups over the whole table: runs of one store and experiment whose
// params are the same but for their seeds (seed_keys.h). A run in the trash
// joins no group: a discarded seed is not a repeat. Per row, its group's
// number (1, 2, ... in table order) and its group's size.
struct SeedGroups {
    std::vector<int> group, size;
};

std::shared_ptr<const SeedGroups> computeSeedGroups(const RunTable& t)
{
    auto out = std::make_shared<SeedGroups>();
    std::vector<const ValueColumn*> config;
    const QStringList seedKeys = defaultSeedKeys();
    for (const auto& c : t.params())
        if (!isSeedKey(c.key, seedKeys))
            config.push_back(&c);
    const auto rows = size_t(t.rowCount());
    // Runs grouped by a hash of their config, checked cell by cell against
    // the group's first run: no key string is built per run (building them
    // took most of a rule check: 60-100 ms at 10,000 runs x 50 params).
    std::vector<size_t> hash(rows);
    for (size_t r = 0; r < rows; ++r)
        hash[r] = qHashMulti(0, t.storeIndex(int(r)), t.experiment(int(r)), t.isTrashed(int(r)) ? r + 1 : 0);
    for (size_t i = 0; i < config.size(); ++i)
        for (size_t r = 0; r < rows; ++r)
            hash[r] = qHashMulti(hash[r], i, config[i]->has(int(r)) ? qHash(config[i]->text[r]) : size_t(0x9e3779b9));
    auto sameConfig = [&](int a, int b) {
        if (t.storeIndex(a) != t.storeIndex(b) || t.experiment(a) != t.experiment(b))
            return false;
        if (t.isTrashed(a) || t.isTrashed(b))
            return a == b;   // the trash is no seed: each trashed run is a group of its own
        return std::all_of(config.begin(), config.end(), [&](const ValueColumn* c) {
            return c->has(a) == c->has(b) && (!c->has(a) || c->text[size_t(a)] == c->text[size_t(b)]);
        });
    };
    std::unordered_map<size_t, std::vector<int>> groupsOfHash;   // hash -> groups
    std::vector<int> first;   // by group: its first row
    std::vector<int> sizes;
    out->group.resize(rows);
    for (size_t r = 0; r < rows; ++r) {
        auto& candidates = groupsOfHash[hash[r]];
        const auto it = std::find_if(candidates.begin(), candidates.end(),
                                     [&](int g) { return sameConfig(first[size_t(g)], int(r)); });
        int g;
        if (it != candidates.end()) {
            g = *it;
        } else {
            g = int(sizes.size());
            candidates.push_back(g);
            first.push_back(int(r));
            sizes.push_back(0);
        }
        ++sizes[size_t(g)];
        out->group[r] = g;
    }
    out->size.resize(rows);
    for (size_t r = 0; r < rows; ++r)
        out->size[r] = sizes[size_t(out->group[r])];
    return out;
}

// Once per context (that is, per table), else once per field.
std::shared_ptr<const SeedGroups> seedGroups(const RunTable& t, const QueryContext* context)
{
    if (!context)
        return computeSeedGroups(t);
    if (!context->seedGroups)
        context->seedGroups = computeSeedGroups(t);
    return std::static_pointer_cast<const SeedGroups>(context->seedGroups);
}

// Metric `path` ("val_auc", or with .last/.min/.max/.mean/.count/.last_step) as a
// number per row; null when no run has it.
struct MetricValue {
    const MetricColumn* column = nullptr;
    MetricStat stat = MetricStat::Last;
    std::optional<double> at(int r) const
    {
        if (!column->has(r))
            return std::nullopt;
        const auto i = size_t(r);
        return stat == MetricStat::Last ? column->last[i]
            : stat == MetricStat::Min   ? column->min[i]
            : stat == MetricStat::Max   ? column->max[i]
            : stat == MetricStat::Mean  ? column->mean[i]
            : stat == MetricStat::Count ? double(column->count[i])
                                        : double(column->lastStep[i]);
    }
};

std::optional<MetricValue> metricValue(const RunTable& t, const QString& path)
{
    if (const MetricColumn* c = t.metric(path))
        return MetricValue{c, MetricStat::Last};
    static const std::pair<const char*, MetricStat> stats[] = {{".last", MetricStat::Last}, {".min", MetricStat::Min},
        {".max", MetricStat::Max}, {".mean", MetricStat::Mean}, {".count", MetricStat::Count}, {".last_step", MetricStat::LastStep}};
    for (const auto& [suffix, s] : stats)
        if (path.endsWith(QLatin1String(suffix)))
            if (const MetricColumn* c = t.metric(path.left(path.size() - static_cast<qsizetype>(std::strlen(suffix)))))
                return MetricValue{c, s};
    return std::nullopt;
}

// A metric over each seed group: its statistics, for seed_mean, seed_sd and welch_p.
struct GroupStats {
    std::shared_ptr<const SeedGroups> groups;
    std::vector<SampleStats> stats; // by group
};

// Statistics use the group's finished runs: a crashed run's last value and a
// running one's latest are not results.
std::shared_ptr<const GroupStats> groupStats(const RunTable& t, const QueryContext* context, const MetricValue& metric)
{
    auto out = std::make_shared<GroupStats>();
    out->groups = seedGroups(t, context);
    std::vector<std::vector<double>> values;
    for (int r = 0; r < t.rowCount(); ++r) {
        const auto g = size_t(out->groups->group[size_t(r)]);
        if (values.size() <= g)
            values.resize(g + 1);
        if (t.status(r) != RunStatus::Finished || t.isTrashed(r))
            continue;
        if (const auto v = metric.at(r))
            values[g].push_back(*v);
    }
    for (const auto& v : values)
        out->stats.push_back(sampleStats(v));
    return out;
}

Getter missingEverywhere()
{
    return [](int) { return CellValue{}; };
}

} // namespace

std::optional<Getter> resolve(const Field& f, const RunTable& t, const QueryContext* context,
                              std::optional<QueryError>& error)
{
    auto unknown = [&](const QString& what) {
        error = QueryError{f.pos, f.len, what};
        return std::nullopt;
    };
    // The getters live no longer than the select() or test() the context is given to.
    const std::vector<int>* baselines = context && context->baselineRows.size() == size_t(t.rowCount())
        ? &context->baselineRows
        : nullptr;
    if (f.ofBaseline) {
        Field own = f;
        own.ofBaseline = false;
        auto get = resolve(own, t, context, error);
        if (!get)
            return std::nullopt;
        if (!baselines)
            return missingEverywhere();
        return Getter([get = std::move(*get), baselines](int r) {
            const int b = (*baselines)[size_t(r)];
            return b < 0 ? CellValue{} : get(b);
        });
    }
    switch (f.kind) {
    case FieldKind::IsBaseline:
        return Getter([baselines](int r) { return boolCell(baselines && (*baselines)[size_t(r)] == r); });
    case FieldKind::WelchP:
    case FieldKind::SeedMean:
    case FieldKind::SeedSd: {
        const auto metric = metricValue(t, f.path);
        if (!metric)
            return unknown(QStringLiteral("no run has metric '%1'").arg(f.path));
        auto s = groupStats(t, context, *metric);
        if (f.kind != FieldKind::WelchP) {
            const bool mean = f.kind == FieldKind::SeedMean;
            return Getter([s, mean](int r) {
                const SampleStats& g = s->stats[size_t(s->groups->group[size_t(r)])];
                if (g.n == 0 || (!mean && g.n < 2))
                    return CellValue{};
                const double v = mean ? g.mean : g.sd;
                return CellValue{true, v, formatNumber(v)};
            });
        }
        if (!baselines)
            return missingEverywhere();
        // One test per pair of groups, not per run: a group's runs share it.
        auto tested = std::make_shared<QHash<quint64, CellValue>>();
        return Getter([s, baselines, tested](int r) {
            const int b = (*baselines)[size_t(r)];
            if (b < 0)
                return CellValue{};
            const int ga = s->groups->group[size_t(r)], gb = s->groups->group[size_t(b)];
            if (ga == gb)
                return CellValue{true, 1.0, QStringLiteral("1")};
            const quint64 pair = (quint64(quint32(ga)) << 32) | quint32(gb);
            if (const auto it = tested->constFind(pair); it != tested->constEnd())
                return *it;
            const WelchTest w = welchTTest(s->stats[size_t(ga)], s->stats[size_t(gb)]);
            const CellValue p = w.valid ? CellValue{true, w.p, formatNumber(w.p)} : CellValue{};
            tested->insert(pair, p);
            return p;
        });
    }
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
        const auto metric = metricValue(t, f.path);
        if (!metric)
            return unknown(QStringLiteral("no run has metric '%1'").arg(f.path));
        return Getter([metric = *metric](int r) {
            const auto v = metric.at(r);
            return v ? CellValue{true, *v, formatNumber(*v)} : CellValue{};
        });
    }
    case FieldKind::Data: {
        const ValueColumn* c = t.dataVersion(f.path);
        if (!c)
            return unknown(QStringLiteral("no run records data '%1'").arg(f.path));
        return Getter([c](int r) {
            return c->has(r) ? CellValue{true, c->number[size_t(r)], c->text[size_t(r)]} : CellValue{};
        });
    }
    case FieldKind::Env: {
        // Each distinct environment once: the key's value in each, then a
        // lookup per run. The Python logger keeps packages as package.NAME;
        // env.packages.NAME reads the same.
        auto valuesFor = [&t](const QString& key) {
            auto values = std::make_shared<std::vector<CellValue>>();
            bool any = false;
            for (const auto& env : t.environments()) {
                const auto it = std::lower_bound(env.begin(), env.end(), key,
                    [](const auto& kv, const QString& k) { return kv.first < k; });
                const bool found = it != env.end() && it->first == key;
                values->push_back(found ? textCell(it->second) : CellValue{});
                any = any || found;
            }
            return any ? values : nullptr;
        };
        auto values = valuesFor(f.path);
        if (!values && f.path.startsWith(QLatin1String("packages.")))
            values = valuesFor(QStringLiteral("package.") + f.path.mid(9));
        if (!values)
            return unknown(QStringLiteral("no run records environment '%1'").arg(f.path));
        return Getter([&t, values](int r) {
            const int e = t.environmentIndexOf(r);
            return e < 0 ? CellValue{} : (*values)[size_t(e)];
        });
    }
    case FieldKind::GitCommit:
        return Getter([&t](int r) {
            const QString& c = t.git(r).commit;
            return c.isEmpty() ? CellValue{} : CellValue{true, NAN, c};
        });
    case FieldKind::GitBranch:
        return Getter([&t](int r) {
            const QString& b = t.git(r).branch;
            return b.isEmpty() ? CellValue{} : CellValue{true, NAN, b};
        });
    case FieldKind::GitDirty:
        return Getter([&t](int r) { return t.git(r).dirty < 0 ? CellValue{} : boolCell(t.git(r).dirty > 0); });
    case FieldKind::Notes:
        return Getter([&t](int r) { return CellValue{true, NAN, t.notes(r)}; });
    case FieldKind::Hypothesis:
        return Getter([&t](int r) { return CellValue{true, NAN, t.hypothesis(r)}; });
    case FieldKind::Starred:
        return Getter([&t](int r) { return boolCell(t.isStarred(r)); });
    case FieldKind::Trashed:
        return Getter([&t](int r) { return boolCell(t.isTrashed(r)); });
    case FieldKind::Parent:
        return Getter([&t](int r) {
            const QString& p = t.parentId(r);
            return p.isEmpty() ? CellValue{} : CellValue{true, NAN, p};
        });
    case FieldKind::IsParent: {
        auto parents = std::make_shared<QSet<QString>>();
        for (int r = 0; r < t.rowCount(); ++r)
            if (!t.parentId(r).isEmpty())
                parents->insert(t.parentId(r));
        return Getter([&t, parents](int r) { return boolCell(parents->contains(t.id(r))); });
    }
    case FieldKind::Seeds:
    case FieldKind::SeedGroup: {
        const bool size = f.kind == FieldKind::Seeds;
        return Getter([groups = seedGroups(t, context), size](int r) {
            const int v = size ? groups->size[size_t(r)] : groups->group[size_t(r)] + 1;
            return CellValue{true, double(v), QString::number(v)};
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


namespace {

// Whether a three-way comparison's result satisfies `cmp` (nullopt: the two
// could not be ordered, which only "!=" accepts).
bool holds(Cmp cmp, std::optional<int> c)
{
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
}

} // namespace

double arithmetic(Expr::Kind kind, double x, double y)
{
    return kind == Expr::Add ? x + y : kind == Expr::Sub ? x - y : kind == Expr::Mul ? x * y : x / y;
}

namespace {

CellValue numberCell(double v)
{
    // NaN out of arithmetic (0 / 0, inf - inf) is no value: the run is left out.
    return std::isnan(v) ? CellValue{} : CellValue{true, v, QString::number(v, 'g', 17)};
}

} // namespace

std::optional<Getter> valueOf(const Expr& e, const RunTable& t, const QueryContext* context,
                              std::optional<QueryError>& error)
{
    switch (e.kind) {
    case Expr::FieldRef:
        return resolve(e.field, t, context, error);
    case Expr::Number:
        return Getter([v = numberCell(e.number)](int) { return v; });
    case Expr::Negate: {
        auto a = valueOf(*e.left, t, context, error);
        if (!a)
            return std::nullopt;
        return Getter([a = std::move(*a)](int r) {
            const CellValue x = a(r);
            return x.present ? numberCell(-x.number) : CellValue{};
        });
    }
    case Expr::Add:
    case Expr::Sub:
    case Expr::Mul:
    case Expr::Div: {
        auto a = valueOf(*e.left, t, context, error);
        if (!a)
            return std::nullopt;
        auto b = valueOf(*e.right, t, context, error);
        if (!b)
            return std::nullopt;
        return Getter([a = std::move(*a), b = std::move(*b), kind = e.kind](int r) {
            const CellValue x = a(r);
            if (!x.present || std::isnan(x.number))
                return CellValue{}; // text has no arithmetic
            const CellValue y = b(r);
            if (!y.present || std::isnan(y.number))
                return CellValue{};
            return numberCell(arithmetic(kind, x.number, y.number));
        });
    }
    }
    return std::nullopt;
}

namespace {

// A comparison whose sides are computed (fields on both sides, arithmetic):
// numbers against numbers, text against text, nothing else.
std::optional<Predicate> compileComputed(const Node& node, const RunTable& t, const QueryContext* context,
                                         std::optional<QueryError>& error)
{
    auto left = node.lhs ? valueOf(*node.lhs, t, context, error) : resolve(node.field, t, context, error);
    if (!left)
        return std::nullopt;
    auto right = valueOf(*node.rhs, t, context, error);
    if (!right)
        return std::nullopt;
    return Predicate([a = std::move(*left), b = std::move(*right), cmp = node.cmp](int r) {
        const CellValue x = a(r);
        if (!x.present)
            return false;
        const CellValue y = b(r);
        if (!y.present)
            return false;
        std::optional<int> c;
        const bool xn = !std::isnan(x.number), yn = !std::isnan(y.number);
        if (xn && yn)
            c = x.number < y.number ? -1 : x.number > y.number ? 1 : 0;
        else if (!xn && !yn)
            c = x.text.compare(y.text);
        return holds(cmp, c);
    });
}

} // namespace

// "x = 1 or x = 2 or ..." over one field (a pasted list of ids) is the
// same as "x in (1, 2, ...)", which evaluates as one lookup per run rather
// than a comparison per term: the node as an "in", or null.
std::unique_ptr<Node> asInList(const Node& node)
{
    if (node.kind != Node::Or || node.children.size() < 8)
        return nullptr;
    const Field& first = node.children.front()->field;
    for (const auto& child : node.children)
        if (child->kind != Node::Compare || child->cmp != Cmp::Eq || child->field.kind != first.kind
            || child->field.path != first.path || child->field.ofBaseline != first.ofBaseline || child->lhs
            || child->rhs)
            return nullptr;
    auto in = std::make_unique<Node>();
    in->kind = Node::Compare;
    in->cmp = Cmp::In;
    in->field = first;
    in->opPos = node.children.front()->opPos;
    for (const auto& child : node.children)
        in->values.insert(in->values.end(), child->values.begin(), child->values.end());
    return in;
}

std::optional<Predicate> compile(const Node& node, const RunTable& table, const QueryContext* context,
                                 std::optional<QueryError>& error)
{
    if (const auto in = asInList(node))
        return compile(*in, table, context, error);
    if (node.kind == Node::Compare && (node.lhs || node.rhs))
        return compileComputed(node, table, context, error);
    if (node.kind != Node::Compare) {
        std::vector<Predicate> kids;
        for (const auto& child : node.children) {
            auto p = compile(*child, table, context, error);
            if (!p)
                return std::nullopt;
            kids.push_back(std::move(*p));
        }
        // Moved, not copied: a copy of a child copies its whole subtree.
        if (node.kind == Node::Not)
            return Predicate([p = std::move(kids[0])](int r) { return !p(r); });
        if (node.kind == Node::And)
            return Predicate([kids = std::move(kids)](int r) {
                return std::all_of(kids.begin(), kids.end(), [r](const Predicate& p) { return p(r); });
            });
        return Predicate([kids = std::move(kids)](int r) {
            return std::any_of(kids.begin(), kids.end(), [r](const Predicate& p) { return p(r); });
        });
    }

    auto getter = resolve(node.field, table, context, error);
    if (!getter)
        return std::nullopt;
    const bool timeField = node.field.kind == FieldKind::StartTime || node.field.kind == FieldKind::EndTime;
    const FieldKind kind = node.field.kind;
    const bool caseless = kind == FieldKind::Status || kind == FieldKind::Starred || kind == FieldKind::Trashed
        || kind == FieldKind::IsParent || kind == FieldKind::GitDirty || kind == FieldKind::IsBaseline;

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
        // A NaN metric is no number to compare, not the word "nan" ("nan" > "1" as text).
        if (litNumeric && std::isnan(v.number) && v.text.compare(QLatin1String("nan"), Qt::CaseInsensitive) == 0)
            return std::nullopt;
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
    if ((cmp == Cmp::In || cmp == Cmp::NotIn) && values.size() > 8) {
        // A long list (pasted ids): one lookup per run, by the same rules as
        // compare() — numbers against numbers, text against the rest.
        struct Sets {
            std::unordered_set<double> numbers;
            QSet<QString> wordTexts;   // literals that are not numbers
            QSet<QString> numberTexts; // numeric literals, against values that are not numbers
        };
        auto sets = std::make_shared<Sets>();
        auto key = [caseless](const QString& text) { return caseless ? text.toCaseFolded() : text; };
        for (const auto& lit : values) {
            const bool numeric = lit.isNumber || !std::isnan(lit.number);
            if (numeric && !std::isnan(lit.number)) {
                sets->numbers.insert(lit.number == 0 ? 0.0 : lit.number); // -0 equals 0
                sets->numberTexts.insert(key(lit.text));
            } else if (!lit.isNumber) {
                sets->wordTexts.insert(key(lit.text));
            }
        }
        return Predicate([get = *getter, sets, cmp, key](int r) {
            const CellValue v = get(r);
            if (!v.present)
                return false;
            const bool found = std::isnan(v.number)
                ? sets->wordTexts.contains(key(v.text)) || sets->numberTexts.contains(key(v.text))
                : sets->numbers.contains(v.number == 0 ? 0.0 : v.number) || sets->wordTexts.contains(key(v.text));
            return found == (cmp == Cmp::In);
        });
    }
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
        return holds(cmp, compare(v, values[0]));
    });
}

} // namespace runlens::query
