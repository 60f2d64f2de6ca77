// SPDX-License-Identifier: GPL-3.0-or-later
// The CLI run in-process, as a script sees it: exit code, standard output
// and standard error. For the tests that link runlens_cli.
#pragma once

#include "command_line.h"

#include <QString>
#include <QStringList>
#include <QTextStream>

namespace runlens::test {

struct CliOutput {
    int code;
    QString out, err;
};

inline CliOutput runCli(const QStringList& args)
{
    CliOutput o;
    QTextStream out(&o.out), err(&o.err);
    o.code = cli::run(args, out, err);
    out.flush();
    err.flush();
    return o;
}

} // namespace runlens::test
