// SPDX-License-Identifier: GPL-3.0-or-later
// Wall-clock timing and resident memory for the benchmarks.
#pragma once

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

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

inline void report(const char* what, double value, const char* unit, const char* baseline, double baseValue)
{
    std::printf("%-46s %12.3f %-8s | baseline %-34s %12.3f %-8s | ratio %.2fx\n", what, value, unit, baseline,
        baseValue, unit, baseValue != 0 ? value / baseValue : 0.0);
}

} // namespace runlens::bench
