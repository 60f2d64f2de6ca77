// SPDX-License-Identifier: GPL-3.0-or-later
// Which lines differ between two texts (two runs' config.yaml, predictions,
// notes), for the Artifacts tab's side-by-side view: libgit2's diff of two
// buffers (git_diff_buffers), the same algorithm `git diff` runs.
#pragma once

#include <QByteArray>

#include <vector>

namespace runlens {

struct TextLineDiff {
    std::vector<bool> removedFromA; // a line of `a` (0-based) that `b` does not have
    std::vector<bool> addedInB;     // a line of `b` that `a` does not have
    bool identical = true;
};

TextLineDiff diffTextLines(const QByteArray& a, const QByteArray& b);

} // namespace runlens
