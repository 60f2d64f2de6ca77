#include "store_reader.h"

#include "runlens_store_reader.h"

#include <QFile>
#include <QFileInfo>

namespace runlens {

Result<std::unique_ptr<StoreReader>> openStore(const QString& path, const QString& kind)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Failure{QStringLiteral("'%1' does not exist").arg(path)};
    if (!kind.isEmpty() && kind != QLatin1String("runlens"))
        return Failure{QStringLiteral("unknown store kind '%1'; this build reads: runlens").arg(kind)};
    if (info.isDir())
        return Failure{QStringLiteral("'%1' is a folder; this build opens Runlens store files (MLflow, TensorBoard "
                                      "and CSV logger folders are not readable yet)")
                           .arg(path)};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Failure{QStringLiteral("cannot read '%1': %2").arg(path, file.errorString())};
    const QByteArray head = file.read(16);
    if (head != QByteArrayLiteral("SQLite format 3\0"))
        return Failure{QStringLiteral("'%1' is not a store: it is not a SQLite database").arg(path)};
    auto reader = RunlensStoreReader::open(path);
    if (!reader)
        return Failure{reader.error()};
    return std::unique_ptr<StoreReader>(std::move(*reader));
}

} // namespace runlens
