// SPDX-License-Identifier: GPL-3.0-or-later
#include "lightning_version.h"

#include "delimited_file.h"
#include "number_parse.h"
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
    if (!QFileInfo::exists(dir.filePath(kMetrics)))
        return out;
    auto csv = readDelimitedFile(dir.filePath(kMetrics), ',');
    if (!csv) {
        problems << csv.error();
        return out;
    }
    const int stepCol = csv->column("step"), timeCol = csv->column("created_at");
    std::vector<double> wallTimes(csv->rows.size(), 0);   // CSVLogger keeps no time
    if (timeCol >= 0) {
        for (size_t r = 0; r < csv->rows.size(); ++r) {
            const auto& row = csv->rows[r];
            const int64_t ms = size_t(timeCol) < row.size() ? utcMs(QString::fromStdString(row[size_t(timeCol)])) : -1;
            if (ms < 0)
                continue;
            wallTimes[r] = double(ms) / 1000.0;
            out.startMs = out.startMs < 0 ? ms : std::min(out.startMs, ms);
            out.endMs = std::max(out.endMs, ms);
        }
        if (const int64_t created = experimentCreated(dir); created >= 0)
            out.startMs = out.startMs < 0 ? created : std::min(out.startMs, created);
        if (out.endMs < 0)
            out.endMs = out.startMs;
    }
    for (size_t c = 0; c < csv->header.size(); ++c) {
        if (int(c) == stepCol || int(c) == timeCol)
            continue;
        MetricSeries s;
        for (size_t r = 0; r < csv->rows.size(); ++r) {
            const auto& row = csv->rows[r];
            double v, step = double(r);
            if (c >= row.size() || !parseNumber(row[c], v))
                continue;   // sparse: this row logged other columns
            if (stepCol >= 0 && size_t(stepCol) < row.size())
                parseNumber(row[size_t(stepCol)], step);
            s.steps.push_back(int64_t(step));
            s.wallTimes.push_back(wallTimes[r]);
            s.values.push_back(v);
        }
        if (s.size())
            out.series.insert(QString::fromStdString(csv->header[c]), std::move(s));
    }
    return out;
}

std::vector<ParamValue> readLightningParams(const QString& folder, QStringList& problems)
{
    const QDir dir(folder);
    std::vector<ParamValue> params = readYamlParams(dir.filePath(kHparams), &problems);
    if (!QFileInfo::exists(dir.filePath(kMetaTags)))
        return params;
    auto tags = readDelimitedFile(dir.filePath(kMetaTags), ',');
    if (!tags) {
        problems << tags.error();
        return params;
    }
    const int keyCol = tags->column("key"), valueCol = tags->column("value");
    if (keyCol < 0 || valueCol < 0) {
        problems << QStringLiteral("%1: no key and value columns").arg(dir.filePath(kMetaTags));
        return params;
    }
    std::vector<ParamValue> fromTags;
    for (const auto& row : tags->rows)
        if (size_t(keyCol) < row.size() && !row[size_t(keyCol)].empty())
            fromTags.push_back({QString::fromStdString(row[size_t(keyCol)]), QStringLiteral("string"),
                                size_t(valueCol) < row.size() ? QString::fromStdString(row[size_t(valueCol)]) : QString()});
    addMissingParams(params, fromTags);
    return params;
}

} // namespace runlens
