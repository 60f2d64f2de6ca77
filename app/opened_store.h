// SPDX-License-Identifier: GPL-3.0-or-later
// A store opened for a command, its runs loaded, warnings printed: what the
// reading commands (headless_commands.cpp) and the editing ones
// (edit_commands.cpp) start from.
#pragma once

#include "cli_command.h"
#include "run_query.h"
#include "store_reader.h"

#include <QTextStream>

#include <memory>
#include <optional>

namespace runlens::cli {

struct Opened {
    std::unique_ptr<StoreReader> reader;
    LoadedRuns runs;
};

// Prints why on `err` and sets `code` (StoreError) when it cannot.
std::optional<Opened> openAndLoad(const QString& path, const QString& kind, bool deleted, QTextStream& err,
                                  ExitCode& code);
// Each row's baseline (its experiment's, readBaselines), for queries that
// reach baseline.X and welch_p.
QueryContext queryContextOf(const Opened& store);
// The row of a run given as an id, id prefix or name; -1 after saying why.
int findRunOrFail(const RunTable& table, const QString& which, QTextStream& err);

} // namespace runlens::cli
