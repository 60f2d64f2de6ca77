// SPDX-License-Identifier: GPL-3.0-or-later
// Whether `runlens [STORE...]` (no sub-command) can open the window, decided
// before Qt starts: without a display Qt aborts with "could not connect to
// display" and a core dump, and a mistyped sub-command ("runlens rusn") would
// be taken for a store and fail the same way. Both get a sentence instead.
#pragma once

#include "cli_command.h"

#include <QStringList>

#include <optional>

namespace runlens::cli {

// What the process has to show a window on.
struct DisplayEnvironment {
    QString display, waylandDisplay, qpaPlatform; // $DISPLAY, $WAYLAND_DISPLAY, $QT_QPA_PLATFORM

    static DisplayEnvironment current();
    // A platform that draws without a display server (offscreen, minimal,
    // vnc, eglfs...) counts; xcb and wayland need theirs.
    bool hasDisplay() const;
};

struct LaunchRefusal {
    QString message; // ends with a newline
    ExitCode code;
};

// Why the window cannot open with these arguments (argv without the
// program), with what to do instead; nullopt when it can. A word that is no
// sub-command, no existing file and no path (no '/' and no '.': "runs.db"
// names a store training will create) is a mistyped command.
std::optional<LaunchRefusal> desktopLaunchRefusal(const QStringList& arguments, const DisplayEnvironment& environment);

// The sub-command closest to `word` by edit distance, if one is close enough
// to be what was meant; empty otherwise.
QString closestCommand(const QString& word);

} // namespace runlens::cli
