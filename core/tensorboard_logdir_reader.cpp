// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorboard_logdir_reader.h"

#include "run_details.h"
#include "yaml_params.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>


#include <cmath>

namespace runlens {

namespace {

const QString kEventPattern = QStringLiteral("events.out.tfevents.*");
constexpr int kMaxDepth = 6;
constexpr qint64 kLiveMs = 60000;   // written this recently: still running

QString runIdOf(const QDir& root, const QString& folder)
{
    const QString rel = root.relativeFilePath(folder);
    return rel.isEmpty() || rel == QLatin1String(".") ? root.dirName() : rel;
}

// The scalars of a run as one series per tag, in file order.
QHash<QString, MetricSeries> seriesByTag(const DecodedEvents& ev)
{
    QHash<QString, MetricSeries> out;
    for (const auto& e : ev.scalars) {
        MetricSeries& s = out[e.tag];
        s.steps.push_back(e.step);
        s.wallTimes.push_back(e.wallTime);
        s.values.push_back(e.value);
    }
    return out;
}

} // namespace

TensorboardLogdirReader::TensorboardLogdirReader(QDir root) : root_(std::move(root)) {}

bool TensorboardLogdirReader::looksLikeLogdir(const QString& dir)
{
    QDirIterator it(dir, {kEventPattern}, QDir::Files, QDirIterator::Subdirectories);
    const int depth = QDir(dir).absolutePath().count(QLatin1Char('/'));
    while (it.hasNext()) {
        const QString f = it.next();
        if (QFileInfo(f).absolutePath().count(QLatin1Char('/')) - depth <= kMaxDepth)
            return true;
    }
    return false;
}

Result<std::unique_ptr<TensorboardLogdirReader>> TensorboardLogdirReader::open(const QString& path)
{
    if (!QFileInfo(path).isDir() || !looksLikeLogdir(path))
        return Failure{QStringLiteral("'%1' is not a TensorBoard logdir: no events.out.tfevents.* files in it").arg(path)};
    return std::unique_ptr<TensorboardLogdirReader>(new TensorboardLogdirReader(QDir(QFileInfo(path).absoluteFilePath())));
}

QStringList TensorboardLogdirReader::runFolders() const
{
    QStringList folders;
    QDirIterator it(root_.path(), {kEventPattern}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString folder = QFileInfo(it.next()).absolutePath();
        if (!folders.contains(folder))
            folders << folder;
    }
    folders.sort();
    return folders;
}

QStringList TensorboardLogdirReader::eventFiles(const QString& folder) const
{
    QStringList files = QDir(folder).entryList({kEventPattern}, QDir::Files, QDir::Name);
    for (auto& f : files)
        f = QDir(folder).filePath(f);
    return files;
}

DecodedEvents TensorboardLogdirReader::decodeRun(const QString& folder) const
{
    DecodedEvents events;
    QHash<QString, bool> tensorTags;
    for (const auto& file : eventFiles(folder)) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            ++events.undecodable;
            continue;
        }
        const bool wasTruncated = events.truncatedTail;
        decodeEventFile(f.readAll(), events, tensorTags);
        events.truncatedTail = wasTruncated || events.truncatedTail;
    }
    return events;
}

QHash<QString, QVariant> TensorboardLogdirReader::hparams(const QString& folder, const DecodedEvents& events) const
{
    QHash<QString, QVariant> out = events.hparams;
    // Lightning writes hparams.yaml beside the event files.
    const auto fromYaml = readYamlParams(QDir(folder).filePath(QStringLiteral("hparams.yaml")));
    for (auto it = fromYaml.cbegin(); it != fromYaml.cend(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

Result<LoadedRuns> TensorboardLogdirReader::loadRuns(const ProgressCallback& progress)
{
    std::lock_guard lock(mutex_);
    auto table = std::make_shared<RunTable>();
    QStringList problems;
    folders_.clear();
    const QStringList folders = runFolders();
    const QString experiment = root_.dirName();
    int badCrc = 0, undecodable = 0;
    QStringList stale;
    for (qsizetype i = 0; i < folders.size(); ++i) {
        if (progress && !progress(double(i) / double(std::max<qsizetype>(1, folders.size()))))
            return Failure{QStringLiteral("loading '%1' was cancelled").arg(root_.path())};
        const QString& folder = folders[i];
        const DecodedEvents ev = decodeRun(folder);
        badCrc += ev.badCrc;
        undecodable += ev.undecodable;
        qint64 lastWrite = 0;
        for (const auto& f : eventFiles(folder))
            lastWrite = std::max(lastWrite, QFileInfo(f).lastModified().toMSecsSinceEpoch());
        const bool live = QDateTime::currentMSecsSinceEpoch() - lastWrite < kLiveMs;
        if (ev.truncatedTail && !live)
            stale << runIdOf(root_, folder);
        const QString id = runIdOf(root_, folder);
        const int64_t start = int64_t(ev.firstWallTime * 1000);
        const int row = table->addRun(id, id, experiment, live ? RunStatus::Running : RunStatus::Finished, start,
                                      live ? -1 : int64_t(ev.lastWallTime * 1000));
        folders_.insert(id, folder);
        const auto hp = hparams(folder, ev);
        for (auto it = hp.cbegin(); it != hp.cend(); ++it) {
            bool ok = false;
            const double d = it.value().toDouble(&ok);
            table->setParam(row, it.key(), it.value().toString(), ok ? std::optional(d) : std::nullopt);
        }
        const auto series = seriesByTag(ev);
        for (auto it = series.cbegin(); it != series.cend(); ++it) {
            const MetricSummary m = summarizeSeries(it.key(), it.value());
            table->setMetric(row, m.key, m.last, m.min, m.max, m.count, m.lastStep);
        }
    }
    if (badCrc)
        problems << QStringLiteral("%1 record(s) with a bad checksum skipped").arg(badCrc);
    if (undecodable)
        problems << QStringLiteral("%1 record(s) or file(s) could not be decoded").arg(undecodable);
    if (!stale.isEmpty())
        problems << QStringLiteral("half-written last record in: %1").arg(stale.join(QStringLiteral(", ")));
    table->sortColumns();
    if (progress)
        progress(1.0);
    return LoadedRuns{std::move(table), problems, {}};
}

Result<RunDetails> TensorboardLogdirReader::loadDetails(const QString& runId)
{
    std::lock_guard lock(mutex_);
    const QString folder = folders_.value(runId);
    if (folder.isEmpty())
        return Failure{QStringLiteral("no run '%1' in '%2'").arg(runId, root_.path())};
    const DecodedEvents ev = decodeRun(folder);
    RunDetails d;
    d.id = runId;
    d.name = runId;
    d.experiment = root_.dirName();
    d.status = RunStatus::Finished;
    d.startTime = int64_t(ev.firstWallTime * 1000);
    d.endTime = int64_t(ev.lastWallTime * 1000);
    const auto hp = hparams(folder, ev);
    for (auto it = hp.cbegin(); it != hp.cend(); ++it)
        d.params.push_back({it.key(), QStringLiteral("string"), it.value().toString()});
    std::sort(d.params.begin(), d.params.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    d.metrics = summarizeSeries(seriesByTag(ev));
    d.environment.emplace_back(QStringLiteral("logdir"), folder);
    d.environment.emplace_back(QStringLiteral("event files"), QString::number(eventFiles(folder).size()));
    return d;
}

Result<MetricSeries> TensorboardLogdirReader::loadSeries(const QString& runId, const QString& key)
{
    std::lock_guard lock(mutex_);
    const QString folder = folders_.value(runId);
    if (folder.isEmpty())
        return Failure{QStringLiteral("no run '%1' in '%2'").arg(runId, root_.path())};
    const DecodedEvents ev = decodeRun(folder);
    auto all = seriesByTag(ev);
    MetricSeries s = all.take(key);
    if (s.size() == 0)
        return Failure{QStringLiteral("run '%1' has no scalar '%2'").arg(runId, key)};
    if (ev.badCrc)
        s.problems << QStringLiteral("%1 record(s) with a bad checksum skipped").arg(ev.badCrc);
    return s;
}

} // namespace runlens
