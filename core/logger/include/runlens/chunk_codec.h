// SPDX-License-Identifier: MIT
// Encoding of a metric chunk: the unit in which series are stored (see
// docs/store-format.md). Shared by the writer and every reader of our store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace runlens {

struct MetricPoint {
    int64_t step = 0;
    double wall_time = 0; // seconds since the Unix epoch
    double value = 0; // NaN and +-Inf are kept as they are
};

// Points per full chunk; the last chunk of a series may hold fewer.
inline constexpr size_t kChunkCapacity = 1024;

// Layout v2 (written), little-endian: u32 magic "RLC2", u32 count, count f64
// wall times, count f64 values, then count steps as zigzag varints of the
// difference from the previous step (the first from 0). Layout v1 (still
// read): u32 count, count i64 steps, count f64 wall times, count f64 values.
// See docs/store-format.md.
std::vector<std::byte> encodeChunk(std::span<const MetricPoint> points);
// The same into `out` (resized), so a writer can reuse one buffer.
void encodeChunk(std::span<const MetricPoint> points, std::vector<std::byte>& out);

// Appends the chunk's points to the three columns. Returns false (appending
// nothing) when the blob is truncated or its count does not match its size.
bool decodeChunk(std::span<const std::byte> blob, std::vector<int64_t>& steps, std::vector<double>& wallTimes,
    std::vector<double>& values);

} // namespace runlens
