// SPDX-License-Identifier: MIT
#include "runlens/chunk_codec.h"

#include <bit>
#include <cstring>

static_assert(std::endian::native == std::endian::little, "the chunk codec assumes a little-endian host");

namespace runlens {

namespace {

constexpr uint32_t kMagicV2 = 0x32434C52; // "RLC2"; a v1 blob starts with its count (<= 1024)
constexpr uint32_t kMaxCount = 1u << 20; // far above any chunk the writer makes

uint64_t zigzag(int64_t v)
{
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

int64_t unzigzag(uint64_t u)
{
    return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
}

} // namespace

std::vector<std::byte> encodeChunk(std::span<const MetricPoint> points)
{
    std::vector<std::byte> out;
    encodeChunk(points, out);
    return out;
}

void encodeChunk(std::span<const MetricPoint> points, std::vector<std::byte>& out)
{
    const auto n = static_cast<uint32_t>(points.size());
    // Fixed columns first (copied straight in and out), then the steps as
    // varint deltas: a step usually follows the last by a small amount, so
    // a point takes 17 bytes instead of 24, and the writer copies less.
    out.resize(2 * sizeof(uint32_t) + points.size() * (2 * sizeof(double) + 10));
    std::byte* p = out.data();
    std::memcpy(p, &kMagicV2, sizeof kMagicV2);
    p += sizeof kMagicV2;
    std::memcpy(p, &n, sizeof n);
    p += sizeof n;
    for (const auto& pt : points) {
        std::memcpy(p, &pt.wall_time, sizeof pt.wall_time);
        p += sizeof pt.wall_time;
    }
    for (const auto& pt : points) {
        std::memcpy(p, &pt.value, sizeof pt.value);
        p += sizeof pt.value;
    }
    uint64_t previous = 0;
    for (const auto& pt : points) {
        // Differences wrap in unsigned arithmetic: exact for any two int64s.
        uint64_t u = zigzag(static_cast<int64_t>(static_cast<uint64_t>(pt.step) - previous));
        previous = static_cast<uint64_t>(pt.step);
        while (u >= 0x80) {
            *p++ = static_cast<std::byte>((u & 0x7F) | 0x80);
            u >>= 7;
        }
        *p++ = static_cast<std::byte>(u);
    }
    out.resize(static_cast<size_t>(p - out.data()));
}

namespace {

// Appends `n` doubles stored at `from` to `column`; returns what follows them.
const std::byte* appendDoubles(std::vector<double>& column, const std::byte* from, size_t n)
{
    const size_t base = column.size();
    column.resize(base + n);
    std::memcpy(column.data() + base, from, n * sizeof(double));
    return from + n * sizeof(double);
}

bool decodeV1(std::span<const std::byte> blob, std::vector<int64_t>& steps, std::vector<double>& wallTimes,
    std::vector<double>& values)
{
    uint32_t n = 0;
    std::memcpy(&n, blob.data(), sizeof n);
    const size_t expected = sizeof n + size_t(n) * (sizeof(int64_t) + 2 * sizeof(double));
    if (blob.size() != expected)
        return false;
    const std::byte* p = blob.data() + sizeof n;
    const size_t base = steps.size();
    steps.resize(base + n);
    std::memcpy(steps.data() + base, p, n * sizeof(int64_t));
    p += n * sizeof(int64_t);
    appendDoubles(values, appendDoubles(wallTimes, p, n), n);
    return true;
}

bool decodeV2(std::span<const std::byte> blob, std::vector<int64_t>& steps, std::vector<double>& wallTimes,
    std::vector<double>& values)
{
    uint32_t n = 0;
    std::memcpy(&n, blob.data() + sizeof(uint32_t), sizeof n);
    const size_t fixed = 2 * sizeof(uint32_t) + size_t(n) * 2 * sizeof(double);
    if (n > kMaxCount || blob.size() < fixed + n) // every step takes at least a byte
        return false;
    // Steps first; a damaged varint stream takes back what it appended.
    const size_t base = steps.size();
    steps.resize(base + n);
    int64_t* out = steps.data() + base;
    const auto* p = reinterpret_cast<const uint8_t*>(blob.data() + fixed);
    const auto* const end = reinterpret_cast<const uint8_t*>(blob.data() + blob.size());
    uint64_t previous = 0;
    for (uint32_t i = 0; i < n; ++i) {
        if (p == end) {
            steps.resize(base);
            return false;
        }
        uint64_t u = *p++;
        if (u >= 0x80) { // more than one byte: rarer, steps mostly move by small amounts
            u &= 0x7F;
            for (int shift = 7;; shift += 7) {
                if (p == end || shift > 63) {
                    steps.resize(base);
                    return false;
                }
                const uint8_t byte = *p++;
                u |= static_cast<uint64_t>(byte & 0x7F) << shift;
                if (!(byte & 0x80))
                    break;
            }
        }
        previous += static_cast<uint64_t>(unzigzag(u));
        out[i] = static_cast<int64_t>(previous);
    }
    if (p != end) {
        steps.resize(base);
        return false;
    }
    appendDoubles(values, appendDoubles(wallTimes, blob.data() + 2 * sizeof(uint32_t), n), n);
    return true;
}

} // namespace

bool decodeChunk(std::span<const std::byte> blob, std::vector<int64_t>& steps, std::vector<double>& wallTimes,
    std::vector<double>& values)
{
    uint32_t head = 0;
    if (blob.size() < sizeof head)
        return false;
    std::memcpy(&head, blob.data(), sizeof head);
    if (head == kMagicV2 && blob.size() >= 2 * sizeof head)
        return decodeV2(blob, steps, wallTimes, values);
    return decodeV1(blob, steps, wallTimes, values);
}

} // namespace runlens
