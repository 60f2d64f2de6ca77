// SPDX-License-Identifier: GPL-3.0-or-later
#include "folder_walk.h"

#include <QDir>
#include <QFileInfo>

#include <vector>

namespace runlens {

void walkFolders(const QString& root, int maxDepth, const std::function<WalkNext(const QString& folder)>& visit)
{
    std::vector<QString> level{QDir(root).absolutePath()};
    for (int depth = 1; depth <= maxDepth && !level.empty(); ++depth) {
        std::vector<QString> next;
        for (const QString& dir : level) {
            const QFileInfoList folders = QDir(dir).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
            for (const QFileInfo& folder : folders) {
                const QString path = folder.absoluteFilePath();
                switch (visit(path)) {
                case WalkNext::Stop: return;
                case WalkNext::Skip: break;
                case WalkNext::Enter:
                    if (!folder.isSymLink())
                        next.push_back(path);
                    break;
                }
            }
        }
        level = std::move(next);
    }
}

} // namespace runlens
