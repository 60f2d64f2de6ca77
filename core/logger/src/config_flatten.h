// SPDX-License-Identifier: MIT
// Nested configurations (JSON) flattened into typed, dotted params.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runlens::detail {

struct FlatParam {
    std::string key; // "optimizer.lr"
    std::string type; // int, float, bool, string, json (lists, null)
    std::string value;
};

// How deep a logged JSON value may nest: deeper is refused (flattening and
// printing it recurse, and a training process must never die of what it logs).
inline constexpr int kMaxJsonDepth = 64;

// The deepest nesting of arrays and objects in `json` (strings skipped).
int jsonDepth(std::string_view json);

// Objects become dotted keys under `prefix`; lists stay whole as JSON.
// nullopt when `json` is not a JSON object, or nests deeper than kMaxJsonDepth.
std::optional<std::vector<FlatParam>> flattenConfig(std::string_view json, std::string_view prefix);

// The same JSON value in compact form; nullopt when it does not parse or nests too deep.
std::optional<std::string> canonicalJson(std::string_view json);

} // namespace runlens::detail
