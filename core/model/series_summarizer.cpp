// SPDX-License-Identifier: GPL-3.0-or-later
#include "series_summarizer.h"

#include <algorithm>
#include <cmath>

namespace runlens {

void SeriesSummarizer::add(int64_t step, double value)
{
    if (count_ == 0 || step < firstStep_)
        firstStep_ = step;
    if (count_ == 0 || step >= lastStep_) {
        lastStep_ = step;
        last_ = value;
    }
    if (std::isnan(value)) {
        ++nanCount_;
    } else {
        min_ = std::min(min_, value);
        max_ = std::max(max_, value);
        sum_ += value;
    }
    ++count_;
}

MetricSummary SeriesSummarizer::summary(const QString& key) const
{
    MetricSummary m;
    m.key = key;
    m.count = count_;
    m.firstStep = firstStep_;
    m.lastStep = lastStep_;
    m.last = last_;
    m.nanCount = nanCount_;
    m.min = min_ <= max_ ? min_ : NAN;
    m.max = min_ <= max_ ? max_ : NAN;
    m.mean = min_ <= max_ ? sum_ / double(count_ - nanCount_) : NAN;
    return m;
}

} // namespace runlens
