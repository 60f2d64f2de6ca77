// SPDX-License-Identifier: GPL-3.0-or-later
// Params from JSON that other tools write (W&B's config, Sacred's
// config.json), by the rule yaml_params.h follows for YAML: nested objects
// become dotted keys; lists, and whatever sits inside them, stay whole as
// compact JSON; a number without a fraction or exponent is an int, a null is
// JSON's null. W&B's {"value": ..., "desc": ...} wrapper around each key of
// its config.yaml is taken off where `unwrapValue` says so.
#pragma once

#include "run_details.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace runlens {

// Appends the params of `object`, each key prefixed with `prefix.` when given.
void appendJsonParams(std::vector<ParamValue>& out, const QJsonObject& object, const QString& prefix = {},
    bool unwrapValue = false);
// One key's value as JSON text (W&B's value_json): NaN and Infinity, which
// Python's json writes, read as floats. Text that is not JSON is kept as a string.
void appendJsonTextParam(std::vector<ParamValue>& out, const QString& key, const QByteArray& json);

// A JSON object as Python's json writes one (Comet's and Neptune's logs):
// the NaN, Infinity and -Infinity tokens it writes, which JSON has not, are
// read as the strings "NaN", "Infinity" and "-Infinity", which jsonNumber()
// reads back as numbers. nullopt when `text` is no JSON object.
std::optional<QJsonObject> pythonJsonObject(std::string_view text);
// A number as other tools' JSON holds one: a number, or text that is one
// ("NaN", "Infinity", "1e-3", as Comet writes special values); else nullopt.
std::optional<double> jsonNumber(const QJsonValue& value);

// A time as Python's datetime.isoformat() writes it ("2021-02-16T23:44:07.003488",
// microseconds), in ms since the epoch; without a zone it is UTC, as
// utcnow() gives (W&B's startedAt, Sacred's times). -1 when it is no time.
int64_t pythonIsoTimeMs(const QString& text);

// The JSON object in the file at `path`, read whole up to `maxBytes`: empty
// when the file is missing; why not (naming the file) in `problems` when it
// is not a regular file, is larger, or is not a JSON object.
QJsonObject readJsonObjectFile(const QString& path, qsizetype maxBytes, QStringList& problems);

} // namespace runlens
