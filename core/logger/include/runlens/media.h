// SPDX-License-Identifier: MIT
// Media a run logs beside its metrics: images, tables, text and confusion
// matrices (Run::logImage and friends). Kept in the store itself, in two
// tables (docs/store-format.md, "Media"): `media`, one row per run, key and
// step, and `media_blobs`, the bytes by sha256, so a picture logged twice
// (or by two runs) is stored once and the file mailed to a colleague carries
// them all. Shared by the logger and the readers; no Qt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

class SqliteDb;

enum class MediaKind {
    Image,
    Table, // CSV, a header row first
    Text, // plain text, or JSON, YAML, code: the format says which
    // A table of counts: the header row is "" then the predicted labels; each
    // following row is a true label then its counts (rows: truth, columns:
    // prediction, as scikit-learn's confusion_matrix).
    ConfusionMatrix,
};

std::string_view mediaKindText(MediaKind kind); // "image", "table", "text", "confusion_matrix"
std::optional<MediaKind> mediaKindFromText(std::string_view text);

// Larger media are refused with a message rather than bloat the store:
// a 4096 x 4096 RGBA PNG fits, a video does not (log it as an artifact).
inline constexpr size_t kMaxMediaBytes = size_t(64) << 20;
// Images wider or taller than this are refused when logged and not decoded
// when read: a small file can claim a 30000 x 30000 picture.
inline constexpr int kMaxImageSide = 16384;

// An image's format from its first bytes: "png", "jpeg", "gif", "webp",
// "bmp", "svg"; empty when none of these.
std::string_view imageFormatOf(std::span<const uint8_t> bytes);

// Width and height a PNG's header claims (libpng reads it); nullopt when
// `bytes` is not a PNG it can read.
std::optional<std::pair<int, int>> pngSize(std::span<const uint8_t> bytes);

// Raw pixels, row after row: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA)
// channels of 8 bits; `stride` bytes from one row to the next (0: packed).
struct ImagePixels {
    int width = 0, height = 0, channels = 0;
    size_t stride = 0;
    std::span<const uint8_t> data;
};

// Why `pixels` cannot be encoded; empty when they can.
std::string checkImagePixels(const ImagePixels& pixels);
// PNG bytes of `pixels` (libpng). Throws Error when libpng refuses them.
std::vector<uint8_t> encodePng(const ImagePixels& pixels);

// The CSV of a confusion matrix (MediaKind::ConfusionMatrix): `counts` holds
// labels.size() squared values, row by row (truth) then column (prediction).
std::string confusionMatrixCsv(std::span<const std::string> labels, std::span<const int64_t> counts);
// A CSV field, quoted when it needs to be (RFC 4180).
std::string csvField(std::string_view text);

// Creates the media tables; the first media a run logs does it, so an
// older Runlens that knows none still opens the store.
void createMediaTables(SqliteDb& db);

// One row of the `media` table, its bytes apart.
struct MediaRow {
    std::string key;
    int64_t step = 0;
    bool stepped = false;
    MediaKind kind = MediaKind::Image;
    std::string format;
    int width = 0, height = 0;
    std::string caption;
    int64_t time_ms = 0;
};
// Writes `bytes` as run `run_id`'s media `row`, content-addressed (a blob
// already there is not written again), creating the tables if needed; in
// the caller's transaction. The logger's writer and the importer share it.
// Returns the sha256.
std::string writeMediaRow(SqliteDb& db, std::string_view run_id, const MediaRow& row, std::span<const uint8_t> bytes);

// Deletes the blobs no media row names any more (a run deleted, a key and
// step logged again); a store without media is left alone.
void deleteUnusedMediaBlobs(SqliteDb& db);

// A confusion matrix has at most this many labels (a million counts).
inline constexpr size_t kMaxConfusionLabels = 1000;

} // namespace runlens
