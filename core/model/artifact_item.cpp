// SPDX-License-Identifier: GPL-3.0-or-later
#include "artifact_item.h"

namespace runlens {

QString artifactKindText(ArtifactKind kind)
{
    switch (kind) {
    case ArtifactKind::Image:
        return QStringLiteral("image");
    case ArtifactKind::Table:
        return QStringLiteral("table");
    case ArtifactKind::Text:
        return QStringLiteral("text");
    case ArtifactKind::ConfusionMatrix:
        return QStringLiteral("confusion matrix");
    case ArtifactKind::Model:
        return QStringLiteral("model");
    case ArtifactKind::File:
        return QStringLiteral("file");
    }
    return QStringLiteral("file");
}

ArtifactKind artifactKindOf(MediaKind kind)
{
    switch (kind) {
    case MediaKind::Image:
        return ArtifactKind::Image;
    case MediaKind::Table:
        return ArtifactKind::Table;
    case MediaKind::Text:
        return ArtifactKind::Text;
    case MediaKind::ConfusionMatrix:
        return ArtifactKind::ConfusionMatrix;
    }
    return ArtifactKind::File;
}

std::optional<MediaKind> mediaKindOf(ArtifactKind kind)
{
    switch (kind) {
    case ArtifactKind::Image:
        return MediaKind::Image;
    case ArtifactKind::Table:
        return MediaKind::Table;
    case ArtifactKind::Text:
        return MediaKind::Text;
    case ArtifactKind::ConfusionMatrix:
        return MediaKind::ConfusionMatrix;
    case ArtifactKind::Model:
    case ArtifactKind::File:
        break;
    }
    return std::nullopt;
}

bool artifactOrder(const ArtifactItem& a, const ArtifactItem& b)
{
    return a.path != b.path ? a.path < b.path : a.step < b.step;
}

} // namespace runlens
