// The sync tests' fixture (sync_fixture.h).
#include "sync_fixture.h"

#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "canvasfx/host/sync_journal.h"
#include "postgres_server.h"
#include "processes.h"

namespace canvasfx::sync::testing {

using host::ColumnType;

bool use_postgres() {
  const char* s = std::getenv("CANVASFX_SYNC_STORAGE");
  return s && std::string(s) == "postgres";
}

namespace {

PostgresServer& postgres() {
  static std::unique_ptr<PostgresServer> server = std::make_unique<PostgresServer>();
  return *server;
}

}  // namespace

const char* const kAcceptanceProfile = R"yaml(
name: Acceptance
tables:
  - name: Accounts
    can_be_taken_offline: true
    key: AccountId
    sync_interval: 15
    columns:
      - { name: AccountId, type: guid }
      - { name: Name, type: text }
      - { name: City, type: text }
      - { name: Revenue, type: number }
      - { name: Active, type: boolean }
      - { name: CreatedOn, type: datetime }
    rows:
      organization: [user, business_unit]
    relationships:
      - { name: account_contacts, table: Contacts, type: one_to_many }
  - name: Contacts
    can_be_taken_offline: true
    key: ContactId
    sync_interval: 30
    columns:
      - { name: ContactId, type: guid }
      - { name: FullName, type: text }
      - { name: Email, type: text }
      - { name: Account, type: lookup, target: Accounts }
    rows:
      related: [Accounts]
  - name: Sales Orders
    can_be_taken_offline: true
    key: OrderId
    sync_interval: 60
    columns:
      - { name: OrderId, type: guid }
      - { name: OrderNumber, type: text }
      - { name: Account, type: lookup, target: Accounts }
      - { name: Amount, type: number }
      - { name: Status, type: text }
    rows:
      custom:
        and:
          - { column: Status, op: eq, value: Open }
          - or:
              - { column: Amount, op: gt, value: 10000 }
              - { column: Account.City, op: eq, value: Seattle }
)yaml";

std::unique_ptr<Storage> SyncTest::fresh_storage() {
  if (!use_postgres()) {
    storage_location_ = (dir_ / "server.db").string();
    return open_sqlite_storage(storage_location_);
  }
  static int counter = 0;
  std::string name = fmt::format("t{}_{}", getpid(), ++counter);
  postgres().create_database(name);
  storage_location_ = postgres().url(name);
  return open_postgres_storage(storage_location_);
}

void SyncTest::SetUp() {
  service_ = std::make_unique<SyncService>(fresh_storage());
  start_server();
}

void SyncTest::TearDown() {
  stop_server();
  service_.reset();
}

void SyncTest::start_server() {
  http_ = std::make_unique<HttpServer>(*service_, port_, 4);
  port_ = http_->port();
  thread_ = std::thread([this] { http_->run(); });
}

void SyncTest::stop_server() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
  http_.reset();
}

pid_t SyncTest::spawn_server_process(int port, const std::string& log) {
  std::vector<std::string> argv{CANVASFX_BINARY,      "server",    "--port",
                                std::to_string(port), "--threads", "4"};
  if (use_postgres())
    argv.insert(argv.end(), {"--postgres", storage_location_});
  else
    argv.insert(argv.end(), {"--data", storage_location_});
  pid_t pid = spawn_process(argv, log);
  httplib::Client c(fmt::format("http://127.0.0.1:{}", port));
  for (int i = 0; i < 400; ++i) {
    if (auto r = c.Get("/v1/health"); r && r->status == 200) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ADD_FAILURE() << "the server process did not start";
  return pid;
}

void SyncTest::seed_small() {
  SeedOptions o;
  o.business_units = 3;
  o.teams = 6;
  o.users = 12;
  o.accounts = 300;
  o.contacts = 900;
  o.orders = 600;
  for (auto& [user, token] : seed_organization(*service_, o).tokens) tokens_[user] = token;
}

void SyncTest::add_editors() {
  for (const char* name : {"alice", "bob"})
    tokens_[name] = service_->add_user({name, "Contoso", {}, WriteScope::BusinessUnit});
}

void SyncTest::publish(const std::string& yaml) {
  auto violations = service_->publish_profile(yaml, "admin");
  for (const auto& v : violations) ADD_FAILURE() << v.rule << ": " << v.message;
}

std::string SyncTest::url() const { return fmt::format("http://127.0.0.1:{}", port_); }

DeviceSyncReport SyncTest::Device::sync(bool force) {
  options.force = force;
  return DeviceSync(*store, options).run();
}

SyncTest::Device SyncTest::device(const std::string& user, const std::string& name) {
  Device d;
  d.store = host::Store::open(dir_ / ((name.empty() ? user : name) + ".db"));
  d.options.server_url = url();
  d.options.user = user;
  d.options.token = tokens_.at(user);
  d.options.page_size = 50;  // several pages even for small tables
  return d;
}

std::vector<SqlRow> SyncTest::server_query(const std::string& sql, const SqlParams& params) {
  Lease c = service_->storage().lease();
  return c->query(sql, params);
}

std::string SyncTest::user_id(const std::string& name) {
  auto u = service_->find_user(name);
  EXPECT_TRUE(u) << name;
  return u ? u->id : "";
}

// What `user`'s device must hold, table by table, by SQL written for this
// profile by hand (not by the server's scope code).
void SyncTest::expect_exact(host::Store& store, const std::string& user) {
  auto u = service_->find_user(user);
  ASSERT_TRUE(u);
  const std::string accounts_in_scope =
      "SELECT \"AccountId\" FROM \"Accounts\" WHERE _cfx_deleted = 0 AND (_cfx_owner_user = ? "
      "OR _cfx_bu = ?)";
  auto accounts = server_rows(
      "SELECT \"AccountId\", \"Name\", \"City\", \"Revenue\", \"Active\", \"CreatedOn\" FROM "
      "\"Accounts\" WHERE _cfx_deleted = 0 AND (_cfx_owner_user = ? OR _cfx_bu = ?)",
      {u->id, u->business_unit}, {"Name", "City", "Revenue", "Active", "CreatedOn"},
      {ColumnType::Text, ColumnType::Text, ColumnType::Number, ColumnType::Boolean,
       ColumnType::DateTime});
  auto contacts = server_rows(
      "SELECT c.\"ContactId\", c.\"FullName\", c.\"Email\", c.\"Account\" FROM \"Contacts\" c "
      "WHERE c._cfx_deleted = 0 AND c.\"Account\" IN (" +
          accounts_in_scope + ")",
      {u->id, u->business_unit}, {"FullName", "Email", "Account"},
      {ColumnType::Text, ColumnType::Text, ColumnType::Lookup});
  auto orders = server_rows(
      "SELECT o.\"OrderId\", o.\"OrderNumber\", o.\"Account\", o.\"Amount\", o.\"Status\" FROM "
      "\"Sales Orders\" o LEFT JOIN \"Accounts\" a ON a.\"AccountId\" = o.\"Account\" AND "
      "a._cfx_deleted = 0 WHERE o._cfx_deleted = 0 AND o.\"Status\" = 'Open' AND (o.\"Amount\" "
      "> 10000 OR a.\"City\" = 'Seattle')",
      {}, {"OrderNumber", "Account", "Amount", "Status"},
      {ColumnType::Text, ColumnType::Lookup, ColumnType::Number, ColumnType::Text});
  EXPECT_EQ(local_rows(store, "Accounts"), accounts) << user;
  EXPECT_EQ(local_rows(store, "Contacts"), contacts) << user;
  EXPECT_EQ(local_rows(store, "Sales Orders"), orders) << user;
  // The scopes are not trivially empty or everything.
  EXPECT_GT(accounts.size(), 10u);
  EXPECT_LT(accounts.size(), 300u);
  EXPECT_GT(contacts.size(), 10u);
  EXPECT_GT(orders.size(), 5u);
  // Every row records the server's version (the base of later changes).
  for (const auto& [key, _] : accounts)
    EXPECT_EQ(host::row_version(store, "Accounts", key),
              as_int(server_query("SELECT _cfx_version FROM \"Accounts\" WHERE \"AccountId\" = ?",
                                  {key})[0][0]));
}

void edit(host::Store& store, const std::string& table, const std::string& key,
          const host::Row& changes) {
  auto tx = store.transaction();
  tx.update(table, key, changes);
  tx.commit();
}

std::map<std::string, std::string> local_rows(host::Store& store, const std::string& table) {
  std::map<std::string, std::string> out;
  auto schema = store.table(table);
  for (const auto& row : store.rows(table)) {
    std::string key, text;
    for (const auto& [name, cell] : row) {
      const host::ColumnSchema* c = schema->column(name);
      if (name == schema->key_column)
        key = std::get<std::string>(cell);
      else
        text += name + "=" + cell_to_json(c->type, cell).dump() + "|";
    }
    out[key] = text;
  }
  return out;
}

std::map<std::string, std::string> SyncTest::server_rows(
    const std::string& sql, const SqlParams& params, const std::vector<std::string>& names,
    const std::vector<host::ColumnType>& types) {
  std::map<std::string, std::string> out;
  for (const SqlRow& r : server_query(sql, params)) {
    std::string text;
    for (size_t i = 0; i < names.size(); ++i) {
      const SqlValue& v = r[i + 1];
      host::Cell cell;
      if (!is_null(v)) {
        switch (types[i]) {
          case host::ColumnType::Number:
            cell = std::holds_alternative<double>(v) ? std::get<double>(v)
                                                     : static_cast<double>(as_int(v));
            break;
          case host::ColumnType::Boolean:
            cell = as_int(v) != 0;
            break;
          case host::ColumnType::DateTime:
            cell = as_int(v);
            break;
          default:
            cell = as_text(v);
        }
      }
      text += names[i] + "=" + cell_to_json(types[i], cell).dump() + "|";
    }
    out[as_text(r[0])] = text;
  }
  return out;
}

}  // namespace canvasfx::sync::testing
