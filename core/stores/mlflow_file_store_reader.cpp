// SPDX-License-Identifier: GPL-3.0-or-later
#include "mlflow_file_store_reader.h"

#include "artifact_files.h"

#include "foreign_system_metrics.h"
#include "mlflow_system_tags.h"

#include "line_reader.h"
#include "number_parse.h"
#include "read_in_parallel.h"
#include "regular_file.h"
#include "series_summarizer.h"

#include <QBuffer>
#include <QDirIterator>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>

namespace runlens {

namespace {

struct Meta {
    YAML::Node node;
    QString error;
};

Meta readYaml(const QString& file)
{
    QFile f(file);
    if (const QString why = openRegularFile(f); !why.isEmpty())
        return {{}, why};
    const QByteArray bytes = f.read(1 << 20);   // a meta.yaml is small; a huge one is not ours
    try {
        YAML::Node n = YAML::Load(bytes.toStdString());
        if (!n.IsMap())
            return {{}, QStringLiteral("%1: not a YAML mapping").arg(file)};
        return {n, {}};
    } catch (const std::exception& e) {
        return {{}, QStringLiteral("%1: %2").arg(file, QString::fromUtf8(e.what()))};
    }
}

QString text(const YAML::Node& n, const char* key)
{
    const YAML::Node v = n[key];
    if (!v || v.IsNull() || !v.IsScalar())
        return {};
    return QString::fromStdString(v.Scalar());
}

int64_t integer(const YAML::Node& n, const char* key, int64_t fallback)
{
    const YAML::Node v = n[key];
    if (!v || v.IsNull() || !v.IsScalar())
        return fallback;
    int64_t out = fallback;
    const std::string& s = v.Scalar();
    std::from_chars(s.data(), s.data() + s.size(), out);
    return out;
}

RunStatus statusOf(int64_t code)
{
    // 1 RUNNING, 2 SCHEDULED, 3 FINISHED, 4 FAILED, 5 KILLED; missing means running.
    switch (code) {
    case 3: return RunStatus::Finished;
    case 4: return RunStatus::Failed;
    case 5: return RunStatus::Killed;
    default: return RunStatus::Running;
    }
}

// Every file under `dir`, keyed by its path relative to `dir` (nested keys).
QHash<QString, QString> readKeyFiles(const QString& dir, QStringList& problems)
{
    QHash<QString, QString> out;
    QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    const QDir base(dir);
    while (it.hasNext()) {
        const QString file = it.next();
        QFile f(file);
        if (const QString why = openRegularFile(f); !why.isEmpty()) {
            problems << why;
            continue;
        }
        out.insert(base.relativeFilePath(file), QString::fromUtf8(f.read(1 << 20)));   // MLflow's values are a few kB at most
    }
    return out;
}

// A metric file's summary under the name the table shows: MLflow's system
// metrics as ours, in our units.
MetricSummary mlflowSummary(const SeriesSummarizer& summary, const QString& key)
{
    MetricSummary m = summary.summary(key);
    asRunlensSystemMetric(SystemMetricSource::Mlflow, m);
    return m;
}

// What loadRuns takes from one run folder; read on any thread.
struct RunFolderRead {
    enum Outcome { NotARun, Damaged, Deleted, Run } outcome = NotARun;
    QString error;   // Damaged: why its meta.yaml could not be read
    QString id, name, user, parent, artifactUri;
    RunStatus status = RunStatus::Running;
    int64_t start = 0, end = -1;
    QHash<QString, QString> tags, params;
    std::vector<MetricSummary> metrics;
    QStringList problems, unreadableMetrics, withBadLines;
    int64_t badMetricLines = 0;
};

RunFolderRead readRunFolder(const QString& path, bool includeDeleted)
{
    RunFolderRead out;
    const QDir runDir(path);
    const QString metaFile = runDir.filePath(QStringLiteral("meta.yaml"));
    if (!QFileInfo::exists(metaFile))
        return out;   // tags/, datasets/, traces/ of the experiment: not runs
    const Meta meta = readYaml(metaFile);
    if (!meta.error.isEmpty()) {
        out.outcome = RunFolderRead::Damaged;
        out.error = meta.error;
        out.problems << QStringLiteral("run skipped: %1").arg(meta.error);
        return out;
    }
    if (!includeDeleted && text(meta.node, "lifecycle_stage") == QLatin1String("deleted")) {
        out.outcome = RunFolderRead::Deleted;
        return out;
    }
    out.outcome = RunFolderRead::Run;
    out.id = text(meta.node, "run_id");
    if (out.id.isEmpty())
        out.id = text(meta.node, "run_uuid");
    if (out.id.isEmpty())
        out.id = runDir.dirName();
    out.tags = readKeyFiles(runDir.filePath(QStringLiteral("tags")), out.problems);
    // 2.x keeps the name in run_name; 1.x has name: '' and the tag.
    out.name = text(meta.node, "run_name");
    if (out.name.isEmpty())
        out.name = text(meta.node, "name");
    if (out.name.isEmpty())
        out.name = out.tags.value(QStringLiteral("mlflow.runName"));
    if (out.name.isEmpty())
        out.name = out.id.left(8);
    out.start = integer(meta.node, "start_time", 0);
    out.end = integer(meta.node, "end_time", -1);
    out.status = statusOf(integer(meta.node, "status", 1));
    out.parent = out.tags.value(QStringLiteral("mlflow.parentRunId"));
    out.user = text(meta.node, "user_id");
    out.artifactUri = text(meta.node, "artifact_uri");
    out.params = readKeyFiles(runDir.filePath(QStringLiteral("params")), out.problems);

    const QDir metricsDir(runDir.filePath(QStringLiteral("metrics")));
    QDirIterator mit(metricsDir.path(), QDir::Files, QDirIterator::Subdirectories);
    while (mit.hasNext()) {
        const QString file = mit.next();
        QFile f(file);
        if (const QString why = openRegularFile(f); !why.isEmpty()) {
            out.unreadableMetrics << why;
            continue;
        }
        // The table keeps a summary, so the points are not kept either.
        SeriesSummarizer summary;
        const MetricFileCounts counts
            = readMlflowMetricLines(f, [&summary](int64_t step, double, double value) { summary.add(step, value); });
        if (counts.badLines) {
            out.badMetricLines += counts.badLines;
            out.withBadLines << file;
        }
        if (counts.leftOut)
            out.problems << pointsLeftOutNote(file, counts.leftOut);
        if (summary.count() == 0)
            continue;
        // Last: the point with the highest step, the later one on ties (as MLflow's latest_metrics).
        out.metrics.push_back(mlflowSummary(summary, metricsDir.relativeFilePath(file)));
    }
    return out;
}

} // namespace

MetricFileCounts readMlflowMetricLines(QIODevice& in, const std::function<void(int64_t step, double wallTime, double value)>& point,
                                       int64_t maxPoints)
{
    MetricFileCounts counts;
    int64_t kept = 0;
    LineReader lines(in);
    // MLflow appends a line and its '\n' in one write: a last line without
    // one in a file written to this last minute is still being written
    // ("ts 0.93" of "ts 0.9312 40" would read as a point at step 0). In an
    // older file it is a line whose writer simply left no '\n'.
    const auto* file = qobject_cast<const QFile*>(&in);
    const bool mayStillGrow = file
        && file->fileTime(QFileDevice::FileModificationTime).toMSecsSinceEpoch()
            > QDateTime::currentMSecsSinceEpoch() - 60000;
    while (const auto next = lines.next()) {
        std::string_view line = *next;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        if (line.empty() || (mayStillGrow && lines.lastLineUnterminated()))
            continue;
        // "timestamp value [step]"
        std::string_view f[3];
        int n = 0;
        size_t pos = 0;
        while (n < 3 && pos < line.size()) {
            const size_t sp = line.find(' ', pos);
            f[n++] = line.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
            if (sp == std::string_view::npos)
                break;
            pos = sp + 1;
        }
        int64_t ts = 0, step = 0;
        double value = 0;
        const bool ok = n >= 2 && std::from_chars(f[0].data(), f[0].data() + f[0].size(), ts).ec == std::errc()
            && parseNumber(f[1], value)
            && (n < 3 || std::from_chars(f[2].data(), f[2].data() + f[2].size(), step).ec == std::errc());
        if (!ok)
            ++counts.badLines;
        else if (kept < maxPoints) {
            point(step, double(ts) / 1000.0, value);
            ++kept;
        } else {
            ++counts.leftOut;   // read on all the same, to say how many
        }
    }
    counts.badLines += lines.longLines();
    return counts;
}

MetricSeries readMlflowMetricFile(QIODevice& in, MetricFileCounts* counts, int64_t maxPoints)
{
    MetricSeries s;
    // About a point a line, 16 bytes being a short line. Pages never written
    // are not resident, so reserving costs address space only, and saves
    // growing's copies (and their doubled peak) on a large file.
    if (!in.isSequential()) {
        const auto expected = size_t(std::min<int64_t>(maxPoints, in.size() / 16 + 1));
        s.steps.reserve(expected);
        s.wallTimes.reserve(expected);
        s.values.reserve(expected);
    }
    const MetricFileCounts c = readMlflowMetricLines(in, [&s](int64_t step, double wallTime, double value) {
        s.steps.push_back(step);
        s.wallTimes.push_back(wallTime);
        s.values.push_back(value);
    }, maxPoints);
    if (counts)
        *counts = c;
    return s;
}

MetricSeries parseMlflowMetricFile(const QByteArray& bytes, int* badLines)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    MetricFileCounts counts;
    MetricSeries s = readMlflowMetricFile(buffer, &counts);
    if (badLines)
        *badLines = int(counts.badLines);
    return s;
}

MlflowFileStoreReader::MlflowFileStoreReader(QDir root, bool includeDeleted)
    : root_(std::move(root)), includeDeleted_(includeDeleted)
{
}

namespace {

bool looksLikeStore(const QString& path)
{
    const QDir dir(path);
    if (!dir.exists())
        return false;
    for (const auto& e : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (e == QLatin1String(".trash") || e == QLatin1String("models"))
            continue;
        const QString meta = dir.filePath(e + QStringLiteral("/meta.yaml"));
        if (QFileInfo::exists(meta)) {
            QFile f(meta);
            if (openRegularFile(f).isEmpty()) {
                const QByteArray head = f.read(4096);
                if (head.contains("experiment_id") && head.contains("name"))
                    return true;
            }
        }
    }
    return false;
}

} // namespace

int MlflowFileStoreReader::recognise(const StoreProbe& probe)
{
    return probe.isDir && (looksLikeStore(probe.path) || looksLikeStore(QDir(probe.path).filePath(QStringLiteral("mlruns"))))
        ? 100
        : 0;
}

StoreFormat MlflowFileStoreReader::format()
{
    return {QStringLiteral("mlflow-file"), QStringLiteral("MLflow"), QStringLiteral("an MLflow mlruns folder or a folder holding one"),
        StoreCapability::Read | StoreCapability::Live, &recognise,
        [](const QString& path, const StoreOpenOptions& options) { return asStoreReader(open(path, options.includeDeleted)); }};
}

Result<std::unique_ptr<MlflowFileStoreReader>> MlflowFileStoreReader::open(const QString& path, bool includeDeleted)
{
    QString root = path;
    if (!looksLikeStore(root) && looksLikeStore(QDir(path).filePath(QStringLiteral("mlruns"))))
        root = QDir(path).filePath(QStringLiteral("mlruns"));
    if (!looksLikeStore(root))
        return Failure{QStringLiteral("'%1' is not an MLflow file store: no experiment folder with a meta.yaml").arg(path)};
    // Absolute, so that keys come out as paths relative to their folders.
    return std::unique_ptr<MlflowFileStoreReader>(
        new MlflowFileStoreReader(QDir(QFileInfo(root).absoluteFilePath()), includeDeleted));
}

Result<LoadedRuns> MlflowFileStoreReader::loadRuns(const ProgressCallback& progress)
{
    std::lock_guard lock(mutex_);
    auto table = std::make_shared<RunTable>();
    QStringList problems;
    runDirs_.clear();
    experimentNames_.clear();

    QStringList experimentDirs;
    for (const auto& e : root_.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (e != QLatin1String(".trash") && e != QLatin1String("models"))
            experimentDirs << root_.filePath(e);
    if (includeDeleted_) {
        const QDir trash(root_.filePath(QStringLiteral(".trash")));
        for (const auto& e : trash.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            experimentDirs << trash.filePath(e);
    }

    int64_t badMetricLines = 0;
    int deletedSeen = 0;
    std::vector<QString> users; // per row: the run's user_id
    QStringList unreadableMetrics, withBadLines;
    if (!includeDeleted_) {
        const QDir trash(root_.filePath(QStringLiteral(".trash")));
        deletedSeen += int(trash.entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
    }
    // The experiments first (a meta.yaml each), then their runs, read on
    // every core (read_in_parallel.h) and added in folder order.
    QStringList runFolders, runExperiments;
    for (const QString& experimentDir : std::as_const(experimentDirs)) {
        const QDir expDir(experimentDir);
        const Meta expMeta = readYaml(expDir.filePath(QStringLiteral("meta.yaml")));
        if (!expMeta.error.isEmpty()) {
            if (QFileInfo::exists(expDir.filePath(QStringLiteral("meta.yaml"))))
                problems << QStringLiteral("experiment skipped: %1").arg(expMeta.error);
            continue;
        }
        if (!includeDeleted_ && text(expMeta.node, "lifecycle_stage") == QLatin1String("deleted")) {
            ++deletedSeen;
            continue;
        }
        QString expName = text(expMeta.node, "name");
        if (expName.isEmpty())
            expName = text(expMeta.node, "experiment_id");
        for (const auto& r : expDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            runFolders << expDir.filePath(r);
            runExperiments << expName;
        }
    }
    const bool includeDeleted = includeDeleted_;
    const bool read = readAllInOrder(
        runFolders, [includeDeleted](const QString& path) { return readRunFolder(path, includeDeleted); },
        [&](qsizetype i, RunFolderRead& run) {
            problems += run.problems;
            if (run.outcome == RunFolderRead::Deleted)
                ++deletedSeen;
            if (run.outcome != RunFolderRead::Run)
                return;
            const QString& expName = runExperiments[i];
            const int row = table->addRun(run.id, run.name, expName, run.status, run.start, run.end);
            if (!run.parent.isEmpty())
                table->setParentId(row, run.parent);
            users.resize(size_t(row) + 1);
            users[size_t(row)] = run.user;
            runDirs_.insert(run.id, runFolders[i]);
            experimentNames_.insert(run.id, expName);
            for (auto it = run.params.cbegin(); it != run.params.cend(); ++it) {
                bool ok = false;
                const double d = it.value().toDouble(&ok);
                table->setParam(row, it.key(), it.value(), ok ? std::optional(d) : std::nullopt);
            }
            for (auto it = run.tags.cbegin(); it != run.tags.cend(); ++it)
                table->setTag(row, it.key(), it.value());
            for (const MetricSummary& m : run.metrics)
                table->setMetric(row, m.key, m.last, m.min, m.max, m.count, m.lastStep, m.mean, m.nanCount);
            unreadableMetrics += run.unreadableMetrics;
            badMetricLines += run.badMetricLines;
            withBadLines += run.withBadLines;
        },
        [&](double done) { return !progress || progress(done); });
    if (!read)
        return Failure{QStringLiteral("loading '%1' was cancelled").arg(root_.path())};
    if (!unreadableMetrics.isEmpty())
        problems << QStringLiteral("%1 metric file(s) unreadable: %2")
                        .arg(unreadableMetrics.size())
                        .arg(unreadableMetrics.mid(0, 5).join(QStringLiteral("; ")));
    if (badMetricLines)
        problems << QStringLiteral("%1 malformed metric line(s) skipped, in %2")
                        .arg(badMetricLines)
                        .arg(withBadLines.mid(0, 5).join(QStringLiteral(", ")));
    applyMlflowSystemTags(*table, users);
    table->sortColumns();
    QStringList notes;
    if (const QStringList models = registeredModels(); !models.isEmpty())
        notes << QStringLiteral("model registry: %1 registered model(s): %2")
                     .arg(models.size())
                     .arg(models.join(QStringLiteral(", ")));
    if (!includeDeleted_ && deletedSeen)
        notes << QStringLiteral("%1 deleted run(s) or experiment(s) left out (show them with --deleted)").arg(deletedSeen);
    if (progress)
        progress(1.0);
    // Live refresh: a new experiment (the root), a new run (its experiment
    // folder), a new metric or tag (the run's folders), a status or end time
    // (meta.yaml, rewritten in place), and metric files written lately.
    watch_.clear();
    watch_.add(root_.absolutePath());
    for (const auto& e : experimentDirs)
        watch_.add(e);
    for (const auto& dir : std::as_const(runDirs_)) {
        watch_.add(dir);
        for (const char* part : {"meta.yaml", "metrics", "params", "tags"})
            watch_.add(QDir(dir).filePath(QLatin1String(part)));
        watch_.addRecentFiles(QDir(dir).filePath(QStringLiteral("metrics")), 10 * 60 * 1000, true);
    }
    return LoadedRuns{std::move(table), problems, notes, {}};
}

QString MlflowFileStoreReader::changeStamp() const
{
    std::lock_guard lock(mutex_);
    return watch_.stamp(root_.absolutePath());
}

Result<RunDetails> MlflowFileStoreReader::loadDetails(const QString& runId)
{
    std::lock_guard lock(mutex_);
    const QString dir = runDirs_.value(runId);
    if (dir.isEmpty())
        return Failure{QStringLiteral("no run with id '%1' in '%2'").arg(runId, root_.path())};
    // What loadRuns reads of a run, read again: the files may have changed since.
    RunFolderRead run = readRunFolder(dir, true);
    if (run.outcome == RunFolderRead::Damaged)
        return Failure{run.error};
    if (run.outcome != RunFolderRead::Run)
        return Failure{QStringLiteral("the run's folder '%1' has no meta.yaml any more").arg(dir)};
    RunDetails d;
    d.id = runId;
    d.experiment = experimentNames_.value(runId);
    d.status = run.status;
    d.startTime = run.start;
    d.endTime = run.end;
    d.name = run.name;
    const auto& tags = run.tags;
    d.parentId = run.parent;
    d.notes = tags.value(QStringLiteral("mlflow.note.content"));
    for (auto it = run.params.cbegin(); it != run.params.cend(); ++it)
        d.params.push_back({it.key(), QStringLiteral("string"), it.value()});
    std::sort(d.params.begin(), d.params.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    for (auto it = tags.cbegin(); it != tags.cend(); ++it)
        d.tags.emplace_back(it.key(), it.value());
    std::sort(d.tags.begin(), d.tags.end());
    // What MLflow records of the code and the machine lives in system tags.
    d.git.commit = tags.value(QStringLiteral("mlflow.source.git.commit"));
    d.git.branch = tags.value(QStringLiteral("mlflow.source.git.branch"));
    d.git.remote = tags.value(QStringLiteral("mlflow.source.git.repoURL"));
    d.git.present = !d.git.commit.isEmpty();
    d.git.dirtyRecorded = false; // MLflow records the commit, not the working tree
    for (const char* key : {"mlflow.user", "mlflow.source.name", "mlflow.source.type"})
        if (tags.contains(QLatin1String(key)))
            d.environment.emplace_back(QString::fromLatin1(key).mid(7), tags.value(QLatin1String(key)));
    if (!run.user.isEmpty())
        d.environment.emplace_back(QStringLiteral("user"), run.user);
    std::sort(d.environment.begin(), d.environment.end());
    d.metrics = std::move(run.metrics);
    std::sort(d.metrics.begin(), d.metrics.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    const QString& artifactUri = run.artifactUri;
    const QDir artifacts(QDir(dir).filePath(QStringLiteral("artifacts")));
    QDirIterator ait(artifacts.path(), QDir::Files, QDirIterator::Subdirectories);
    while (ait.hasNext()) {
        const QString file = ait.next();
        d.artifacts.push_back({artifacts.relativeFilePath(file), QUrl::fromLocalFile(file).toString(), {}, QFileInfo(file).size()});
    }
    if (d.artifacts.empty() && !artifactUri.isEmpty())
        d.artifacts.push_back({QStringLiteral("(artifact root)"), artifactUri, {}, -1});
    return d;
}

Result<RunArtifacts> MlflowFileStoreReader::loadArtifacts(const QString& runId)
{
    QString dir;
    {
        std::lock_guard lock(mutex_);
        dir = runDirs_.value(runId);
    }
    if (dir.isEmpty())
        return Failure{QStringLiteral("no run with id '%1' in '%2'").arg(runId, root_.path())};
    const QDir local(QDir(dir).filePath(QStringLiteral("artifacts")));
    if (!local.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot))
        return listArtifactFolder(local.path());
    // Nothing in the run's folder: the artifact root meta.yaml names, as the base lists it.
    return StoreReader::loadArtifacts(runId);
}

Result<MetricSeries> MlflowFileStoreReader::loadSeries(const QString& runId, const QString& key)
{
    std::lock_guard lock(mutex_);
    const QString dir = runDirs_.value(runId);
    if (dir.isEmpty())
        return Failure{QStringLiteral("no run with id '%1' in '%2'").arg(runId, root_.path())};
    // The key is a relative path; it must stay inside the run's metrics folder.
    auto fileOf = [&](const QString& name) {
        const QString file = QDir::cleanPath(QDir(dir).filePath(QStringLiteral("metrics/") + name));
        const bool inside
            = file.startsWith(QDir::cleanPath(QDir(dir).filePath(QStringLiteral("metrics"))) + QLatin1Char('/'));
        return inside && QFileInfo::exists(file) ? file : QString();
    };
    // The table names MLflow's system metrics as ours (foreign_system_metrics.h).
    QString file;
    double factor = 1;
    for (const auto& stored : storedNamesOf(SystemMetricSource::Mlflow, key)) {
        file = fileOf(stored.key);
        factor = stored.factor;
        if (!file.isEmpty())
            break;
    }
    if (file.isEmpty())
        return Failure{QStringLiteral("run '%1' has no metric '%2'").arg(runId, key)};
    QFile f(file);
    if (const QString why = openRegularFile(f); !why.isEmpty())
        return Failure{why};
    MetricFileCounts counts;
    MetricSeries s = readMlflowMetricFile(f, &counts);
    if (counts.badLines)
        s.problems << QStringLiteral("%1 malformed line(s) in %2 skipped").arg(counts.badLines).arg(file);
    if (counts.leftOut)
        s.problems << pointsLeftOutNote(file, counts.leftOut);
    if (factor != 1)
        scaleSeries(s, factor);
    return s;
}

QStringList MlflowFileStoreReader::registeredModels() const
{
    const QDir models(root_.filePath(QStringLiteral("models")));
    return models.exists() ? models.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name) : QStringList();
}

} // namespace runlens
