// SPDX-License-Identifier: GPL-3.0-or-later
#include "regular_file.h"

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace runlens {

QString openRegularFile(QFile& file)
{
    const QString name = file.fileName();
    // O_NONBLOCK: opening a FIFO for reading would wait for a writer. The
    // type is then asked of what was opened (fstat), not of the name, so a
    // file swapped for a link to a device between a check and the open is
    // refused too.
    const int fd = ::open(QFile::encodeName(name).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? QStringLiteral("%1: no such file").arg(name)
                               : QStringLiteral("%1: %2").arg(name, qt_error_string(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return QStringLiteral("%1: not a regular file (a pipe, a device or a folder); skipped").arg(name);
    }
    // Reads of a regular file never block; blocking mode again all the same,
    // so that no read can ever come back empty-handed with EAGAIN.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return QStringLiteral("%1: %2").arg(name, file.errorString());
    }
    return {};
}

} // namespace runlens
