// SPDX-License-Identifier: GPL-3.0-or-later
// Figures inside a QTextDocument as vectors: QTextDocument's HTML has no
// inline SVG, so the report's document marks each figure as an image named
// `runlens-figure:N` and this handler swaps those for objects that draw the
// figure's SVG with QSvgRenderer. Printed into a QPdfWriter they stay
// vectors; in the preview they draw on screen. Figures wider than the page
// are scaled down to fit it.
#pragma once

#include <QObject>
#include <QSizeF>
#include <QTextObjectInterface>

#include <memory>
#include <vector>

class QSvgRenderer;
class QTextDocument;

namespace runlens::ui {

class SvgTextObject : public QObject, public QTextObjectInterface {
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)

public:
    static constexpr auto kImagePrefix = "runlens-figure:";

    // Registers a handler owned by `document` and replaces every image named
    // kImagePrefix + N with figure N.
    static void install(QTextDocument& document, const std::vector<QByteArray>& svgs);

    QSizeF intrinsicSize(QTextDocument* document, int position, const QTextFormat& format) override;
    void drawObject(QPainter* painter, const QRectF& rect, QTextDocument* document, int position,
        const QTextFormat& format) override;

private:
    explicit SvgTextObject(QObject* parent);
    ~SvgTextObject() override;
    QSvgRenderer* figure(const QTextFormat& format) const;

    std::vector<std::unique_ptr<QSvgRenderer>> figures_;
};

} // namespace runlens::ui
