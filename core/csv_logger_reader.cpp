// SPDX-License-Identifier: GPL-3.0-or-later
#include "csv_logger_reader.h"

#include "delimited_file.h"
#include "number_parse.h"
#include "run_details.h"
#include "yaml_params.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

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

QString runIdOf(const QDir& root, const QString& folder)
{
    const QString rel = root.relativeFilePath(folder);
    return rel.isEmpty() || rel == QLatin1String(".") ? root.dirName() : rel;
}

} // namespace

CsvLoggerReader::CsvLoggerReader(QDir root, Kind kind) : root_(std::move(root)), kind_(kind) {}

std::optional<CsvLoggerReader::Kind> CsvLoggerReader::detect(const QString& dir)
{
    const QDir d(dir);
    if (!d.exists())
        return std::nullopt;
    if (!foldersWith(d, QStringLiteral("plots/metrics"), true).isEmpty())
        return Kind::DvcLive;
    if (!foldersWith(d, QStringLiteral("metrics.csv"), false).isEmpty())
        return Kind::Lightning;
    return std::nullopt;
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
    return kind_ == Kind::Lightning ? foldersWith(root_, QStringLiteral("metrics.csv"), false)
                                    : foldersWith(root_, QStringLiteral("plots/metrics"), true);
}

QHash<QString, QString> CsvLoggerReader::params(const QString& folder, QStringList& problems) const
{
    return readYamlParams(QDir(folder).filePath(kind_ == Kind::Lightning ? QStringLiteral("hparams.yaml")
                                                                         : QStringLiteral("params.yaml")),
                          &problems);
}

QHash<QString, MetricSeries> CsvLoggerReader::readRun(const QString& folder, QStringList& problems) const
{
    QHash<QString, MetricSeries> out;
    if (kind_ == Kind::Lightning) {
        auto csv = readDelimitedFile(QDir(folder).filePath(QStringLiteral("metrics.csv")), ',');
        if (!csv) {
            problems << csv.error();
            return out;
        }
        const int stepCol = csv->column("step");
        for (size_t c = 0; c < csv->header.size(); ++c) {
            if (int(c) == stepCol)
                continue;
            const QString key = QString::fromStdString(csv->header[c]);
            MetricSeries s;
            for (size_t r = 0; r < csv->rows.size(); ++r) {
                const auto& row = csv->rows[r];
                double v, step = double(r);
                if (c >= row.size() || !parseNumber(row[c], v))
                    continue;   // sparse: this row logged other columns
                if (stepCol >= 0 && size_t(stepCol) < row.size())
                    parseNumber(row[size_t(stepCol)], step);
                s.steps.push_back(int64_t(step));
                s.wallTimes.push_back(0);   // the CSVLogger keeps no time
                s.values.push_back(v);
            }
            if (s.size())
                out.insert(key, std::move(s));
        }
        return out;
    }
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
    if (json.open(QIODevice::ReadOnly)) {
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

Result<LoadedRuns> CsvLoggerReader::loadRuns(const ProgressCallback& progress)
{
    std::lock_guard lock(mutex_);
    auto table = std::make_shared<RunTable>();
    QStringList problems;
    folders_.clear();
    const QStringList folders = runFolders();
    for (qsizetype i = 0; i < folders.size(); ++i) {
        if (progress && !progress(double(i) / double(std::max<qsizetype>(1, folders.size()))))
            return Failure{QStringLiteral("loading '%1' was cancelled").arg(root_.path())};
        const QString id = runIdOf(root_, folders[i]);
        const QDir dir(folders[i]);
        // These loggers keep no run times: the files' own times stand in.
        const QFileInfo marker(kind_ == Kind::Lightning ? dir.filePath(QStringLiteral("metrics.csv"))
                                                        : dir.filePath(QStringLiteral("plots/metrics")));
        const int64_t start = marker.birthTime().isValid() ? marker.birthTime().toMSecsSinceEpoch()
                                                           : marker.lastModified().toMSecsSinceEpoch();
        QString experiment = QFileInfo(folders[i]).dir().dirName();
        if (folders[i] == root_.path())
            experiment = root_.dirName();
        const int64_t end = marker.lastModified().toMSecsSinceEpoch();
        const int row = table->addRun(id, id, experiment, RunStatus::Finished, std::min(start, end), end);
        folders_.insert(id, folders[i]);
        const auto p = params(folders[i], problems);
        for (auto it = p.cbegin(); it != p.cend(); ++it) {
            bool ok = false;
            const double d = it.value().toDouble(&ok);
            table->setParam(row, it.key(), it.value(), ok ? std::optional(d) : std::nullopt);
        }
        const auto series = readRun(folders[i], problems);
        for (auto it = series.cbegin(); it != series.cend(); ++it) {
            const MetricSummary m = summarizeSeries(it.key(), it.value());
            table->setMetric(row, m.key, m.last, m.min, m.max, m.count, m.lastStep);
        }
    }
    table->sortColumns();
    if (progress)
        progress(1.0);
    return LoadedRuns{std::move(table), problems, {}};
}

Result<RunDetails> CsvLoggerReader::loadDetails(const QString& runId)
{
    std::lock_guard lock(mutex_);
    const QString folder = folders_.value(runId);
    if (folder.isEmpty())
        return Failure{QStringLiteral("no run '%1' in '%2'").arg(runId, root_.path())};
    RunDetails d;
    QStringList problems;
    d.id = d.name = runId;
    d.experiment = QFileInfo(folder).dir().dirName();
    d.status = RunStatus::Finished;
    const auto p = params(folder, problems);
    for (auto it = p.cbegin(); it != p.cend(); ++it)
        d.params.push_back({it.key(), QStringLiteral("string"), it.value()});
    std::sort(d.params.begin(), d.params.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    d.metrics = summarizeSeries(readRun(folder, problems));
    d.environment.emplace_back(QStringLiteral("log folder"), folder);
    return d;
}

Result<MetricSeries> CsvLoggerReader::loadSeries(const QString& runId, const QString& key)
{
    std::lock_guard lock(mutex_);
    const QString folder = folders_.value(runId);
    if (folder.isEmpty())
        return Failure{QStringLiteral("no run '%1' in '%2'").arg(runId, root_.path())};
    QStringList problems;
    auto series = readRun(folder, problems);
    if (!series.contains(key))
        return Failure{QStringLiteral("run '%1' has no metric '%2'").arg(runId, key)};
    MetricSeries s = series.take(key);
    s.problems = problems;
    return s;
}

} // namespace runlens
