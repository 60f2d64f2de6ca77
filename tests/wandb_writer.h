// SPDX-License-Identifier: GPL-3.0-or-later
// A tiny writer of W&B datastores (.wandb) for the tests: the header, the
// LevelDB block framing (records split into FIRST/MIDDLE/LAST chunks across
// 32 KiB blocks, a block's last < 7 bytes zero-padded, CRC-32 over the type
// byte and data) and the few Record messages the reader decodes, with the
// field numbers of wandb_internal.proto. Written from the format's
// description, independently of the reader's decoding.
#pragma once

#include "wandb_records.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <utility>
#include <vector>

namespace runlens::test::wandb {

inline void varint(QByteArray& out, uint64_t v)
{
    while (v >= 0x80) {
        out.append(char((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(char(v));
}

inline void tag(QByteArray& out, uint32_t field, uint32_t type) { varint(out, uint64_t(field) << 3 | type); }

inline void bytesField(QByteArray& out, uint32_t field, const QByteArray& bytes)
{
    tag(out, field, 2);
    varint(out, uint64_t(bytes.size()));
    out.append(bytes);
}

inline void intField(QByteArray& out, uint32_t field, int64_t v)
{
    tag(out, field, 0);
    varint(out, uint64_t(v));
}

// ConfigItem / HistoryItem / SummaryItem / StatsItem: key = 1, value_json = 16.
inline QByteArray item(const QByteArray& key, const QByteArray& json)
{
    QByteArray m;
    bytesField(m, 1, key);
    bytesField(m, 16, json);
    return m;
}

// An item under nested keys (nested_key = 2, repeated), as wandb writes a
// nested dict's leaves in some versions.
inline QByteArray nestedItem(const QList<QByteArray>& path, const QByteArray& json)
{
    QByteArray m;
    for (const auto& p : path)
        bytesField(m, 2, p);
    bytesField(m, 16, json);
    return m;
}

inline QByteArray timestamp(double seconds)
{
    QByteArray m;
    intField(m, 1, int64_t(seconds));
    intField(m, 2, int64_t((seconds - double(int64_t(seconds))) * 1e9));
    return m;
}

// Record{field = message}.
inline QByteArray record(uint32_t field, const QByteArray& message)
{
    QByteArray r;
    intField(r, 1, 1);   // num: ignored by the reader, as W&B's own Record.num
    bytesField(r, field, message);
    return r;
}

// A history row of ready-made items (item() or nestedItem()), without the _step item.
inline QByteArray historyRecordOf(const QList<QByteArray>& items)
{
    QByteArray m;
    for (const auto& i : items)
        bytesField(m, 1, i);
    return record(2, m);
}

struct Run {
    QByteArray id, project, name, notes, group, jobType, host;
    QList<QByteArray> tags;
    double startSeconds = 0;
};

inline QByteArray runRecord(const Run& run)
{
    QByteArray m;
    bytesField(m, 1, run.id);
    bytesField(m, 3, run.project);
    if (!run.group.isEmpty())
        bytesField(m, 6, run.group);
    if (!run.jobType.isEmpty())
        bytesField(m, 7, run.jobType);
    bytesField(m, 8, run.name);
    if (!run.notes.isEmpty())
        bytesField(m, 9, run.notes);
    for (const auto& t : run.tags)
        bytesField(m, 10, t);
    if (!run.host.isEmpty())
        bytesField(m, 13, run.host);
    if (run.startSeconds > 0)
        bytesField(m, 17, timestamp(run.startSeconds));
    return record(17, m);
}

inline QByteArray configRecord(const std::vector<std::pair<QByteArray, QByteArray>>& items)
{
    QByteArray m;
    for (const auto& [k, v] : items)
        bytesField(m, 1, item(k, v));
    return record(5, m);
}

// A history row as wandb.log writes one: its items, then _step, _timestamp, _runtime.
inline QByteArray historyRecord(int64_t step, double wallTime, double runtime,
    const std::vector<std::pair<QByteArray, QByteArray>>& items)
{
    QByteArray m;
    for (const auto& [k, v] : items)
        bytesField(m, 1, item(k, v));
    bytesField(m, 1, item("_step", QByteArray::number(step)));
    bytesField(m, 1, item("_timestamp", QByteArray::number(wallTime, 'f', 6)));
    bytesField(m, 1, item("_runtime", QByteArray::number(runtime, 'f', 6)));
    return record(2, m);
}

inline QByteArray summaryRecord(const std::vector<std::pair<QByteArray, QByteArray>>& items)
{
    QByteArray m;
    for (const auto& [k, v] : items)
        bytesField(m, 1, item(k, v));
    return record(3, m);
}

inline QByteArray statsRecord(double wallTime, const std::vector<std::pair<QByteArray, QByteArray>>& items)
{
    QByteArray m;
    intField(m, 1, 0);
    bytesField(m, 2, timestamp(wallTime));
    for (const auto& [k, v] : items)
        bytesField(m, 3, item(k, v));
    return record(7, m);
}

inline QByteArray exitRecord(int exitCode, int runtimeSeconds)
{
    QByteArray m;
    intField(m, 1, exitCode);
    intField(m, 2, runtimeSeconds);
    return record(18, m);
}

// The datastore's framing, appended to as records come, as W&B's writers do.
class LogWriter {
public:
    LogWriter() { bytes_ = QByteArray(":W&B\xe1\xbe\x00", 7); }

    void append(const QByteArray& rec)
    {
        qsizetype used = 0;
        bool first = true;
        do {
            qsizetype left = kBlock - bytes_.size() % kBlock;
            if (left < 7) {   // no room for a chunk header: the block's trailer
                bytes_.append(QByteArray(left, '\0'));
                left = kBlock;
            }
            const qsizetype room = left - 7;
            const qsizetype n = std::min(room, rec.size() - used);
            const bool last = used + n == rec.size();
            const uint8_t type = first && last ? 1 : first ? 2 : last ? 4 : 3;
            chunk(type, rec.mid(used, n));
            used += n;
            first = false;
        } while (used < rec.size());
    }
    const QByteArray& bytes() const { return bytes_; }

private:
    static constexpr qsizetype kBlock = 32768;
    void chunk(uint8_t type, const QByteArray& data)
    {
        const uint32_t crc = crc32Ieee(reinterpret_cast<const uint8_t*>(data.constData()), size_t(data.size()),
            crc32Ieee(&type, 1));
        bytes_.append(reinterpret_cast<const char*>(&crc), 4);
        const uint16_t len = uint16_t(data.size());
        bytes_.append(reinterpret_cast<const char*>(&len), 2);
        bytes_.append(char(type));
        bytes_.append(data);
    }
    QByteArray bytes_;
};

} // namespace runlens::test::wandb
