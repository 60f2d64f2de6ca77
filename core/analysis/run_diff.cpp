// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_diff.h"

#include <QJsonArray>

#include "promotion.h"

#include "natural_compare.h"
#include "number_text.h"
#include "seed_statistics.h"
#include "tool_tags.h"

#include <QCryptographicHash>
#include <QMap>

#include <algorithm>
#include <cmath>

namespace runlens {

namespace {

using Section = QMap<QString, QString>;

// Every key of these sections once, in natural order (param_2 before param_10), as the run table's columns.
QStringList naturalKeys(const std::vector<const Section*>& sections)
{
    QStringList keys;
    for (const Section* s : sections)
        keys += s->keys();
    std::sort(keys.begin(), keys.end(), [](const QString& x, const QString& y) { return naturalCompare(x, y) < 0; });
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

void diffSection(const QString& name, const Section& a, const Section& b, std::vector<DiffEntry>& out)
{
    for (const QString& k : naturalKeys({&a, &b})) {
        const bool inA = a.contains(k), inB = b.contains(k);
        const QString va = a.value(k), vb = b.value(k);
        if (inA != inB || va != vb)
            out.push_back({name, k, va, vb, inA, inB});
    }
}

Section fromPairs(const KeyValues& kv)
{
    Section s;
    for (const auto& [k, v] : kv)
        s.insert(k, v);
    return s;
}

Section metricSection(const std::vector<MetricSummary>& metrics)
{
    Section s;
    for (const auto& m : metrics) {
        s.insert(m.key + QStringLiteral(".last"), numberText(m.last));
        s.insert(m.key + QStringLiteral(".min"), numberText(m.min));
        s.insert(m.key + QStringLiteral(".max"), numberText(m.max));
        s.insert(m.key + QStringLiteral(".mean"), numberText(m.mean));
        s.insert(m.key + QStringLiteral(".count"), QString::number(m.count));
        s.insert(m.key + QStringLiteral(".last_step"), QString::number(m.lastStep));
    }
    return s;
}

Section gitSection(const GitRecord& g)
{
    Section s;
    if (!g.present)
        return s;
    s.insert(QStringLiteral("commit"), g.commit);
    s.insert(QStringLiteral("branch"), g.branch);
    s.insert(QStringLiteral("remote"), g.remote);
    s.insert(QStringLiteral("dirty"), g.dirty ? QStringLiteral("yes") : QStringLiteral("no"));
    // Summarised, but by content: two different patches never read as equal.
    if (!g.diff.isEmpty()) {
        const QByteArray bytes = g.diff.toUtf8();
        s.insert(QStringLiteral("uncommitted diff"),
            QStringLiteral("%1 lines, sha256 %2%3")
                .arg(g.diff.count(QLatin1Char('\n')))
                .arg(QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(12)))
                .arg(g.diffTruncated ? QStringLiteral(" (truncated)") : QString()));
    }
    return s;
}

// Every section of a run, in the order the views show them.
std::vector<std::pair<QString, Section>> sectionsOf(const RunDetails& d, const CompareOptions& options)
{
    Section tags;
    Section run;
    for (const auto& [k, v] : d.tags)
        if (k == kCandidateTag)
            run.insert(QStringLiteral("candidate"), promotionSummary(v));   // a record, not a JSON blob
        else if (options.toolTags || !isToolInternalTag(k))
            tags.insert(k, v);
    run.insert(QStringLiteral("experiment"), d.experiment);
    run.insert(QStringLiteral("status"), statusName(d.status));
    run.insert(QStringLiteral("reproducibility hash"), d.reproHash);
    Section params;
    for (const auto& p : d.params)
        params.insert(p.key, p.value);
    return {{QStringLiteral("run"), run},
            {QStringLiteral("params"), params},
            {QStringLiteral("tags"), tags},
            {QStringLiteral("metrics"), metricSection(d.metrics)},
            {QStringLiteral("data"), fromPairs(d.dataVersions)},
            {QStringLiteral("git"), gitSection(d.git)},
            {QStringLiteral("environment"), fromPairs(d.environment)}};
}

} // namespace

std::vector<DiffEntry> diffRuns(const RunDetails& a, const RunDetails& b, const CompareOptions& options)
{
    std::vector<DiffEntry> out;
    const auto sa = sectionsOf(a, options), sb = sectionsOf(b, options);
    for (size_t i = 0; i < sa.size(); ++i)
        diffSection(sa[i].first, sa[i].second, sb[i].second, out);
    return out;
}

RunComparison compareRuns(const std::vector<RunDetails>& runs, const CompareOptions& options)
{
    RunComparison c;
    std::vector<std::vector<std::pair<QString, Section>>> sections;
    for (const auto& r : runs) {
        c.runIds.push_back(r.id);
        c.runNames.push_back(r.name);
        sections.push_back(sectionsOf(r, options));
    }
    if (runs.empty())
        return c;
    for (size_t s = 0; s < sections.front().size(); ++s) {
        std::vector<const Section*> ofRuns;
        for (const auto& run : sections)
            ofRuns.push_back(&run[s].second);
        for (const QString& key : naturalKeys(ofRuns)) {
            ComparisonRow row;
            row.section = sections.front()[s].first;
            row.key = key;
            for (const Section* sec : ofRuns)
                row.values.push_back(sec->contains(key) ? std::optional(sec->value(key)) : std::nullopt);
            row.differs = std::any_of(row.values.begin(), row.values.end(),
                                      [&](const auto& v) { return v != row.values.front(); });
            // A seed is a label: seed 3 is not "+2" on seed 1.
            row.quantity = !(row.section == QLatin1String("params") && isSeedKey(row.key, defaultSeedKeys()))
                && !(row.section == QLatin1String("environment") && row.key.startsWith(QLatin1String("seed")));
            c.rows.push_back(std::move(row));
        }
    }
    return c;
}

bool sectionHoldsNumbers(const QString& section)
{
    return section == QLatin1String("params") || section == QLatin1String("tags") || section == QLatin1String("metrics");
}

std::optional<Delta> deltaOf(const std::optional<QString>& value, const std::optional<QString>& baseline)
{
    if (!value || !baseline)
        return std::nullopt;
    bool okA = false, okB = false;
    const double v = value->toDouble(&okA), b = baseline->toDouble(&okB);
    if (!okA || !okB || !std::isfinite(v) || !std::isfinite(b))
        return std::nullopt;
    Delta d;
    d.absolute = v - b;
    if (b != 0)
        d.percent = (v - b) / std::abs(b) * 100.0;
    return d;
}

namespace {

// The comparison as plain cells: a header, then one line per shown row,
// deltas against the baseline appended. Markdown and LaTeX escape these.
struct ComparisonCells {
    QStringList header;
    std::vector<QStringList> rows;
};

ComparisonCells comparisonCells(const RunComparison& c, bool onlyDifferences, int baseline)
{
    ComparisonCells out;
    out.header = {QStringLiteral("section"), QStringLiteral("key")};
    for (size_t i = 0; i < c.runNames.size(); ++i)
        out.header << c.runNames[i] + (int(i) == baseline ? QStringLiteral(" (baseline)") : QString());
    for (const auto& row : c.rows) {
        if (onlyDifferences && !row.differs)
            continue;
        QStringList cells = {row.section, row.key};
        for (size_t i = 0; i < row.values.size(); ++i) {
            // As reports show numbers (a pasted table is read, not parsed): compact.
            QString v = !row.values[i] ? QStringLiteral("—") : sectionHoldsNumbers(row.section) ? compactValue(*row.values[i]) : *row.values[i];
            if (row.quantity && baseline >= 0 && int(i) != baseline && size_t(baseline) < row.values.size()) {
                if (const auto d = deltaOf(row.values[i], row.values[size_t(baseline)]); d && d->absolute != 0)
                    v += QStringLiteral(" (%1)").arg(deltaText(*d));
            }
            cells << v;
        }
        out.rows.push_back(cells);
    }
    return out;
}

} // namespace

QString deltaText(const Delta& d)
{
    QString text = (d.absolute > 0 ? QStringLiteral("+") : QString()) + compactNumber(d.absolute);
    if (d.percent)
        text += QStringLiteral(", %1%2%").arg(*d.percent > 0 ? QStringLiteral("+") : QString(), QString::number(*d.percent, 'f', 1));
    return text;
}

QString comparisonToMarkdown(const RunComparison& c, bool onlyDifferences, int baseline)
{
    // A cell is text, wherever the Markdown is rendered: HTML-significant
    // characters are escaped (a run named <img onerror=...> stays a name) and
    // link brackets too ([x](javascript:...) is no link).
    auto cell = [](const QString& s) {
        QString out;
        out.reserve(s.size());
        for (const QChar ch : s) {
            switch (ch.unicode()) {
            case '&': out += QStringLiteral("&amp;"); break;
            case '<': out += QStringLiteral("&lt;"); break;
            case '>': out += QStringLiteral("&gt;"); break;
            case '|': case '[': case ']': case '\\':
                out += QLatin1Char('\\');
                out += ch;
                break;
            case '\n': case '\r': out += QLatin1Char(' '); break;
            default: out += ch;
            }
        }
        return out;
    };
    const ComparisonCells cells = comparisonCells(c, onlyDifferences, baseline);
    auto line = [&](const QStringList& values) {
        QString l = QStringLiteral("|");
        for (const auto& v : values)
            l += QLatin1Char(' ') + cell(v) + QStringLiteral(" |");
        return l + QLatin1Char('\n');
    };
    QString out = line(cells.header) + QStringLiteral("|") + QStringLiteral("---|").repeated(cells.header.size()) + QLatin1Char('\n');
    for (const auto& row : cells.rows)
        out += line(row);
    return out;
}

QString latexEscape(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar ch : text) {
        switch (ch.unicode()) {
        case '\\': out += QStringLiteral("\\textbackslash{}"); break;
        case '&': case '%': case '$': case '#': case '_': case '{': case '}':
            out += QLatin1Char('\\') + ch;
            break;
        case '~': out += QStringLiteral("\\textasciitilde{}"); break;
        case '^': out += QStringLiteral("\\textasciicircum{}"); break;
        case '<': out += QStringLiteral("\\textless{}"); break;
        case '>': out += QStringLiteral("\\textgreater{}"); break;
        case '|': out += QStringLiteral("\\textbar{}"); break;
        case '\n': case '\r': case '\t': out += QLatin1Char(' '); break;
        case 0x2014: out += QStringLiteral("---"); break;   // the missing-value dash
        default: out += ch;
        }
    }
    return out;
}

QString comparisonToLatex(const RunComparison& c, bool onlyDifferences, int baseline)
{
    const ComparisonCells cells = comparisonCells(c, onlyDifferences, baseline);
    auto line = [](const QStringList& values) {
        QStringList escaped;
        for (const auto& v : values)
            escaped << latexEscape(v);
        return escaped.join(QStringLiteral(" & ")) + QStringLiteral(" \\\\\n");
    };
    QString out = QStringLiteral("% Runlens run comparison; uses \\usepackage{booktabs}\n\\begin{tabular}{ll%1}\n\\toprule\n")
                      .arg(QString(qsizetype(c.runNames.size()), QLatin1Char('l')));
    out += line(cells.header) + QStringLiteral("\\midrule\n");
    for (const auto& row : cells.rows)
        out += line(row);
    return out + QStringLiteral("\\bottomrule\n\\end{tabular}\n");
}

QJsonObject runDiffToJson(const RunDetails& a, const RunDetails& b, const std::vector<DiffEntry>& entries)
{
    QJsonArray arr;
    for (const auto& e : entries)
        arr.append(QJsonObject{{QStringLiteral("section"), e.section}, {QStringLiteral("key"), e.key},
            {QStringLiteral("a"), e.inA ? QJsonValue(e.a) : QJsonValue()},
            {QStringLiteral("b"), e.inB ? QJsonValue(e.b) : QJsonValue()}});
    return QJsonObject{{QStringLiteral("a"), a.id}, {QStringLiteral("b"), b.id}, {QStringLiteral("differences"), arr}};
}

} // namespace runlens
