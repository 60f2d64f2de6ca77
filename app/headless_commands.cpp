#include "command_line.h"

#include "run_diff.h"
#include "run_json.h"
#include "run_query.h"
#include "run_table_csv.h"
#include "seed_statistics.h"
#include "store_importer.h"
#include "store_reader.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace runlens::cli {

namespace {

const QStringList kCommands = {QStringLiteral("runs"), QStringLiteral("metric"), QStringLiteral("show"),
    QStringLiteral("diff"), QStringLiteral("import"), QStringLiteral("seeds"), QStringLiteral("help"),
    QStringLiteral("version")};

QString usageText()
{
    return QStringLiteral(
        "usage: runlens [STORE...]                      open the desktop app\n"
        "       runlens runs STORE [--query Q] [--format table|json|csv] [--deleted]\n"
        "       runlens metric STORE RUN KEY [--format csv|json]\n"
        "       runlens show STORE RUN [--format text|json]\n"
        "       runlens diff STORE RUN_A RUN_B [--format text|json|markdown|latex]\n"
        "       runlens snapshot STORE... --view table|curves|window [--runs ID,...] [--query Q]\n"
        "                        [--metrics m1,m2] [--group-by KEY [--bands minmax|sd]] [--size WxH] -o out.png\n"
        "       runlens import SRC DEST [--kind K]       copy runs into a Runlens store (again: only new ones)\n"
        "       runlens seeds STORE --metric M [--query Q] [--seed-keys k1,*_seed] [--format text|json]\n"
        "                                                runs that differ only by seed: n, mean, sd; Welch's t-test\n"
        "       runlens report STORE... (--runs A,B | --query Q) [--metrics m1,m2] [--title T] -o report.html\n"
        "       runlens version\n"
        "\n"
        "STORE is a Runlens store, an MLflow mlruns folder or mlflow.db, a TensorBoard logdir, Lightning CSV logs\n"
        "or DVCLive output; --kind runlens|mlflow-file|mlflow-sqlite|tensorboard|lightning|dvclive forces one.\n"
        "RUN is a run id, a unique id prefix or a unique run name.\n"
        "Queries: params.lr < 1e-3 and status = finished order by metrics.val_auc desc limit 10\n"
        "Exit codes: 0 ok, 1 failed, 2 usage, 3 store cannot be opened, 4 run not found, 5 invalid query.\n");
}

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

void printAligned(QTextStream& out, const QStringList& header, const std::vector<QStringList>& rows)
{
    std::vector<int> width(static_cast<size_t>(header.size()));
    for (qsizetype c = 0; c < header.size(); ++c)
        width[size_t(c)] = static_cast<int>(header[c].size());
    for (const auto& r : rows)
        for (qsizetype c = 0; c < r.size(); ++c)
            width[size_t(c)] = std::max(width[size_t(c)], static_cast<int>(r[c].size()));
    auto line = [&](const QStringList& cells) {
        QString text;
        for (qsizetype c = 0; c < cells.size(); ++c) {
            if (c)
                text += QStringLiteral("  ");
            // Multi-line values (a command line, notes) stay on their row.
            QString cell = cells[c];
            cell.replace(QLatin1Char('\n'), QStringLiteral(" \u21b5 "));
            text += c + 1 == cells.size() ? cell : cell.leftJustified(width[size_t(c)]);
        }
        out << text << '\n';
    };
    line(header);
    for (const auto& r : rows)
        line(r);
}

struct Opened {
    std::unique_ptr<StoreReader> reader;
    LoadedRuns runs;
};

std::optional<Opened> openAndLoad(const QString& path, const QString& kind, bool deleted, QTextStream& err,
                                  int& code)
{
    auto reader = openStore(path, kind, deleted);
    if (!reader) {
        err << "runlens: " << reader.error() << '\n';
        code = StoreError;
        return std::nullopt;
    }
    auto runs = (*reader)->loadRuns();
    if (!runs) {
        err << "runlens: " << runs.error() << '\n';
        code = StoreError;
        return std::nullopt;
    }
    for (const auto& p : runs->problems)
        err << "runlens: warning: " << p << '\n';
    for (const auto& n : runs->notes)
        err << "runlens: note: " << n << '\n';
    return Opened{std::move(*reader), std::move(*runs)};
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

int cmdRuns(
    const QStringList& args, const QString& format, const QString& query, Opened& s, QTextStream& out, QTextStream& err)
{
    Q_UNUSED(args);
    const RunTable& t = *s.runs.table;
    const RunQuery q(query);
    const auto selection = q.select(t);
    if (selection.error) {
        err << "runlens: invalid query, " << selection.error->describe() << '\n';
        err << "  " << query << '\n'
            << "  " << QString(selection.error->position, QLatin1Char(' '))
            << QString(std::max(1, selection.error->length), QLatin1Char('^')) << '\n';
        return BadQuery;
    }
    const auto& rows = selection.rows;
    if (format == QLatin1String("json")) {
        QJsonArray arr;
        for (int r : rows)
            arr.append(runToJson(t, r));
        out << QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Indented));
        return Ok;
    }
    if (format == QLatin1String("csv")) {
        writeRunTableCsv(t, rows, out);
        return Ok;
    }
    // A terminal table: identity, then the params that vary and the metrics.
    QStringList header = {QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("EXPERIMENT"),
        QStringLiteral("STATUS"), QStringLiteral("STARTED"), QStringLiteral("DURATION")};
    std::vector<const ValueColumn*> params;
    for (const auto& c : t.params()) {
        if (params.size() >= 8)
            break;
        if (std::none_of(rows.begin(), rows.end(), [&](int r) { return c.has(r); }))
            continue;
        QString first;
        bool varies = false, seen = false;
        for (int r : rows) {
            const QString v = c.has(r) ? c.text[size_t(r)] : QString();
            if (!seen) {
                first = v;
                seen = true;
            } else if (v != first) {
                varies = true;
                break;
            }
        }
        if (varies)
            params.push_back(&c);
    }
    std::vector<const MetricColumn*> metrics;
    for (const auto& m : t.metrics())
        if (metrics.size() < 6 && std::any_of(rows.begin(), rows.end(), [&](int r) { return m.has(r); }))
            metrics.push_back(&m);
    for (const auto* c : params)
        header << elide(c->key, 20);
    for (const auto* m : metrics)
        header << elide(m->key, 20);
    std::vector<QStringList> lines;
    for (int r : rows) {
        QStringList cells = {t.id(r).left(8), elide(t.name(r), 32), elide(t.experiment(r), 20), statusName(t.status(r)),
            timeText(t.startTime(r)), runDuration(t.startTime(r), t.endTime(r))};
        for (const auto* c : params)
            cells << (c->has(r) ? elide(c->text[size_t(r)], 20) : QStringLiteral("-"));
        for (const auto* m : metrics)
            cells << (m->has(r) ? QString::number(m->last[size_t(r)], 'g', 5) : QStringLiteral("-"));
        lines.push_back(cells);
    }
    printAligned(out, header, lines);
    out << rows.size() << " of " << t.rowCount() << " runs\n";
    return Ok;
}

int cmdSeeds(const QString& metric, const QStringList& seedKeys, const QString& query, const QString& format,
             Opened& s, QTextStream& out, QTextStream& err)
{
    const RunTable& t = *s.runs.table;
    const auto selection = RunQuery(query).select(t);
    if (selection.error) {
        err << "runlens: invalid query, " << selection.error->describe() << '\n';
        return BadQuery;
    }
    // Only runs that have the metric take part (a sweep's parent run has none).
    std::vector<int> withMetric;
    for (int r : selection.rows)
        if (!metricValues(t, {r}, metric).empty())
            withMetric.push_back(r);
    if (withMetric.empty()) {
        err << "runlens seeds: no run has metric '" << metric << "'\n";
        return RunNotFound;
    }
    struct Row {
        SeedGroup group;
        SampleStats stats;
    };
    std::vector<Row> rows;
    for (auto& g : groupBySeed(t, withMetric, seedKeys.isEmpty() ? defaultSeedKeys() : seedKeys)) {
        const auto stats = sampleStats(metricValues(t, g.rows, metric));
        if (stats.n > 0)
            rows.push_back({std::move(g), stats});
    }
    // Best mean first; each other group is tested against it.
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.stats.mean > b.stats.mean; });
    if (format == QLatin1String("json")) {
        QJsonArray arr;
        for (size_t i = 0; i < rows.size(); ++i) {
            const auto& r = rows[i];
            QJsonObject o{{QStringLiteral("config"), r.group.label},
                          {QStringLiteral("n"), r.stats.n},
                          {QStringLiteral("mean"), jsonNumber(r.stats.mean)},
                          {QStringLiteral("sd"), jsonNumber(r.stats.sd)},
                          {QStringLiteral("min"), jsonNumber(r.stats.min)},
                          {QStringLiteral("max"), jsonNumber(r.stats.max)}};
            QJsonArray ids;
            for (int row : r.group.rows)
                ids.append(t.id(row));
            o.insert(QStringLiteral("runs"), ids);
            if (i > 0) {
                const auto w = welchTTest(rows[0].stats, r.stats);
                o.insert(QStringLiteral("welch_vs_best"),
                         w.valid ? QJsonValue(QJsonObject{{QStringLiteral("t"), w.t},
                                                          {QStringLiteral("df"), w.df},
                                                          {QStringLiteral("p"), w.p}})
                                 : QJsonValue(QJsonValue::Null));
            }
            if (!r.stats.warning.isEmpty())
                o.insert(QStringLiteral("warning"), r.stats.warning);
            arr.append(o);
        }
        out << QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Indented));
        return Ok;
    }
    std::vector<QStringList> lines;
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        QString test = QStringLiteral("(best)");
        if (i > 0) {
            const auto w = welchTTest(rows[0].stats, r.stats);
            test = w.valid ? QStringLiteral("p = %1").arg(QString::number(w.p, 'g', 3)) : QStringLiteral("-");
        }
        lines.push_back({elide(r.group.label, 60), QString::number(r.stats.n),
                         QStringLiteral("%1 ± %2").arg(QString::number(r.stats.mean, 'g', 5), QString::number(r.stats.sd, 'g', 3)),
                         QString::number(r.stats.min, 'g', 5), QString::number(r.stats.max, 'g', 5), test,
                         r.stats.n < 3 ? QStringLiteral("fewer than 3 runs") : QString()});
    }
    out << "Metric " << metric << " by config (runs that differ only by seed), best mean first;\n"
        << "p: Welch's t-test against the best group (two-sided)\n\n";
    printAligned(out, {QStringLiteral("CONFIG"), QStringLiteral("N"), QStringLiteral("MEAN ± SD"), QStringLiteral("MIN"),
                       QStringLiteral("MAX"), QStringLiteral("VS BEST"), QStringLiteral("NOTE")},
                 lines);
    return Ok;
}

int cmdMetric(
    const QString& runName, const QString& key, const QString& format, Opened& s, QTextStream& out, QTextStream& err)
{
    const RunTable& t = *s.runs.table;
    const int row = findRunOrFail(t, runName, err);
    if (row < 0)
        return RunNotFound;
    auto series = s.reader->loadSeries(t.id(row), key);
    if (!series) {
        QStringList keys;
        for (const auto& m : t.metrics())
            if (m.has(row))
                keys << m.key;
        err << "runlens: " << series.error() << " (it has: " << keys.join(QStringLiteral(", ")) << ")\n";
        return RunNotFound;
    }
    for (const auto& p : series->problems)
        err << "runlens: warning: " << p << '\n';
    if (format == QLatin1String("json")) {
        out << QString::fromUtf8(QJsonDocument(seriesToJson(*series)).toJson(QJsonDocument::Indented));
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

int cmdShow(const QString& runName, const QString& format, Opened& s, QTextStream& out, QTextStream& err)
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
    printAligned(out, {QStringLiteral("FIELD"), QStringLiteral("VALUE")}, head);

    std::vector<QStringList> rows;
    for (const auto& p : d->params)
        rows.push_back({p.key, p.type, p.value});
    printSection(
        out, QStringLiteral("Params"), rows, {QStringLiteral("KEY"), QStringLiteral("TYPE"), QStringLiteral("VALUE")});
    rows.clear();
    for (const auto& m : d->metrics)
        rows.push_back({m.key, numberText(m.last), numberText(m.min), numberText(m.max), QString::number(m.count),
            QStringLiteral("%1..%2").arg(m.firstStep).arg(m.lastStep), QString::number(m.nanCount)});
    printSection(out, QStringLiteral("Metrics"), rows,
        {QStringLiteral("KEY"), QStringLiteral("LAST"), QStringLiteral("MIN"), QStringLiteral("MAX"),
            QStringLiteral("COUNT"), QStringLiteral("STEPS"), QStringLiteral("NAN")});
    auto kv = [](const KeyValues& pairs) {
        std::vector<QStringList> r;
        for (const auto& [k, v] : pairs)
            r.push_back({k, v});
        return r;
    };
    printSection(out, QStringLiteral("Tags"), kv(d->tags));
    printSection(out, QStringLiteral("Data versions"), kv(d->dataVersions));
    if (d->git.present) {
        printSection(out, QStringLiteral("Git"),
            {{QStringLiteral("repository"), d->git.repoPath}, {QStringLiteral("commit"), d->git.commit},
                {QStringLiteral("branch"), d->git.branch}, {QStringLiteral("remote"), d->git.remote},
                {QStringLiteral("uncommitted changes"),
                    d->git.dirty ? QStringLiteral("yes (%1 lines of diff%2)")
                                       .arg(d->git.diff.count(QLatin1Char('\n')))
                                       .arg(d->git.diffTruncated ? QStringLiteral(", truncated") : QString())
                                 : QStringLiteral("no")}});
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

int cmdDiff(
    const QString& nameA, const QString& nameB, const QString& format, Opened& s, QTextStream& out, QTextStream& err)
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
        const RunComparison c = compareRuns({*a, *b});
        out << (format == QLatin1String("latex") ? comparisonToLatex(c, true, 0) : comparisonToMarkdown(c, true, 0));
        return Ok;
    }
    const auto entries = diffRuns(*a, *b);
    if (format == QLatin1String("json")) {
        QJsonArray arr;
        for (const auto& e : entries)
            arr.append(QJsonObject{{QStringLiteral("section"), e.section}, {QStringLiteral("key"), e.key},
                {QStringLiteral("a"), e.inA ? QJsonValue(e.a) : QJsonValue()},
                {QStringLiteral("b"), e.inB ? QJsonValue(e.b) : QJsonValue()}});
        QJsonObject o{{QStringLiteral("a"), a->id}, {QStringLiteral("b"), b->id}, {QStringLiteral("differences"), arr}};
        out << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
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
        rows.push_back({e.key, e.inA ? elide(e.a, 48) : QStringLiteral("(none)"),
            e.inB ? elide(e.b, 48) : QStringLiteral("(none)")});
    }
    flush();
    return Ok;
}

} // namespace

bool isCommand(const QStringList& arguments)
{
    return !arguments.isEmpty()
        && (kCommands.contains(arguments.first()) || arguments.first() == QLatin1String("--help")
            || arguments.first() == QLatin1String("-h") || arguments.first() == QLatin1String("--version"));
}

int run(const QStringList& arguments, QTextStream& out, QTextStream& err)
{
    if (arguments.isEmpty() || arguments.first() == QLatin1String("help") || arguments.first() == QLatin1String("-h")
        || arguments.first() == QLatin1String("--help")) {
        out << usageText();
        return Ok;
    }
    if (arguments.first() == QLatin1String("version") || arguments.first() == QLatin1String("--version")) {
        out << "runlens " << RUNLENS_VERSION << '\n';
        return Ok;
    }
    const QString command = arguments.first();
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption formatOpt(
        QStringLiteral("format"), QStringLiteral("Output format."), QStringLiteral("format"));
    const QCommandLineOption queryOpt(
        {QStringLiteral("query"), QStringLiteral("q")}, QStringLiteral("Run query."), QStringLiteral("query"));
    const QCommandLineOption kindOpt(QStringLiteral("kind"), QStringLiteral("Store kind."), QStringLiteral("kind"));
    const QCommandLineOption deletedOpt(QStringLiteral("deleted"), QStringLiteral("Include deleted runs."));
    const QCommandLineOption metricOpt(QStringLiteral("metric"), QStringLiteral("Metric."), QStringLiteral("metric"));
    const QCommandLineOption seedKeysOpt(QStringLiteral("seed-keys"), QStringLiteral("Seed keys."), QStringLiteral("keys"));
    parser.addOption(formatOpt);
    parser.addOption(queryOpt);
    parser.addOption(kindOpt);
    parser.addOption(deletedOpt);
    parser.addOption(metricOpt);
    parser.addOption(seedKeysOpt);
    QStringList argv = arguments;
    argv.front() = QStringLiteral("runlens"); // the parser expects a program name first
    if (!parser.parse(argv)) {
        err << "runlens " << command << ": " << parser.errorText() << "\n\n" << usageText();
        return Usage;
    }
    const QStringList pos = parser.positionalArguments();
    const QString format = parser.value(formatOpt);

    struct Spec {
        int positionals;
        QStringList formats;
    };
    if (command == QLatin1String("import")) {
        if (pos.size() != 2) {
            err << "runlens import: expected SRC DEST\n\n" << usageText();
            return Usage;
        }
        auto source = openStore(pos[0], parser.value(kindOpt), parser.isSet(deletedOpt));
        if (!source) {
            err << "runlens: " << source.error() << '\n';
            return StoreError;
        }
        auto done = importStore(**source, pos[1]);
        if (!done) {
            err << "runlens import: " << done.error() << '\n';
            return Failed;
        }
        for (const auto& p : done->problems)
            err << "runlens: warning: " << p << '\n';
        out << "imported " << done->imported << " run(s) from " << (*source)->kind() << " store " << pos[0] << " into "
            << pos[1] << "; " << done->skipped << " already there\n";
        return Ok;
    }
    if (command == QLatin1String("seeds")) {
        if (pos.size() != 1 || !parser.isSet(metricOpt)) {
            err << "runlens seeds: expected STORE and --metric M\n\n" << usageText();
            return Usage;
        }
        const QString fmt = parser.value(formatOpt);
        if (!fmt.isEmpty() && fmt != QLatin1String("text") && fmt != QLatin1String("json")) {
            err << "runlens seeds: unknown format '" << fmt << "' (use text|json)\n";
            return Usage;
        }
        int code = Ok;
        auto store = openAndLoad(pos[0], parser.value(kindOpt), parser.isSet(deletedOpt), err, code);
        if (!store)
            return code;
        return cmdSeeds(parser.value(metricOpt),
                        parser.value(seedKeysOpt).split(QLatin1Char(','), Qt::SkipEmptyParts),
                        parser.value(queryOpt), fmt, *store, out, err);
    }
    const Spec spec = command == QLatin1String("runs")
        ? Spec{1, {QStringLiteral("table"), QStringLiteral("json"), QStringLiteral("csv")}}
        : command == QLatin1String("metric") ? Spec{3, {QStringLiteral("csv"), QStringLiteral("json")}}
        : command == QLatin1String("show")   ? Spec{2, {QStringLiteral("text"), QStringLiteral("json")}}
                                             : Spec{3, {QStringLiteral("text"), QStringLiteral("json"),
                                                        QStringLiteral("markdown"), QStringLiteral("latex")}};
    if (pos.size() != spec.positionals) {
        err << "runlens " << command << ": expected " << spec.positionals << " argument(s), got " << pos.size()
            << "\n\n"
            << usageText();
        return Usage;
    }
    if (!format.isEmpty() && !spec.formats.contains(format)) {
        err << "runlens " << command << ": unknown format '" << format << "' (use "
            << spec.formats.join(QLatin1Char('|')) << ")\n";
        return Usage;
    }
    if (parser.isSet(queryOpt) && command != QLatin1String("runs") && command != QLatin1String("seeds")) {
        err << "runlens " << command << ": --query only applies to 'runs'\n";
        return Usage;
    }
    int code = Ok;
    auto store = openAndLoad(pos[0], parser.value(kindOpt), parser.isSet(deletedOpt), err, code);
    if (!store)
        return code;
    const QString fmt = format.isEmpty() ? spec.formats.first() : format;
    if (command == QLatin1String("runs"))
        return cmdRuns(pos, fmt, parser.value(queryOpt), *store, out, err);
    if (command == QLatin1String("metric"))
        return cmdMetric(pos[1], pos[2], fmt, *store, out, err);
    if (command == QLatin1String("show"))
        return cmdShow(pos[1], fmt, *store, out, err);
    return cmdDiff(pos[1], pos[2], fmt, *store, out, err);
}

} // namespace runlens::cli
