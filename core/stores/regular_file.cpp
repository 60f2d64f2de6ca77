// SPDX-License-Identifier: GPL-3.0-or-later
#include "regular_file.h"

#include <QFileInfo>

namespace runlens {

QString openRegularFile(QFile& file)
{
    const QFileInfo info(file.fileName());
    if (!info.exists())
        return QStringLiteral("%1: no such file").arg(file.fileName());
    // QFileInfo::isFile() is true for regular files only (and links to them).
    if (!info.isFile())
        return QStringLiteral("%1: not a regular file (a pipe, a device or a folder); skipped").arg(file.fileName());
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("%1: %2").arg(file.fileName(), file.errorString());
    return {};
}

} // namespace runlens
