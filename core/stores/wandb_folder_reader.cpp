// SPDX-License-Identifier: GPL-3.0-or-later
#include "wandb_folder_reader.h"

#include "json_params.h"
#include "read_limits.h"
#include "regular_file.h"
#include "wandb_records.h"
#include "yaml_params.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>

#include <algorithm>

namespace runlens {

namespace {

const QString kDatastorePattern = QStringLiteral("*.wandb");
constexpr int kMaxDepth = 4;            // <any>/wandb/run-.../run-x.wandb
constexpr qint64 kLiveMs = 60000;       // written this recently with no exit record: still running
constexpr qsizetype kMaxDiffBytes = qsizetype(1) << 20;   // diff.patch shown up to this

// Datastores under `dir`, at most kMaxDepth folders down; symlinked folders
// (wandb/latest-run) are not followed, so no run is read twice.
QStringList datastores(const QString& dir, bool firstOnly)
{
    QStringList out;
    const int depth = QDir(dir).absolutePath().count(QLatin1Char('/'));
    QDirIterator it(dir, {kDatastorePattern}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        if (QFileInfo(f).absolutePath().count(QLatin1Char('/')) - depth > kMaxDepth)
            continue;
        QFile file(f);
        if (!openRegularFile(file).isEmpty() || !file.read(4).startsWith(":W&B"))
            continue;
        out << f;
        if (firstOnly)
            break;
    }
    return out;
}

// wandb-metadata.json's plain values as the run's environment: os, python,
// host, program, args, GPUs... (the keys vary by version; all are shown).
KeyValues environmentOf(const QJsonObject& meta)
{
    KeyValues env;
    for (auto it = meta.begin(); it != meta.end(); ++it) {
        const QJsonValue& v = it.value();
        if (it.key() == QLatin1String("git"))
            continue;   // the run's git record
        if (v.isString())
            env.emplace_back(it.key(), v.toString());
        else if (v.isDouble())
            env.emplace_back(it.key(), QString::number(v.toDouble(), 'g', 15));
        else if (v.isBool())
            env.emplace_back(it.key(), v.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        else if (v.isArray() && it.key() == QLatin1String("args")) {
            QStringList args;
            for (const auto& a : v.toArray())
                args << a.toString();
            env.emplace_back(it.key(), args.join(QLatin1Char(' ')));
        } else if (v.isArray() || v.isObject()) {
            // gpu_nvidia, disk, memory...: kept whole, compact.
            const QByteArray json = v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                                : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
            env.emplace_back(it.key(), QString::fromUtf8(json));
        }
    }
    return env;
}

// The config as the datastore's records leave it: updates and removals applied in order.
std::vector<ParamValue> configParams(const WandbLog& log)
{
    QMap<QString, QByteArray> config;
    for (const auto& [key, json] : log.config) {
        if (json)
            config.insert(key, *json);
        else
            config.remove(key);
    }
    std::vector<ParamValue> params;
    for (auto it = config.cbegin(); it != config.cend(); ++it)
        if (!it.key().startsWith(QLatin1String("_wandb")))   // W&B's own bookkeeping (versions, telemetry)
            appendJsonTextParam(params, it.key(), it.value());
    return params;
}

} // namespace

WandbFolderReader::WandbFolderReader(QDir root) : FolderOfRunsReader(std::move(root)) {}

int WandbFolderReader::recognise(const StoreProbe& probe)
{
    // Above TensorBoard's logdir (W&B copies event files into a run's
    // files/ when it syncs TensorBoard): the datastore holds more.
    return probe.isDir && !datastores(probe.path, true).isEmpty() ? 65 : 0;
}

StoreFormat WandbFolderReader::format()
{
    return {QStringLiteral("wandb"), QStringLiteral("W&B"), QStringLiteral("Weights & Biases run folders (wandb/)"),
        StoreCapability::Read | StoreCapability::Live, &recognise,
        [](const QString& path, const StoreOpenOptions&) { return asStoreReader(open(path)); }};
}

Result<std::unique_ptr<WandbFolderReader>> WandbFolderReader::open(const QString& path)
{
    if (!QFileInfo(path).isDir() || datastores(path, true).isEmpty())
        return Failure{QStringLiteral("'%1' holds no Weights & Biases runs: no run-*.wandb datastore in it").arg(path)};
    return std::unique_ptr<WandbFolderReader>(new WandbFolderReader(QDir(QFileInfo(path).absoluteFilePath())));
}

QStringList WandbFolderReader::runFolders() const
{
    QSet<QString> folders;
    for (const auto& f : datastores(root().path(), false))
        folders.insert(QFileInfo(f).absolutePath());
    QStringList sorted(folders.cbegin(), folders.cend());
    sorted.sort();
    return sorted;
}

namespace {

// The pictures and tables wandb.log wrote beside the run: files/media/images
// and files/media/table, named <key>_<step>_<hash>.<ext> (a key's slashes
// as folders; wandb/sdk/data_types/base_types/media.py, _wb_filename).
RunArtifacts mediaOf(const QString& folder)
{
    RunArtifacts out;
    out.root = folder;
    const QDir run(folder);
    for (const auto& [sub, kind] : {std::pair{QStringLiteral("files/media/images"), ArtifactKind::Image},
             std::pair{QStringLiteral("files/media/table"), ArtifactKind::Table}}) {
        const QDir base(run.filePath(sub));
        QDirIterator it(base.path(), QDir::Files | QDir::NoSymLinks, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            QString name = base.relativeFilePath(file);
            const bool table = name.endsWith(QStringLiteral(".table.json"));
            if (kind == ArtifactKind::Table && !table)
                continue;
            name.chop(table ? 11 : QFileInfo(name).suffix().size() + 1);
            // <key>_<step>_<hash>: the key may hold underscores, the last two parts are W&B's.
            const qsizetype hashAt = name.lastIndexOf(QLatin1Char('_'));
            const qsizetype stepAt = hashAt > 0 ? name.lastIndexOf(QLatin1Char('_'), hashAt - 1) : -1;
            bool stepOk = false;
            const qlonglong step = stepAt > 0 ? name.mid(stepAt + 1, hashAt - stepAt - 1).toLongLong(&stepOk) : 0;
            ArtifactItem item;
            item.file = run.relativeFilePath(file);
            item.kind = kind;
            item.format = table ? QStringLiteral("json") : QFileInfo(file).suffix().toLower();
            if (item.format == QStringLiteral("jpg"))
                item.format = QStringLiteral("jpeg");
            item.path = stepOk ? name.left(stepAt) : name;
            item.step = stepOk ? step : 0;
            item.stepped = stepOk;
            item.size = it.fileInfo().size();
            out.items.push_back(std::move(item));
        }
    }
    std::sort(out.items.begin(), out.items.end(), artifactOrder);
    return out;
}

} // namespace

FolderOfRunsReader::RunFolder WandbFolderReader::readRun(const QString& folder) const
{
    RunFolder run;
    const QDir dir(folder);
    WandbLog log;
    qint64 lastWrite = 0;
    const QStringList files = dir.entryList({kDatastorePattern}, QDir::Files, QDir::Name);
    for (const auto& name : files) {
        const QString path = dir.filePath(name);
        QFile f(path);
        if (const QString why = openRegularFile(f); !why.isEmpty()) {
            run.problems << why;
            continue;
        }
        lastWrite = std::max(lastWrite, QFileInfo(path).lastModified().toMSecsSinceEpoch());
        const int before = log.badChunks, undecodable = log.undecodable, oversized = log.oversized;
        log.header = false;
        log.truncatedTail = false;
        decodeWandbLog(f, log);
        if (!log.header)
            run.problems << QStringLiteral("%1: not a W&B datastore (no ':W&B' header)").arg(path);
        if (log.badChunks > before)
            run.problems << QStringLiteral("%1: %2 damaged chunk(s); the rest of each one's 32 KiB block skipped")
                                .arg(path).arg(log.badChunks - before);
        if (log.undecodable > undecodable)
            run.problems << QStringLiteral("%1: %2 record(s) could not be decoded").arg(path).arg(log.undecodable - undecodable);
        if (log.oversized > oversized)
            run.problems << QStringLiteral("%1: %2 record(s) over %3 MiB passed over")
                                .arg(path).arg(log.oversized - oversized).arg(kMaxRecordBytes >> 20);
        if (log.truncatedTail && !log.exitCode && QDateTime::currentMSecsSinceEpoch() - lastWrite >= kLiveMs)
            run.problems << QStringLiteral("%1: ends inside a record (cut short, or its writer died mid-write)").arg(path);
    }
    for (auto it = log.leftOut.cbegin(); it != log.leftOut.cend(); ++it)
        run.problems << pointsLeftOutNote(it.key(), it.value());

    const QJsonObject meta = readJsonObjectFile(dir.filePath(QStringLiteral("files/wandb-metadata.json")), kMaxJsonBytes, run.problems);
    const bool live = !log.exitCode && QDateTime::currentMSecsSinceEpoch() - lastWrite < kLiveMs;
    run.status = log.exitCode ? (*log.exitCode == 0 ? RunStatus::Finished : RunStatus::Failed)
                 : live        ? RunStatus::Running
                               : RunStatus::Crashed;
    int64_t start = log.startMs;
    if (start < 0 && log.firstTimestamp > 0)
        start = int64_t(log.firstTimestamp * 1000);
    if (start < 0) {
        const int64_t started = pythonIsoTimeMs(meta.value(QStringLiteral("startedAt")).toString());
        start = started >= 0 ? started : lastWrite;
    }
    run.startMs = start;
    if (live)
        run.endMs = -1;
    else if (log.runtimeSeconds >= 0 && log.exitCode)
        run.endMs = start + log.runtimeSeconds * 1000;
    else
        run.endMs = std::max<int64_t>(start, log.lastTimestamp > 0 ? int64_t(log.lastTimestamp * 1000) : lastWrite);

    run.name = !log.displayName.isEmpty() ? log.displayName : log.runId;
    run.experiment = log.project;
    run.notes = log.notes;
    run.host = !log.host.isEmpty() ? log.host : meta.value(QStringLiteral("host")).toString();
    auto tag = [&](const char* key, const QString& value) {
        if (!value.isEmpty())
            run.tags.emplace_back(QLatin1String(key), value);
    };
    tag("wandb.run_id", log.runId);
    tag("wandb.entity", log.entity);
    tag("wandb.group", log.group);
    tag("wandb.job_type", log.jobType);
    tag("wandb.sweep_id", log.sweepId);
    tag("wandb.tags", log.tags.join(QStringLiteral(", ")));

    run.params = configParams(log);
    if (run.params.empty()) {
        // Older or damaged datastores: the config.yaml W&B writes beside
        // it, each key wrapped as {desc, value}.
        for (auto& p : readYamlParams(dir.filePath(QStringLiteral("files/config.yaml")), &run.problems)) {
            if (p.key.startsWith(QLatin1String("_wandb")) || p.key == QLatin1String("wandb_version")
                || p.key.endsWith(QLatin1String(".desc")))
                continue;
            if (p.key.endsWith(QLatin1String(".value")))
                p.key.chop(6);
            run.params.push_back(std::move(p));
        }
    }

    run.series = std::move(log.series);
    // The summary's values that have no history (a best or a test score):
    // one point at the run's last step.
    for (auto it = log.summary.cbegin(); it != log.summary.cend(); ++it)
        if (!run.series.contains(it.key())) {
            MetricSeries s;
            s.steps.push_back(std::max<int64_t>(0, log.lastStep));
            s.wallTimes.push_back(log.lastTimestamp);
            s.values.push_back(it.value());
            run.series.insert(it.key(), std::move(s));
        }

    const QJsonObject git = meta.value(QStringLiteral("git")).toObject();
    run.git.commit = !log.gitCommit.isEmpty() ? log.gitCommit : git.value(QStringLiteral("commit")).toString();
    run.git.remote = !log.gitRemote.isEmpty() ? log.gitRemote : git.value(QStringLiteral("remote")).toString();
    run.git.present = !run.git.commit.isEmpty() || !run.git.remote.isEmpty();
    run.git.repoPath = meta.value(QStringLiteral("root")).toString();
    // W&B saves uncommitted changes as files/diff.patch; without it, whether
    // the tree was clean is not known.
    QFile diff(dir.filePath(QStringLiteral("files/diff.patch")));
    run.git.dirtyRecorded = false;
    if (diff.exists() && openRegularFile(diff).isEmpty()) {
        const QByteArray patch = diff.read(kMaxDiffBytes + 1);
        run.git.dirtyRecorded = true;
        run.git.dirty = !patch.isEmpty();
        run.git.diffTruncated = patch.size() > kMaxDiffBytes;
        run.git.diff = QString::fromUtf8(patch.left(kMaxDiffBytes));
    }

    run.artifacts = mediaOf(folder);
    run.environment = environmentOf(meta);
    run.environment.emplace_back(QStringLiteral("run folder"), folder);
    run.environment.emplace_back(QStringLiteral("history rows"), QString::number(log.historyRows));
    std::sort(run.environment.begin(), run.environment.end());
    return run;
}

} // namespace runlens
