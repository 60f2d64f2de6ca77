// SPDX-License-Identifier: GPL-3.0-or-later
// Reading CSV and TSV files (libcsv): a header and rows of fields, as the
// CSV loggers write them. Quoted fields, embedded separators and CRLF are
// libcsv's business.
#pragma once

#include "result.h"

#include <QString>

#include <string>
#include <vector>

namespace runlens {

struct DelimitedFile {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;   // each as long as the header or shorter
    int column(const std::string& name) const;
};

Result<DelimitedFile> readDelimitedFile(const QString& path, char separator);

} // namespace runlens
