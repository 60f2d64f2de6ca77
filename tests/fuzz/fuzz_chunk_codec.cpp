// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: a metric chunk's decoder on arbitrary bytes (a damaged
// store hands it anything). A blob that decodes must encode back to points
// that decode the same; one that does not must append nothing.
#include "runlens/chunk_codec.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::span<const std::byte> blob(reinterpret_cast<const std::byte*>(data), size);
    std::vector<int64_t> steps{42};
    std::vector<double> walls{1.0}, values{2.0};
    if (!runlens::decodeChunk(blob, steps, walls, values)) {
        if (steps.size() != 1 || walls.size() != 1 || values.size() != 1)
            std::abort();   // a refused blob appended something
        return 0;
    }
    if (steps.size() != walls.size() || steps.size() != values.size())
        std::abort();
    std::vector<runlens::MetricPoint> points;
    for (size_t i = 1; i < steps.size(); ++i)
        points.push_back({steps[i], walls[i], values[i]});
    std::vector<int64_t> s2;
    std::vector<double> w2, v2;
    if (!runlens::decodeChunk(runlens::encodeChunk(points), s2, w2, v2) || s2.size() != points.size())
        std::abort();
    for (size_t i = 0; i < points.size(); ++i)
        if (s2[i] != points[i].step || std::memcmp(&w2[i], &points[i].wall_time, 8) != 0
            || std::memcmp(&v2[i], &points[i].value, 8) != 0)
            std::abort();
    return 0;
}
