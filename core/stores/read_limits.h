// SPDX-License-Identifier: GPL-3.0-or-later
// How much of another tool's file is held at once, and how much one file may
// contribute. Foreign files are read in pieces (ChunkedInput, LineReader) so
// that memory follows what a reader keeps (the points), never the file's
// size: a 3 GB metric file costs its points, a 3 GB file of junk costs a piece.
#pragma once

#include <QLocale>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace runlens {

// Read at a time: large enough that a read costs no more than the parsing.
inline constexpr qsizetype kReadPieceBytes = qsizetype(1) << 20;

// Points one series may hold: 20 M points are 480 MB as a MetricSeries.
// TensorBoard shows 1,000 a tag by default and MLflow's UI samples, so a
// real run is read whole (1 M steps x 100 tags is 100 series of 1 M); a
// series past it keeps its first 20 M points and the run says so.
inline constexpr int64_t kMaxPointsPerSeries = 20'000'000;

// A line of a line-based format (an MLflow metric line is under 100 bytes):
// a longer one is junk, passed over without being held.
inline constexpr qsizetype kMaxLineBytes = qsizetype(64) << 10;

// A row of a CSV or TSV file (Lightning writes one column a metric): a
// longer one ends the file's reading there.
inline constexpr qsizetype kMaxRowBytes = qsizetype(16) << 20;
inline constexpr size_t kMaxRowFields = 100'000;

// One TFRecord in an event file. Scalars take tens of bytes; what is larger
// is an image, audio or a graph, which are skipped unread. 64 MiB was
// protobuf's limit on a message until 3.x.
inline constexpr uint64_t kMaxRecordBytes = uint64_t(64) << 20;

// Params one file may give (test-tube's meta_tags.csv, a row each).
inline constexpr int64_t kMaxParamsPerFile = 100'000;

// A JSON summary read whole (DVCLive's metrics.json: a few final values).
inline constexpr qsizetype kMaxJsonBytes = qsizetype(16) << 20;

// A JSON file of whole series, which its format gives no way to read in
// pieces (Sacred's metrics.json: about 60 bytes a point, so some 4 M
// points). Parsing it holds about three times its size; a larger one is
// left out with a note naming it.
inline constexpr qsizetype kMaxSeriesJsonBytes = qsizetype(256) << 20;

// The problem a series cut at kMaxPointsPerSeries gives, naming it.
inline QString pointsLeftOutNote(const QString& series, int64_t leftOut)
{
    const QLocale c(QLocale::English, QLocale::UnitedStates);   // 20,000,000
    return QStringLiteral("%1: the first %2 points kept, %3 more left out (the most one series holds)")
        .arg(series, c.toString(qlonglong(kMaxPointsPerSeries)), c.toString(qlonglong(leftOut)));
}

} // namespace runlens
