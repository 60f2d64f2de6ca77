// SPDX-License-Identifier: MIT
// Logs one short run into the store named on the command line.
#include <runlens/runlens.h>

#include <cmath>
#include <cstdio>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: log_one_run STORE\n");
        return 2;
    }
    auto run = runlens::Run::start(argv[1], {.experiment = "installed", .name = "from-an-installed-runlens"});
    run.logParam("lr", 0.01);
    for (int step = 0; step < 100; ++step)
        run.logMetric("loss", std::exp(-0.05 * step), step);
    // False when something logged did not reach the disk (full, or the store deleted).
    if (!run.finish(runlens::RunStatus::Finished)) {
        std::fprintf(stderr, "log_one_run: %s\n", run.lastError().c_str());
        return 1;
    }
    return 0;
}
