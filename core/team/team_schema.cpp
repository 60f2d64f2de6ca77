// SPDX-License-Identifier: GPL-3.0-or-later
#include "team_schema.h"

#include "team_connection.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <array>

namespace runlens {

namespace {

// Version 1. Later versions add a migration below; never edit this text.
// Times are milliseconds since the epoch as in the local store; series are
// the local store's chunks, byte for byte (runlens/chunk_codec.h).
constexpr const char* kTeamSchemaV1 = R"SQL(
CREATE TABLE team_meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE experiments(
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  created_at bigint NOT NULL);
CREATE TABLE runs(
  id text PRIMARY KEY,
  experiment_id bigint NOT NULL REFERENCES experiments(id),
  name text NOT NULL,
  status text NOT NULL CHECK(status IN ('running','finished','failed','killed','crashed')),
  start_time bigint NOT NULL,
  end_time bigint,
  heartbeat bigint NOT NULL,
  heartbeat_interval_ms bigint NOT NULL,
  host text NOT NULL DEFAULT '',
  pid bigint NOT NULL DEFAULT 0,
  parent_id text,
  notes text NOT NULL DEFAULT '',
  hypothesis text NOT NULL DEFAULT '',
  repro_hash text NOT NULL DEFAULT '',
  config_hash text NOT NULL DEFAULT '',
  revision_time bigint NOT NULL,
  pushed_from text NOT NULL,
  pushed_by text NOT NULL DEFAULT current_user,
  pushed_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX runs_by_experiment ON runs(experiment_id);
CREATE INDEX runs_by_start ON runs(start_time, id);
CREATE TABLE params(
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key text NOT NULL,
  type text NOT NULL CHECK(type IN ('int','float','bool','string','json')),
  value text NOT NULL,
  PRIMARY KEY(run_id, key));
CREATE INDEX params_by_key ON params(key, value);
CREATE TABLE configs(
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name text NOT NULL,
  json text NOT NULL,
  PRIMARY KEY(run_id, name));
CREATE TABLE tags(
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY(run_id, key));
CREATE INDEX tags_by_key ON tags(key, value);
CREATE TABLE metrics(
  id bigserial PRIMARY KEY,
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key text NOT NULL,
  count bigint NOT NULL DEFAULT 0,
  first_step bigint,
  last_step bigint,
  last_value double precision,
  last_time double precision,
  min_value double precision,
  max_value double precision,
  nan_count bigint NOT NULL DEFAULT 0,
  value_sum double precision,
  value_sum_count bigint,
  UNIQUE(run_id, key));
CREATE INDEX metrics_by_key ON metrics(key, last_value);
CREATE TABLE metric_chunks(
  metric_id bigint NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  first_step bigint NOT NULL,
  last_step bigint NOT NULL,
  count bigint NOT NULL,
  points bytea NOT NULL,
  PRIMARY KEY(metric_id, seq));
CREATE TABLE artifacts(
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  path text NOT NULL,
  uri text NOT NULL,
  size bigint,
  sha256 text NOT NULL DEFAULT '',
  PRIMARY KEY(run_id, path));
CREATE TABLE git_info(
  run_id text PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  repo_path text NOT NULL DEFAULT '',
  commit_sha text NOT NULL DEFAULT '',
  branch text NOT NULL DEFAULT '',
  remote text NOT NULL DEFAULT '',
  dirty boolean NOT NULL DEFAULT false,
  diff text NOT NULL DEFAULT '',
  diff_truncated boolean NOT NULL DEFAULT false);
CREATE TABLE data_versions(
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name text NOT NULL,
  version text NOT NULL,
  PRIMARY KEY(run_id, name));
CREATE TABLE environment(
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY(run_id, key));
CREATE TABLE run_events(
  run_id text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  origin text NOT NULL,
  origin_id bigint NOT NULL,
  time bigint NOT NULL,
  "user" text NOT NULL,
  field text NOT NULL,
  key text NOT NULL DEFAULT '',
  old_value text,
  new_value text,
  PRIMARY KEY(run_id, origin, origin_id));
INSERT INTO team_meta(key, value) VALUES ('revision', '0');
)SQL";

// migrations[i] takes a team store from version i to i + 1.
const std::array<const char*, kTeamSchemaVersion> kMigrations = {kTeamSchemaV1};

// The roles a team grants (docs/team-store.md): group roles without login,
// made once per server; GRANT runlens_reader TO alice lets alice browse.
constexpr const char* kRoles = R"SQL(
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'runlens_reader') THEN CREATE ROLE runlens_reader NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'runlens_writer') THEN CREATE ROLE runlens_writer NOLOGIN; END IF;
END $$;
)SQL";

constexpr const char* kGrants = R"SQL(
GRANT USAGE ON SCHEMA public TO runlens_reader, runlens_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO runlens_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO runlens_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO runlens_writer;
)SQL";

} // namespace

Result<int> teamSchemaVersion(TeamConnection& connection, QSqlDatabase& db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT count(*), count(*) FILTER (WHERE c.relname = 'team_meta') FROM pg_class c "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','v','m','p','f') "
                               "AND n.nspname = 'public'")))
        return Failure{connection.describe(q)};
    q.next();
    const qint64 tables = q.value(0).toLongLong();
    if (tables == 0)
        return 0;
    if (q.value(1).toLongLong() == 0)
        return Failure{QStringLiteral("team store %1: the database holds %2 table(s) of something else, not a Runlens "
                                      "team store; create an empty database for the team (createdb)")
                           .arg(connection.url().display())
                           .arg(tables)};
    QSqlQuery meta(db);
    if (!meta.exec(QStringLiteral("SELECT (SELECT value FROM team_meta WHERE key='application'), "
                                  "(SELECT value FROM team_meta WHERE key='schema_version')")))
        return Failure{connection.describe(meta)};
    meta.next();
    if (meta.value(0).toString() != QLatin1String(kTeamApplicationId))
        return Failure{QStringLiteral("team store %1: the database has a team_meta table but is not a Runlens team store")
                           .arg(connection.url().display())};
    bool ok = false;
    const int version = meta.value(1).toString().toInt(&ok);
    if (!ok || version < 1)
        return Failure{QStringLiteral("team store %1 is damaged: its schema version is '%2'")
                           .arg(connection.url().display(), meta.value(1).toString())};
    if (version > kTeamSchemaVersion)
        return Failure{QStringLiteral("team store %1 was made by a newer Runlens (team schema %2; this build reads up to "
                                      "%3). Upgrade Runlens to open it.")
                           .arg(connection.url().display())
                           .arg(version)
                           .arg(kTeamSchemaVersion)};
    return version;
}

Result<TeamSchemaCreated> createTeamSchema(TeamConnection& connection)
{
    auto opened = connection.database();
    if (!opened)
        return Failure{opened.error()};
    QSqlDatabase db = *opened;
    // The server's own databases are not a team's: postgres is where
    // administrators connect, the templates are copied into every new database.
    QSqlQuery which(db);
    if (which.exec(QStringLiteral("SELECT current_database() = 'postgres' OR datistemplate FROM pg_database WHERE datname = current_database()"))
        && which.next() && which.value(0).toBool())
        return Failure{QStringLiteral("team store %1: '%2' is one of the server's own databases; create one for the team "
                                      "(createdb) and name it in the URL")
                           .arg(connection.url().display(), connection.url().database)};
    which.finish();
    if (!db.transaction())
        return Failure{connection.describe(db.lastError())};
    auto fail = [&](const QString& message) {
        db.rollback();
        return Failure{message};
    };
    // Two init-team at once: the second waits here, then finds the first's tables.
    QSqlQuery lock(db);
    if (!lock.exec(QStringLiteral("SELECT pg_advisory_xact_lock(7021946)")))
        return fail(connection.describe(lock));
    const auto version = teamSchemaVersion(connection, db);
    if (!version)
        return fail(version.error());
    TeamSchemaCreated created{*version, {}};
    for (int v = *version; v < kTeamSchemaVersion; ++v) {
        QSqlQuery migrate(db);
        if (!migrate.exec(QString::fromUtf8(kMigrations[size_t(v)]))) {
            if (migrate.lastError().nativeErrorCode() == QLatin1String("42501")) // insufficient_privilege
                return fail(QStringLiteral("team store %1: the role '%2' may not create tables in '%3'; run init-team as the "
                                           "database's owner or an administrator")
                                .arg(connection.url().display(),
                                    connection.url().user.isEmpty() ? QStringLiteral("(your login)") : connection.url().user,
                                    connection.url().database));
            return fail(connection.describe(migrate));
        }
    }
    QSqlQuery meta(db);
    if (!meta.exec(QStringLiteral("INSERT INTO team_meta(key, value) VALUES ('application', '%1'), ('schema_version', '%2') "
                                  "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
                       .arg(QLatin1String(kTeamApplicationId))
                       .arg(kTeamSchemaVersion)))
        return fail(connection.describe(meta));
    if (!db.commit())
        return fail(connection.describe(db.lastError()));

    // The roles are the server's, not the database's: a user who may create
    // the tables but not roles still gets a team store, told what is missing.
    QSqlQuery roles(db);
    if (!roles.exec(QString::fromUtf8(kRoles)))
        created.notes << QStringLiteral("the roles runlens_reader and runlens_writer were not created (%1); ask the "
                                        "server's administrator to create them and run init-team again")
                             .arg(connection.describe(roles));
    QSqlQuery grants(db);
    if (!grants.exec(QString::fromUtf8(kGrants)))
        created.notes << QStringLiteral("the team's roles were not granted access (%1)").arg(connection.describe(grants));
    return created;
}

} // namespace runlens
