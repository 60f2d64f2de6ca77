// SPDX-License-Identifier: MIT
#include "runlens/run_liveness.h"

#include <signal.h>

#include <algorithm>
#include <cerrno>

namespace runlens {

Liveness runLiveness(const RunHeartbeat& run, int64_t nowMs, std::string_view localHost)
{
    const int64_t staleAfter = std::max<int64_t>(kMinStaleMs, run.intervalMs * kStaleIntervals);
    if (nowMs - run.heartbeatMs > staleAfter)
        return Liveness::Stale;
    // A process we may not signal (EPERM) exists; only ESRCH says it is gone.
    if (!run.host.empty() && run.host == localHost && run.pid > 0 && ::kill(static_cast<pid_t>(run.pid), 0) != 0
        && errno == ESRCH)
        return Liveness::ProcessGone;
    return Liveness::Alive;
}

} // namespace runlens
