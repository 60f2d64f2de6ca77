// SPDX-License-Identifier: MIT
// What a run records about where it came from: the git state of the code and
// the machine it ran on. Captured on the run's writer thread.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace runlens::detail {

struct GitState {
    bool found = false;
    std::string repo_path;
    std::string commit;
    std::string branch;
    std::string remote;
    bool dirty = false;
    std::string diff; // uncommitted changes against HEAD, capped
    bool diff_truncated = false;
};

// Discovers the repository holding `dir` (libgit2). found=false outside one.
GitState captureGit(const std::filesystem::path& dir, size_t max_diff_bytes);

// Host, OS, CPU, GPU where visible, command line, working directory, user.
std::vector<std::pair<std::string, std::string>> captureEnvironment();

std::string hostName();

} // namespace runlens::detail
