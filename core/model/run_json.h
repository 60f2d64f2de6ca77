// SPDX-License-Identifier: GPL-3.0-or-later
// JSON forms of runs, details and series: the CLI's --format json and the
// exports. NaN is written as null and infinities as "inf" / "-inf", since
// JSON has no such numbers.
#pragma once

#include "metric_series.h"
#include "number_text.h" // numberText, which the JSON forms write
#include "run_details.h"
#include "run_table.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace runlens {

QJsonValue jsonNumber(double v);
// A param as logged: numbers and booleans as such, JSON values parsed.
QJsonValue jsonParamValue(const QString& type, const QString& text);

// {id, name, experiment, status, start_time, end_time, params, tags, metrics}
QJsonObject runToJson(const RunTable& table, int row);
QJsonObject detailsToJson(const RunDetails& details);
// [{step, timestamp, value}, ...]
QJsonArray seriesToJson(const MetricSeries& series);

} // namespace runlens
