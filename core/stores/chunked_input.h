// SPDX-License-Identifier: GPL-3.0-or-later
// An open file read a piece at a time, for decoders that take it record by
// record or line by line: what is held is one piece (kReadPieceBytes) plus
// the record being looked at, however large the file. A regular file is read
// up to the size it had when opened, so a file still being written (or one
// whose size says nothing, like those under /proc) ends.
#pragma once

#include "read_limits.h"

#include <QByteArray>
#include <QIODevice>

#include <cstdint>
#include <string_view>

namespace runlens {

class ChunkedInput {
public:
    explicit ChunkedInput(QIODevice& device);

    // Makes at least `n` bytes available from the current position, reading
    // more as needed: false when the file ends first (data() then holds what
    // was left).
    bool fill(size_t n);
    // The bytes read and not yet consumed; valid until the next fill or skip.
    std::string_view data() const { return {buffer_.constData() + pos_, size_t(buffer_.size() - pos_)}; }
    void consume(size_t n) { pos_ += qsizetype(n); }
    // Passes over `n` bytes without holding them (seeking where the file
    // can): false when the file ends first.
    bool skip(uint64_t n);
    // Bytes consumed or skipped from the start.
    int64_t offset() const { return offset_ + pos_; }

private:
    QIODevice& device_;
    QByteArray buffer_;
    qsizetype pos_ = 0;     // in buffer_
    int64_t offset_ = 0;    // of buffer_'s first byte in the file
    int64_t left_;          // bytes the file may still give; -1 for a device without a size
    bool ended_ = false;
};

} // namespace runlens
