// SPDX-License-Identifier: GPL-3.0-or-later
// Statistics of a sample of runs' values: n, mean, sample standard deviation,
// min and max, and Welch's t-test between two samples (Boost.Math's
// Student's t). Here rather than in analysis/ because the query language's
// promotion rules (welch_p, seed_mean) need them too.
#pragma once

#include <QString>

#include <vector>

namespace runlens {

struct SampleStats {
    int n = 0;              // runs with a finite value
    double mean = 0, sd = 0, min = 0, max = 0;   // sd: sample (n - 1); 0 when n < 2
    QString warning;        // set when n < 3
};

SampleStats sampleStats(const std::vector<double>& values);

struct WelchTest {
    bool valid = false;     // false when a group has fewer than 2 values or no variance
    double t = 0, df = 0, p = 1;   // two-sided p
    QString warning;
};

WelchTest welchTTest(const SampleStats& a, const SampleStats& b);

// The test as every view words it: "t = 2.31, df = 7.9, p = 0.0497" and its
// warning in brackets; only the warning when the test could not run.
QString welchText(const WelchTest& w);

} // namespace runlens
