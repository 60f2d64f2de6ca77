// SPDX-License-Identifier: GPL-3.0-or-later
// A line across the top of the window naming the latest watch event (a run
// failed, crashed, logged NaN), with a button that selects the run: the
// notification that works everywhere, beside the desktop's when there is one.
#pragma once

#include "run_watch.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace runlens::ui {

class EventBanner : public QFrame {
    Q_OBJECT

public:
    explicit EventBanner(QWidget* parent = nullptr);

    // Shows the last of `events` (and how many came with it).
    void show(const std::vector<WatchEvent>& events);
    QString text() const;
    QPushButton* showRunButton() const { return showRun_; }

signals:
    void runActivated(const QString& runId);

private:
    QLabel* label_ = nullptr;
    QPushButton* showRun_ = nullptr;
    QString runId_;
};

} // namespace runlens::ui
