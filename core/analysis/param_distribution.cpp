// SPDX-License-Identifier: GPL-3.0-or-later
#include "param_distribution.h"

#include "natural_compare.h"
#include "number_text.h"
#include "seed_statistics.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens {

namespace {

// Values a tooltip lists before "and N more".
constexpr int kListedValues = 20;

// A value of the param and the runs (indices into the valid rows) that have it.
struct Level {
    QString text;
    double number = NAN;
    std::vector<size_t> runs;
};

QString listOf(const std::vector<QString>& values)
{
    QStringList shown;
    for (size_t i = 0; i < values.size() && i < size_t(kListedValues); ++i)
        shown << values[i];
    QString text = shown.join(QStringLiteral(", "));
    if (values.size() > size_t(kListedValues))
        text += QStringLiteral(" and %1 more").arg(values.size() - size_t(kListedValues));
    return text;
}

// The groups of `c` over the valid runs, at most `maxGroups`, each with the
// indices of its runs (into `valid`). The order of values is groupByParam's
// (numbers numerically, text naturally, missing last): one rule for the
// Seeds view's groups and these.
std::vector<std::pair<DistributionGroup, std::vector<size_t>>>
groupRuns(const RunTable& table, const std::vector<int>& valid, const ValueColumn& c, int maxGroups, bool& numeric,
          bool& binned)
{
    std::vector<Level> levels;
    std::vector<size_t> missing;
    {
        QHash<int, size_t> indexOfRow;   // groupByParam gives rows; the points are indexed by valid run
        for (size_t i = 0; i < valid.size(); ++i)
            indexOfRow.insert(valid[i], i);
        for (const SeedGroup& g : groupByParam(table, valid, c.key)) {
            const int first = g.rows.front();
            std::vector<size_t> runs;
            runs.reserve(g.rows.size());
            for (int r : g.rows)
                runs.push_back(indexOfRow.value(r));
            if (!c.has(first))
                missing = std::move(runs);
            else
                levels.push_back({c.text[size_t(first)], c.number[size_t(first)], std::move(runs)});
        }
    }
    numeric = std::all_of(levels.begin(), levels.end(), [](const Level& l) { return std::isfinite(l.number); });
    binned = false;
    const int budget = std::max(2, maxGroups - (missing.empty() ? 0 : 1));
    std::vector<std::pair<DistributionGroup, std::vector<size_t>>> out;
    if (int(levels.size()) <= budget) {
        for (Level& l : levels) {
            DistributionGroup g;
            g.label = numeric ? compactValue(l.text) : l.text;
            g.detail = l.text;
            out.emplace_back(std::move(g), std::move(l.runs));
        }
    } else if (numeric) {
        // Quantile bins, about sqrt(runs) of them (a box needs a handful of
        // runs to mean anything), numbered without gaps: a run of equal
        // values can cover a whole bin.
        binned = true;
        size_t present = 0;
        for (const Level& l : levels)
            present += l.runs.size();
        const int bins = std::clamp(int(std::sqrt(double(present))), 2, budget);
        size_t before = 0;
        int lastBin = -1;
        std::vector<std::vector<const Level*>> members;
        for (const Level& l : levels) {
            const int bin = std::min(bins - 1, int(double(before) * bins / double(present)));
            if (bin != lastBin) {
                lastBin = bin;
                members.emplace_back();
            }
            members.back().push_back(&l);
            before += l.runs.size();
        }
        for (const auto& m : members) {
            DistributionGroup g;
            g.kind = DistributionGroup::Kind::Bin;
            const QString lo = compactNumber(m.front()->number), hi = compactNumber(m.back()->number);
            g.label = m.size() == 1 ? lo : lo + QStringLiteral(" – ") + hi;
            std::vector<QString> values;
            std::vector<size_t> runs;
            for (const Level* l : m) {
                values.push_back(l->text);
                runs.insert(runs.end(), l->runs.begin(), l->runs.end());
            }
            g.detail = m.size() == 1 ? m.front()->text
                                     : QStringLiteral("%1 values from %2 to %3: %4")
                                           .arg(m.size())
                                           .arg(m.front()->text, m.back()->text, listOf(values));
            out.emplace_back(std::move(g), std::move(runs));
        }
    } else {
        // The most common values keep a group each, in their natural order;
        // the rest share "other", after them.
        std::vector<size_t> byRuns(levels.size());
        std::iota(byRuns.begin(), byRuns.end(), size_t{0});
        std::stable_sort(byRuns.begin(), byRuns.end(), [&](size_t a, size_t b) {
            return levels[a].runs.size() > levels[b].runs.size();   // stable: ties keep the natural order
        });
        std::vector<uint8_t> kept(levels.size(), 0);
        for (size_t k = 0; k < size_t(budget - 1); ++k)
            kept[byRuns[k]] = 1;
        DistributionGroup other;
        other.kind = DistributionGroup::Kind::Other;
        std::vector<QString> folded;
        std::vector<size_t> otherRuns;
        for (size_t l = 0; l < levels.size(); ++l) {
            if (kept[l]) {
                DistributionGroup g;
                g.label = levels[l].text;
                g.detail = levels[l].text;
                out.emplace_back(std::move(g), std::move(levels[l].runs));
            } else {
                folded.push_back(levels[l].text);
                otherRuns.insert(otherRuns.end(), levels[l].runs.begin(), levels[l].runs.end());
            }
        }
        other.label = QStringLiteral("other (%1 values)").arg(folded.size());
        other.detail = QStringLiteral("%1 less common values: %2").arg(folded.size()).arg(listOf(folded));
        out.emplace_back(std::move(other), std::move(otherRuns));
    }
    if (!missing.empty()) {
        DistributionGroup g;
        g.kind = DistributionGroup::Kind::Missing;
        g.label = QStringLiteral("(missing)");
        g.detail = QStringLiteral("runs without %1").arg(c.key);
        out.emplace_back(std::move(g), std::move(missing));
    }
    return out;
}

// The valid runs (a finite metric value) among `rows`, and their values.
struct ValidRuns {
    std::vector<int> rows;
    std::vector<double> values;
    int leftOut = 0;
    QString warning;
};

ValidRuns validRuns(const RunTable& table, const std::vector<int>& rows, const QString& metric)
{
    ValidRuns v;
    const MetricReader reader = MetricReader::of(table, metric);
    if (!reader.column) {
        v.leftOut = int(rows.size());
        v.warning = QStringLiteral("no metric %1").arg(metric);
        return v;
    }
    for (int r : rows) {
        const double x = reader.at(r);
        if (std::isfinite(x)) {
            v.rows.push_back(r);
            v.values.push_back(x);
        } else {
            ++v.leftOut;
        }
    }
    if (v.rows.empty())
        v.warning = QStringLiteral("no run has a finite value of %1").arg(metric);
    return v;
}

// Why `param` cannot group, or empty.
QString paramProblem(const RunTable& table, const QString& param, const QStringList& seedKeys)
{
    if (!table.param(param))
        return QStringLiteral("no param %1").arg(param);
    if (isSeedKey(param, seedKeys))
        return QStringLiteral("%1 is a seed: runs that differ by it are repeats, not a param's values").arg(param);
    return {};
}

// Each valid run's seed group (the config it repeats), as an index.
std::vector<int> configsOf(const RunTable& table, const std::vector<int>& valid, const QStringList& seedKeys,
                           std::vector<int>& sizes)
{
    std::vector<int> configOfRow(size_t(table.rowCount()), -1);
    const std::vector<SeedGroup> configs = groupBySeed(table, valid, seedKeys);
    sizes.clear();
    for (size_t g = 0; g < configs.size(); ++g) {
        sizes.push_back(int(configs[g].rows.size()));
        for (int r : configs[g].rows)
            configOfRow[size_t(r)] = int(g);
    }
    std::vector<int> out(valid.size());
    for (size_t i = 0; i < valid.size(); ++i)
        out[i] = configOfRow[size_t(valid[i])];
    return out;
}

// Fills a group's points, box and stats from its runs (indices into valid).
void fillGroup(DistributionGroup& g, const std::vector<size_t>& runs, const ValidRuns& v, const std::vector<int>& config,
               const std::vector<int>& configSize)
{
    g.points.reserve(runs.size());
    std::vector<double> values;
    values.reserve(runs.size());
    for (size_t i : runs) {
        const int c = config.empty() ? 0 : config[i];
        g.points.push_back({v.rows[i], v.values[i], 0.0, c, configSize.empty() ? 1 : configSize[size_t(c)]});
        values.push_back(v.values[i]);
    }
    std::stable_sort(g.points.begin(), g.points.end(),
                     [](const DistributionPoint& a, const DistributionPoint& b) { return a.value < b.value; });
    // Lanes: one per config in the group, in order of the config's first
    // (lowest) run, so each config's seeds stand in a column. When no config
    // repeats, a golden-ratio sequence over the runs in value order spreads
    // them evenly without a random generator: the same picture every time.
    QHash<int, int> lane;
    for (const DistributionPoint& p : g.points)
        if (!lane.contains(p.config))
            lane.insert(p.config, int(lane.size()));
    const bool repeats = size_t(lane.size()) < g.points.size();
    constexpr double kWidth = 0.8;   // of the group's width: the rest parts neighbouring groups
    for (size_t k = 0; k < g.points.size(); ++k) {
        DistributionPoint& p = g.points[k];
        const double at = repeats ? (lane.value(p.config) + 0.5) / double(lane.size())
                                  : std::fmod(0.5 + double(k) * 0.6180339887498949, 1.0);
        p.offset = (at - 0.5) * kWidth;
    }
    g.stats = sampleStats(values);
    g.box = boxStats(std::move(values));
}

std::vector<DistributionGroup> groupsFor(const RunTable& table, const ValidRuns& v, const ValueColumn& c, int maxGroups,
                                         const std::vector<int>& config, const std::vector<int>& configSize,
                                         bool& numeric, bool& binned)
{
    std::vector<DistributionGroup> out;
    for (auto& [g, runs] : groupRuns(table, v.rows, c, std::max(3, maxGroups), numeric, binned)) {
        fillGroup(g, runs, v, config, configSize);
        out.push_back(std::move(g));
    }
    return out;
}

} // namespace

BoxStats boxStats(std::vector<double> values)
{
    BoxStats b;
    std::sort(values.begin(), values.end());
    b.n = int(values.size());
    if (values.empty()) {
        b.q1 = b.median = b.q3 = b.lowerWhisker = b.upperWhisker = NAN;
        return b;
    }
    const auto quantile = [&](double p) {
        const double h = double(values.size() - 1) * p;
        const size_t lo = size_t(std::floor(h));
        const size_t hi = std::min(lo + 1, values.size() - 1);
        return values[lo] + (h - double(lo)) * (values[hi] - values[lo]);
    };
    b.q1 = quantile(0.25);
    b.median = quantile(0.5);
    b.q3 = quantile(0.75);
    const double iqr = b.q3 - b.q1;
    const double lowFence = b.q1 - 1.5 * iqr, highFence = b.q3 + 1.5 * iqr;
    b.lowerWhisker = b.q1;
    b.upperWhisker = b.q3;
    for (double x : values) {
        if (x < lowFence || x > highFence) {
            b.outliers.push_back(x);
            continue;
        }
        b.lowerWhisker = std::min(b.lowerWhisker, x);
        b.upperWhisker = std::max(b.upperWhisker, x);
    }
    return b;
}

ParamDistribution paramDistribution(const RunTable& table, const std::vector<int>& rows, const QString& metric,
                                    const QString& param, int maxGroups, const QStringList& seedKeys)
{
    ParamDistribution out;
    out.metric = metric;
    out.param = param;
    const ValidRuns v = validRuns(table, rows, metric);
    out.runs = int(v.rows.size());
    out.leftOut = v.leftOut;
    out.warning = paramProblem(table, param, seedKeys);
    if (!out.warning.isEmpty() || !v.warning.isEmpty()) {
        if (out.warning.isEmpty())
            out.warning = v.warning;
        return out;
    }
    std::vector<int> sizes;
    const std::vector<int> config = configsOf(table, v.rows, seedKeys, sizes);
    out.groups = groupsFor(table, v, *table.param(param), maxGroups, config, sizes, out.numeric, out.binned);
    return out;
}

WelchTest compareGroups(const DistributionGroup& a, const DistributionGroup& b)
{
    return welchTTest(a.stats, b.stats);
}

QStringList distributionParams(const RunTable& table, const std::vector<int>& rows, const QStringList& seedKeys)
{
    QStringList out;
    QHash<QString, int> seen;
    for (const ValueColumn& c : table.params()) {
        if (isSeedKey(c.key, seedKeys) || !c.variesAcross(rows))
            continue;
        // A label (a run name or output path as a param) groups nothing:
        // text with as many values as runs that have it.
        seen.clear();
        int present = 0;
        bool text = false;
        for (int r : rows)
            if (c.has(r)) {
                ++present;
                text = text || !std::isfinite(c.number[size_t(r)]);
                seen.insert(c.text[size_t(r)], 0);
            }
        if (text && present > 1 && seen.size() == present)
            continue;
        out << c.key;
    }
    return out;
}

ParamHeatMap paramHeatMap(const RunTable& table, const std::vector<int>& rows, const QString& metric,
                          const QString& paramX, const QString& paramY, int maxGroups, const QStringList& seedKeys)
{
    ParamHeatMap out;
    out.metric = metric;
    out.paramX = paramX;
    out.paramY = paramY;
    out.minMean = out.maxMean = NAN;
    const ValidRuns v = validRuns(table, rows, metric);
    out.runs = int(v.rows.size());
    out.leftOut = v.leftOut;
    for (const QString& p : {paramX, paramY})
        if (out.warning.isEmpty())
            out.warning = paramProblem(table, p, seedKeys);
    if (out.warning.isEmpty() && paramX == paramY)
        out.warning = QStringLiteral("choose two different params");
    if (!out.warning.isEmpty() || !v.warning.isEmpty()) {
        if (out.warning.isEmpty())
            out.warning = v.warning;
        return out;
    }
    bool numeric = true, binned = false;
    out.x = groupsFor(table, v, *table.param(paramX), maxGroups, {}, {}, numeric, binned);
    out.y = groupsFor(table, v, *table.param(paramY), maxGroups, {}, {}, numeric, binned);
    // Each run's column and row, then the runs of each cell.
    std::vector<int> xOf(size_t(table.rowCount()), -1), yOf(size_t(table.rowCount()), -1);
    for (size_t g = 0; g < out.x.size(); ++g)
        for (const DistributionPoint& p : out.x[g].points)
            xOf[size_t(p.row)] = int(g);
    for (size_t g = 0; g < out.y.size(); ++g)
        for (const DistributionPoint& p : out.y[g].points)
            yOf[size_t(p.row)] = int(g);
    std::vector<std::vector<double>> values(out.x.size() * out.y.size());
    for (size_t i = 0; i < v.rows.size(); ++i) {
        const auto r = size_t(v.rows[i]);
        values[size_t(yOf[r]) * out.x.size() + size_t(xOf[r])].push_back(v.values[i]);
    }
    out.cells.resize(values.size());
    for (size_t k = 0; k < values.size(); ++k) {
        HeatMapCell& cell = out.cells[k];
        if (values[k].empty()) {
            cell.mean = NAN;
            ++out.emptyCells;
            continue;
        }
        const SampleStats s = sampleStats(values[k]);
        cell.n = s.n;
        cell.mean = s.mean;
        cell.sd = s.sd;
        out.minMean = std::isnan(out.minMean) ? s.mean : std::min(out.minMean, s.mean);
        out.maxMean = std::isnan(out.maxMean) ? s.mean : std::max(out.maxMean, s.mean);
    }
    return out;
}

} // namespace runlens
