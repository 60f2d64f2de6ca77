// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the W&B datastore decoder (.wandb: LevelDB blocks of
// protobuf Records) on arbitrary bytes. Inputs that lack the ":W&B" header
// are given one, so the fuzzer spends its time inside the blocks.
#include "wandb_records.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    if (!bytes.startsWith(":W&B"))
        bytes.prepend(QByteArray(":W&B\xe1\xbe\x00", 7));
    runlens::WandbLog log;
    runlens::decodeWandbBytes(bytes, log);
    return 0;
}
