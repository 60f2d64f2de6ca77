// SPDX-License-Identifier: GPL-3.0-or-later
#include "param_importance.h"

#include "natural_compare.h"
#include "seed_statistics.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens {

namespace {

// At most this many quantile bins for a numeric param: enough to see an
// optimum in the middle of a range, few enough that each bin holds runs.
constexpr int kMaxBins = 10;
// At most this many groups of a categorical param in the model (the most
// common values, the rest pooled): the solve grows with the cube of the groups.
constexpr int kMaxLevels = 20;
// Runs the joint model needs per column it fits.
constexpr size_t kRunsPerColumn = 4;

struct GroupShare {
    double eta2 = 0;     // between-group sum of squares over total
    double omega2 = 0;   // the same less what the groups explain by chance, clamped to [0, 1]
};

// How much of the variance of `y` a grouping explains on its own. Sums run
// in index order so the result is the same on every call.
GroupShare groupShare(const std::vector<double>& y, const std::vector<int>& group, int groups)
{
    const size_t n = y.size();
    std::vector<double> sum(size_t(groups), 0.0);
    std::vector<int> count(size_t(groups), 0);
    double total = 0;
    for (size_t i = 0; i < n; ++i) {
        sum[size_t(group[i])] += y[i];
        ++count[size_t(group[i])];
        total += y[i];
    }
    const double mean = total / double(n);
    double sst = 0;
    for (double v : y)
        sst += (v - mean) * (v - mean);
    double ssb = 0;
    for (size_t g = 0; g < size_t(groups); ++g)
        if (count[g] > 0) {
            const double d = sum[g] / count[g] - mean;
            ssb += count[g] * d * d;
        }
    GroupShare out;
    if (sst <= 0 || groups < 2 || int(n) <= groups)
        return out;
    out.eta2 = std::clamp(ssb / sst, 0.0, 1.0);
    // Omega-squared: k groups of pure noise explain about (k-1)/(n-1) of it.
    const double msw = (sst - ssb) / double(int(n) - groups);
    out.omega2 = std::clamp((ssb - (groups - 1) * msw) / (sst + msw), 0.0, 1.0);
    return out;
}

// A counted param before it becomes a term: its groups over the runs that
// have it (numeric ones numbered in the order of their values).
struct Candidate {
    bool numeric = true;
    std::vector<size_t> used;     // valid-run indices that have the param
    std::vector<int> level;       // per used run
    int levels = 0;
    std::vector<QString> names;   // categorical: each level's value
};

// One term of the additive model: a param's grouping of every run (runs
// without the param in a group of their own), groups numbered from 0 with
// none empty.
struct Term {
    std::vector<int> group;      // per valid run
    int groups = 0;
};

// Fits rank(metric) ~ one step function per term, all terms together, by
// least squares, and gives each term's share of the ranks' variance less the
// share its groups would explain of the residual by chance ((k-1)/n of it).
// Fitting the terms together, not one at a time, takes the other params'
// effects out of the noise each is judged against: a weak effect stands out
// from no effect at a few hundred runs.
//
// The design has a centred indicator column per group but each term's first
// (its reference); the normal equations come from co-occurrence counts of
// the groups and are solved by Cholesky, so the cost is that of the counts
// (runs x terms²) and of the solve (columns³), with no iteration to settle.
// A column the others already span (a group that is the same runs as
// another's) gets no coefficient. Fixed sums in a fixed order: deterministic.
std::vector<double> additiveShares(const std::vector<double>& ranks, const std::vector<Term>& terms)
{
    const size_t n = ranks.size();
    std::vector<double> shares(terms.size(), 0.0);
    const double mean = std::accumulate(ranks.begin(), ranks.end(), 0.0) / double(n);
    std::vector<double> yc(n);
    double total = 0;
    for (size_t i = 0; i < n; ++i) {
        yc[i] = ranks[i] - mean;
        total += yc[i] * yc[i];
    }
    if (total <= 0 || terms.empty())
        return shares;
    // Column of (term, group); -1 for a term's reference group.
    std::vector<size_t> first(terms.size());
    size_t columns = 0;
    for (size_t j = 0; j < terms.size(); ++j) {
        first[j] = columns;
        columns += size_t(terms[j].groups - 1);
    }
    auto columnOf = [&](size_t j, size_t i) {
        const int g = terms[j].group[i];
        return g == 0 ? -1 : int(first[j]) + g - 1;
    };
    // X'X of the uncentred indicators (co-occurrence counts), X'y, and each
    // column's count; centring is applied after: n_ab - n_a n_b / n.
    std::vector<double> xx(columns * columns, 0.0), xy(columns, 0.0), count(columns, 0.0);
    std::vector<int> present;
    for (size_t i = 0; i < n; ++i) {
        present.clear();
        for (size_t j = 0; j < terms.size(); ++j)
            if (const int c = columnOf(j, i); c >= 0)
                present.push_back(c);
        for (int a : present) {
            xy[size_t(a)] += yc[i];
            count[size_t(a)] += 1;
            for (int b : present)
                if (b >= a)
                    xx[size_t(a) * columns + size_t(b)] += 1;
        }
    }
    for (size_t a = 0; a < columns; ++a)
        for (size_t b = a; b < columns; ++b) {
            const double v = xx[a * columns + b] - count[a] * count[b] / double(n);
            xx[a * columns + b] = v;
            xx[b * columns + a] = v;
        }
    // Cholesky, in place in the lower triangle; a pivot that is (nearly)
    // zero marks a column the earlier ones span: it is left out.
    std::vector<uint8_t> used(columns, 1);
    std::vector<double> l(columns * columns, 0.0);
    for (size_t k = 0; k < columns; ++k) {
        double d = xx[k * columns + k];
        for (size_t t = 0; t < k; ++t)
            d -= l[k * columns + t] * l[k * columns + t];
        const double scale = std::max(1.0, xx[k * columns + k]);
        if (d <= 1e-9 * scale) {
            used[k] = 0;
            continue;
        }
        const double root = std::sqrt(d);
        l[k * columns + k] = root;
        for (size_t r = k + 1; r < columns; ++r) {
            double v = xx[r * columns + k];
            for (size_t t = 0; t < k; ++t)
                v -= l[r * columns + t] * l[k * columns + t];
            l[r * columns + k] = v / root;
        }
    }
    std::vector<double> z(columns, 0.0), beta(columns, 0.0);
    for (size_t k = 0; k < columns; ++k) {
        if (!used[k])
            continue;
        double v = xy[k];
        for (size_t t = 0; t < k; ++t)
            v -= l[k * columns + t] * z[t];
        z[k] = v / l[k * columns + k];
    }
    for (size_t k = columns; k-- > 0;) {
        if (!used[k])
            continue;
        double v = z[k];
        for (size_t t = k + 1; t < columns; ++t)
            v -= l[t * columns + k] * beta[t];
        beta[k] = v / l[k * columns + k];
    }
    // Residual sum of squares of a least-squares fit: y'y - b'X'y.
    double explained = 0;
    int rank = 0;
    for (size_t k = 0; k < columns; ++k) {
        explained += beta[k] * xy[k];
        rank += used[k];
    }
    const double rss = std::max(0.0, total - explained);
    const double noise = rss / double(std::max(1, int(n) - 1 - rank));   // residual variance per run
    for (size_t j = 0; j < terms.size(); ++j) {
        const Term& t = terms[j];
        // The term's effect per group (0 for the reference), centred over the runs.
        std::vector<double> effect(size_t(t.groups), 0.0), runs(size_t(t.groups), 0.0);
        for (int g = 1; g < t.groups; ++g)
            effect[size_t(g)] = beta[first[j] + size_t(g) - 1];
        for (int g : t.group)
            runs[size_t(g)] += 1;
        double m = 0;
        for (size_t g = 0; g < effect.size(); ++g)
            m += runs[g] * effect[g];
        m /= double(n);
        double ss = 0;
        for (size_t g = 0; g < effect.size(); ++g)
            ss += runs[g] * (effect[g] - m) * (effect[g] - m);
        shares[j] = std::clamp((ss - (t.groups - 1) * noise) / total, 0.0, 1.0);
    }
    return shares;
}

// The term of a candidate with at most `cap` groups (besides the runs
// without the param): numeric levels merged into quantile bins of
// neighbouring values, categorical ones keeping their most common values
// with the rest pooled (ties by name, so row order does not matter).
Term termOf(const Candidate& c, int cap, size_t runs)
{
    std::vector<int> map(size_t(c.levels));
    std::iota(map.begin(), map.end(), 0);
    int groups = c.levels;
    if (c.levels > cap) {
        std::vector<int> count(size_t(c.levels), 0);
        for (int l : c.level)
            ++count[size_t(l)];
        if (c.numeric) {
            const double m = double(c.used.size());
            double before = 0;
            int last = -1;
            groups = 0;
            for (size_t l = 0; l < map.size(); ++l) {
                const int bin = std::min(cap - 1, int(before * cap / m));
                if (bin != last) {
                    last = bin;
                    ++groups;
                }
                map[l] = groups - 1;
                before += count[l];
            }
        } else {
            std::vector<int> byRuns(size_t(c.levels));
            std::iota(byRuns.begin(), byRuns.end(), 0);
            std::sort(byRuns.begin(), byRuns.end(), [&](int a, int b) {
                return count[size_t(a)] != count[size_t(b)] ? count[size_t(a)] > count[size_t(b)]
                                                            : naturalCompare(c.names[size_t(a)], c.names[size_t(b)]) < 0;
            });
            for (size_t r = 0; r < byRuns.size(); ++r)
                map[size_t(byRuns[r])] = std::min(int(r), cap - 1);
            groups = cap;
        }
    }
    Term t;
    t.groups = groups + (c.used.size() < runs ? 1 : 0);
    t.group.assign(runs, groups);
    for (size_t k = 0; k < c.used.size(); ++k)
        t.group[c.used[k]] = map[size_t(c.level[k])];
    return t;
}

// Whether two terms put the same runs together, whatever their labels.
// Unrelated params differ within a few runs, so this is cheap.
bool samePartition(const Term& a, const Term& b)
{
    if (a.groups != b.groups)
        return false;
    std::vector<int> aToB(size_t(a.groups), -1), bToA(size_t(b.groups), -1);
    for (size_t i = 0; i < a.group.size(); ++i) {
        int& x = aToB[size_t(a.group[i])];
        int& y = bToA[size_t(b.group[i])];
        if (x < 0 && y < 0) {
            x = b.group[i];
            y = a.group[i];
        } else if (x != b.group[i] || y != a.group[i]) {
            return false;
        }
    }
    return true;
}

QString fewRunsWarning(int runs)
{
    return QStringLiteral("rests on %1 run%2: below %3 the estimates are noise-prone")
        .arg(runs)
        .arg(runs == 1 ? QString() : QStringLiteral("s"))
        .arg(kImportanceMinRuns);
}

} // namespace

namespace importance_detail {

std::vector<double> averageRanks(const std::vector<double>& values)
{
    const size_t n = values.size();
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(n);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && values[order[j]] == values[order[i]])
            ++j;
        const double rank = (double(i) + double(j - 1)) / 2 + 1;   // the average of ranks i+1 .. j
        for (size_t k = i; k < j; ++k)
            ranks[order[k]] = rank;
        i = j;
    }
    return ranks;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b)
{
    const size_t n = a.size();
    if (n < 2)
        return 0;
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / double(n);
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / double(n);
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (saa <= 0 || sbb <= 0)
        return 0;
    return std::clamp(sab / std::sqrt(saa * sbb), -1.0, 1.0);
}

} // namespace importance_detail

QString correlationName(ParamImportance::Kind kind)
{
    return kind == ParamImportance::Kind::Numeric ? QStringLiteral("rho") : QStringLiteral("eps²");
}

QString kindName(ParamImportance::Kind kind)
{
    return kind == ParamImportance::Kind::Numeric ? QStringLiteral("numeric") : QStringLiteral("categorical");
}

ImportanceResult paramImportance(const RunTable& table, const std::vector<int>& rows, const QString& metric,
                                 const QStringList& seedKeys)
{
    using importance_detail::averageRanks;
    using importance_detail::pearson;
    ImportanceResult out;
    out.metric = metric;
    const MetricReader reader = MetricReader::of(table, metric);
    // The runs it rests on: those with a finite metric value.
    std::vector<int> valid;
    std::vector<double> y;
    valid.reserve(rows.size());
    y.reserve(rows.size());
    for (int r : rows) {
        const double v = reader.column ? reader.at(r) : NAN;
        if (std::isfinite(v)) {
            valid.push_back(r);
            y.push_back(v);
        } else {
            ++out.leftOut;
        }
    }
    out.runs = int(valid.size());
    if (out.runs == 0) {
        out.warning = reader.column ? QStringLiteral("no run has a finite value of %1").arg(metric)
                                    : QStringLiteral("no metric %1").arg(metric);
        return out;
    }
    if (out.runs < kImportanceMinRuns)
        out.warning = fewRunsWarning(out.runs);
    const std::vector<double> allRanks = averageRanks(y);

    std::vector<size_t> used;
    std::vector<double> ySub, xs;
    std::vector<int> group;
    std::vector<QString> names;   // a categorical param's values, by group
    std::vector<Candidate> candidates;   // one per counted param, in out.params' order
    std::vector<double> alone;           // each one's share judged alone
    for (const ValueColumn& c : table.params()) {
        if (isSeedKey(c.key, seedKeys)) {
            out.skipped.push_back({c.key, QStringLiteral("a seed")});
            continue;
        }
        used.clear();
        for (size_t i = 0; i < valid.size(); ++i)
            if (c.has(valid[i]))
                used.push_back(i);
        if (used.empty())
            continue;   // a param of other runs than these: nothing to say
        const size_t m = used.size();
        bool numeric = true;
        for (size_t i : used)
            numeric = numeric && std::isfinite(c.number[size_t(valid[i])]);

        ParamImportance p;
        p.key = c.key;
        p.kind = numeric ? ParamImportance::Kind::Numeric : ParamImportance::Kind::Categorical;
        p.runs = int(m);
        group.assign(m, 0);
        std::vector<double> paramRanks;
        if (numeric) {
            xs.resize(m);
            for (size_t k = 0; k < m; ++k)
                xs[k] = c.number[size_t(valid[used[k]])];
            std::vector<size_t> order(m);
            std::iota(order.begin(), order.end(), size_t{0});
            std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return xs[a] < xs[b]; });
            int distinct = 0;
            for (size_t k = 0; k < m; ++k)
                distinct += (k == 0 || xs[order[k]] != xs[order[k - 1]]) ? 1 : 0;
            // A grid (few values) keeps a group per value; a continuous range
            // is cut at quantiles, about sqrt(n) bins, equal values in one bin.
            const int bins = distinct <= kMaxBins ? distinct : std::clamp(int(std::sqrt(double(m))), 2, kMaxBins);
            paramRanks.resize(m);
            int value = -1, lastBin = -1, compact = -1;   // bins numbered without gaps
            for (size_t k = 0; k < m;) {
                size_t j = k + 1;
                while (j < m && xs[order[j]] == xs[order[k]])
                    ++j;
                ++value;
                const int bin = distinct <= kMaxBins ? value : std::min(bins - 1, int(double(k) * bins / double(m)));
                if (bin != lastBin) {   // a long run of ties can cover a whole bin: none is left empty
                    lastBin = bin;
                    ++compact;
                }
                const double rank = (double(k) + double(j - 1)) / 2 + 1;
                for (size_t t = k; t < j; ++t) {
                    paramRanks[order[t]] = rank;
                    group[order[t]] = compact;
                }
                k = j;
            }
            p.groups = compact + 1;
        } else {
            QHash<QString, int> ids;
            names.clear();
            for (size_t k = 0; k < m; ++k) {
                const QString& text = c.text[size_t(valid[used[k]])];
                auto it = ids.constFind(text);
                if (it == ids.constEnd()) {
                    it = ids.insert(text, int(ids.size()));
                    names.push_back(text);
                }
                group[k] = *it;
            }
            p.groups = int(ids.size());
        }
        if (p.groups <= 1) {
            out.skipped.push_back({c.key, QStringLiteral("one value in these runs")});
            continue;
        }
        if (!numeric && p.groups == int(m)) {
            out.skipped.push_back({c.key, QStringLiteral("a label: a different value in every run")});
            continue;
        }
        if (m < 3) {
            out.skipped.push_back({c.key, QStringLiteral("fewer than 3 runs have it")});
            continue;
        }
        // The metric's ranks among the runs that have this param.
        if (m == valid.size()) {
            ySub = allRanks;
        } else {
            std::vector<double> sub(m);
            for (size_t k = 0; k < m; ++k)
                sub[k] = y[used[k]];
            ySub = averageRanks(sub);
        }
        // Kruskal-Wallis with the tie correction is H = (n-1) SSB/SST on
        // ranks, so its epsilon-squared H/(n-1) is the ranks' eta-squared.
        p.correlation = numeric ? pearson(paramRanks, ySub) : groupShare(ySub, group, p.groups).eta2;
        if (p.runs < kImportanceMinRuns)
            p.warning = fewRunsWarning(p.runs);
        // Judged alone too: the answer when there are too few runs to fit every param together.
        alone.push_back(groupShare(ySub, group, p.groups).omega2);
        candidates.push_back({numeric, used, group, p.groups, numeric ? std::vector<QString>{} : names});
        out.params.push_back(std::move(p));
    }
    // The model needs runs to spare: at most one column (a group past a
    // term's first) per kRunsPerColumn runs. Over that, the groups are
    // coarsened, to no fewer than 3 a param (an optimum in the middle of a
    // range still shows); still over, each param is judged alone.
    const auto columnsOf = [](const std::vector<Term>& ts) {
        size_t columns = 0;
        for (const Term& t : ts)
            columns += size_t(t.groups - 1);
        return columns;
    };
    const size_t budget = (valid.size() - 1) / kRunsPerColumn;
    std::vector<Term> terms;
    for (const Candidate& c : candidates)
        terms.push_back(termOf(c, kMaxLevels, valid.size()));
    if (columnsOf(terms) > budget && !terms.empty()) {
        const int cap = std::max(3, int(budget / terms.size()));
        terms.clear();
        for (const Candidate& c : candidates)
            terms.push_back(termOf(c, cap, valid.size()));
    }
    if (columnsOf(terms) > budget) {
        out.method = QStringLiteral("each param alone: too few runs to fit all %1 together").arg(terms.size());
        for (size_t j = 0; j < out.params.size(); ++j)
            out.params[j].importance = alone[j];
    } else {
        out.method = QStringLiteral("all params fitted together");
        // Params that split the runs the same way (lr and log_lr, a key
        // logged under two names) are one term, or the fit would hand the
        // effect to whichever came first; each of them gets its share.
        std::vector<size_t> termIndex(terms.size());
        std::vector<Term> unique;
        for (size_t j = 0; j < terms.size(); ++j) {
            termIndex[j] = unique.size();
            for (size_t u = 0; u < unique.size(); ++u)
                if (samePartition(unique[u], terms[j])) {
                    termIndex[j] = u;
                    break;
                }
            if (termIndex[j] == unique.size())
                unique.push_back(std::move(terms[j]));
        }
        const std::vector<double> shares = additiveShares(allRanks, unique);
        for (size_t j = 0; j < out.params.size(); ++j)
            out.params[j].importance = shares[termIndex[j]];
    }
    std::stable_sort(out.params.begin(), out.params.end(), [](const ParamImportance& a, const ParamImportance& b) {
        if (a.importance != b.importance)
            return a.importance > b.importance;
        const double ca = std::abs(a.correlation), cb = std::abs(b.correlation);
        if (ca != cb)
            return ca > cb;
        return naturalCompare(a.key, b.key) < 0;
    });
    return out;
}

} // namespace runlens
