// SPDX-License-Identifier: GPL-3.0-or-later
// Hears a team store's pushes as they commit (each push NOTIFYs
// runlens_team), so that an open window reads the store at once instead of
// at its next poll. It listens on a connection of its own in a thread of its
// own: connecting to a server that is away (up to connect_timeout), or
// finding it gone, takes that thread's time, never the GUI's. While it
// cannot listen, the window's polling carries on alone, and it tries again.
#pragma once

#include "team_store_url.h"

#include <QObject>

#include <functional>

class QThread;

namespace runlens {

class TeamChangeListener : public QObject {
    Q_OBJECT

public:
    // `changed` runs on the thread that makes the listener (its event loop),
    // after each push, and after the listener (re)connects: pushes made while
    // it was not listening are not heard.
    TeamChangeListener(const TeamStoreUrl& url, std::function<void()> changed, QObject* parent = nullptr);
    // Waits up to kStopWaitMs for its thread; one still waiting for a server
    // then ends on its own.
    ~TeamChangeListener() override;

    // The channel every push notifies.
    static constexpr const char* kChannel = "runlens_team";

private:
    static constexpr int kStopWaitMs = 3000;
    QThread* thread_ = nullptr; // deleted by the destructor, or by itself once it ends
};

} // namespace runlens
