// SPDX-License-Identifier: GPL-3.0-or-later
// Reading: opening a store of 10,000 runs x 50 params x 20 metric keys into
// the run table, querying it, and loading a 1,000,000-point series; each
// against a raw SQLite scan of the same rows or blobs.
#include "bench_store_generator.h"
#include "bench_timer.h"
#include "run_query.h"
#include "runlens/chunk_codec.h"
#include "runlens/runlens.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "runlens_store_reader.h"

#include <QCoreApplication>

#include <cmath>
#include <filesystem>
#include <random>

using namespace runlens;
using namespace runlens::bench;
namespace fs = std::filesystem;

namespace {

// The least a reader can do: step through every row it needs and touch each column.
double rawScanSeconds(const std::string& path)
{
    SqliteDb db(path, SqliteDb::Mode::ReadOnly);
    Stopwatch sw;
    size_t bytes = 0;
    for (const char* sql :
        {"SELECT id, name, status, start_time, end_time FROM runs", "SELECT run_id, key, type, value FROM params",
            "SELECT run_id, key, last_value, min_value, max_value, count, last_step FROM metrics",
            "SELECT run_id, key, value FROM tags"}) {
        auto st = db.prepare(sql);
        while (st.step())
            for (int c = 0; c < st.columnCount(); ++c)
                bytes += st.text(c).size();
    }
    const double s = sw.seconds();
    std::printf("(raw scan touched %zu bytes)\n", bytes);
    return s;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const std::string dir = argc > 1 ? argv[1] : fs::temp_directory_path().string();
    const std::string store = dir + "/runlens-bench-10k.db";

    Stopwatch gen;
    generate(store);
    std::printf("generated %d runs x %d params x %d metrics in %.1f s (%.1f MB)\n", kRuns, kParams, kMetrics,
        gen.seconds(), double(fs::file_size(store)) / 1e6);

    const double raw = rawScanSeconds(store);
    const long rssBefore = residentKb();
    Stopwatch open;
    auto reader = RunlensStoreReader::open(QString::fromStdString(store));
    auto runs = (*reader)->loadRuns();
    const double openSeconds = open.seconds();
    if (!runs) {
        std::fprintf(stderr, "%s\n", qPrintable(runs.error()));
        return 1;
    }
    const long rssAfter = residentKb();
    const auto& table = *runs->table;

    Stopwatch q;
    const RunQuery valid(
        QStringLiteral("params.param_3 < 0.5 or params.param_0 in (choice-1, choice-2) and metrics.metric_4 > 0.2 "
                       "order by metrics.metric_1 desc"));
    const auto sel = valid.select(table);
    const double querySeconds = q.seconds();

    std::printf("\nOpening a store (%d runs, %zu param columns, %zu metric columns)\n", table.rowCount(),
        table.params().size(), table.metrics().size());
    report("open + load run table (ms)", openSeconds * 1e3, "ms", "floor: raw scan of the same rows", raw * 1e3);
    std::printf("resident memory of the loaded table: %.1f MB (process %.1f MB)\n", double(rssAfter - rssBefore) / 1024,
        double(rssAfter) / 1024);
    std::printf(
        "query over %d runs selecting %zu, ordered: %.2f ms\n", table.rowCount(), sel.rows.size(), querySeconds * 1e3);
    {
        // A pasted list of 16,000 values joined by "or" (it was quadratic:
        // 24 s), against the same list as one "in (...)", the form the
        // language has for it.
        QStringList terms, values;
        for (int i = 0; i < 16000; ++i) {
            terms << QStringLiteral("params.param_3 = %1").arg(i * 1e-4);
            values << QString::number(i * 1e-4);
        }
        Stopwatch orTime;
        const auto ors = RunQuery(terms.join(QStringLiteral(" or "))).select(table);
        const double orSeconds = orTime.seconds();
        Stopwatch inTime;
        const auto ins = RunQuery(QStringLiteral("params.param_3 in (%1)").arg(values.join(QStringLiteral(", ")))).select(table);
        const double inSeconds = inTime.seconds();
        if (ors.error || ins.error || ors.rows != ins.rows)
            std::fprintf(stderr, "the two forms disagree\n");
        report("16,000 terms joined by or, over the run table (ms)", orSeconds * 1e3, "ms",
            "the same values as one in (...)", inSeconds * 1e3);
    }
    {
        // The same runs with what a Python logger records besides (150
        // environment keys, git, data versions), as queries reach them.
        addProvenance(store);
        Stopwatch full;
        auto fullReader = RunlensStoreReader::open(QString::fromStdString(store));
        auto fullRuns = (*fullReader)->loadRuns();
        const double fullSeconds = full.seconds();
        if (!fullRuns) {
            std::fprintf(stderr, "%s\n", qPrintable(fullRuns.error()));
            return 1;
        }
        Stopwatch fq;
        const auto fsel = RunQuery(QStringLiteral("data.train = v3 and env.package.pkg7 = '1.2.7' and not git.dirty "
                                                  "order by metrics.metric_1 desc"))
                              .select(*fullRuns->table);
        const double fqSeconds = fq.seconds();
        std::printf("\nOpening the same store with 150 environment keys, git and 2 data versions a run (%.1f MB)\n",
            double(fs::file_size(store)) / 1e6);
        report("open + load run table with provenance (ms)", fullSeconds * 1e3, "ms", "the store without it",
            openSeconds * 1e3);
        std::printf("query over data, env and git selecting %zu: %.2f ms\n", fsel.rows.size(), fqSeconds * 1e3);
    }
    removeStore(store);

    // A 1,000,000-point series written by the logger, read back.
    const std::string seriesStore = dir + "/runlens-bench-series.db";
    removeStore(seriesStore);
    std::string runId;
    {
        RunOptions o;
        o.name = "long";
        o.capture_git = false;
        o.capture_environment = false;
        auto run = Run::start(seriesStore, o);
        for (int i = 0; i < 1'000'000; ++i)
            run.logMetric("loss", std::sin(i * 1e-3), i, 1.7e9 + i);
        run.finish();
        runId = run.id();
    }
    auto seriesReader = RunlensStoreReader::open(QString::fromStdString(seriesStore));
    double rawBlob;
    {
        SqliteDb db(seriesStore, SqliteDb::Mode::ReadOnly);
        Stopwatch sw;
        auto st = db.prepare("SELECT points FROM metric_chunks ORDER BY metric_id, seq");
        size_t bytes = 0;
        while (st.step())
            bytes += st.blob(0).size();
        rawBlob = sw.seconds();
        std::printf("(raw blobs: %.1f MB)\n", double(bytes) / 1e6);
    }
    Stopwatch sr;
    auto series = (*seriesReader)->loadSeries(QString::fromStdString(runId), QStringLiteral("loss"));
    const double seriesSeconds = sr.seconds();

    // The design we did not take: a row a point, as MLflow's SQL stores
    // keep metrics, indexed by run, key and step, read into the same arrays.
    const std::string rowStore = dir + "/runlens-bench-rows.db";
    removeStore(rowStore);
    double rowSeconds;
    {
        SqliteDb db(rowStore, SqliteDb::Mode::ReadWriteCreate);
        db.exec("CREATE TABLE metric_points(run_id TEXT, key TEXT, step INTEGER, timestamp INTEGER, value REAL, "
                "PRIMARY KEY(run_id, key, step)) WITHOUT ROWID");
        {
            SqliteTransaction tx(db);
            auto ins = db.prepare("INSERT INTO metric_points VALUES(?, 'loss', ?, ?, ?)");
            for (int i = 0; i < 1'000'000; ++i)
                ins.bind(1, runId).bind(2, int64_t(i)).bind(3, int64_t(1.7e12) + i).bind(4, std::sin(i * 1e-3)).run();
            tx.commit();
        }
        std::vector<int64_t> steps, times;
        std::vector<double> values;
        Stopwatch sw;
        auto st = db.prepare("SELECT step, timestamp, value FROM metric_points WHERE run_id = ? AND key = 'loss' ORDER BY step");
        st.bind(1, runId);
        while (st.step()) {
            steps.push_back(st.int64(0));
            times.push_back(st.int64(1));
            values.push_back(st.real(2));
        }
        rowSeconds = sw.seconds();
        std::printf("(row store: %zu points, %.1f MB)\n", values.size(), double(fs::file_size(rowStore)) / 1e6);
    }
    removeStore(rowStore);

    std::printf("\nReading a series of %zu points\n", series ? series->size() : 0);
    report("load series (ms)", seriesSeconds * 1e3, "ms", "a row a point (MLflow's layout)", rowSeconds * 1e3);
    report("load series (ms)", seriesSeconds * 1e3, "ms", "floor: chunk blobs read, no decode", rawBlob * 1e3);
    removeStore(seriesStore);
    return 0;
}
