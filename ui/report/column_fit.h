// SPDX-License-Identifier: GPL-3.0-or-later
// How a table's columns share a page's width. Pure geometry, so the rules
// are tested without fonts: a column never gets less than its widest
// unbreakable piece (a number, a word), what is left goes to the columns
// whose text would otherwise wrap, and a table whose unbreakable pieces do
// not fit side by side is split into parts, each repeating the key columns
// (the run's name), rather than breaking its numbers.
#pragma once

#include <span>
#include <vector>

namespace runlens::ui {

struct ColumnNeed {
    double minimum = 0; // the widest piece that must not break
    double natural = 0; // the widest cell on one line
};

struct TablePart {
    std::vector<int> columns; // key columns first, then the part's own
    std::vector<double> widths;
};

// Parts covering every column once (key columns in each), each part's
// widths summing to `available`.
std::vector<TablePart> fitColumns(std::span<const ColumnNeed> needs, double available, int keyColumns);

} // namespace runlens::ui
