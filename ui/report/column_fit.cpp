// SPDX-License-Identifier: GPL-3.0-or-later
#include "column_fit.h"

#include <algorithm>
#include <numeric>

namespace runlens::ui {

namespace {

// One piece wider than this (a 300-character param) may wrap anywhere: a
// table must keep room for the columns beside it.
constexpr double kWidestPiece = 0.45;

std::vector<double> widthsFor(std::span<const ColumnNeed> needs, const std::vector<int>& columns, double available)
{
    double minimum = 0, natural = 0;
    for (int c : columns) {
        minimum += needs[size_t(c)].minimum;
        natural += needs[size_t(c)].natural;
    }
    std::vector<double> widths;
    widths.reserve(columns.size());
    if (natural <= available) {
        // Everything fits on one line: the spare width goes evenly, so
        // short columns do not look cramped beside long ones.
        const double spare = (available - natural) / double(columns.size());
        for (int c : columns)
            widths.push_back(needs[size_t(c)].natural + spare);
        return widths;
    }
    // Text must wrap somewhere: each column keeps its minimum and the rest
    // goes where the most text waits.
    const double spare = std::max(0.0, available - minimum);
    const double wanting = natural - minimum;
    for (int c : columns) {
        const ColumnNeed& n = needs[size_t(c)];
        widths.push_back(n.minimum + (wanting > 0 ? spare * (n.natural - n.minimum) / wanting : 0));
    }
    return widths;
}

} // namespace

std::vector<TablePart> fitColumns(std::span<const ColumnNeed> needs, double available, int keyColumns)
{
    std::vector<ColumnNeed> capped(needs.begin(), needs.end());
    for (auto& n : capped) {
        n.minimum = std::min(n.minimum, available * kWidestPiece);
        n.natural = std::max(n.natural, n.minimum);
    }
    const int count = int(capped.size());
    keyColumns = std::clamp(keyColumns, 0, count);
    double keyWidth = 0;
    for (int c = 0; c < keyColumns; ++c)
        keyWidth += capped[size_t(c)].minimum;

    std::vector<TablePart> parts;
    int next = keyColumns;
    do {
        TablePart part;
        for (int c = 0; c < keyColumns; ++c)
            part.columns.push_back(c);
        double used = keyWidth;
        // At least one column of its own per part, however wide.
        while (next < count && (part.columns.size() == size_t(keyColumns) || used + capped[size_t(next)].minimum <= available)) {
            used += capped[size_t(next)].minimum;
            part.columns.push_back(next++);
        }
        part.widths = widthsFor(capped, part.columns, available);
        parts.push_back(std::move(part));
    } while (next < count);
    return parts;
}

} // namespace runlens::ui
