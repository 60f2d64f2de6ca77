// SPDX-License-Identifier: GPL-3.0-or-later
// The notebook's edits of another tool's store (an MLflow folder, a
// TensorBoard logdir, a CSV folder), kept beside it and never in it: one
// SQLite file per store in the app's data folder, holding each edited
// field's current value and the append-only history of edits.
//
// A store is found again by its identity rather than its path alone: the
// file is named after the store's kind and path, and when the folder moved
// (no file for the new path), the overlay of that kind whose edited runs
// the store holds is taken. Run ids are what identify runs in every format
// we read (MLflow's are UUIDs), so a moved or mailed folder keeps its notes.
//
// Exported and imported as JSON (`runlens annotations export|import`), so a
// colleague receiving the store receives the notes too.
#pragma once

#include "result.h"
#include "run_edit.h"

#include <QByteArray>
#include <QSet>
#include <QString>

#include <vector>

namespace runlens {

class AnnotationOverlay {
public:
    // Where overlays live: the app's data folder ("annotations/" in
    // QStandardPaths::AppDataLocation), or $RUNLENS_ANNOTATIONS_DIR.
    static QString folder();

    // The overlay of the store of `kind` at `location` holding `runIds`;
    // `path()` is empty when there is none yet (it is made by the first write).
    static AnnotationOverlay find(const QString& kind, const QString& location, const QSet<QString>& runIds);

    const QString& path() const { return path_; }
    bool exists() const { return !path_.isEmpty(); }

    // Each edited field's value now, as edits to apply over what the store
    // holds (a removed tag: `after` empty).
    std::vector<RunEdit> edits() const;
    std::vector<RunEvent> history(const QString& runId) const;
    // Keeps `edit` (made by `user`), creating the overlay if needed.
    Result<bool> write(const RunEdit& edit, const QString& user);

    // Named texts kept for the store rather than for a run
    // (core/stores/store_entries.h: saved queries, promotion rules), whose
    // keys start with `prefix` ("query:"), by name; writing an empty value
    // removes one.
    std::vector<std::pair<QString, QString>> entries(const QString& prefix) const;
    Result<bool> writeEntry(const QString& prefix, const QString& name, const QString& value);

    // {"kind", "location", "runs": {id: {"name"|"notes"|"hypothesis": text,
    // "tags": {key: value|null}}}, "entries": {"query:NAME"|"rule:EXPERIMENT"|
    // "metric:NAME": text}, "events": [...]}
    Result<QByteArray> exportJson() const;
    struct Export {
        std::vector<RunEdit> edits;   // values as edits (no `before`)
        std::vector<std::pair<QString, QString>> entries;   // saved queries, rules, derived metrics: "query:NAME" -> text
    };
    // An export's contents, for this overlay or one of our stores; each value
    // becomes an edit by whoever imports it.
    static Result<Export> parseExport(const QByteArray& json);

private:
    AnnotationOverlay(QString kind, QString location, QString path);
    // The file a store at `location` gets when it has none.
    static QString pathFor(const QString& kind, const QString& location);

    QString kind_, location_, path_;
};

} // namespace runlens
