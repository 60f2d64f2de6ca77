// SPDX-License-Identifier: GPL-3.0-or-later
// Wall-clock timing and resident memory for the benchmarks.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

namespace runlens::bench {

class Stopwatch {
public:
    Stopwatch()
        : start_(std::chrono::steady_clock::now())
    {
    }
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

private:
    std::chrono::steady_clock::time_point start_;
};

inline long residentKb()
{
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

// What the machine can still give, for benchmarks that skip a baseline
// rather than push the machine into swap or the OOM killer.
inline double availableMb()
{
    std::ifstream in("/proc/meminfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("MemAvailable:", 0) == 0)
            return std::stod(line.substr(13)) / 1024.0;
    return 0;
}

inline void report(const char* what, double value, const char* unit, const char* baseline, double baseValue)
{
    std::printf("%-46s %12.3f %-8s | baseline %-34s %12.3f %-8s | ratio %.2fx\n", what, value, unit, baseline,
        baseValue, unit, baseValue != 0 ? value / baseValue : 0.0);
}

// Times of the frames of one gesture: a mean alone hides the frames that
// miss the target (cheap deep-zoom frames pull it down), so the worst and
// the 95th percentile are printed beside it.
class FrameTimes {
public:
    void add(double ms) { ms_.push_back(ms); }
    size_t count() const { return ms_.size(); }
    double mean() const { return ms_.empty() ? 0 : std::accumulate(ms_.begin(), ms_.end(), 0.0) / double(ms_.size()); }
    double worst() const { return ms_.empty() ? 0 : *std::max_element(ms_.begin(), ms_.end()); }
    // Nearest rank: the frame that 95% of frames are no slower than.
    double p95() const
    {
        if (ms_.empty())
            return 0;
        std::vector<double> sorted = ms_;
        std::sort(sorted.begin(), sorted.end());
        const size_t rank = (sorted.size() * 95 + 99) / 100;
        return sorted[std::max<size_t>(rank, 1) - 1];
    }

private:
    std::vector<double> ms_;
};

// Mean, 95th percentile and worst of a gesture's frames against the same
// figures of a baseline run over the same frames.
inline void reportFrames(const char* what, const FrameTimes& frames, const char* baseline, const FrameTimes& base)
{
    const std::string w(what);
    report((w + ", mean (ms)").c_str(), frames.mean(), "ms", baseline, base.mean());
    report((w + ", p95 (ms)").c_str(), frames.p95(), "ms", baseline, base.p95());
    report((w + ", worst (ms)").c_str(), frames.worst(), "ms", baseline, base.worst());
}

} // namespace runlens::bench
