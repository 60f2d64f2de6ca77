// SPDX-License-Identifier: GPL-3.0-or-later
// Params from YAML files that other tools write beside their logs
// (Lightning's hparams.yaml, DVCLive's params.yaml): nested maps become
// dotted keys; lists, and whatever sits inside them, stay whole as compact
// JSON. Types as RunDetails names them: plain scalars by YAML's core schema,
// a quoted scalar a string, null JSON's null.
#pragma once

#include "run_details.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace runlens {

// Reads `path`, one param per key in file order; a missing file gives
// nothing. What cannot be read (Python objects, binary data, a value
// yaml-cpp refuses, aliases expanding without end) costs its key only, and
// one line in `problems` names the keys skipped. Tags PyYAML writes are read
// where they hold plain data: objects' attributes flattened under their
// key, tuples as lists, numpy scalars as their number, a class as its name.
std::vector<ParamValue> readYamlParams(const QString& path, QStringList* problems = nullptr);

} // namespace runlens
