// SPDX-License-Identifier: GPL-3.0-or-later
// What a store format declares about itself in the registry
// (store_registry.cpp): its name, how it recognises its stores, what it can
// do, and how to open one. Adding a format is a reader (one file pair) with a
// static format() and one line in the registry.
#pragma once

#include "result.h"

#include <QByteArray>
#include <QFlags>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace runlens {

class StoreReader;

enum class StoreCapability : unsigned {
    Read = 1,
    // Notices writes while open (the workspace's live refresh).
    Live = 2,
    // Keeps the app's annotations (baselines) in the store itself; other
    // formats are never written and keep them in the app's settings.
    WriteAnnotations = 4,
};
Q_DECLARE_FLAGS(StoreCapabilities, StoreCapability)
Q_DECLARE_OPERATORS_FOR_FLAGS(StoreCapabilities)

// What recognisers look at, gathered once per path: never a read that could
// block (only regular files are opened).
struct StoreProbe {
    QString path;
    bool isDir = false;
    bool isRegularFile = false;
    QByteArray head; // a regular file's first bytes (up to 100)

    bool isSqlite() const { return isRegularFile && head.startsWith(QByteArrayLiteral("SQLite format 3\0")); }
};

struct StoreOpenOptions {
    bool includeDeleted = false; // MLflow's deleted runs and .trash
};

struct StoreFormat {
    QString kind;        // what --kind takes and StoreReader::kind() returns
    QString title;       // the tool's name, as the navigator shows it: "MLflow", "TensorBoard", "W&B"
    QString description; // for messages: "an MLflow mlruns folder or a folder holding one"
    StoreCapabilities capabilities;
    // How surely the probed path is a store of this format: 0 not at all. The
    // highest score opens it, so a format that also matches another's stores
    // (a logdir inside an mlruns folder) scores below the more specific one.
    std::function<int(const StoreProbe&)> recognise;
    std::function<Result<std::unique_ptr<StoreReader>>(const QString& path, const StoreOpenOptions&)> open;
    // A store on a server, named by a URL of these schemes ("postgresql"),
    // never by a path: openStore() sends such URLs to open() as they are.
    QStringList urlSchemes = {};
};

// A reader's typed open() result as the registry's.
template <class Reader>
Result<std::unique_ptr<StoreReader>> asStoreReader(Result<std::unique_ptr<Reader>> opened)
{
    if (!opened)
        return Failure{opened.error()};
    return std::unique_ptr<StoreReader>(std::move(*opened));
}

} // namespace runlens
