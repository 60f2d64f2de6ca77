// SPDX-License-Identifier: MIT
#include "config_flatten.h"

#include "runlens/number_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace runlens::detail {

namespace {

using nlohmann::json;

void flatten(const json& node, const std::string& key, std::vector<FlatParam>& out)
{
    switch (node.type()) {
    case json::value_t::object:
        for (const auto& [k, v] : node.items())
            flatten(v, key.empty() ? k : key + "." + k, out);
        break;
    case json::value_t::boolean:
        out.push_back({key, "bool", node.get<bool>() ? "true" : "false"});
        break;
    case json::value_t::number_integer:
        out.push_back({key, "int", std::to_string(node.get<int64_t>())});
        break;
    case json::value_t::number_unsigned:
        out.push_back({key, "int", std::to_string(node.get<uint64_t>())});
        break;
    case json::value_t::number_float:
        out.push_back({key, "float", formatDouble(node.get<double>())});
        break;
    case json::value_t::string:
        out.push_back({key, "string", node.get<std::string>()});
        break;
    default: // arrays, null: kept as JSON
        out.push_back({key, "json", node.dump()});
        break;
    }
}

} // namespace

int jsonDepth(std::string_view text)
{
    int depth = 0, deepest = 0;
    bool inString = false, escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

std::optional<std::vector<FlatParam>> flattenConfig(std::string_view text, std::string_view prefix)
{
    if (jsonDepth(text) > kMaxJsonDepth)
        return std::nullopt;
    const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object())
        return std::nullopt;
    std::vector<FlatParam> out;
    flatten(doc, std::string(prefix), out);
    return out;
}

std::optional<std::string> canonicalJson(std::string_view text)
{
    if (jsonDepth(text) > kMaxJsonDepth)
        return std::nullopt;
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded())
        return std::nullopt;
    return doc.dump();
}

} // namespace runlens::detail
