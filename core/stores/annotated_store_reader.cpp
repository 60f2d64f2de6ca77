// SPDX-License-Identifier: GPL-3.0-or-later
#include "annotated_store_reader.h"

#include <QFileInfo>

namespace runlens {

AnnotatedStoreReader::AnnotatedStoreReader(std::unique_ptr<StoreReader> inner)
    : inner_(std::move(inner))
{
}

AnnotationOverlay AnnotatedStoreReader::overlay() const
{
    QSet<QString> ids;
    {
        std::lock_guard lock(mutex_);
        if (found_ && found_->exists())
            return *found_;
        ids = runIds_;
    }
    // Asked before any load: a moved store is found by its runs, so read them.
    if (ids.isEmpty())
        if (auto runs = inner_->loadRuns())
            for (int r = 0; r < runs->table->rowCount(); ++r)
                ids.insert(runs->table->id(r));
    return AnnotationOverlay::find(kind(), location(), ids);
}

Result<LoadedRuns> AnnotatedStoreReader::loadRuns(const ProgressCallback& progress)
{
    auto loaded = inner_->loadRuns(progress);
    if (!loaded)
        return loaded;
    QSet<QString> ids;
    ids.reserve(loaded->table->rowCount());
    for (int r = 0; r < loaded->table->rowCount(); ++r)
        ids.insert(loaded->table->id(r));
    const AnnotationOverlay found = AnnotationOverlay::find(kind(), location(), ids);
    {
        std::lock_guard lock(mutex_);
        runIds_ = ids;
        found_ = found;
    }
    const auto edits = found.edits();
    if (!edits.empty()) {
        auto table = std::make_shared<RunTable>(*loaded->table);
        for (const RunEdit& e : edits)
            e.applyTo(*table);
        table->sortColumns();
        loaded->table = std::move(table);
    }
    return loaded;
}

Result<RunDetails> AnnotatedStoreReader::loadDetails(const QString& runId)
{
    auto details = inner_->loadDetails(runId);
    if (!details)
        return details;
    const AnnotationOverlay o = overlay();
    for (const RunEdit& e : o.edits())
        e.applyTo(*details);
    details->events = o.history(runId);
    return details;
}

QString AnnotatedStoreReader::changeStamp() const
{
    QString path;
    {
        std::lock_guard lock(mutex_);
        path = found_ ? found_->path() : QString();
    }
    return inner_->changeStamp() + QLatin1Char('|')
        + (path.isEmpty() ? ChangeWatch::stampOf({AnnotationOverlay::folder()})
                          : ChangeWatch::stampOf({path, path + QStringLiteral("-wal")}));
}

} // namespace runlens
