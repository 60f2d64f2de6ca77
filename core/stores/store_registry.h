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

// Whether `text` names a store on a server by URL (a team store's
// postgresql://), not a path.
bool isStoreUrl(const QString& text);
// What the workspace keys an open store by: a path made absolute; a team
// store's URL as given (with its password, which only this process holds).
QString storeKey(const QString& pathOrUrl);
// What titles, tabs and messages name a store by: a file's or folder's name;
// "database on host" for a team store.
QString storeDisplayName(const QString& pathOrUrl);
// What may be printed or kept in the settings: a path as it is, a team
// store's URL without its password.
QString storeShownLocation(const QString& pathOrUrl);

} // namespace runlens
