// SPDX-License-Identifier: GPL-3.0-or-later
// A run's artifact folder as ArtifactItems (artifact_item.h), for every
// store kind: what each file is from its name (and MLflow's conventions:
// step images named images/<key>%step%<n>%timestamp%<ms>%<uuid>.png, model
// folders holding an MLmodel file), and reading one file safely: a path that
// climbs out of the folder (.., absolute, a symlink pointing out) is refused,
// and nothing larger than the caller's limit is read.
#pragma once

#include "artifact_item.h"
#include "result.h"
#include "run_details.h"

#include <QByteArray>

namespace runlens {

// The kind and format a file's name says ("plots/roc.png": image, png).
void classifyArtifactFile(ArtifactItem& item);

// Items for a run's artifacts as RunDetails lists them, under `root` (the
// run's folder, given by the store; empty: derived from file:// URIs).
// Files in a model folder are also listed on their own.
RunArtifacts artifactsOf(const std::vector<ArtifactRecord>& records, QString root = {});

// Every file under `root` (at most `maxFiles`, symlinks not followed), as
// artifactsOf() lists them; a folder past the limit says so in problems.
RunArtifacts listArtifactFolder(const QString& root, int maxFiles = 20000);

// The canonical path of `file`, a path relative to `root`, when it stays
// inside root (.., an absolute path, a symlink pointing out: refused).
Result<QString> artifactFilePath(const QString& root, const QString& file);

// "'x.pt' is 70 MB; above the 64 MB shown without asking": the one wording
// of a refusal by size, which the app recognises to offer Load Anyway.
QString tooLargeToShow(const QString& path, int64_t size, int64_t limit);
bool isTooLargeToShow(const QString& message);

// The bytes of `file`, a path relative to `root`, when it stays inside root
// and has at most `limit` bytes; else why not, in words.
Result<QByteArray> readArtifactFile(const QString& root, const QString& file, int64_t limit);

// "flavors: sklearn, python_function" of an MLflow MLmodel file's text
// (YAML): its flavors' names, in the file's order.
QStringList mlmodelFlavors(const QByteArray& mlmodelYaml);

} // namespace runlens
