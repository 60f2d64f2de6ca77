// SPDX-License-Identifier: GPL-3.0-or-later
// Reading many runs' files on every core, for the readers of other tools'
// stores: a batch at a time, as many as there are cores, so that only that
// many runs' decoded contents are held at once, and in the order given so
// that the table comes out the same whatever the timing.
#pragma once

#include <QStringList>
#include <QThread>

#include <algorithm>
#include <future>
#include <vector>

namespace runlens {

// How many runs a batch holds: one per core.
inline qsizetype parallelReads() { return std::max(1, QThread::idealThreadCount()); }

// read(path) of each path, in order; each on a thread of its own but the
// first, which this thread reads. `read` must only read (no shared state).
template <class Read> auto readEach(const QStringList& paths, const Read& read)
{
    using Out = decltype(read(paths.front()));
    std::vector<std::future<Out>> others;
    for (qsizetype k = 1; k < paths.size(); ++k)
        others.push_back(std::async(std::launch::async, [&read, path = paths[k]] { return read(path); }));
    std::vector<Out> out;
    out.reserve(size_t(paths.size()));
    if (!paths.isEmpty())
        out.push_back(read(paths.front()));
    for (auto& f : others)
        out.push_back(f.get());
    return out;
}

} // namespace runlens
