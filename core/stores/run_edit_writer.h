// SPDX-License-Identifier: GPL-3.0-or-later
// The one way an edit of runs is kept: into our own store (with its
// history), or into the overlay beside another tool's store, which is never
// written. Blocks on a busy store (retrying): call it off the GUI thread.
#pragma once

#include "result.h"
#include "run_edit.h"

namespace runlens {

class StoreReader;

Result<bool> writeRunEdit(const StoreReader& store, const RunEdit& edit, const QString& user = currentUserName());
// Our stores only: deletes the trashed runs for good; how many.
Result<int> emptyTrash(const StoreReader& store, bool vacuum, const QString& user = currentUserName());
// Whether the store keeps edits itself (ours) or in an overlay.
bool keepsEditsInStore(const StoreReader& store);

} // namespace runlens
