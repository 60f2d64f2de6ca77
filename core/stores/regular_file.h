// SPDX-License-Identifier: GPL-3.0-or-later
// Every file of another tool's store is opened here, and only a regular
// file is: a named pipe put where a store has a file (meta.yaml, hparams.yaml,
// a metric) blocks the open until a writer comes, and a device never ends (a
// symlink to /dev/zero was read until the process aborted). Refused with a
// message naming the file. What is opened is read in pieces (chunked_input.h,
// line_reader.h), never whole.
#pragma once

#include <QFile>
#include <QString>

namespace runlens {

// Opens `file` (its name set) for reading when it is a regular file, after
// following symlinks: empty when open, else why not, naming the file.
QString openRegularFile(QFile& file);

} // namespace runlens
