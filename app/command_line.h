// The `runlens` command line: sub-commands over core/, for shells and scripts.
//
// Exit codes: 0 success, 1 failure while working, 2 bad usage, 3 store cannot be
// opened, 4 run not found or ambiguous, 5 invalid query.
#pragma once

#include <QStringList>

class QTextStream;

namespace runlens::cli {

enum ExitCode { Ok = 0, Failed = 1, Usage = 2, StoreError = 3, RunNotFound = 4, BadQuery = 5 };

// True when argv names a sub-command (runs, metric, show, diff, help, version).
bool isCommand(const QStringList& arguments);

// Runs the sub-command in `arguments` (argv without the program), writing to out/err.
int run(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace runlens::cli
