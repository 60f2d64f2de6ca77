// SPDX-License-Identifier: GPL-3.0-or-later
// CRC-32 in its reflected form, for the two polynomials other tools' files
// carry: IEEE 802.3 (zlib's; W&B datastore chunks) and Castagnoli (CRC-32C;
// TensorBoard's TFRecord frames). Slicing-by-8: eight bytes a step through
// eight tables, as every record of a store is checked when it is opened.
#pragma once

#include <cstddef>
#include <cstdint>

namespace runlens {

// `crc`: the CRC of the bytes before these, to continue it (0 to start).
uint32_t crc32Ieee(const uint8_t* data, size_t size, uint32_t crc = 0);
uint32_t crc32c(const uint8_t* data, size_t size, uint32_t crc = 0);

} // namespace runlens
