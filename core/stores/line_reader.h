// SPDX-License-Identifier: GPL-3.0-or-later
// The lines of an open file, read in pieces (ChunkedInput): a line at a time
// is held, and a line longer than the format's longest (a file of NUL bytes,
// a binary put where text belongs) is passed over without being held.
#pragma once

#include "chunked_input.h"

#include <optional>
#include <string_view>

namespace runlens {

class LineReader {
public:
    LineReader(QIODevice& device, qsizetype maxLineBytes = kMaxLineBytes);

    // The next line without its '\n' (nor a '\r' before it), nullopt at the
    // end; valid until the next call. A line longer than maxLineBytes is
    // skipped and counted, not returned.
    std::optional<std::string_view> next();
    int64_t longLines() const { return longLines_; }
    // The line next() returned was the file's last and had no '\n': a
    // writer may be half way through it.
    bool lastLineUnterminated() const { return unterminated_; }

private:
    ChunkedInput in_;
    size_t maxLine_;
    int64_t longLines_ = 0;
    bool unterminated_ = false;
};

} // namespace runlens
