// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorboard_logdir_reader.h"

#include "artifact_files.h"
#include "lightning_version.h"
#include "regular_file.h"
#include "run_details.h"
#include "runlens/number_format.h"
#include "yaml_params.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace runlens {

namespace {

const QString kEventPattern = QStringLiteral("events.out.tfevents.*");
constexpr int kMaxDepth = 6;
constexpr int kLightningSubDirDepth = 2;   // version_0/tf, version_0/a/b: a logger's sub_dir
constexpr qint64 kLiveMs = 60000;   // written this recently: still running

} // namespace

TensorboardLogdirReader::TensorboardLogdirReader(QDir root) : FolderOfRunsReader(std::move(root)) {}

namespace {

bool looksLikeLogdir(const QString& dir)
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

} // namespace

int TensorboardLogdirReader::recognise(const StoreProbe& probe)
{
    // Below MLflow's file store (its artifacts may hold event files), above
    // the CSV loggers (Lightning writes both into one folder).
    return probe.isDir && looksLikeLogdir(probe.path) ? 60 : 0;
}

StoreFormat TensorboardLogdirReader::format()
{
    return {QStringLiteral("tensorboard"), QStringLiteral("TensorBoard"), QStringLiteral("a TensorBoard logdir"),
        StoreCapability::Read | StoreCapability::Live, &recognise,
        [](const QString& path, const StoreOpenOptions&) { return asStoreReader(open(path)); }};
}

Result<std::unique_ptr<TensorboardLogdirReader>> TensorboardLogdirReader::open(const QString& path)
{
    if (!QFileInfo(path).isDir() || !looksLikeLogdir(path))
        return Failure{QStringLiteral("'%1' is not a TensorBoard logdir: no events.out.tfevents.* files in it").arg(path)};
    return std::unique_ptr<TensorboardLogdirReader>(new TensorboardLogdirReader(QDir(QFileInfo(path).absoluteFilePath())));
}

QString TensorboardLogdirReader::runFolderOf(const QString& eventFolder) const
{
    // Lightning's version folder when the events sit in it or below it
    // (TensorBoardLogger's sub_dir, test-tube's tf/) beside a CSV logger's
    // files: one run, not "version_0/tf" beside "version_0".
    QString folder = eventFolder;
    for (int up = 0; up <= kLightningSubDirDepth; ++up) {
        if (holdsLightningCsv(QDir(folder)))
            return folder;
        if (QDir::cleanPath(QFileInfo(folder).absoluteFilePath()) == rootPath())
            break;
        folder = QFileInfo(folder).absolutePath();
    }
    return eventFolder;
}

QStringList TensorboardLogdirReader::runFolders() const
{
    QSet<QString> eventFolders, folders;
    QDirIterator it(root().path(), {kEventPattern}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString eventFolder = QFileInfo(it.next()).absolutePath();
        if (!eventFolders.contains(eventFolder)) {
            eventFolders.insert(eventFolder);
            folders.insert(runFolderOf(eventFolder));
        }
    }
    QStringList sorted(folders.cbegin(), folders.cend());
    sorted.sort();
    return sorted;
}

QStringList TensorboardLogdirReader::eventFiles(const QString& folder) const
{
    QStringList folders{folder};
    if (holdsLightningCsv(QDir(folder))) {
        // The version folder's own subfolders that hold its events.
        QStringList level{folder};
        for (int depth = 0; depth < kLightningSubDirDepth; ++depth) {
            QStringList next;
            for (const auto& dir : level)
                for (const auto& sub : QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                    next << QDir(dir).filePath(sub);
            for (const auto& dir : next)
                if (runFolderOf(dir) == folder)
                    folders << dir;
            level = next;
        }
    }
    QStringList files;
    for (const auto& dir : folders)
        for (const auto& f : QDir(dir).entryList({kEventPattern}, QDir::Files, QDir::Name))
            files << QDir(dir).filePath(f);
    // Across folders too, by name: the names start with the time they were begun.
    std::stable_sort(files.begin(), files.end(),
                     [](const QString& a, const QString& b) { return QFileInfo(a).fileName() < QFileInfo(b).fileName(); });
    return files;
}

DecodedEvents TensorboardLogdirReader::decodeRun(const QStringList& files, QStringList& problems) const
{
    DecodedEvents events;
    QHash<QString, bool> tensorTags;
    for (const auto& file : files) {
        QFile f(file);
        if (const QString why = openRegularFile(f); !why.isEmpty()) {
            problems << why;
            continue;
        }
        const bool wasTruncated = events.truncatedTail;
        const int oversized = events.oversized;
        const size_t mediaBefore = events.media.size();
        decodeEvents(f, events, tensorTags);
        for (size_t i = mediaBefore; i < events.media.size(); ++i)
            events.media[i].file = file;
        events.truncatedTail = wasTruncated || events.truncatedTail;
        if (events.oversized > oversized)
            problems << QStringLiteral("%1: %2 record(s) over %3 MiB passed over unread (images, audio or graphs: no scalar is that large)")
                            .arg(file)
                            .arg(events.oversized - oversized)
                            .arg(kMaxRecordBytes >> 20);
    }
    for (auto it = events.leftOut.cbegin(); it != events.leftOut.cend(); ++it)
        problems << pointsLeftOutNote(it.key(), it.value());
    return events;
}

FolderOfRunsReader::RunFolder TensorboardLogdirReader::readRun(const QString& folder) const
{
    RunFolder run;
    const QStringList files = eventFiles(folder);
    DecodedEvents ev = decodeRun(files, run.problems);
    qint64 lastWrite = 0;
    for (const auto& f : files)
        lastWrite = std::max(lastWrite, QFileInfo(f).lastModified().toMSecsSinceEpoch());
    // Event files carry no end: written to lately means the run goes on.
    const bool live = QDateTime::currentMSecsSinceEpoch() - lastWrite < kLiveMs;
    run.status = live ? RunStatus::Running : RunStatus::Finished;
    run.startMs = int64_t(ev.firstWallTime * 1000);
    run.endMs = live ? -1 : int64_t(ev.lastWallTime * 1000);
    // Lightning writes its hparams twice: hparams.yaml beside the event files,
    // typed and nested, and the hparams plugin, flattened with '/' and its
    // lists turned into Python's text. The YAML's are the ones to show; the
    // plugin adds only keys the YAML lacks.
    const bool lightningCsv = holdsLightningCsv(QDir(folder));
    run.params = lightningCsv ? readLightningParams(folder, run.problems)
                              : readYamlParams(QDir(folder).filePath(QStringLiteral("hparams.yaml")), &run.problems);
    QSet<QString> eventFolders;
    for (const auto& f : files)
        eventFolders.insert(QFileInfo(f).absolutePath());
    eventFolders.remove(folder);
    for (const auto& sub : eventFolders)   // a sub_dir TensorBoardLogger writes its hparams.yaml there
        addMissingParams(run.params, readYamlParams(QDir(sub).filePath(QStringLiteral("hparams.yaml")), &run.problems));
    QSet<QString> fromYaml;
    for (const auto& p : run.params)
        fromYaml.insert(p.key);
    std::vector<ParamValue> fromPlugin;
    for (auto it = ev.hparams.cbegin(); it != ev.hparams.cend(); ++it) {
        if (fromYaml.contains(QString(it.key()).replace(QLatin1Char('/'), QLatin1Char('.'))))
            continue;
        const QVariant& v = it.value();
        // The plugin's values are protobuf Values: a number, a string or a bool.
        const QString type = v.typeId() == QMetaType::Double ? QStringLiteral("float")
                             : v.typeId() == QMetaType::Bool ? QStringLiteral("bool")
                                                             : QStringLiteral("string");
        fromPlugin.push_back({it.key(), type, v.typeId() == QMetaType::Double
                                                  ? QString::fromStdString(formatDouble(v.toDouble()))
                                                  : v.toString()});
    }
    addMissingParams(run.params, fromPlugin);
    run.series = std::move(ev.series);
    if (lightningCsv) {
        // The CSV logger's columns the event files lack (the same metrics logged twice are the events').
        LightningLog log = readLightningLog(folder, run.problems);
        for (auto it = log.series.begin(); it != log.series.end(); ++it)
            if (!run.series.contains(it.key()))
                run.series.insert(it.key(), std::move(it.value()));
    }
    // Image and text summaries: listed with where their records are, read when shown.
    run.artifacts.root = folder;
    for (const EventMedia& m : ev.media) {
        ArtifactItem item;
        item.path = m.part == 0 ? m.tag : QStringLiteral("%1/%2").arg(m.tag).arg(m.part);
        item.kind = m.image ? ArtifactKind::Image : ArtifactKind::Text;
        item.format = m.format;
        item.step = m.step;
        item.stepped = true;
        item.size = m.size;
        item.width = m.width;
        item.height = m.height;
        item.time = int64_t(m.wallTime * 1000);
        item.file = QDir(folder).relativeFilePath(m.file);
        item.offset = m.offset;
        item.part = m.part;
        run.artifacts.items.push_back(std::move(item));
    }
    // A tag logged twice at a step (a restarted run): the later record wins, as in TensorBoard.
    std::stable_sort(run.artifacts.items.begin(), run.artifacts.items.end(), artifactOrder);
    // Walked from the end, so the one kept of equals is the last; one pass, not an erase each.
    auto& items = run.artifacts.items;
    const auto kept = std::unique(items.rbegin(), items.rend(),
        [](const ArtifactItem& a, const ArtifactItem& b) { return a.path == b.path && a.step == b.step; });
    items.erase(items.begin(), kept.base());
    run.environment.emplace_back(QStringLiteral("event files"), QString::number(files.size()));
    run.environment.emplace_back(QStringLiteral("logdir"), folder);
    if (ev.badCrc)
        run.problems << QStringLiteral("%1 record(s) with a bad checksum skipped").arg(ev.badCrc);
    if (ev.undecodable)
        run.problems << QStringLiteral("%1 record(s) or file(s) could not be decoded").arg(ev.undecodable);
    if (ev.truncatedTail && !live)
        run.problems << QStringLiteral("half-written last record");
    return run;
}

Result<QByteArray> TensorboardLogdirReader::readEmbedded(const QString& file, const ArtifactItem& item, int64_t limit) const
{
    QFile f(file);
    if (const QString why = openRegularFile(f); !why.isEmpty())
        return Failure{why};
    EventMedia m;
    m.tag = item.part == 0 ? item.path : item.path.left(item.path.lastIndexOf(QLatin1Char('/')));
    m.image = item.kind == ArtifactKind::Image;
    m.part = item.part;
    m.offset = item.offset;
    auto bytes = mediaInRecord(f, m);
    if (!bytes)
        return Failure{QStringLiteral("'%1' at step %2 is no longer where the event file had it (the file changed); "
                                      "refresh to read it again").arg(item.path).arg(item.step)};
    if (bytes->size() > limit)
        return Failure{tooLargeToShow(item.path, bytes->size(), limit)};
    return std::move(*bytes);
}

} // namespace runlens
