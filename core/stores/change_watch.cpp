// SPDX-License-Identifier: GPL-3.0-or-later
#include "change_watch.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>

#include <sys/stat.h>

namespace runlens {

void ChangeWatch::addRecentFiles(const QString& folder, qint64 recentMs, bool recursive)
{
    const qint64 since = QDateTime::currentMSecsSinceEpoch() - recentMs;
    QDirIterator it(folder, QDir::Files | QDir::NoDotAndDotDot,
        recursive ? QDirIterator::Subdirectories : QDirIterator::NoIteratorFlags);
    while (it.hasNext()) {
        it.next();
        if (it.fileInfo().lastModified().toMSecsSinceEpoch() >= since)
            paths_ << it.filePath();
    }
}

QString ChangeWatch::stamp(const QString& root) const
{
    return stampOf(paths_.isEmpty() ? QStringList{root} : paths_);
}

QString ChangeWatch::stampOf(const QStringList& paths)
{
    // stat() directly: thousands of paths a second, no QFileInfo caching.
    QString s;
    s.reserve(paths.size() * 24);
    for (const auto& p : paths) {
        struct stat st {};
        if (::stat(QFile::encodeName(p).constData(), &st) != 0) {
            s += QStringLiteral("-;");
            continue;
        }
        s += QString::number(qint64(st.st_size)) + QLatin1Char(':') + QString::number(qint64(st.st_mtim.tv_sec))
            + QLatin1Char('.') + QString::number(qint64(st.st_mtim.tv_nsec)) + QLatin1Char(';');
    }
    return s;
}

} // namespace runlens
