// SPDX-License-Identifier: GPL-3.0-or-later
#include "folder_of_runs_reader.h"

#include "artifact_files.h"

#include "number_parse.h"
#include "read_in_parallel.h"
#include "run_details.h"

#include <QFileInfo>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace runlens {

namespace {
// Files written in the last ten minutes may still grow (a run logging).
constexpr qint64 kRecentMs = 10 * 60 * 1000;
} // namespace

FolderOfRunsReader::FolderOfRunsReader(QDir root)
    : root_(std::move(root))
    , rootPath_(QDir::cleanPath(root_.absolutePath()))
{
}

QString FolderOfRunsReader::runIdOf(const QString& folder) const
{
    const QString rel = root_.relativeFilePath(folder);
    return rel.isEmpty() || rel == QLatin1String(".") ? root_.dirName() : rel;
}

QString FolderOfRunsReader::experimentOf(const QString& folder) const
{
    return QDir(folder) == root_ ? root_.dirName() : QFileInfo(folder).dir().dirName();
}

Result<QString> FolderOfRunsReader::folderOf(const QString& runId) const
{
    const QString folder = folders_.value(runId);
    if (folder.isEmpty())
        return Failure{QStringLiteral("no run '%1' in '%2'").arg(runId, root_.path())};
    return folder;
}

Result<LoadedRuns> FolderOfRunsReader::loadRuns(const ProgressCallback& progress)
{
    std::lock_guard lock(mutex_);
    auto table = std::make_shared<RunTable>();
    QStringList problems, alsoWatch;
    folders_.clear();
    artifacts_.clear();
    const QStringList folders = runFolders();
    // Runs are read (decoded, summarised) on every core (read_in_parallel.h), added in folder order.
    const bool read = readAllInOrder(
        folders, [this](const QString& f) { return readRun(f); },
        [&](qsizetype i, RunFolder& run) {
            const QString& folder = folders[i];
            const QString id = runIdOf(folder);
            const int row = table->addRun(id, run.name.isEmpty() ? id : run.name,
                run.experiment.isEmpty() ? experimentOf(folder) : run.experiment, run.status, run.startMs, run.endMs);
            folders_.insert(id, folder);
            if (!run.artifacts.items.empty()) {
                RunArtifacts listed = run.artifacts;
                if (listed.root.isEmpty())
                    listed.root = folder;
                artifacts_.insert(id, std::move(listed));
            }
            for (const auto& [key, value] : run.tags)
                table->setTag(row, key, value);
            if (!run.environment.empty())
                table->setEnvironment(row, run.environment);
            if (!run.notes.isEmpty())
                table->setNotes(row, run.notes);
            if (run.git.present)
                table->setGit(row, {run.git.commit, run.git.branch, int8_t(!run.git.dirtyRecorded ? -1 : run.git.dirty ? 1 : 0)});
            for (const auto& p : run.params)
                table->setParam(row, p.key, p.value, paramNumber(p.type.toStdString(), p.value.toStdString()));
            for (auto it = run.series.cbegin(); it != run.series.cend(); ++it) {
                const MetricSummary m = summarizeSeries(it.key(), it.value());
                table->setMetric(row, m.key, m.last, m.min, m.max, m.count, m.lastStep, m.mean, m.nanCount);
            }
            for (const auto& p : run.problems)
                problems << QStringLiteral("%1: %2").arg(id, p);
            for (const auto& other : run.alsoWatch)
                alsoWatch << other;
        },
        [&](double done) { return !progress || progress(done); });
    if (!read)
        return Failure{QStringLiteral("loading '%1' was cancelled").arg(root_.path())};
    table->sortColumns();
    // Live refresh: the root and every folder down to each run (a new run
    // or experiment folder), each run folder (a new file), and the files
    // written lately, which may still grow.
    watch_.clear();
    QSet<QString> watched;
    for (const auto& folder : folders_) {
        for (QString f = folder; f.startsWith(root_.absolutePath()) && !watched.contains(f);
             f = QFileInfo(f).absolutePath()) {
            watched.insert(f);
            if (f == root_.absolutePath())
                break;
        }
        watch_.addRecentFiles(folder, kRecentMs, true);
    }
    for (const auto& folder : alsoWatch) {
        watched.insert(folder);
        watch_.addRecentFiles(folder, kRecentMs, true);
    }
    watched.insert(root_.absolutePath());
    for (const auto& f : watched)
        watch_.add(f);
    if (progress)
        progress(1.0);
    return LoadedRuns{std::move(table), problems, {}, {}};
}

QString FolderOfRunsReader::changeStamp() const
{
    std::lock_guard lock(mutex_);
    return watch_.stamp(root_.absolutePath());
}

Result<RunDetails> FolderOfRunsReader::loadDetails(const QString& runId)
{
    std::lock_guard lock(mutex_);
    const auto folder = folderOf(runId);
    if (!folder)
        return Failure{folder.error()};
    const RunFolder run = readRun(*folder);
    RunDetails d;
    d.id = runId;
    d.name = run.name.isEmpty() ? runId : run.name;
    d.experiment = run.experiment.isEmpty() ? experimentOf(*folder) : run.experiment;
    d.notes = run.notes;
    d.host = run.host;
    d.tags = run.tags;
    std::sort(d.tags.begin(), d.tags.end());
    d.git = run.git;
    d.status = run.status;
    d.startTime = run.startMs;
    d.endTime = run.endMs;
    d.params = run.params;
    std::sort(d.params.begin(), d.params.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    d.metrics = summarizeSeries(run.series);
    d.environment = run.environment;
    return d;
}

Result<RunArtifacts> FolderOfRunsReader::loadArtifacts(const QString& runId)
{
    std::lock_guard lock(mutex_);
    const auto folder = folderOf(runId);
    if (!folder)
        return Failure{folder.error()};
    if (const auto it = artifacts_.constFind(runId); it != artifacts_.cend())
        return *it;
    RunArtifacts none;
    none.root = *folder;
    return none;
}

Result<QByteArray> FolderOfRunsReader::loadArtifactBytes(const QString& root, const ArtifactItem& item, int64_t limit)
{
    if (item.offset < 0)
        return StoreReader::loadArtifactBytes(root, item, limit);
    const auto file = artifactFilePath(root, item.file);
    if (!file)
        return Failure{file.error()};
    if (item.size > limit)
        return Failure{tooLargeToShow(item.path, item.size, limit)};
    return readEmbedded(*file, item, limit);
}

Result<QByteArray> FolderOfRunsReader::readEmbedded(const QString&, const ArtifactItem& item, int64_t) const
{
    return Failure{QStringLiteral("'%1': this store keeps no media inside its files").arg(item.path)};
}

Result<MetricSeries> FolderOfRunsReader::loadSeries(const QString& runId, const QString& key)
{
    std::lock_guard lock(mutex_);
    const auto folder = folderOf(runId);
    if (!folder)
        return Failure{folder.error()};
    RunFolder run = readRun(*folder);
    if (!run.series.contains(key))
        return Failure{QStringLiteral("run '%1' has no metric '%2'").arg(runId, key)};
    MetricSeries s = run.series.take(key);
    s.problems = run.problems;
    return s;
}

} // namespace runlens
