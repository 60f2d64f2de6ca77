// SPDX-License-Identifier: GPL-3.0-or-later
// Text from SQLite, protobuf and other byte sources into QString: one helper
// instead of a copy per reader.
#pragma once

#include <QString>

#include <string_view>

namespace runlens {

inline QString fromUtf8(std::string_view bytes)
{
    return QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
}

} // namespace runlens
