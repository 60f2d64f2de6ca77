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

// Objects become dotted keys under `prefix`; lists stay whole as JSON.
// nullopt when `json` is not a JSON object.
std::optional<std::vector<FlatParam>> flattenConfig(std::string_view json, std::string_view prefix);

// The same JSON value in compact form; nullopt when it does not parse.
std::optional<std::string> canonicalJson(std::string_view json);

} // namespace runlens::detail
