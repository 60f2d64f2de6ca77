// SPDX-License-Identifier: GPL-3.0-or-later
// The protobuf wire format, as much as other tools' files need: varints,
// fixed 32/64-bit fields and length-delimited bytes, over a view of one
// message. Every read is bounded by the message; a malformed one makes ok()
// false and ends the walk, never reads past it. TensorBoard's event files and
// W&B's .wandb records are decoded with it; libprotobuf is not needed for the
// few fields read.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace runlens {

class Wire {
public:
    explicit Wire(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}

    bool next(uint32_t& field, uint32_t& type)
    {
        if (p_ >= end_)
            return false;
        uint64_t key;
        if (!varint(key))
            return fail();
        field = uint32_t(key >> 3);
        type = uint32_t(key & 7);
        return field != 0;
    }
    bool varint(uint64_t& v)
    {
        v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p_ >= end_)
                return fail();
            const auto b = uint8_t(*p_++);
            v |= uint64_t(b & 0x7f) << shift;
            if (b < 0x80)
                return true;
        }
        return fail();
    }
    bool fixed64(uint64_t& v) { return fixed(v); }
    bool fixed32(uint32_t& v) { return fixed(v); }
    bool bytes(std::string_view& v)
    {
        uint64_t n;
        if (!varint(n) || n > uint64_t(end_ - p_))
            return fail();
        v = std::string_view(p_, size_t(n));
        p_ += n;
        return true;
    }
    bool skip(uint32_t type)
    {
        uint64_t u;
        uint32_t w;
        std::string_view s;
        switch (type) {
        case 0: return varint(u);
        case 1: return fixed64(u);
        case 2: return bytes(s);
        case 5: return fixed32(w);
        default: return fail();
        }
    }
    bool ok() const { return ok_; }

private:
    template <class T>
    bool fixed(T& v)
    {
        if (size_t(end_ - p_) < sizeof(T))
            return fail();
        std::memcpy(&v, p_, sizeof(T));
        p_ += sizeof(T);
        return true;
    }
    bool fail()
    {
        ok_ = false;
        p_ = end_;
        return false;
    }
    const char* p_;
    const char* end_;
    bool ok_ = true;
};

} // namespace runlens
