// SPDX-License-Identifier: GPL-3.0-or-later
// Numbers as text, in the two forms Runlens writes them: compact for people
// (every view, report and the CLI's tables) and exact for machines (tooltips,
// Copy, CSV and JSON). The one place either form is decided, so a value reads
// the same in the run table, the comparison, a report and the terminal.
#pragma once

#include <QString>

namespace runlens {

// Shortest text that reads back to the same double; nan, inf, -inf by name.
QString numberText(double v);
// "1 run", "1,200 runs": a count and its noun, for messages (tr's %n
// leaves "run(s)" when no translation is loaded).
QString countText(qint64 n, const char* one, const char* many);

// Six significant digits, trailing zeros dropped, and outside [0.001, 1e6) an
// engineering exponent (a multiple of 3, as in SI prefixes): 0.0579989,
// 123.457e-6, 1.5e9. NaN, inf and -inf by name.
QString compactNumber(double v);

// A value as logged (a param or tag): a long fraction or an exponent in
// compact form; a short plain fraction ("3.10", "0.25") as written; whole
// numbers whole (they are often ids, seeds or sizes, and exact at any
// length); text that is no number, as it is.
QString compactValue(const QString& text);

} // namespace runlens
