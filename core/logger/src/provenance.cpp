// SPDX-License-Identifier: MIT
#include "provenance.h"

#include <git2.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <thread>

namespace runlens::detail {

namespace {

template <class T, void (*Free)(T*)> struct GitFree {
    void operator()(T* p) const { Free(p); }
};
template <class T, void (*Free)(T*)> using GitPtr = std::unique_ptr<T, GitFree<T, Free>>;

using Repo = GitPtr<git_repository, git_repository_free>;
using Reference = GitPtr<git_reference, git_reference_free>;
using Remote = GitPtr<git_remote, git_remote_free>;
using Commit = GitPtr<git_commit, git_commit_free>;
using Tree = GitPtr<git_tree, git_tree_free>;
using Diff = GitPtr<git_diff, git_diff_free>;

// libgit2 wants one init per user; this keeps it alive for the process.
struct GitLibrary {
    GitLibrary() { git_libgit2_init(); }
    ~GitLibrary() { git_libgit2_shutdown(); }
};

std::string firstLineValue(const std::string& file, const std::string& prefix)
{
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) {
            auto colon = line.find(':');
            if (colon == std::string::npos)
                continue;
            auto v = line.substr(colon + 1);
            const auto start = v.find_first_not_of(" \t");
            return start == std::string::npos ? std::string() : v.substr(start);
        }
    }
    return {};
}

} // namespace

GitState captureGit(const std::filesystem::path& dir, size_t max_diff_bytes)
{
    static GitLibrary library;
    GitState state;
    git_repository* raw = nullptr;
    if (git_repository_open_ext(&raw, dir.c_str(), 0, nullptr) != 0)
        return state;
    Repo repo(raw);
    state.found = true;
    if (const char* wd = git_repository_workdir(repo.get()))
        state.repo_path = wd;

    git_reference* headRaw = nullptr;
    if (git_repository_head(&headRaw, repo.get()) == 0) {
        Reference head(headRaw);
        if (const git_oid* oid = git_reference_target(head.get())) {
            char sha[GIT_OID_HEXSZ + 1] = {};
            git_oid_tostr(sha, sizeof sha, oid);
            state.commit = sha;
        }
        if (git_reference_is_branch(head.get()))
            state.branch = git_reference_shorthand(head.get());
    }
    git_remote* remoteRaw = nullptr;
    if (git_remote_lookup(&remoteRaw, repo.get(), "origin") == 0) {
        Remote remote(remoteRaw);
        if (const char* url = git_remote_url(remote.get()))
            state.remote = url;
    }

    // Uncommitted changes, staged or not, against HEAD (untracked files are
    // not part of the code that ran through git).
    Tree headTree;
    if (!state.commit.empty()) {
        git_object* obj = nullptr;
        if (git_revparse_single(&obj, repo.get(), "HEAD^{tree}") == 0)
            headTree.reset(reinterpret_cast<git_tree*>(obj));
    }
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    git_diff* diffRaw = nullptr;
    if (git_diff_tree_to_workdir_with_index(&diffRaw, repo.get(), headTree.get(), &opts) == 0) {
        Diff diff(diffRaw);
        state.dirty = git_diff_num_deltas(diff.get()) > 0;
        if (state.dirty) {
            git_buf buf = GIT_BUF_INIT;
            if (git_diff_to_buf(&buf, diff.get(), GIT_DIFF_FORMAT_PATCH) == 0) {
                state.diff.assign(buf.ptr, buf.size);
                git_buf_dispose(&buf);
            }
            if (state.diff.size() > max_diff_bytes) {
                state.diff.resize(max_diff_bytes);
                state.diff_truncated = true;
            }
        }
    }
    return state;
}

std::string hostName()
{
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0)
        return {};
    return buf;
}

std::vector<std::pair<std::string, std::string>> captureEnvironment()
{
    std::vector<std::pair<std::string, std::string>> env;
    env.emplace_back("host", hostName());
    utsname uts{};
    if (uname(&uts) == 0) {
        env.emplace_back("os", std::string(uts.sysname) + " " + uts.release);
        env.emplace_back("arch", uts.machine);
    }
    std::ifstream osRelease("/etc/os-release");
    for (std::string line; std::getline(osRelease, line);) {
        if (line.rfind("PRETTY_NAME=", 0) == 0) {
            auto v = line.substr(12);
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
                v = v.substr(1, v.size() - 2);
            env.emplace_back("os.distribution", v);
        }
    }
    env.emplace_back("cpu", firstLineValue("/proc/cpuinfo", "model name"));
    env.emplace_back("cpu.count", std::to_string(std::thread::hardware_concurrency()));
    const auto memKb = firstLineValue("/proc/meminfo", "MemTotal");
    if (!memKb.empty())
        env.emplace_back("memory", memKb);
    std::error_code ec;
    int gpuIndex = 0;
    for (const auto& gpu : std::filesystem::directory_iterator("/proc/driver/nvidia/gpus", ec)) {
        const auto model = firstLineValue((gpu.path() / "information").string(), "Model");
        if (!model.empty())
            env.emplace_back("gpu." + std::to_string(gpuIndex++), model);
    }
    std::ifstream cmd("/proc/self/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    while (!cmdline.empty() && cmdline.back() == '\0')
        cmdline.pop_back();
    for (char& c : cmdline)
        if (c == '\0')
            c = ' ';
    env.emplace_back("command", cmdline);
    env.emplace_back("cwd", std::filesystem::current_path(ec).string());
    if (const char* user = std::getenv("USER"))
        env.emplace_back("user", user);
    env.emplace_back("runlens.logger", "C++ " + std::to_string(__cplusplus) + ", " + __VERSION__);
    return env;
}

} // namespace runlens::detail
