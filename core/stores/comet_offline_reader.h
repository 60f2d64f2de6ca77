// SPDX-License-Identifier: GPL-3.0-or-later
// Reads Comet's offline experiment archives as they are, read-only: one
// <experiment key>.zip (a resumed one: <key>-<6 letters>.zip), or a folder
// holding them (.cometml-runs/, Comet's default). Each archive is a run:
// experiment.json gives the key, project (as the experiment), tags, start
// and stop times and the error Comet reported; messages.json, a JSON message
// a line, gives the metrics with their steps, params ("a|b" nesting as
// "a.b"), others (as tags, "Name" as the run's name), system details, git,
// installed packages and the files uploaded (the archive's other members,
// shown as artifacts). Both generations of messages are read: the typed ones
// (comet_ml 3.4x on) and the older "ws_msg" ones. Comet's sys.* metrics are
// under system/, renamed where they mean what ours do.
//
// Comet fills an archive when the experiment ends: until then it is an
// empty zip, shown as running for a week and as crashed after.
#pragma once

#include "folder_of_runs_reader.h"
#include "store_format.h"

#include <QDir>
#include <QSet>

namespace runlens {

class CometOfflineReader final : public FolderOfRunsReader {
public:
    static Result<std::unique_ptr<CometOfflineReader>> open(const QString& path);
    // An archive of Comet's, or a folder with one in it or below it.
    static int recognise(const StoreProbe& probe);
    static StoreFormat format();

    QString kind() const override { return QStringLiteral("comet"); }

private:
    CometOfflineReader(QDir root, QString onlyArchive);
    QStringList runFolders() const override;
    RunFolder readRun(const QString& archive) const override;
    QString runIdOf(const QString& archive) const override;
    Result<QByteArray> readEmbedded(const QString& file, const ArtifactItem& item, int64_t limit) const override;

    QString onlyArchive_; // opened on one archive: that one; else every archive under the root
    // Keys of archives found twice by the last runFolders(), which loadRuns()
    // calls before reading runs (runIdOf() then only reads it).
    mutable QSet<QString> repeatedKeys_;
};

} // namespace runlens
