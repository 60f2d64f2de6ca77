// SPDX-License-Identifier: GPL-3.0-or-later
// Copies runs from any store Runlens reads into one of its own, with where
// they came from (source kind, path and original id, as runlens.import.*
// tags). Importing the same source again adds nothing twice: a run's new id
// is derived from its origin.
#pragma once

#include "result.h"
#include "store_reader.h"

#include <QString>

namespace runlens {

struct ImportSummary {
    int imported = 0;
    int skipped = 0;          // already in the destination
    QStringList problems;     // runs or series that could not be read
};

Result<ImportSummary> importStore(StoreReader& source, const QString& destination,
                                  const ProgressCallback& progress = {});

} // namespace runlens
