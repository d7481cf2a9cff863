// The sync store: one SQLite database holding what a device holds for an
// offline canvas app (OFFLINE.md).
//
//   - device state: network, player, OS, session/tenant ids (one row);
//   - app settings: the app's offline setting, its offline profile (YAML);
//   - one local table per profile table, created from the profile's column
//     schema, plus the schema itself (profile_tables / profile_columns);
//   - the upsync queue: local writes waiting to be uploaded;
//   - sync runs with a per-table outcome, sync errors and sync warnings.
//
// Schema changes are versioned with PRAGMA user_version and applied in order
// by the migrations in migrations.cpp (v1 is the first). The file is opened in
// WAL mode with foreign keys on and a busy timeout. A file that exists but is
// not a valid canvasfx store (not SQLite, corrupt, someone else's database, a
// newer schema) is rejected with StoreError *before* anything is written to it.
//
// Writes from the app go through a Transaction, whose create/update/remove
// change the local row and append the matching upsync-queue entry in the same
// SQLite transaction: a local write without its queue entry cannot be made
// through this API. Rows that come *from* the server are written by the sync
// engine through download_rows(), which requires a running sync run.
//
// Every value is bound as a SQL parameter. Table and column names come from
// the profile; they are validated (valid_name) and quoted (quote_identifier)
// before they reach SQL text.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace canvasfx::host {

// ---------------------------------------------------------------- errors

// Opening or using the store failed. For open failures the message names the file.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------- values and schema

enum class ColumnType : uint8_t {
  Text,
  Number,
  Boolean,
  DateTime,  // stored as INTEGER milliseconds since 1970-01-01 UTC
  Guid,      // stored as TEXT, lower-case 8-4-4-4-12
  Lookup,    // a many-to-one reference: the key (TEXT) of a row of `lookup_table`
  File,      // file column: BLOB
  Image,     // image column: BLOB
};
const char* column_type_name(ColumnType t);  // "text", "number", ... as in the profile YAML
std::optional<ColumnType> parse_column_type(std::string_view name);

struct ColumnSchema {
  std::string name;
  ColumnType type = ColumnType::Text;
  std::string lookup_table;  // Lookup only
};

struct TableSchema {
  std::string name;  // the profile's (display) name, e.g. "Sales Orders"
  std::string key_column;
  std::vector<ColumnSchema> columns;
  int sync_interval_minutes = 5;
  const ColumnSchema* column(std::string_view name) const;
};

// A cell: Blank, Boolean, Number (integers for DateTime), Text (Text, Guid,
// Lookup; bytes for File/Image).
using Cell = std::variant<std::monostate, bool, int64_t, double, std::string>;
using Row = std::vector<std::pair<std::string, Cell>>;  // column name -> value

// Names of profile tables and columns: 1..128 bytes, no control characters,
// no quotes or brackets, no leading/trailing space, not starting with "_cfx".
bool valid_name(std::string_view name);
// "name" with embedded double quotes doubled; throws StoreError when !valid_name.
std::string quote_identifier(std::string_view name);

// ---------------------------------------------------------------- device and app

enum class PlayerKind : uint8_t { Native, Web, Studio };
const char* player_kind_name(PlayerKind k);  // "native", "web", "studio"
std::optional<PlayerKind> parse_player_kind(std::string_view name);

struct DeviceState {
  bool connected = true;
  bool metered = false;
  std::string os_type = "Linux";  // Host.OSType
  std::string user_agent;         // Host.BrowserUserAgent
  PlayerKind player = PlayerKind::Studio;
  std::string player_version;                        // Host.Version; "" in Studio
  std::string session_id;                            // GUID text
  std::string tenant_id;                             // GUID text
  double screen_width = 1366, screen_height = 768;   // App.Width, App.Height
  double latitude = 0, longitude = 0, altitude = 0;  // Location; zero without a sensor
  double accel_x = 0, accel_y = 0, accel_z = 0;      // Acceleration, in g
  double heading = 0;                                // Compass.Heading, degrees
};

struct AppSettings {
  std::string app_name;
  bool offline_enabled = false;  // the app's "Can be used offline"
  std::string profile_name;      // "" when no profile applied
  std::string profile_yaml;      // the applied profile's source
};

// ---------------------------------------------------------------- upsync queue

enum class QueueAction : uint8_t { Create, Update, Delete };
const char* queue_action_name(QueueAction a);  // "create", "update", "delete"
// What a queue entry uploads: a row change, or a file / image column's content.
enum class QueueContent : uint8_t { Row, File, Image };
const char* queue_content_name(QueueContent c);  // "row", "file", "image"

struct QueueEntry {
  int64_t id = 0;
  std::string table;
  std::string record_id;
  QueueAction action = QueueAction::Create;
  QueueContent content = QueueContent::Row;
  std::string changes_json;  // changed columns as a JSON object ({} for delete)
  int64_t queued_at = 0;     // ms UTC
};

// ---------------------------------------------------------------- sync runs

enum class SyncOutcome : uint8_t { Running, Succeeded, Failed };
const char* sync_outcome_name(SyncOutcome o);  // "running", "succeeded", "failed"

struct TableSyncOutcome {
  std::string table;
  bool succeeded = true;
  int64_t rows_downloaded = 0;
  int64_t rows_uploaded = 0;
};

// A sync error (OFFLINE.md "Sync errors and conflicts").
struct SyncError {
  int64_t id = 0;
  std::optional<int64_t> run_id;
  int64_t error_time = 0;  // ms UTC
  std::string message;
  std::string error_type;  // "conflict", "record not found", ...
  std::string table;
  std::string record_id;
  std::string owner;
  std::optional<QueueAction> action;
  std::string action_data_json;   // "" or a JSON document
  std::string request_data_json;  // "" or a JSON document
  std::string error_code;         // e.g. "0x80040237"
  bool resolved = false;
};

// A warning recorded by the sync engine at the end of a run.
struct SyncWarning {
  int64_t id = 0;
  std::optional<int64_t> run_id;
  int64_t created_at = 0;
  std::string code;   // stable identifier, e.g. "table-overdue"
  std::string table;  // "" when store-wide
  std::string message;
};

struct SyncRunResult {
  std::vector<TableSyncOutcome> tables;
  std::vector<SyncError> errors;      // id/run_id ignored
  std::vector<SyncWarning> warnings;  // id/run_id/created_at ignored
};

struct SyncRun {
  int64_t id = 0;
  int64_t started_at = 0;
  std::optional<int64_t> ended_at;
  bool initial = false;
  SyncOutcome outcome = SyncOutcome::Running;
  std::vector<TableSyncOutcome> tables;
};

// Per-table facts the status page and the warnings need.
struct TableInfo {
  TableSchema schema;
  int64_t rows = 0;
  std::optional<int64_t> last_synced_at;  // end of the last run where the table succeeded
};

// ---------------------------------------------------------------- the store

struct OpenOptions {
  bool create = true;      // create the file when missing
  bool seed_demo = false;  // when the file is created: apply the demo profile and data
};

class Transaction;

class Store {
 public:
  // The newest schema version this build knows (PRAGMA user_version).
  static int schema_version();
  // $XDG_DATA_HOME/canvasfx/store.db, else ~/.local/share/canvasfx/store.db.
  static std::filesystem::path default_path();
  // Opens (creating and seeding with the demo on first use) the default store.
  static std::unique_ptr<Store> open_default();

  // Validates an existing file read-only, then opens it and migrates it to
  // schema_version(). Throws StoreError naming the file.
  static std::unique_ptr<Store> open(const std::filesystem::path& path, OpenOptions options = {});
  // A private in-memory store (tests, `--store :memory:`).
  static std::unique_ptr<Store> open_memory(bool seed_demo = false);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& path() const;
  bool created() const;  // the file was created by this open()

  // The clock (ms since 1970 UTC) stamping queue entries, runs and errors.
  void set_clock(std::function<int64_t()> utc_ms);
  int64_t now() const;

  // Device and app.
  DeviceState device_state() const;
  void set_device_state(const DeviceState& state);
  void set_connected(bool connected);
  AppSettings app_settings() const;
  void set_app_settings(const AppSettings& settings);

  // Local tables (created by profile apply()).
  std::vector<TableSchema> tables() const;
  std::optional<TableSchema> table(std::string_view name) const;
  void create_table(const TableSchema& schema);  // replaces an existing table of that name
  void drop_tables();                            // all local tables and their queue entries
  int64_t count_rows(std::string_view table) const;
  std::optional<Row> get_row(std::string_view table, std::string_view record_id) const;
  // Rows in key order; limit < 0 for all.
  std::vector<Row> rows(std::string_view table, int64_t limit = -1) const;
  std::vector<TableInfo> table_infos() const;

  // Writes (see Transaction). Only one transaction at a time per Store.
  Transaction transaction();

  // Upsync queue.
  std::vector<QueueEntry> queue() const;
  int64_t queue_size() const;
  // The sync engine uploaded these entries: remove them.
  void acknowledge(const std::vector<int64_t>& queue_ids);

  // Sync runs, the way a sync engine records them.
  int64_t begin_sync(bool initial = false);  // throws when a run is already running
  // Ends the run; its outcome is Failed when a table failed or errors were recorded.
  // Unresolved errors of earlier runs are resolved for each table that succeeded.
  void end_sync(int64_t run_id, const SyncRunResult& result);
  // Server rows received during a running sync: upserted without queue entries.
  void download_rows(int64_t run_id, std::string_view table, const std::vector<Row>& rows);
  std::optional<SyncRun> running_sync() const;
  std::optional<SyncRun> last_completed_sync() const;
  std::vector<SyncRun> sync_runs() const;  // newest first

  std::vector<SyncError> sync_errors(bool unresolved_only = false) const;  // newest first
  // Unresolved errors recorded by the last completed run.
  std::vector<SyncError> last_sync_errors() const;
  void resolve_error(int64_t error_id);
  // Warnings recorded by the last completed run.
  std::vector<SyncWarning> recorded_warnings() const;

  // page_count * page_size of the database.
  int64_t storage_bytes() const;

  // SaveData/LoadData/ClearData: data an app keeps on the device, as JSON,
  // by app and name (names are not shared between apps).
  void save_data(std::string_view app, std::string_view name, std::string_view json);
  std::optional<std::string> load_data(std::string_view app, std::string_view name) const;
  // One name, or (nullopt) everything the app saved.
  void clear_data(std::string_view app, std::optional<std::string_view> name);

  // A counter per local table that every write to it, from any connection,
  // increases: what changed since a poll, table by table.
  std::vector<std::pair<std::string, int64_t>> table_versions() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend class Transaction;
};

// An app write: local rows and their upsync-queue entries, committed together.
// Not committed when it goes out of scope (an exception, an early return):
// rolled back, leaving neither the rows nor the queue entries.
class Transaction {
 public:
  ~Transaction();
  Transaction(Transaction&& o) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;

  // Inserts a row (a Guid key is generated when the key column is absent or
  // blank) and queues a "create" with the row's columns. Returns the record id.
  std::string create(std::string_view table, const Row& values);
  // Changes the given columns and queues an "update" with exactly those columns.
  // Throws StoreError when the record does not exist.
  void update(std::string_view table, std::string_view record_id, const Row& changes);
  // Deletes the row and queues a "delete". Throws when the record does not exist.
  void remove(std::string_view table, std::string_view record_id);
  // Queues the upload of a file or image column of an existing row.
  void queue_attachment(std::string_view table, std::string_view record_id, std::string_view column,
                        QueueContent content, QueueAction action);

  void commit();
  void rollback();
  bool active() const { return store_ != nullptr; }

 private:
  explicit Transaction(Store& store);
  int64_t enqueue(std::string_view table, std::string_view record_id, QueueAction action,
                  QueueContent content, const std::string& changes_json);
  Store* store_;
  friend class Store;
};

// JSON of a row's cells ({"Name":"x","Revenue":10}), as queue entries hold them.
std::string row_to_json(const Row& row);
// A new random GUID, lower-case text.
std::string new_guid();

}  // namespace canvasfx::host
