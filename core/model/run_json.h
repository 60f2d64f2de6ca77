// SPDX-License-Identifier: GPL-3.0-or-later
// JSON forms of runs, details and series: the CLI's --format json and the
// exports. NaN is written as null and infinities as "inf" / "-inf", since
// JSON has no such numbers.
//
// The runs and a series are also written as text, element by element, for
// outputs too large to build as a document first (runlens runs / metric
// --format json): the same text QJsonDocument::toJson(Indented) prints for
// the document, from the same description of each form (run_json.cpp).
#pragma once

#include "metric_series.h"
#include "number_text.h" // numberText, which the JSON forms write
#include "run_details.h"
#include "run_table.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QTextStream>

#include <vector>

namespace runlens {

QJsonValue jsonNumber(double v);
// A param as logged: numbers and booleans as such, JSON values parsed.
QJsonValue jsonParamValue(const QString& type, const QString& text);

// {id, name, experiment, status, start_time, end_time, params, tags, metrics}
QJsonObject runToJson(const RunTable& table, int row);
// [runToJson(row) for each of `rows`] as an indented document, written as it goes.
void writeRunsJson(const RunTable& table, const std::vector<int>& rows, QTextStream& out);
QJsonObject detailsToJson(const RunDetails& details);
// [{step, timestamp, value}, ...]
QJsonArray seriesToJson(const MetricSeries& series);
// seriesToJson as an indented document, written as it goes.
void writeSeriesJson(const MetricSeries& series, QTextStream& out);

} // namespace runlens
