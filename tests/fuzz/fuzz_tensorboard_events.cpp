// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the TensorBoard event-file decoder on arbitrary bytes.
#include "tensorboard_events.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    runlens::DecodedEvents events;
    QHash<QString, bool> tensorTags;
    runlens::decodeEventFile(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), events, tensorTags);
    return 0;
}
