// SPDX-License-Identifier: GPL-3.0-or-later
// One edit of runs on the window's undo stack: redo applies it through the
// workspace (shown at once, kept off the GUI thread), undo applies its
// inverse, so Ctrl+Z after a rename, a tag, a note, a star or a trash puts
// the runs back, in the store too.
#pragma once

#include "run_edit.h"

#include <QPointer>
#include <QUndoCommand>

namespace runlens {
class Workspace;
}

namespace runlens::ui {

class RunEditCommand : public QUndoCommand {
public:
    RunEditCommand(Workspace& workspace, RunEdit edit);
    void redo() override;
    void undo() override;
    const RunEdit& edit() const { return edit_; }

private:
    QPointer<Workspace> workspace_;
    RunEdit edit_;
};

} // namespace runlens::ui
