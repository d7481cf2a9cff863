// The sync server: an organization's data, shaped the way Dataverse shapes it,
// served to devices over HTTP + JSON (protocol.h).
//
//   - business units (a tree), teams (each in a business unit), users (each in
//     a business unit, member of teams, with a write scope and a token);
//   - tables from a catalog (columns with types, lookups to other tables,
//     required columns, the "can be taken offline" flag); every row has an
//     owner (a user or a team), an owning business unit, a row version taken
//     from the one counter at each change, and a deleted flag (a tombstone, so
//     that devices learn about deletions);
//   - published offline profiles, checked with the profile rules
//     (host/profile.h) and against the catalog;
//   - the ids of the upsync changes already applied, with their results, so
//     that a change sent twice is applied once.
//
// SyncService holds the logic and is what tests drive; HttpServer is a thin
// HTTP layer over it (cpp-httplib), listening on 127.0.0.1 only.
//
// Who may do what. A user reads the rows their profile selects for them
// (organization rows of the user, their teams or business unit, all rows,
// related rows, custom filters). A user writes (updates, deletes) rows they
// own, rows their teams own, rows of their business unit with write scope
// "business_unit", and every row with "organization". Every user may create
// rows in the tables of their profile; a new row is owned by its creator.
// Publishing a profile needs an administrator.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/host/profile.h"
#include "canvasfx/sync/protocol.h"
#include "canvasfx/sync/storage.h"

namespace canvasfx::sync {

enum class WriteScope : uint8_t { User, BusinessUnit, Organization };
const char* write_scope_name(WriteScope s);  // "user", "business_unit", "organization"
std::optional<WriteScope> parse_write_scope(std::string_view name);

struct ServerColumn {
  std::string name;
  host::ColumnType type = host::ColumnType::Text;
  std::string target;     // lookups: the target table
  bool required = false;  // a create must give it; an update may not empty it
};

struct ServerTable {
  std::string name;
  std::string key;  // a text or guid column
  bool can_be_taken_offline = true;
  std::vector<ServerColumn> columns;
  const ServerColumn* column(std::string_view name) const;  // case-insensitive
};

struct UserSpec {
  std::string name;
  std::string business_unit;
  std::vector<std::string> teams;
  WriteScope write_scope = WriteScope::User;
  bool admin = false;
};

// A user as a request sees them (read fresh at each request).
struct User {
  std::string id, name, business_unit;
  std::vector<std::string> teams;  // team ids
  WriteScope write_scope = WriteScope::User;
  bool admin = false;
  int64_t scope_epoch = 0;  // the version at which the user's memberships last changed
};

// A row's owner when the organization writes rows directly: a user or a team (by name).
struct RowOwner {
  std::string user;
  std::string team;
};

using ServerRow = std::vector<std::pair<std::string, SqlValue>>;

// A request the API refuses: an HTTP status, a stable code and a message.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

// A catalog or organization change the service refuses (unknown names, ...).
class ServerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ServiceState;  // caches of the catalog and of resolved profiles (server_impl.h)

class SyncService {
 public:
  // Creates the server's schema in the storage when missing.
  explicit SyncService(std::unique_ptr<Storage> storage);
  ~SyncService();
  SyncService(const SyncService&) = delete;
  SyncService& operator=(const SyncService&) = delete;

  Storage& storage() { return *storage_; }

  // ---- organization (seed, `server user add`, tests)
  void add_business_unit(const std::string& name, const std::string& parent = "");
  void add_team(const std::string& name, const std::string& business_unit);
  // Returns the user's new token; the server keeps only its hash.
  std::string add_user(const UserSpec& user);
  std::string new_token(const std::string& user_name);
  // Moves a user to a business unit and sets their teams (their scope changes:
  // their devices' next sync is a full one).
  void set_memberships(const std::string& user_name, const std::string& business_unit,
                       const std::vector<std::string>& teams);
  std::optional<User> find_user(const std::string& name);

  // ---- catalog
  void define_table(const ServerTable& table);
  std::vector<ServerTable> tables();

  // ---- rows written by the organization (not through a device)
  // Inserts or replaces rows (each takes a new version) owned by `owner`,
  // in the owner's business unit.
  void write_rows(const std::string& table, const std::vector<ServerRow>& rows,
                  const RowOwner& owner);
  // The same with an owner per row (owners.size() == rows.size()).
  void write_rows(const std::string& table, const std::vector<ServerRow>& rows,
                  const std::vector<RowOwner>& owners);
  void update_row(const std::string& table, const std::string& key, const ServerRow& changes);
  void delete_row(const std::string& table, const std::string& key);
  void set_owner(const std::string& table, const std::string& key, const RowOwner& owner);
  int64_t current_version();

  // ---- profiles
  // Checks a profile (the offline rules and the catalog) and, when it has no
  // violation, stores it. Returns the violations (empty: published).
  // Throws host::ProfileParseError for malformed YAML.
  std::vector<host::Violation> publish_profile(std::string_view yaml, const std::string& by_user);

  // ---- the HTTP API (after authentication); throws ApiError
  std::optional<User> authenticate(std::string_view token);
  json me(const User& user);
  json get_profile(const User& user, const std::string& name);
  json put_profile(const User& user, const json& body);
  json pull(const User& user, const json& body);
  json push(const User& user, const json& body);

 private:
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<ServiceState> state_;
};

// HTTP on 127.0.0.1. Requests with a Host header that names another host are
// refused (421), as are bodies above kMaxRequestBytes (413), malformed JSON
// (400), missing or wrong tokens (401) and non-JSON bodies (415).
class HttpServer {
 public:
  // port 0: any free port (see port()). Throws ServerError when it cannot bind.
  HttpServer(SyncService& service, int port, int threads = 8);
  ~HttpServer();
  int port() const;
  void run();   // serves until stop()
  void stop();  // from any thread

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- seeding

struct SeedOptions {
  int business_units = 5;
  int teams = 20;
  int users = 200;
  int64_t accounts = 100'000;
  int64_t contacts = 300'000;
  int64_t orders = 200'000;
  uint64_t random_seed = 42;
  // Progress while rows are written: (table, rows written, rows to write).
  std::function<void(const std::string&, int64_t, int64_t)> progress;
};

struct SeedResult {
  std::vector<std::pair<std::string, std::string>> tokens;  // user name, token
};

// Creates a realistic organization: business units (a root and its children),
// teams spread over them, users with their memberships (each business unit has
// a manager with business-unit write scope; "admin" is an administrator), and
// the tables Accounts, Contacts (lookup Account) and 'Sales Orders' (lookup
// Account), with owners spread over users and teams. Deterministic for a seed.
// Refuses a storage that already holds an organization.
SeedResult seed_organization(SyncService& service, const SeedOptions& options);

// The catalog the seed defines (the demo profile's tables and columns).
std::vector<ServerTable> seed_catalog();

}  // namespace canvasfx::sync
