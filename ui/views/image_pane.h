// SPDX-License-Identifier: GPL-3.0-or-later
// An image of one run in the Artifacts tab's grid. Panes that show the same
// artifact share one ImageViewState, so zooming or panning one moves them
// all: the same region of every run's picture stays side by side.
//
// Threading: GUI thread only.
#pragma once

#include <QImage>
#include <QObject>
#include <QPointF>
#include <QWidget>

namespace runlens::ui {

class ImageViewState : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    bool fit() const { return fit_; }
    double zoom() const { return zoom_; } // screen pixels an image pixel, when not fitting
    QPointF center() const { return center_; } // the image point at the pane's centre, in [0, 1]²
    void setFit();
    void setZoom(double zoom, QPointF center);
    void setCenter(QPointF center);

signals:
    void changed();

private:
    bool fit_ = true;
    double zoom_ = 1.0;
    QPointF center_{0.5, 0.5};
};

class ImagePane : public QWidget {
    Q_OBJECT

public:
    explicit ImagePane(ImageViewState* state, QWidget* parent = nullptr);
    void setImage(QImage image);
    const QImage& image() const { return image_; }
    // Where the image is drawn in the pane, for tests and hit-testing.
    QRectF imageRect() const;
    QSize sizeHint() const override { return {320, 240}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    double scale() const;

    ImageViewState* state_;
    QImage image_;
    QPointF dragFrom_;
    QPointF centerAtDrag_;
    bool dragging_ = false;
};

} // namespace runlens::ui
