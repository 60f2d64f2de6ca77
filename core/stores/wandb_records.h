// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding a Weights & Biases run's datastore (run-<id>.wandb): the only
// local copy of a run's full history. The file is a 7-byte header (":W&B",
// magic 0xBEE1, version 0) and then LevelDB's log format: 32 KiB blocks of
// chunks, each `u32le crc32(type, data) | u16le length | u8 type | data`,
// a record being one FULL chunk or FIRST, MIDDLE..., LAST across blocks.
// Every record is a protobuf `wandb_internal.Record`; the fields read here
// are the run, config, history, summary, stats and exit records.
//
// Sources (read, not copied), github.com/wandb/wandb at b6e2950 (0.28.3.dev1):
// wandb/sdk/internal/datastore.py (the header and the Python writer's
// CRC-32 over the type byte and data), core/pkg/leveldb/record.go (the Go
// writer: the same CRC-32/IEEE, a zeroed block skipped, recovery at the next
// block), wandb/proto/wandb_internal.proto (field numbers). The format has
// not changed since 0.10 (wandb's own tests/assets run from 0.10.20 reads).
//
// Decoded as read, chunk by chunk (ChunkedInput): memory holds one record
// and the points kept. A chunk with a bad checksum or length costs the rest
// of its block (what LevelDB's reader does too); a half-written tail (a live
// writer, or a file cut short) ends the read with what came before it.
//
// Threading: pure functions.
#pragma once

#include "crc32.h"
#include "metric_series.h"
#include "read_limits.h"

#include <QByteArray>
#include <QHash>
#include <QIODevice>
#include <QMap>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace runlens {

// A chunk's checksum is crc32Ieee (crc32.h), as both W&B writers compute it.
struct WandbLog {
    bool header = false; // the file began with W&B's header

    // RunRecord (Record field 17); a later one updates an earlier one.
    QString runId, entity, project, displayName, notes, group, jobType, host, sweepId;
    QStringList tags;
    int64_t startMs = -1;           // RunRecord.start_time
    QString gitRemote, gitCommit;   // RunRecord.git

    // ConfigRecord updates and removals in file order, as (key, JSON text);
    // a removal has no JSON. Nested keys are joined with '.'.
    std::vector<std::pair<QString, std::optional<QByteArray>>> config;

    // History (Record field 2) by key, nested keys joined with '/', at the
    // row's `_step` and `_timestamp`; system metrics (stats, field 7) as
    // "system/<key>" at their sample's index and time. At most
    // kMaxPointsPerSeries a key.
    QHash<QString, MetricSeries> series;
    QMap<QString, int64_t> leftOut;
    int64_t historyRows = 0;
    int64_t lastStep = -1;
    double firstTimestamp = 0, lastTimestamp = 0; // of history rows and stats samples, seconds since the epoch

    // The summary's last numeric values (SummaryRecord updates minus removals).
    QHash<QString, double> summary;

    std::optional<int> exitCode; // RunExitRecord; absent while running or after a crash
    int64_t runtimeSeconds = -1;

    int records = 0;
    int badChunks = 0;     // chunks with a wrong checksum or an impossible length: the rest of their block lost
    int undecodable = 0;   // records whose protobuf did not parse
    int oversized = 0;     // records past kMaxRecordBytes, passed over
    bool truncatedTail = false; // the file ended inside a chunk or a record

    // History keys met so far, by their bytes: the next rows' keys are
    // looked up instead of decoded again (a run logs the same few keys
    // 100,000 times).
    struct BytesHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, QString, BytesHash, std::equal_to<>> historyKeys;
};

// Decodes the .wandb file `in` is open on into `out`.
void decodeWandbLog(QIODevice& in, WandbLog& out);
// The same for a file's bytes in memory (tests, the fuzzer).
void decodeWandbBytes(const QByteArray& bytes, WandbLog& out);

} // namespace runlens
