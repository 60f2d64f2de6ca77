// SPDX-License-Identifier: GPL-3.0-or-later
#include "stored_run_status.h"

#include "runlens/run_liveness.h"
#include "utf8.h"

namespace runlens {

RunStatus effectiveStatus(std::string_view stored, int64_t heartbeat, int64_t intervalMs, std::string_view host,
    int64_t pid, int64_t now, const std::string& localHost)
{
    const auto status = statusFromName(fromUtf8(stored)).value_or(RunStatus::Finished);
    if (status != RunStatus::Running)
        return status;
    return runLiveness({heartbeat, intervalMs, host, pid}, now, localHost) == Liveness::Alive ? RunStatus::Running
                                                                                            : RunStatus::Crashed;
}

int64_t endTimeOf(RunStatus status, bool endIsNull, int64_t storedEnd, int64_t heartbeat)
{
    if (!endIsNull)
        return storedEnd;
    return status == RunStatus::Crashed ? heartbeat : -1;
}

} // namespace runlens
