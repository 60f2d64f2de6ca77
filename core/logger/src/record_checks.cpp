// SPDX-License-Identifier: MIT
// What a run accepts as a name or a value: refused with a message, never
// written damaged.
#include "run_internal.h"

namespace runlens::detail {

namespace {

bool validUtf8(std::string_view s)
{
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size())
            return false;
        for (size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

} // namespace

std::string checkKey(std::string_view what, std::string_view key)
{
    if (key.empty())
        return std::string(what) + " name is empty";
    if (key.size() > kMaxKeyBytes)
        return std::string(what) + " name is longer than " + std::to_string(kMaxKeyBytes) + " bytes";
    if (!validUtf8(key))
        return std::string(what) + " name is not valid UTF-8";
    for (const char c : key)
        if (static_cast<unsigned char>(c) < 0x20)
            return std::string(what) + " name '" + std::string(key.substr(0, 40)) + "' has a control character";
    return {};
}

std::string checkValue(std::string_view what, std::string_view value)
{
    if (value.size() > kMaxValueBytes)
        return std::string(what) + " is larger than " + std::to_string(kMaxValueBytes) + " bytes";
    if (!validUtf8(value))
        return std::string(what) + " is not valid UTF-8";
    return {};
}


} // namespace runlens::detail
