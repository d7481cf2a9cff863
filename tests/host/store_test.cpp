// The sync store: creation, migration, validation of foreign files, seeding,
// app writes with their queue entries, sync runs.
#include "canvasfx/host/store.h"

#include <gtest/gtest.h>

#include <random>

#include "canvasfx/host/profile.h"
#include "test_util.h"

namespace canvasfx::host {
namespace {

using testing::hash_file;
using testing::raw_exec;
using testing::raw_int;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

// ---------------------------------------------------------------- creation and migration

TEST(StoreOpen, CreatesAndMigratesANewFile) {
  TempDir dir;
  auto path = dir / "store.db";
  {
    auto store = Store::open(path);
    EXPECT_TRUE(store->created());
    EXPECT_TRUE(store->tables().empty());
  }
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), Store::schema_version());
  EXPECT_EQ(raw_int(path, "PRAGMA application_id"), 0x43465853);
  EXPECT_EQ(Store::schema_version(), 4);
  auto again = Store::open(path);
  EXPECT_FALSE(again->created());
}

TEST(StoreOpen, UsesWalForeignKeysAndBusyTimeout) {
  TempDir dir;
  auto store = Store::open(dir / "s.db");
  EXPECT_EQ(raw_int(dir / "s.db", "PRAGMA journal_mode") >= 0, true);
  // journal_mode is persistent for WAL: a second connection sees it.
  sqlite3* db = nullptr;
  sqlite3_open((dir / "s.db").string().c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(StoreOpen, TwoStoresOnOneFileShareIt) {
  TempDir dir;
  auto path = dir / "shared store #1?.db";  // URI-reserved characters in the path
  auto a = Store::open(path);
  ASSERT_TRUE(std::filesystem::exists(path.string() + "-wal"));  // a is open, in WAL mode
  auto b = Store::open(path);
  a->set_connected(false);
  EXPECT_FALSE(b->device_state().connected);
}

TEST(StoreOpen, MissingFileWithoutCreateIsAnError) {
  TempDir dir;
  EXPECT_THROW(Store::open(dir / "none.db", {.create = false}), StoreError);
  EXPECT_FALSE(std::filesystem::exists(dir / "none.db"));
}

// An empty SQLite database is what an interrupted creation by an older
// canvasfx left behind: refused like any file that is not a store, untouched.
TEST(StoreOpen, AnEmptySQLiteDatabaseIsRefusedAndKept) {
  TempDir dir;
  auto path = dir / "v0.db";
  raw_exec(path, "CREATE TABLE t (x); DROP TABLE t;");
  ASSERT_EQ(raw_int(path, "PRAGMA user_version"), 0);
  ASSERT_GT(std::filesystem::file_size(path), 0u);
  auto before = hash_file(path);
  try {
    Store::open(path);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("an empty SQLite database, not a canvasfx store"),
              std::string::npos)
        << e.what();
    EXPECT_EQ(e.cause(), StoreError::Cause::Damaged);
  }
  EXPECT_EQ(hash_file(path), before);
}

TEST(StoreOpen, AZeroByteFileIsRefusedAndKept) {
  TempDir dir;
  write_file(dir / "empty.db", "");
  try {
    Store::open(dir / "empty.db", {.create = true, .seed_demo = true});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("the file is empty (0 bytes)"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(std::filesystem::file_size(dir / "empty.db"), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir / "empty.db-wal"));
}

TEST(StoreOpen, AFutureSchemaVersionIsRefusedAndTheFileKept) {
  TempDir dir;
  auto path = dir / "future.db";
  { Store::open(path); }
  raw_exec(path, "PRAGMA user_version = 99");
  auto before = hash_file(path);
  try {
    Store::open(path);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("store schema version 99 is newer than this canvasfx supports (version " +
                       std::to_string(Store::schema_version()) + ")"),
              std::string::npos)
        << msg;
  }
  EXPECT_EQ(hash_file(path), before);
}

TEST(StoreOpen, ASQLiteDatabaseOfAnotherApplicationIsRefusedAndKept) {
  TempDir dir;
  auto path = dir / "other.db";
  raw_exec(path,
           "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);"
           "INSERT INTO customers (name) VALUES ('x');");
  auto before = hash_file(path);
  try {
    Store::open(path);
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("it is not a canvasfx store"), std::string::npos);
  }
  EXPECT_EQ(hash_file(path), before);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM customers"), 1);
}

// ---------------------------------------------------------------- corrupt files

struct CorruptCase {
  const char* name;
  std::string (*make)(const std::string& valid_store);
  const char* expected;  // a fragment of the message
};

std::string random_bytes(const std::string&) {
  std::mt19937_64 rng(42);
  std::string s(8192, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}
std::string text_file(const std::string&) { return "name: not a database\nthis is a text file\n"; }
std::string truncated_half(const std::string& valid) {
  return valid.substr(0, valid.size() / 2 + 7);
}
std::string truncated_at_page(const std::string& valid) {
  return valid.substr(0, valid.size() - 4 * 4096);
}
std::string header_only(const std::string& valid) { return valid.substr(0, 100); }
std::string damaged_page(const std::string& valid) {
  std::string s = valid;
  std::mt19937_64 rng(7);
  for (size_t i = 4096 + 8; i < 3 * 4096; ++i) s[i] = static_cast<char>(rng());
  return s;
}

class CorruptFile : public ::testing::TestWithParam<CorruptCase> {};

TEST_P(CorruptFile, IsRefusedWithAClearErrorAndLeftUnchanged) {
  TempDir dir;
  std::string valid;
  {
    auto src = dir / "valid.db";
    auto store = Store::open(src, {.create = true, .seed_demo = true});
    store.reset();
    valid = read_file(src);
    ASSERT_EQ(valid.size() % 4096, 0u);
  }
  auto path = dir / "bad.db";
  write_file(path, GetParam().make(valid));
  auto before = hash_file(path);
  auto size = std::filesystem::file_size(path);
  try {
    Store::open(path, {.create = true, .seed_demo = true});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("cannot open store '" + path.string() + "'"), std::string::npos) << msg;
    EXPECT_NE(msg.find(GetParam().expected), std::string::npos) << msg;
  }
  EXPECT_EQ(hash_file(path), before);
  EXPECT_EQ(std::filesystem::file_size(path), size);
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.db-wal"));
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.db-shm"));
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.db-journal"));
}

INSTANTIATE_TEST_SUITE_P(
    Files, CorruptFile,
    ::testing::Values(CorruptCase{"RandomBytes", random_bytes, "not a SQLite database"},
                      CorruptCase{"TextFile", text_file, "not a SQLite database"},
                      CorruptCase{"TruncatedMidPage", truncated_half, "truncated"},
                      CorruptCase{"TruncatedAtPageBoundary", truncated_at_page, "truncated"},
                      CorruptCase{"HeaderOnly", header_only, "truncated"},
                      CorruptCase{"DamagedPages", damaged_page, "damaged"}),
    [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------- default path and seeding

TEST(StoreDefault, PathFollowsXdgDataHome) {
  const char* old = std::getenv("XDG_DATA_HOME");
  std::string saved = old ? old : "";
  setenv("XDG_DATA_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(Store::default_path(), std::filesystem::path("/tmp/xdg-test/canvasfx/store.db"));
  unsetenv("XDG_DATA_HOME");
  setenv("HOME", std::getenv("HOME") ? std::getenv("HOME") : "/root", 1);
  EXPECT_EQ(Store::default_path(),
            std::filesystem::path(std::getenv("HOME")) / ".local/share/canvasfx/store.db");
  if (old) setenv("XDG_DATA_HOME", saved.c_str(), 1);
}

TEST(StoreDefault, OpenDefaultCreatesAndSeedsOnce) {
  TempDir dir;
  const char* old = std::getenv("XDG_DATA_HOME");
  std::string saved = old ? old : "";
  setenv("XDG_DATA_HOME", dir.path().c_str(), 1);
  {
    auto store = Store::open_default();
    EXPECT_TRUE(store->created());
    EXPECT_EQ(store->path(), dir.path() / "canvasfx" / "store.db");
    EXPECT_EQ(store->count_rows("Accounts"), 3000);
  }
  {
    auto store = Store::open_default();
    EXPECT_FALSE(store->created());
    EXPECT_EQ(store->count_rows("Accounts"), 3000);
  }
  if (old)
    setenv("XDG_DATA_HOME", saved.c_str(), 1);
  else
    unsetenv("XDG_DATA_HOME");
}

// How fast seeding is is not asserted here: a timer in a test fails on a busy
// machine or under the sanitizers (10 s in make check-asan), not on a slow change.
TEST(StoreSeed, DemoCountsProfileAndSync) {
  auto store = Store::open_memory(/*seed_demo=*/true);
  EXPECT_EQ(store->count_rows("Accounts"), 3000);
  EXPECT_EQ(store->count_rows("Contacts"), 6000);
  EXPECT_EQ(store->count_rows("Sales Orders"), 4000);
  EXPECT_EQ(store->count_rows("sales orders"), 4000);  // names are case-insensitive
  EXPECT_EQ(store->queue_size(), 0);
  auto app = store->app_settings();
  EXPECT_TRUE(app.offline_enabled);
  EXPECT_EQ(app.profile_name, "Field Sales (demo)");
  EXPECT_EQ(app.profile_yaml, demo_profile_yaml());
  auto last = store->last_completed_sync();
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->initial);
  EXPECT_EQ(last->outcome, SyncOutcome::Succeeded);
  EXPECT_EQ(last->tables.size(), 3u);
  auto accounts = store->table("Accounts");
  ASSERT_TRUE(accounts);
  EXPECT_EQ(accounts->key_column, "AccountId");
  EXPECT_EQ(accounts->sync_interval_minutes, 15);
  EXPECT_EQ(accounts->column("City")->type, ColumnType::Text);
  EXPECT_EQ(store->table("Contacts")->column("Account")->lookup_table, "Accounts");
}

TEST(StoreSeed, DataIsDeterministicAndIncludesSeattle) {
  auto a = Store::open_memory(true);
  auto b = Store::open_memory(true);
  auto ra = a->rows("Accounts", 50), rb = b->rows("Accounts", 50);
  ASSERT_EQ(ra.size(), 50u);
  EXPECT_EQ(ra, rb);
  EXPECT_EQ(a->rows("Contacts", 5), b->rows("Contacts", 5));
  int seattle = 0;
  for (const auto& row : a->rows("Accounts"))
    for (const auto& [k, v] : row)
      if (k == "City" && std::get<std::string>(v) == "Seattle") ++seattle;
  EXPECT_GT(seattle, 100);
  // Every contact's Account is an account key.
  auto contact = a->rows("Contacts", 1).at(0);
  std::string account;
  for (const auto& [k, v] : contact)
    if (k == "Account") account = std::get<std::string>(v);
  EXPECT_TRUE(a->get_row("Accounts", account).has_value());
}

// ---------------------------------------------------------------- names

TEST(StoreNames, IdentifiersAreValidatedAndQuoted) {
  EXPECT_EQ(quote_identifier("Sales Orders"), "\"Sales Orders\"");
  EXPECT_TRUE(valid_name("Accounts"));
  EXPECT_TRUE(valid_name("Montant (€)"));
  EXPECT_FALSE(valid_name(""));
  EXPECT_FALSE(valid_name("a\"; DROP TABLE x; --"));
  EXPECT_FALSE(valid_name("Robert'); DROP TABLE Students;--"));
  EXPECT_FALSE(valid_name("_cfx_queue"));
  EXPECT_FALSE(valid_name("sqlite_master"));
  EXPECT_FALSE(valid_name(" padded"));
  EXPECT_FALSE(valid_name("line\nbreak"));
  EXPECT_FALSE(valid_name(std::string(129, 'a')));
  EXPECT_THROW(quote_identifier("x\"y"), StoreError);
}

TEST(StoreNames, ValuesAreParametersNotSql) {
  auto store = Store::open_memory(true);
  std::string evil = "x'); DELETE FROM \"Accounts\"; --";
  auto tx = store->transaction();
  std::string id = tx.create("Accounts", {{"Name", evil}, {"City", std::string("Seattle")}});
  tx.commit();
  EXPECT_EQ(store->count_rows("Accounts"), 3001);
  auto row = store->get_row("Accounts", id);
  ASSERT_TRUE(row);
  EXPECT_EQ(std::get<std::string>((*row)[1].second), evil);
  EXPECT_FALSE(store->get_row("Accounts", "' OR 1=1 --"));
}

// ---------------------------------------------------------------- writes and the queue

std::unique_ptr<Store> small_store() {
  auto store = Store::open_memory();
  store->set_clock([] { return int64_t{1'700'000'000'000}; });
  apply(parse_profile(demo_profile_yaml()), *store);
  return store;
}

TEST(StoreWrites, CreateUpdateRemoveQueueTheirChanges) {
  auto store = small_store();
  std::string id;
  {
    auto tx = store->transaction();
    id = tx.create("Accounts", {{"Name", std::string("Contoso")},
                                {"Revenue", 12.5},
                                {"Active", true},
                                {"CreatedOn", int64_t{1'690'000'000'000}}});
    tx.update("Accounts", id, {{"City", std::string("Seattle")}});
    tx.commit();
  }
  EXPECT_EQ(id.size(), 36u);
  auto row = store->get_row("Accounts", id);
  ASSERT_TRUE(row);
  auto q = store->queue();
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].action, QueueAction::Create);
  EXPECT_EQ(q[0].table, "Accounts");
  EXPECT_EQ(q[0].record_id, id);
  EXPECT_EQ(q[0].changes_json,
            "{\"AccountId\":\"" + id +
                "\",\"Active\":true,\"CreatedOn\":1690000000000,\"Name\":\"Contoso\",\"Revenue\":"
                "12.5}");
  EXPECT_EQ(q[0].queued_at, 1'700'000'000'000);
  EXPECT_EQ(q[1].action, QueueAction::Update);
  EXPECT_EQ(q[1].changes_json, "{\"City\":\"Seattle\"}");  // exactly the changed columns
  {
    auto tx = store->transaction();
    tx.remove("Accounts", id);
    tx.queue_attachment("Accounts", id, "Logo", QueueContent::Image, QueueAction::Delete);
    tx.commit();
  }
  EXPECT_FALSE(store->get_row("Accounts", id));
  q = store->queue();
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[2].action, QueueAction::Delete);
  EXPECT_EQ(q[3].content, QueueContent::Image);
  store->acknowledge({q[0].id, q[1].id});
  EXPECT_EQ(store->queue_size(), 2);
}

TEST(StoreWrites, AThrowingTransactionLeavesNeitherWriteNorQueueEntry) {
  auto store = small_store();
  EXPECT_THROW(
      {
        auto tx = store->transaction();
        tx.create("Accounts", {{"Name", std::string("A")}});
        tx.create("Contacts", {{"FullName", std::string("B")}});
        throw std::runtime_error("the app failed half way");
      },
      std::runtime_error);
  EXPECT_EQ(store->count_rows("Accounts"), 0);
  EXPECT_EQ(store->count_rows("Contacts"), 0);
  EXPECT_EQ(store->queue_size(), 0);
  // The store is usable again.
  auto tx = store->transaction();
  tx.create("Accounts", {{"Name", std::string("C")}});
  tx.commit();
  EXPECT_EQ(store->count_rows("Accounts"), 1);
  EXPECT_EQ(store->queue_size(), 1);
}

TEST(StoreWrites, AFailingWriteInsideATransactionRollsBackEarlierWrites) {
  auto store = small_store();
  EXPECT_THROW(
      {
        auto tx = store->transaction();
        tx.create("Accounts", {{"Name", std::string("A")}});
        tx.create("Accounts", {{"Revenue", std::string("not a number")}});  // throws
        tx.commit();
      },
      StoreError);
  EXPECT_EQ(store->count_rows("Accounts"), 0);
  EXPECT_EQ(store->queue_size(), 0);
}

TEST(StoreWrites, AnUncommittedTransactionRollsBack) {
  auto store = small_store();
  {
    auto tx = store->transaction();
    tx.create("Accounts", {{"Name", std::string("A")}});
  }
  EXPECT_EQ(store->count_rows("Accounts"), 0);
  EXPECT_EQ(store->queue_size(), 0);
}

TEST(StoreWrites, ErrorsNameTheProblem) {
  auto store = small_store();
  auto tx = store->transaction();
  EXPECT_THROW(store->transaction(), StoreError);  // one at a time
  try {
    tx.update("Accounts", "missing", {{"Name", std::string("x")}});
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_STREQ(e.what(), "table 'Accounts' has no record 'missing'");
  }
  try {
    tx.create("Accounts", {{"Nope", 1.0}});
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_STREQ(e.what(), "table 'Accounts' has no column 'Nope'");
  }
  try {
    tx.create("Accounts", {{"Active", 1.0}});
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_STREQ(e.what(), "column 'Active' of table 'Accounts' expects a boolean value");
  }
  try {
    tx.create("Nowhere", {});
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_STREQ(e.what(), "no local table 'Nowhere'");
  }
  std::string id = tx.create("Accounts", {{"AccountId", std::string("k1")}});
  EXPECT_EQ(id, "k1");
  EXPECT_THROW(tx.create("Accounts", {{"AccountId", std::string("k1")}}), StoreError);
  EXPECT_THROW(tx.update("Accounts", "k1", {{"AccountId", std::string("k2")}}), StoreError);
}

// ---------------------------------------------------------------- sync runs

TEST(StoreSync, RunsRecordOutcomesErrorsAndWarnings) {
  auto store = small_store();
  int64_t run = store->begin_sync(true);
  EXPECT_THROW(store->begin_sync(), StoreError);
  ASSERT_TRUE(store->running_sync());
  store->download_rows(run, "Accounts",
                       {{{"AccountId", std::string("a1")}, {"Name", std::string("Server")}}});
  // Server rows are not queued.
  EXPECT_EQ(store->queue_size(), 0);
  EXPECT_EQ(store->count_rows("Accounts"), 1);
  SyncRunResult r;
  r.tables = {{"Accounts", true, 1, 0}, {"Contacts", false, 0, 0}};
  SyncError e;
  e.message = "The record was changed on the server.";
  e.error_type = "conflict";
  e.table = "Contacts";
  e.record_id = "c1";
  e.owner = "ana@example.com";
  e.action = QueueAction::Update;
  e.action_data_json = R"({"Phone":"+1 555 0100"})";
  e.request_data_json = R"({"method":"PATCH"})";
  e.error_code = "0x80060882";
  r.errors.push_back(e);
  r.warnings.push_back({0, {}, 0, "slow-table", "Contacts", "Contacts took long."});
  store->end_sync(run, r);
  EXPECT_FALSE(store->running_sync());
  EXPECT_THROW(store->download_rows(run, "Accounts", {}), StoreError);
  auto last = store->last_completed_sync();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->outcome, SyncOutcome::Failed);
  ASSERT_EQ(last->tables.size(), 2u);
  EXPECT_FALSE(last->tables[1].succeeded);
  auto errors = store->last_sync_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].owner, "ana@example.com");
  EXPECT_EQ(errors[0].action, QueueAction::Update);
  EXPECT_EQ(errors[0].action_data_json, R"({"Phone":"+1 555 0100"})");
  EXPECT_EQ(errors[0].error_code, "0x80060882");
  EXPECT_EQ(store->recorded_warnings().size(), 1u);
  store->resolve_error(errors[0].id);
  EXPECT_TRUE(store->last_sync_errors().empty());
  EXPECT_EQ(store->sync_errors().size(), 1u);
  EXPECT_TRUE(store->sync_errors().at(0).resolved);

  auto infos = store->table_infos();
  ASSERT_EQ(infos.size(), 3u);
  EXPECT_EQ(infos[0].schema.name, "Accounts");
  EXPECT_TRUE(infos[0].last_synced_at.has_value());
  EXPECT_FALSE(infos[1].last_synced_at.has_value());  // Contacts failed
}

TEST(StoreSync, InvalidJsonInASyncErrorIsRefused) {
  auto store = small_store();
  int64_t run = store->begin_sync();
  SyncRunResult r;
  SyncError e;
  e.message = "x";
  e.action_data_json = "{not json";
  r.errors.push_back(e);
  EXPECT_THROW(store->end_sync(run, r), StoreError);
  EXPECT_TRUE(store->running_sync());  // nothing recorded
}

TEST(StoreDevice, StateRoundTrips) {
  auto store = Store::open_memory();
  DeviceState d;
  d.connected = false;
  d.metered = true;
  d.os_type = "iOS";
  d.user_agent = "Mozilla/5.0 (iPhone)";
  d.player = PlayerKind::Native;
  d.player_version = "PowerApps-Native/3.23084.8(iOS)";
  d.session_id = new_guid();
  d.tenant_id = new_guid();
  store->set_device_state(d);
  auto r = store->device_state();
  EXPECT_EQ(r.connected, false);
  EXPECT_EQ(r.metered, true);
  EXPECT_EQ(r.os_type, "iOS");
  EXPECT_EQ(r.user_agent, d.user_agent);
  EXPECT_EQ(r.player, PlayerKind::Native);
  EXPECT_EQ(r.player_version, d.player_version);
  EXPECT_EQ(r.session_id, d.session_id);
  EXPECT_EQ(r.tenant_id, d.tenant_id);
}

}  // namespace
}  // namespace canvasfx::host
