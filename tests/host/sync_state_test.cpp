// Derived state: Connection.Sync (all nine states), warnings,
// Host.OfflineEnabled and the device status page.
#include "canvasfx/host/sync_state.h"

#include <gtest/gtest.h>

#include "canvasfx/host/profile.h"

namespace canvasfx::host {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kMin = 60'000;

// ---------------------------------------------------------------- pure derivation

struct SyncCase {
  const char* name;
  SyncStateInputs in;
  ConnectionSync expected;
};

class DeriveConnectionSync : public ::testing::TestWithParam<SyncCase> {};

TEST_P(DeriveConnectionSync, FirstMatchingRuleWins) {
  EXPECT_EQ(connection_sync_name(derive_connection_sync(GetParam().in)),
            std::string(connection_sync_name(GetParam().expected)));
}

using S = ConnectionSync;
// {connected, sync_running, last_sync_unresolved_errors, pending_upsync, active_warnings}
INSTANTIATE_TEST_SUITE_P(
    Rules, DeriveConnectionSync,
    ::testing::Values(
        SyncCase{"Connected", {true, false, 0, 0, 0}, S::Connected},
        SyncCase{"ConnectedWithWarning", {true, false, 0, 0, 1}, S::ConnectedWithWarning},
        SyncCase{"ConnectedPendingUpsync", {true, false, 0, 3, 1}, S::ConnectedPendingUpsync},
        SyncCase{"ConnectedError", {true, false, 2, 3, 1}, S::ConnectedError},
        SyncCase{"ConnectedRefresh", {true, true, 2, 3, 1}, S::ConnectedRefresh},
        SyncCase{"NotConnected", {false, false, 0, 0, 0}, S::NotConnected},
        SyncCase{"NotConnectedWithWarning", {false, false, 0, 0, 1}, S::NotConnectedWithWarning},
        SyncCase{
            "NotConnectedPendingUpsync", {false, false, 0, 1, 1}, S::NotConnectedPendingUpsync},
        SyncCase{"NotConnectedSyncError", {false, false, 1, 1, 1}, S::NotConnectedSyncError},
        // A running sync only counts when connected.
        SyncCase{"NotConnectedRunningIsNotRefresh", {false, true, 0, 0, 0}, S::NotConnected},
        SyncCase{"RefreshBeatsEverything", {true, true, 0, 0, 0}, S::ConnectedRefresh}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ConnectionSyncEnum, HasExactlyNineMembersInOrder) {
  const char* names[] = {"Connected",
                         "ConnectedWithWarning",
                         "ConnectedPendingUpsync",
                         "ConnectedError",
                         "ConnectedRefresh",
                         "NotConnected",
                         "NotConnectedWithWarning",
                         "NotConnectedPendingUpsync",
                         "NotConnectedSyncError"};
  ASSERT_EQ(kConnectionSyncCount, 9);
  for (int i = 0; i < 9; ++i) {
    EXPECT_STREQ(connection_sync_name(static_cast<ConnectionSync>(i)), names[i]);
    EXPECT_NE(std::string(connection_sync_meaning(static_cast<ConnectionSync>(i))), "");
  }
}

// ---------------------------------------------------------------- from a store

// A store with the demo profile, fully synced at kNow, no data.
std::unique_ptr<Store> synced_store(int64_t* now) {
  auto store = Store::open_memory();
  store->set_clock([now] { return *now; });
  apply(parse_profile(demo_profile_yaml()), *store);
  int64_t run = store->begin_sync(true);
  SyncRunResult r;
  for (const auto& t : store->tables()) r.tables.push_back({t.name, true, 0, 0});
  store->end_sync(run, r);
  return store;
}

struct StoreCase {
  const char* name;
  bool connected;
  void (*setup)(Store&, int64_t& now);
  ConnectionSync expected;
};

void nothing(Store&, int64_t&) {}
void overdue(Store&, int64_t& now) { now += 31 * kMin; }  // Accounts: 15 min interval
void pending(Store& s, int64_t& now) {
  overdue(s, now);
  auto tx = s.transaction();
  tx.create("Accounts", {{"Name", std::string("x")}});
  tx.commit();
}
void failed(Store& s, int64_t& now) {
  pending(s, now);
  int64_t run = s.begin_sync();
  SyncRunResult r;
  SyncError e;
  e.message = "conflict";
  r.errors.push_back(e);
  s.end_sync(run, r);
}
void running(Store& s, int64_t& now) {
  failed(s, now);
  s.begin_sync();
}

class StoreConnectionSync : public ::testing::TestWithParam<StoreCase> {};

TEST_P(StoreConnectionSync, DerivesTheStateFromTheStore) {
  int64_t now = kNow;
  auto store = synced_store(&now);
  store->set_connected(GetParam().connected);
  GetParam().setup(*store, now);
  EXPECT_STREQ(connection_sync_name(connection_sync_of(*store)),
               connection_sync_name(GetParam().expected));
  EXPECT_EQ(device_status_of(*store).state, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    States, StoreConnectionSync,
    ::testing::Values(
        StoreCase{"Connected", true, nothing, S::Connected},
        StoreCase{"ConnectedWithWarning", true, overdue, S::ConnectedWithWarning},
        StoreCase{"ConnectedPendingUpsync", true, pending, S::ConnectedPendingUpsync},
        StoreCase{"ConnectedError", true, failed, S::ConnectedError},
        StoreCase{"ConnectedRefresh", true, running, S::ConnectedRefresh},
        StoreCase{"NotConnected", false, nothing, S::NotConnected},
        StoreCase{"NotConnectedWithWarning", false, overdue, S::NotConnectedWithWarning},
        StoreCase{"NotConnectedPendingUpsync", false, pending, S::NotConnectedPendingUpsync},
        StoreCase{"NotConnectedSyncError", false, running, S::NotConnectedSyncError}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(StoreConnectionSync, ResolvedErrorsAndAckedUploadsClearTheState) {
  int64_t now = kNow;
  auto store = synced_store(&now);
  failed(*store, now);
  EXPECT_EQ(connection_sync_of(*store), S::ConnectedError);
  for (const auto& e : store->last_sync_errors()) store->resolve_error(e.id);
  EXPECT_EQ(connection_sync_of(*store), S::ConnectedPendingUpsync);
  std::vector<int64_t> ids;
  for (const auto& q : store->queue()) ids.push_back(q.id);
  store->acknowledge(ids);
  EXPECT_EQ(connection_sync_of(*store), S::ConnectedWithWarning);  // still overdue
  int64_t run = store->begin_sync();
  SyncRunResult r;
  for (const auto& t : store->tables()) r.tables.push_back({t.name, true, 0, 0});
  store->end_sync(run, r);
  EXPECT_EQ(connection_sync_of(*store), S::Connected);
}

TEST(StoreConnectionSync, ErrorsOfAnOlderSyncDoNotCount) {
  int64_t now = kNow;
  auto store = synced_store(&now);
  failed(*store, now);
  store->acknowledge({store->queue().at(0).id});
  int64_t run = store->begin_sync();
  SyncRunResult r;
  for (const auto& t : store->tables()) r.tables.push_back({t.name, true, 0, 0});
  store->end_sync(run, r);
  EXPECT_EQ(store->sync_errors(true).size(), 1u);
  EXPECT_EQ(connection_sync_of(*store), S::Connected);
}

// ---------------------------------------------------------------- warnings

TEST(Warnings, TableOverdueAfterTwiceItsInterval) {
  WarningInputs in;
  in.now = kNow;
  in.tables = {{"Accounts", 15, kNow - 30 * kMin, 10}, {"Contacts", 15, kNow - 30 * kMin - 1, 10}};
  auto w = compute_warnings(in);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].kind, WarningKind::TableOverdue);
  EXPECT_EQ(w[0].table, "Contacts");
  EXPECT_EQ(w[0].message,
            "Table 'Contacts' has not synced within twice its sync interval (15 min).");
}

TEST(Warnings, InitialSyncIncomplete) {
  WarningInputs in;
  in.now = kNow;
  in.tables = {{"Accounts", 5, kNow, 1},
               {"Contacts", 5, std::nullopt, 0},
               {"Sales Orders", 60, std::nullopt, 0}};
  auto w = compute_warnings(in);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].code, "initial-sync-incomplete");
  EXPECT_EQ(w[0].message,
            "The initial sync has not completed: 'Contacts', 'Sales Orders' never synced.");
}

TEST(Warnings, RecordCountsAndStorage) {
  WarningInputs in;
  in.now = kNow;
  in.tables = {{"A", 5, kNow, 150'000}, {"B", 5, kNow, 50'000}};
  EXPECT_TRUE(compute_warnings(in).empty());  // exactly 200,000 is fine
  in.tables[1].rows = 50'001;
  auto w = compute_warnings(in);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].message, "200001 records are on the device, more than the recommended 200,000.");
  in.tables[1].rows = 2'850'001;
  w = compute_warnings(in);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].kind, WarningKind::HardLimitExceeded);
  EXPECT_EQ(w[0].message,
            "3000001 records are on the device, more than the hard limit of 3,000,000.");
  in.tables[1].rows = 0;
  in.storage_bytes = 1'000'000'001;
  w = compute_warnings(in);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].kind, WarningKind::TooMuchData);
  EXPECT_EQ(w[0].message, "The app stores 953.7 MB on the device, more than the recommended 1 GB.");
}

TEST(Warnings, RecordedWarningsAreActive) {
  WarningInputs in;
  in.now = kNow;
  in.recorded.push_back({1, 1, kNow, "slow", "A", "A is slow."});
  auto w = compute_warnings(in);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].kind, WarningKind::Recorded);
  EXPECT_EQ(w[0].message, "A is slow.");
}

// ---------------------------------------------------------------- Host.OfflineEnabled

TEST(HostOfflineEnabled, PerPlayerKind) {
  EXPECT_TRUE(host_offline_enabled(true, PlayerKind::Native));
  EXPECT_TRUE(host_offline_enabled(true, PlayerKind::Studio));
  EXPECT_FALSE(host_offline_enabled(true, PlayerKind::Web));
  EXPECT_FALSE(host_offline_enabled(false, PlayerKind::Native));
  EXPECT_FALSE(host_offline_enabled(false, PlayerKind::Studio));
  EXPECT_FALSE(host_offline_enabled(false, PlayerKind::Web));
}

TEST(HostOfflineEnabled, FromTheStore) {
  auto store = Store::open_memory();
  EXPECT_FALSE(host_offline_enabled_of(*store));  // a new app is not offline-enabled
  AppSettings app;
  app.offline_enabled = true;
  store->set_app_settings(app);
  for (auto [kind, expected] :
       {std::pair{PlayerKind::Native, true}, std::pair{PlayerKind::Studio, true},
        std::pair{PlayerKind::Web, false}}) {
    DeviceState d = store->device_state();
    d.player = kind;
    store->set_device_state(d);
    EXPECT_EQ(host_offline_enabled_of(*store), expected) << player_kind_name(kind);
  }
}

// ---------------------------------------------------------------- device status page

TEST(DeviceStatus, CollectsEverythingThePageShows) {
  int64_t now = kNow;
  auto store = synced_store(&now);
  AppSettings app = store->app_settings();
  app.offline_enabled = true;
  store->set_app_settings(app);
  std::string id;
  {
    auto tx = store->transaction();
    id = tx.create("Accounts", {{"Name", std::string("A")}});
    tx.create("Accounts", {{"Name", std::string("B")}});
    tx.update("Accounts", id, {{"City", std::string("Paris")}});
    tx.queue_attachment("Accounts", id, "Logo", QueueContent::Image, QueueAction::Update);
    tx.commit();
  }
  {
    auto tx = store->transaction();
    tx.remove("Accounts", id);
    tx.commit();
  }
  int64_t run = store->begin_sync();
  SyncRunResult r;
  for (const auto& t : store->tables()) r.tables.push_back({t.name, true, 0, 0});
  SyncError e;
  e.error_time = kNow;
  e.message = "The record was deleted on the server.";
  e.error_type = "record not found";
  e.table = "Contacts";
  e.record_id = "c-1";
  e.action = QueueAction::Update;
  e.error_code = "0x80040217";
  r.errors.push_back(e);
  store->end_sync(run, r);

  DeviceStatus s = device_status_of(*store);
  EXPECT_EQ(s.state, S::ConnectedError);
  EXPECT_EQ(s.state_name, "ConnectedError");
  EXPECT_EQ(s.meaning, "online, the last sync attempt failed");
  EXPECT_TRUE(s.offline_enabled);
  EXPECT_EQ(s.profile_name, "Field Sales (demo)");
  EXPECT_EQ(s.last_sync, kNow);
  EXPECT_EQ(s.pending.added, 2);
  EXPECT_EQ(s.pending.updated, 1);
  EXPECT_EQ(s.pending.removed, 1);
  EXPECT_EQ(s.pending.images, 1);
  EXPECT_EQ(s.pending.files, 0);
  ASSERT_EQ(s.errors.size(), 1u);
  ASSERT_EQ(s.tables.size(), 3u);
  EXPECT_EQ(s.tables[0].name, "Accounts");
  EXPECT_EQ(s.tables[0].rows, 1);
  EXPECT_EQ(s.tables[2].name, "Sales Orders");
  EXPECT_EQ(s.tables[2].sync_interval_minutes, 60);
  EXPECT_GT(s.storage_bytes, 0);

  s.storage_bytes = 3 * 1024 * 1024 / 2;  // make the text independent of SQLite's page use
  EXPECT_EQ(render_device_status(s),
            "Device status\n"
            "  Status:       ConnectedError (online, the last sync attempt failed)\n"
            "  Profile:      Field Sales (demo)\n"
            "  Last sync:    2023-11-14 22:13:20Z\n"
            "  Storage used: 1.5 MB\n"
            "\n"
            "Pending changes: 5\n"
            "  Rows added 2, updated 1, removed 1; files 0, images 1\n"
            "\n"
            "Sync errors: 1\n"
            "  2023-11-14 22:13:20Z  Contacts c-1 (update): The record was deleted on the "
            "server. [0x80040217]\n"
            "\n"
            "Tables: 3\n"
            "  Table              Rows  Last sync              Interval\n"
            "  Accounts              1  2023-11-14 22:13:20Z   15 min\n"
            "  Contacts              0  2023-11-14 22:13:20Z   30 min\n"
            "  Sales Orders          0  2023-11-14 22:13:20Z   1 h\n");
}

TEST(DeviceStatus, Formatting) {
  EXPECT_EQ(format_utc(std::nullopt), "never");
  EXPECT_EQ(format_utc(0), "1970-01-01 00:00:00Z");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KB");
  EXPECT_EQ(format_bytes(int64_t{1} << 30), "1.0 GB");
  EXPECT_EQ(format_interval(5), "5 min");
  EXPECT_EQ(format_interval(60), "1 h");
  EXPECT_EQ(format_interval(90), "1 h 30 min");
  EXPECT_EQ(format_interval(1440), "1 day");
  EXPECT_EQ(format_interval(2880), "2 days");
}

}  // namespace
}  // namespace canvasfx::host
