// SPDX-License-Identifier: GPL-3.0-or-later
// Shares one QString among equal values read as UTF-8 bytes: a sweep repeats
// a handful of values across thousands of runs, and decoding each again
// costs more than a hash lookup.
#pragma once

#include <QString>

#include <string>
#include <string_view>
#include <unordered_map>

namespace runlens {

class TextInterner {
public:
    QString get(std::string_view utf8)
    {
        if (utf8.size() > 64)
            return decode(utf8);
        if (auto it = map_.find(utf8); it != map_.end())
            return it->second;
        QString text = decode(utf8);
        if (map_.size() < kMaxEntries)
            map_.emplace(std::string(utf8), text);
        return text;
    }

    static QString decode(std::string_view utf8)
    {
        return QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
    }

private:
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    static constexpr size_t kMaxEntries = 200000;
    std::unordered_map<std::string, QString, Hash, std::equal_to<>> map_;
};

} // namespace runlens
