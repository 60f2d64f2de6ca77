// SPDX-License-Identifier: GPL-3.0-or-later
#include "store_importer.h"

#include "store_registry.h"

#include "runlens/chunk_codec.h"
#include "runlens/media.h"
#include "runlens/series_writer.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"

#include <QCryptographicHash>
#include <QFileInfo>

#include <cmath>
#include <span>

namespace runlens {

namespace {

std::string utf8(const QString& s) { return s.toStdString(); }

void writeSeries(SqliteDb& db, const std::string& runId, const QString& key, const MetricSeries& s)
{
    db.prepare("INSERT INTO metrics(run_id, key) VALUES(?, ?)").bind(1, runId).bind(2, utf8(key)).run();
    const int64_t metricId = db.lastInsertRowId();
    std::vector<MetricPoint> points(s.size());
    for (size_t i = 0; i < s.size(); ++i)
        points[i] = {s.steps[i], s.wallTimes[i], s.values[i]};
    SeriesWriter(metricId).append(db, points);
}

} // namespace

namespace {

// Media the source keeps in its store or inside its files (TensorBoard's
// image and text summaries): copied into our media tables, so the imported
// store carries them. Artifact files stay where they are (referenced above).
void importMedia(StoreReader& source, const QString& runId, SqliteDb& db, const std::string& id, QStringList& problems)
{
    auto listed = source.loadArtifacts(runId);
    if (!listed) {
        problems << QStringLiteral("run %1, artifacts: %2").arg(runId, listed.error());
        return;
    }
    for (const ArtifactItem& item : listed->items) {
        const auto kind = mediaKindOf(item.kind);
        if ((!item.inStore() && item.offset < 0) || !kind)
            continue;
        auto bytes = source.loadArtifactBytes(listed->root, item, int64_t(kMaxMediaBytes));
        if (!bytes) {
            problems << QStringLiteral("run %1, %2: %3").arg(runId, item.path, bytes.error());
            continue;
        }
        writeMediaRow(db, id,
            {utf8(item.path), item.step, item.stepped, *kind, utf8(item.format), item.width, item.height,
                utf8(item.caption), item.time},
            {reinterpret_cast<const uint8_t*>(bytes->constData()), size_t(bytes->size())});
    }
}

} // namespace

Result<ImportSummary> importStore(StoreReader& source, const QString& destination, const ProgressCallback& progress)
{
    if (QFileInfo(destination).absoluteFilePath() == storeKey(source.location()))
        return Failure{QStringLiteral("the destination is the source store itself")};
    auto loaded = source.loadRuns();
    if (!loaded)
        return Failure{loaded.error()};
    ImportSummary summary;
    summary.problems = loaded->problems;
    const RunTable& t = *loaded->table;
    try {
        SqliteDb db = openStoreForWriting(utf8(destination));
        const QString origin = source.kind() + QLatin1Char(':') + storeKey(source.location());
        for (int r = 0; r < t.rowCount(); ++r) {
            if (progress && !progress(double(r) / std::max(1, t.rowCount())))
                return Failure{QStringLiteral("the import was cancelled after %1 runs").arg(summary.imported)};
            const QString key = origin + QLatin1Char('#') + t.id(r);
            // The same origin always gives the same id: a second import finds it.
            const std::string id =
                QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Md5).toHex().toStdString();
            auto exists = db.prepare("SELECT 1 FROM runs WHERE id=?");
            exists.bind(1, id);
            if (exists.step()) {
                ++summary.skipped;
                continue;
            }
            auto details = source.loadDetails(t.id(r));
            if (!details) {
                summary.problems << QStringLiteral("run %1 not imported: %2").arg(t.id(r), details.error());
                continue;
            }
            const RunDetails& d = *details;
            SqliteTransaction tx(db);
            db.prepare("INSERT OR IGNORE INTO experiments(name, created_at) VALUES(?, ?)")
                .bind(1, utf8(d.experiment.isEmpty() ? QStringLiteral("imported") : d.experiment))
                .bind(2, d.startTime)
                .run();
            auto exp = db.prepare("SELECT id FROM experiments WHERE name=?");
            exp.bind(1, utf8(d.experiment.isEmpty() ? QStringLiteral("imported") : d.experiment));
            exp.step();
            const int64_t experimentId = exp.int64(0);
            // A run still running at the source reads as such until it is re-imported.
            auto run = db.prepare("INSERT INTO runs(id, experiment_id, name, status, start_time, end_time, heartbeat, "
                                  "heartbeat_interval_ms, host, pid, parent_id, notes, hypothesis, repro_hash) "
                                  "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)");
            run.bind(1, id).bind(2, experimentId).bind(3, utf8(d.name)).bind(4, utf8(statusName(d.status)));
            run.bind(5, d.startTime);
            if (d.endTime >= 0)
                run.bind(6, d.endTime);
            else
                run.bindNull(6);
            run.bind(7, std::max(d.startTime, d.endTime)).bind(8, int64_t(1000)).bind(9, utf8(d.host));
            if (d.parentId.isEmpty())
                run.bindNull(10);
            else
                run.bind(10, QCryptographicHash::hash((origin + QLatin1Char('#') + d.parentId).toUtf8(),
                                                      QCryptographicHash::Md5)
                                 .toHex()
                                 .toStdString());
            run.bind(11, utf8(d.notes)).bind(12, utf8(d.hypothesis)).bind(13, utf8(d.reproHash)).run();

            auto param = db.prepare("INSERT OR REPLACE INTO params(run_id, key, type, value) VALUES(?, ?, ?, ?)");
            for (const auto& p : d.params)
                param.bind(1, id).bind(2, utf8(p.key)).bind(3, utf8(p.type)).bind(4, utf8(p.value)).run();
            auto pairs = [&](const char* sql, const KeyValues& kv) {
                auto st = db.prepare(sql);
                for (const auto& [k, v] : kv)
                    st.bind(1, id).bind(2, utf8(k)).bind(3, utf8(v)).run();
            };
            KeyValues tags = d.tags;
            tags.emplace_back(QStringLiteral("runlens.import.kind"), source.kind());
            tags.emplace_back(QStringLiteral("runlens.import.source"), storeKey(source.location()));
            tags.emplace_back(QStringLiteral("runlens.import.run_id"), t.id(r));
            pairs("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES(?, ?, ?)", tags);
            pairs("INSERT OR REPLACE INTO configs(run_id, name, json) VALUES(?, ?, ?)", d.configs);
            pairs("INSERT OR REPLACE INTO data_versions(run_id, name, version) VALUES(?, ?, ?)", d.dataVersions);
            pairs("INSERT OR REPLACE INTO environment(run_id, key, value) VALUES(?, ?, ?)", d.environment);
            if (d.git.present)
                db.prepare("INSERT INTO git_info(run_id, repo_path, commit_sha, branch, remote, dirty, diff, "
                           "diff_truncated) VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(1, id).bind(2, utf8(d.git.repoPath)).bind(3, utf8(d.git.commit)).bind(4, utf8(d.git.branch))
                    .bind(5, utf8(d.git.remote)).bind(6, int64_t(d.git.dirty)).bind(7, utf8(d.git.diff))
                    .bind(8, int64_t(d.git.diffTruncated)).run();
            // Artifacts stay where they are; the store keeps references.
            auto art = db.prepare("INSERT OR REPLACE INTO artifacts(run_id, path, uri, size, sha256) VALUES(?, ?, ?, ?, ?)");
            for (const auto& a : d.artifacts) {
                art.bind(1, id).bind(2, utf8(a.path)).bind(3, utf8(a.uri));
                if (a.size >= 0)
                    art.bind(4, a.size);
                art.bind(5, utf8(a.sha256)).run();
            }
            importMedia(source, t.id(r), db, id, summary.problems);
            for (const auto& m : d.metrics) {
                auto series = source.loadSeries(t.id(r), m.key);
                if (!series) {
                    summary.problems << QStringLiteral("run %1, metric %2: %3").arg(t.id(r), m.key, series.error());
                    continue;
                }
                writeSeries(db, id, m.key, *series);
            }
            tx.commit();
            ++summary.imported;
        }
    } catch (const std::exception& e) {
        return Failure{QString::fromUtf8(e.what())};
    }
    if (progress)
        progress(1.0);
    return summary;
}

} // namespace runlens
