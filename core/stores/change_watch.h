// SPDX-License-Identifier: GPL-3.0-or-later
// What live refresh looks at to tell that a store changed, cheaply: the
// files and folders a reader actually reads. A folder's time changes when a
// file or a folder is added to it (a new run, a new metric file); a file
// that grows (a metric file, an event file) changes its size. The reader
// lists what to watch after each load; the stamp is their sizes and times.
#pragma once

#include <QString>
#include <QStringList>

namespace runlens {

class ChangeWatch {
public:
    void clear() { paths_.clear(); }
    // A file or a folder: its size and modification time.
    void add(const QString& path) { paths_ << path; }
    // The files in `folder` (and below it, when `recursive`) written to in
    // the last `recentMs`: the ones that may still grow. Older ones are
    // covered by their folder's time and by the run's own files.
    void addRecentFiles(const QString& folder, qint64 recentMs, bool recursive = false);

    // Sizes and times of everything watched; equal stamps: nothing changed.
    // Before the first load has said what to watch: `root`'s.
    QString stamp(const QString& root) const;
    // The same for paths given directly (a SQLite store and its -wal).
    static QString stampOf(const QStringList& paths);

private:
    QStringList paths_;
};

} // namespace runlens
