// SPDX-License-Identifier: GPL-3.0-or-later
#include "lightning_version.h"

#include "delimited_file.h"
#include "number_parse.h"
#include "read_limits.h"
#include "regular_file.h"
#include "yaml_params.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>

namespace runlens {

namespace {

const QString kMetrics = QStringLiteral("metrics.csv");
const QString kHparams = QStringLiteral("hparams.yaml");
const QString kMetaTags = QStringLiteral("meta_tags.csv");

// test-tube writes str(datetime.utcnow()): "2020-03-01 10:00:01.500000", no
// fraction when it is zero. -1 when the text is no such time.
int64_t utcMs(const QString& text)
{
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!t.isValid())
        return -1;
    t.setTimeZone(QTimeZone::utc());
    return t.toMSecsSinceEpoch();
}

// meta.experiment: the run's created_at, when test-tube made it.
int64_t experimentCreated(const QDir& dir)
{
    QFile f(dir.filePath(QStringLiteral("meta.experiment")));
    if (!f.exists() || !openRegularFile(f).isEmpty())
        return -1;
    const auto doc = QJsonDocument::fromJson(f.read(1 << 20));
    return doc.isObject() ? utcMs(doc.object().value(QStringLiteral("created_at")).toString()) : -1;
}

} // namespace

bool isLightningVersionName(const QString& name)
{
    static const QRegularExpression version(QStringLiteral("^version_[0-9]+$"));
    return version.match(name).hasMatch();
}

bool holdsLightningCsv(const QDir& folder)
{
    return QFileInfo(folder.filePath(kMetrics)).isFile()
           && (isLightningVersionName(folder.dirName()) || QFileInfo::exists(folder.filePath(kHparams))
               || QFileInfo::exists(folder.filePath(kMetaTags)));
}

LightningLog readLightningLog(const QString& folder, QStringList& problems)
{
    LightningLog out;
    const QDir dir(folder);
    const QString path = dir.filePath(kMetrics);
    if (!QFileInfo::exists(path))
        return out;
    // Row by row into one series a column (step and created_at stay empty).
    int stepCol = -1, timeCol = -1;
    std::vector<std::string> names;
    std::vector<MetricSeries> columns;
    std::vector<int64_t> leftOut;
    int64_t index = 0;   // the row's: x when there is no step column
    const QString stopped = readDelimitedFile(
        path, ',',
        [&](const DelimitedHeader& header) {
            stepCol = header.column("step");
            timeCol = header.column("created_at");
            names = header.names;
            columns.resize(names.size());
            leftOut.assign(names.size(), 0);
        },
        [&](const DelimitedRow& row) {
            double wallTime = 0;   // CSVLogger keeps no time
            if (timeCol >= 0 && size_t(timeCol) < row.size()) {
                if (const int64_t ms = utcMs(QString::fromStdString(row[size_t(timeCol)])); ms >= 0) {
                    wallTime = double(ms) / 1000.0;
                    out.startMs = out.startMs < 0 ? ms : std::min(out.startMs, ms);
                    out.endMs = std::max(out.endMs, ms);
                }
            }
            double step = double(index++);
            if (stepCol >= 0 && size_t(stepCol) < row.size())
                parseNumber(row[size_t(stepCol)], step);
            for (size_t c = 0; c < std::min(row.size(), columns.size()); ++c) {
                double v;
                if (int(c) == stepCol || int(c) == timeCol || !parseNumber(row[c], v))
                    continue;   // sparse: this row logged other columns
                MetricSeries& s = columns[c];
                if (int64_t(s.size()) >= kMaxPointsPerSeries) {
                    ++leftOut[c];
                    continue;
                }
                s.steps.push_back(int64_t(step));
                s.wallTimes.push_back(wallTime);
                s.values.push_back(v);
            }
        });
    if (!stopped.isEmpty())
        problems << stopped;
    if (timeCol >= 0) {
        if (const int64_t created = experimentCreated(dir); created >= 0)
            out.startMs = out.startMs < 0 ? created : std::min(out.startMs, created);
        if (out.endMs < 0)
            out.endMs = out.startMs;
    }
    for (size_t c = 0; c < columns.size(); ++c) {
        const QString name = QString::fromStdString(names[c]);
        if (leftOut[c])
            problems << pointsLeftOutNote(QStringLiteral("%1, column %2").arg(path, name), leftOut[c]);
        if (columns[c].size())
            out.series.insert(name, std::move(columns[c]));
    }
    return out;
}

std::vector<ParamValue> readLightningParams(const QString& folder, QStringList& problems)
{
    const QDir dir(folder);
    std::vector<ParamValue> params = readYamlParams(dir.filePath(kHparams), &problems);
    if (!QFileInfo::exists(dir.filePath(kMetaTags)))
        return params;
    const QString path = dir.filePath(kMetaTags);
    int keyCol = -1, valueCol = -1;
    int64_t leftOut = 0;
    std::vector<ParamValue> fromTags;
    const QString stopped = readDelimitedFile(
        path, ',',
        [&](const DelimitedHeader& header) {
            keyCol = header.column("key");
            valueCol = header.column("value");
        },
        [&](const DelimitedRow& row) {
            if (keyCol < 0 || valueCol < 0 || size_t(keyCol) >= row.size() || row[size_t(keyCol)].empty())
                return;
            if (int64_t(fromTags.size()) >= kMaxParamsPerFile) {
                ++leftOut;
                return;
            }
            fromTags.push_back({QString::fromStdString(row[size_t(keyCol)]), QStringLiteral("string"),
                                size_t(valueCol) < row.size() ? QString::fromStdString(row[size_t(valueCol)]) : QString()});
        });
    if (!stopped.isEmpty())
        problems << stopped;
    else if (keyCol < 0 || valueCol < 0)
        problems << QStringLiteral("%1: no key and value columns").arg(path);
    if (leftOut)
        problems << QStringLiteral("%1: the first %2 params kept, %3 more left out").arg(path).arg(kMaxParamsPerFile).arg(leftOut);
    addMissingParams(params, fromTags);
    return params;
}

} // namespace runlens
