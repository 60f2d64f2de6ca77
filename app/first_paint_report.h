// SPDX-License-Identifier: GPL-3.0-or-later
// For bench/bench_startup: with RUNLENS_REPORT_FIRST_PAINT set, the app
// prints "painted N runs" once its run table has painted the opened store's
// runs, and quits. The benchmark times the launch to that line from outside
// the process, so dynamic loading and Qt's own start-up are counted too.
#pragma once

namespace runlens::ui {
class MainWindow;
}

namespace runlens::cli {

// Watches `window` when the environment asks for it; does nothing otherwise.
void reportFirstTablePaintIfAsked(ui::MainWindow& window);

} // namespace runlens::cli
