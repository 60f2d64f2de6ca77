// SPDX-License-Identifier: MIT
// The states of a run, shared by the logger and every reader.
#pragma once

namespace runlens {

// Crashed is never written by a logger: readers derive it from a running
// run whose heartbeat stopped or whose process is gone.
enum class RunStatus { Running, Finished, Failed, Killed, Crashed };

} // namespace runlens
