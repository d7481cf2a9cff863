// Store schema migrations, applied in order. Each entry brings the schema from
// version - 1 to version; never edit a published migration, append a new one.
//
// Internal tables are prefixed "_cfx_" (profile table names may not start with
// "_cfx", see valid_name), so they can never collide with a local table.
#include <fmt/format.h>

#include "store_impl.h"

namespace canvasfx::host {
namespace {

struct Migration {
  int version;
  const char* sql;
  // Work the SQL cannot express (per-table DDL), in the same transaction.
  void (*after)(sql::Db& db) = nullptr;
};

// v3: the change counters of the local tables that exist already.
void version_existing_tables(sql::Db& db) {
  std::vector<std::string> names;
  auto st = db.prepare("SELECT name FROM _cfx_tables");
  while (st.step()) names.push_back(st.text(0));
  for (const auto& name : names) install_change_counter(db, name);
}

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE _cfx_device (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  connected      INTEGER NOT NULL DEFAULT 1 CHECK (connected IN (0, 1)),
  metered        INTEGER NOT NULL DEFAULT 0 CHECK (metered IN (0, 1)),
  os_type        TEXT NOT NULL DEFAULT 'Linux',
  user_agent     TEXT NOT NULL DEFAULT '',
  player_kind    TEXT NOT NULL DEFAULT 'studio' CHECK (player_kind IN ('native', 'web', 'studio')),
  player_version TEXT NOT NULL DEFAULT '',
  session_id     TEXT NOT NULL DEFAULT '',
  tenant_id      TEXT NOT NULL DEFAULT ''
);
INSERT INTO _cfx_device (id) VALUES (1);

CREATE TABLE _cfx_app (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  app_name        TEXT NOT NULL DEFAULT '',
  offline_enabled INTEGER NOT NULL DEFAULT 0 CHECK (offline_enabled IN (0, 1)),
  profile_name    TEXT NOT NULL DEFAULT '',
  profile_yaml    TEXT NOT NULL DEFAULT '',
  applied_at      INTEGER
);
INSERT INTO _cfx_app (id) VALUES (1);

CREATE TABLE _cfx_tables (
  name                  TEXT PRIMARY KEY COLLATE NOCASE,
  position              INTEGER NOT NULL,
  key_column            TEXT NOT NULL,
  sync_interval_minutes INTEGER NOT NULL CHECK (sync_interval_minutes > 0),
  settings_json         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings_json))
);

CREATE TABLE _cfx_columns (
  table_name   TEXT NOT NULL REFERENCES _cfx_tables (name) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  name         TEXT NOT NULL COLLATE NOCASE,
  type         TEXT NOT NULL
               CHECK (type IN ('text', 'number', 'boolean', 'datetime', 'guid', 'lookup', 'file', 'image')),
  lookup_table TEXT,
  PRIMARY KEY (table_name, name)
);

CREATE TABLE _cfx_queue (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name   TEXT NOT NULL REFERENCES _cfx_tables (name) ON DELETE CASCADE,
  record_id    TEXT NOT NULL,
  action       TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  content      TEXT NOT NULL DEFAULT 'row' CHECK (content IN ('row', 'file', 'image')),
  changes_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes_json)),
  queued_at    INTEGER NOT NULL
);
CREATE INDEX _cfx_queue_table ON _cfx_queue (table_name);

CREATE TABLE _cfx_sync_runs (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at INTEGER NOT NULL,
  ended_at   INTEGER,
  initial    INTEGER NOT NULL DEFAULT 0 CHECK (initial IN (0, 1)),
  outcome    TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed'))
);
-- At most one running sync.
CREATE UNIQUE INDEX _cfx_sync_runs_running ON _cfx_sync_runs (outcome) WHERE outcome = 'running';

CREATE TABLE _cfx_sync_run_tables (
  run_id          INTEGER NOT NULL REFERENCES _cfx_sync_runs (id) ON DELETE CASCADE,
  table_name      TEXT NOT NULL COLLATE NOCASE,  -- no FK: history outlives a re-profiled table
  succeeded       INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
  rows_downloaded INTEGER NOT NULL DEFAULT 0,
  rows_uploaded   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, table_name)
);
CREATE INDEX _cfx_sync_run_tables_table ON _cfx_sync_run_tables (table_name, succeeded);

CREATE TABLE _cfx_sync_errors (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id       INTEGER REFERENCES _cfx_sync_runs (id) ON DELETE SET NULL,
  error_time   INTEGER NOT NULL,
  message      TEXT NOT NULL,
  error_type   TEXT NOT NULL DEFAULT '',
  table_name   TEXT NOT NULL DEFAULT '',
  record_id    TEXT NOT NULL DEFAULT '',
  owner        TEXT NOT NULL DEFAULT '',
  action       TEXT CHECK (action IN ('create', 'update', 'delete')),
  action_data  TEXT NOT NULL DEFAULT '' CHECK (action_data = '' OR json_valid(action_data)),
  request_data TEXT NOT NULL DEFAULT '' CHECK (request_data = '' OR json_valid(request_data)),
  error_code   TEXT NOT NULL DEFAULT '',
  resolved     INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
);
CREATE INDEX _cfx_sync_errors_run ON _cfx_sync_errors (run_id, resolved);

CREATE TABLE _cfx_sync_warnings (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id     INTEGER REFERENCES _cfx_sync_runs (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  code       TEXT NOT NULL,
  table_name TEXT NOT NULL DEFAULT '',
  message    TEXT NOT NULL
);
CREATE INDEX _cfx_sync_warnings_run ON _cfx_sync_warnings (run_id);
)sql"},
    // App.Width/Height and the device sensors (Location, Acceleration, Compass).
    {2, R"sql(
ALTER TABLE _cfx_device ADD COLUMN screen_width  REAL NOT NULL DEFAULT 1366;
ALTER TABLE _cfx_device ADD COLUMN screen_height REAL NOT NULL DEFAULT 768;
ALTER TABLE _cfx_device ADD COLUMN latitude      REAL NOT NULL DEFAULT 0;
ALTER TABLE _cfx_device ADD COLUMN longitude     REAL NOT NULL DEFAULT 0;
ALTER TABLE _cfx_device ADD COLUMN altitude      REAL NOT NULL DEFAULT 0;
ALTER TABLE _cfx_device ADD COLUMN accel_x       REAL NOT NULL DEFAULT 0;
ALTER TABLE _cfx_device ADD COLUMN accel_y       REAL NOT NULL DEFAULT 0;
ALTER TABLE _cfx_device ADD COLUMN accel_z       REAL NOT NULL DEFAULT 0;
ALTER TABLE _cfx_device ADD COLUMN heading       REAL NOT NULL DEFAULT 0;
)sql"},
    // SaveData/LoadData/ClearData: collections an app keeps on the device.
    // Change counters per local table, bumped by triggers on every write from
    // any connection, so that a running app refreshes only the tables that
    // changed (PRAGMA data_version only says that something did).
    {3, R"sql(
CREATE TABLE _cfx_saved_data (
  app      TEXT NOT NULL,
  name     TEXT NOT NULL,
  json     TEXT NOT NULL CHECK (json_valid(json)),
  saved_at INTEGER NOT NULL,
  PRIMARY KEY (app, name)
);
CREATE TABLE _cfx_table_versions (
  name    TEXT PRIMARY KEY COLLATE NOCASE,
  version INTEGER NOT NULL DEFAULT 0
);
)sql",
     version_existing_tables},
    // The sync engine's journal (sync_journal.h): the server this store syncs
    // with, each table's pass (watermark, resume point, progress) and the
    // server version of each local row. Rows of a table dropped by a new
    // profile go with it (ON DELETE CASCADE).
    {4, R"sql(
CREATE TABLE _cfx_sync_server (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  url        TEXT NOT NULL DEFAULT '',
  user_name  TEXT NOT NULL DEFAULT '',
  device_id  TEXT NOT NULL DEFAULT ''
);
INSERT INTO _cfx_sync_server (id) VALUES (1);

CREATE TABLE _cfx_sync_tables (
  table_name     TEXT PRIMARY KEY COLLATE NOCASE REFERENCES _cfx_tables (name) ON DELETE CASCADE,
  watermark      INTEGER NOT NULL DEFAULT 0,
  needs_full     INTEGER NOT NULL DEFAULT 1 CHECK (needs_full IN (0, 1)),
  pass_since     INTEGER,
  pass_snapshot  INTEGER NOT NULL DEFAULT 0,
  pass_full      INTEGER NOT NULL DEFAULT 0 CHECK (pass_full IN (0, 1)),
  pass_phase     TEXT NOT NULL DEFAULT 'rows' CHECK (pass_phase IN ('rows', 'removals', 'finish')),
  pass_after     TEXT,
  generation     INTEGER NOT NULL DEFAULT 0,
  progress_done  INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT 0,
  last_pass_at   INTEGER
);

CREATE TABLE _cfx_sync_rows (
  table_name TEXT NOT NULL COLLATE NOCASE REFERENCES _cfx_tables (name) ON DELETE CASCADE,
  record_id  TEXT NOT NULL,
  version    INTEGER NOT NULL,
  generation INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (table_name, record_id)
) WITHOUT ROWID;

CREATE INDEX _cfx_queue_record ON _cfx_queue (table_name, record_id);
)sql"},
};

}  // namespace

void install_change_counter(sql::Db& db, const std::string& table) {
  // Trigger bodies take no parameters: the name is a literal, its quotes doubled
  // (profile table names may hold none anyway, see valid_name).
  std::string literal = "'";
  for (char c : table) literal += c == '\'' ? std::string("''") : std::string(1, c);
  literal += "'";
  db.prepare("INSERT OR IGNORE INTO _cfx_table_versions (name) VALUES (?1)").bind_all(table).run();
  db.prepare("UPDATE _cfx_table_versions SET version = version + 1 WHERE name = ?1")
      .bind_all(table)
      .run();
  for (const char* event : {"INSERT", "UPDATE", "DELETE"})
    db.exec(
        fmt::format("CREATE TRIGGER IF NOT EXISTS {} AFTER {} ON {} BEGIN UPDATE "
                    "_cfx_table_versions SET version = version + 1 WHERE name = {}; END",
                    quote_raw(fmt::format("_cfx_version:{}:{}", event, table)), event,
                    quote_identifier(table), literal));
}

int latest_schema_version() {
  return std::size(kMigrations) == 0 ? 0 : std::end(kMigrations)[-1].version;
}

void migrate(sql::Db& db, int from) {
  for (const Migration& m : kMigrations) {
    if (m.version <= from) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      // Another process opening a new store at the same time may have migrated it.
      if (db.scalar_int("PRAGMA user_version").value_or(0) >= m.version) {
        db.exec("COMMIT");
        continue;
      }
      db.exec(m.sql);
      if (m.after) m.after(db);
      // Integers from this table, not data: PRAGMAs take no parameters.
      db.exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};", kApplicationId,
                          m.version));
      db.exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
}

}  // namespace canvasfx::host
