// SPDX-License-Identifier: GPL-3.0-or-later
// Reading CSV and TSV files (libcsv): a header and rows of fields, as the
// CSV loggers write them. Quoted fields, embedded separators and CRLF are
// libcsv's business. A file is read in pieces and handed over a row at a
// time, so memory holds one row, not the file (a metrics.csv can be
// gigabytes); a row past kMaxRowBytes or kMaxRowFields ends the reading.
#pragma once

#include <QByteArray>
#include <QString>

#include <functional>
#include <string>
#include <vector>

namespace runlens {

struct DelimitedHeader {
    std::vector<std::string> names;
    int column(const std::string& name) const;   // -1 when there is none
};

// A row's fields: as many as the header's, or fewer, or more.
using DelimitedRow = std::vector<std::string>;

// Reads `path`: `header` once with the first row, then `row` with each row
// after it (blank lines left out; the row is reused after the call).
// Returns why the reading stopped before the end, naming the file (not a
// regular file, empty, malformed, a row past the limits), or empty; the rows
// before were handed over.
QString readDelimitedFile(const QString& path, char separator, const std::function<void(const DelimitedHeader&)>& header,
                          const std::function<void(const DelimitedRow&)>& row);

// The same for text already in memory (a table a run logged, a few MB at
// most): the header, then each row; why the parsing stopped, or empty.
QString readDelimitedText(const QByteArray& text, char separator, const std::function<void(const DelimitedHeader&)>& header,
                          const std::function<void(const DelimitedRow&)>& row);

} // namespace runlens
