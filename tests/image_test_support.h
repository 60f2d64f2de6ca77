// SPDX-License-Identifier: GPL-3.0-or-later
// What the media tests share (they link Qt Gui; test_support.h stays Qt Core).
#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QImage>

#include <cstdint>
#include <span>

namespace runlens::test {

inline QByteArray pngBytes(const QImage& image)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return out;
}

inline std::span<const uint8_t> bytesOf(const QByteArray& b)
{
    return {reinterpret_cast<const uint8_t*>(b.constData()), size_t(b.size())};
}

} // namespace runlens::test
