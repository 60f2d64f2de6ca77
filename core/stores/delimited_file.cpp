// SPDX-License-Identifier: GPL-3.0-or-later
#include "delimited_file.h"

#include "regular_file.h"
#include <QFile>

#include <csv.h>

namespace runlens {

int DelimitedFile::column(const std::string& name) const
{
    for (size_t i = 0; i < header.size(); ++i)
        if (header[i] == name)
            return int(i);
    return -1;
}

namespace {

struct Builder {
    DelimitedFile file;
    std::vector<std::string> row;
    bool haveHeader = false;

    static void field(void* data, size_t len, void* self)
    {
        static_cast<Builder*>(self)->row.emplace_back(static_cast<const char*>(data), len);
    }
    static void end(int, void* self)
    {
        auto* b = static_cast<Builder*>(self);
        if (!b->haveHeader) {
            b->file.header = std::move(b->row);
            b->haveHeader = true;
        } else if (!(b->row.size() == 1 && b->row[0].empty())) {
            b->file.rows.push_back(std::move(b->row));
        }
        b->row.clear();
    }
};

struct Parser {
    csv_parser p{};
    bool ok = false;
    explicit Parser(char sep)
    {
        ok = csv_init(&p, CSV_APPEND_NULL) == 0;
        if (ok)
            csv_set_delim(&p, static_cast<unsigned char>(sep));
    }
    ~Parser()
    {
        if (ok)
            csv_free(&p);
    }
};

} // namespace

Result<DelimitedFile> readDelimitedFile(const QString& path, char separator)
{
    QFile f(path);
    if (const QString why = openRegularFile(f); !why.isEmpty())
        return Failure{why};
    Parser parser(separator);
    if (!parser.ok)
        return Failure{QStringLiteral("%1: cannot start the CSV parser").arg(path)};
    Builder b;
    while (!f.atEnd()) {
        const QByteArray chunk = f.read(1 << 20);
        if (csv_parse(&parser.p, chunk.constData(), size_t(chunk.size()), Builder::field, Builder::end, &b)
            != size_t(chunk.size()))
            return Failure{QStringLiteral("%1: %2").arg(path, QString::fromUtf8(csv_strerror(csv_error(&parser.p))))};
    }
    csv_fini(&parser.p, Builder::field, Builder::end, &b);
    if (!b.haveHeader)
        return Failure{QStringLiteral("%1: empty file").arg(path)};
    return std::move(b.file);
}

} // namespace runlens
