// SPDX-License-Identifier: GPL-3.0-or-later
#include "aim_encoding.h"

#include <bit>
#include <cstring>

namespace runlens {

namespace {

constexpr char kSentinel = char(0xFE);

// Aim writes ints and floats in its host's byte order; every host it runs on
// is little-endian, and so is the repository it leaves.
template <class T> T littleEndian(std::string_view bytes)
{
    static_assert(std::endian::native == std::endian::little, "Aim's values are little-endian");
    T out;
    std::memcpy(&out, bytes.data(), sizeof out);
    return out;
}

} // namespace

std::optional<AimPath> decodeAimPath(std::string_view key)
{
    AimPath path;
    size_t at = 0;
    while (at < key.size()) {
        if (key[at] == kSentinel) {
            // An int: 8 bytes taken as they are, then the closing sentinel.
            if (key.size() - at < 10 || key[at + 9] != kSentinel)
                return std::nullopt;
            uint64_t big = 0;
            for (size_t i = 1; i <= 8; ++i)
                big = (big << 8) | uint8_t(key[at + i]);
            path.emplace_back(int64_t(big));
            at += 10;
            continue;
        }
        const size_t end = key.find(kSentinel, at);
        if (end == std::string_view::npos)
            return std::nullopt;
        path.emplace_back(std::string(key.substr(at, end - at)));
        at = end + 1;
    }
    return path;
}

std::string encodeAimPath(const AimPath& path)
{
    std::string key;
    for (const AimPathElement& element : path) {
        if (const auto* text = std::get_if<std::string>(&element)) {
            key += *text;
            key += kSentinel;
            continue;
        }
        const auto value = uint64_t(std::get<int64_t>(element));
        key += kSentinel;
        for (int shift = 56; shift >= 0; shift -= 8)
            key += char((value >> shift) & 0xFF);
        key += kSentinel;
    }
    return key;
}

AimValue decodeAimValue(std::string_view bytes)
{
    AimValue v;
    if (bytes.empty()) {
        v.type = AimValue::Type::Blob;
        return v;
    }
    const std::string_view payload = bytes.substr(1);
    switch (uint8_t(bytes.front())) {
    case 0x00: v.type = payload.empty() ? AimValue::Type::None : AimValue::Type::Unknown; break;
    case 0x01:
        if (payload.size() == 1) {
            v.type = AimValue::Type::Bool;
            v.boolean = payload.front() != 0;
        }
        break;
    case 0x02:
        if (payload.size() == 8) {
            v.type = AimValue::Type::Int;
            v.integer = littleEndian<int64_t>(payload);
        }
        break;
    case 0x03:
        if (payload.size() == 8) {
            v.type = AimValue::Type::Float;
            v.number = littleEndian<double>(payload);
        }
        break;
    case 0x04: v.type = AimValue::Type::String; v.text = std::string(payload); break;
    case 0x05: v.type = AimValue::Type::Bytes; v.text = std::string(payload); break;
    case 0x06: v.type = payload.empty() ? AimValue::Type::Array : AimValue::Type::Unknown; break;
    case 0x07: v.type = payload.empty() ? AimValue::Type::Object : AimValue::Type::Unknown; break;
    case 0x0F: v.type = AimValue::Type::Custom; v.text = std::string(payload); break;
    default: break;
    }
    return v;
}

} // namespace runlens
