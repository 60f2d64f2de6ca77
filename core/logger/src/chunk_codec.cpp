#include "runlens/chunk_codec.h"

#include <bit>
#include <cstring>

static_assert(std::endian::native == std::endian::little, "the chunk codec assumes a little-endian host");

namespace runlens {

std::vector<std::byte> encodeChunk(std::span<const MetricPoint> points)
{
    std::vector<std::byte> out;
    encodeChunk(points, out);
    return out;
}

void encodeChunk(std::span<const MetricPoint> points, std::vector<std::byte>& out)
{
    const auto n = static_cast<uint32_t>(points.size());
    out.resize(sizeof(uint32_t) + points.size() * (sizeof(int64_t) + 2 * sizeof(double)));
    std::byte* p = out.data();
    std::memcpy(p, &n, sizeof n);
    p += sizeof n;
    for (const auto& pt : points) {
        std::memcpy(p, &pt.step, sizeof pt.step);
        p += sizeof pt.step;
    }
    for (const auto& pt : points) {
        std::memcpy(p, &pt.wall_time, sizeof pt.wall_time);
        p += sizeof pt.wall_time;
    }
    for (const auto& pt : points) {
        std::memcpy(p, &pt.value, sizeof pt.value);
        p += sizeof pt.value;
    }
}

bool decodeChunk(std::span<const std::byte> blob, std::vector<int64_t>& steps, std::vector<double>& wallTimes,
    std::vector<double>& values)
{
    uint32_t n = 0;
    if (blob.size() < sizeof n)
        return false;
    std::memcpy(&n, blob.data(), sizeof n);
    const size_t expected = sizeof n + size_t(n) * (sizeof(int64_t) + 2 * sizeof(double));
    if (blob.size() != expected)
        return false;
    const std::byte* p = blob.data() + sizeof n;
    const size_t base = steps.size();
    steps.resize(base + n);
    std::memcpy(steps.data() + base, p, n * sizeof(int64_t));
    p += n * sizeof(int64_t);
    wallTimes.resize(base + n);
    std::memcpy(wallTimes.data() + base, p, n * sizeof(double));
    p += n * sizeof(double);
    values.resize(base + n);
    std::memcpy(values.data() + base, p, n * sizeof(double));
    return true;
}

} // namespace runlens
