// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding TensorBoard event files (events.out.tfevents.*): the TFRecord
// framing with masked CRC32C, and the few protobuf messages a scalar needs
// (Event, Summary, Summary.Value, SummaryMetadata, TensorProto), read with a
// small wire-format decoder. Images (TF1's Summary.Image, TF2's "images"
// plugin tensors: width, height, then the encoded pictures) and text (plugin
// "text") are listed where they are, not held: their bytes are read again
// when shown (mediaInRecord). Histograms, audio and graphs are skipped;
// hparams (plugin "hparams", session_start_info) are read. A file
// is decoded record by record as it is read, in pieces: memory holds one
// record and the points kept, not the file (real ones reach gigabytes).
//
// Threading: pure functions.
#pragma once

#include "metric_series.h"
#include "read_limits.h"

#include <QByteArray>
#include <QHash>
#include <QIODevice>
#include <QMap>
#include <QString>
#include <QVariant>

#include "crc32.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace runlens {

uint32_t maskedCrc32c(const uint8_t* data, size_t size);
// One TFRecord frame around `data` (what writers do; tests and benchmarks use it).
QByteArray frameRecord(const QByteArray& data);
// A framed scalar event, Event{wall_time=1, step=2, summary=5{value=1{tag=1,
// simple_value=2}}}, as tf.summary writes one (tests and benchmarks; tags
// under 128 bytes).
QByteArray scalarEventRecord(const QByteArray& tag, int64_t step, double wallTime, float value);

// An image or text summary: where its record is, to read it when shown.
struct EventMedia {
    QString tag;
    int64_t step = 0;
    double wallTime = 0;
    bool image = true; // else text
    QString format; // "png", "jpeg", ... for images; "md" for text (TensorBoard renders Markdown)
    int width = 0, height = 0;
    int part = 0; // which picture of the record (TF2 writes up to max_outputs)
    int64_t offset = 0; // the record's frame in its file
    int64_t size = 0;
    QString file; // set by the caller: decodeEvents sees a device
};

struct DecodedEvents {
    QHash<QString, MetricSeries> series;  // the scalars by tag, in file order, at most kMaxPointsPerSeries a tag
    QMap<QString, int64_t> leftOut;       // points past kMaxPointsPerSeries, by tag
    QHash<QString, QVariant> hparams;     // from the hparams plugin's session_start_info
    std::vector<EventMedia> media;        // images and text, in file order
    QHash<QString, QString> tensorPlugins; // tag -> plugin, from its first value's metadata
    int records = 0;
    int badCrc = 0;          // records skipped for a wrong checksum
    int undecodable = 0;     // records whose protobuf did not parse
    int oversized = 0;       // records past kMaxRecordBytes, passed over unread
    bool truncatedTail = false;   // the last record was half written
    double firstWallTime = 0, lastWallTime = 0;
};

// Decodes the event file `in` is open on, adding to `out` (the files of one
// run go into one DecodedEvents, in order). Tags whose values come as
// tensors are scalars only if their metadata says plugin "scalars";
// TensorFlow writes that on a tag's first value only, so the set carries
// over between the files of one run.
void decodeEvents(QIODevice& in, DecodedEvents& out, QHash<QString, bool>& tensorTagIsScalar);
// The bytes of `media` from its record's frame at `media.offset` in `in`
// (an image's encoded picture, a text's UTF-8); nullopt when the record is
// no longer what it was (checksum, tag) or the file has changed.
std::optional<QByteArray> mediaInRecord(QIODevice& in, const EventMedia& media);
// A framed TF2 image or text event (tests and the fuzzer): plugin "images"
// with width, height and `pictures`, or plugin "text" with one string.
QByteArray imageEventRecord(const QByteArray& tag, int64_t step, double wallTime, int width, int height,
                            const QList<QByteArray>& pictures);
QByteArray textEventRecord(const QByteArray& tag, int64_t step, double wallTime, const QByteArray& text);
// TF1's Summary.Image (height, width, colorspace, encoded_image_string).
QByteArray tf1ImageEventRecord(const QByteArray& tag, int64_t step, double wallTime, int width, int height,
                               const QByteArray& encoded);

// The same for an event file's bytes in memory (tests, the fuzzer).
void decodeEventFile(const QByteArray& bytes, DecodedEvents& out, QHash<QString, bool>& tensorTagIsScalar);

} // namespace runlens
