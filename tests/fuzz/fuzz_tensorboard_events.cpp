// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the TensorBoard event-file decoder on arbitrary bytes,
// and reading back every image or text summary it listed (as the Artifacts
// tab does) from the same bytes.
#include "tensorboard_events.h"

#include <QBuffer>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    runlens::DecodedEvents events;
    QHash<QString, bool> tensorTags;
    runlens::decodeEventFile(bytes, events, tensorTags);
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    for (const auto& media : events.media)
        (void)runlens::mediaInRecord(buffer, media);
    return 0;
}
