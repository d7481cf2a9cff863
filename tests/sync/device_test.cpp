// The device engine's runs: Connection.Sync while a sync runs and after it
// fails, going offline in the middle (the run fails cleanly, the next resumes
// where it stopped), abandoned runs, a second engine on the same store, an
// unreachable server, overdue-table warnings, a new profile, a new user.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "canvasfx/host/sync_state.h"
#include "host_fixture.h"
#include "sync_fixture.h"

namespace canvasfx::sync::testing {
namespace {

using host::connection_sync_of;
using host::ConnectionSync;

class DeviceRuns : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    seed_small();
    publish(kAcceptanceProfile);
  }
};

TEST_F(DeviceRuns, ConnectionSyncIsRefreshWhileARunRunsAndProgressIsRecorded) {
  Device d = device("user004");
  std::vector<ConnectionSync> seen;
  std::vector<host::SyncProgress> recorded;
  std::string page;
  d.options.progress = [&](const SyncProgressEvent& e) {
    seen.push_back(connection_sync_of(*d.store));
    if (e.phase == "rows" && e.table == "Contacts" && e.done < e.total && recorded.empty()) {
      recorded = host::sync_progress(*d.store);
      page = host::render_device_status(host::device_status_of(*d.store));
    }
  };
  auto r = d.sync();
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_FALSE(seen.empty());
  for (auto s : seen) EXPECT_EQ(s, ConnectionSync::ConnectedRefresh);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].table, "Contacts");
  EXPECT_GT(recorded[0].total, recorded[0].done);
  EXPECT_NE(page.find("Downloading:  Contacts"), std::string::npos) << page;
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::Connected);
  EXPECT_TRUE(host::sync_progress(*d.store).empty());
  auto run = d.store->last_completed_sync();
  ASSERT_TRUE(run);
  EXPECT_TRUE(run->initial);
  EXPECT_EQ(run->outcome, host::SyncOutcome::Succeeded);
}

TEST_F(DeviceRuns, GoingOfflineFailsTheRunCleanlyAndTheNextOneResumes) {
  Device reference = device("user004", "reference");
  ASSERT_TRUE(reference.sync().ok);
  int64_t contacts = static_cast<int64_t>(local_rows(*reference.store, "Contacts").size());
  ASSERT_GT(contacts, 100);  // several pages of 50

  Device d = device("user004");
  int64_t done_when_offline = 0;
  d.options.progress = [&](const SyncProgressEvent& e) {
    if (e.table == "Contacts" && e.phase == "rows" && e.done >= 100 && !done_when_offline) {
      done_when_offline = e.done;
      d.store->set_connected(false);  // `store set connected false`, from the app
    }
  };
  auto r = d.sync();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("went offline"), std::string::npos) << r.error;
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::NotConnectedSyncError);
  host::testing::HostedEngine hosted(host::Store::open(dir_ / "user004.db"));
  EXPECT_EQ(hosted.run(host::testing::kGlobeFormula), "Icon.GlobeError");
  auto last = d.store->last_completed_sync();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->outcome, host::SyncOutcome::Failed);
  auto errors = d.store->last_sync_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].error_type, "offline");
  EXPECT_EQ(errors[0].table, "Contacts");
  auto pass = host::table_pass(*d.store, "Contacts");
  ASSERT_TRUE(pass.since);  // a pass in progress, its pages applied
  EXPECT_EQ(pass.progress_done, done_when_offline);
  EXPECT_EQ(d.store->count_rows("Contacts"), done_when_offline);

  // Offline: the next sync does not even start.
  auto offline = d.sync();
  EXPECT_FALSE(offline.started);
  EXPECT_EQ(offline.error, "the device is offline");

  d.store->set_connected(true);
  d.options.progress = nullptr;
  r = d.sync();
  ASSERT_TRUE(r.ok) << r.error;
  for (const auto& t : r.tables) {
    if (t.table == "Contacts") {
      EXPECT_EQ(t.downloaded, contacts - done_when_offline);
    }
  }
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::Connected);
  for (const char* table : {"Accounts", "Contacts", "Sales Orders"})
    EXPECT_EQ(local_rows(*d.store, table), local_rows(*reference.store, table)) << table;
}

TEST_F(DeviceRuns, ARunLeftRunningByAKilledEngineIsEndedAsInterrupted) {
  Device d = device("user004");
  int64_t stale = d.store->begin_sync();
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::ConnectedRefresh);
  auto r = d.sync();
  ASSERT_TRUE(r.ok) << r.error;
  auto runs = d.store->sync_runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].id, stale);
  EXPECT_EQ(runs[1].outcome, host::SyncOutcome::Failed);
  EXPECT_EQ(runs[0].outcome, host::SyncOutcome::Succeeded);
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::Connected);
}

TEST_F(DeviceRuns, ASecondEngineOnTheSameStoreGivesUp) {
  Device d = device("user004");
  int fd = ::open((dir_ / "user004.db.sync-lock").c_str(), O_CREAT | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto r = d.sync();
  EXPECT_FALSE(r.started);
  EXPECT_NE(r.error.find("another sync"), std::string::npos);
  EXPECT_TRUE(d.store->sync_runs().empty());
  ::close(fd);
  EXPECT_TRUE(d.sync().ok);
}

TEST_F(DeviceRuns, AnUnreachableServerFailsTheRunAndKeepsTheQueue) {
  Device d = device("user004");
  ASSERT_TRUE(d.sync().ok);
  auto key = std::get<std::string>(d.store->rows("Accounts", 1).at(0)[0].second);
  edit(*d.store, "Accounts", key, {{"City", std::string("Somewhere")}});
  stop_server();
  auto r = d.sync();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("cannot be reached"), std::string::npos) << r.error;
  EXPECT_EQ(d.store->queue_size(), 1);
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::ConnectedError);
  start_server();
  r = d.sync();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.uploaded, 1);
  EXPECT_EQ(d.store->queue_size(), 0);
}

TEST_F(DeviceRuns, ATableNotSyncedWithinTwiceItsIntervalIsAWarning) {
  Device d = device("user004");
  int64_t now = 1'800'000'000'000;
  d.store->set_clock([&] { return now; });
  ASSERT_TRUE(d.sync(false).ok);
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::Connected);
  now += 31 * 60'000;  // Accounts syncs every 15 minutes
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::ConnectedWithWarning);
  auto warnings = host::compute_warnings(host::warning_inputs_of(*d.store));
  ASSERT_FALSE(warnings.empty());
  EXPECT_EQ(warnings[0].table, "Accounts");
  ASSERT_TRUE(d.sync(false).ok);
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::Connected);
}

TEST_F(DeviceRuns, ANewlyPublishedProfileReplacesTheStoresTables) {
  Device d = device("user004");
  ASSERT_TRUE(d.sync().ok);
  std::string yaml = kAcceptanceProfile;
  yaml = yaml.substr(0, yaml.find("  - name: Sales Orders"));  // accounts and contacts only
  publish(yaml);
  auto r = d.sync();
  ASSERT_TRUE(r.ok) << r.error;
  auto tables = d.store->tables();
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(d.store->app_settings().profile_yaml, yaml);
  EXPECT_GT(d.store->count_rows("Contacts"), 0);
}

TEST_F(DeviceRuns, AStoreWithAnotherUsersPendingChangesIsNotTakenOver) {
  Device d = device("user004");
  ASSERT_TRUE(d.sync().ok);
  auto key = std::get<std::string>(d.store->rows("Accounts", 1).at(0)[0].second);
  edit(*d.store, "Accounts", key, {{"City", std::string("Mine")}});
  d.options.user = "user005";
  d.options.token = tokens_["user005"];
  auto r = d.sync();
  EXPECT_FALSE(r.started);
  EXPECT_NE(r.error.find("user004"), std::string::npos) << r.error;
  EXPECT_EQ(d.store->queue_size(), 1);
}

TEST_F(DeviceRuns, AWrongTokenIsAFailedRun) {
  Device d = device("user004");
  d.options.token = std::string(64, 'a');
  auto r = d.sync();
  EXPECT_TRUE(r.started);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("refused the token"), std::string::npos) << r.error;
  EXPECT_EQ(connection_sync_of(*d.store), ConnectionSync::ConnectedError);
}

}  // namespace
}  // namespace canvasfx::sync::testing
