// SPDX-License-Identifier: GPL-3.0-or-later
#include "store_registry.h"

#include "annotated_store_reader.h"

#include "comet_offline_reader.h"
#include "csv_logger_reader.h"
#include "guild_reader.h"
#include "mlflow_file_store_reader.h"
#include "mlflow_sqlite_reader.h"
#include "neptune_offline_reader.h"
#include "runlens_store_reader.h"
#include "sacred_reader.h"
#include "team_store_reader.h"
#include "team_store_url.h"
#include "tensorboard_logdir_reader.h"
#include "wandb_folder_reader.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <sys/stat.h>

#include <algorithm>

namespace runlens {

const std::vector<StoreFormat>& storeFormats()
{
    // One line per format.
    static const std::vector<StoreFormat> formats = {
        RunlensStoreReader::format(),
        MlflowFileStoreReader::format(),
        MlflowSqliteReader::format(),
        TensorboardLogdirReader::format(),
        CsvLoggerReader::format(CsvLoggerReader::Kind::Lightning),
        CsvLoggerReader::format(CsvLoggerReader::Kind::DvcLive),
        WandbFolderReader::format(),
        SacredReader::format(),
        GuildReader::format(),
        CometOfflineReader::format(),
        NeptuneOfflineReader::format(),
        TeamStoreReader::format(),
    };
    return formats;
}

QString storeFormatTitle(const QString& kind)
{
    for (const auto& f : storeFormats())
        if (f.kind == kind)
            return f.title;
    return kind;
}

const StoreFormat* findStoreFormat(const QString& kind)
{
    const auto& formats = storeFormats();
    const auto it = std::find_if(formats.begin(), formats.end(), [&](const StoreFormat& f) { return f.kind == kind; });
    return it == formats.end() ? nullptr : &*it;
}

QStringList storeKinds()
{
    QStringList kinds;
    for (const auto& f : storeFormats())
        kinds << f.kind;
    return kinds;
}

namespace {

// stat(), not QFileInfo: a named pipe or a device must be told apart before
// anything opens it (opening a FIFO for reading blocks until a writer comes).
Result<StoreProbe> probe(const QString& path)
{
    struct stat st {};
    const QByteArray native = QFile::encodeName(path);
    if (::stat(native.constData(), &st) != 0) {
        const int error = errno;
        struct stat link {};
        if (error == ELOOP)
            return Failure{QStringLiteral("'%1' is a symbolic link that leads back to itself (a loop); point it at the "
                                          "store").arg(path)};
        if (error == EACCES)
            return Failure{QStringLiteral("cannot read '%1': permission denied (a folder on its path is not readable "
                                          "by you)").arg(path)};
        if (::lstat(native.constData(), &link) == 0 && S_ISLNK(link.st_mode))
            return Failure{QStringLiteral("'%1' is a symbolic link to '%2', which does not exist")
                               .arg(path, QFileInfo(path).symLinkTarget())};
        return Failure{QStringLiteral("'%1' does not exist").arg(path)};
    }
    StoreProbe p;
    p.path = path;
    p.isDir = S_ISDIR(st.st_mode);
    p.isRegularFile = S_ISREG(st.st_mode);
    if (!p.isDir && !p.isRegularFile)
        return Failure{QStringLiteral("'%1' is not a store: it is neither a file nor a folder (a pipe or a device?)").arg(path)};
    if (p.isRegularFile) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Failure{QStringLiteral("cannot read '%1': %2").arg(path, file.errorString())};
        p.head = file.read(100);
    }
    return p;
}

// The format whose URL scheme `text` starts with (postgresql://), or nullptr.
const StoreFormat* formatForUrl(const QString& text)
{
    const qsizetype colon = text.indexOf(QLatin1String("://"));
    if (colon < 2)
        return nullptr;
    const QString scheme = text.left(colon).toLower();
    for (const auto& f : storeFormats())
        if (f.urlSchemes.contains(scheme))
            return &f;
    return nullptr;
}

QString formatList()
{
    QStringList described;
    for (const auto& f : storeFormats())
        described << f.description;
    return described.join(QStringLiteral(", "));
}

// Every store that does not keep the notebook's edits itself is read with
// its overlay laid over it.
Result<std::unique_ptr<StoreReader>> withAnnotations(const StoreFormat& format, Result<std::unique_ptr<StoreReader>> opened)
{
    if (!opened || format.capabilities.testFlag(StoreCapability::WriteAnnotations))
        return opened;
    return std::unique_ptr<StoreReader>(std::make_unique<AnnotatedStoreReader>(std::move(*opened)));
}

} // namespace

Result<QString> storePathOf(const QString& pathOrUrl)
{
    static const QRegularExpression scheme(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*):(//)?"));
    const auto m = scheme.match(pathOrUrl);
    // One letter is a Windows drive, not a scheme.
    if (!m.hasMatch() || m.capturedLength(1) < 2 || m.captured(2).isEmpty())
        return pathOrUrl;
    const QString name = m.captured(1).toLower();
    if (name == QLatin1String("file")) {
        const QUrl url(pathOrUrl);
        if (!url.isValid() || !url.isLocalFile())
            return Failure{QStringLiteral("'%1' is not a local file URL").arg(pathOrUrl)};
        return url.toLocalFile();
    }
    // MLflow's tracking URI for its SQLite backend: sqlite:///relative.db, sqlite:////absolute.db.
    if (name == QLatin1String("sqlite")) {
        const QString rest = pathOrUrl.mid(m.capturedLength());
        if (!rest.startsWith(QLatin1Char('/')))
            return Failure{QStringLiteral("'%1' names no file (sqlite:///PATH)").arg(pathOrUrl)};
        return rest.mid(1);
    }
    return Failure{QStringLiteral("'%1': this build opens files and folders (paths, file:// and sqlite:/// URLs) and "
                                  "team stores (postgresql://), not %2:// stores")
                       .arg(QUrl(pathOrUrl).toString(QUrl::RemovePassword), name)};
}

Result<std::unique_ptr<StoreReader>> openStore(const QString& pathOrUrl, const QString& kind, bool includeDeleted)
{
    // A store on a server is a URL, never a path: its scheme says what it is.
    if (const StoreFormat* server = formatForUrl(pathOrUrl)) {
        if (!kind.isEmpty() && kind != server->kind)
            return Failure{QStringLiteral("'%1' names a %2; --kind %3 does not read one")
                               .arg(storeShownLocation(pathOrUrl), server->description, kind)};
        return withAnnotations(*server, server->open(pathOrUrl, StoreOpenOptions{includeDeleted}));
    }
    const auto resolved = storePathOf(pathOrUrl);
    if (!resolved)
        return Failure{resolved.error()};
    const QString& path = *resolved;
    const StoreOpenOptions options{includeDeleted};
    const StoreFormat* chosen = nullptr;
    if (!kind.isEmpty()) {
        chosen = findStoreFormat(kind);
        if (!chosen)
            return Failure{QStringLiteral("unknown store kind '%1'; this build reads: %2")
                               .arg(kind, storeKinds().join(QStringLiteral(", ")))};
        if (!QFileInfo::exists(path))
            return Failure{QStringLiteral("'%1' does not exist").arg(path)};
        return withAnnotations(*chosen, chosen->open(path, options));
    }
    const auto probed = probe(path);
    if (!probed)
        return Failure{probed.error()};
    int best = 0;
    for (const auto& f : storeFormats())
        if (const int score = f.recognise(*probed); score > best) {
            best = score;
            chosen = &f;
        }
    if (chosen)
        return withAnnotations(*chosen, chosen->open(path, options));
    if (probed->isDir)
        return Failure{QStringLiteral("'%1' is a folder but not a store this build reads (%2)").arg(path, formatList())};
    if (probed->head.isEmpty()) {
        // What a training process that died while creating its store leaves:
        // the file, empty, and maybe SQLite's journal beside it.
        QStringList beside;
        for (const char* suffix : {"-journal", "-wal"})
            if (QFileInfo::exists(path + QLatin1String(suffix)))
                beside << QFileInfo(path).fileName() + QLatin1String(suffix);
        return Failure{QStringLiteral("'%1' is empty (0 bytes)%2: a training run that stopped while creating it leaves "
                                      "this. Log a run to it again (the logger finishes what was begun), or delete it%3.")
                           .arg(path,
                               beside.isEmpty() ? QString()
                                                : QStringLiteral(", with %1 beside it").arg(beside.join(QStringLiteral(" and "))),
                               beside.isEmpty() ? QString() : QStringLiteral(" and what is beside it"))};
    }
    return Failure{QStringLiteral("'%1' is not a store: not a SQLite database, nor a folder of runs. This build reads: %2")
                       .arg(path, formatList())};
}

bool isStoreUrl(const QString& text)
{
    return formatForUrl(text) != nullptr;
}

QString storeKey(const QString& pathOrUrl)
{
    if (formatForUrl(pathOrUrl))
        return pathOrUrl;
    return QFileInfo(pathOrUrl).absoluteFilePath();
}

QString storeDisplayName(const QString& pathOrUrl)
{
    if (TeamStoreUrl::looksLikeOne(pathOrUrl)) {
        const auto url = TeamStoreUrl::parse(pathOrUrl);
        return url ? url->shortName() : QStringLiteral("a team store");
    }
    return QFileInfo(pathOrUrl).fileName();
}

QString storeShownLocation(const QString& pathOrUrl)
{
    if (TeamStoreUrl::looksLikeOne(pathOrUrl)) {
        const auto url = TeamStoreUrl::parse(pathOrUrl);
        return url ? url->display() : QStringLiteral("a team store (malformed URL)");
    }
    return pathOrUrl;
}

} // namespace runlens
