// SPDX-License-Identifier: GPL-3.0-or-later
// The run table as CSV (RFC 4180 quoting): `runlens runs --format csv` and
// the window's File > Export Run Table both write it.
#pragma once

#include "run_table.h"

#include <QString>
#include <QStringView>
#include <QTextStream>

#include <vector>

namespace runlens {

// A field quoted when it holds a comma, a quote or a line break.
QString csvField(const QString& text);
// The same, appended to a line being built.
void appendCsvField(QString& line, QStringView text);

// Every column: identity, times, then params., metrics. (last value) and tags.
void writeRunTableCsv(const RunTable& table, const std::vector<int>& rows, QTextStream& out);

} // namespace runlens
