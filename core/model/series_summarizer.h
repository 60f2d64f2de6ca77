// SPDX-License-Identifier: GPL-3.0-or-later
// A metric's summary (MetricSummary) taken point by point, so that a reader
// can summarize a file it streams without keeping the points.
#pragma once

#include "run_details.h"

#include <cmath>
#include <cstdint>

namespace runlens {

class SeriesSummarizer {
public:
    void add(int64_t step, double value);
    // count, first and last step, the value at the highest step (the later
    // one on ties), min, max and mean over values that are not NaN (NaN when
    // none is).
    MetricSummary summary(const QString& key) const;
    int64_t count() const { return count_; }

private:
    int64_t count_ = 0, firstStep_ = 0, lastStep_ = 0, nanCount_ = 0;
    double last_ = 0, min_ = INFINITY, max_ = -INFINITY, sum_ = 0;
};

} // namespace runlens
