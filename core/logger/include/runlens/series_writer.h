// SPDX-License-Identifier: MIT
// A metric series as our store keeps it: chunks of kChunkCapacity points
// (chunk_codec.h) and a summary row in `metrics`. The one writer of both, for
// the logging library and for `runlens import`.
#pragma once

#include "runlens/chunk_codec.h"

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace runlens {

class SqliteDb;

// What the metrics row says about a series.
struct SeriesSummary {
    int64_t count = 0, nanCount = 0;
    int64_t firstStep = 0, lastStep = 0; // last: the point with the highest step (the latest such)
    double lastValue = 0, lastTime = 0;
    double minValue = INFINITY, maxValue = -INFINITY; // over the non-NaN points
    // Sum of the non-NaN points, for the mean; unknown when a writer that
    // did not keep it appended to the series (store_schema.cpp).
    double valueSum = 0;
    bool valueSumKnown = true;
};

class SeriesWriter {
public:
    // A new series, or one already in the store carried on (a resumed run):
    // its summary so far and the seq of its next chunk (a partial last chunk
    // stays as it is; new points start a new one).
    explicit SeriesWriter(int64_t metricId, const SeriesSummary& summary = {}, int64_t nextSeq = 0);

    // Appends points in order: fills the last chunk, writes whole chunks
    // straight from `points`, rewrites the partial last chunk, and updates the
    // summary row. Call inside a transaction; on failure, drop this writer
    // (a copy taken before stays valid for a retry).
    void append(SqliteDb& db, std::span<const MetricPoint> points);

    int64_t metricId() const { return metricId_; }
    const SeriesSummary& summary() const { return summary_; }

private:
    int64_t metricId_;
    SeriesSummary summary_;
    int64_t seq_ = 0;              // the seq of the partial last chunk
    std::vector<MetricPoint> tail_; // the points of the partial last chunk
    std::vector<std::byte> buffer_;
};

} // namespace runlens
