// SPDX-License-Identifier: GPL-3.0-or-later
// The folders under a store's root, breadth first and no deeper than a
// format's layout goes (Sacred, Guild, Comet, neptune). Recognising a store
// must not walk a home folder or a dataset's million files: QDirIterator's
// Subdirectories walks all of it even when the caller passes over what is
// too deep. Symlinked folders are visited, never entered.
#pragma once

#include <QString>

#include <functional>

namespace runlens {

enum class WalkNext { Enter, Skip, Stop };

// Calls `visit` with each folder under `root` (not root itself), hidden ones
// too, down to `maxDepth` levels (1: root's own folders), a level at a time,
// by name within a folder; `visit` says whether to look inside the folder,
// not to, or to stop the walk.
void walkFolders(const QString& root, int maxDepth, const std::function<WalkNext(const QString& folder)>& visit);

} // namespace runlens
