// SPDX-License-Identifier: GPL-3.0-or-later
#include "csv_logger_reader.h"

#include "delimited_file.h"
#include "lightning_version.h"
#include "number_parse.h"
#include "read_limits.h"
#include "regular_file.h"
#include "run_details.h"
#include "yaml_params.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace runlens {

namespace {

// Where a DVCLive run keeps its metrics' histories and its summary, in each
// layout since 0.4 (olderDvcLiveLayouts in tests/test_csv_loggers.cpp says
// where each was read): 1.0 on, <dir>/plots/metrics/*.tsv and
// <dir>/metrics.json; 0.6-0.12, <dir>/scalars/*.tsv; 0.4-0.5, <dir>/*.tsv;
// before 1.0 the summary beside the folder, <dir>.json.
struct DvcLiveLayout {
    QString histories;
    QString summary;
};

// The older layouts' folder names are common words: their TSVs must be
// DVCLive's, which always began with a timestamp and a step before 1.0.
bool holdsDvcLiveTsv(const QString& dir)
{
    QDirIterator it(dir, {QStringLiteral("*.tsv")}, QDir::Files, QDirIterator::Subdirectories);
    if (!it.hasNext())
        return false;
    QFile f(it.next());
    return openRegularFile(f).isEmpty() && f.readLine(64).startsWith("timestamp\tstep\t");
}

std::optional<DvcLiveLayout> dvcLiveLayout(const QString& dir)
{
    const QDir d(dir);
    const QString beside = QDir::cleanPath(dir) + QStringLiteral(".json");
    if (QFileInfo(d.filePath(QStringLiteral("plots/metrics"))).isDir())
        return DvcLiveLayout{d.filePath(QStringLiteral("plots/metrics")), d.filePath(QStringLiteral("metrics.json"))};
    if (QFileInfo(d.filePath(QStringLiteral("scalars"))).isDir() && holdsDvcLiveTsv(d.filePath(QStringLiteral("scalars"))))
        return DvcLiveLayout{d.filePath(QStringLiteral("scalars")), beside};
    if (QFileInfo(beside).isFile() && holdsDvcLiveTsv(dir))
        return DvcLiveLayout{dir, beside};
    return std::nullopt;
}

// Calls `visit` with `root` and every folder below it.
template <class Visit> void forEachFolder(const QDir& root, Visit visit)
{
    visit(root.path());
    QDirIterator it(root.path(), QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        visit(it.next());
}

QStringList dvcLiveRunFolders(const QDir& root)
{
    QStringList out;
    forEachFolder(root, [&](const QString& dir) {
        if (dvcLiveLayout(dir))
            out << dir;
    });
    out.sort();
    return out;
}

// Lightning's runs: every folder with a metrics.csv, and a folder with only
// hparams.yaml (CSVLogger writes it first, metrics.csv at the first flush: a
// run that died between) where it is Lightning's: named version_N, or beside
// a folder with a metrics.csv. Any other folder with an hparams.yaml is not.
QStringList lightningRunFolders(const QDir& root)
{
    QStringList out, paramsOnly;
    QSet<QString> parentsOfRuns;
    forEachFolder(root, [&](const QString& dir) {
        const QDir d(dir);
        if (QFileInfo(d.filePath(QStringLiteral("metrics.csv"))).isFile()) {
            out << dir;
            parentsOfRuns.insert(QFileInfo(dir).absolutePath());
        } else if (QFileInfo(d.filePath(QStringLiteral("hparams.yaml"))).isFile()) {
            paramsOnly << dir;
        }
    });
    for (const auto& f : paramsOnly)
        if (isLightningVersionName(QDir(f).dirName()) || parentsOfRuns.contains(QFileInfo(f).absolutePath()))
            out << f;
    out.sort();
    return out;
}

std::optional<CsvLoggerReader::Kind> detect(const QString& dir)
{
    const QDir d(dir);
    if (!d.exists())
        return std::nullopt;
    if (!dvcLiveRunFolders(d).isEmpty())
        return CsvLoggerReader::Kind::DvcLive;
    if (!lightningRunFolders(d).isEmpty())
        return CsvLoggerReader::Kind::Lightning;
    return std::nullopt;
}

} // namespace

CsvLoggerReader::CsvLoggerReader(QDir root, Kind kind) : FolderOfRunsReader(std::move(root)), kind_(kind) {}

int CsvLoggerReader::recognise(const StoreProbe& probe, Kind kind)
{
    return probe.isDir && detect(probe.path) == kind ? 50 : 0;
}

StoreFormat CsvLoggerReader::format(Kind kind)
{
    const bool lightning = kind == Kind::Lightning;
    return {lightning ? QStringLiteral("lightning") : QStringLiteral("dvclive"),
        lightning ? QStringLiteral("Lightning CSV") : QStringLiteral("DVCLive"),
        lightning ? QStringLiteral("Lightning CSV logs") : QStringLiteral("DVCLive output"),
        StoreCapability::Read | StoreCapability::Live,
        [kind](const StoreProbe& probe) { return recognise(probe, kind); },
        [kind](const QString& path, const StoreOpenOptions&) { return asStoreReader(open(path, kind)); }};
}

Result<std::unique_ptr<CsvLoggerReader>> CsvLoggerReader::open(const QString& path, std::optional<Kind> kind)
{
    const auto found = detect(path);
    if (!found || (kind && *kind != *found))
        return Failure{QStringLiteral("'%1' holds no %2 logs").arg(
            path, !kind ? QStringLiteral("Lightning CSV or DVCLive")
                        : *kind == Kind::Lightning ? QStringLiteral("Lightning CSV (metrics.csv)")
                                                   : QStringLiteral("DVCLive (plots/metrics, scalars or dvclive.json)"))};
    return std::unique_ptr<CsvLoggerReader>(new CsvLoggerReader(QDir(QFileInfo(path).absoluteFilePath()), *found));
}

QStringList CsvLoggerReader::runFolders() const
{
    return kind_ == Kind::Lightning ? lightningRunFolders(root()) : dvcLiveRunFolders(root());
}

QHash<QString, MetricSeries> CsvLoggerReader::readSeries(const QString& folder, QStringList& problems) const
{
    QHash<QString, MetricSeries> out;
    const auto layout = dvcLiveLayout(folder);
    if (!layout)
        return out;   // gone since the folders were listed
    const QDir plots(layout->histories);
    QDirIterator it(plots.path(), {QStringLiteral("*.tsv")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QString key = plots.relativeFilePath(file);
        key.chop(4);
        int ts = -1, st = -1, vc = -1;
        int64_t index = 0, leftOut = 0;   // the row's index: x when there is no step column
        MetricSeries s;
        const QString stopped = readDelimitedFile(
            file, '\t',
            [&](const DelimitedHeader& header) {
                ts = header.column("timestamp");
                st = header.column("step");
                vc = header.column(QFileInfo(file).completeBaseName().toStdString());
                if (vc < 0)
                    vc = int(header.names.size()) - 1;
            },
            [&](const DelimitedRow& row) {
                double v, step = double(index++), t = 0;
                if (vc < 0 || size_t(vc) >= row.size() || !parseNumber(row[size_t(vc)], v))
                    return;
                if (int64_t(s.size()) >= kMaxPointsPerSeries) {
                    ++leftOut;
                    return;
                }
                if (st >= 0 && size_t(st) < row.size())
                    parseNumber(row[size_t(st)], step);
                if (ts >= 0 && size_t(ts) < row.size())
                    parseNumber(row[size_t(ts)], t);
                s.steps.push_back(int64_t(step));
                s.wallTimes.push_back(t / 1000.0);
                s.values.push_back(v);
            });
        if (!stopped.isEmpty())
            problems << stopped;
        if (leftOut)
            problems << pointsLeftOutNote(file, leftOut);
        if (s.size())
            out.insert(key, std::move(s));
    }
    // The summary: final values of metrics that have no history.
    QFile json(layout->summary);
    if (!json.exists()) {
        // No final values written: nothing to add.
    } else if (const QString why = openRegularFile(json); !why.isEmpty()) {
        problems << why;
    } else {
        // A few final values; a file past kMaxJsonBytes is not one.
        const QByteArray bytes = json.read(kMaxJsonBytes + 1);
        QJsonParseError error{};
        QJsonDocument doc;
        if (bytes.size() > kMaxJsonBytes) {
            problems << QStringLiteral("%1: larger than %2 MiB; not read").arg(json.fileName()).arg(kMaxJsonBytes >> 20);
        } else if (doc = QJsonDocument::fromJson(bytes, &error); !doc.isObject()) {
            problems << QStringLiteral("%1: %2").arg(json.fileName(), error.errorString());
        } else {
            const int64_t step = doc.object().value(QStringLiteral("step")).toInteger(0);
            std::function<void(const QJsonObject&, const QString&)> walk = [&](const QJsonObject& o, const QString& prefix) {
                for (auto it2 = o.begin(); it2 != o.end(); ++it2) {
                    const QString key = prefix.isEmpty() ? it2.key() : prefix + QLatin1Char('/') + it2.key();
                    if (it2->isObject())
                        walk(it2->toObject(), key);
                    else if (it2->isDouble() && key != QLatin1String("step") && !out.contains(key)) {
                        MetricSeries s;
                        s.steps.push_back(step);
                        s.wallTimes.push_back(0);
                        s.values.push_back(it2->toDouble());
                        out.insert(key, std::move(s));
                    }
                }
            };
            walk(doc.object(), {});
        }
    }
    return out;
}

FolderOfRunsReader::RunFolder CsvLoggerReader::readRun(const QString& folder) const
{
    RunFolder run;
    const QDir dir(folder);
    int64_t startMs = -1, endMs = -1;
    if (kind_ == Kind::Lightning) {
        run.params = readLightningParams(folder, run.problems);
        LightningLog log = readLightningLog(folder, run.problems);
        run.series = std::move(log.series);
        startMs = log.startMs;
        endMs = log.endMs;
    } else {
        run.params = readYamlParams(dir.filePath(QStringLiteral("params.yaml")), &run.problems);
        run.series = readSeries(folder, run.problems);
    }
    if (startMs < 0) {
        // These loggers keep no run times: the files' own times stand in
        // (hparams.yaml's for a run that died before its first metrics).
        const auto dvcLive = kind_ == Kind::DvcLive ? dvcLiveLayout(folder) : std::nullopt;
        QFileInfo marker(dvcLive ? dvcLive->histories : dir.filePath(QStringLiteral("metrics.csv")));
        if (!marker.exists())
            marker.setFile(dir.filePath(QStringLiteral("hparams.yaml")));
        endMs = marker.lastModified().toMSecsSinceEpoch();
        startMs = std::min<int64_t>(marker.birthTime().isValid() ? marker.birthTime().toMSecsSinceEpoch() : endMs, endMs);
    }
    run.startMs = startMs;
    run.endMs = endMs;
    run.environment.emplace_back(QStringLiteral("log folder"), folder);
    return run;
}

} // namespace runlens
