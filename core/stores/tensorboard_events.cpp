// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorboard_events.h"

#include "chunked_input.h"
#include "protobuf_wire.h"
#include "utf8.h"

#include <QBuffer>

#include "runlens/media.h"

#include <array>
#include <charconv>
#include <span>
#include <cstring>
#include <optional>
#include <string_view>

namespace runlens {

namespace {

// CRC32C (Castagnoli), reflected polynomial 0x82F63B78. Debian has no
// maintained C library for it; the table is the whole algorithm.
double asDouble(uint64_t bits)
{
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

float asFloat(uint32_t bits)
{
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}


// TensorProto -> the first element as a double (a scalar is rank 0).
std::optional<double> tensorScalar(std::string_view msg)
{
    Wire w(msg);
    uint32_t f, t;
    uint64_t dtype = 0;
    std::string_view content;
    std::optional<double> packed;
    while (w.next(f, t)) {
        if (f == 1 && t == 0) {
            if (!w.varint(dtype))
                return std::nullopt;
        } else if (f == 4 && t == 2) {
            if (!w.bytes(content))
                return std::nullopt;
        } else if ((f == 5 || f == 6 || f == 7 || f == 10) && !packed) {
            // float_val / double_val / int_val / int64_val, packed or not.
            if (t == 2) {
                std::string_view s;
                if (!w.bytes(s) || s.empty())
                    continue;
                Wire inner(s);
                if (f == 5) {
                    uint32_t v;
                    if (inner.fixed32(v))
                        packed = asFloat(v);
                } else if (f == 6) {
                    uint64_t v;
                    if (inner.fixed64(v))
                        packed = asDouble(v);
                } else {
                    uint64_t v;
                    if (inner.varint(v))
                        packed = f == 7 ? double(int32_t(uint32_t(v))) : double(int64_t(v));
                }
            } else if (t == 5 && f == 5) {
                uint32_t v;
                if (w.fixed32(v))
                    packed = asFloat(v);
            } else if (t == 1 && f == 6) {
                uint64_t v;
                if (w.fixed64(v))
                    packed = asDouble(v);
            } else if (t == 0) {
                uint64_t v;
                if (w.varint(v))
                    packed = f == 7 ? double(int32_t(uint32_t(v))) : double(int64_t(v));
            } else if (!w.skip(t)) {
                return std::nullopt;
            }
        } else if (!w.skip(t)) {
            return std::nullopt;
        }
    }
    if (!w.ok())
        return std::nullopt;
    if (packed)
        return packed;
    // tensor_content: raw little-endian values of dtype.
    switch (dtype) {
    case 1:   // DT_FLOAT
        if (content.size() >= 4) {
            uint32_t v;
            std::memcpy(&v, content.data(), 4);
            return asFloat(v);
        }
        break;
    case 2:   // DT_DOUBLE
        if (content.size() >= 8) {
            uint64_t v;
            std::memcpy(&v, content.data(), 8);
            return asDouble(v);
        }
        break;
    case 3: {   // DT_INT32
        if (content.size() >= 4) {
            int32_t v;
            std::memcpy(&v, content.data(), 4);
            return double(v);
        }
        break;
    }
    case 9: {   // DT_INT64
        if (content.size() >= 8) {
            int64_t v;
            std::memcpy(&v, content.data(), 8);
            return double(v);
        }
        break;
    }
    default: break;
    }
    return std::nullopt;
}

// SummaryMetadata -> (plugin name, content).
// TensorProto.string_val (field 8): the strings of a string tensor, in order.
std::vector<std::string_view> tensorStrings(std::string_view msg)
{
    std::vector<std::string_view> out;
    Wire w(msg);
    uint32_t f, t;
    while (w.next(f, t)) {
        std::string_view s;
        if (f == 8 && t == 2) {
            if (!w.bytes(s))
                break;
            out.push_back(s);
        } else if (!w.skip(t)) {
            break;
        }
    }
    return out;
}

// TF1's Summary.Image: height(1), width(2), colorspace(3), encoded_image_string(4).
struct Tf1Image {
    int width = 0, height = 0;
    std::string_view encoded;
};

std::optional<Tf1Image> tf1Image(std::string_view msg)
{
    Tf1Image image;
    Wire w(msg);
    uint32_t f, t;
    while (w.next(f, t)) {
        uint64_t u;
        if ((f == 1 || f == 2) && t == 0 && w.varint(u))
            (f == 1 ? image.height : image.width) = int(std::min<uint64_t>(u, INT32_MAX));
        else if (f == 4 && t == 2 && w.bytes(image.encoded))
            continue;
        else if (!w.skip(t))
            return std::nullopt;
    }
    return image;
}

int sizeText(std::string_view s)
{
    int v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    (void)p;
    return ec == std::errc() && v > 0 ? v : 0;
}

std::pair<QString, std::string_view> pluginOf(std::string_view msg)
{
    Wire w(msg);
    uint32_t f, t;
    QString name;
    std::string_view content;
    while (w.next(f, t)) {
        if (f == 1 && t == 2) {
            std::string_view pd;
            if (!w.bytes(pd))
                break;
            Wire p(pd);
            uint32_t pf, pt;
            while (p.next(pf, pt)) {
                std::string_view s;
                if ((pf == 1 || pf == 2) && pt == 2 && p.bytes(s)) {
                    if (pf == 1)
                        name = fromUtf8(s);
                    else
                        content = s;
                } else if (!p.skip(pt)) {
                    break;
                }
            }
        } else if (!w.skip(t)) {
            break;
        }
    }
    return {name, content};
}

// HParamsPluginData.session_start_info(3).hparams(1): map<string, Value>.
void readHparams(std::string_view content, QHash<QString, QVariant>& out)
{
    Wire w(content);
    uint32_t f, t;
    while (w.next(f, t)) {
        std::string_view ssi;
        if (f != 3 || t != 2) {
            if (!w.skip(t))
                return;
            continue;
        }
        if (!w.bytes(ssi))
            return;
        Wire s(ssi);
        uint32_t sf, st;
        while (s.next(sf, st)) {
            std::string_view entry;
            if (sf != 1 || st != 2) {
                if (!s.skip(st))
                    return;
                continue;
            }
            if (!s.bytes(entry))
                return;
            Wire e(entry);
            uint32_t ef, et;
            QString key;
            QVariant value;
            while (e.next(ef, et)) {
                std::string_view b;
                if (ef == 1 && et == 2 && e.bytes(b)) {
                    key = fromUtf8(b);
                } else if (ef == 2 && et == 2 && e.bytes(b)) {
                    // google.protobuf.Value: number 2, string 3, bool 4.
                    Wire v(b);
                    uint32_t vf, vt;
                    while (v.next(vf, vt)) {
                        uint64_t u;
                        std::string_view sv;
                        if (vf == 2 && vt == 1 && v.fixed64(u))
                            value = asDouble(u);
                        else if (vf == 3 && vt == 2 && v.bytes(sv))
                            value = fromUtf8(sv);
                        else if (vf == 4 && vt == 0 && v.varint(u))
                            value = u != 0;
                        else if (!v.skip(vt))
                            break;
                    }
                } else if (!e.skip(et)) {
                    break;
                }
            }
            if (!key.isEmpty() && value.isValid())
                out.insert(key, value);
        }
    }
}

void addScalar(DecodedEvents& out, const QString& tag, int64_t step, double wall, double value)
{
    MetricSeries& s = out.series[tag];
    if (int64_t(s.size()) >= kMaxPointsPerSeries) {
        ++out.leftOut[tag];
        return;
    }
    s.steps.push_back(step);
    s.wallTimes.push_back(wall);
    s.values.push_back(value);
}

// Summary.Value: tag(1), simple_value(2), image(4), tensor(8), metadata(9).
struct SummaryValue {
    QString tag;
    std::optional<float> simple;
    std::string_view image, tensor, metadata;
    bool hasMetadata = false;
};

// Calls `value` with each Summary.Value (field 1) of the Summary `summary`;
// false when the message is malformed.
template <class F> bool forEachSummaryValue(std::string_view summary, F&& value)
{
    Wire sw(summary);
    uint32_t sf, st;
    while (sw.next(sf, st)) {
        std::string_view bytes;
        if (sf != 1 || st != 2) {
            if (!sw.skip(st))
                return false;
            continue;
        }
        if (!sw.bytes(bytes))
            return false;
        Wire vw(bytes);
        uint32_t vf, vt;
        SummaryValue v;
        while (vw.next(vf, vt)) {
            std::string_view b;
            uint32_t u32;
            if (vf == 1 && vt == 2 && vw.bytes(b))
                v.tag = fromUtf8(b);
            else if (vf == 2 && vt == 5 && vw.fixed32(u32))
                v.simple = asFloat(u32);
            else if (vf == 9 && vt == 2 && vw.bytes(b)) {
                v.metadata = b;
                v.hasMetadata = true;
            } else if (vf == 8 && vt == 2 && vw.bytes(b))
                v.tensor = b;
            else if (vf == 4 && vt == 2 && vw.bytes(b))
                v.image = b;
            else if (!vw.skip(vt))
                return false;
        }
        value(v);
    }
    return sw.ok();
}

// Lists the pictures or text of one summary value (TF1 image, or a tensor
// of the images or text plugin); the bytes are left where they are.
void addImages(DecodedEvents& out, const QString& tag, int64_t step, double wall, std::string_view tf1,
               std::string_view tensor, int64_t offset)
{
    EventMedia m;
    m.tag = tag;
    m.step = step;
    m.wallTime = wall;
    m.offset = offset;
    if (!tf1.empty()) {
        const auto image = tf1Image(tf1);
        if (!image || image->encoded.empty())
            return;
        const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(image->encoded.data()), image->encoded.size());
        m.format = QString::fromLatin1(imageFormatOf(bytes));
        m.width = image->width;
        m.height = image->height;
        m.size = int64_t(image->encoded.size());
        out.media.push_back(m);
        return;
    }
    const QString plugin = out.tensorPlugins.value(tag);
    const auto strings = tensorStrings(tensor);
    if (plugin == QLatin1String("images") && strings.size() >= 3) {
        m.width = sizeText(strings[0]);
        m.height = sizeText(strings[1]);
        for (size_t i = 2; i < strings.size(); ++i) {
            const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(strings[i].data()), strings[i].size());
            m.format = QString::fromLatin1(imageFormatOf(bytes));
            m.part = int(i - 2);
            m.size = int64_t(strings[i].size());
            out.media.push_back(m);
        }
    } else if (plugin == QLatin1String("text") && !strings.empty()) {
        m.image = false;
        m.format = QStringLiteral("md");
        m.size = int64_t(strings[0].size());
        out.media.push_back(m);
    }
}

bool decodeEvent(std::string_view rec, DecodedEvents& out, QHash<QString, bool>& tensorTagIsScalar, int64_t offset)
{
    Wire w(rec);
    uint32_t f, t;
    double wall = 0;
    int64_t step = 0;
    std::vector<std::string_view> summaries;
    while (w.next(f, t)) {
        uint64_t u;
        if (f == 1 && t == 1) {
            if (!w.fixed64(u))
                return false;
            wall = asDouble(u);
        } else if (f == 2 && t == 0) {
            if (!w.varint(u))
                return false;
            step = int64_t(u);
        } else if (f == 5 && t == 2) {
            std::string_view s;
            if (!w.bytes(s))
                return false;
            summaries.push_back(s);
        } else if (!w.skip(t)) {
            return false;
        }
    }
    if (!w.ok())
        return false;
    if (wall > 0) {
        if (out.firstWallTime == 0)
            out.firstWallTime = wall;
        out.lastWallTime = std::max(out.lastWallTime, wall);
    }
    for (const auto& summary : summaries) {
        const bool ok = forEachSummaryValue(summary, [&](const SummaryValue& v) {
            const QString& tag = v.tag;
            const std::optional<double> simple = v.simple;
            const std::optional<double> tensor = v.tensor.empty() ? std::nullopt : tensorScalar(v.tensor);
            if (v.hasMetadata) {
                const auto [plugin, content] = pluginOf(v.metadata);
                if (plugin == QLatin1String("hparams"))
                    readHparams(content, out.hparams);
                tensorTagIsScalar.insert(tag, plugin == QLatin1String("scalars"));
                out.tensorPlugins.insert(tag, plugin);
            }
            if (simple)
                addScalar(out, tag, step, wall, *simple);
            else if (tensor && tensorTagIsScalar.value(tag, false))
                addScalar(out, tag, step, wall, *tensor);
            else if (!v.image.empty())
                addImages(out, tag, step, wall, v.image, {}, offset);
            else if (!v.tensor.empty())
                addImages(out, tag, step, wall, {}, v.tensor, offset);
        });
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

uint32_t maskedCrc32c(const uint8_t* data, size_t size)
{
    const uint32_t c = crc32c(data, size);
    return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

QByteArray frameRecord(const QByteArray& data)
{
    QByteArray r;
    const uint64_t len = uint64_t(data.size());
    r.append(reinterpret_cast<const char*>(&len), 8);
    uint32_t c = maskedCrc32c(reinterpret_cast<const uint8_t*>(&len), 8);
    r.append(reinterpret_cast<const char*>(&c), 4);
    r.append(data);
    c = maskedCrc32c(reinterpret_cast<const uint8_t*>(data.constData()), size_t(data.size()));
    r.append(reinterpret_cast<const char*>(&c), 4);
    return r;
}

QByteArray scalarEventRecord(const QByteArray& tag, int64_t step, double wallTime, float value)
{
    QByteArray v;
    v.append(char(0x0a)).append(char(tag.size())).append(tag);
    v.append(char(0x15)).append(reinterpret_cast<const char*>(&value), 4);
    QByteArray summary;
    summary.append(char(0x0a)).append(char(v.size())).append(v);
    QByteArray ev;
    ev.append(char(0x09)).append(reinterpret_cast<const char*>(&wallTime), 8);
    ev.append(char(0x10));
    for (uint64_t s = uint64_t(step);; s >>= 7) {
        if (s < 0x80) {
            ev.append(char(s));
            break;
        }
        ev.append(char((s & 0x7f) | 0x80));
    }
    ev.append(char(0x2a)).append(char(summary.size())).append(summary);
    return frameRecord(ev);
}

void decodeEvents(QIODevice& device, DecodedEvents& out, QHash<QString, bool>& tensorTagIsScalar)
{
    ChunkedInput in(device);
    bool first = true;
    int64_t offset = device.pos(); // the frame being read
    while (in.fill(1)) {
        if (!in.fill(12)) {
            out.truncatedTail = true;
            return;
        }
        const auto* head = reinterpret_cast<const uint8_t*>(in.data().data());
        uint64_t len;
        uint32_t lenCrc;
        std::memcpy(&len, head, 8);
        std::memcpy(&lenCrc, head + 8, 4);
        if (maskedCrc32c(head, 8) != lenCrc) {
            // A broken length leaves nothing to resynchronise on: stop here.
            // At the very start the file is not an event file at all.
            ++(first ? out.undecodable : out.badCrc);
            return;
        }
        first = false;
        if (len > kMaxRecordBytes) {
            // No scalar is this large: passed over, not held (nor checked).
            in.consume(12);
            if (!in.skip(len + 4)) {
                out.truncatedTail = true;
                return;
            }
            offset += 12 + int64_t(len) + 4;
            ++out.records;
            ++out.oversized;
            continue;
        }
        if (!in.fill(12 + size_t(len) + 4)) {
            out.truncatedTail = true;   // the writer was still at it
            return;
        }
        const auto* data = reinterpret_cast<const uint8_t*>(in.data().data()) + 12;
        uint32_t dataCrc;
        std::memcpy(&dataCrc, data + len, 4);
        ++out.records;
        if (maskedCrc32c(data, size_t(len)) != dataCrc)
            ++out.badCrc;
        else if (!decodeEvent(std::string_view(reinterpret_cast<const char*>(data), size_t(len)), out, tensorTagIsScalar, offset))
            ++out.undecodable;
        in.consume(12 + size_t(len) + 4);
        offset += 12 + int64_t(len) + 4;
    }
}

void decodeEventFile(const QByteArray& bytes, DecodedEvents& out, QHash<QString, bool>& tensorTagIsScalar)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    decodeEvents(buffer, out, tensorTagIsScalar);
}

std::optional<QByteArray> mediaInRecord(QIODevice& in, const EventMedia& media)
{
    if (!in.seek(media.offset))
        return std::nullopt;
    const QByteArray head = in.read(12);
    if (head.size() != 12)
        return std::nullopt;
    uint64_t len;
    uint32_t lenCrc;
    std::memcpy(&len, head.constData(), 8);
    std::memcpy(&lenCrc, head.constData() + 8, 4);
    if (maskedCrc32c(reinterpret_cast<const uint8_t*>(head.constData()), 8) != lenCrc || len > kMaxRecordBytes)
        return std::nullopt;
    const QByteArray body = in.read(qint64(len) + 4);
    if (body.size() != qsizetype(len) + 4)
        return std::nullopt;
    uint32_t dataCrc;
    std::memcpy(&dataCrc, body.constData() + len, 4);
    if (maskedCrc32c(reinterpret_cast<const uint8_t*>(body.constData()), size_t(len)) != dataCrc)
        return std::nullopt;
    Wire w(std::string_view(body.constData(), size_t(len)));
    uint32_t f, t;
    while (w.next(f, t)) {
        std::string_view summary;
        if (f != 5 || t != 2) {
            if (!w.skip(t))
                return std::nullopt;
            continue;
        }
        if (!w.bytes(summary))
            return std::nullopt;
        std::optional<QByteArray> found;
        forEachSummaryValue(summary, [&](const SummaryValue& v) {
            if (found || v.tag != media.tag)
                return;
            if (!v.image.empty()) {
                if (const auto decoded = tf1Image(v.image))
                    found = QByteArray(decoded->encoded.data(), qsizetype(decoded->encoded.size()));
                return;
            }
            const auto strings = tensorStrings(v.tensor);
            const size_t index = media.image ? size_t(2 + media.part) : 0;
            if (index < strings.size())
                found = QByteArray(strings[index].data(), qsizetype(strings[index].size()));
        });
        if (found)
            return found;
    }
    return std::nullopt;
}

namespace {

// Protobuf writing for the test records: a key, a varint, bytes.
void putVarint(QByteArray& out, uint64_t v)
{
    for (;; v >>= 7) {
        if (v < 0x80) {
            out.append(char(v));
            return;
        }
        out.append(char((v & 0x7f) | 0x80));
    }
}

void putBytes(QByteArray& out, uint32_t field, const QByteArray& bytes)
{
    putVarint(out, (uint64_t(field) << 3) | 2);
    putVarint(out, uint64_t(bytes.size()));
    out.append(bytes);
}

QByteArray eventWith(const QByteArray& value, int64_t step, double wallTime)
{
    QByteArray summary;
    putBytes(summary, 1, value);
    QByteArray ev;
    ev.append(char(0x09)).append(reinterpret_cast<const char*>(&wallTime), 8);
    putVarint(ev, uint64_t(2) << 3);
    putVarint(ev, uint64_t(step));
    putBytes(ev, 5, summary);
    return frameRecord(ev);
}

QByteArray pluginValue(const QByteArray& tag, const char* plugin, const QList<QByteArray>& strings)
{
    QByteArray pluginData;
    putBytes(pluginData, 1, QByteArray(plugin));
    QByteArray metadata;
    putBytes(metadata, 1, pluginData);
    QByteArray tensor;
    putVarint(tensor, uint64_t(1) << 3); // dtype: DT_STRING (7)
    putVarint(tensor, 7);
    for (const auto& s : strings)
        putBytes(tensor, 8, s);
    QByteArray value;
    putBytes(value, 1, tag);
    putBytes(value, 8, tensor);
    putBytes(value, 9, metadata);
    return value;
}

} // namespace

QByteArray imageEventRecord(const QByteArray& tag, int64_t step, double wallTime, int width, int height,
                            const QList<QByteArray>& pictures)
{
    QList<QByteArray> strings{QByteArray::number(width), QByteArray::number(height)};
    strings += pictures;
    return eventWith(pluginValue(tag, "images", strings), step, wallTime);
}

QByteArray textEventRecord(const QByteArray& tag, int64_t step, double wallTime, const QByteArray& text)
{
    return eventWith(pluginValue(tag, "text", {text}), step, wallTime);
}

QByteArray tf1ImageEventRecord(const QByteArray& tag, int64_t step, double wallTime, int width, int height,
                               const QByteArray& encoded)
{
    QByteArray image;
    putVarint(image, uint64_t(1) << 3);
    putVarint(image, uint64_t(height));
    putVarint(image, uint64_t(2) << 3);
    putVarint(image, uint64_t(width));
    putVarint(image, uint64_t(3) << 3);
    putVarint(image, 3); // RGB
    putBytes(image, 4, encoded);
    QByteArray value;
    putBytes(value, 1, tag);
    putBytes(value, 4, image);
    return eventWith(value, step, wallTime);
}

} // namespace runlens
