// SPDX-License-Identifier: MIT
#include "runlens/media.h"

#include "runlens/sqlite_db.h"

#include "sha256.h"

#include <png.h>

#include <array>
#include <cstring>

namespace runlens {

namespace {

constexpr std::array<std::pair<MediaKind, std::string_view>, 4> kKindNames{{
    {MediaKind::Image, "image"},
    {MediaKind::Table, "table"},
    {MediaKind::Text, "text"},
    {MediaKind::ConfusionMatrix, "confusion_matrix"},
}};

bool startsWith(std::span<const uint8_t> bytes, std::string_view magic, size_t at = 0)
{
    return bytes.size() >= at + magic.size() && std::memcmp(bytes.data() + at, magic.data(), magic.size()) == 0;
}

} // namespace

std::string_view mediaKindText(MediaKind kind)
{
    for (const auto& [k, name] : kKindNames)
        if (k == kind)
            return name;
    return "image";
}

std::optional<MediaKind> mediaKindFromText(std::string_view text)
{
    for (const auto& [k, name] : kKindNames)
        if (name == text)
            return k;
    return std::nullopt;
}

std::string_view imageFormatOf(std::span<const uint8_t> bytes)
{
    if (startsWith(bytes, "\x89PNG\r\n\x1a\n"))
        return "png";
    if (startsWith(bytes, "\xff\xd8\xff"))
        return "jpeg";
    if (startsWith(bytes, "GIF87a") || startsWith(bytes, "GIF89a"))
        return "gif";
    if (startsWith(bytes, "RIFF") && startsWith(bytes, "WEBP", 8))
        return "webp";
    if (startsWith(bytes, "BM"))
        return "bmp";
    // SVG: XML text whose first element is <svg (after a prolog or comments).
    const std::string_view head(reinterpret_cast<const char*>(bytes.data()), std::min<size_t>(bytes.size(), 4096));
    const auto svg = head.find("<svg");
    if (svg != std::string_view::npos && head.find_first_not_of(" \t\r\n") < head.size()
        && head[head.find_first_not_of(" \t\r\n")] == '<')
        return "svg";
    return {};
}

std::optional<std::pair<int, int>> pngSize(std::span<const uint8_t> bytes)
{
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
        return std::nullopt;
    const std::pair<int, int> size{int(std::min<png_uint_32>(image.width, INT32_MAX)),
        int(std::min<png_uint_32>(image.height, INT32_MAX))};
    png_image_free(&image);
    return size;
}

std::string checkImagePixels(const ImagePixels& p)
{
    if (p.channels < 1 || p.channels > 4)
        return "an image has 1 to 4 channels (grey, grey and alpha, RGB, RGBA), not " + std::to_string(p.channels);
    if (p.width <= 0 || p.height <= 0 || p.width > kMaxImageSide || p.height > kMaxImageSide)
        return "an image is 1 to " + std::to_string(kMaxImageSide) + " pixels a side, not " + std::to_string(p.width)
            + " x " + std::to_string(p.height);
    const size_t row = size_t(p.width) * size_t(p.channels);
    const size_t stride = p.stride ? p.stride : row;
    if (stride < row)
        return "the row stride (" + std::to_string(stride) + " bytes) is shorter than a row (" + std::to_string(row)
            + ")";
    // Rows further apart than this cannot be a real buffer (and would wrap the size below).
    if (stride > (size_t(1) << 31))
        return "the row stride (" + std::to_string(stride) + " bytes) is larger than any image buffer";
    if (p.data.size() < stride * size_t(p.height - 1) + row)
        return "the pixel buffer holds " + std::to_string(p.data.size()) + " bytes; " + std::to_string(p.width) + " x "
            + std::to_string(p.height) + " x " + std::to_string(p.channels) + " needs "
            + std::to_string(stride * size_t(p.height - 1) + row);
    return {};
}

std::vector<uint8_t> encodePng(const ImagePixels& p)
{
    if (auto why = checkImagePixels(p); !why.empty())
        throw Error(why);
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = png_uint_32(p.width);
    image.height = png_uint_32(p.height);
    constexpr std::array<png_uint_32, 4> formats{
        PNG_FORMAT_GRAY, PNG_FORMAT_GA, PNG_FORMAT_RGB, PNG_FORMAT_RGBA};
    image.format = formats[size_t(p.channels - 1)];
    const auto stride = png_int_32(p.stride ? p.stride : size_t(p.width) * size_t(p.channels));
    // Speed over the last few percent of size: the writer thread keeps up
    // with a training loop logging pictures (bench/bench_python_media.py).
    image.flags = PNG_IMAGE_FLAG_FAST;
    // Encoded once, into a buffer as large as any PNG of this image can be.
    png_alloc_size_t size = PNG_IMAGE_PNG_SIZE_MAX(image);
    std::vector<uint8_t> out(size);
    if (!png_image_write_to_memory(&image, out.data(), &size, 0, p.data.data(), stride, nullptr))
        throw Error(std::string("PNG encoding failed: ") + image.message);
    out.resize(size);
    return out;
}

std::string csvField(std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

std::string confusionMatrixCsv(std::span<const std::string> labels, std::span<const int64_t> counts)
{
    const size_t n = labels.size();
    if (n > kMaxConfusionLabels)
        throw Error("a confusion matrix has at most " + std::to_string(kMaxConfusionLabels) + " labels, not "
            + std::to_string(n));
    if (n == 0 || counts.size() != n * n)
        throw Error("a confusion matrix of " + std::to_string(n) + " labels has " + std::to_string(n * n)
            + " counts, not " + std::to_string(counts.size()));
    std::string csv;
    for (const auto& label : labels)
        csv += ',' + csvField(label);
    csv += '\n';
    for (size_t r = 0; r < n; ++r) {
        csv += csvField(labels[r]);
        for (size_t c = 0; c < n; ++c)
            csv += ',' + std::to_string(counts[r * n + c]);
        csv += '\n';
    }
    return csv;
}

void createMediaTables(SqliteDb& db)
{
    // Blobs in a rowid table: a WITHOUT ROWID table keeps large rows in its
    // b-tree pages, which SQLite advises against.
    db.exec("CREATE TABLE IF NOT EXISTS media_blobs(sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);"
            "CREATE TABLE IF NOT EXISTS media("
            "run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
            "key TEXT NOT NULL,"
            "step INTEGER NOT NULL,"
            "stepped INTEGER NOT NULL DEFAULT 1,"
            "kind TEXT NOT NULL,"
            "format TEXT NOT NULL,"
            "sha256 TEXT NOT NULL,"
            "size INTEGER NOT NULL,"
            "width INTEGER NOT NULL DEFAULT 0,"
            "height INTEGER NOT NULL DEFAULT 0,"
            "caption TEXT NOT NULL DEFAULT '',"
            "time INTEGER NOT NULL,"
            "PRIMARY KEY(run_id, key, step)) WITHOUT ROWID;");
}

std::string writeMediaRow(SqliteDb& db, std::string_view run_id, const MediaRow& row, std::span<const uint8_t> bytes)
{
    // Every time, not once: a batch rolled back takes the tables with it.
    createMediaTables(db);
    const std::string hash
        = detail::sha256Hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    db.prepare("INSERT INTO media_blobs(sha256, data) VALUES(?, ?) ON CONFLICT(sha256) DO NOTHING")
        .bind(1, hash)
        .bindBlob(2, std::as_bytes(bytes))
        .run();
    db.prepare("INSERT OR REPLACE INTO media(run_id, key, step, stepped, kind, format, sha256, size, width, height, "
               "caption, time) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, run_id)
        .bind(2, row.key)
        .bind(3, row.step)
        .bind(4, int64_t(row.stepped))
        .bind(5, mediaKindText(row.kind))
        .bind(6, row.format)
        .bind(7, hash)
        .bind(8, int64_t(bytes.size()))
        .bind(9, row.width)
        .bind(10, row.height)
        .bind(11, row.caption)
        .bind(12, row.time_ms)
        .run();
    return hash;
}

void deleteUnusedMediaBlobs(SqliteDb& db)
{
    if (db.tableExists("media_blobs") && db.tableExists("media"))
        db.exec("DELETE FROM media_blobs WHERE sha256 NOT IN (SELECT sha256 FROM media)");
}

} // namespace runlens
