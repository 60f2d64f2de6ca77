// SPDX-License-Identifier: GPL-3.0-or-later
// What a run produced besides numbers, as the Artifacts tab and the CLI list
// it: media the logger kept in the store (runlens/media.h) and files in the
// run's artifact folder, each with what it is (image, table, text, confusion
// matrix, model, other file) and where its bytes are.
#pragma once

#include "runlens/media.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace runlens {

enum class ArtifactKind { Image, Table, Text, ConfusionMatrix, Model, File };

QString artifactKindText(ArtifactKind kind); // "image", "table", "text", "confusion matrix", "model", "file"
// The logger's media kinds (runlens/media.h) and these: models and other
// files are not media.
ArtifactKind artifactKindOf(MediaKind kind);
std::optional<MediaKind> mediaKindOf(ArtifactKind kind);

struct ArtifactItem {
    // The name shown and compared across runs: a media key ("samples/val"),
    // or the artifact's path in its folder ("plots/roc.png"). Per-step
    // media share it, one item a step.
    QString path;
    ArtifactKind kind = ArtifactKind::File;
    QString format; // lower case: "png", "csv", "json", "yaml", "txt", "py"; a model's flavor
    int64_t step = 0;
    bool stepped = false;
    QString sha256; // empty when not known without reading the file
    int64_t size = -1;
    int width = 0, height = 0; // images, when known
    QString caption;
    int64_t time = 0; // ms since epoch; 0 when unknown
    // Where the bytes are: a file under RunArtifacts::root (its path there,
    // which differs from `path` for MLflow's step images and models), or,
    // when empty, a media blob of the store (by sha256).
    QString file;
    // A reference to somewhere Runlens does not read (s3://, a shared disk).
    QString remoteUri;
    // Media inside a log rather than a file of their own (a TensorBoard
    // event file's image summaries): the record's offset in `file`, and
    // which picture of the record; -1: the whole file.
    int64_t offset = -1;
    int part = 0;

    bool inStore() const { return file.isEmpty() && remoteUri.isEmpty(); }
};

struct ArtifactItem;
// By path, then step: the order every listing keeps.
bool artifactOrder(const ArtifactItem& a, const ArtifactItem& b);

struct RunArtifacts {
    QString root; // the run's artifact folder; empty when it has none
    std::vector<ArtifactItem> items; // by path, then step
    QStringList problems; // what could not be listed; the rest is there
};

} // namespace runlens
