// SPDX-License-Identifier: GPL-3.0-or-later
// Zip archives for tests, written by libzip: Comet's offline archives are
// zips of stored members (comet_ml passes no compression), and a user who
// zipped one again deflated it; both are made here.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

#include <zip.h>

#include <utility>
#include <vector>

namespace runlens::test {

using ZipMembers = std::vector<std::pair<QString, QByteArray>>;

// Writes `members` to a zip at `path` (replacing it); false when libzip
// refused. No members: the 22-byte archive comet_ml leaves while a run goes
// on (libzip would delete an archive left empty).
inline bool writeZip(const QString& path, const ZipMembers& members, bool deflate = false)
{
    if (members.empty()) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate)
               && f.write(QByteArray("PK\x05\x06", 4) + QByteArray(18, '\0')) == 22;
    }
    int error = 0;
    zip_t* z = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!z)
        return false;
    for (const auto& [name, bytes] : members) {
        zip_source_t* source = zip_source_buffer(z, bytes.constData(), zip_uint64_t(bytes.size()), 0);
        const zip_int64_t index = source ? zip_file_add(z, name.toUtf8().constData(), source, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0) {
            if (source)
                zip_source_free(source);
            zip_discard(z);
            return false;
        }
        zip_set_file_compression(z, zip_uint64_t(index), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
    }
    // The buffers are read here, while `members` still holds them.
    if (zip_close(z) != 0) {
        zip_discard(z);
        return false;
    }
    return true;
}

} // namespace runlens::test
