// SPDX-License-Identifier: GPL-3.0-or-later
#include "neptune_offline_reader.h"

#include "artifact_files.h"
#include "folder_walk.h"
#include "json_params.h"
#include "line_reader.h"
#include "read_limits.h"
#include "regular_file.h"

#include "runlens/number_format.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QSysInfo>

#include <algorithm>
#include <cerrno>
#include <cmath>

#include <signal.h>

namespace runlens {

namespace {

// Folder names, files and operations: neptune-client 0.15.0 to 1.14.0
// (Apache-2.0), src/neptune/internal/operation.py (to_dict of each
// operation), src/neptune/core/components/queue/disk_queue.py (the log's
// envelope: {"obj": operation, "version": n[, "at": seconds]}) and
// src/neptune/internal/operation_processors/utils.py (folder names).

constexpr int kMaxDepth = 3; // <project>/.neptune/offline/<run>
// neptune writes last_put_version at every operation, and its monitoring
// every 10 s: a run silent for two minutes is no longer running.
constexpr qint64 kSilentMs = 120'000;

const QRegularExpression& runFolderName()
{
    // [<type>__]<uuid>[__<pid>__<key>]
    static const QRegularExpression re(QStringLiteral(
        "^(?:([a-z_]+)__)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:__([0-9]+)__([a-z0-9]+))?$"));
    return re;
}

// The run's uuid when `dir` is a run's folder of neptune's, else empty.
QString uuidOf(const QString& dir)
{
    const auto m = runFolderName().match(QFileInfo(dir).fileName());
    if (!m.hasMatch() || (!m.captured(1).isEmpty() && m.captured(1) != QLatin1String("run")))
        return {};
    return m.captured(2);
}

QStringList dataFiles(const QString& dir)
{
    QStringList files = QDir(dir).entryList({QStringLiteral("data-*.log")}, QDir::Files);
    static const QRegularExpression number(QStringLiteral("^data-([0-9]+)\\.log$"));
    files.removeIf([](const QString& f) { return !number.match(f).hasMatch(); });
    // data-<first version in it>.log: in the order of their numbers.
    std::sort(files.begin(), files.end(), [](const QString& a, const QString& b) {
        return number.match(a).captured(1).toLongLong() < number.match(b).captured(1).toLongLong();
    });
    for (QString& f : files)
        f = QDir(dir).filePath(f);
    return files;
}

bool isRunFolder(const QString& dir)
{
    return !uuidOf(dir).isEmpty() && !dataFiles(dir).isEmpty();
}

// The process id in a 1.9+ folder's name; 0 without one.
qint64 pidOf(const QString& dir)
{
    return runFolderName().match(QFileInfo(dir).fileName()).captured(3).toLongLong();
}

// One folder a run, the first of its processes' (a fork writes its own from
// 1.9); `processes`, when given, gets each run's folders by uuid, the
// parent's (the lowest process id) first.
QStringList neptuneRunFolders(const QString& root, bool firstOnly, QHash<QString, QStringList>* processes = nullptr)
{
    if (isRunFolder(root)) {
        const QString dir = QDir(root).absolutePath();
        if (processes)
            processes->insert(uuidOf(dir), {dir});
        return {dir};
    }
    QStringList out;
    QStringList found;
    walkFolders(root, kMaxDepth, [&](const QString& dir) {
        // Offline runs only: .neptune/async/ holds runs a server knows.
        if (QFileInfo(QFileInfo(dir).path()).fileName() != QLatin1String("offline") || !isRunFolder(dir))
            return WalkNext::Enter;
        found << dir;
        return firstOnly ? WalkNext::Stop : WalkNext::Skip;
    });
    std::sort(found.begin(), found.end(), [](const QString& a, const QString& b) {
        return std::pair(uuidOf(a), pidOf(a)) < std::pair(uuidOf(b), pidOf(b));
    });
    QHash<QString, QStringList> byUuid;
    for (const QString& dir : found) {
        QStringList& group = byUuid[uuidOf(dir)];
        if (group.isEmpty())
            out << dir;
        group << dir;
    }
    if (processes)
        *processes = std::move(byUuid);
    return out;
}

QString pathOf(const QJsonArray& path)
{
    QStringList parts;
    for (const auto& p : path)
        parts << p.toString();
    return parts.join(QLatin1Char('/'));
}

// The operations of a run, replayed into what the run table shows.
class OperationReplay {
public:
    explicit OperationReplay(FolderOfRunsReader::RunFolder& run) : run_(run) {}

    // The process folder whose log is replayed next: its uploads are under it.
    void setProcessFolder(const QString& name) { processFolder_ = name; }

    void add(const QJsonObject& op, double at)
    {
        const QString type = op.value(QStringLiteral("type")).toString();
        const QJsonArray pathList = op.value(QStringLiteral("path")).toArray();
        const QString path = pathOf(pathList);
        if (at > 0) {
            firstAt_ = firstAt_ > 0 ? std::min(firstAt_, at) : at;
            lastAt_ = std::max(lastAt_, at);
        }
        const QJsonValue value = op.value(QStringLiteral("value"));
        if (type == QLatin1String("AssignString")) {
            assign(path, QStringLiteral("string"), value.toString());
        } else if (type == QLatin1String("AssignFloat")) {
            if (const auto v = jsonNumber(value))
                assign(path, QStringLiteral("float"), QString::fromStdString(formatDouble(*v)));
        } else if (type == QLatin1String("AssignInt")) {
            assign(path, QStringLiteral("int"), QString::number(value.toInteger()));
        } else if (type == QLatin1String("AssignBool")) {
            assign(path, QStringLiteral("bool"), value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        } else if (type == QLatin1String("AssignDatetime")) {
            // Milliseconds since the epoch; shown as the time in UTC.
            const QDateTime time = QDateTime::fromMSecsSinceEpoch(value.toInteger(), Qt::UTC);
            assign(path, QStringLiteral("string"), time.toString(Qt::ISODateWithMs));
        } else if (type == QLatin1String("LogFloats")) {
            logFloats(path, pathList, op.value(QStringLiteral("values")).toArray());
        } else if (type == QLatin1String("ClearFloatLog")) {
            run_.series.remove(seriesKey(path, pathList));
        } else if (type == QLatin1String("AddStrings") && path == QLatin1String("sys/tags")) {
            for (const auto& t : op.value(QStringLiteral("values")).toArray())
                if (!tags_.contains(t.toString()))
                    tags_ << t.toString();
        } else if (type == QLatin1String("RemoveStrings") && path == QLatin1String("sys/tags")) {
            for (const auto& t : op.value(QStringLiteral("values")).toArray())
                tags_.removeAll(t.toString());
        } else if (type == QLatin1String("ClearStringSet") && path == QLatin1String("sys/tags")) {
            tags_.clear();
        } else if (type == QLatin1String("UploadFile")) {
            upload(path, op);
        } else if (type == QLatin1String("DeleteAttribute")) {
            params_.remove(path);
            run_.series.remove(seriesKey(path, pathList));
        } else if (type == QLatin1String("CopyAttribute")) {
            // run["b"] = run["a"]: b gets a's value as it is now.
            const QJsonArray sourceList = op.value(QStringLiteral("source_path")).toArray();
            const QString source = pathOf(sourceList);
            if (const auto it = params_.constFind(source); it != params_.cend())
                assign(path, it->first, it->second);
            else if (const auto s = run_.series.constFind(seriesKey(source, sourceList)); s != run_.series.cend())
                run_.series.insert(seriesKey(path, pathList), *s);
        }
        // Strings logged (stdout, stderr), images, file sets and the rest: not shown.
    }

    void finish(const QString& artifactRoot)
    {
        for (auto it = params_.cbegin(); it != params_.cend(); ++it)
            run_.params.push_back({it.key(), it->first, it->second});
        if (!tags_.isEmpty())
            run_.tags.emplace_back(QStringLiteral("neptune.tags"), tags_.join(QStringLiteral(", ")));
        for (auto it = leftOut_.cbegin(); it != leftOut_.cend(); ++it)
            run_.problems << pointsLeftOutNote(it.key(), it.value());
        run_.artifacts.root = artifactRoot;
        std::sort(run_.artifacts.items.begin(), run_.artifacts.items.end(), artifactOrder);
    }

    bool failed() const { return failed_; }
    double firstAt() const { return firstAt_; }
    double lastAt() const { return lastAt_; }

private:
    void assign(const QString& path, const QString& type, const QString& text)
    {
        if (path == QLatin1String("sys/name"))
            run_.name = text == QLatin1String("Untitled") ? QString() : text; // neptune's default: the id says more
        else if (path == QLatin1String("sys/description"))
            run_.notes = text;
        else if (path == QLatin1String("sys/hostname"))
            run_.host = text;
        else if (path == QLatin1String("sys/failed"))
            failed_ = text == QLatin1String("true");
        else if (path == QLatin1String("source_code/entrypoint"))
            run_.environment.emplace_back(QStringLiteral("entrypoint"), text);
        else if (!path.startsWith(QLatin1String("sys/")) && !path.startsWith(QLatin1String("monitoring/")))
            params_.insert(path, {type, text}); // the last one assigned wins
    }

    // monitoring/<hash>/cpu (monitoring/cpu before 1.0) under system/: the
    // percentages as ours, the rest by neptune's name. The first process's
    // namespace (the parent's) is the run's; a forked one's keeps its hash,
    // so that two machines' worth of samples never interleave in one series.
    QString seriesKey(const QString& path, const QJsonArray& pathList)
    {
        if (pathList.size() < 2 || pathList.first().toString() != QLatin1String("monitoring"))
            return path;
        const QString gauge = pathList.last().toString();
        QString prefix = QStringLiteral("system/");
        if (pathList.size() == 3) {
            const QString hash = pathList.at(1).toString();
            if (mainMonitoring_.isEmpty())
                mainMonitoring_ = hash;
            if (hash != mainMonitoring_)
                prefix += hash + QLatin1Char('/');
        }
        static const QRegularExpression gpu(QStringLiteral("^gpu(?:_([0-9]+))?$"));
        if (gauge == QLatin1String("cpu"))
            return prefix + QStringLiteral("cpu_percent");
        if (const auto m = gpu.match(gauge); m.hasMatch())
            return prefix + QStringLiteral("gpu.%1.utilization_percent").arg(m.captured(1).isEmpty() ? QStringLiteral("0") : m.captured(1));
        return prefix + gauge;
    }

    void logFloats(const QString& path, const QJsonArray& pathList, const QJsonArray& values)
    {
        const QString key = seriesKey(path, pathList);
        MetricSeries& s = run_.series[key];
        for (const auto& item : values) {
            const QJsonObject point = item.toObject();
            const auto v = jsonNumber(point.value(QStringLiteral("value")));
            if (!v)
                continue;
            if (int64_t(s.size()) >= kMaxPointsPerSeries) {
                ++leftOut_[key];
                continue;
            }
            const QJsonValue step = point.value(QStringLiteral("step"));
            s.steps.push_back(step.isDouble() && std::isfinite(step.toDouble()) ? int64_t(std::llround(step.toDouble()))
                              : s.steps.empty()                                  ? 0
                                                                                 : s.steps.back() + 1);
            const double ts = point.value(QStringLiteral("ts")).toDouble();
            s.wallTimes.push_back(ts);
            s.values.push_back(*v);
            if (ts > 0) {
                firstAt_ = firstAt_ > 0 ? std::min(firstAt_, ts) : ts;
                lastAt_ = std::max(lastAt_, ts);
            }
        }
        if (s.size() == 0)
            run_.series.remove(key);
    }

    void upload(const QString& path, const QJsonObject& op)
    {
        ArtifactItem item;
        const QString ext = op.value(QStringLiteral("ext")).toString();
        item.path = ext.isEmpty() ? path : path + QLatin1Char('.') + ext;
        classifyArtifactFile(item);
        const QString kept = op.value(QStringLiteral("tmp_file_name")).toString();
        const QString original = op.value(QStringLiteral("file_path")).toString();
        if (!kept.isEmpty() && !kept.contains(QLatin1Char('/')))
            item.file = processFolder_ + QStringLiteral("/upload_path/") + kept;
        else if (!original.isEmpty())
            item.remoteUri = QStringLiteral("file://") + original; // the user's own file, not kept by neptune
        else
            return;
        std::erase_if(run_.artifacts.items, [&](const ArtifactItem& i) { return i.path == item.path; }); // uploaded again
        run_.artifacts.items.push_back(std::move(item));
    }

    FolderOfRunsReader::RunFolder& run_;
    QMap<QString, std::pair<QString, QString>> params_; // path -> type, text
    QStringList tags_;
    QHash<QString, int64_t> leftOut_;
    QString processFolder_, mainMonitoring_;
    bool failed_ = false;
    double firstAt_ = 0, lastAt_ = 0; // seconds since the epoch
};

// Reads one folder's log into `replay`; false when a record was cut short at its end.
bool replayFolder(const QString& dir, OperationReplay& replay, QStringList& problems)
{
    bool cutShort = false;
    for (const QString& path : dataFiles(dir)) {
        QFile file(path);
        if (const QString why = openRegularFile(file); !why.isEmpty()) {
            problems << why;
            continue;
        }
        LineReader lines(file, kMaxRowBytes);
        int64_t unreadable = 0;
        bool lastBad = false;
        while (const auto line = lines.next()) {
            if (line->empty())
                continue;
            const auto record = pythonJsonObject(*line);
            lastBad = !record;
            if (!record) {
                ++unreadable;
                continue;
            }
            replay.add(record->value(QStringLiteral("obj")).toObject(), record->value(QStringLiteral("at")).toDouble());
        }
        // A writer killed mid-record (or still writing) leaves its last line cut.
        if (lastBad && lines.lastLineUnterminated()) {
            cutShort = true;
            --unreadable;
        }
        if (unreadable > 0)
            problems << QStringLiteral("%1: %2 record(s) are not JSON; left out").arg(QFileInfo(path).fileName()).arg(unreadable);
        if (lines.longLines())
            problems << QStringLiteral("%1: %2 record(s) longer than %3 MiB; left out")
                            .arg(QFileInfo(path).fileName()).arg(lines.longLines()).arg(kMaxRowBytes >> 20);
    }
    return !cutShort;
}

} // namespace

NeptuneOfflineReader::NeptuneOfflineReader(QDir root) : FolderOfRunsReader(std::move(root)) {}

int NeptuneOfflineReader::recognise(const StoreProbe& probe)
{
    return probe.isDir && !neptuneRunFolders(probe.path, true).isEmpty() ? 50 : 0;
}

StoreFormat NeptuneOfflineReader::format()
{
    return {QStringLiteral("neptune"), QStringLiteral("Neptune"), QStringLiteral("neptune-client offline runs (.neptune/offline)"),
        StoreCapability::Read | StoreCapability::Live, &recognise,
        [](const QString& path, const StoreOpenOptions&) { return asStoreReader(open(path)); }};
}

Result<std::unique_ptr<NeptuneOfflineReader>> NeptuneOfflineReader::open(const QString& path)
{
    if (!QFileInfo(path).isDir() || neptuneRunFolders(path, true).isEmpty())
        return Failure{QStringLiteral("'%1' holds no neptune offline runs: no .neptune/offline/run__<id> folder with a data-1.log").arg(path)};
    return std::unique_ptr<NeptuneOfflineReader>(new NeptuneOfflineReader(QDir(QFileInfo(path).absoluteFilePath())));
}

QStringList NeptuneOfflineReader::runFolders() const
{
    return neptuneRunFolders(rootPath(), false, &processes_);
}

QString NeptuneOfflineReader::runIdOf(const QString& folder) const
{
    return uuidOf(folder); // neptune's "offline/<uuid>"
}

FolderOfRunsReader::RunFolder NeptuneOfflineReader::readRun(const QString& folder) const
{
    RunFolder run;
    const QFileInfo info(folder);
    const QStringList folders = processes_.value(uuidOf(folder), {folder});
    OperationReplay replay(run);
    bool whole = true;
    int64_t lastPutMs = 0, closedMs = 0;
    for (const QString& dir : folders) {
        replay.setProcessFolder(QFileInfo(dir).fileName());
        whole = replayFolder(dir, replay, run.problems) && whole;
        lastPutMs = std::max<int64_t>(lastPutMs, QFileInfo(QDir(dir).filePath(QStringLiteral("last_put_version"))).lastModified().toMSecsSinceEpoch());
        closedMs = std::max<int64_t>(closedMs, QFileInfo(QDir(dir).filePath(QStringLiteral("metadata.json"))).lastModified().toMSecsSinceEpoch());
        if (dir != folder)
            run.alsoWatch << dir;
    }
    replay.finish(info.absolutePath());

    QStringList metaProblems;
    const QJsonObject meta = readJsonObjectFile(QDir(folder).filePath(QStringLiteral("metadata.json")), kMaxJsonBytes, metaProblems);
    run.problems << metaProblems;
    const int64_t created = pythonIsoTimeMs(meta.value(QStringLiteral("createdAt")).toString());
    if (lastPutMs <= 0)
        lastPutMs = info.lastModified().toMSecsSinceEpoch();
    const bool silent = QDateTime::currentMSecsSinceEpoch() - lastPutMs > kSilentMs;
    // neptune rewrites metadata.json (1.8.3 on) at every flush: on stop, and
    // at run.wait() from 1.9. Rewritten after the last operation: stopped,
    // or waited for and then killed, which nothing on disk tells apart.
    const bool flushedLast = closedMs > 0 && !meta.isEmpty() && closedMs >= lastPutMs;
    // A run of this machine (its host in the log, its process ids in its
    // folders' names, 1.9 on) is running while a process of it lives, as
    // Guild's are; others by what they wrote lately, which a run logging
    // nothing for minutes (no monitoring, long epochs) shows as crashed.
    bool ours = false, alive = false;
    if (!run.host.isEmpty() && run.host == QSysInfo::machineHostName())
        for (const QString& dir : folders)
            if (const qint64 pid = pidOf(dir); pid > 0) {
                ours = true;
                alive = alive || ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
            }
    run.status = replay.failed()         ? RunStatus::Failed
                 : ours && alive         ? RunStatus::Running
                 : !ours && !silent      ? RunStatus::Running
                 : flushedLast           ? RunStatus::Finished
                 : meta.isEmpty() && !ours ? RunStatus::Finished // before 1.8.3 nothing tells a crash
                                         : RunStatus::Crashed;
    run.startMs = created >= 0 ? created : replay.firstAt() > 0 ? int64_t(replay.firstAt() * 1000) : lastPutMs;
    run.endMs = run.status == RunStatus::Running ? -1 : replay.lastAt() > 0 ? int64_t(replay.lastAt() * 1000) : lastPutMs;
    if (!whole && run.status != RunStatus::Running)
        run.problems << QStringLiteral("the log ends in a record cut short (the process was killed while writing); left out");

    // Where the user's project is: the folder holding .neptune.
    const QDir offline = info.dir();
    if (offline.dirName() == QLatin1String("offline")) {
        QDir project = offline;
        if (project.cdUp() && project.dirName() == QLatin1String(".neptune") && project.cdUp())
            run.experiment = project.dirName();
    }
    for (const auto& key : {"neptuneClientVersion", "pythonVersion", "os"})
        if (const QString v = meta.value(QLatin1String(key)).toString(); !v.isEmpty())
            run.environment.emplace_back(QLatin1String(key), v);
    run.environment.emplace_back(QStringLiteral("run folder"), folder);
    std::sort(run.environment.begin(), run.environment.end());
    return run;
}

} // namespace runlens
