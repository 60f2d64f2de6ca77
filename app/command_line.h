// SPDX-License-Identifier: GPL-3.0-or-later
// The `runlens` command line: sub-commands over core/ (and ui/ for the ones
// that draw), for shells and scripts. The commands themselves are one table
// (cli_command.h).
//
// Exit codes: 0 success, 1 failure while working, 2 bad usage, 3 store cannot be
// opened, 4 run not found or ambiguous, 5 invalid query.
#pragma once

#include "cli_command.h"

#include <QStringList>

class QTextStream;

namespace runlens::cli {

// True when argv (without the program) names a sub-command, --help or --version.
bool isCommand(const QStringList& arguments);

// The sub-command `arguments` names, if any (nullptr for --help, --version, a store path).
const CliCommand* commandOf(const QStringList& arguments);

// Runs the sub-command in `arguments` (argv without the program), writing to
// out/err. A command that renders needs a QApplication to exist.
int run(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace runlens::cli
