// SPDX-License-Identifier: GPL-3.0-or-later
// Params from YAML files that other tools write beside their logs
// (Lightning's hparams.yaml, DVCLive's params.yaml): nested maps become
// dotted keys, lists stay whole as flow-style text.
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace runlens {

// Reads `path`; a missing file gives nothing, a broken one gives nothing and
// a line in `problems`.
QHash<QString, QString> readYamlParams(const QString& path, QStringList* problems = nullptr);

} // namespace runlens
