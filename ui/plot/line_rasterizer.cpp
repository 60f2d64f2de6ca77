// SPDX-License-Identifier: GPL-3.0-or-later
#include "line_rasterizer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <utility>

namespace runlens::ui {

LineRasterizer::LineRasterizer(QImage& image)
    : pixels_(reinterpret_cast<QRgb*>(image.bits()))
    , stride_(image.bytesPerLine() / qsizetype(sizeof(QRgb)))
    , width_(image.width())
    , height_(image.height())
{
    Q_ASSERT(image.format() == QImage::Format_ARGB32_Premultiplied || image.format() == QImage::Format_RGB32);
}

void LineRasterizer::drawLine(QPointF from, QPointF to, QRgb colour)
{
    // A DDA along the longer axis in 16.16 fixed point: one store and two
    // adds a pixel. Parallel-coordinate lines are mostly steep (an axis
    // spacing across, the plot's height up or down), so the y-major loop is
    // the hot one; it walks rows, which is as cache-friendly as a line gets.
    if (!std::isfinite(from.x()) || !std::isfinite(from.y()) || !std::isfinite(to.x()) || !std::isfinite(to.y()))
        return;
    constexpr double kFar = 1 << 14; // beyond any image; keeps 16.16 fixed point in range
    const int x0 = int(std::lround(std::clamp(from.x(), -kFar, kFar))),
              y0 = int(std::lround(std::clamp(from.y(), -kFar, kFar)));
    const int x1 = int(std::lround(std::clamp(to.x(), -kFar, kFar))),
              y1 = int(std::lround(std::clamp(to.y(), -kFar, kFar)));
    if (std::max(x0, x1) < 0 || std::min(x0, x1) >= width_ || std::max(y0, y1) < 0 || std::min(y0, y1) >= height_)
        return; // wholly outside
    const bool inside
        = std::min(x0, x1) >= 0 && std::max(x0, x1) < width_ && std::min(y0, y1) >= 0 && std::max(y0, y1) < height_;
    auto plot = [&](int x, int y) {
        if (inside || (unsigned(x) < unsigned(width_) && unsigned(y) < unsigned(height_)))
            pixels_[qsizetype(y) * stride_ + x] = colour;
    };
    const int dx = x1 - x0, dy = y1 - y0;
    if (std::abs(dx) >= std::abs(dy)) {
        if (dx == 0) {
            plot(x0, y0);
            return;
        }
        const int step = dx > 0 ? 1 : -1;
        const int64_t slope = (int64_t(dy) << 16) / std::abs(dx);
        int64_t y = (int64_t(y0) << 16) + (1 << 15);
        for (int x = x0;; x += step, y += slope) {
            plot(x, int(y >> 16));
            if (x == x1)
                break;
        }
    } else {
        // Only the rows inside the image are walked: a curve's points far
        // above or below the plot are brought to a few heights out, and
        // their segments would otherwise spend most steps off the image.
        const int step = dy > 0 ? 1 : -1;
        const int64_t slope = (int64_t(dx) << 16) / std::abs(dy);
        const int first = step > 0 ? std::max(0, -y0) : std::max(0, y0 - (height_ - 1));
        const int last = step > 0 ? std::min(dy, height_ - 1 - y0) : std::min(-dy, y0);
        if (first > last)
            return;
        int64_t x = (int64_t(x0) << 16) + (1 << 15) + slope * first;
        const int xFirst = int(x >> 16), xLast = int((x + slope * (last - first)) >> 16);
        QRgb* row = pixels_ + qsizetype(y0 + step * first) * stride_;
        const qsizetype rowStep = step * stride_;
        if (std::min(xFirst, xLast) >= 0 && std::max(xFirst, xLast) < width_) {
            for (int n = last - first; n >= 0; --n, row += rowStep, x += slope)
                row[x >> 16] = colour;
        } else {
            for (int n = last - first; n >= 0; --n, row += rowStep, x += slope)
                if (unsigned(x >> 16) < unsigned(width_))
                    row[x >> 16] = colour;
        }
    }
}

void LineRasterizer::drawPolyline(std::span<const QPointF> points, QRgb colour)
{
    for (size_t i = 1; i < points.size(); ++i)
        drawLine(points[i - 1], points[i], colour);
}

} // namespace runlens::ui
