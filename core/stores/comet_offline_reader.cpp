// SPDX-License-Identifier: GPL-3.0-or-later
#include "comet_offline_reader.h"

#include "artifact_files.h"
#include "folder_walk.h"
#include "foreign_system_metrics.h"
#include "json_params.h"
#include "line_reader.h"
#include "read_limits.h"
#include "zip_archive.h"

#include "runlens/number_format.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace runlens {

namespace {

// Field names and message kinds: comet_ml 3.32.5 and 3.54.0 as installed
// from PyPI (comet_ml/offline.py, messages.py, offline_utils.py), and an
// archive comet_ml 3.47.6 wrote; tests/fixtures/comet/NOTES.md.

constexpr int kMaxDepth = 2; // <root>/<key>.zip, or a project folder's .cometml-runs/
// An archive stays empty while its experiment runs (Comet fills it at the
// end). Training goes on for days; one empty for over a week belonged to a
// process that died.
constexpr qint64 kEmptyIsRunningMs = qint64(7) * 24 * 3600 * 1000;
// The archive comet_ml makes at the start: an end-of-central-directory record alone.
constexpr qint64 kEmptyZipBytes = 22;
// Keys one archive may give: a messages.json of made-up names is not held whole.
constexpr qsizetype kMaxKeysPerArchive = 100'000;

bool hasCometName(const QString& fileName)
{
    // An experiment key (uuid4().hex by default; 32 to 50 letters and
    // digits), "-" and six letters when resumed or continued offline.
    static const QRegularExpression key(QStringLiteral("^[A-Za-z0-9]{32,50}(-[A-Za-z]{6})?\\.zip$"));
    return key.match(fileName).hasMatch();
}

enum class ZipContents { Comet, Other, Unreadable };

ZipContents contentsOf(const QString& path)
{
    const auto zip = ZipArchive::open(path);
    if (!zip)
        return ZipContents::Unreadable;
    return (*zip)->member(QStringLiteral("experiment.json")) && (*zip)->member(QStringLiteral("messages.json"))
               ? ZipContents::Comet
               : ZipContents::Other;
}

bool hasCometContents(const QString& path)
{
    return contentsOf(path) == ZipContents::Comet;
}

// What Comet writes in an archive (or the empty one it starts with), looked
// for only in one named by an experiment key or in Comet's own folder: a
// folder of a dataset's zips is not opened zip by zip, and a readable zip
// without Comet's members (a cache file named by a hash) is not a run. One
// named by a key that cannot be read (cut, damaged, being written) is: the
// run says what is wrong with it.
bool isCometArchive(const QFileInfo& file)
{
    const bool named = hasCometName(file.fileName());
    if (!file.isFile() || (!named && file.dir().dirName() != QLatin1String(".cometml-runs")))
        return false;
    if (named && file.size() == kEmptyZipBytes)
        return true;
    const ZipContents contents = contentsOf(file.absoluteFilePath());
    return contents == ZipContents::Comet || (named && contents == ZipContents::Unreadable);
}

QStringList cometArchives(const QString& root, bool firstOnly)
{
    QStringList out;
    // The archives in one folder; true when the first is all that is wanted.
    const auto scan = [&](const QString& dir) {
        for (const QFileInfo& file : QDir(dir).entryInfoList({QStringLiteral("*.zip")}, QDir::Files | QDir::Hidden, QDir::Name))
            if (isCometArchive(file)) {
                out << file.absoluteFilePath();
                if (firstOnly)
                    return true;
            }
        return false;
    };
    if (!scan(root))
        walkFolders(root, kMaxDepth - 1, [&](const QString& dir) { return scan(dir) ? WalkNext::Stop : WalkNext::Enter; });
    out.sort();
    return out;
}

QString textOf(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::String: return v.toString();
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return QString::fromStdString(formatDouble(v.toDouble()));
    case QJsonValue::Array: return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object: return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    default: return {};
    }
}

// What one archive's messages add up to.
class MessageReplay {
public:
    explicit MessageReplay(FolderOfRunsReader::RunFolder& run, const QString& archiveName)
        : run_(run)
        , archiveName_(archiveName)
    {
    }

    void add(const QJsonObject& message, const ZipArchive& zip)
    {
        const QString type = message.value(QStringLiteral("type")).toString();
        const QJsonObject p = message.value(QStringLiteral("payload")).toObject();
        const QJsonValue at = p.value(QStringLiteral("local_timestamp"));
        const int64_t ms = at.isDouble() ? int64_t(at.toDouble()) : -1;
        if (ms > 0) {
            firstMs_ = firstMs_ < 0 ? ms : std::min(firstMs_, ms);
            lastMs_ = std::max(lastMs_, ms);
        }
        // Older archives say what a message is by its payload's key, under
        // the one type "ws_msg".
        const bool ws = type == QLatin1String("ws_msg");
        const auto is = [&](const char* typed, const char* wsKey) {
            return type == QLatin1String(typed) || (ws && p.contains(QLatin1String(wsKey)));
        };
        if (is("metric_msg", "metric"))
            metric(p.value(QStringLiteral("metric")).toObject(), p.value(QStringLiteral("context")).toString(), ms);
        else if (type == QLatin1String("parameter_msg") || (ws && (p.contains(QStringLiteral("param")) || p.contains(QStringLiteral("params")))))
            param(p.value(p.contains(QStringLiteral("param")) ? QStringLiteral("param") : QStringLiteral("params")).toObject());
        else if (type == QLatin1String("log_other"))
            other(p.value(QStringLiteral("key")).toString(), p.value(QStringLiteral("value")));
        else if (ws && p.contains(QStringLiteral("log_other"))) {
            const QJsonObject o = p.value(QStringLiteral("log_other")).toObject();
            other(o.value(QStringLiteral("key")).toString(), o.value(QStringLiteral("val")));
        } else if (type == QLatin1String("system_details"))
            system(p);
        else if (ws && p.contains(QStringLiteral("env_details")))
            system(p.value(QStringLiteral("env_details")).toObject());
        else if (is("git_metadata", "git_meta"))
            git(p.value(ws ? QStringLiteral("git_meta") : QStringLiteral("git_metadata")).toObject());
        else if (is("installed_packages", "installed_packages"))
            packages_ = p.value(QStringLiteral("installed_packages")).toArray();
        else if (is("gpu_static_info", "gpu_static_info"))
            for (const auto& gpu : p.value(QStringLiteral("gpu_static_info")).toArray())
                gpus_ << gpu.toObject().value(QStringLiteral("name")).toString();
        else if (type == QLatin1String("file_upload"))
            upload(p, ms, zip);
        else if (type == QLatin1String("remote_file"))
            remote(p, ms);
    }

    void finish()
    {
        appendJsonParams(run_.params, params_);
        for (auto it = others_.cbegin(); it != others_.cend(); ++it)
            run_.tags.emplace_back(it.key(), it.value());
        if (!packages_.isEmpty()) {
            QStringList names;
            for (const auto& p : packages_)
                names << p.toString();
            run_.environment.emplace_back(QStringLiteral("installed packages"), names.join(QStringLiteral(", ")));
        }
        if (!gpus_.isEmpty())
            run_.environment.emplace_back(QStringLiteral("gpus"), gpus_.join(QStringLiteral(", ")));
        // Comet's system metrics (sys.*) under system/, as ours where they mean the same.
        QHash<QString, MetricSeries> series;
        for (auto it = run_.series.begin(); it != run_.series.end(); ++it) {
            QString key = it.key();
            if (key.startsWith(QLatin1String("sys."))) {
                if (const auto ours = runlensSystemMetric(SystemMetricSource::Comet, key)) {
                    scaleSeries(it.value(), ours->factor);
                    key = ours->key;
                } else {
                    key = QStringLiteral("system/") + key.mid(4);
                }
            }
            series.insert(key, std::move(it.value()));
        }
        run_.series = std::move(series);
        for (auto it = leftOut_.cbegin(); it != leftOut_.cend(); ++it)
            run_.problems << pointsLeftOutNote(it.key(), it.value());
        if (keysLeftOut_)
            run_.problems << QStringLiteral("%1: more than %2 metrics, params or others; %3 message(s) of further names left out")
                                 .arg(archiveName_).arg(kMaxKeysPerArchive).arg(keysLeftOut_);
        for (auto it = notNumbers_.cbegin(); it != notNumbers_.cend(); ++it)
            run_.problems << QStringLiteral("%1: %2 value(s) of '%3' are not numbers").arg(archiveName_).arg(it.value()).arg(it.key());
    }

    int64_t firstMs() const { return firstMs_; }
    int64_t lastMs() const { return lastMs_; }
    const QString& name() const { return name_; }

private:
    void metric(const QJsonObject& m, const QString& context, int64_t ms)
    {
        QString key = m.value(QStringLiteral("metricName")).toString();
        if (key.isEmpty())
            return;
        // Comet shows a metric logged in a context (experiment.train()) as "train_loss".
        if (!context.isEmpty())
            key = context + QLatin1Char('_') + key;
        const auto value = jsonNumber(m.value(QStringLiteral("metricValue")));
        if (!value) {
            ++notNumbers_[key];
            return;
        }
        // No step: comet_ml logs the experiment's current step, the last one
        // given to any metric (system metrics, log_metric without one); null
        // before the first, as 0.
        const QJsonValue stepValue = m.value(QStringLiteral("step"));
        if (stepValue.isDouble() && std::isfinite(stepValue.toDouble()))
            currentStep_ = int64_t(std::llround(stepValue.toDouble()));
        const int64_t step = currentStep_;
        if (!run_.series.contains(key) && run_.series.size() >= kMaxKeysPerArchive) {
            ++keysLeftOut_;
            return;
        }
        MetricSeries& s = run_.series[key];
        if (int64_t(s.size()) >= kMaxPointsPerSeries) {
            ++leftOut_[key];
            return;
        }
        s.steps.push_back(step);
        s.wallTimes.push_back(ms > 0 ? double(ms) / 1000.0 : 0.0);
        s.values.push_back(*value);
    }

    void param(const QJsonObject& p)
    {
        QString key = p.value(QStringLiteral("paramName")).toString();
        if (key.isEmpty())
            return;
        // comet_ml 3.4x flattens nested dicts as "a|b"; Runlens nests with dots.
        key.replace(QLatin1Char('|'), QLatin1Char('.'));
        if (!params_.contains(key) && params_.size() >= kMaxKeysPerArchive) {
            ++keysLeftOut_;
            return;
        }
        params_.insert(key, p.value(QStringLiteral("paramValue")));   // the last one logged wins, as in Comet
    }

    void other(const QString& key, const QJsonValue& value)
    {
        if (key.isEmpty() || key == QLatin1String("offline_experiment") || key == QLatin1String("hasNestedParams"))
            return; // the SDK's own bookkeeping
        if (key == QLatin1String("Name")) {
            name_ = textOf(value);
            return;
        }
        if (!others_.contains(key) && others_.size() >= kMaxKeysPerArchive) {
            ++keysLeftOut_;
            return;
        }
        others_.insert(key, textOf(value));
    }

    void system(const QJsonObject& d)
    {
        run_.host = d.value(QStringLiteral("hostname")).toString();
        for (const auto& key : {"os", "os_release", "python_version", "python_exe", "machine", "processor", "user", "pid"}) {
            const QString value = textOf(d.value(QLatin1String(key)));
            if (!value.isEmpty())
                run_.environment.emplace_back(QLatin1String(key), value);
        }
        QStringList command;
        for (const auto& arg : d.value(QStringLiteral("command")).toArray())
            command << arg.toString();
        if (!command.isEmpty())
            run_.environment.emplace_back(QStringLiteral("command"), command.join(QLatin1Char(' ')));
        // Not "env": the process environment may hold secrets.
    }

    void git(const QJsonObject& g)
    {
        run_.git.present = true;
        run_.git.commit = g.value(QStringLiteral("parent")).toString(); // HEAD when the experiment began
        QString branch = g.value(QStringLiteral("branch")).toString();
        if (branch.startsWith(QLatin1String("refs/heads/")))
            branch = branch.mid(11);
        run_.git.branch = branch;
        run_.git.remote = g.value(QStringLiteral("origin")).toString();
    }

    void upload(const QJsonObject& p, int64_t ms, const ZipArchive& zip)
    {
        const auto member = zip.member(p.value(QStringLiteral("file_path")).toString());
        if (!member)
            return; // listed but not in the archive: nothing to show
        const QJsonObject extra = p.value(QStringLiteral("additional_params")).toObject();
        const QString uploadType = p.value(QStringLiteral("upload_type")).toString();
        QString name = extra.value(QStringLiteral("fileName")).toString();
        if (name.isEmpty())
            name = extra.value(QStringLiteral("figName")).toString();
        if (name.isEmpty())
            name = member->name;
        // yolov5 names its figures by the image's path on the machine that ran (C:\\Users\\...\\1005_epoch_0).
        name = name.mid(std::max(name.lastIndexOf(QLatin1Char('/')), name.lastIndexOf(QLatin1Char('\\'))) + 1);
        const QString extension = extra.value(QStringLiteral("extension")).toString();
        if (!extension.isEmpty() && QFileInfo(name).suffix().isEmpty())
            name += QLatin1Char('.') + extension;
        ArtifactItem item;
        item.path = uploadType == QLatin1String("visualization") ? QStringLiteral("images/") + name
                    : uploadType == QLatin1String("git-patch")   ? QStringLiteral("git/patch.zip")
                                                                 : name;
        const QJsonValue step = extra.value(QStringLiteral("step"));
        item.stepped = step.isDouble();
        item.step = item.stepped ? int64_t(step.toDouble()) : 0;
        item.size = member->size;
        item.time = ms > 0 ? ms : 0;
        classifyArtifactFile(item); // by its name: the member's has no extension
        if (uploadType == QLatin1String("visualization"))
            item.kind = ArtifactKind::Image; // log_image, with or without an extension; decoded by its bytes
        item.file = archiveName_;
        item.offset = int64_t(member->index);
        run_.artifacts.items.push_back(std::move(item));
    }

    void remote(const QJsonObject& p, int64_t ms)
    {
        const QJsonObject extra = p.value(QStringLiteral("additional_params")).toObject();
        ArtifactItem item;
        item.remoteUri = p.value(QStringLiteral("remote_uri")).toString();
        item.path = extra.value(QStringLiteral("fileName")).toString();
        if (item.path.isEmpty())
            item.path = item.remoteUri;
        if (item.path.isEmpty())
            return;
        item.time = ms > 0 ? ms : 0;
        classifyArtifactFile(item);
        run_.artifacts.items.push_back(std::move(item));
    }

    FolderOfRunsReader::RunFolder& run_;
    QString archiveName_;
    QJsonObject params_;
    QMap<QString, QString> others_;
    QJsonArray packages_;
    QStringList gpus_;
    QString name_;
    QHash<QString, int64_t> leftOut_, notNumbers_;
    int64_t keysLeftOut_ = 0;
    int64_t currentStep_ = 0;
    int64_t firstMs_ = -1, lastMs_ = -1;
};

} // namespace

CometOfflineReader::CometOfflineReader(QDir root, QString onlyArchive)
    : FolderOfRunsReader(std::move(root))
    , onlyArchive_(std::move(onlyArchive))
{
}

int CometOfflineReader::recognise(const StoreProbe& probe)
{
    if (probe.isRegularFile)
        return probe.path.endsWith(QLatin1String(".zip")) && probe.head.startsWith("PK")
                       && (hasCometName(QFileInfo(probe.path).fileName()) || hasCometContents(probe.path))
                   ? 60
                   : 0;
    return probe.isDir && !cometArchives(probe.path, true).isEmpty() ? 50 : 0;
}

StoreFormat CometOfflineReader::format()
{
    return {QStringLiteral("comet"), QStringLiteral("Comet"), QStringLiteral("Comet offline experiment archives (.zip)"),
        StoreCapability::Read | StoreCapability::Live, &recognise,
        [](const QString& path, const StoreOpenOptions&) { return asStoreReader(open(path)); }};
}

Result<std::unique_ptr<CometOfflineReader>> CometOfflineReader::open(const QString& path)
{
    const QFileInfo info(path);
    if (info.isFile()) {
        if (!hasCometName(info.fileName()) && !hasCometContents(path))
            return Failure{QStringLiteral("'%1' is not a Comet offline archive: no experiment.json and messages.json in it").arg(path)};
        return std::unique_ptr<CometOfflineReader>(new CometOfflineReader(info.absoluteDir(), info.absoluteFilePath()));
    }
    if (!info.isDir() || cometArchives(path, true).isEmpty())
        return Failure{QStringLiteral("'%1' holds no Comet offline archives (<experiment key>.zip)").arg(path)};
    return std::unique_ptr<CometOfflineReader>(new CometOfflineReader(QDir(info.absoluteFilePath()), {}));
}

QStringList CometOfflineReader::runFolders() const
{
    const QStringList archives = onlyArchive_.isEmpty() ? cometArchives(rootPath(), false) : QStringList{onlyArchive_};
    QSet<QString> seen;
    repeatedKeys_.clear();
    for (const QString& archive : archives) {
        const QString key = QFileInfo(archive).completeBaseName();
        if (seen.contains(key))
            repeatedKeys_.insert(key);
        seen.insert(key);
    }
    return archives;
}

QString CometOfflineReader::runIdOf(const QString& archive) const
{
    // The experiment key, as Comet names it (a resumed experiment's archive
    // has its own suffix); the path under the root when the same archive is
    // there twice (copied into two folders).
    const QString key = QFileInfo(archive).completeBaseName();
    if (!repeatedKeys_.contains(key))
        return key;
    QString id = QDir(rootPath()).relativeFilePath(archive);
    id.chop(4); // ".zip"
    return id;
}

FolderOfRunsReader::RunFolder CometOfflineReader::readRun(const QString& archive) const
{
    RunFolder run;
    const QFileInfo info(archive);
    const int64_t written = info.lastModified().toMSecsSinceEpoch();
    const int64_t age = QDateTime::currentMSecsSinceEpoch() - written;
    run.environment.emplace_back(QStringLiteral("archive"), archive);
    run.artifacts.root = info.absolutePath();
    const auto zip = ZipArchive::open(archive);
    const auto meta = zip ? (*zip)->member(QStringLiteral("experiment.json")) : std::nullopt;
    const auto messages = zip ? (*zip)->member(QStringLiteral("messages.json")) : std::nullopt;
    if (!meta && !messages) {
        // Comet keeps an experiment's data in a temporary folder until it
        // ends, and writes the archive then; a half-written one is no zip yet.
        run.status = age < kEmptyIsRunningMs ? RunStatus::Running : RunStatus::Crashed;
        run.startMs = written;
        run.endMs = run.status == RunStatus::Running ? -1 : written;
        run.problems << (zip ? QStringLiteral("%1: empty; Comet fills it when the experiment ends (still running, or killed; shown as crashed after a week)").arg(info.fileName())
                             : zip.error());
        return run;
    }

    QJsonObject experiment;
    if (meta) {
        if (auto bytes = (*zip)->read(*meta, kMaxJsonBytes); !bytes)
            run.problems << bytes.error();
        else if (auto object = pythonJsonObject(std::string_view(bytes->constData(), size_t(bytes->size()))))
            experiment = *object;
        else
            run.problems << QStringLiteral("%1: experiment.json is not a JSON object").arg(info.fileName());
    } else {
        run.problems << QStringLiteral("%1: no experiment.json (Comet writes it when the experiment ends); read as far as it goes")
                            .arg(info.fileName());
    }

    MessageReplay replay(run, info.fileName());
    if (messages) {
        auto device = (*zip)->device(*messages);
        if (!device) {
            run.problems << device.error();
        } else {
            LineReader lines(**device, kMaxRowBytes);
            int64_t unreadable = 0;
            while (const auto line = lines.next()) {
                if (line->empty())
                    continue;
                if (const auto message = pythonJsonObject(*line))
                    replay.add(*message, **zip);
                else
                    ++unreadable;
            }
            if (!(*device)->failure().isEmpty())
                run.problems << QStringLiteral("%1: messages.json read as far as it could be (%2)").arg(info.fileName(), (*device)->failure());
            if (unreadable)
                run.problems << QStringLiteral("%1: %2 line(s) of messages.json are not JSON; left out").arg(info.fileName()).arg(unreadable);
            if (lines.longLines())
                run.problems << QStringLiteral("%1: %2 line(s) of messages.json longer than %3 MiB; left out")
                                    .arg(info.fileName()).arg(lines.longLines()).arg(kMaxRowBytes >> 20);
        }
    }
    replay.finish();

    run.name = replay.name();
    run.experiment = experiment.value(QStringLiteral("project_name")).toString();
    const QJsonValue start = experiment.value(QStringLiteral("start_time"));
    const QJsonValue stop = experiment.value(QStringLiteral("stop_time"));
    run.startMs = start.isDouble() ? int64_t(start.toDouble()) : replay.firstMs() > 0 ? replay.firstMs() : written;
    run.endMs = stop.isDouble() ? int64_t(stop.toDouble()) : replay.lastMs() > 0 ? replay.lastMs() : written;

    // Comet's exception hook reports what ended the script; an archive is
    // only ever written once the experiment has ended.
    const QString error = experiment.value(QStringLiteral("customer_error_message")).toString();
    if (!meta)
        run.status = RunStatus::Crashed;
    else if (!experiment.value(QStringLiteral("customer_error_reported")).toBool())
        run.status = RunStatus::Finished;
    else if (error.contains(QLatin1String("KeyboardInterrupt")))
        run.status = RunStatus::Killed;
    else if (error.startsWith(QLatin1String("Unexpected error detected in the user script")))
        run.status = RunStatus::Failed;
    else {
        run.status = RunStatus::Finished; // the script ended well; Comet's own trouble is said
        run.problems << QStringLiteral("%1: Comet reported: %2").arg(info.fileName(), error);
    }
    if (!error.isEmpty())
        run.tags.emplace_back(QStringLiteral("comet.error"), error);

    QStringList tags;
    for (const auto& t : experiment.value(QStringLiteral("tags")).toArray())
        tags << t.toString();
    if (!tags.isEmpty())
        run.tags.emplace_back(QStringLiteral("comet.tags"), tags.join(QStringLiteral(", ")));
    if (const QString workspace = experiment.value(QStringLiteral("workspace")).toString(); !workspace.isEmpty())
        run.tags.emplace_back(QStringLiteral("comet.workspace"), workspace);
    if (const QString key = experiment.value(QStringLiteral("offline_id")).toString(); !key.isEmpty())
        run.tags.emplace_back(QStringLiteral("comet.experiment_key"), key);
    std::sort(run.environment.begin(), run.environment.end());
    std::sort(run.artifacts.items.begin(), run.artifacts.items.end(), artifactOrder);
    return run;
}

Result<QByteArray> CometOfflineReader::readEmbedded(const QString& file, const ArtifactItem& item, int64_t limit) const
{
    const auto zip = ZipArchive::open(file);
    if (!zip)
        return Failure{zip.error()};
    const auto member = (*zip)->memberAt(uint64_t(item.offset));
    if (!member)
        return Failure{QStringLiteral("'%1' is no longer in '%2'").arg(item.path, file)};
    return (*zip)->read(*member, limit);
}

} // namespace runlens
