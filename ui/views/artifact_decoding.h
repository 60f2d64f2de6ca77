// SPDX-License-Identifier: GPL-3.0-or-later
// One artifact of one run, read and made ready to show, off the GUI thread:
// its bytes (up to a limit the user may lift), an image decoded within
// bounds (its header's size checked before any pixel is, Qt's allocation
// limit set; an SVG drawn by Qt SVG once stripped of scripts and of links
// that reach outside it: sanitizeSvg), and the sha256 that tells identical files apart.
//
// Threading: decodeArtifact runs on any thread; the result is a value.
#pragma once

#include "artifact_item.h"
#include "store_reader.h"

#include <QByteArray>
#include <QImage>
#include <QString>

namespace runlens::ui {

struct DecodedArtifact {
    QByteArray bytes;
    QImage image; // images only
    QString sha256; // the item's, else computed from what was read
    QString error; // why there is nothing to show
    bool tooLarge = false; // above the limit: the user may ask for it anyway
};

// Shown without asking: larger items wait for a click.
inline constexpr int64_t kArtifactShowLimit = int64_t(64) << 20;
// With the click: the most read into memory at all.
inline constexpr int64_t kArtifactHardLimit = int64_t(1) << 30;

DecodedArtifact decodeArtifact(StoreReader& reader, const QString& root, const ArtifactItem& item, int64_t limit);

// An image from encoded bytes, bounded as above; an error in words when not.
QImage decodeImage(const QByteArray& bytes, const QString& format, QString* error);

// The SVG without what could reach outside it: scripts, foreignObject,
// event attributes, and links (href) other than to itself or data: URIs.
// Empty when it is not well-formed XML.
QByteArray sanitizeSvg(const QByteArray& svg);

} // namespace runlens::ui
