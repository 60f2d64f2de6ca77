// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers shared by the tests.
#pragma once

#include "runlens/runlens.h"
#include "runlens_store_reader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QtTest>

#include <memory>
#include <string>
#include <stdexcept>

namespace runlens::test {

// A run for a test's own store: named, no git lookup of the test's folder.
inline RunOptions testRun(std::string name)
{
    RunOptions o;
    o.name = std::move(name);
    o.capture_git = false;
    return o;
}

// Writes a small file of a hand-made store, making its folders.
inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        throw std::runtime_error("cannot write " + path.toStdString());
}

inline QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

// Opens our store or throws, so a test fails with the reader's message.
inline std::unique_ptr<RunlensStoreReader> mustOpen(const QString& path)
{
    auto r = RunlensStoreReader::open(path);
    if (!r)
        throw std::runtime_error(r.error().toStdString());
    return std::move(*r);
}

inline std::shared_ptr<const RunTable> mustLoad(StoreReader& reader)
{
    auto runs = reader.loadRuns();
    if (!runs)
        throw std::runtime_error(runs.error().toStdString());
    return runs->table;
}

} // namespace runlens::test

namespace runlens {
// Found by QCOMPARE through argument-dependent lookup: statuses print by name.
inline char* toString(RunStatus status)
{
    return qstrdup(qPrintable(statusName(status)));
}
} // namespace runlens
