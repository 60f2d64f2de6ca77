// SPDX-License-Identifier: GPL-3.0-or-later
#include "line_reader.h"

namespace runlens {

LineReader::LineReader(QIODevice& device, qsizetype maxLineBytes) : in_(device), maxLine_(size_t(maxLineBytes)) {}

std::optional<std::string_view> LineReader::next()
{
    size_t scanned = 0;   // of data(), known to hold no '\n'
    for (;;) {
        std::string_view d = in_.data();
        const size_t nl = d.find('\n', scanned);
        if (nl != std::string_view::npos && nl <= maxLine_) {
            std::string_view line = d.substr(0, nl);
            in_.consume(nl + 1);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            return line;
        }
        if (nl != std::string_view::npos || d.size() > maxLine_) {
            // Too long to be a line: dropped up to its end, a piece at a time.
            ++longLines_;
            for (;;) {
                if (const size_t end = d.find('\n'); end != std::string_view::npos) {
                    in_.consume(end + 1);
                    break;
                }
                in_.consume(d.size());
                if (!in_.fill(1))
                    return std::nullopt;
                d = in_.data();
            }
            scanned = 0;
            continue;
        }
        scanned = d.size();
        if (!in_.fill(d.size() + 1)) {
            // The end: a last line without a '\n' is still a line.
            d = in_.data();   // the piece may have moved
            if (d.empty())
                return std::nullopt;
            in_.consume(d.size());
            if (d.back() == '\r')
                d.remove_suffix(1);
            unterminated_ = true;
            return d;
        }
    }
}

} // namespace runlens
