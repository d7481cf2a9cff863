// The sync service (server.h): the server's schema, the organization, the
// catalog, rows the organization writes, and published profiles.
#include <fmt/format.h>

#include <chrono>
#include <map>
#include <set>

#include "server_impl.h"

namespace canvasfx::sync {

using host::ColumnType;

namespace {

constexpr const char* kSchemaVersion = "1";

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The server's own tables. Names start with "_cfx", which no catalog table
// or column may (host::valid_name), so they never collide with data.
std::string system_schema(const DialectInfo& d) {
  return fmt::format(R"sql(
CREATE TABLE IF NOT EXISTS _cfx_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS _cfx_counter (id INTEGER PRIMARY KEY CHECK (id = 1), version {0} NOT NULL);
CREATE TABLE IF NOT EXISTS _cfx_business_units (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, parent_id TEXT REFERENCES _cfx_business_units (id));
CREATE TABLE IF NOT EXISTS _cfx_teams (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,
  business_unit_id TEXT NOT NULL REFERENCES _cfx_business_units (id));
CREATE TABLE IF NOT EXISTS _cfx_users (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,
  business_unit_id TEXT NOT NULL REFERENCES _cfx_business_units (id),
  write_scope TEXT NOT NULL CHECK (write_scope IN ('user', 'business_unit', 'organization')),
  is_admin {0} NOT NULL DEFAULT 0, token_hash TEXT UNIQUE, scope_epoch {0} NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS _cfx_team_members (
  team_id TEXT NOT NULL REFERENCES _cfx_teams (id), user_id TEXT NOT NULL REFERENCES _cfx_users (id),
  PRIMARY KEY (team_id, user_id));
CREATE INDEX IF NOT EXISTS _cfx_team_members_user ON _cfx_team_members (user_id);
CREATE TABLE IF NOT EXISTS _cfx_tables (
  name TEXT PRIMARY KEY, position {0} NOT NULL, key_column TEXT NOT NULL,
  can_be_taken_offline {0} NOT NULL);
CREATE TABLE IF NOT EXISTS _cfx_columns (
  table_name TEXT NOT NULL REFERENCES _cfx_tables (name), position {0} NOT NULL, name TEXT NOT NULL,
  type TEXT NOT NULL, target TEXT, required {0} NOT NULL DEFAULT 0, PRIMARY KEY (table_name, name));
CREATE TABLE IF NOT EXISTS _cfx_profiles (
  name TEXT PRIMARY KEY, yaml TEXT NOT NULL, published_at {0} NOT NULL, published_by TEXT NOT NULL,
  epoch {0} NOT NULL);
CREATE TABLE IF NOT EXISTS _cfx_applied_changes (
  change_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, table_name TEXT NOT NULL,
  record_id TEXT NOT NULL, result TEXT NOT NULL, applied_at {0} NOT NULL);
)sql",
                     d.integer);
}

std::vector<ServerTable> load_catalog(SqlConnection& c) {
  std::vector<ServerTable> out;
  for (const SqlRow& r : c.query(
           "SELECT name, key_column, can_be_taken_offline FROM _cfx_tables ORDER BY position")) {
    ServerTable t;
    t.name = as_text(r[0]);
    t.key = as_text(r[1]);
    t.can_be_taken_offline = as_int(r[2]) != 0;
    for (const SqlRow& col :
         c.query("SELECT name, type, target, required FROM _cfx_columns WHERE table_name = ? "
                 "ORDER BY position",
                 {t.name})) {
      ServerColumn sc;
      sc.name = as_text(col[0]);
      sc.type = host::parse_column_type(as_text(col[1])).value_or(ColumnType::Text);
      sc.target = as_text(col[2]);
      sc.required = as_int(col[3]) != 0;
      t.columns.push_back(std::move(sc));
    }
    out.push_back(std::move(t));
  }
  return out;
}

const char* sql_type(const DialectInfo& d, ColumnType t) {
  switch (t) {
    case ColumnType::Number:
      return d.real;
    case ColumnType::Boolean:
    case ColumnType::DateTime:
      return d.integer;
    case ColumnType::File:
    case ColumnType::Image:
      return d.blob;
    default:
      return "TEXT";
  }
}

// PostgreSQL truncates identifiers at 63 bytes: refuse what would be truncated.
void check_name(std::string_view what, std::string_view name) {
  if (!host::valid_name(name) || name.size() > 63)
    throw ServerError(
        fmt::format("'{}' is not a valid {} name (1 to 63 bytes, no quotes, "
                    "brackets or control characters, not starting with _cfx)",
                    name, what));
}

std::string id_of(SqlConnection& c, const char* table, const std::string& name, const char* what) {
  SqlValue id = c.scalar(fmt::format("SELECT id FROM {} WHERE name = ?", table), {name});
  if (is_null(id)) throw ServerError(fmt::format("there is no {} '{}'", what, name));
  return as_text(id);
}

// The owner columns of a row owned by `owner`: user id, team id, business unit id.
std::array<SqlValue, 3> owner_columns(SqlConnection& c, const RowOwner& owner) {
  if (!owner.user.empty() == !owner.team.empty())
    throw ServerError("a row is owned by a user or by a team (exactly one)");
  if (!owner.user.empty()) {
    auto rows = c.query("SELECT id, business_unit_id FROM _cfx_users WHERE name = ?", {owner.user});
    if (rows.empty()) throw ServerError(fmt::format("there is no user '{}'", owner.user));
    return {rows[0][0], SqlValue{}, rows[0][1]};
  }
  auto rows = c.query("SELECT id, business_unit_id FROM _cfx_teams WHERE name = ?", {owner.team});
  if (rows.empty()) throw ServerError(fmt::format("there is no team '{}'", owner.team));
  return {SqlValue{}, rows[0][0], rows[0][1]};
}

}  // namespace

// ---------------------------------------------------------------- helpers

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t take_versions(SqlConnection& c, int64_t count) {
  return as_int(
      c.scalar("UPDATE _cfx_counter SET version = version + ? WHERE id = 1 "
               "RETURNING version",
               {count}));
}

const ServerTable* find_table(const std::vector<ServerTable>& catalog, std::string_view name) {
  for (const auto& t : catalog)
    if (iequal(t.name, name)) return &t;
  return nullptr;
}

const ServerColumn* ServerTable::column(std::string_view n) const {
  for (const auto& c : columns)
    if (iequal(c.name, n)) return &c;
  return nullptr;
}

const char* write_scope_name(WriteScope s) {
  switch (s) {
    case WriteScope::User:
      return "user";
    case WriteScope::BusinessUnit:
      return "business_unit";
    default:
      return "organization";
  }
}

std::optional<WriteScope> parse_write_scope(std::string_view name) {
  if (name == "user") return WriteScope::User;
  if (name == "business_unit") return WriteScope::BusinessUnit;
  if (name == "organization") return WriteScope::Organization;
  return std::nullopt;
}

host::Cell to_cell(ColumnType type, const SqlValue& v) {
  if (is_null(v)) return std::monostate{};
  switch (type) {
    case ColumnType::Number:
      if (auto* d = std::get_if<double>(&v)) return *d;
      return static_cast<double>(as_int(v));
    case ColumnType::Boolean:
      return as_int(v) != 0;
    case ColumnType::DateTime:
      return as_int(v);
    case ColumnType::File:
    case ColumnType::Image:
      if (auto* b = std::get_if<Blob>(&v)) return b->bytes;
      return as_text(v);
    default:
      return as_text(v);
  }
}

SqlValue from_cell(ColumnType type, const host::Cell& c) {
  return std::visit(
      [&](const auto& x) -> SqlValue {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return std::monostate{};
        else if constexpr (std::is_same_v<T, bool>)
          return int64_t{x ? 1 : 0};
        else if constexpr (std::is_same_v<T, int64_t>)
          return type == ColumnType::Number ? SqlValue{static_cast<double>(x)} : SqlValue{x};
        else if constexpr (std::is_same_v<T, double>)
          return x;
        else
          return type == ColumnType::File || type == ColumnType::Image ? SqlValue{Blob{x}}
                                                                       : SqlValue{x};
      },
      c);
}

std::string profile_select_list(const ResolvedTable& t) {
  std::string out;
  for (const ServerColumn* c : t.columns)
    out += (out.empty() ? "" : ", ") + column_ref("x", c->name);
  return out;
}

json row_values_json(const ResolvedTable& t, const SqlRow& row, size_t first) {
  json values = json::object();
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const ServerColumn* c = t.columns[i];
    if (!t.downloaded[i] || c->name == t.server.key) continue;
    values[c->name] = cell_to_json(c->type, to_cell(c->type, row[first + i]));
  }
  return values;
}

// ---------------------------------------------------------------- the service

SyncService::SyncService(std::unique_ptr<Storage> storage)
    : storage_(std::move(storage)), state_(std::make_unique<ServiceState>()) {
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    c->script(system_schema(c->info()));
    c->execute(
        "INSERT INTO _cfx_meta (name, value) VALUES ('schema', ?) ON CONFLICT (name) DO NOTHING",
        {std::string(kSchemaVersion)});
    c->execute("INSERT INTO _cfx_counter (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING");
    std::string version = as_text(c->scalar("SELECT value FROM _cfx_meta WHERE name = 'schema'"));
    if (version != kSchemaVersion)
      throw ServerError(
          fmt::format("the server storage has schema version {}; this canvasfx "
                      "knows version {}",
                      version, kSchemaVersion));
    state_->catalog = load_catalog(*c);
  });
}

SyncService::~SyncService() = default;

void SyncService::add_business_unit(const std::string& name, const std::string& parent) {
  if (name.empty()) throw ServerError("a business unit needs a name");
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    SqlValue parent_id;
    if (!parent.empty()) parent_id = id_of(*c, "_cfx_business_units", parent, "business unit");
    if (!is_null(c->scalar("SELECT id FROM _cfx_business_units WHERE name = ?", {name})))
      throw ServerError(fmt::format("business unit '{}' already exists", name));
    c->execute("INSERT INTO _cfx_business_units (id, name, parent_id) VALUES (?, ?, ?)",
               {random_guid(), name, parent_id});
  });
}

void SyncService::add_team(const std::string& name, const std::string& business_unit) {
  if (name.empty()) throw ServerError("a team needs a name");
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    std::string bu = id_of(*c, "_cfx_business_units", business_unit, "business unit");
    if (!is_null(c->scalar("SELECT id FROM _cfx_teams WHERE name = ?", {name})))
      throw ServerError(fmt::format("team '{}' already exists", name));
    c->execute("INSERT INTO _cfx_teams (id, name, business_unit_id) VALUES (?, ?, ?)",
               {random_guid(), name, bu});
  });
}

std::string SyncService::add_user(const UserSpec& u) {
  if (u.name.empty()) throw ServerError("a user needs a name");
  std::string token = random_token();
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    std::string bu = id_of(*c, "_cfx_business_units", u.business_unit, "business unit");
    if (!is_null(c->scalar("SELECT id FROM _cfx_users WHERE name = ?", {u.name})))
      throw ServerError(fmt::format("user '{}' already exists", u.name));
    std::string id = random_guid();
    c->execute(
        "INSERT INTO _cfx_users (id, name, business_unit_id, write_scope, is_admin, token_hash, "
        "scope_epoch) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {id, u.name, bu, std::string(write_scope_name(u.write_scope)), int64_t{u.admin ? 1 : 0},
         sha256_hex(token), take_versions(*c)});
    std::set<std::string> teams;
    for (const auto& t : u.teams) teams.insert(id_of(*c, "_cfx_teams", t, "team"));
    for (const auto& t : teams)
      c->execute("INSERT INTO _cfx_team_members (team_id, user_id) VALUES (?, ?)", {t, id});
  });
  return token;
}

std::string SyncService::new_token(const std::string& user_name) {
  std::string token = random_token();
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    if (c->execute("UPDATE _cfx_users SET token_hash = ? WHERE name = ?",
                   {sha256_hex(token), user_name}) != 1)
      throw ServerError(fmt::format("there is no user '{}'", user_name));
  });
  return token;
}

void SyncService::set_memberships(const std::string& user_name, const std::string& business_unit,
                                  const std::vector<std::string>& teams) {
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    std::string id = id_of(*c, "_cfx_users", user_name, "user");
    std::string bu = id_of(*c, "_cfx_business_units", business_unit, "business unit");
    std::set<std::string> team_ids;
    for (const auto& t : teams) team_ids.insert(id_of(*c, "_cfx_teams", t, "team"));
    c->execute("UPDATE _cfx_users SET business_unit_id = ?, scope_epoch = ? WHERE id = ?",
               {bu, take_versions(*c), id});
    c->execute("DELETE FROM _cfx_team_members WHERE user_id = ?", {id});
    for (const auto& t : team_ids)
      c->execute("INSERT INTO _cfx_team_members (team_id, user_id) VALUES (?, ?)", {t, id});
  });
}

namespace {

std::optional<User> read_user(SqlConnection& c, const char* where, const std::string& value) {
  auto rows = c.query(fmt::format("SELECT id, name, business_unit_id, write_scope, is_admin, "
                                  "scope_epoch FROM _cfx_users WHERE {} = ?",
                                  where),
                      {value});
  if (rows.empty()) return std::nullopt;
  User u;
  u.id = as_text(rows[0][0]);
  u.name = as_text(rows[0][1]);
  u.business_unit = as_text(rows[0][2]);
  u.write_scope = parse_write_scope(as_text(rows[0][3])).value_or(WriteScope::User);
  u.admin = as_int(rows[0][4]) != 0;
  u.scope_epoch = as_int(rows[0][5]);
  for (const SqlRow& r :
       c.query("SELECT team_id FROM _cfx_team_members WHERE user_id = ? ORDER BY team_id", {u.id}))
    u.teams.push_back(as_text(r[0]));
  return u;
}

}  // namespace

std::optional<User> SyncService::find_user(const std::string& name) {
  Lease c = storage_->lease();
  std::optional<User> u;
  in_transaction(*c, false, [&] { u = read_user(*c, "name", name); });
  return u;
}

std::optional<User> SyncService::authenticate(std::string_view token) {
  // Tokens are 64 hex digits; anything else cannot match and is not hashed.
  if (token.size() != 64) return std::nullopt;
  Lease c = storage_->lease();
  std::optional<User> u;
  in_transaction(*c, false, [&] { u = read_user(*c, "token_hash", sha256_hex(token)); });
  return u;
}

// ---------------------------------------------------------------- catalog

void SyncService::define_table(const ServerTable& t) {
  check_name("table", t.name);
  const ServerColumn* key = t.column(t.key);
  if (!key || (key->type != ColumnType::Text && key->type != ColumnType::Guid))
    throw ServerError(
        fmt::format("table '{}': the key '{}' must be a text or guid column", t.name, t.key));
  std::set<std::string> seen;
  for (const auto& c : t.columns) {
    check_name("column", c.name);
    std::string lower = c.name;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!seen.insert(lower).second)
      throw ServerError(fmt::format("table '{}': column '{}' appears twice", t.name, c.name));
    if (c.type == ColumnType::Lookup && c.target.empty())
      throw ServerError(fmt::format("table '{}': lookup '{}' needs a target", t.name, c.name));
  }
  std::lock_guard lock(state_->mutex);
  if (find_table(state_->catalog, t.name))
    throw ServerError(fmt::format("table '{}' already exists", t.name));
  Lease c = storage_->lease();
  const DialectInfo& d = c->info();
  in_transaction(*c, true, [&] {
    int64_t position = as_int(c->scalar("SELECT count(*) FROM _cfx_tables"));
    c->execute(
        "INSERT INTO _cfx_tables (name, position, key_column, can_be_taken_offline) VALUES (?, ?, "
        "?, ?)",
        {t.name, position, key->name, int64_t{t.can_be_taken_offline ? 1 : 0}});
    std::string ddl = fmt::format("CREATE TABLE {} (", quote_name(t.name));
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const ServerColumn& col = t.columns[i];
      ddl += fmt::format("{} {}{}, ", quote_name(col.name), sql_type(d, col.type),
                         &col == key ? " PRIMARY KEY" : "");
      c->execute(
          "INSERT INTO _cfx_columns (table_name, position, name, type, target, required) VALUES "
          "(?, ?, ?, ?, ?, ?)",
          {t.name, static_cast<int64_t>(i), col.name, std::string(column_type_name(col.type)),
           col.target.empty() ? SqlValue{} : SqlValue{col.target}, int64_t{col.required ? 1 : 0}});
    }
    ddl += fmt::format(
        "_cfx_owner_user TEXT, _cfx_owner_team TEXT, _cfx_bu TEXT NOT NULL, _cfx_version {0} NOT "
        "NULL, _cfx_deleted {0} NOT NULL DEFAULT 0, _cfx_modified_on {0}, _cfx_modified_by TEXT)",
        d.integer);
    c->script(ddl);
    // Index names are per schema in PostgreSQL: number them by the table's position.
    auto index = [&](const std::string& what, const std::string& column) {
      c->script(fmt::format("CREATE INDEX {} ON {} ({})",
                            quote_name(fmt::format("_cfx_ix_{}_{}", position, what)),
                            quote_name(t.name), column));
    };
    index("version", "_cfx_version");
    index("owner_user", "_cfx_owner_user");
    index("owner_team", "_cfx_owner_team");
    index("bu", "_cfx_bu");
    for (size_t i = 0; i < t.columns.size(); ++i)
      if (t.columns[i].type == ColumnType::Lookup)
        index(fmt::format("c{}", i), quote_name(t.columns[i].name));
  });
  state_->catalog.push_back(t);
  state_->catalog.back().key = key->name;
}

std::vector<ServerTable> SyncService::tables() {
  std::lock_guard lock(state_->mutex);
  return state_->catalog;
}

// ---------------------------------------------------------------- organization rows

namespace {

struct Prepared {
  const ServerTable* table;
  std::vector<const ServerColumn*> columns;
  int key = -1;
};

Prepared prepare_columns(const std::vector<ServerTable>& catalog, const std::string& table,
                         const ServerRow& row) {
  Prepared p;
  p.table = find_table(catalog, table);
  if (!p.table) throw ServerError(fmt::format("there is no table '{}'", table));
  for (const auto& [name, value] : row) {
    const ServerColumn* c = p.table->column(name);
    if (!c) throw ServerError(fmt::format("table '{}' has no column '{}'", table, name));
    if (c->name == p.table->key) p.key = static_cast<int>(p.columns.size());
    p.columns.push_back(c);
  }
  return p;
}

}  // namespace

void SyncService::write_rows(const std::string& table, const std::vector<ServerRow>& rows,
                             const RowOwner& owner) {
  write_rows(table, rows, std::vector<RowOwner>(rows.size(), owner));
}

void SyncService::write_rows(const std::string& table, const std::vector<ServerRow>& rows,
                             const std::vector<RowOwner>& owners) {
  if (rows.empty()) return;
  if (owners.size() != rows.size()) throw ServerError("write_rows needs one owner per row");
  std::vector<ServerTable> catalog = tables();
  Prepared p = prepare_columns(catalog, table, rows.front());
  if (p.key < 0) throw ServerError(fmt::format("rows of '{}' need their key", table));
  std::string names, updates;
  for (const ServerColumn* c : p.columns) {
    names += quote_name(c->name) + ", ";
    if (c->name != p.table->key)
      updates += fmt::format("{0} = excluded.{0}, ", quote_name(c->name));
  }
  static constexpr const char* kSystem[] = {"_cfx_owner_user", "_cfx_owner_team",
                                            "_cfx_bu",         "_cfx_version",
                                            "_cfx_deleted",    "_cfx_modified_on"};
  for (size_t i = 0; i < std::size(kSystem); ++i) {
    const char* sep = i + 1 < std::size(kSystem) ? ", " : "";
    names += fmt::format("{}{}", kSystem[i], sep);
    updates += fmt::format("{0} = excluded.{0}{1}", kSystem[i], sep);
  }
  const size_t width = p.columns.size() + std::size(kSystem);
  const size_t per_statement = std::clamp<size_t>(30000 / width, 1, 500);
  std::string one = "(";
  for (size_t i = 0; i < width; ++i) one += i ? ", ?" : "?";
  one += ")";

  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    std::map<std::pair<std::string, std::string>, std::array<SqlValue, 3>> owner_cache;
    int64_t last = take_versions(*c, static_cast<int64_t>(rows.size()));
    int64_t version = last - static_cast<int64_t>(rows.size());
    int64_t now = now_ms();
    for (size_t start = 0; start < rows.size(); start += per_statement) {
      size_t end = std::min(rows.size(), start + per_statement);
      std::string values;
      SqlParams params;
      params.reserve((end - start) * width);
      for (size_t r = start; r < end; ++r) {
        const ServerRow& row = rows[r];
        if (row.size() != p.columns.size())
          throw ServerError(
              fmt::format("rows of '{}' in one call must have the same columns", table));
        for (size_t i = 0; i < row.size(); ++i) {
          if (!iequal(row[i].first, p.columns[i]->name))
            throw ServerError(
                fmt::format("rows of '{}' in one call must have the same columns", table));
          params.push_back(row[i].second);
        }
        const RowOwner& owner = owners[r];
        auto [it, fresh] = owner_cache.try_emplace({owner.user, owner.team});
        if (fresh) it->second = owner_columns(*c, owner);
        params.insert(params.end(), it->second.begin(), it->second.end());
        params.push_back(++version);
        params.push_back(int64_t{0});
        params.push_back(now);
        values += (r == start ? "" : ", ") + one;
      }
      c->execute(
          fmt::format("INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) DO UPDATE SET {}",
                      quote_name(p.table->name), names, values, quote_name(p.table->key), updates),
          params);
    }
  });
}

void SyncService::update_row(const std::string& table, const std::string& key,
                             const ServerRow& changes) {
  std::vector<ServerTable> catalog = tables();
  Prepared p = prepare_columns(catalog, table, changes);
  if (p.key >= 0) throw ServerError("the key of a row cannot change");
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    std::string sets;
    SqlParams params;
    for (size_t i = 0; i < p.columns.size(); ++i) {
      sets += fmt::format("{} = ?, ", quote_name(p.columns[i]->name));
      params.push_back(changes[i].second);
    }
    params.push_back(take_versions(*c));
    params.push_back(now_ms());
    params.push_back(key);
    if (c->execute(
            fmt::format("UPDATE {} SET {}_cfx_version = ?, _cfx_modified_on = ? WHERE {} = ? "
                        "AND _cfx_deleted = 0",
                        quote_name(p.table->name), sets, quote_name(p.table->key)),
            params) != 1)
      throw ServerError(fmt::format("table '{}' has no row '{}'", table, key));
  });
}

void SyncService::delete_row(const std::string& table, const std::string& key) {
  std::vector<ServerTable> catalog = tables();
  const ServerTable* t = find_table(catalog, table);
  if (!t) throw ServerError(fmt::format("there is no table '{}'", table));
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    if (c->execute(fmt::format("UPDATE {} SET _cfx_deleted = 1, _cfx_version = ?, "
                               "_cfx_modified_on = ? WHERE {} = ? AND _cfx_deleted = 0",
                               quote_name(t->name), quote_name(t->key)),
                   {take_versions(*c), now_ms(), key}) != 1)
      throw ServerError(fmt::format("table '{}' has no row '{}'", table, key));
  });
}

void SyncService::set_owner(const std::string& table, const std::string& key,
                            const RowOwner& owner) {
  std::vector<ServerTable> catalog = tables();
  const ServerTable* t = find_table(catalog, table);
  if (!t) throw ServerError(fmt::format("there is no table '{}'", table));
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    auto own = owner_columns(*c, owner);
    if (c->execute(fmt::format("UPDATE {} SET _cfx_owner_user = ?, _cfx_owner_team = ?, _cfx_bu = "
                               "?, _cfx_version = ?, _cfx_modified_on = ? WHERE {} = ? AND "
                               "_cfx_deleted = 0",
                               quote_name(t->name), quote_name(t->key)),
                   {own[0], own[1], own[2], take_versions(*c), now_ms(), key}) != 1)
      throw ServerError(fmt::format("table '{}' has no row '{}'", table, key));
  });
}

int64_t SyncService::current_version() {
  Lease c = storage_->lease();
  return as_int(c->scalar("SELECT version FROM _cfx_counter WHERE id = 1"));
}

// ---------------------------------------------------------------- profiles

std::vector<host::Violation> SyncService::publish_profile(std::string_view yaml,
                                                          const std::string& by_user) {
  host::Profile profile = host::parse_profile(yaml, "profile");
  std::vector<host::Violation> violations = host::check(profile);
  if (!violations.empty()) return violations;
  auto resolved = ResolvedProfile::resolve(profile, tables(), violations);
  if (!violations.empty()) return violations;
  Lease c = storage_->lease();
  in_transaction(*c, true, [&] {
    resolved->epoch = take_versions(*c);
    c->execute(
        "INSERT INTO _cfx_profiles (name, yaml, published_at, published_by, epoch) VALUES (?, ?, "
        "?, ?, ?) ON CONFLICT (name) DO UPDATE SET yaml = excluded.yaml, published_at = "
        "excluded.published_at, published_by = excluded.published_by, epoch = excluded.epoch",
        {profile.name, std::string(yaml), now_ms(), by_user, resolved->epoch});
  });
  return {};
}

}  // namespace canvasfx::sync
