// SPDX-License-Identifier: GPL-3.0-or-later
#include "image_pane.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>

namespace runlens::ui {

void ImageViewState::setFit()
{
    fit_ = true;
    center_ = {0.5, 0.5};
    emit changed();
}

void ImageViewState::setZoom(double zoom, QPointF center)
{
    fit_ = false;
    zoom_ = std::clamp(zoom, 0.05, 64.0);
    center_ = center;
    emit changed();
}

void ImageViewState::setCenter(QPointF center)
{
    center_ = {std::clamp(center.x(), 0.0, 1.0), std::clamp(center.y(), 0.0, 1.0)};
    emit changed();
}

ImagePane::ImagePane(ImageViewState* state, QWidget* parent)
    : QWidget(parent)
    , state_(state)
{
    setMinimumSize(120, 90);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    connect(state_, &ImageViewState::changed, this, qOverload<>(&QWidget::update));
    setToolTip(tr("Wheel: zoom all images · drag: pan all images"));
}

void ImagePane::setImage(QImage image)
{
    image_ = std::move(image);
    update();
}

double ImagePane::scale() const
{
    if (image_.isNull())
        return 1.0;
    if (state_->fit())
        return std::min(double(width()) / image_.width(), double(height()) / image_.height());
    return state_->zoom();
}

QRectF ImagePane::imageRect() const
{
    if (image_.isNull())
        return {};
    const double s = scale();
    const QSizeF size(image_.width() * s, image_.height() * s);
    const QPointF topLeft(width() / 2.0 - state_->center().x() * size.width(),
        height() / 2.0 - state_->center().y() * size.height());
    return {topLeft, size};
}

void ImagePane::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    // A checkerboard shows where an image is transparent.
    const int cell = 8;
    for (int y = 0; y < height(); y += cell)
        for (int x = 0; x < width(); x += cell)
            p.fillRect(x, y, cell, cell, ((x + y) / cell) % 2 ? QColor(236, 236, 236) : QColor(250, 250, 250));
    if (image_.isNull())
        return;
    // Enlarged, pixels stay pixels (a 28 x 28 digit is read by its pixels);
    // reduced, smooth, so a large picture does not alias.
    p.setRenderHint(QPainter::SmoothPixmapTransform, scale() < 1.0);
    p.drawImage(imageRect(), image_);
}

void ImagePane::wheelEvent(QWheelEvent* event)
{
    if (image_.isNull())
        return;
    const double factor = event->angleDelta().y() > 0 ? 1.25 : 0.8;
    // Zoom about the point under the mouse, so it stays under it.
    const QRectF r = imageRect();
    const QPointF at((event->position().x() - r.left()) / r.width(), (event->position().y() - r.top()) / r.height());
    const double newScale = scale() * factor;
    const QPointF c = state_->center();
    const double k = 1.0 / factor;
    const QPointF newCenter(at.x() + (c.x() - at.x()) * k, at.y() + (c.y() - at.y()) * k);
    state_->setZoom(newScale, newCenter);
    event->accept();
}

void ImagePane::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || image_.isNull())
        return;
    if (state_->fit())
        state_->setZoom(scale(), state_->center());
    dragging_ = true;
    dragFrom_ = event->position();
    centerAtDrag_ = state_->center();
    setCursor(Qt::ClosedHandCursor);
}

void ImagePane::mouseMoveEvent(QMouseEvent* event)
{
    if (!dragging_)
        return;
    const QRectF r = imageRect();
    const QPointF delta = event->position() - dragFrom_;
    state_->setCenter({centerAtDrag_.x() - delta.x() / r.width(), centerAtDrag_.y() - delta.y() / r.height()});
}

void ImagePane::mouseReleaseEvent(QMouseEvent*)
{
    dragging_ = false;
    unsetCursor();
}

} // namespace runlens::ui
