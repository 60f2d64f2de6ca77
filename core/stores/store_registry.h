// SPDX-License-Identifier: GPL-3.0-or-later
// Every store format this build reads, and the one way in: openStore().
#pragma once

#include "store_format.h"
#include "store_reader.h"

#include <QStringList>

#include <vector>

namespace runlens {

// The registry, in the order messages list the formats.
const std::vector<StoreFormat>& storeFormats();
// The title of the format of `kind` ("W&B" for wandb); the kind itself when unknown.
QString storeFormatTitle(const QString& kind);
// The format named `kind`, or nullptr.
const StoreFormat* findStoreFormat(const QString& kind);
// The kinds this build reads, as --kind names them.
QStringList storeKinds();

// The path a store argument names: a path as it is, a file:// URL, or
// MLflow's sqlite:///PATH tracking URI; a failure for other schemes.
Result<QString> storePathOf(const QString& pathOrUrl);

// Opens whatever `path` (or a URL storePathOf takes) holds, read-only. `kind` forces a format ("runlens");
// empty asks every format's recogniser and opens with the surest.
// `includeDeleted` also reads what the other tool has deleted but kept
// (MLflow's deleted runs and .trash).
Result<std::unique_ptr<StoreReader>> openStore(const QString& path, const QString& kind = {},
                                               bool includeDeleted = false);

} // namespace runlens
