// SPDX-License-Identifier: GPL-3.0-or-later
// A run's status and end as Runlens stores keep them (ours and the team
// store), read as they are now: a run marked running that stopped beating
// (runlens/run_liveness.h, the logger's rule) crashed.
#pragma once

#include "run_table.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace runlens {

RunStatus effectiveStatus(std::string_view stored, int64_t heartbeat, int64_t intervalMs, std::string_view host,
    int64_t pid, int64_t now, const std::string& localHost);

// A crashed run never wrote its end: its last heartbeat is when it was last
// alive, so its duration reads as how long it ran, not as "running".
int64_t endTimeOf(RunStatus status, bool endIsNull, int64_t storedEnd, int64_t heartbeat);

} // namespace runlens
