// SPDX-License-Identifier: GPL-3.0-or-later
// `runlens runs STORE --format json|csv|table` as a user runs it: the
// binary in a child process, its output read through a pipe (as `| jq` or
// `> file` would take it), on stores of 1,000, 10,000 and 100,000 runs x
// 50 params x 20 metrics. Printed: wall time and the child's peak resident
// memory (wait4's ru_maxrss), each against baselines run in the same
// process on the same store:
// - the whole-document way the CLI printed JSON before it streamed (this
//   program with --whole-document: the same loading, then a QJsonArray of
//   runToJson, QJsonDocument::toJson and one write), for JSON;
// - `sqlite3 -json` / `-csv` printing the same rows raw (runs, params,
//   metrics, tags; no pivot into a row a run): a floor, for every format.
//
//     build/bin/bench_cli_output [DIR] [--sizes 1000,10000,100000] [--keep]
// (--keep leaves the stores in DIR, to profile a command on them.)
#include "bench_store_generator.h"
#include "bench_timer.h"
#include "run_json.h"
#include "store_registry.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

using namespace runlens;
using namespace runlens::bench;
namespace fs = std::filesystem;

namespace {

struct Measured {
    bool ok = false;
    double seconds = 0;
    double peakMb = 0;
    double outputMb = 0;
};

// Runs `argv` with its standard output into a pipe that this process reads
// and counts: wall time from fork to exit, the child's own peak memory.
Measured runChild(const std::vector<std::string>& argv)
{
    int fds[2];
    if (::pipe(fds) != 0)
        std::abort();
    Stopwatch sw;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    std::vector<char> buf(1 << 16);
    long long bytes = 0;
    for (ssize_t n; (n = ::read(fds[0], buf.data(), buf.size())) > 0;)
        bytes += n;
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    Measured m;
    m.seconds = sw.seconds();
    m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    m.peakMb = double(usage.ru_maxrss) / 1024.0;
    m.outputMb = double(bytes) / 1e6;
    return m;
}

void compare(const std::string& what, const Measured& ours, const char* baseline, const Measured& base)
{
    if (!ours.ok || !base.ok) {
        std::printf("%s: %s failed\n", what.c_str(), !ours.ok ? "runlens" : baseline);
        return;
    }
    report((what + ": time (s)").c_str(), ours.seconds, "s", baseline, base.seconds);
    report((what + ": peak RSS (MB)").c_str(), ours.peakMb, "MB", baseline, base.peakMb);
}

// The baseline: what `runlens runs --format json` did before it streamed.
int wholeDocument(const QString& store)
{
    auto reader = openStore(store);
    if (!reader)
        return 1;
    auto runs = (*reader)->loadRuns();
    if (!runs)
        return 1;
    const RunTable& t = *runs->table;
    QJsonArray arr;
    for (int r = 0; r < t.rowCount(); ++r)
        if (!t.isTrashed(r))
            arr.append(runToJson(t, r));
    QTextStream out(stdout);
    out << QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Indented));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && std::strcmp(argv[1], "--whole-document") == 0)
        return wholeDocument(QString::fromLocal8Bit(argv[2]));
    std::string dir = fs::temp_directory_path().string();
    std::vector<int> sizes = {1000, 10000, 100000};
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--keep") == 0) {
            keep = true;
        } else if (std::strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
            sizes.clear();
            for (const auto& s : QString::fromLocal8Bit(argv[++i]).split(QLatin1Char(',')))
                sizes.push_back(s.toInt());
        } else {
            dir = argv[i];
        }
    }
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    const std::string runlens = RUNLENS_BIN;
    const bool haveSqlite = fs::exists("/usr/bin/sqlite3");
    if (!haveSqlite)
        std::printf("(no /usr/bin/sqlite3: the raw-dump floor lines are skipped)\n");
    for (int runs : sizes) {
        const std::string store = dir + "/runlens-bench-cli-" + std::to_string(runs) + ".db";
        Stopwatch gen;
        generate(store, runs);
        std::printf("\n%d runs x %d params x %d metrics: generated in %.1f s (%.0f MB)\n", runs, kParams, kMetrics,
            gen.seconds(), double(fs::file_size(store)) / 1e6);
        const std::string label = std::to_string(runs) + " runs";
        const std::string rows = "SELECT id, name, status, start_time, end_time FROM runs; "
                                 "SELECT run_id, key, type, value FROM params; "
                                 "SELECT run_id, key, last_value, min_value, max_value, count, last_step FROM metrics; "
                                 "SELECT run_id, key, value FROM tags;";
        for (const char* format : {"json", "csv", "table"}) {
            const Measured ours = runChild({runlens, "runs", store, "--format", format});
            std::printf("%s --format %s: %.1f MB written\n", label.c_str(), format, ours.outputMb);
            if (std::strcmp(format, "json") == 0) {
                // The document takes about 40 times its text in memory (measured:
                // 625 MB for 66 MB at 10,000 runs): not started where it cannot fit.
                const double needMb = 80.0 * runs / 1000 * 1.1 + 500;
                if (availableMb() > needMb)
                    compare(label + " json", ours, "whole document, then written", runChild({self, "--whole-document", store}));
                else
                    std::printf("%s json: whole-document baseline skipped: %.0f MB available, it needs about %.0f MB\n",
                        label.c_str(), availableMb(), needMb);
            }
            if (haveSqlite) {
                const char* mode = std::strcmp(format, "json") == 0 ? "-json" : "-csv";
                compare(label + " " + format, ours, std::strcmp(format, "json") == 0 ? "floor: sqlite3 -json, raw rows" : "floor: sqlite3 -csv, raw rows",
                    runChild({"/usr/bin/sqlite3", mode, store, rows}));
            }
        }
        if (!keep)
            removeStore(store);
    }
    return 0;
}
