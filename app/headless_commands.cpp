// SPDX-License-Identifier: GPL-3.0-or-later
// The sub-commands that run headless over core/: runs, show, diff, metric, seeds, pareto, importance, import.
#include "cli_command.h"
#include "opened_store.h"

#include "column_key.h"
#include "derived_metrics.h"
#include "metric_priority.h"

#include "number_text.h"
#include "param_importance.h"
#include "pareto_front.h"
#include "run_diff.h"
#include "baselines.h"
#include "run_json.h"
#include "run_query.h"
#include "run_table_csv.h"
#include "run_tree.h"
#include "store_entries.h"
#include "seed_statistics.h"
#include "store_importer.h"
#include "store_registry.h"
#include "tool_tags.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

namespace runlens::cli {

namespace {

QString elide(const QString& s, int width)
{
    QString flat = s;
    flat.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return flat.size() <= width ? flat : flat.left(width - 1) + QChar(0x2026);
}

QString timeText(int64_t ms)
{
    return ms < 0 ? QString() : QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

// "-" while the run is still going.
QString runDuration(int64_t startMs, int64_t endMs)
{
    return endMs < 0 ? QStringLiteral("-") : durationText(endMs - startMs);
}

// Columns as wide as their widest cell. `cellsOf(i)` gives row i's cells and
// is called twice a row, to measure and then to print, so that no row is
// kept: `runlens runs` prints 100,000 runs in the memory of one line.
void printAlignedEach(QTextStream& out, const QStringList& header, size_t count,
    const std::function<QStringList(size_t)>& cellsOf)
{
    std::vector<qsizetype> width(static_cast<size_t>(header.size()));
    auto widen = [&](const QStringList& cells) {
        for (qsizetype c = 0; c < cells.size() && size_t(c) < width.size(); ++c)
            width[size_t(c)] = std::max(width[size_t(c)], cells[c].size());
    };
    widen(header);
    for (size_t i = 0; i < count; ++i)
        widen(cellsOf(i));
    QString text;
    auto line = [&](const QStringList& cells) {
        text.resize(0); // keeps its capacity
        for (qsizetype c = 0; c < cells.size(); ++c) {
            if (c)
                text += QStringLiteral("  ");
            // Multi-line values (a command line, notes) stay on their row.
            QString cell = cells[c];
            cell.replace(QLatin1Char('\n'), QStringLiteral(" \u21b5 "));
            text += c + 1 == cells.size() ? cell : cell.leftJustified(width[size_t(c)]);
        }
        text += QLatin1Char('\n');
        out << text;
    };
    line(header);
    for (size_t i = 0; i < count; ++i)
        line(cellsOf(i));
}

} // namespace

void printAligned(QTextStream& out, const QStringList& header, const std::vector<QStringList>& rows)
{
    printAlignedEach(out, header, rows.size(), [&](size_t i) { return rows[i]; });
}

std::optional<Opened> openAndLoad(const QString& path, const QString& kind, bool deleted, QTextStream& err,
                                  ExitCode& code, const QString& selectedBy)
{
    auto opened = LoadedStore::open(path, kind, deleted, selectedBy);
    if (!opened) {
        err << "runlens: " << opened.error() << '\n';
        code = StoreError;
        return std::nullopt;
    }
    for (const auto& p : opened->runs.problems)
        err << "runlens: warning: " << p << '\n';
    for (const auto& n : opened->runs.notes)
        err << "runlens: note: " << n << '\n';
    for (const auto& p : opened->derivedMetricProblems)
        err << "runlens: warning: " << p << '\n';
    return std::move(*opened);
}

QString oneLine(const QString& text)
{
    QString out = text.simplified();
    for (QChar& c : out)
        if (c.category() == QChar::Other_Control)
            c = QChar(0xfffd);
    return out;
}

int findRunOrFail(const RunTable& table, const QString& which, QTextStream& err)
{
    const auto rows = table.findRuns({which});
    if (!rows) {
        err << "runlens: " << rows.error() << '\n';
        return -1;
    }
    return rows->front();
}

namespace {

// A run's metric as a table cell: "-" where it has none, or a mean the store does not know.
QString shownCell(const MetricColumn& m, ShownStat stat, int row)
{
    if (!m.has(row))
        return QStringLiteral("-");
    const double v = shownValue(m, stat, row);
    return stat == ShownStat::Mean && std::isnan(v) ? QStringLiteral("-") : compactNumber(v);
}

ExitCode cmdRuns(const QStringList& columns, const QString& format, const QString& query, bool withTrash, Opened& s,
                 QTextStream& out, QTextStream& err)
{
    const RunTable& t = *s.runs.table;
    // The notebook's trash is out of sight, as in the app, unless asked for
    // with the other tools' deleted runs.
    const auto selection = s.select(query, withTrash);
    if (selection.error) {
        err << "runlens: invalid query, " << selection.error->describe() << '\n';
        err << "  " << query << '\n'
            << "  " << QString(selection.error->position, QLatin1Char(' '))
            << QString(std::max(1, selection.error->length), QLatin1Char('^')) << '\n';
        return BadQuery;
    }
    const std::vector<int>& rows = selection.rows;
    // Both written run by run as they are formatted: a document built whole
    // first took 625 MB and 4.4 s to print 10,000 runs.
    if (format == QLatin1String("json")) {
        writeRunsJson(t, rows, out);
        return Ok;
    }
    if (format == QLatin1String("csv")) {
        writeRunTableCsv(t, rows, out);
        return Ok;
    }
    // A terminal table: identity, then the params that vary and the metrics.
    QStringList header = {QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("EXPERIMENT"),
        QStringLiteral("STATUS"), QStringLiteral("STARTED"), QStringLiteral("DURATION")};
    // Every param that varies and every metric the runs have, unless --columns
    // chooses (in its order): a column left out silently is a result the user never sees.
    // A metric shows as the app shows it: its last value, a system metric
    // its peak, mean or lowest (metric_priority.h); KEY.max and the like ask.
    struct Column {
        const ValueColumn* param = nullptr;
        const MetricColumn* metric = nullptr;
        ShownStat stat = ShownStat::Last;
    };
    auto metricColumn = [](const MetricColumn* m, std::optional<ShownStat> stat = std::nullopt) {
        return Column{nullptr, m, stat.value_or(shownStatOf(m->key))};
    };
    std::vector<Column> shown;
    if (!columns.isEmpty()) {
        for (const auto& name : columns) {
            const ColumnKey key = ColumnKey::parse(name);
            const ValueColumn* p = key.kind == ColumnKey::Kind::Metric ? nullptr
                : t.param(key.kind == ColumnKey::Kind::Param ? key.name : name);
            const QString metricName = key.kind == ColumnKey::Kind::Metric ? key.name : name;
            const MetricColumn* m = p || key.kind == ColumnKey::Kind::Param ? nullptr : t.metric(metricName);
            if (p || m) {
                shown.push_back(p ? Column{p, nullptr} : metricColumn(m));
                continue;
            }
            const auto cut = key.kind == ColumnKey::Kind::Param ? std::nullopt : cutStatSuffix(metricName);
            if (const MetricColumn* summarised = cut ? t.metric(cut->first) : nullptr) {
                shown.push_back(metricColumn(summarised, cut->second));
                continue;
            }
            err << "runlens runs: no param or metric '" << name << "'\n";
            return Usage;
        }
    } else {
        for (const auto& c : t.params())
            if (c.variesAcross(rows))
                shown.push_back({&c, nullptr});
        // System metrics (CPU, memory, GPU) only when asked for by --columns.
        for (const auto& m : t.metrics())
            if (!isSystemMetric(m.key) && std::any_of(rows.begin(), rows.end(), [&](int r) { return m.has(r); }))
                shown.push_back(metricColumn(&m));
    }
    // A summary's header is its query field (system/process.rss_mb.max).
    for (const auto& c : shown)
        header << (c.param ? elide(c.param->key, 20) : elide(c.metric->key + querySuffixOf(c.stat), 40));
    // Nested runs under their parent (run_tree.h); a parent the query did not
    // match stays above its runs, in parentheses.
    const std::vector<RunTree::Line> lines = RunTree::build(t, rows, true).flatten();
    const auto context = std::count_if(lines.begin(), lines.end(), [](const RunTree::Line& l) { return l.context; });
    printAlignedEach(out, header, lines.size(), [&](size_t i) {
        const RunTree::Line& line = lines[i];
        const int r = line.row;
        QString name = elide(t.name(r), 32);
        if (line.context)
            name = QLatin1Char('(') + name + QLatin1Char(')');
        if (line.depth > 0)
            name = QString(2 * (line.depth - 1), QLatin1Char(' ')) + QStringLiteral("\u2514 ") + name;
        QStringList cells = {t.id(r).left(8), name, elide(t.experiment(r), 20), statusName(t.status(r)),
            timeText(t.startTime(r)), runDuration(t.startTime(r), t.endTime(r))};
        for (const auto& c : shown)
            cells << (c.param ? (c.param->has(r) ? elide(compactValue(c.param->text[size_t(r)]), 20) : QStringLiteral("-"))
                              : shownCell(*c.metric, c.stat, r));
        return cells;
    });
    out << rows.size() << " of " << t.rowCount() << " runs";
    if (context > 0)
        out << ", under " << context << (context == 1 ? " parent" : " parents") << " that did not match (in parentheses)";
    out << '\n';
    return Ok;
}

ExitCode cmdSeeds(const QString& metric, const QStringList& seedKeys, const QString& query, const QString& format,
             Opened& s, QTextStream& out, QTextStream& err)
{
    const RunTable& t = *s.runs.table;
    const QueryContext baselines = queryContextOf(s);
    const auto selection = RunQuery(query).select(t, &baselines);
    if (selection.error) {
        err << "runlens: invalid query, " << selection.error->describe() << '\n';
        return BadQuery;
    }
    const auto rows = seedGroupSummaries(t, selection.rows, metric, seedKeys.isEmpty() ? defaultSeedKeys() : seedKeys);
    if (rows.empty()) {
        err << "runlens seeds: no run has metric '" << metric << "'\n";
        return RunNotFound;
    }
    if (format == QLatin1String("json")) {
        out << QString::fromUtf8(QJsonDocument(seedGroupSummariesToJson(t, rows)).toJson(QJsonDocument::Indented));
        return Ok;
    }
    std::vector<QStringList> lines;
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        QString test = QStringLiteral("(best)");
        if (r.vsBest)
            test = r.vsBest->valid ? QStringLiteral("p = %1").arg(QString::number(r.vsBest->p, 'g', 3)) : QStringLiteral("-");
        lines.push_back({elide(r.group.label, 60), QString::number(r.stats.n),
                         QStringLiteral("%1 ± %2").arg(compactNumber(r.stats.mean), compactNumber(r.stats.sd)),
                         compactNumber(r.stats.min), compactNumber(r.stats.max), test,
                         r.stats.n < 3 ? QStringLiteral("fewer than 3 runs") : QString()});
    }
    out << "Metric " << metric << " by config (runs that differ only by seed), best mean first;\n"
        << "p: Welch's t-test against the best group (two-sided)\n\n";
    printAligned(out, {QStringLiteral("CONFIG"), QStringLiteral("N"), QStringLiteral("MEAN ± SD"), QStringLiteral("MIN"),
                       QStringLiteral("MAX"), QStringLiteral("VS BEST"), QStringLiteral("NOTE")},
                 lines);
    return Ok;
}

ExitCode cmdMetric(
    const QString& runName, const QString& key, const QString& format, Opened& s, QTextStream& out, QTextStream& err)
{
    const RunTable& t = *s.runs.table;
    const int row = findRunOrFail(t, runName, err);
    if (row < 0)
        return RunNotFound;
    const auto loaded = s.series(row, key);
    if (!loaded) {
        err << "runlens: " << loaded.error() << '\n';
        return s.hasMetric(row, key) ? StoreError : RunNotFound;
    }
    const auto& series = *loaded;
    for (const auto& p : series->problems)
        err << "runlens: warning: " << p << '\n';
    if (format == QLatin1String("json")) {
        writeSeriesJson(*series, out);
        return Ok;
    }
    out << "step,timestamp,value\n";
    for (size_t i = 0; i < series->size(); ++i)
        out << series->steps[i] << ',' << QString::number(series->wallTimes[i], 'f', 3) << ','
            << numberText(series->values[i]) << '\n';
    return Ok;
}

void printSection(QTextStream& out, const QString& title, const std::vector<QStringList>& rows,
    const QStringList& header = {QStringLiteral("KEY"), QStringLiteral("VALUE")})
{
    if (rows.empty())
        return;
    out << '\n' << title << '\n';
    printAligned(out, header, rows);
}

ExitCode cmdShow(const QString& runName, const QString& format, const CompareOptions& options, Opened& s,
                 QTextStream& out, QTextStream& err)
{
    const RunTable& t = *s.runs.table;
    const int row = findRunOrFail(t, runName, err);
    if (row < 0)
        return RunNotFound;
    auto d = s.reader->loadDetails(t.id(row));
    if (!d) {
        err << "runlens: " << d.error() << '\n';
        return Failed;
    }
    if (format == QLatin1String("json")) {
        out << QString::fromUtf8(QJsonDocument(detailsToJson(*d)).toJson(QJsonDocument::Indented));
        return Ok;
    }
    out << "Run " << d->name << " (" << d->id << ")\n";
    std::vector<QStringList> head = {{QStringLiteral("experiment"), d->experiment},
        {QStringLiteral("status"), statusName(d->status)}, {QStringLiteral("started"), timeText(d->startTime)},
        {QStringLiteral("ended"), d->endTime < 0 ? QStringLiteral("-") : timeText(d->endTime)},
        {QStringLiteral("duration"), runDuration(d->startTime, d->endTime)},
        {QStringLiteral("host / pid"), QStringLiteral("%1 / %2").arg(d->host).arg(d->pid)},
        {QStringLiteral("reproducibility hash"), d->reproHash}};
    if (!d->parentId.isEmpty())
        head.push_back({QStringLiteral("parent"), d->parentId});
    if (!d->hypothesis.isEmpty())
        head.push_back({QStringLiteral("hypothesis"), d->hypothesis});
    if (!d->notes.isEmpty())
        head.push_back({QStringLiteral("notes"), d->notes});
    // The logger's "already tried" record (runlens/already_tried.h), in its words;
    // the JSON stays under Tags.
    for (const auto& [k, v] : d->tags)
        if (k == kAlreadyTriedTag)
            head.push_back({QStringLiteral("already tried"), alreadyTriedText(v)});
    printAligned(out, {QStringLiteral("FIELD"), QStringLiteral("VALUE")}, head);

    std::vector<QStringList> rows;
    for (const auto& p : d->params)
        rows.push_back({p.key, p.type, compactValue(p.value)});
    printSection(
        out, QStringLiteral("Params"), rows, {QStringLiteral("KEY"), QStringLiteral("TYPE"), QStringLiteral("VALUE")});
    rows.clear();
    for (const auto& m : d->metrics)
        rows.push_back({m.key, compactNumber(m.last), compactNumber(m.min), compactNumber(m.max),
            std::isnan(m.mean) ? QStringLiteral("-") : compactNumber(m.mean), QString::number(m.count),
            QStringLiteral("%1..%2").arg(m.firstStep).arg(m.lastStep), QString::number(m.nanCount)});
    printSection(out, QStringLiteral("Metrics"), rows,
        {QStringLiteral("KEY"), QStringLiteral("LAST"), QStringLiteral("MIN"), QStringLiteral("MAX"),
            QStringLiteral("MEAN"), QStringLiteral("COUNT"), QStringLiteral("STEPS"), QStringLiteral("NAN")});
    auto kv = [](const KeyValues& pairs) {
        std::vector<QStringList> r;
        for (const auto& [k, v] : pairs)
            r.push_back({k, v});
        return r;
    };
    KeyValues tags;
    for (const auto& [k, v] : d->tags)
        if (options.toolTags || !isToolInternalTag(k))
            tags.emplace_back(k, v);
    printSection(out, QStringLiteral("Tags"), kv(tags));
    if (const auto hidden = d->tags.size() - tags.size(); hidden > 0)
        out << "(" << hidden << " internal tag(s) of other tools hidden; --tool-tags shows them)\n";
    printSection(out, QStringLiteral("Data versions"), kv(d->dataVersions));
    if (d->git.present) {
        printSection(out, QStringLiteral("Git"),
            {{QStringLiteral("repository"), d->git.repoPath}, {QStringLiteral("commit"), d->git.commit},
                {QStringLiteral("branch"), d->git.branch}, {QStringLiteral("remote"), d->git.remote},
                {QStringLiteral("uncommitted changes"),
                    d->git.dirty ? QStringLiteral("yes (%1 lines of diff%2)")
                                       .arg(d->git.diff.count(QLatin1Char('\n')))
                                       .arg(d->git.diffTruncated ? QStringLiteral(", truncated") : QString())
                                 : d->git.dirtyText()}});
    }
    printSection(out, QStringLiteral("Environment"), kv(d->environment));
    rows.clear();
    for (const auto& a : d->artifacts)
        rows.push_back({a.path, a.size < 0 ? QStringLiteral("-") : QString::number(a.size), a.sha256.left(12), a.uri});
    printSection(out, QStringLiteral("Artifacts"), rows,
        {QStringLiteral("PATH"), QStringLiteral("SIZE"), QStringLiteral("SHA256"), QStringLiteral("URI")});
    for (const auto& [name, json] : d->configs)
        out << "\nConfig " << name << ":\n" << json << '\n';
    return Ok;
}

ExitCode cmdDiff(const QString& nameA, const QString& nameB, const QString& format, const CompareOptions& options,
                 Opened& s, QTextStream& out, QTextStream& err)
{
    const RunTable& t = *s.runs.table;
    const int ra = findRunOrFail(t, nameA, err);
    if (ra < 0)
        return RunNotFound;
    const int rb = findRunOrFail(t, nameB, err);
    if (rb < 0)
        return RunNotFound;
    auto a = s.reader->loadDetails(t.id(ra));
    auto b = s.reader->loadDetails(t.id(rb));
    if (!a || !b) {
        err << "runlens: " << (a ? b.error() : a.error()) << '\n';
        return Failed;
    }
    if (format == QLatin1String("markdown") || format == QLatin1String("latex")) {
        // What differs, B's deltas against A: a table to paste into notes or a paper.
        const RunComparison c = compareRuns({*a, *b}, options);
        out << (format == QLatin1String("latex") ? comparisonToLatex(c, true, 0) : comparisonToMarkdown(c, true, 0));
        return Ok;
    }
    const auto entries = diffRuns(*a, *b, options);
    if (format == QLatin1String("json")) {
        out << QString::fromUtf8(QJsonDocument(runDiffToJson(*a, *b, entries)).toJson(QJsonDocument::Indented));
        return Ok;
    }
    out << "A: " << a->name << " (" << a->id << ")\nB: " << b->name << " (" << b->id << ")\n";
    if (entries.empty()) {
        out << "\nNo differences.\n";
        return Ok;
    }
    QString section;
    std::vector<QStringList> rows;
    auto flush = [&] {
        if (!rows.empty())
            printSection(out, section, rows, {QStringLiteral("KEY"), QStringLiteral("A"), QStringLiteral("B")});
        rows.clear();
    };
    for (const auto& e : entries) {
        if (e.section != section) {
            flush();
            section = e.section;
        }
        // Params and metric summaries compact, as on screen; the rest is text as logged.
        const bool numbers = sectionHoldsNumbers(e.section);
        auto shown = [&](const QString& v) { return elide(numbers ? compactValue(v) : v, 48); };
        rows.push_back({e.key, e.inA ? shown(e.a) : QStringLiteral("(none)"), e.inB ? shown(e.b) : QStringLiteral("(none)")});
    }
    flush();
    return Ok;
}


// --tool-tags: other tools' internal tags (mlflow.*) shown too.
CompareOptions compareOptions(const CliCall& call)
{
    return {.toolTags = call.isSet(QStringLiteral("tool-tags"))};
}

// Runs `command` on the store a call names first, opened with its --kind and
// --deleted; a store that cannot be opened ends the call with its exit code.
template <class Command>
ExitCode withStore(const CliCall& call, Command&& command, const QString& selectedBy = {})
{
    ExitCode code = Ok;
    auto store = openAndLoad(call.positionals.first(), call.value(QStringLiteral("kind")),
                             call.isSet(QStringLiteral("deleted")), call.err, code, selectedBy);
    return store ? command(*store) : code;
}

} // namespace

ExitCode runsCommand(const CliCall& call)
{
    if (call.isSet(QStringLiteral("saved")) && call.isSet(QStringLiteral("query"))) {
        call.err << "runlens: give --query or --saved, not both\n";
        return Usage;
    }
    return withStore(call, [&](Opened& store) {
        QString query = call.value(QStringLiteral("query"));
        if (call.isSet(QStringLiteral("saved"))) {
            const QString name = call.value(QStringLiteral("saved"));
            const auto saved = readSavedQueries(*store.reader);
            const auto it = std::find_if(saved.begin(), saved.end(), [&](const StoreEntry& q) { return q.name == name; });
            if (it == saved.end()) {
                QStringList names;
                for (const auto& q : saved)
                    names << q.name;
                call.err << "runlens: no saved query '" << name << "' in " << call.positionals.first()
                         << (names.isEmpty() ? QStringLiteral(" (it has none)")
                                             : QStringLiteral("; saved: ") + names.join(QStringLiteral(", ")))
                         << '\n';
                return BadQuery;
            }
            query = it->value;
        }
        return cmdRuns(call.list(QStringLiteral("columns")), call.format, query, call.isSet(QStringLiteral("deleted")), store,
                       call.out, call.err);
    }, call.value(QStringLiteral("query")));
}

ExitCode showCommand(const CliCall& call)
{
    return withStore(call, [&](Opened& store) {
        return cmdShow(call.positionals[1], call.format, compareOptions(call), store, call.out, call.err);
    });
}

ExitCode diffCommand(const CliCall& call)
{
    return withStore(call, [&](Opened& store) {
        return cmdDiff(call.positionals[1], call.positionals[2], call.format, compareOptions(call), store, call.out,
                       call.err);
    });
}

ExitCode metricCommand(const CliCall& call)
{
    return withStore(call, [&](Opened& store) {
        return cmdMetric(call.positionals[1], call.positionals[2], call.format, store, call.out, call.err);
    });
}

// The runs of --query as the app shows them (the trash left out); nullopt
// after saying what is wrong with the query.
static std::optional<std::vector<int>> shownRuns(const CliCall& call, const Opened& s)
{
    const RunTable& t = *s.runs.table;
    const QueryContext baselines = queryContextOf(s);
    const auto selection = RunQuery(call.value(QStringLiteral("query"))).select(t, &baselines);
    if (selection.error) {
        call.err << "runlens: invalid query, " << selection.error->describe() << '\n';
        return std::nullopt;
    }
    std::vector<int> rows;
    for (int r : selection.rows)
        if (!t.isTrashed(r))
            rows.push_back(r);
    return rows;
}

ExitCode paretoCommand(const CliCall& call)
{
    // KEY:min or KEY:max; KEY a metric (its last value) or params.NAME.
    struct Axis {
        QString key;
        Better better;
    };
    auto axis = [&](const char* option) -> std::optional<Axis> {
        const QString v = call.value(QString::fromLatin1(option));
        const qsizetype colon = v.lastIndexOf(QLatin1Char(':'));
        const QString dir = colon < 0 ? QString() : v.mid(colon + 1);
        if (colon <= 0 || (dir != QLatin1String("min") && dir != QLatin1String("max")))
            return std::nullopt;
        return Axis{v.left(colon), dir == QLatin1String("min") ? Better::Lower : Better::Higher};
    };
    const auto x = axis("x"), y = axis("y");
    if (!x || !y)
        return usageError(QStringLiteral("pareto"), QStringLiteral("expected --x KEY:min|max and --y KEY:min|max"), call.err);
    return withStore(call, [&](Opened& s) {
        const RunTable& t = *s.runs.table;
        const auto shown = shownRuns(call, s);
        if (!shown)
            return BadQuery;
        const std::vector<int>& rows = *shown;
        auto valuesOf = [&](const QString& key) -> std::optional<std::function<double(int)>> {
            if (key.startsWith(QLatin1String("params."))) {
                const ValueColumn* c = t.param(key.mid(7));
                if (!c)
                    return std::nullopt;
                return [c](int r) { return c->has(r) ? c->number[size_t(r)] : NAN; };
            }
            const MetricColumn* m = t.metric(key.startsWith(QLatin1String("metrics.")) ? key.mid(8) : key);
            if (!m)
                return std::nullopt;
            return [m](int r) { return m->has(r) ? m->last[size_t(r)] : NAN; };
        };
        const auto fx = valuesOf(x->key), fy = valuesOf(y->key);
        if (!fx || !fy) {
            call.err << "runlens pareto: no metric or param '" << (fx ? y->key : x->key) << "' in the store\n";
            return Usage;
        }
        std::vector<std::pair<double, double>> points;
        for (int r : rows)
            points.emplace_back((*fx)(r), (*fy)(r));
        const auto front = paretoFront(points, x->better, y->better);
        if (call.format == QLatin1String("json")) {
            QJsonArray arr;
            for (size_t i : front)
                arr.append(QJsonObject{{QStringLiteral("id"), t.id(rows[i])},
                                       {QStringLiteral("name"), t.name(rows[i])},
                                       {x->key, points[i].first},
                                       {y->key, points[i].second}});
            call.out << QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Indented));
            return Ok;
        }
        std::vector<QStringList> lines;
        for (size_t i : front)
            lines.push_back({t.id(rows[i]).left(8), t.name(rows[i]), compactNumber(points[i].first), compactNumber(points[i].second)});
        printAligned(call.out, {QStringLiteral("ID"), QStringLiteral("NAME"), x->key.toUpper(), y->key.toUpper()}, lines);
        call.out << front.size() << " of " << rows.size() << " runs on the front (" << x->key
                 << (x->better == Better::Lower ? " lower" : " higher") << " is better, " << y->key
                 << (y->better == Better::Lower ? " lower" : " higher") << " is better)\n";
        return Ok;
    });
}

ExitCode seedsCommand(const CliCall& call)
{
    if (!call.isSet(QStringLiteral("metric")))
        return usageError(QStringLiteral("seeds"), QStringLiteral("expected --metric M"), call.err);
    return withStore(call, [&](Opened& store) {
        return cmdSeeds(call.value(QStringLiteral("metric")), call.list(QStringLiteral("seed-keys")),
                        call.value(QStringLiteral("query")), call.format, store, call.out, call.err);
    });
}

ExitCode importanceCommand(const CliCall& call)
{
    if (!call.isSet(QStringLiteral("metric")))
        return usageError(QStringLiteral("importance"), QStringLiteral("expected --metric M"), call.err);
    const QString metric = call.value(QStringLiteral("metric"));
    return withStore(call, [&](Opened& s) {
        const RunTable& t = *s.runs.table;
        const auto rows = shownRuns(call, s);
        if (!rows)
            return BadQuery;
        const QStringList seedKeys = call.list(QStringLiteral("seed-keys"));
        const ImportanceResult result = paramImportance(t, *rows, metric, seedKeys.isEmpty() ? defaultSeedKeys() : seedKeys);
        if (result.runs == 0) {
            call.err << "runlens importance: " << result.warning << '\n';
            return RunNotFound;
        }
        if (call.format == QLatin1String("json")) {
            QJsonArray params, skipped;
            for (const auto& p : result.params) {
                QJsonObject o{{QStringLiteral("param"), p.key},
                              {QStringLiteral("kind"), kindName(p.kind)},
                              {QStringLiteral("runs"), p.runs},
                              {QStringLiteral("groups"), p.groups},
                              {QStringLiteral("importance"), jsonNumber(p.importance)},
                              {p.kind == ParamImportance::Kind::Numeric ? QStringLiteral("spearman")
                                                                        : QStringLiteral("epsilon_squared"),
                               jsonNumber(p.correlation)}};
                if (!p.warning.isEmpty())
                    o.insert(QStringLiteral("warning"), p.warning);
                params.append(o);
            }
            for (const auto& k : result.skipped)
                skipped.append(QJsonObject{{QStringLiteral("param"), k.key}, {QStringLiteral("reason"), k.reason}});
            QJsonObject doc{{QStringLiteral("metric"), metric},
                            {QStringLiteral("runs"), result.runs},
                            {QStringLiteral("left_out"), result.leftOut},
                            {QStringLiteral("method"), result.method},
                            {QStringLiteral("params"), params},
                            {QStringLiteral("skipped"), skipped}};
            if (!result.warning.isEmpty())
                doc.insert(QStringLiteral("warning"), result.warning);
            call.out << QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented));
            return Ok;
        }
        std::vector<QStringList> lines;
        for (const auto& p : result.params) {
            const bool signedValue = p.kind == ParamImportance::Kind::Numeric;
            const QString corr = correlationName(p.kind) + QLatin1Char(' ')
                + (signedValue && p.correlation >= 0 ? QStringLiteral("+") : QString())
                + QString::number(p.correlation, 'f', 3);
            lines.push_back({elide(p.key, 40), kindName(p.kind), QString::number(p.importance, 'f', 3), corr,
                             QString::number(p.runs), p.warning.isEmpty() ? QString() : QStringLiteral("few runs")});
        }
        printAligned(call.out, {QStringLiteral("PARAM"), QStringLiteral("KIND"), QStringLiteral("IMPORTANCE"),
                                QStringLiteral("CORRELATION"), QStringLiteral("RUNS"), QString()},
                     lines);
        call.out << "importance: the share of " << metric << "'s rank variance each param's own effect explains, less "
                 << "chance (" << result.method << "); over " << result.runs << " runs";
        if (result.leftOut > 0)
            call.out << " (" << result.leftOut << " without a finite value left out)";
        call.out << '\n';
        if (!result.warning.isEmpty())
            call.out << "warning: " << result.warning << '\n';
        if (!result.skipped.empty()) {
            QStringList parts;
            for (const auto& k : result.skipped)
                parts << QStringLiteral("%1 (%2)").arg(k.key, k.reason);
            call.out << "not counted: " << parts.join(QStringLiteral(", ")) << '\n';
        }
        return Ok;
    });
}

ExitCode importCommand(const CliCall& call)
{
    const QString& from = call.positionals[0];
    const QString& into = call.positionals[1];
    auto source = openStore(from, call.value(QStringLiteral("kind")), call.isSet(QStringLiteral("deleted")));
    if (!source) {
        call.err << "runlens: " << source.error() << '\n';
        return StoreError;
    }
    auto done = importStore(**source, into);
    if (!done) {
        call.err << "runlens import: " << done.error() << '\n';
        return Failed;
    }
    for (const auto& p : done->problems)
        call.err << "runlens: warning: " << p << '\n';
    call.out << "imported " << done->imported << " run(s) from " << (*source)->kind() << " store " << storeShownLocation(from) << " into "
             << into << "; " << done->skipped << " already there\n";
    return Ok;
}

} // namespace runlens::cli
