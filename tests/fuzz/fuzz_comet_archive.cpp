// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: Comet's offline archives through CometOfflineReader.
// An input starting "PK" is the archive itself (libzip's reading, damaged
// members); any other is the messages.json of an archive made around it,
// so the fuzzer spends its time in the message lines too.
#include "comet_offline_reader.h"
#include "zip_writer.h"

#include <QDir>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("0123456789abcdef0123456789abcdef.zip"));
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    if (bytes.startsWith("PK")) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return 0;
        f.write(bytes);
    } else if (!runlens::test::writeZip(path,
                   {{QStringLiteral("experiment.json"), QByteArray(R"({"offline_id":"0123456789abcdef0123456789abcdef","start_time":1,"stop_time":2,"tags":[]})")},
                       {QStringLiteral("messages.json"), bytes}, {QStringLiteral("tmp00000000"), QByteArray("x")}})) {
        return 0;
    }
    auto reader = runlens::CometOfflineReader::open(dir.path());
    if (!reader)
        return 0;
    if (auto runs = (*reader)->loadRuns(); runs && runs->table->rowCount() == 1) {
        const QString id = runs->table->id(0);
        (void)(*reader)->loadDetails(id);
        if (auto artifacts = (*reader)->loadArtifacts(id))
            for (const auto& item : artifacts->items)
                (void)(*reader)->loadArtifactBytes(artifacts->root, item, 1 << 16);
    }
    return 0;
}
