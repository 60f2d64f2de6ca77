// SPDX-License-Identifier: GPL-3.0-or-later
#include "chunked_input.h"

#include <algorithm>

namespace runlens {

ChunkedInput::ChunkedInput(QIODevice& device)
    : device_(device), left_(device.isSequential() ? -1 : std::max<int64_t>(0, device.size() - device.pos()))
{
}

bool ChunkedInput::fill(size_t n)
{
    if (size_t(buffer_.size() - pos_) >= n)
        return true;
    // Keep only what is not consumed, then read whole pieces behind it.
    offset_ += pos_;
    buffer_.remove(0, pos_);
    pos_ = 0;
    while (size_t(buffer_.size()) < n && !ended_) {
        qsizetype want = std::max<qsizetype>(kReadPieceBytes, qsizetype(n) - buffer_.size());
        if (left_ >= 0)
            want = qsizetype(std::min<int64_t>(want, left_));
        const qsizetype had = buffer_.size();
        buffer_.resize(had + want);
        const qint64 got = want > 0 ? device_.read(buffer_.data() + had, want) : 0;
        buffer_.resize(had + qsizetype(std::max<qint64>(got, 0)));
        if (got <= 0)
            ended_ = true;
        else if (left_ >= 0)
            left_ -= got;
    }
    return size_t(buffer_.size()) >= n;
}

bool ChunkedInput::skip(uint64_t n)
{
    const auto held = uint64_t(buffer_.size() - pos_);
    if (n <= held) {
        consume(size_t(n));
        return true;
    }
    n -= held;
    offset_ += buffer_.size();
    buffer_.clear();
    pos_ = 0;
    if (left_ >= 0) {
        if (n > uint64_t(left_)) {
            ended_ = true;
            offset_ += left_;
            left_ = 0;
            return false;
        }
        if (device_.seek(device_.pos() + qint64(n))) {
            left_ -= int64_t(n);
            offset_ += int64_t(n);
            return true;
        }
    }
    // A device that cannot seek: read the bytes and drop them, a piece at a time.
    while (n > 0 && fill(1)) {
        const size_t step = size_t(std::min<uint64_t>(n, data().size()));
        consume(step);
        n -= step;
    }
    return n == 0;
}

} // namespace runlens
