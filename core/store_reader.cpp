// SPDX-License-Identifier: GPL-3.0-or-later
#include "store_reader.h"

#include "csv_logger_reader.h"
#include "mlflow_file_store_reader.h"
#include "mlflow_sqlite_reader.h"
#include "runlens/sqlite_db.h"
#include "runlens_store_reader.h"
#include "tensorboard_logdir_reader.h"

#include <QDir>

#include <QFile>
#include <QFileInfo>

namespace runlens {

const QStringList& storeKinds()
{
    static const QStringList kinds = {QStringLiteral("runlens"), QStringLiteral("mlflow-file"),
                                      QStringLiteral("mlflow-sqlite"), QStringLiteral("tensorboard"),
                                      QStringLiteral("lightning"), QStringLiteral("dvclive")};
    return kinds;
}

Result<std::unique_ptr<StoreReader>> openStore(const QString& path, const QString& kind, bool includeDeleted)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Failure{QStringLiteral("'%1' does not exist").arg(path)};
    const QStringList& kinds = storeKinds();
    if (!kind.isEmpty() && !kinds.contains(kind))
        return Failure{QStringLiteral("unknown store kind '%1'; this build reads: %2").arg(kind, kinds.join(QStringLiteral(", ")))};
    if (kind == QLatin1String("lightning") || kind == QLatin1String("dvclive")) {
        auto csv = CsvLoggerReader::open(path, kind == QLatin1String("lightning") ? CsvLoggerReader::Kind::Lightning
                                                                               : CsvLoggerReader::Kind::DvcLive);
        if (!csv)
            return Failure{csv.error()};
        return std::unique_ptr<StoreReader>(std::move(*csv));
    }
    const bool mlflowFolder = info.isDir()
        && (MlflowFileStoreReader::looksLikeStore(path)
            || MlflowFileStoreReader::looksLikeStore(QDir(path).filePath(QStringLiteral("mlruns"))));
    if (kind.isEmpty() && info.isDir() && !mlflowFolder && !TensorboardLogdirReader::looksLikeLogdir(path)) {
        if (auto csv = CsvLoggerReader::open(path))
            return std::unique_ptr<StoreReader>(std::move(*csv));
    }
    if (kind == QLatin1String("tensorboard")
        || (kind.isEmpty() && info.isDir() && !mlflowFolder && TensorboardLogdirReader::looksLikeLogdir(path))) {
        auto tb = TensorboardLogdirReader::open(path);
        if (!tb)
            return Failure{tb.error()};
        return std::unique_ptr<StoreReader>(std::move(*tb));
    }
    if (kind == QLatin1String("mlflow-file") || (kind.isEmpty() && info.isDir())) {
        auto mlflow = MlflowFileStoreReader::open(path, includeDeleted);
        if (mlflow)
            return std::unique_ptr<StoreReader>(std::move(*mlflow));
        if (info.isDir() && kind.isEmpty())
            return Failure{QStringLiteral("'%1' is a folder but not a store this build reads (an MLflow mlruns folder "
                                          "or a folder holding one, a TensorBoard logdir, Lightning CSV logs or "
                                          "DVCLive output)")
                               .arg(path)};
        return Failure{mlflow.error()};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Failure{QStringLiteral("cannot read '%1': %2").arg(path, file.errorString())};
    const QByteArray head = file.read(16);
    if (head != QByteArrayLiteral("SQLite format 3\0"))
        return Failure{QStringLiteral("'%1' is not a store: it is not a SQLite database").arg(path)};
    // Our store has store_meta; MLflow's has alembic_version. The kind decides.
    bool mlflow = kind == QLatin1String("mlflow-sqlite");
    if (kind.isEmpty()) {
        try {
            SqliteDb probe(path.toStdString(), SqliteDb::Mode::ReadOnly);
            mlflow = MlflowSqliteReader::isMlflowDatabase(probe);
        } catch (const std::exception& e) {
            return Failure{QString::fromUtf8(e.what())};
        }
    }
    if (mlflow) {
        auto reader = MlflowSqliteReader::open(path, includeDeleted);
        if (!reader)
            return Failure{reader.error()};
        return std::unique_ptr<StoreReader>(std::move(*reader));
    }
    auto reader = RunlensStoreReader::open(path);
    if (!reader)
        return Failure{reader.error()};
    return std::unique_ptr<StoreReader>(std::move(*reader));
}

} // namespace runlens
