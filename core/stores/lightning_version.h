// SPDX-License-Identifier: GPL-3.0-or-later
// What Lightning's CSV-writing loggers leave in one version folder, read by
// the Lightning reader and, when TensorBoard's event files share the folder,
// by the TensorBoard reader, so one run reads the same either way:
// - CSVLogger: metrics.csv (a step column, sparse rows), hparams.yaml;
// - the older test-tube logger: metrics.csv with a created_at column and no
//   step column, hparams as key,value rows in meta_tags.csv, the run's
//   start in meta.experiment (and its event files in tf/).
#pragma once

#include "metric_series.h"
#include "run_details.h"

#include <QDir>
#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace runlens {

// "version_3": the folder name Lightning's loggers number runs by.
bool isLightningVersionName(const QString& name);

// A folder one of Lightning's CSV loggers wrote a run into: a metrics.csv
// and a version_N name or the logger's params file beside it.
bool holdsLightningCsv(const QDir& folder);

struct LightningLog {
    QHash<QString, MetricSeries> series;
    // The run's times where the files record them (test-tube); -1 otherwise.
    int64_t startMs = -1;
    int64_t endMs = -1;
};

// metrics.csv of `folder`: each column but step and created_at a series, x
// the step column or the row's index. No metrics.csv gives nothing.
LightningLog readLightningLog(const QString& folder, QStringList& problems);

// hparams.yaml, then meta_tags.csv for keys it lacks (its values are text:
// pandas wrote them with str()).
std::vector<ParamValue> readLightningParams(const QString& folder, QStringList& problems);

} // namespace runlens
