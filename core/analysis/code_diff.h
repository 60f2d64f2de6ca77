// SPDX-License-Identifier: GPL-3.0-or-later
// What changed in the code between two runs: the diff between their commits
// (libgit2, in the repository recorded at log time or one the user names),
// and each run's recorded uncommitted patch. Missing repositories and
// commits are said plainly, never fatal.
#pragma once

#include "run_details.h"

#include <QString>

namespace runlens {

struct CodeComparison {
    QString commitA, commitB;
    QString repository;     // where the commits were looked up
    QString commitDiff;     // unified diff from A's commit to B's; empty when they are equal
    QString message;        // why there is no commit diff, when there is none
    QString patchA, patchB; // each run's uncommitted changes as logged
};

// `repository` overrides the path recorded in the runs (empty: use it).
CodeComparison compareCode(const RunDetails& a, const RunDetails& b, const QString& repository = {});

} // namespace runlens
