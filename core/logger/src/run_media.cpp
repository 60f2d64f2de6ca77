// SPDX-License-Identifier: MIT
// Run::logImage and the other media calls (runlens/media.h). The caller's
// thread checks and copies; the writer thread encodes, hashes and writes.
#include "run_internal.h"
#include "runlens/media.h"

#include <algorithm>

namespace runlens {

namespace {

// What the logger holds in memory for media not yet written: beyond it a
// call is refused (never waits), so a flood of images cannot exhaust memory
// behind a slow disk.
constexpr size_t kMaxBufferedMediaBytes = 16 * kMediaDrainBytes;

std::string tooLarge(std::string_view key, size_t bytes)
{
    return "media '" + std::string(key) + "' is " + std::to_string(bytes >> 20) + " MB; at most "
        + std::to_string(kMaxMediaBytes >> 20) + " MB a piece go in the store (log larger files as artifacts)";
}

} // namespace

bool Run::Impl::pushMedia(MediaRecord record)
{
    t_point_dropped = false;
    if (!live())
        return true;
    if (auto why = checkKey("media", record.key); !why.empty())
        return (setError(why), false);
    if (record.bytes.size() > kMaxMediaBytes)
        return (setError(tooLarge(record.key, record.bytes.size())), false);
    record.time_ms = nowMs();
    std::lock_guard lock(mu);
    if (finished) {
        last_error = "the run has finished; nothing more is logged";
        return false;
    }
    if (buffered_media_bytes + record.bytes.size() > kMaxBufferedMediaBytes) {
        // Dropped, as a metric point is when its buffer is full: the C ABI
        // says RL_DROPPED and Python warns once instead of stopping training.
        last_error = "media '" + record.key + "' was dropped: " + std::to_string(kMaxBufferedMediaBytes >> 20)
            + " MB of media already wait for the store";
        t_point_dropped = true;
        return false;
    }
    buffered_media_bytes += record.bytes.size();
    records.push_back(std::move(record));
    // Write soon rather than at the next interval when media pile up.
    if (buffered_media_bytes >= kMediaDrainBytes)
        wake.notify_one();
    return true;
}

bool Run::logImage(std::string_view key, std::span<const uint8_t> encoded, std::optional<int64_t> step,
    std::string_view caption)
{
    if (!impl_->live())
        return true;
    const auto format = imageFormatOf(encoded);
    if (format.empty())
        return (impl_->setError("image '" + std::string(key)
                    + "' is not a PNG, JPEG, GIF, WebP, BMP or SVG (its first bytes say none of these)"),
            false);
    int width = 0, height = 0;
    if (format == "png") {
        const auto size = pngSize(encoded);
        if (!size)
            return (impl_->setError("image '" + std::string(key) + "' is a damaged PNG"), false);
        std::tie(width, height) = *size;
        if (width > kMaxImageSide || height > kMaxImageSide)
            return (impl_->setError("image '" + std::string(key) + "' is " + std::to_string(width) + " x "
                        + std::to_string(height) + " pixels; at most " + std::to_string(kMaxImageSide) + " a side"),
                false);
    }
    MediaRecord r;
    r.key = std::string(key);
    r.step = step.value_or(0);
    r.stepped = step.has_value();
    r.kind = MediaKind::Image;
    r.format = std::string(format);
    r.bytes.assign(encoded.begin(), encoded.end());
    r.width = width;
    r.height = height;
    r.caption = std::string(caption);
    return impl_->pushMedia(std::move(r));
}

bool Run::logImagePixels(
    std::string_view key, const ImagePixels& pixels, std::optional<int64_t> step, std::string_view caption)
{
    if (!impl_->live())
        return true;
    if (auto why = checkImagePixels(pixels); !why.empty())
        return (impl_->setError("image '" + std::string(key) + "': " + why), false);
    // Packed rows, copied: the caller may reuse its buffer as soon as we return.
    const size_t row = size_t(pixels.width) * size_t(pixels.channels);
    const size_t stride = pixels.stride ? pixels.stride : row;
    MediaRecord r;
    r.key = std::string(key);
    r.step = step.value_or(0);
    r.stepped = step.has_value();
    r.kind = MediaKind::Image;
    r.format = "png";
    r.bytes.resize(row * size_t(pixels.height));
    for (int y = 0; y < pixels.height; ++y)
        std::copy_n(pixels.data.data() + size_t(y) * stride, row, r.bytes.data() + size_t(y) * row);
    r.width = pixels.width;
    r.height = pixels.height;
    r.raw_channels = pixels.channels;
    r.caption = std::string(caption);
    return impl_->pushMedia(std::move(r));
}

bool Run::logTable(std::string_view key, std::string_view csv, std::optional<int64_t> step)
{
    return logMediaText(key, MediaKind::Table, "csv", csv, step);
}

bool Run::logText(std::string_view key, std::string_view text, std::optional<int64_t> step, std::string_view format)
{
    return logMediaText(key, MediaKind::Text, format.empty() ? "txt" : format, text, step);
}

bool Run::logConfusionMatrix(std::string_view key, std::span<const std::string> labels,
    std::span<const int64_t> counts, std::optional<int64_t> step)
{
    if (!impl_->live())
        return true;
    try {
        return logMediaText(key, MediaKind::ConfusionMatrix, "csv", confusionMatrixCsv(labels, counts), step);
    } catch (const Error& e) {
        return (impl_->setError("confusion matrix '" + std::string(key) + "': " + e.what()), false);
    }
}

bool Run::logMediaText(
    std::string_view key, MediaKind kind, std::string_view format, std::string_view text, std::optional<int64_t> step)
{
    if (!impl_->live())
        return true;
    if (auto why = checkKey("media format", format); !why.empty())
        return (impl_->setError(why), false);
    MediaRecord r;
    r.key = std::string(key);
    r.step = step.value_or(0);
    r.stepped = step.has_value();
    r.kind = kind;
    r.format = std::string(format);
    r.bytes.assign(text.begin(), text.end());
    return impl_->pushMedia(std::move(r));
}

} // namespace runlens
