// SPDX-License-Identifier: GPL-3.0-or-later
#include "csv_logger_reader.h"

#include "delimited_file.h"
#include "lightning_version.h"
#include "number_parse.h"
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

QStringList foldersWith(const QDir& root, const QString& marker, bool markerIsDir)
{
    QStringList out;
    QDirIterator it(root.path(), QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    auto check = [&](const QString& dir) {
        const QFileInfo fi(QDir(dir).filePath(marker));
        if (markerIsDir ? fi.isDir() : fi.isFile())
            out << dir;
    };
    check(root.path());
    while (it.hasNext())
        check(it.next());
    out.sort();
    return out;
}

// Lightning's runs: every folder with a metrics.csv, and a folder with only
// hparams.yaml (CSVLogger writes it first, metrics.csv at the first flush: a
// run that died between) where it is Lightning's: named version_N, or beside
// a folder with a metrics.csv. Any other folder with an hparams.yaml is not.
QStringList lightningRunFolders(const QDir& root)
{
    QStringList withMetrics, paramsOnly;
    auto check = [&](const QString& dir) {
        const QDir d(dir);
        if (QFileInfo(d.filePath(QStringLiteral("metrics.csv"))).isFile())
            withMetrics << dir;
        else if (QFileInfo(d.filePath(QStringLiteral("hparams.yaml"))).isFile())
            paramsOnly << dir;
    };
    check(root.path());
    QDirIterator it(root.path(), QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        check(it.next());
    QSet<QString> parentsOfRuns;
    for (const auto& f : withMetrics)
        parentsOfRuns.insert(QFileInfo(f).absolutePath());
    QStringList out = withMetrics;
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
    if (!foldersWith(d, QStringLiteral("plots/metrics"), true).isEmpty())
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
                                                   : QStringLiteral("DVCLive (plots/metrics)"))};
    return std::unique_ptr<CsvLoggerReader>(new CsvLoggerReader(QDir(QFileInfo(path).absoluteFilePath()), *found));
}

QStringList CsvLoggerReader::runFolders() const
{
    return kind_ == Kind::Lightning ? lightningRunFolders(root()) : foldersWith(root(), QStringLiteral("plots/metrics"), true);
}

QHash<QString, MetricSeries> CsvLoggerReader::readSeries(const QString& folder, QStringList& problems) const
{
    QHash<QString, MetricSeries> out;
    const QDir plots(QDir(folder).filePath(QStringLiteral("plots/metrics")));
    QDirIterator it(plots.path(), {QStringLiteral("*.tsv")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QString key = plots.relativeFilePath(file);
        key.chop(4);
        auto tsv = readDelimitedFile(file, '\t');
        if (!tsv) {
            problems << tsv.error();
            continue;
        }
        const int ts = tsv->column("timestamp"), st = tsv->column("step");
        int vc = tsv->column(QFileInfo(file).completeBaseName().toStdString());
        if (vc < 0)
            vc = int(tsv->header.size()) - 1;
        MetricSeries s;
        for (size_t r = 0; r < tsv->rows.size(); ++r) {
            const auto& row = tsv->rows[r];
            double v, step = double(r), t = 0;
            if (size_t(vc) >= row.size() || !parseNumber(row[size_t(vc)], v))
                continue;
            if (st >= 0 && size_t(st) < row.size())
                parseNumber(row[size_t(st)], step);
            if (ts >= 0 && size_t(ts) < row.size())
                parseNumber(row[size_t(ts)], t);
            s.steps.push_back(int64_t(step));
            s.wallTimes.push_back(t / 1000.0);
            s.values.push_back(v);
        }
        if (s.size())
            out.insert(key, std::move(s));
    }
    // metrics.json: final values of metrics that have no history.
    QFile json(QDir(folder).filePath(QStringLiteral("metrics.json")));
    if (!json.exists()) {
        // No final values written: nothing to add.
    } else if (const QString why = openRegularFile(json); !why.isEmpty()) {
        problems << why;
    } else {
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(json.readAll(), &error);
        if (!doc.isObject()) {
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
        QFileInfo marker(dir.filePath(kind_ == Kind::Lightning ? QStringLiteral("metrics.csv") : QStringLiteral("plots/metrics")));
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
