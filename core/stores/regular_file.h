// SPDX-License-Identifier: GPL-3.0-or-later
// Readers open only regular files. A named pipe put where another tool's
// store has a file (meta.yaml, hparams.yaml, metrics.json) blocks the open
// until a writer comes, and a device never ends: refused with a message.
#pragma once

#include <QFile>
#include <QString>

namespace runlens {

// Opens `file` (its name set) for reading when it is a regular file: empty
// when open, else why not, naming the file.
QString openRegularFile(QFile& file);

} // namespace runlens
