// SPDX-License-Identifier: GPL-3.0-or-later
#include "crc32.h"

#include <array>
#include <bit>
#include <cstring>

namespace runlens {
namespace {

using Tables = std::array<std::array<uint32_t, 256>, 8>;

// tables[0] is the byte-at-a-time table; tables[k][b] is the CRC of byte b
// followed by k zero bytes, so eight bytes fold in one step.
template <uint32_t ReflectedPoly> const Tables& tables()
{
    static const Tables t = [] {
        Tables x{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? (c >> 1) ^ ReflectedPoly : c >> 1;
            x[0][i] = c;
        }
        for (uint32_t i = 0; i < 256; ++i)
            for (size_t k = 1; k < 8; ++k)
                x[k][i] = (x[k - 1][i] >> 8) ^ x[0][x[k - 1][i] & 0xFF];
        return x;
    }();
    return t;
}

template <uint32_t ReflectedPoly> uint32_t update(const uint8_t* p, size_t n, uint32_t crc)
{
    const Tables& t = tables<ReflectedPoly>();
    uint32_t c = ~crc;
    if constexpr (std::endian::native == std::endian::little) {
        for (; n >= 8; p += 8, n -= 8) {
            uint32_t lo, hi;
            std::memcpy(&lo, p, 4);
            std::memcpy(&hi, p + 4, 4);
            lo ^= c;
            c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24]
                ^ t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
        }
    }
    for (; n > 0; ++p, --n)
        c = t[0][(c ^ *p) & 0xFF] ^ (c >> 8);
    return ~c;
}

} // namespace

uint32_t crc32Ieee(const uint8_t* data, size_t size, uint32_t crc) { return update<0xEDB88320u>(data, size, crc); }

uint32_t crc32c(const uint8_t* data, size_t size, uint32_t crc) { return update<0x82F63B78u>(data, size, crc); }

} // namespace runlens
