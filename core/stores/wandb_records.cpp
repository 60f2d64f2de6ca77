// SPDX-License-Identifier: GPL-3.0-or-later
#include "wandb_records.h"

#include "chunked_input.h"
#include "foreign_system_metrics.h"
#include "number_parse.h"
#include "protobuf_wire.h"
#include "utf8.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <cmath>
#include <functional>

namespace runlens {

namespace {

constexpr size_t kHeaderBytes = 7;   // ":W&B", u16le 0xBEE1, u8 version 0
constexpr size_t kChunkHeaderBytes = 7;
constexpr int64_t kBlockBytes = 32768;
enum ChunkType : uint8_t { kFull = 1, kFirst = 2, kMiddle = 3, kLast = 4 };

// Record's fields (wandb_internal.proto, Record): the ones a run's table,
// details and curves need.
enum RecordField : uint32_t {
    kHistory = 2,
    kSummary = 3,
    kConfig = 5,
    kStats = 7,
    kRun = 17,
    kExit = 18,
};

// google.protobuf.Timestamp -> seconds since the epoch.
std::optional<double> timestampOf(std::string_view msg)
{
    Wire w(msg);
    uint32_t f, t;
    uint64_t seconds = 0, nanos = 0;
    while (w.next(f, t)) {
        if (f == 1 && t == 0) {
            if (!w.varint(seconds))
                return std::nullopt;
        } else if (f == 2 && t == 0) {
            if (!w.varint(nanos))
                return std::nullopt;
        } else if (!w.skip(t)) {
            return std::nullopt;
        }
    }
    if (!w.ok())
        return std::nullopt;
    return double(int64_t(seconds)) + double(int64_t(nanos)) / 1e9;
}

// ConfigItem, HistoryItem, SummaryItem and StatsItem share their fields:
// key = 1, nested_key = 2 (repeated), value_json = 16.
struct Item {
    QStringList path;   // key, or the nested keys
    std::string_view json;
};

std::optional<Item> itemOf(std::string_view msg)
{
    Wire w(msg);
    uint32_t f, t;
    Item item;
    QString key;
    while (w.next(f, t)) {
        std::string_view b;
        if ((f == 1 || f == 2 || f == 16) && t == 2) {
            if (!w.bytes(b))
                return std::nullopt;
            if (f == 1)
                key = fromUtf8(b);
            else if (f == 2)
                item.path << fromUtf8(b);
            else
                item.json = b;
        } else if (!w.skip(t)) {
            return std::nullopt;
        }
    }
    if (!w.ok())
        return std::nullopt;
    if (item.path.isEmpty())
        item.path << key;
    return item;
}

// A JSON value as W&B writes one (Python's json, so NaN and Infinity too):
// a number, or an object whose numbers are visited with their paths. Media
// ({"_type": "image-file", ...}), text and lists have no number to plot.
void numbersIn(std::string_view json, const QString& key, const QString& separator,
    const std::function<void(const QString&, double)>& visit)
{
    double v;
    if (parseNumber(json, v)) {
        visit(key, v);
        return;
    }
    if (json.empty() || json.front() != '{')
        return;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json.data(), qsizetype(json.size())));
    if (!doc.isObject() || doc.object().contains(QStringLiteral("_type")))
        return;
    std::function<void(const QJsonObject&, const QString&)> walk = [&](const QJsonObject& o, const QString& prefix) {
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString k = prefix + separator + it.key();
            if (it->isDouble())
                visit(k, it->toDouble());
            else if (it->isObject() && !it->toObject().contains(QStringLiteral("_type")))
                walk(it->toObject(), k);
        }
    };
    walk(doc.object(), key);
}

void addPoint(WandbLog& out, const QString& key, int64_t step, double wall, double value)
{
    MetricSeries& s = out.series[key];
    if (int64_t(s.size()) >= kMaxPointsPerSeries) {
        ++out.leftOut[key];
        return;
    }
    s.steps.push_back(step);
    s.wallTimes.push_back(wall);
    s.values.push_back(value);
}

// Repeated message fields of a record, by field number.
template <class Visit> bool forEachField(std::string_view msg, Visit visit)
{
    Wire w(msg);
    uint32_t f, t;
    while (w.next(f, t)) {
        if (t == 2) {
            std::string_view b;
            if (!w.bytes(b) || !visit(f, b))
                return false;
        } else if (t == 0) {
            uint64_t u;
            if (!w.varint(u) || !visit(f, std::string_view(reinterpret_cast<const char*>(&u), sizeof u)))
                return false;
        } else if (!w.skip(t)) {
            return false;
        }
    }
    return w.ok();
}

uint64_t varintOf(std::string_view b)
{
    uint64_t u = 0;
    std::memcpy(&u, b.data(), std::min(sizeof u, b.size()));
    return u;
}

// A HistoryItem as its bytes: a plain key (field 1) or nested keys (field 2), and its JSON.
struct RawItem {
    std::string_view key, json;
    bool nested = false;
    int full = -1;   // index of its full decoding, for nested keys or none
};

bool rawItemOf(std::string_view msg, RawItem& item)
{
    Wire w(msg);
    uint32_t f, t;
    item = RawItem{};
    while (w.next(f, t)) {
        std::string_view b;
        if ((f == 1 || f == 2 || f == 16) && t == 2) {
            if (!w.bytes(b))
                return false;
            if (f == 1)
                item.key = b;
            else if (f == 2)
                item.nested = true;
            else
                item.json = b;
        } else if (!w.skip(t)) {
            return false;
        }
    }
    return w.ok();
}

const QString& historyKey(WandbLog& out, std::string_view bytes)
{
    if (const auto it = out.historyKeys.find(bytes); it != out.historyKeys.end())
        return it->second;
    return out.historyKeys.emplace(std::string(bytes), fromUtf8(bytes)).first->second;
}

bool decodeHistory(std::string_view msg, WandbLog& out)
{
    // Reused from row to row (a reader decodes on several threads: one each).
    thread_local std::vector<RawItem> items;
    thread_local std::vector<Item> decoded;   // nested keys, or no key: decoded in full
    items.clear();
    decoded.clear();
    std::optional<int64_t> stepField;
    const bool ok = forEachField(msg, [&](uint32_t f, std::string_view b) {
        if (f == 1) {
            RawItem& raw = items.emplace_back();
            if (!rawItemOf(b, raw))
                return false;
            if (raw.nested || raw.key.empty()) {
                auto item = itemOf(b);
                if (!item)
                    return false;
                raw.full = int(decoded.size());
                decoded.push_back(std::move(*item));
            }
        } else if (f == 2) {   // HistoryStep{num = 1}
            Wire w(b);
            uint32_t sf, st;
            uint64_t num;
            while (w.next(sf, st))
                if (sf == 1 && st == 0 && w.varint(num))
                    stepField = int64_t(num);
                else if (!w.skip(st))
                    return false;
        }
        return true;
    });
    if (!ok)
        return false;
    // A row's step and time are items of their own.
    auto plainKey = [&](const RawItem& raw, std::string_view name) {
        if (raw.full < 0)
            return raw.key == name;
        const QStringList& path = decoded[size_t(raw.full)].path;
        return path.size() == 1 && path[0] == QLatin1String(name.data(), qsizetype(name.size()));
    };
    int64_t step = stepField.value_or(out.historyRows);
    double wall = 0, v;
    for (const auto& item : items) {
        if (plainKey(item, "_step") && parseNumber(item.json, v) && std::isfinite(v))
            step = int64_t(v);
        else if (plainKey(item, "_timestamp") && parseNumber(item.json, v) && std::isfinite(v))
            wall = v;
    }
    ++out.historyRows;
    out.lastStep = std::max(out.lastStep, step);
    if (wall > 0) {
        if (out.firstTimestamp == 0)
            out.firstTimestamp = wall;
        out.lastTimestamp = std::max(out.lastTimestamp, wall);
    }
    const auto add = [&](const QString& k, double value) { addPoint(out, k, step, wall, value); };
    for (const auto& raw : items) {
        if (raw.full < 0) {
            // _step, _timestamp, _runtime are the row's x axes, not metrics.
            if (raw.key.front() == '_')
                continue;
            if (parseNumber(raw.json, v)) {
                addPoint(out, historyKey(out, raw.key), step, wall, v);
                continue;
            }
            numbersIn(raw.json, historyKey(out, raw.key), QStringLiteral("/"), add);
            continue;
        }
        const Item& item = decoded[size_t(raw.full)];   // rare: decoded in full, as before
        const QString key = item.path.join(QLatin1Char('/'));
        if (key.startsWith(QLatin1Char('_')))
            continue;
        numbersIn(item.json, key, QStringLiteral("/"), add);
    }
    return true;
}

bool decodeStats(std::string_view msg, WandbLog& out)
{
    double wall = 0;
    std::vector<Item> items;
    const bool ok = forEachField(msg, [&](uint32_t f, std::string_view b) {
        if (f == 2) {
            wall = timestampOf(b).value_or(0);
        } else if (f == 3) {
            auto item = itemOf(b);
            if (!item)
                return false;
            items.push_back(std::move(*item));
        }
        return true;
    });
    if (!ok)
        return false;
    if (wall > 0) {   // a run that logged no history still ran this long
        if (out.firstTimestamp == 0)
            out.firstTimestamp = wall;
        out.lastTimestamp = std::max(out.lastTimestamp, wall);
    }
    for (const auto& item : items) {
        // W&B's name for a quantity we also sample becomes ours (foreign_system_metrics.h).
        const QString toolKey = item.path.join(QLatin1Char('/'));
        const auto ours = runlensSystemMetric(SystemMetricSource::Wandb, toolKey);
        const double factor = ours ? ours->factor : 1;
        numbersIn(item.json, ours ? ours->key : QStringLiteral("system/") + toolKey, QStringLiteral("/"),
            [&](const QString& k, double value) {
                // Sampled on their own clock: x is the sample's index.
                addPoint(out, k, int64_t(out.series.value(k).size()), wall, value * factor);
            });
    }
    return true;
}

bool decodeSummary(std::string_view msg, WandbLog& out)
{
    return forEachField(msg, [&](uint32_t f, std::string_view b) {
        if (f != 1 && f != 2)
            return true;
        auto item = itemOf(b);
        if (!item)
            return false;
        const QString key = item->path.join(QLatin1Char('/'));
        if (f == 2) {
            out.summary.remove(key);
            return true;
        }
        if (!key.startsWith(QLatin1Char('_')))
            numbersIn(item->json, key, QStringLiteral("/"), [&](const QString& k, double v) { out.summary.insert(k, v); });
        return true;
    });
}

bool decodeConfig(std::string_view msg, WandbLog& out)
{
    return forEachField(msg, [&](uint32_t f, std::string_view b) {
        if (f != 1 && f != 2)
            return true;
        auto item = itemOf(b);
        if (!item)
            return false;
        const QString key = item->path.join(QLatin1Char('.'));
        if (f == 1)
            out.config.emplace_back(key, QByteArray(item->json.data(), qsizetype(item->json.size())));
        else
            out.config.emplace_back(key, std::nullopt);
        return true;
    });
}

bool decodeRun(std::string_view msg, WandbLog& out)
{
    // Only what is set overrides: a later RunRecord may say less.
    auto set = [](QString& field, std::string_view b) {
        if (!b.empty())
            field = fromUtf8(b);
    };
    QStringList tags;
    bool ok = forEachField(msg, [&](uint32_t f, std::string_view b) {
        switch (f) {
        case 1: set(out.runId, b); break;
        case 2: set(out.entity, b); break;
        case 3: set(out.project, b); break;
        case 4: return decodeConfig(b, out);
        case 6: set(out.group, b); break;
        case 7: set(out.jobType, b); break;
        case 8: set(out.displayName, b); break;
        case 9: set(out.notes, b); break;
        case 10: tags << fromUtf8(b); break;
        case 12: set(out.sweepId, b); break;
        case 13: set(out.host, b); break;
        case 17:
            if (const auto s = timestampOf(b); s && *s > 0)
                out.startMs = int64_t(std::llround(*s * 1000));
            break;
        case 21:   // GitRepoRecord{remote_url = 1, commit = 2}
            return forEachField(b, [&](uint32_t gf, std::string_view gb) {
                if (gf == 1)
                    set(out.gitRemote, gb);
                else if (gf == 2)
                    set(out.gitCommit, gb);
                return true;
            });
        default: break;
        }
        return true;
    });
    if (!tags.isEmpty())
        out.tags = tags;
    return ok;
}

bool decodeExit(std::string_view msg, WandbLog& out)
{
    int code = 0;
    bool notComplete = false;
    const bool ok = forEachField(msg, [&](uint32_t f, std::string_view b) {
        if (f == 1)
            code = int(int32_t(uint32_t(varintOf(b))));
        else if (f == 2)
            out.runtimeSeconds = int64_t(int32_t(uint32_t(varintOf(b))));
        else if (f == 3)
            notComplete = varintOf(b) != 0;
        return true;
    });
    // A secondary node of a shared run says it is done, not that the run is.
    if (ok && !notComplete)
        out.exitCode = code;
    return ok;
}

bool decodeRecord(std::string_view rec, WandbLog& out)
{
    ++out.records;
    return forEachField(rec, [&](uint32_t f, std::string_view b) {
        switch (f) {
        case kHistory: return decodeHistory(b, out);
        case kSummary: return decodeSummary(b, out);
        case kConfig: return decodeConfig(b, out);
        case kStats: return decodeStats(b, out);
        case kRun: return decodeRun(b, out);
        case kExit: return decodeExit(b, out);
        default: return true;   // output, files, telemetry, requests...: not a run's table or curves
        }
    });
}

} // namespace

void decodeWandbLog(QIODevice& device, WandbLog& out)
{
    ChunkedInput in(device);
    if (!in.fill(kHeaderBytes)) {
        out.truncatedTail = !in.data().empty();
        return;
    }
    const std::string_view head = in.data().substr(0, kHeaderBytes);
    if (head.substr(0, 6) != std::string_view(":W&B\xe1\xbe", 6) || head[6] != 0)
        return;
    out.header = true;
    in.consume(kHeaderBytes);
    QByteArray pending;           // a record's chunks so far
    bool inRecord = false, pendingTooLarge = false;
    auto skipRestOfBlock = [&] {
        inRecord = false;
        pending.clear();
        const int64_t left = kBlockBytes - in.offset() % kBlockBytes;
        return in.skip(uint64_t(left));
    };
    while (in.fill(1)) {
        const int64_t blockLeft = kBlockBytes - in.offset() % kBlockBytes;
        if (blockLeft < int64_t(kChunkHeaderBytes)) {   // a block's trailer, zeros
            if (!in.skip(uint64_t(blockLeft)))
                break;
            continue;
        }
        if (!in.fill(kChunkHeaderBytes)) {
            out.truncatedTail = true;
            return;
        }
        const auto* h = reinterpret_cast<const uint8_t*>(in.data().data());
        uint32_t crc;
        std::memcpy(&crc, h, 4);
        const size_t length = size_t(h[4]) | size_t(h[5]) << 8;
        const uint8_t type = h[6];
        if (crc == 0 && length == 0 && type == 0) {
            // A zeroed block (a file preallocated, or a writer that died
            // before filling it): nothing in the rest of it.
            if (!skipRestOfBlock())
                break;
            continue;
        }
        if (int64_t(kChunkHeaderBytes + length) > blockLeft || type < kFull || type > kLast) {
            ++out.badChunks;
            if (!skipRestOfBlock())
                break;
            continue;
        }
        if (!in.fill(kChunkHeaderBytes + length)) {
            out.truncatedTail = true;   // the writer was still at it, or the file was cut
            return;
        }
        // The fill may have moved the bytes.
        const auto* data = reinterpret_cast<const uint8_t*>(in.data().data()) + kChunkHeaderBytes;
        if (crc32Ieee(data, length, crc32Ieee(&type, 1)) != crc) {
            ++out.badChunks;
            if (!skipRestOfBlock())
                break;
            continue;
        }
        const std::string_view chunk(reinterpret_cast<const char*>(data), length);
        switch (type) {
        case kFull:
            if (!decodeRecord(chunk, out))
                ++out.undecodable;
            inRecord = false;
            pending.clear();
            break;
        case kFirst:
            pending = QByteArray(chunk.data(), qsizetype(chunk.size()));
            inRecord = true;
            pendingTooLarge = false;
            break;
        case kMiddle:
        case kLast:
            if (!inRecord)
                break;   // its first chunk was lost with a damaged block
            if (!pendingTooLarge && uint64_t(pending.size()) + length > kMaxRecordBytes) {
                // No run's record is this large: passed over, not held.
                pendingTooLarge = true;
                pending.clear();
            }
            if (!pendingTooLarge)
                pending.append(chunk.data(), qsizetype(chunk.size()));
            if (type == kLast) {
                if (pendingTooLarge)
                    ++out.oversized;
                else if (!decodeRecord(std::string_view(pending.constData(), size_t(pending.size())), out))
                    ++out.undecodable;
                inRecord = false;
                pending.clear();
            }
            break;
        default: break;
        }
        in.consume(kChunkHeaderBytes + length);
    }
    if (inRecord)
        out.truncatedTail = true;
}

void decodeWandbBytes(const QByteArray& bytes, WandbLog& out)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    decodeWandbLog(buffer, out);
}

} // namespace runlens
