// SPDX-License-Identifier: MIT
#include "sha256.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>

namespace runlens::detail {

namespace {

struct DigestCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using DigestCtx = std::unique_ptr<EVP_MD_CTX, DigestCtxDeleter>;

std::string toHex(const unsigned char* digest, unsigned len)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned i = 0; i < len; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    return out;
}

template <class Feed> std::optional<std::string> digest(Feed&& feed)
{
    DigestCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        return std::nullopt;
    if (!feed(ctx.get()))
        return std::nullopt;
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1)
        return std::nullopt;
    return toHex(out.data(), len);
}

} // namespace

std::string sha256Hex(std::string_view data)
{
    return digest([&](EVP_MD_CTX* ctx) {
        return EVP_DigestUpdate(ctx, data.data(), data.size()) == 1;
    }).value_or(std::string());
}

std::optional<std::pair<std::string, int64_t>> sha256File(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    int64_t size = 0;
    auto hex = digest([&](EVP_MD_CTX* ctx) {
        std::array<char, 1 << 16> buf{};
        while (in) {
            in.read(buf.data(), buf.size());
            const auto got = in.gcount();
            if (got > 0 && EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(got)) != 1)
                return false;
            size += got;
        }
        return !in.bad();
    });
    if (!hex)
        return std::nullopt;
    return std::make_pair(*hex, size);
}

} // namespace runlens::detail
