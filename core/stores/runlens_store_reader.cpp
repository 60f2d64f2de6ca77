// SPDX-License-Identifier: GPL-3.0-or-later
#include "runlens_store_reader.h"

#include "artifact_files.h"

#include "store_run_editor.h"
#include "stored_run_status.h"

#include "utf8.h"

#include "number_parse.h"
#include "runlens/chunk_codec.h"
#include "runlens/media.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"
#include "text_interner.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QSysInfo>

#include <signal.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <string_view>
#include <unordered_map>

namespace runlens {

namespace {

std::string utf8(const QString& s)
{
    return s.toStdString();
}

// A series' mean as SQL: known when its sum was kept up to its last point
// (store_schema.cpp says when it is not); NULL in stores older than the sum.
std::string meanSql(SqliteDb& db)
{
    return storeKeepsValueSums(db)
        ? "CASE WHEN value_sum_count = count AND count > nan_count THEN value_sum / (count - nan_count) END"
        : "NULL";
}

// Column index by the key's UTF-8 bytes, so a key is decoded once per load.
template <class MakeColumn> class ColumnLookup {
public:
    explicit ColumnLookup(MakeColumn make)
        : make_(std::move(make))
    {
    }
    int operator()(std::string_view key)
    {
        if (auto it = map_.find(key); it != map_.end())
            return it->second;
        const int column = make_(fromUtf8(key));
        map_.emplace(std::string(key), column);
        return column;
    }

private:
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    MakeColumn make_;
    std::unordered_map<std::string, int, Hash, std::equal_to<>> map_;
};

} // namespace

RunlensStoreReader::RunlensStoreReader(QString path, std::unique_ptr<SqliteDb> db)
    : path_(std::move(path))
    , db_(std::move(db))
{
}

RunlensStoreReader::~RunlensStoreReader() = default;

QString RunlensStoreReader::writeStamp(const QString& path)
{
    const QFileInfo file(path);
    return QStringLiteral("%1:%2:%3")
        .arg(file.size())
        .arg(file.lastModified().toMSecsSinceEpoch())
        .arg(QFileInfo::exists(path + QStringLiteral("-wal")));
}

void RunlensStoreReader::reopenIfWritten()
{
    // A snapshot does not see later writes: once the file changed or a
    // writer's -wal appeared, open it again (as a live read-only connection
    // while the -wal is there).
    if (!db_->isSnapshot())
        return;
    const QString stamp = writeStamp(path_);
    if (stamp == openedStamp_)
        return;
    db_ = std::make_unique<SqliteDb>(utf8(path_), SqliteDb::Mode::ReadOnlyForeign);
    openedStamp_ = stamp;
}

int RunlensStoreReader::recognise(const StoreProbe& probe)
{
    return probe.isSqlite() ? 10 : 0;
}

StoreFormat RunlensStoreReader::format()
{
    return {QStringLiteral("runlens"), QStringLiteral("Runlens"), QStringLiteral("a Runlens store"),
        StoreCapability::Read | StoreCapability::Live | StoreCapability::WriteAnnotations, &recognise,
        [](const QString& path, const StoreOpenOptions&) { return asStoreReader(open(path)); }};
}

Result<std::unique_ptr<RunlensStoreReader>> RunlensStoreReader::open(const QString& path)
{
    try {
        // As other tools' databases: browsing a store nobody writes must not
        // leave -wal and -shm in its owner's folder, so it is read as a
        // snapshot until a writer appears (reopenIfWritten).
        const QString stamp = writeStamp(path);
        auto db = std::make_unique<SqliteDb>(utf8(path), SqliteDb::Mode::ReadOnlyForeign);
        const int version = storeSchemaVersion(*db);
        if (version == 0)
            return Failure{QStringLiteral("'%1' is an empty SQLite file, not a Runlens store").arg(path)};
        if (version > kStoreSchemaVersion)
            return Failure{QStringLiteral("'%1' was written by a newer Runlens (store schema %2; this build reads "
                                          "up to %3). Upgrade Runlens to open it.")
                               .arg(path)
                               .arg(version)
                               .arg(kStoreSchemaVersion)};
        // Every table read must be a table: a view in its place (a recursive
        // one spins without end) is a damaged or hostile file, refused.
        for (const char* table : {"experiments", "runs", "params", "configs", "tags", "metrics", "metric_chunks",
                                  "artifacts", "git_info", "data_versions", "environment", "store_meta"})
            if (!db->tableExists(table))
                return Failure{QStringLiteral("'%1' is a damaged Runlens store: '%2' is missing or not a table")
                                   .arg(path, QString::fromLatin1(table))};
        auto reader = std::unique_ptr<RunlensStoreReader>(new RunlensStoreReader(path, std::move(db)));
        reader->openedStamp_ = stamp;
        return reader;
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

Result<LoadedRuns> RunlensStoreReader::loadRuns(const ProgressCallback& progress)
{
    std::lock_guard lock(mutex_);
    try {
        reopenIfWritten();
        SqliteReadTransaction snapshot(*db_);
        auto table = std::make_shared<RunTable>();
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        const std::string localHost = utf8(QSysInfo::machineHostName());

        auto count = db_->prepare("SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM params), "
                                  "(SELECT count(*) FROM metrics), (SELECT count(*) FROM tags)");
        count.step();
        const double total = 1.0 + double(count.int64(0) + count.int64(1) + count.int64(2) + count.int64(3));
        double done = 0;
        auto tick = [&](int64_t n) {
            done += double(n);
            return !progress || progress(done / total);
        };
        const auto cancelled = Failure{QStringLiteral("loading '%1' was cancelled").arg(path_)};

        auto runs = db_->prepare(
            "SELECT r.id, r.name, e.name, r.status, r.start_time, r.end_time, r.heartbeat, r.heartbeat_interval_ms, "
            "r.host, r.pid, r.parent_id, r.notes, r.hypothesis FROM runs r JOIN experiments e ON e.id = r.experiment_id "
            "ORDER BY r.start_time, r.id");
        QHash<QString, int> rowOf;
        while (runs.step()) {
            const auto status = effectiveStatus(
                runs.text(3), runs.int64(6), runs.int64(7), runs.text(8), runs.int64(9), now, localHost);
            const QString id = fromUtf8(runs.text(0));
            const int row = table->addRun(id, fromUtf8(runs.text(1)), fromUtf8(runs.text(2)), status, runs.int64(4),
                endTimeOf(status, runs.isNull(5), runs.int64(5), runs.int64(6)));
            if (!runs.isNull(10))
                table->setParentId(row, fromUtf8(runs.text(10)));
            if (const auto notes = runs.text(11); !notes.empty())
                table->setNotes(row, fromUtf8(notes));
            if (const auto hypothesis = runs.text(12); !hypothesis.empty())
                table->setHypothesis(row, fromUtf8(hypothesis));
            rowOf.insert(id, row);
            if ((row & 1023) == 0 && !tick(1024))
                return cancelled;
        }

        // Rows arrive grouped by run (primary key order): remember the last id.
        auto rowFor = [&, lastId = std::string(), lastRow = -1](std::string_view id) mutable {
            if (id != lastId) {
                lastId.assign(id);
                lastRow = rowOf.value(fromUtf8(id), -1);
            }
            return lastRow;
        };

        TextInterner interner;
        ColumnLookup paramColumn([&](const QString& key) { return table->paramColumn(key); });
        auto params = db_->prepare("SELECT run_id, key, type, value FROM params");
        for (int64_t n = 0; params.step(); ++n) {
            const int row = rowFor(params.text(0));
            if (row < 0)
                continue;
            const std::string_view type = params.text(2), value = params.text(3);
            // Floats rarely repeat; everything else (choices, ints, bools) does.
            const QString text = type == "float" ? TextInterner::decode(value) : interner.get(value);
            table->setParamAt(paramColumn(params.text(1)), row, text, paramNumber(type, value));
            if ((n & 16383) == 0 && !tick(16384))
                return cancelled;
        }

        ColumnLookup tagColumn([&](const QString& key) { return table->tagColumn(key); });
        auto tags = db_->prepare("SELECT run_id, key, value FROM tags");
        for (int64_t n = 0; tags.step(); ++n) {
            const int row = rowFor(tags.text(0));
            if (row >= 0)
                table->setTagAt(tagColumn(tags.text(1)), row, interner.get(tags.text(2)));
            if ((n & 16383) == 0 && !tick(16384))
                return cancelled;
        }

        ColumnLookup metricColumn([&](const QString& key) { return table->metricColumn(key); });
        auto metrics = db_->prepare(
            "SELECT run_id, key, last_value, min_value, max_value, count, last_step, " + meanSql(*db_)
            + ", nan_count FROM metrics WHERE count > 0 ORDER BY run_id");
        for (int64_t n = 0; metrics.step(); ++n) {
            const int row = rowFor(metrics.text(0));
            if (row >= 0)
                table->setMetricAt(metricColumn(metrics.text(1)), row, metrics.real(2), metrics.real(3),
                    metrics.real(4), metrics.int64(5), metrics.int64(6), metrics.isNull(7) ? NAN : metrics.real(7),
                    metrics.int64(8));
            if ((n & 16383) == 0 && !tick(16384))
                return cancelled;
        }

        // What else queries reach: data versions, git state, the environment.
        // Not counted in the progress (counting them costs a scan of their own).
        auto stillWanted = [&](int64_t n) { return (n & 16383) != 0 || !progress || progress(done / total); };
        ColumnLookup dataColumn([&](const QString& name) { return table->dataColumn(name); });
        auto data = db_->prepare("SELECT run_id, name, version FROM data_versions");
        for (int64_t n = 1; data.step(); ++n) {
            const int row = rowFor(data.text(0));
            if (row >= 0)
                table->setDataAt(dataColumn(data.text(1)), row, interner.get(data.text(2)));
            if (!stillWanted(n))
                return cancelled;
        }
        auto git = db_->prepare("SELECT run_id, commit_sha, branch, dirty FROM git_info");
        for (int64_t n = 1; git.step(); ++n) {
            const int row = rowFor(git.text(0));
            if (row >= 0)
                table->setGit(row, {interner.get(git.text(1)), interner.get(git.text(2)), int8_t(git.int64(3) != 0)});
            if (!stillWanted(n))
                return cancelled;
        }
        // A run's environment is dozens to hundreds of rows (every installed
        // package) and usually the same as many other runs': its rows' bytes
        // are gathered per run and each distinct environment decoded once.
        {
            std::unordered_map<std::string, int> environmentOf;
            std::string lastRun, bytes;
            auto finishRun = [&] {
                const int row = lastRun.empty() ? -1 : rowFor(lastRun);
                if (row < 0)
                    return;
                auto [it, added] = environmentOf.try_emplace(bytes, -1);
                if (added) {
                    Environment env;
                    for (size_t at = 0; at < bytes.size();) {
                        const size_t keyEnd = bytes.find('\0', at);
                        const size_t valueEnd = keyEnd == std::string::npos ? keyEnd : bytes.find('\0', keyEnd + 1);
                        if (valueEnd == std::string::npos)
                            break; // a NUL inside a damaged store's text
                        env.emplace_back(fromUtf8(std::string_view(bytes).substr(at, keyEnd - at)),
                            fromUtf8(std::string_view(bytes).substr(keyEnd + 1, valueEnd - keyEnd - 1)));
                        at = valueEnd + 1;
                    }
                    it->second = table->environmentIndex(env);
                }
                table->setEnvironmentIndex(row, it->second);
            };
            // Primary key order: each run's rows together.
            auto env = db_->prepare("SELECT run_id, key, value FROM environment");
            for (int64_t n = 1; env.step(); ++n) {
                const std::string_view run = env.text(0);
                if (run != lastRun) {
                    finishRun();
                    lastRun.assign(run);
                    bytes.clear();
                }
                // NUL-separated: a key or value holding NUL cannot come from the logger.
                bytes.append(env.text(1)).push_back('\0');
                bytes.append(env.text(2)).push_back('\0');
                if (!stillWanted(n))
                    return cancelled;
            }
            finishRun();
        }
        table->sortColumns();
        if (progress)
            progress(1.0);
        return LoadedRuns{std::move(table), {}, {}, {}};
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

Result<RunDetails> RunlensStoreReader::loadDetails(const QString& runId)
{
    std::lock_guard lock(mutex_);
    try {
        reopenIfWritten();
        SqliteReadTransaction snapshot(*db_);
        const std::string id = utf8(runId);
        RunDetails d;
        auto run = db_->prepare(
            "SELECT r.id, r.name, e.name, r.status, r.start_time, r.end_time, r.heartbeat, r.heartbeat_interval_ms, "
            "r.host, r.pid, r.parent_id, r.notes, r.hypothesis, r.repro_hash FROM runs r "
            "JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?");
        run.bind(1, id);
        if (!run.step())
            return Failure{QStringLiteral("no run with id '%1' in '%2'").arg(runId, path_)};
        d.id = fromUtf8(run.text(0));
        d.name = fromUtf8(run.text(1));
        d.experiment = fromUtf8(run.text(2));
        d.status = effectiveStatus(run.text(3), run.int64(6), run.int64(7), run.text(8), run.int64(9),
            QDateTime::currentMSecsSinceEpoch(), utf8(QSysInfo::machineHostName()));
        d.startTime = run.int64(4);
        d.endTime = endTimeOf(d.status, run.isNull(5), run.int64(5), run.int64(6));
        d.heartbeat = run.int64(6);
        d.host = fromUtf8(run.text(8));
        d.pid = run.int64(9);
        d.parentId = fromUtf8(run.text(10));
        d.notes = fromUtf8(run.text(11));
        d.hypothesis = fromUtf8(run.text(12));
        d.reproHash = fromUtf8(run.text(13));

        auto pairs = [&](const char* sql, KeyValues& out) {
            auto st = db_->prepare(sql);
            st.bind(1, id);
            while (st.step())
                out.emplace_back(fromUtf8(st.text(0)), fromUtf8(st.text(1)));
        };
        pairs("SELECT name, json FROM configs WHERE run_id=? ORDER BY name", d.configs);
        pairs("SELECT key, value FROM tags WHERE run_id=? ORDER BY key", d.tags);
        pairs("SELECT name, version FROM data_versions WHERE run_id=? ORDER BY name", d.dataVersions);
        pairs("SELECT key, value FROM environment WHERE run_id=? ORDER BY key", d.environment);

        auto params = db_->prepare("SELECT key, type, value FROM params WHERE run_id=? ORDER BY key");
        params.bind(1, id);
        while (params.step())
            d.params.push_back({fromUtf8(params.text(0)), fromUtf8(params.text(1)), fromUtf8(params.text(2))});

        auto metrics = db_->prepare("SELECT key, count, first_step, last_step, last_value, min_value, max_value, "
                                    "nan_count, " + meanSql(*db_) + " FROM metrics WHERE run_id=? AND count > 0 ORDER BY key");
        metrics.bind(1, id);
        while (metrics.step())
            d.metrics.push_back({fromUtf8(metrics.text(0)), metrics.int64(1), metrics.int64(2), metrics.int64(3),
                metrics.real(4), metrics.real(5), metrics.real(6), metrics.isNull(8) ? NAN : metrics.real(8),
                metrics.int64(7)});

        auto git = db_->prepare("SELECT repo_path, commit_sha, branch, remote, dirty, diff, diff_truncated "
                                "FROM git_info WHERE run_id=?");
        git.bind(1, id);
        if (git.step()) {
            d.git.present = true;
            d.git.repoPath = fromUtf8(git.text(0));
            d.git.commit = fromUtf8(git.text(1));
            d.git.branch = fromUtf8(git.text(2));
            d.git.remote = fromUtf8(git.text(3));
            d.git.dirty = git.int64(4) != 0;
            d.git.diff = fromUtf8(git.text(5));
            d.git.diffTruncated = git.int64(6) != 0;
        }
        auto artifacts = db_->prepare("SELECT path, uri, sha256, size FROM artifacts WHERE run_id=? ORDER BY path");
        artifacts.bind(1, id);
        while (artifacts.step())
            d.artifacts.push_back({fromUtf8(artifacts.text(0)), fromUtf8(artifacts.text(1)), fromUtf8(artifacts.text(2)),
                artifacts.isNull(3) ? -1 : artifacts.int64(3)});
        d.events = StoreRunEditor::history(*db_, d.id);
        return d;
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

Result<MetricSeries> RunlensStoreReader::loadSeries(const QString& runId, const QString& key)
{
    std::lock_guard lock(mutex_);
    try {
        reopenIfWritten();
        SqliteReadTransaction snapshot(*db_);
        auto meta = db_->prepare("SELECT id, count FROM metrics WHERE run_id=? AND key=?");
        meta.bind(1, utf8(runId)).bind(2, utf8(key));
        if (!meta.step())
            return Failure{QStringLiteral("run '%1' has no metric '%2'").arg(runId, key)};
        const int64_t metricId = meta.int64(0);
        MetricSeries series;
        // The summary's count sizes the arrays, but a damaged store may say
        // anything (a negative count threw "vector::reserve"): trusted only
        // within reason; the arrays grow past it as chunks decode.
        const auto expected = static_cast<size_t>(std::clamp<int64_t>(meta.int64(1), 0, int64_t(1) << 24));
        series.steps.reserve(expected);
        series.wallTimes.reserve(expected);
        series.values.reserve(expected);
        auto chunks = db_->prepare("SELECT seq, points FROM metric_chunks WHERE metric_id=? ORDER BY seq");
        chunks.bind(1, metricId);
        while (chunks.step()) {
            if (!decodeChunk(chunks.blob(1), series.steps, series.wallTimes, series.values))
                series.problems.append(
                    QStringLiteral("chunk %1 of metric '%2' is damaged and was skipped").arg(chunks.int64(0)).arg(key));
        }
        return series;
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

Result<ModelRegistry> RunlensStoreReader::loadModelRegistry()
{
    std::lock_guard lock(mutex_);
    try {
        reopenIfWritten();
        SqliteReadTransaction snapshot(*db_);
        return readModelRegistry(*db_);
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

Result<RunArtifacts> RunlensStoreReader::loadArtifacts(const QString& runId)
{
    std::lock_guard lock(mutex_);
    try {
        reopenIfWritten();
        SqliteReadTransaction snapshot(*db_);
        const std::string id = utf8(runId);
        std::vector<ArtifactRecord> records;
        auto artifacts = db_->prepare("SELECT path, uri, sha256, size FROM artifacts WHERE run_id=? ORDER BY path");
        artifacts.bind(1, id);
        while (artifacts.step())
            records.push_back({fromUtf8(artifacts.text(0)), fromUtf8(artifacts.text(1)), fromUtf8(artifacts.text(2)),
                artifacts.isNull(3) ? -1 : artifacts.int64(3)});
        // Beside the store, not where the URI says: that is the machine
        // that logged it, and a store mailed with its folder still opens.
        // A run id is a folder name there: one that could climb out of the
        // .artifacts folder (a hand-edited store) gets no folder at all.
        const bool safeId = !runId.isEmpty() && !runId.contains(QLatin1Char('/')) && !runId.contains(QLatin1Char('\\'))
            && runId != QStringLiteral("..") && runId != QStringLiteral(".");
        RunArtifacts out = artifactsOf(records, safeId ? path_ + QStringLiteral(".artifacts/") + runId : QString());
        if (!safeId)
            out.problems << QStringLiteral("the run id '%1' cannot name a folder; its artifact files are not read").arg(runId);
        if (!db_->tableExists("media"))
            return out;
        auto media = db_->prepare("SELECT key, step, stepped, kind, format, sha256, size, width, height, caption, time "
                                  "FROM media WHERE run_id=? ORDER BY key, step");
        media.bind(1, id);
        std::vector<ArtifactItem> items;
        while (media.step()) {
            ArtifactItem item;
            item.path = fromUtf8(media.text(0));
            item.step = media.int64(1);
            item.stepped = media.int64(2) != 0;
            // A kind from a newer Runlens: listed as a file, bytes and all.
            const auto kind = mediaKindFromText(media.text(3));
            item.kind = kind ? artifactKindOf(*kind) : ArtifactKind::File;
            item.format = fromUtf8(media.text(4)).toLower();
            item.sha256 = fromUtf8(media.text(5));
            item.size = media.int64(6);
            item.width = int(media.int64(7));
            item.height = int(media.int64(8));
            item.caption = fromUtf8(media.text(9));
            item.time = media.int64(10);
            items.push_back(std::move(item));
        }
        out.items.insert(out.items.end(), items.begin(), items.end());
        std::stable_sort(out.items.begin(), out.items.end(), artifactOrder);
        return out;
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

Result<QByteArray> RunlensStoreReader::loadArtifactBytes(const QString& root, const ArtifactItem& item, int64_t limit)
{
    if (!item.inStore())
        return StoreReader::loadArtifactBytes(root, item, limit);
    std::lock_guard lock(mutex_);
    try {
        reopenIfWritten();
        SqliteReadTransaction snapshot(*db_);
        if (!db_->tableExists("media_blobs"))
            return Failure{QStringLiteral("this store keeps no media")};
        auto size = db_->prepare("SELECT length(data) FROM media_blobs WHERE sha256=?");
        size.bind(1, utf8(item.sha256));
        if (!size.step())
            return Failure{QStringLiteral("the bytes of '%1' are missing from the store").arg(item.path)};
        if (size.int64(0) > limit)
            return Failure{tooLargeToShow(item.path, size.int64(0), limit)};
        auto data = db_->prepare("SELECT data FROM media_blobs WHERE sha256=?");
        data.bind(1, utf8(item.sha256));
        if (!data.step())
            return Failure{QStringLiteral("the bytes of '%1' are missing from the store").arg(item.path)};
        const auto blob = data.blob(0);
        return QByteArray(reinterpret_cast<const char*>(blob.data()), qsizetype(blob.size()));
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
}

} // namespace runlens
