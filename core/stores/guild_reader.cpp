// SPDX-License-Identifier: GPL-3.0-or-later
#include "guild_reader.h"

#include "folder_walk.h"
#include "line_reader.h"
#include "number_parse.h"
#include "read_limits.h"
#include "regular_file.h"
#include "tensorboard_events.h"
#include "yaml_params.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cerrno>
#include <csignal>

namespace runlens {

namespace {

constexpr int kMaxDepth = 3;              // <guild home>/runs/<id>
constexpr int kMaxEventDepth = 4;          // event files this far inside a run
constexpr qsizetype kMaxAttrBytes = 1 << 20;   // an attr is one YAML value

bool isRunFolder(const QString& dir)
{
    return QFileInfo(dir + QStringLiteral("/.guild/attrs")).isDir();
}

QStringList guildRunFolders(const QString& root, bool firstOnly)
{
    if (isRunFolder(root))
        return {QDir(root).absolutePath()};
    QStringList out;
    walkFolders(root, kMaxDepth, [&](const QString& dir) {
        if (QFileInfo(dir).fileName() == QLatin1String(".guild"))
            return WalkNext::Skip; // a run's own bookkeeping
        if (isRunFolder(dir)) {
            out << dir;
            if (firstOnly)
                return WalkNext::Stop;
        }
        return WalkNext::Enter;
    });
    out.sort();
    return out;
}

// One attr's YAML text, trimmed; a quoted scalar unquoted. Empty when absent.
QString attr(const QDir& attrs, const char* name, QStringList& problems)
{
    QFile f(attrs.filePath(QLatin1String(name)));
    if (!f.exists())
        return {};
    if (const QString why = openRegularFile(f); !why.isEmpty()) {
        problems << why;
        return {};
    }
    QString text = QString::fromUtf8(f.read(kMaxAttrBytes)).trimmed();
    if (text.endsWith(QLatin1String("\n...")))   // yaml.safe_dump's end of a plain scalar
        text.chop(4);
    if (text.size() >= 2 && (text.front() == QLatin1Char('\'') || text.front() == QLatin1Char('"')) && text.back() == text.front())
        text = text.mid(1, text.size() - 2);
    return text.trimmed();
}

// A YAML list of plain scalars, one "- item" a line (tags, comments' bodies are not read).
QStringList listAttr(const QString& text)
{
    QStringList out;
    for (QString line : text.split(QLatin1Char('\n'))) {
        line = line.trimmed();
        if (line.startsWith(QLatin1String("- ")))
            out << line.mid(2).trimmed();
    }
    return out;
}

// .guild/opref: "guildfile:'/path/guild.yml' 'digest' 'model' 'op'" (quotes
// optional): the experiment is model:op, or op for an anonymous model.
QString operationOf(const QString& opref)
{
    static const QRegularExpression token(QStringLiteral("'([^']*)'|(\\S+)"));
    QStringList parts;
    for (auto it = token.globalMatch(opref); it.hasNext();) {
        const auto m = it.next();
        parts << (m.captured(1).isNull() ? m.captured(2) : m.captured(1));
    }
    if (parts.size() < 2)
        return {};
    const QString op = parts.back(), model = parts.size() >= 4 ? parts[parts.size() - 2] : QString();
    return model.isEmpty() ? op : model + QLatin1Char(':') + op;
}

bool processLives(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}

// Guild's default output scalars: "key: number" lines; "step: N" sets the step.
QHash<QString, MetricSeries> outputScalars(const QString& path, QStringList& problems)
{
    QHash<QString, MetricSeries> out;
    QFile f(path);
    if (!f.exists())
        return out;
    if (const QString why = openRegularFile(f); !why.isEmpty()) {
        problems << why;
        return out;
    }
    static const QRegularExpression line(QStringLiteral("^([A-Za-z_][\\w./-]*):\\s+(\\S+)\\s*$"));
    LineReader lines(f);
    int64_t step = 0;
    while (const auto l = lines.next()) {
        const auto m = line.match(QString::fromUtf8(l->data(), qsizetype(l->size())));
        double v;
        if (!m.hasMatch() || !parseNumber(m.captured(2).toStdString(), v))
            continue;
        if (m.captured(1) == QLatin1String("step")) {
            step = int64_t(v);
            continue;
        }
        MetricSeries& s = out[m.captured(1)];
        if (int64_t(s.size()) >= kMaxPointsPerSeries)
            continue;
        s.steps.push_back(step);
        s.wallTimes.push_back(0);
        s.values.push_back(v);
    }
    return out;
}

} // namespace

GuildReader::GuildReader(QDir root) : FolderOfRunsReader(std::move(root)) {}

int GuildReader::recognise(const StoreProbe& probe)
{
    // Above TensorBoard: a Guild run holds event files, and more.
    return probe.isDir && !guildRunFolders(probe.path, true).isEmpty() ? 62 : 0;
}

StoreFormat GuildReader::format()
{
    return {QStringLiteral("guild"), QStringLiteral("Guild"), QStringLiteral("Guild AI runs (.guild/runs)"),
        StoreCapability::Read | StoreCapability::Live, &recognise,
        [](const QString& path, const StoreOpenOptions&) { return asStoreReader(open(path)); }};
}

Result<std::unique_ptr<GuildReader>> GuildReader::open(const QString& path)
{
    if (!QFileInfo(path).isDir() || guildRunFolders(path, true).isEmpty())
        return Failure{QStringLiteral("'%1' holds no Guild runs: no folder with .guild/attrs").arg(path)};
    return std::unique_ptr<GuildReader>(new GuildReader(QDir(QFileInfo(path).absoluteFilePath())));
}

QStringList GuildReader::runFolders() const
{
    return guildRunFolders(root().absolutePath(), false);
}

FolderOfRunsReader::RunFolder GuildReader::readRun(const QString& folder) const
{
    RunFolder run;
    const QDir dir(folder), attrs(folder + QStringLiteral("/.guild/attrs"));
    run.params = readYamlParams(attrs.filePath(QStringLiteral("flags")), &run.problems);
    run.name = attr(attrs, "label", run.problems);
    QFile opref(folder + QStringLiteral("/.guild/opref"));
    if (openRegularFile(opref).isEmpty())
        run.experiment = operationOf(QString::fromUtf8(opref.readLine(kMaxLineBytes)).trimmed());
    run.host = attr(attrs, "host", run.problems);

    bool ok = false;
    const qint64 started = attr(attrs, "started", run.problems).toLongLong(&ok);
    run.startMs = ok ? started / 1000 : QFileInfo(attrs.path()).lastModified().toMSecsSinceEpoch();
    const qint64 stopped = attr(attrs, "stopped", run.problems).toLongLong(&ok);
    const qint64 stopMs = ok ? stopped / 1000 : -1;
    const QString exit = attr(attrs, "exit_status", run.problems);
    const int exitStatus = exit.toInt(&ok);
    if (ok) {
        run.status = exitStatus == 0 ? RunStatus::Finished : exitStatus < 0 ? RunStatus::Killed : RunStatus::Failed;
        run.tags.emplace_back(QStringLiteral("guild.exit_status"), exit);
    } else {
        QFile lock(folder + QStringLiteral("/.guild/LOCK"));
        const bool lives = openRegularFile(lock).isEmpty() && processLives(QString::fromUtf8(lock.read(64)).trimmed().toLongLong());
        run.status = lives ? RunStatus::Running : RunStatus::Crashed;
    }
    run.endMs = run.status == RunStatus::Running ? -1 : stopMs >= 0 ? stopMs : run.startMs;

    const QStringList tags = listAttr(attr(attrs, "tags", run.problems));
    if (!tags.isEmpty())
        run.tags.emplace_back(QStringLiteral("guild.tags"), tags.join(QStringLiteral(", ")));
    if (const QString commit = attr(attrs, "vcs_commit", run.problems); commit.startsWith(QLatin1String("git:"))) {
        run.git.present = true;
        run.git.commit = commit.mid(4);
        run.git.dirtyRecorded = false;
        if (run.git.commit.endsWith(QLatin1Char('*'))) {   // Guild marks a dirty tree so
            run.git.commit.chop(1);
            run.git.dirty = run.git.dirtyRecorded = true;
        }
    }

    // Every event file of the run, in name (time) order; Guild's own under .guild/ too.
    QStringList events;
    const int depth = dir.absolutePath().count(QLatin1Char('/'));
    QDirIterator it(folder, {QStringLiteral("events.out.tfevents.*")}, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        if (f.count(QLatin1Char('/')) - depth <= kMaxEventDepth)
            events << f;
    }
    std::sort(events.begin(), events.end(),
        [](const QString& a, const QString& b) { return QFileInfo(a).fileName() < QFileInfo(b).fileName(); });
    DecodedEvents decoded;
    QHash<QString, bool> tensorTags;
    for (const auto& file : events) {
        QFile f(file);
        if (const QString why = openRegularFile(f); !why.isEmpty()) {
            run.problems << why;
            continue;
        }
        decodeEvents(f, decoded, tensorTags);
    }
    if (decoded.badCrc || decoded.undecodable)
        run.problems << QStringLiteral("%1 event record(s) damaged and skipped").arg(decoded.badCrc + decoded.undecodable);
    run.series = std::move(decoded.series);
    auto fromOutput = outputScalars(folder + QStringLiteral("/.guild/output"), run.problems);
    for (auto s = fromOutput.begin(); s != fromOutput.end(); ++s)
        if (!run.series.contains(s.key()))
            run.series.insert(s.key(), std::move(s.value()));

    run.environment.emplace_back(QStringLiteral("run folder"), folder);
    for (const char* key : {"platform", "user", "cmd"})
        if (const QString v = attr(attrs, key, run.problems); !v.isEmpty())
            run.environment.emplace_back(QLatin1String(key), v);
    std::sort(run.environment.begin(), run.environment.end());
    return run;
}

} // namespace runlens
