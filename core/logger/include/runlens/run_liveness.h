// SPDX-License-Identifier: MIT
// Whether a run recorded as running is still being logged. One rule for the
// logger (which refuses to resume a run another live process logs) and for
// every reader of our stores (which show a run whose logger died as crashed).
#pragma once

#include <cstdint>
#include <string_view>

namespace runlens {

// A running run's heartbeat is stale after this many heartbeat intervals,
// and never sooner than kMinStaleMs (a busy machine delays a flush).
inline constexpr int kStaleIntervals = 10;
inline constexpr int64_t kMinStaleMs = 30000;

struct RunHeartbeat {
    int64_t heartbeatMs = 0; // the last heartbeat (ms since the epoch)
    int64_t intervalMs = 0;  // how often the logger beats
    std::string_view host;   // where the logger ran
    int64_t pid = 0;         // its process there
};

enum class Liveness { Alive, Stale, ProcessGone };

// For a run whose stored status is running: Alive while its heartbeat is
// fresh and, when it ran on `localHost`, its process still exists.
Liveness runLiveness(const RunHeartbeat& run, int64_t nowMs, std::string_view localHost);

} // namespace runlens
