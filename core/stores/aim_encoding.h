// SPDX-License-Identifier: GPL-3.0-or-later
// Aim's storage encoding: the keys and values of the RocksDB containers of an
// `.aim` repository (meta/chunks/<run>, seqs/chunks/<run>), as aimhubio/aim
// v3.29.1 writes them (aim/storage/encoding/encoding.pyx, encoding_native.pyx;
// the same since 3.0). The first piece of the Aim reader (issue 15, item 2),
// which reads the containers through librocksdb.
//
// A key is a path: a string element is its UTF-8 and 0xFE, an int element
// 0xFE, 8 bytes big-endian and 0xFE (its 8 bytes may hold 0xFE, so a key is
// never split on 0xFE alone). A value is a type byte and its payload, ints
// and floats little-endian; an empty value says the value is under
// "BLOBS" 0xFE + the same key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace runlens {

using AimPathElement = std::variant<std::string, int64_t>;
using AimPath = std::vector<AimPathElement>;

// The path of a key; nullopt when it is not one (no final 0xFE, an int cut short).
std::optional<AimPath> decodeAimPath(std::string_view key);
// The key of a path: what a lookup or a prefix scan asks for.
std::string encodeAimPath(const AimPath& path);

struct AimValue {
    enum class Type { None, Bool, Int, Float, String, Bytes, Array, Object, Custom, Blob, Unknown };
    Type type = Type::Unknown;
    bool boolean = false;
    int64_t integer = 0;
    double number = 0;
    std::string text; // String and Bytes: the payload; Custom: the type's name ("aim.image")
};

// A value's bytes decoded; Unknown for a type byte Aim does not write or a
// payload of the wrong size.
AimValue decodeAimValue(std::string_view bytes);

} // namespace runlens
