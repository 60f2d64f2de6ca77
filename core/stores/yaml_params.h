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
// nothing, a broken one gives nothing and a line in `problems`.
std::vector<ParamValue> readYamlParams(const QString& path, QStringList* problems = nullptr);

} // namespace runlens
