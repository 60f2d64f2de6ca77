// SPDX-License-Identifier: GPL-3.0-or-later
// A store opened for a command, its runs loaded, warnings printed: what the
// reading commands (headless_commands.cpp) and the editing ones
// (edit_commands.cpp) start from.
#pragma once

#include "cli_command.h"
#include "loaded_store.h"

#include <QTextStream>

#include <memory>
#include <optional>

namespace runlens::cli {

// The commands' store is core's LoadedStore (core/workspace/loaded_store.h),
// the one the read ABI answers Python from.
using Opened = LoadedStore;

// Prints why on `err` and sets `code` (StoreError) when it cannot.
// `selectedBy`: the query the command selects with (LoadedStore::open).
std::optional<Opened> openAndLoad(const QString& path, const QString& kind, bool deleted, QTextStream& err,
                                  ExitCode& code, const QString& selectedBy = {});
inline QueryContext queryContextOf(const Opened& store)
{
    return store.queryContext();
}
// Names, rules and reasons as one line: a newline or a terminal escape (C0
// or C1) in a run or model name must not rewrite the terminal that prints it.
QString oneLine(const QString& text);
// Rows under a header, in columns as wide as their widest cell.
void printAligned(QTextStream& out, const QStringList& header, const std::vector<QStringList>& rows);
// The row of a run given as an id, id prefix or name; -1 after saying why.
int findRunOrFail(const RunTable& table, const QString& which, QTextStream& err);

} // namespace runlens::cli
