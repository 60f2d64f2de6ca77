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
#include <system_error>
#include <vector>

namespace runlens {

// How many runs a batch holds: one per core.
inline qsizetype parallelReads() { return std::max(1, QThread::idealThreadCount()); }

// read(path) of each path, in order; each on a thread of its own but the
// first, which this thread reads (all on this thread if no thread can be
// started). `read` must only read (no shared state).
template <class Read> auto readEach(const QStringList& paths, const Read& read)
{
    using Out = decltype(read(paths.front()));
    std::vector<std::future<Out>> others;
    for (qsizetype k = 1; k < paths.size(); ++k) {
        try {
            others.push_back(std::async(std::launch::async, [&read, path = paths[k]] { return read(path); }));
        } catch (const std::system_error&) {
            others.push_back(std::async(std::launch::deferred, [&read, path = paths[k]] { return read(path); }));
        }
    }
    std::vector<Out> out;
    out.reserve(size_t(paths.size()));
    if (!paths.isEmpty())
        out.push_back(read(paths.front()));
    for (auto& f : others)
        out.push_back(f.get());
    return out;
}

// Every path read with readEach a batch at a time, each result handed to
// fold(index, result) in path order. `keepGoing(fraction done)` is asked
// before each batch; false stops there and returns false.
template <class Read, class Fold, class KeepGoing>
bool readAllInOrder(const QStringList& paths, const Read& read, const Fold& fold, const KeepGoing& keepGoing)
{
    const qsizetype batch = parallelReads();
    for (qsizetype first = 0; first < paths.size(); first += batch) {
        if (!keepGoing(double(first) / double(paths.size())))
            return false;
        auto results = readEach(paths.mid(first, batch), read);
        for (size_t k = 0; k < results.size(); ++k)
            fold(first + qsizetype(k), results[k]);
    }
    return true;
}

} // namespace runlens
