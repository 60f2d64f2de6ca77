// SPDX-License-Identifier: MIT
// Pushing a run to a team store while it logs (RunOptions::sync,
// $RUNLENS_SYNC). The logger never speaks to the network itself: it starts
// `runlens push STORE --watch --run ID` beside the training process, and the
// local store is the spool that process reads. A process, not a thread,
// because the push speaks PostgreSQL through Qt (which this library must not
// link); because nothing it meets (a dead server, a stalled TLS handshake, a
// slow network) can then take a lock, a core's worth of GIL or memory from
// the training loop; and because it outlives a training process that
// crashes, so the run's end still reaches the team.
#include "run_internal.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace runlens {

namespace fs = std::filesystem;

namespace detail {

std::optional<std::string> syncUrl(const RunOptions& options)
{
    if (options.sync)
        return options.sync->empty() ? std::nullopt : options.sync;
    const char* env = std::getenv("RUNLENS_SYNC");
    if (env && *env)
        return std::string(env);
    return std::nullopt;
}

namespace {

bool executable(const fs::path& path)
{
    std::error_code ec;
    return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

// The runlens command: $RUNLENS_BIN; else the one installed with this
// library (a prefix's bin/ beside its lib/ or lib/<triplet>/, as Debian and
// `cmake --install` lay it out, and the build tree); else "runlens", looked
// up on PATH.
std::string runlensCommand()
{
    if (const char* env = std::getenv("RUNLENS_BIN"); env && *env)
        return env;
    Dl_info info{};
    if (::dladdr(reinterpret_cast<const void*>(&runlensCommand), &info) && info.dli_fname) {
        std::error_code ec;
        const fs::path library = fs::weakly_canonical(fs::path(info.dli_fname), ec);
        for (const char* up : {"../bin/runlens", "../../bin/runlens"})
            if (const fs::path candidate = library.parent_path() / up; executable(candidate))
                return fs::weakly_canonical(candidate, ec).string();
    }
    return "runlens";
}

} // namespace

} // namespace detail

std::string Run::Impl::startSync(const std::string& url, std::chrono::milliseconds interval)
{
    // Checked here, not by the push: a mistyped URL would otherwise be
    // echoed, password and all, into the training's log.
    auto startsWith = [&](std::string_view prefix) {
        return url.size() >= prefix.size()
            && std::equal(prefix.begin(), prefix.end(), url.begin(),
                [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
    };
    if (!startsWith("postgresql://") && !startsWith("postgres://"))
        return "sync takes a team store's URL (postgresql://user@host/database)";
    if (interval.count() < 100 || interval.count() > 86'400'000)
        return "the sync interval is 100 ms to a day";
    std::error_code ec;
    const std::string store = fs::absolute(store_path, ec).string();
    const std::string command = detail::runlensCommand();
    // Seconds, in the C locale whatever the training's (a "0,5" is no interval).
    char seconds[32];
    const auto printed = std::to_chars(seconds, seconds + sizeof seconds - 1, double(interval.count()) / 1000.0);
    *printed.ptr = '\0';
    std::vector<std::string> args = {command, "push", store, "--watch", "--interval", seconds, "--run", id,
        "--logger-pid", std::to_string(::getpid())};
    // The URL goes in the environment: a password in it stays out of `ps`.
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e)
        if (std::strncmp(*e, "RUNLENS_SYNC=", 13) != 0)
            env.emplace_back(*e);
    env.push_back("RUNLENS_SYNC=" + url);
    std::vector<char*> argv, envp;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t files;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&files);
    posix_spawnattr_init(&attr);
    // Its own session: Ctrl+C on the training job, or its terminal closing,
    // leaves the push to send the run's end. It holds none of the
    // training's files: a pipe it kept open (`train.py 2>&1 | tee log`, a
    // sweep driver capturing output, CI) would keep its reader waiting for
    // as long as the push lives. Its reports go to the training's terminal,
    // else to STORE.push.log; what it pushed (stdout) is not the training's
    // business. SIGPIPE stays as the training had it.
    const std::string log = store + ".push.log";
    posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (!::isatty(STDERR_FILENO))
        posix_spawn_file_actions_addopen(&files, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addclosefrom_np(&files, 3);
    sigset_t defaults, none;
    sigemptyset(&defaults);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD})
        sigaddset(&defaults, sig);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    pid_t pid = 0;
    const int failed = command.find('/') == std::string::npos
        ? posix_spawnp(&pid, command.c_str(), &files, &attr, argv.data(), envp.data())
        : posix_spawn(&pid, command.c_str(), &files, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
    if (failed != 0)
        return "cannot start '" + command + "' to push the run to the team store (" + std::strerror(failed)
            + "; set RUNLENS_BIN to the runlens command); it stays in " + store + ": send it later with runlens push "
            + store + " URL";
    // Reaped when it ends, so a process starting many runs keeps no zombies;
    // the thread only waits, and dies with the process if the push outlives it.
    std::thread([pid] {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }).detach();
    return {};
}

bool Run::syncTo(std::string_view url, std::chrono::milliseconds interval)
{
    if (!impl_ || !impl_->enabled || impl_->forked())
        return false;
    const std::string why = impl_->startSync(std::string(url), interval);
    if (!why.empty()) {
        impl_->setError(why);
        return false;
    }
    return true;
}

} // namespace runlens
