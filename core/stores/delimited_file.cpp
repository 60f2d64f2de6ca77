// SPDX-License-Identifier: GPL-3.0-or-later
#include "delimited_file.h"

#include "chunked_input.h"
#include "regular_file.h"

#include <QFile>
#include <QLocale>

#include <csv.h>

namespace runlens {

int DelimitedHeader::column(const std::string& name) const
{
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == name)
            return int(i);
    return -1;
}

namespace {

struct Rows {
    const std::function<void(const DelimitedHeader&)>& onHeader;
    const std::function<void(const DelimitedRow&)>& onRow;
    DelimitedHeader header;
    DelimitedRow row;
    size_t rowBytes = 0;
    int64_t rows = 0;           // handed over, the header among them
    bool haveHeader = false;
    bool tooWide = false;       // fields past kMaxRowFields were dropped

    static void field(void* data, size_t len, void* self)
    {
        auto* r = static_cast<Rows*>(self);
        if (r->row.size() >= kMaxRowFields) {
            r->tooWide = true;
            return;
        }
        r->row.emplace_back(static_cast<const char*>(data), len);
        r->rowBytes += len;
    }
    static void end(int, void* self)
    {
        auto* r = static_cast<Rows*>(self);
        if (!r->haveHeader) {
            r->header.names = std::move(r->row);
            r->haveHeader = true;
            r->onHeader(r->header);
            ++r->rows;
        } else if (!(r->row.size() == 1 && r->row[0].empty()) && !r->tooWide) {
            r->onRow(r->row);
            ++r->rows;
        }
        r->row.clear();
        r->rowBytes = 0;
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

QString readDelimitedFile(const QString& path, char separator, const std::function<void(const DelimitedHeader&)>& header,
                          const std::function<void(const DelimitedRow&)>& row)
{
    QFile f(path);
    if (const QString why = openRegularFile(f); !why.isEmpty())
        return why;
    Parser parser(separator);
    if (!parser.ok)
        return QStringLiteral("%1: cannot start the CSV parser").arg(path);
    Rows rows{header, row, {}, {}};
    ChunkedInput in(f);
    while (in.fill(1)) {
        const std::string_view piece = in.data();
        if (csv_parse(&parser.p, piece.data(), piece.size(), Rows::field, Rows::end, &rows) != piece.size())
            return QStringLiteral("%1: %2").arg(path, QString::fromUtf8(csv_strerror(csv_error(&parser.p))));
        in.consume(piece.size());
        // The row being read: the fields it has and the one libcsv holds.
        if (rows.tooWide || rows.rowBytes + csv_get_buffer_size(&parser.p) > size_t(kMaxRowBytes))
            return QStringLiteral("%1: row %2 is longer than %3 MiB or %4 fields; the rows before it were read")
                .arg(path)
                .arg(rows.rows + 1)
                .arg(kMaxRowBytes >> 20)
                .arg(QLocale(QLocale::English, QLocale::UnitedStates).toString(qulonglong(kMaxRowFields)));
    }
    csv_fini(&parser.p, Rows::field, Rows::end, &rows);
    if (!rows.haveHeader)
        return QStringLiteral("%1: empty file").arg(path);
    return {};
}

QString readDelimitedText(const QByteArray& text, char separator, const std::function<void(const DelimitedHeader&)>& header,
                          const std::function<void(const DelimitedRow&)>& row)
{
    Parser parser(separator);
    if (!parser.ok)
        return QStringLiteral("cannot start the CSV parser");
    Rows rows{header, row, {}, {}};
    if (csv_parse(&parser.p, text.constData(), size_t(text.size()), Rows::field, Rows::end, &rows) != size_t(text.size()))
        return QString::fromUtf8(csv_strerror(csv_error(&parser.p)));
    csv_fini(&parser.p, Rows::field, Rows::end, &rows);
    if (!rows.haveHeader)
        return QStringLiteral("empty table");
    return {};
}

} // namespace runlens
