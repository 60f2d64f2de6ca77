// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the MLflow file store reader on an mlruns folder whose
// run meta.yaml, one param and one metric file are the fuzzer's bytes.
#include "mlflow_file_store_reader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

namespace {

void write(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    // The metric parser alone, on everything.
    runlens::parseMlflowMetricFile(bytes);

    static QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("mlruns"));
    const qsizetype third = bytes.size() / 3;
    write(root + QStringLiteral("/0/meta.yaml"), "experiment_id: '0'\nname: fuzz\n");
    write(root + QStringLiteral("/0/r/meta.yaml"), bytes.left(third));
    write(root + QStringLiteral("/0/r/params/p"), bytes.mid(third, third));
    write(root + QStringLiteral("/0/r/metrics/m"), bytes.mid(2 * third));
    auto reader = runlens::MlflowFileStoreReader::open(root);
    if (reader) {
        auto runs = (*reader)->loadRuns();
        if (runs && runs->table->rowCount() > 0) {
            (*reader)->loadDetails(runs->table->id(0));
            (*reader)->loadSeries(runs->table->id(0), QStringLiteral("m"));
        }
    }
    return 0;
}
