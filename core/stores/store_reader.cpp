// SPDX-License-Identifier: GPL-3.0-or-later
#include "store_reader.h"

#include "artifact_files.h"

#include <QFileInfo>
#include <QUrl>

namespace runlens {

Result<RunArtifacts> StoreReader::loadArtifacts(const QString& runId)
{
    auto details = loadDetails(runId);
    if (!details)
        return Failure{details.error()};
    // MLflow's SQLite store names only the run's artifact root: list it.
    const auto& records = details->artifacts;
    if (records.size() == 1 && records.front().path == QStringLiteral("(artifact root)")) {
        const QUrl url(records.front().uri);
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir())
            return listArtifactFolder(url.toLocalFile());
        RunArtifacts remote;
        remote.problems << QStringLiteral("the artifacts are kept at %1, which Runlens does not fetch").arg(records.front().uri);
        return remote;
    }
    return artifactsOf(records);
}

Result<QByteArray> StoreReader::loadArtifactBytes(const QString& root, const ArtifactItem& item, int64_t limit)
{
    if (!item.remoteUri.isEmpty())
        return Failure{QStringLiteral("'%1' is kept at %2, which Runlens does not fetch").arg(item.path, item.remoteUri)};
    if (item.inStore())
        return Failure{QStringLiteral("this store keeps no media")};
    return readArtifactFile(root, item.file, limit);
}

} // namespace runlens
