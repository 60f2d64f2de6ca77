// SPDX-License-Identifier: GPL-3.0-or-later
// The code of two runs: the diff between their commits and each run's
// uncommitted patch, coloured as a unified diff, with a way to point at the
// repository when the recorded one is not on this machine.
#pragma once

#include "code_diff.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace runlens::ui {

class CodeDiffView : public QWidget {
    Q_OBJECT

public:
    explicit CodeDiffView(QWidget* parent = nullptr);
    // Two runs compare; anything else shows a hint.
    void setRuns(const std::vector<RunDetails>& runs);
    QString text() const;

private:
    void render();

    std::vector<RunDetails> runs_;
    QString repository_;   // chosen by the user; empty: as recorded
    QLabel* header_;
    QPlainTextEdit* text_;
};

} // namespace runlens::ui
