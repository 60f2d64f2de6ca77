// SPDX-License-Identifier: MIT
// What a run accepts as a name or a value: refused with a message, never
// written damaged.
#include "run_internal.h"

namespace runlens::detail {

namespace {

// Strict UTF-8: no overlong forms, no surrogates (a Python lone surrogate
// passed through 'surrogatepass' arrives as ED A0..BF xx), nothing past U+10FFFF.
bool validUtf8(std::string_view s)
{
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        const size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size())
            return false;
        uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        const uint32_t least = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
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
