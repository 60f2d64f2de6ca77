// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers shared by the tests.
#pragma once

#include "runlens/runlens.h"
#include "runlens_store_reader.h"
#include "store_importer.h"
#include "store_registry.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QtTest>

#include <memory>
#include <string>
#include <stdexcept>

namespace runlens::test {

// The shared fixtures are part of the test data, not an option: a missing
// folder fails the test rather than skipping it (ctest would still say 100%).
inline constexpr const char* kMissingFixtures =
    "../shared/fixtures is missing (tests read it from RUNLENS_SHARED_FIXTURES); it sits beside the checkout";

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

// Every file under `root`, names and contents: equal before and after proves
// a reader changed nothing.
inline QByteArray treeHash(const QString& root)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    for (const auto& f : files) {
        h.addData(f.toUtf8());
        h.addData(fileHash(f));
    }
    return h.result().toHex();
}

// Opens our store or throws, so a test fails with the reader's message.
// Makes a PNG claim `side` x `side` pixels, with a correct CRC: a
// decompression bomb's header on a tiny file.
inline void forgePngSize(QByteArray& png, uint32_t side)
{
    for (int i = 0; i < 4; ++i) // IHDR's width and height: bytes 16 to 23
        png[16 + i] = png[20 + i] = char((side >> (24 - 8 * i)) & 0xff);
    uint32_t crc = 0xffffffffu; // CRC-32 of "IHDR" and its 13 bytes
    for (char ch : png.mid(12, 17)) {
        crc ^= uint8_t(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    crc = ~crc;
    for (int i = 0; i < 4; ++i)
        png[29 + i] = char((crc >> (24 - 8 * i)) & 0xff);
}

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

// Reads everything a user can of a store: each run's details, and the bytes
// of each artifact it keeps (not remote references). What failed, by run;
// empty when all read.
inline QStringList readEverything(StoreReader& reader)
{
    QStringList failed;
    const auto table = mustLoad(reader);
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString id = table->id(r);
        if (const auto d = reader.loadDetails(id); !d)
            failed << id + QStringLiteral(": ") + d.error();
        if (auto artifacts = reader.loadArtifacts(id))
            for (const auto& item : artifacts->items)
                if (item.remoteUri.isEmpty())
                    if (const auto bytes = reader.loadArtifactBytes(artifacts->root, item, 1 << 20); !bytes)
                        failed << id + QStringLiteral(", ") + item.path + QStringLiteral(": ") + bytes.error();
    }
    return failed;
}

// `source` imported into a new Runlens store at `dest`, opened: how many
// runs the import copied, and the store's runs as read back.
struct ImportedStore {
    int imported = 0;
    std::unique_ptr<RunlensStoreReader> reader;
    std::shared_ptr<const RunTable> table;
};
inline ImportedStore importInto(StoreReader& source, const QString& dest)
{
    auto summary = importStore(source, dest);
    if (!summary)
        throw std::runtime_error(summary.error().toStdString());
    ImportedStore out;
    out.imported = summary->imported;
    out.reader = mustOpen(dest);
    out.table = mustLoad(*out.reader);
    return out;
}

// Where a run's details disagree with its row of the run table (experiment,
// status, times, params, metric counts): empty when they agree. Every reader's
// test runs it, because the two are read by different code in some formats.
inline QStringList detailsDisagreeWithTable(StoreReader& reader)
{
    QStringList out;
    const auto table = mustLoad(reader);
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString id = table->id(r);
        const auto d = reader.loadDetails(id);
        if (!d) {
            out << id + QStringLiteral(": ") + d.error();
            continue;
        }
        auto differ = [&](const char* what, const QString& inTable, const QString& inDetails) {
            if (inTable != inDetails)
                out << QStringLiteral("%1: %2 is '%3' in the table, '%4' in the details")
                           .arg(id, QLatin1String(what), inTable, inDetails);
        };
        differ("name", table->name(r), d->name);
        differ("experiment", table->experiment(r), d->experiment);
        differ("status", statusName(table->status(r)), statusName(d->status));
        differ("start", QString::number(table->startTime(r)), QString::number(d->startTime));
        differ("end", QString::number(table->endTime(r)), QString::number(d->endTime));
        for (const auto& p : d->params)
            if (const auto* c = table->param(p.key); !c || !c->has(r) || c->text[size_t(r)] != p.value)
                differ(qPrintable(QStringLiteral("param ") + p.key), c && c->has(r) ? c->text[size_t(r)] : QString(), p.value);
        for (const auto& m : d->metrics)
            if (const auto* c = table->metric(m.key); !c || !c->has(r) || c->count[size_t(r)] != m.count)
                differ(qPrintable(QStringLiteral("count of ") + m.key),
                       c && c->has(r) ? QString::number(c->count[size_t(r)]) : QString(), QString::number(m.count));
    }
    return out;
}

} // namespace runlens::test

namespace runlens {
// Found by QCOMPARE through argument-dependent lookup: statuses print by name.
inline char* toString(RunStatus status)
{
    return qstrdup(qPrintable(statusName(status)));
}
} // namespace runlens
