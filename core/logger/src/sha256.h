// SPDX-License-Identifier: MIT
// SHA-256 helpers for artifacts and the reproducibility hash (OpenSSL).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace runlens::detail {

std::string sha256Hex(std::string_view data);
// Hash and size of a file, read in blocks; nullopt if it cannot be read.
std::optional<std::pair<std::string, int64_t>> sha256File(const std::string& path);

} // namespace runlens::detail
