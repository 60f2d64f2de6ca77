// SPDX-License-Identifier: GPL-3.0-or-later
// Opens a team store (core/team/, PostgreSQL) as every other store opens:
// runs as a RunTable, one run's details, series on demand, read-only. Its
// connections never write (each is read-only from its first statement), so a
// member with the reader role browses it all. Each load is one snapshot
// (REPEATABLE READ), as a push commits run by run.
#pragma once

#include "store_format.h"
#include "store_reader.h"
#include "team_run_filter.h"
#include "team_store_url.h"

#include <QString>

#include <memory>
#include <optional>

namespace runlens {

class TeamConnection;

class TeamStoreReader final : public StoreReader {
public:
    // `url` is postgresql://...; a failure when it cannot connect (libpq's
    // reason), or when the database is not a team store this build reads.
    static Result<std::unique_ptr<TeamStoreReader>> open(const QString& url);
    static StoreFormat format();
    ~TeamStoreReader() override;

    QString kind() const override { return QStringLiteral("runlens-team"); }
    // The URL without its password.
    QString location() const override;

    Result<LoadedRuns> loadRuns(const ProgressCallback& progress = {}) override;
    Result<RunDetails> loadDetails(const QString& runId) override;
    Result<MetricSeries> loadSeries(const QString& runId, const QString& key) override;
    // The store's push counter: one cheap query; "unreachable" while the
    // server cannot be reached (the window keeps the runs it has and says
    // why, and reads again when the counter comes back).
    QString changeStamp() const override;
    std::unique_ptr<QObject> listenForChanges(std::function<void()> changed) override;
    // The condition goes to the server (team_run_filter.h).
    bool narrowTo(const RunQuery& query) override;

private:
    explicit TeamStoreReader(std::unique_ptr<TeamConnection> connection);

    std::unique_ptr<TeamConnection> connection_;
    std::optional<TeamRunFilter> filter_;
};

} // namespace runlens
