// SPDX-License-Identifier: GPL-3.0-or-later
// Edits written into one of our stores: the runs' rows and an append-only
// `run_events` record of each change, in one transaction, so a crash keeps
// both or neither. Loggers may be writing the same store: a busy store is
// retried (a logger holds it for milliseconds a flush) until a deadline,
// and the edit is either all in or reported, never half in.
//
// `run_events` is created by the first edit (CREATE TABLE IF NOT EXISTS):
// an additional table, which a Runlens that predates it reads past, so
// editing a store never makes an older Runlens refuse it.
#pragma once

#include "result.h"
#include "run_edit.h"
#include "runlens/model_registry.h"

#include <optional>
#include <vector>

namespace runlens {

class SqliteDb;

class StoreRunEditor {
public:
    // Writes `edit` into the store at `path` as `user`. Every run must be in
    // the store, or nothing is written.
    static Result<bool> write(const QString& path, const RunEdit& edit, const QString& user, int retryForMs = 60000);
    // The edit history of `runId`, oldest first; empty when the store has none.
    static std::vector<RunEvent> history(SqliteDb& db, const QString& runId);
    // Deletes the trashed runs for good, with everything they logged; the
    // count deleted. `vacuum` gives the space back to the file system.
    static Result<int> emptyTrash(const QString& path, bool vacuum, const QString& user, int retryForMs = 60000);
    // Applies model registry changes (runlens/model_registry.h; all or
    // none) as `user`, retried while the store is busy: the number of the
    // version registered last (0: none). A change the registry refuses
    // fails at once, with its kind in `refusedAs` when given.
    static Result<qint64> applyRegistry(const QString& path, const std::vector<RegistryChange>& changes,
                                        const QString& user, int retryForMs = 60000,
                                        std::optional<RegistryErrorKind>* refusedAs = nullptr);
};

} // namespace runlens
