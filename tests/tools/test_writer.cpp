// SPDX-License-Identifier: GPL-3.0-or-later
// A stand-in training process for the e2e tests: logs a known series and says
// how far it got, so a test can kill it, run many at once, or read alongside.
//
//   runlens_test_writer STORE NAME POINTS PAUSE_US FLUSH_MS [finish|hang|fail|nan] [DELAY_MS]
//
// fail: finishes the run as failed; nan: logs x = NaN after the points, then
// hangs as a diverged job that goes on training would.
// Point i of metric "x" is step i with value i * 0.5; "step i" is printed
// (and flushed) after each point is handed to the logger. DELAY_MS: a pause
// between starting the run and the first point, as a script loading its data.
#include "runlens/runlens.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

int main(int argc, char** argv)
{
    if (argc < 6) {
        std::fprintf(stderr, "usage: %s STORE NAME POINTS PAUSE_US FLUSH_MS [finish|hang|fail|nan] [DELAY_MS]\n",
            argv[0]);
        return 2;
    }
    const std::string store = argv[1];
    const long points = std::atol(argv[3]);
    const long pause_us = std::atol(argv[4]);
    const long flush_ms = std::atol(argv[5]);
    const std::string mode = argc > 6 ? argv[6] : "finish";
    const long delay_ms = argc > 7 ? std::atol(argv[7]) : 0;
    try {
        runlens::RunOptions options;
        options.experiment = "e2e";
        options.name = argv[2];
        options.flush_interval = std::chrono::milliseconds(flush_ms);
        options.capture_git = false;
        auto run = runlens::Run::start(store, options);
        run.logParam("points", static_cast<int64_t>(points));
        std::printf("started %s\n", run.id().c_str());
        std::fflush(stdout);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        for (long i = 0; i < points; ++i) {
            run.logMetric("x", static_cast<double>(i) * 0.5, i);
            if (pause_us > 0) {
                std::printf("step %ld\n", i);
                std::fflush(stdout);
                std::this_thread::sleep_for(std::chrono::microseconds(pause_us));
            }
        }
        if (mode == "nan")
            run.logMetric("x", std::nan(""), points);
        if (mode == "hang" || mode == "nan") {
            std::printf("hanging\n");
            std::fflush(stdout);
            for (;;)
                std::this_thread::sleep_for(std::chrono::seconds(1));
        }
        run.finish(mode == "fail" ? runlens::RunStatus::Failed : runlens::RunStatus::Finished);
        std::printf("done\n");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
