// SPDX-License-Identifier: MIT
#include "runlens/series_writer.h"

#include "runlens/sqlite_db.h"

#include <algorithm>
#include <optional>

namespace runlens {

SeriesWriter::SeriesWriter(int64_t metricId, const SeriesSummary& summary, int64_t nextSeq)
    : metricId_(metricId), summary_(summary), seq_(nextSeq)
{
}

void SeriesWriter::append(SqliteDb& db, std::span<const MetricPoint> points)
{
    SeriesSummary& s = summary_;
    for (const auto& p : points) {
        if (s.count == 0) {
            s.firstStep = s.lastStep = p.step;
            s.lastValue = p.value;
            s.lastTime = p.wall_time;
        } else {
            s.firstStep = std::min(s.firstStep, p.step);
            if (p.step >= s.lastStep) {
                s.lastStep = p.step;
                s.lastValue = p.value;
                s.lastTime = p.wall_time;
            }
        }
        ++s.count;
        if (std::isnan(p.value)) {
            ++s.nanCount;
        } else {
            s.minValue = std::min(s.minValue, p.value);
            s.maxValue = std::max(s.maxValue, p.value);
            s.valueSum += p.value;
        }
    }

    auto putChunk = db.prepare("INSERT OR REPLACE INTO metric_chunks(metric_id, seq, first_step, last_step, count, "
                               "points) VALUES(?, ?, ?, ?, ?, ?)");
    auto writeChunk = [&](std::span<const MetricPoint> chunk) {
        const auto [lo, hi] = std::minmax_element(
            chunk.begin(), chunk.end(), [](const auto& a, const auto& b) { return a.step < b.step; });
        encodeChunk(chunk, buffer_);
        putChunk.bind(1, metricId_).bind(2, seq_).bind(3, lo->step).bind(4, hi->step);
        putChunk.bind(5, static_cast<int64_t>(chunk.size())).bindBlobNoCopy(6, buffer_).run();
    };

    // Fill the tail chunk first, then write whole chunks straight from the batch.
    std::span<const MetricPoint> rest(points);
    const size_t into_tail = std::min(kChunkCapacity - tail_.size(), rest.size());
    tail_.insert(tail_.end(), rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(into_tail));
    rest = rest.subspan(into_tail);
    if (tail_.size() == kChunkCapacity) {
        writeChunk(tail_);
        tail_.clear();
        ++seq_;
        while (rest.size() >= kChunkCapacity) {
            writeChunk(rest.first(kChunkCapacity));
            rest = rest.subspan(kChunkCapacity);
            ++seq_;
        }
        tail_.assign(rest.begin(), rest.end());
    }
    if (!tail_.empty())
        writeChunk(tail_);

    auto sum = db.prepare("UPDATE metrics SET count=?, first_step=?, last_step=?, last_value=?, last_time=?, "
                          "min_value=?, max_value=?, nan_count=?, value_sum=?, value_sum_count=? WHERE id=?");
    const bool anyNumber = s.count > s.nanCount;
    sum.bind(1, s.count).bind(2, s.firstStep).bind(3, s.lastStep).bind(4, s.lastValue).bind(5, s.lastTime);
    sum.bind(6, anyNumber ? std::optional(s.minValue) : std::nullopt);
    sum.bind(7, anyNumber ? std::optional(s.maxValue) : std::nullopt);
    sum.bind(8, s.nanCount);
    sum.bind(9, anyNumber && s.valueSumKnown ? std::optional(s.valueSum) : std::nullopt);
    if (s.valueSumKnown)
        sum.bind(10, s.count);
    else
        sum.bindNull(10);
    sum.bind(11, metricId_).run();
}

} // namespace runlens
