// SPDX-License-Identifier: GPL-3.0-or-later
// Opaque one-pixel lines written straight into a 32-bit image. QPainter's
// raster engine spends most of a parallel-coordinates frame on per-line pen
// setup, clipping and span generation; 10,000 runs x 19 segments did not fit
// a 30 ms frame through it. No antialiasing and no blending: for thousands
// of overlapping lines, where neither would show.
//
// Threading: one rasterizer per image; separate images may be drawn on
// separate threads.
#pragma once

#include <QImage>
#include <QPointF>

#include <span>

namespace runlens::ui {

class LineRasterizer {
public:
    // `image` must be Format_ARGB32_Premultiplied or Format_RGB32; points are
    // in its pixels (multiply logical coordinates by its device pixel ratio).
    explicit LineRasterizer(QImage& image);

    void drawLine(QPointF from, QPointF to, QRgb colour);
    void drawPolyline(std::span<const QPointF> points, QRgb colour);

private:
    QRgb* pixels_;
    qsizetype stride_; // in pixels
    int width_, height_;
};

} // namespace runlens::ui
