// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_edit_command.h"

#include "workspace.h"

namespace runlens::ui {

RunEditCommand::RunEditCommand(Workspace& workspace, RunEdit edit)
    : workspace_(&workspace), edit_(std::move(edit))
{
    setText(edit_.describe());
}

void RunEditCommand::redo()
{
    if (workspace_)
        workspace_->applyEdit(edit_);
}

void RunEditCommand::undo()
{
    if (workspace_)
        workspace_->applyEdit(edit_.inverse());
}

} // namespace runlens::ui
