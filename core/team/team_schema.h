// SPDX-License-Identifier: GPL-3.0-or-later
// The team store's schema on PostgreSQL (docs/team-store.md): the local
// store's data model (core/logger's store_schema.cpp) with its own version
// and migrations, the indexes a 100,000-run store needs, and the two roles
// a team grants its members (runlens_reader browses, runlens_writer pushes).
#pragma once

#include "result.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace runlens {

class TeamConnection;

inline constexpr int kTeamSchemaVersion = 1;
// team_meta's 'application': what tells our database from any other.
inline constexpr const char* kTeamApplicationId = "runlens-team";

// The database's team schema version; 0 when it is empty (nothing of ours,
// nothing else); a failure when it holds something else or a newer schema.
Result<int> teamSchemaVersion(TeamConnection& connection, QSqlDatabase& db);

struct TeamSchemaCreated {
    int fromVersion = 0; // 0: created; the current version: it was there already
    QStringList notes;   // what could not be set up and why (roles without CREATEROLE)
};

// Creates the schema in an empty database (or brings an older one up to
// date), in one transaction; refuses a database that holds something else.
Result<TeamSchemaCreated> createTeamSchema(TeamConnection& connection);

} // namespace runlens
