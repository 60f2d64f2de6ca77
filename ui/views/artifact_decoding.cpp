// SPDX-License-Identifier: GPL-3.0-or-later
#include "artifact_decoding.h"

#include "artifact_files.h"
#include "runlens/media.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QImageReader>
#include <QPainter>
#include <QSvgRenderer>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace runlens::ui {

QByteArray sanitizeSvg(const QByteArray& svg)
{
    QByteArray out;
    QXmlStreamReader in(svg);
    QXmlStreamWriter writer(&out);
    int skipping = 0; // depth inside a left-out element
    // Links inside the picture, and raster pictures inlined as data: URIs;
    // not a nested SVG (data:image/svg+xml), whose own links would be drawn.
    const auto local = [](QStringView href) {
        if (href.startsWith(u'#'))
            return true;
        for (const auto raster : {u"data:image/png", u"data:image/jpeg", u"data:image/gif", u"data:image/webp", u"data:image/bmp"})
            if (href.startsWith(raster, Qt::CaseInsensitive))
                return true;
        return false;
    };
    while (!in.atEnd()) {
        in.readNext();
        if (skipping > 0) {
            if (in.isStartElement())
                ++skipping;
            else if (in.isEndElement())
                --skipping;
            continue;
        }
        if (in.isStartElement()) {
            const auto name = in.name();
            if (name == u"script" || name == u"foreignObject") {
                skipping = 1;
                continue;
            }
            writer.writeStartElement(in.namespaceUri().toString(), name.toString());
            for (const auto& ns : in.namespaceDeclarations())
                writer.writeNamespace(ns.namespaceUri().toString(), ns.prefix().toString());
            for (const auto& a : in.attributes()) {
                if (a.name() == u"href" && !local(a.value()))
                    continue;
                if (a.name().startsWith(u"on"))
                    continue; // onload=, onclick=
                writer.writeAttribute(a.namespaceUri().toString(), a.name().toString(), a.value().toString());
            }
        } else if (in.isEndElement()) {
            writer.writeEndElement();
        } else if (in.isCharacters()) {
            writer.writeCharacters(in.text().toString());
        }
    }
    return in.hasError() ? QByteArray() : out;
}

QImage decodeImage(const QByteArray& bytes, const QString& format, QString* error)
{
    // Qt refuses to allocate more than this for one image (MB): a
    // decompression bomb stops here even when its header lied.
    static const bool limited = [] {
        QImageReader::setAllocationLimit(512);
        return true;
    }();
    (void)limited;
    if (format == QStringLiteral("svg")) {
        const QByteArray safe = sanitizeSvg(bytes);
        QSvgRenderer svg(safe);
        if (!svg.isValid()) {
            *error = QStringLiteral("not an SVG Qt can draw");
            return {};
        }
        QSize size = svg.defaultSize();
        if (size.isEmpty())
            size = QSize(512, 512);
        size.scale(size.boundedTo(QSize(2048, 2048)), Qt::KeepAspectRatio);
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        svg.render(&painter);
        return image;
    }
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > kMaxImageSide || size.height() > kMaxImageSide)) {
        *error = QStringLiteral("the image says it is %1 × %2 pixels; above %3 a side, it is not decoded")
                     .arg(size.width())
                     .arg(size.height())
                     .arg(kMaxImageSide);
        return {};
    }
    QImage image = reader.read();
    if (image.isNull())
        *error = QStringLiteral("the image cannot be decoded: %1").arg(reader.errorString());
    return image;
}

DecodedArtifact decodeArtifact(StoreReader& reader, const QString& root, const ArtifactItem& item, int64_t limit)
{
    DecodedArtifact out;
    out.sha256 = item.sha256;
    if (item.kind == ArtifactKind::Model) {
        // The MLmodel file, for its flavors; the folder's identity is its files'.
        auto bytes = reader.loadArtifactBytes(root, item, limit);
        if (bytes)
            out.bytes = *bytes;
        else
            out.error = bytes.error();
        return out;
    }
    if (item.size > limit) {
        out.tooLarge = true;
        out.error = tooLargeToShow(item.path, item.size, limit);
        return out;
    }
    auto bytes = reader.loadArtifactBytes(root, item, limit);
    if (!bytes) {
        out.error = bytes.error();
        out.tooLarge = isTooLargeToShow(bytes.error());
        return out;
    }
    out.bytes = std::move(*bytes);
    if (out.sha256.isEmpty())
        out.sha256 = QString::fromLatin1(QCryptographicHash::hash(out.bytes, QCryptographicHash::Sha256).toHex());
    if (item.kind == ArtifactKind::Image)
        out.image = decodeImage(out.bytes, item.format, &out.error);
    return out;
}

} // namespace runlens::ui
