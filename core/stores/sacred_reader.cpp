// SPDX-License-Identifier: GPL-3.0-or-later
#include "sacred_reader.h"

#include "folder_walk.h"
#include "json_params.h"
#include "read_limits.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace runlens {

namespace {

constexpr int kMaxDepth = 3;   // <basedir>/<id>, or a folder of basedirs
// Sacred beats every 10 s by default; a RUNNING run silent for this long died.
constexpr qint64 kHeartbeatLostMs = 120'000;

bool isRunFolder(const QDir& d)
{
    return QFileInfo(d.filePath(QStringLiteral("run.json"))).isFile()
        && QFileInfo(d.filePath(QStringLiteral("config.json"))).isFile();
}

QStringList sacredRunFolders(const QString& root, bool firstOnly)
{
    QStringList out;
    if (isRunFolder(QDir(root))) {
        out << QDir(root).absolutePath();
        return out;
    }
    walkFolders(root, kMaxDepth, [&](const QString& dir) {
        const QString name = QFileInfo(dir).fileName();
        if (name == QLatin1String("_sources") || name == QLatin1String("_resources"))
            return WalkNext::Skip;
        if (isRunFolder(QDir(dir))) {
            out << dir;
            if (firstOnly)
                return WalkNext::Stop;
        }
        return WalkNext::Enter;
    });
    out.sort();
    return out;
}

// Sacred writes datetime.utcnow().isoformat().
int64_t utcMs(const QJsonValue& v)
{
    return pythonIsoTimeMs(v.toString());
}

RunStatus statusOf(const QString& sacred)
{
    if (sacred == QLatin1String("COMPLETED"))
        return RunStatus::Finished;
    if (sacred == QLatin1String("FAILED") || sacred == QLatin1String("TIMED_OUT"))
        return RunStatus::Failed;
    if (sacred == QLatin1String("INTERRUPTED"))
        return RunStatus::Killed;
    return RunStatus::Running;   // RUNNING, QUEUED
}

QString compact(const QJsonValue& v)
{
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    return v.isDouble() ? QString::number(v.toDouble(), 'g', 15) : v.toString();
}

// metrics.json: {name: {"steps": [...], "timestamps": [ISO, ...], "values": [...]}}.
QHash<QString, MetricSeries> readMetrics(const QString& path, QStringList& problems)
{
    QHash<QString, MetricSeries> out;
    const QJsonObject metrics = readJsonObjectFile(path, kMaxSeriesJsonBytes, problems);
    for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        const QJsonObject m = it.value().toObject();
        const QJsonArray steps = m.value(QStringLiteral("steps")).toArray();
        const QJsonArray times = m.value(QStringLiteral("timestamps")).toArray();
        const QJsonArray values = m.value(QStringLiteral("values")).toArray();
        MetricSeries s;
        int64_t skipped = 0;
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QJsonValue v = values.at(i);
            if (!v.isDouble()) {
                ++skipped;   // a value Sacred could only store as text or null
                continue;
            }
            s.steps.push_back(i < steps.size() ? steps.at(i).toInteger(i) : i);
            const int64_t ms = i < times.size() ? utcMs(times.at(i)) : -1;
            s.wallTimes.push_back(ms >= 0 ? double(ms) / 1000.0 : 0.0);
            s.values.push_back(v.toDouble());
        }
        if (skipped)
            problems << QStringLiteral("%1: %2 value(s) of '%3' are not numbers").arg(path).arg(skipped).arg(it.key());
        if (s.size())
            out.insert(it.key(), std::move(s));
    }
    return out;
}

} // namespace

SacredReader::SacredReader(QDir root) : FolderOfRunsReader(std::move(root)) {}

int SacredReader::recognise(const StoreProbe& probe)
{
    return probe.isDir && !sacredRunFolders(probe.path, true).isEmpty() ? 50 : 0;
}

StoreFormat SacredReader::format()
{
    return {QStringLiteral("sacred"), QStringLiteral("Sacred"), QStringLiteral("Sacred FileStorageObserver folders"),
        StoreCapability::Read | StoreCapability::Live, &recognise,
        [](const QString& path, const StoreOpenOptions&) { return asStoreReader(open(path)); }};
}

Result<std::unique_ptr<SacredReader>> SacredReader::open(const QString& path)
{
    if (!QFileInfo(path).isDir() || sacredRunFolders(path, true).isEmpty())
        return Failure{QStringLiteral("'%1' holds no Sacred runs: no folder with run.json and config.json").arg(path)};
    return std::unique_ptr<SacredReader>(new SacredReader(QDir(QFileInfo(path).absoluteFilePath())));
}

QStringList SacredReader::runFolders() const
{
    return sacredRunFolders(root().absolutePath(), false);
}

FolderOfRunsReader::RunFolder SacredReader::readRun(const QString& folder) const
{
    RunFolder run;
    const QDir dir(folder);
    const QString runJson = dir.filePath(QStringLiteral("run.json"));
    const QJsonObject r = readJsonObjectFile(runJson, kMaxJsonBytes, run.problems);
    const QJsonObject experiment = r.value(QStringLiteral("experiment")).toObject();
    const QJsonObject host = r.value(QStringLiteral("host")).toObject();

    run.experiment = experiment.value(QStringLiteral("name")).toString();
    run.status = statusOf(r.value(QStringLiteral("status")).toString());
    run.startMs = utcMs(r.value(QStringLiteral("start_time")));
    const int64_t stop = utcMs(r.value(QStringLiteral("stop_time")));
    const int64_t heartbeat = utcMs(r.value(QStringLiteral("heartbeat")));
    const int64_t written = QFileInfo(runJson).lastModified().toMSecsSinceEpoch();
    if (run.status == RunStatus::Running
        && QDateTime::currentMSecsSinceEpoch() - std::max(heartbeat, written) > kHeartbeatLostMs)
        run.status = RunStatus::Crashed;
    if (run.startMs < 0)
        run.startMs = written;
    run.endMs = run.status == RunStatus::Running ? -1
                : stop >= 0                       ? stop
                : heartbeat >= 0                  ? heartbeat
                                                  : written;
    run.host = host.value(QStringLiteral("hostname")).toString();
    run.notes = r.value(QStringLiteral("meta")).toObject().value(QStringLiteral("comment")).toString();

    QStringList configProblems;
    appendJsonParams(run.params, readJsonObjectFile(dir.filePath(QStringLiteral("config.json")), kMaxJsonBytes, configProblems));
    run.problems << configProblems;
    run.series = readMetrics(dir.filePath(QStringLiteral("metrics.json")), run.problems);

    // The main function's return value: a number is the run's result metric.
    const QJsonValue result = r.value(QStringLiteral("result"));
    if (result.isDouble() && !run.series.contains(QStringLiteral("result"))) {
        MetricSeries s;
        s.steps.push_back(0);
        s.wallTimes.push_back(double(run.endMs >= 0 ? run.endMs : run.startMs) / 1000.0);
        s.values.push_back(result.toDouble());
        run.series.insert(QStringLiteral("result"), std::move(s));
    } else if (!result.isNull() && !result.isUndefined()) {
        run.tags.emplace_back(QStringLiteral("sacred.result"), compact(result));
    }
    if (const QString command = r.value(QStringLiteral("command")).toString(); !command.isEmpty())
        run.tags.emplace_back(QStringLiteral("sacred.command"), command);

    const QJsonArray repos = experiment.value(QStringLiteral("repositories")).toArray();
    if (!repos.isEmpty()) {
        const QJsonObject repo = repos.first().toObject();
        run.git.present = true;
        run.git.commit = repo.value(QStringLiteral("commit")).toString();
        run.git.remote = repo.value(QStringLiteral("url")).toString();
        run.git.dirty = repo.value(QStringLiteral("dirty")).toBool();
        run.git.dirtyRecorded = repo.contains(QStringLiteral("dirty"));   // the diff itself is not kept
        run.git.repoPath = experiment.value(QStringLiteral("base_dir")).toString();
    }

    auto env = [&](const QString& key, const QJsonValue& v) {
        if (!v.isNull() && !v.isUndefined() && !compact(v).isEmpty())
            run.environment.emplace_back(key, compact(v));
    };
    for (const auto& key : {"os", "python_version", "cpu", "gpus"})
        env(QLatin1String(key), host.value(QLatin1String(key)));
    const QJsonArray os = host.value(QStringLiteral("os")).toArray();
    if (!os.isEmpty()) {
        std::erase_if(run.environment, [](const auto& kv) { return kv.first == QLatin1String("os"); });
        run.environment.emplace_back(QStringLiteral("os"), os.last().toString());
    }
    env(QStringLiteral("mainfile"), experiment.value(QStringLiteral("mainfile")));
    QStringList deps;
    for (const auto& d : experiment.value(QStringLiteral("dependencies")).toArray())
        deps << d.toString();
    if (!deps.isEmpty())
        run.environment.emplace_back(QStringLiteral("dependencies"), deps.join(QStringLiteral(", ")));
    run.environment.emplace_back(QStringLiteral("run folder"), folder);
    std::sort(run.environment.begin(), run.environment.end());
    return run;
}

} // namespace runlens
