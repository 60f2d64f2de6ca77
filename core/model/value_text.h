// SPDX-License-Identifier: GPL-3.0-or-later
// How a logged value (a param, a tag) reads in a table cell, and in full.
// A cell is one line: numbers in compact form (number_text.h), line breaks
// marked, and a long JSON value (MLflow's log-model history, a config dumped
// into one tag) elided to its start, since 4 KB of JSON in a cell helps no
// one; the views open the full value, pretty-printed, in a viewer.
#pragma once

#include <QString>

namespace runlens {

// A value longer than this many characters is elided in a cell.
inline constexpr int kCellValueChars = 80;

// True when `text` is a JSON object or array too long to read in a cell.
bool isLongJson(const QString& text);
// True when a cell does not show all of `text` (long JSON, long text, several lines).
bool isElidedInCell(const QString& text);

// The one-line form for a cell: line breaks as ↵, long JSON compacted and cut
// at kCellValueChars with an ellipsis; with `compactNumbers` (params, tags,
// metrics) a number through compactValue. Recorded facts (the environment,
// data versions, git) keep every character.
QString cellText(const QString& text, bool compactNumbers = true);

// JSON indented for reading (four spaces per level); other text as it is.
QString prettyValue(const QString& text);

} // namespace runlens
