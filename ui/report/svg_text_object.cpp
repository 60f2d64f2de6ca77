// SPDX-License-Identifier: GPL-3.0-or-later
#include "svg_text_object.h"

#include <QAbstractTextDocumentLayout>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace runlens::ui {

namespace {

constexpr int kObjectType = QTextFormat::UserObject + 1;
constexpr int kFigureProperty = QTextFormat::UserProperty + 1;

} // namespace

SvgTextObject::SvgTextObject(QObject* parent)
    : QObject(parent)
{
}

SvgTextObject::~SvgTextObject() = default;

void SvgTextObject::install(QTextDocument& document, const std::vector<QByteArray>& svgs)
{
    auto* handler = new SvgTextObject(&document);
    for (const auto& svg : svgs)
        handler->figures_.push_back(std::make_unique<QSvgRenderer>(svg));
    document.documentLayout()->registerHandler(kObjectType, handler);

    // Find the placeholders first; replacing them shifts nothing before them,
    // so replace from the end.
    struct Placeholder {
        int position, length, figure;
    };
    std::vector<Placeholder> found;
    const QString prefix = QString::fromLatin1(kImagePrefix);
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            if (!f.charFormat().isImageFormat())
                continue;
            const QString name = f.charFormat().toImageFormat().name();
            if (name.startsWith(prefix))
                found.push_back({f.position(), f.length(), name.mid(prefix.size()).toInt()});
        }
    for (auto p = found.rbegin(); p != found.rend(); ++p) {
        QTextCursor cursor(&document);
        cursor.setPosition(p->position);
        cursor.setPosition(p->position + p->length, QTextCursor::KeepAnchor);
        QTextCharFormat format;
        format.setObjectType(kObjectType);
        format.setProperty(kFigureProperty, p->figure);
        cursor.insertText(QString(QChar::ObjectReplacementCharacter), format);
    }
}

QSvgRenderer* SvgTextObject::figure(const QTextFormat& format) const
{
    const int index = format.property(kFigureProperty).toInt();
    return index >= 0 && size_t(index) < figures_.size() && figures_[size_t(index)]->isValid()
        ? figures_[size_t(index)].get()
        : nullptr;
}

QSizeF SvgTextObject::intrinsicSize(QTextDocument* document, int, const QTextFormat& format)
{
    const QSvgRenderer* svg = figure(format);
    if (!svg)
        return {};
    QSizeF size = svg->viewBoxF().size();
    // Fit the text width (the page, less its margins, when printing).
    const qreal width = (document->textWidth() > 0 ? document->textWidth() : document->pageSize().width())
        - 2 * document->documentMargin();
    if (width > 0 && size.width() > width)
        size *= width / size.width();
    return size;
}

void SvgTextObject::drawObject(QPainter* painter, const QRectF& rect, QTextDocument*, int, const QTextFormat& format)
{
    if (QSvgRenderer* svg = figure(format))
        svg->render(painter, rect);
}

} // namespace runlens::ui
