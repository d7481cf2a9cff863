// SIGKILL in the middle of syncs: the `canvasfx server` process and two
// `canvasfx sync` processes (two users of one business unit, editing the same
// accounts) are killed at random moments, $CANVASFX_KILL_TRIALS times (30 by
// default; scripts/sync_kill_trials.sh runs 200). Between trials the devices
// edit, create and delete rows, and the organization changes a user's teams
// (a new scope: a full pass, a long download to be killed in). At the end,
// after syncs that are not killed:
//
//   - nothing lost: every change either device queued is recorded by the
//     server exactly once, accepted; both queues are empty;
//   - nothing applied twice: the server's version counter moved by exactly
//     one per accepted change (and per organization change), and the rows
//     hold what replaying the accepted changes once, in the order the server
//     accepted them, gives;
//   - both devices hold exactly the rows an independent query says.
//
// Each trial changes one user's teams, so that one device runs a full pass (a
// long download), and kills at a random moment within the time a sync takes.
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "canvasfx/host/sync_state.h"
#include "processes.h"
#include "sync_fixture.h"

namespace canvasfx::sync::testing {
namespace {

int trials() {
  const char* s = std::getenv("CANVASFX_KILL_TRIALS");
  return s && *s ? std::max(1, std::atoi(s)) : 30;
}

// A change a device queued: what it sets.
struct Made {
  std::string device, table, record, action;
  host::Row values;
};

class KillTrials : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    seed_small();
    publish(kAcceptanceProfile);
    add_editors();
    stop_server();  // the server runs as a process of its own from here
    port_ = free_port();
    start_server_process();
  }
  void TearDown() override {
    stop_server_process();
    SyncTest::TearDown();
  }

  void start_server_process() {
    server_ = spawn_server_process(port_, (dir_ / "server.log").string());
  }
  void stop_server_process() {
    if (server_ > 0) {
      kill(server_, SIGKILL);
      waitpid(server_, nullptr, 0);
      server_ = -1;
    }
  }

  pid_t start_sync(const std::string& user) {
    return spawn_process(
        {CANVASFX_BINARY, "--store", (dir_ / (user + ".db")).string(), "sync", "--server", url(),
         "--user", user, "--token", tokens_[user], "--force", "--quiet", "--page-size", "10"},
        (dir_ / (user + ".log")).string());
  }

  // Random edits on a device between syncs: updates of the business unit's
  // accounts (both devices edit the same ones), creates, deletes of rows it created.
  void edit(const std::string& user, int trial, std::mt19937& rng) {
    auto store = host::Store::open(dir_ / (user + ".db"));
    auto accounts = store->rows("Accounts");
    std::vector<std::string> shared;
    for (const auto& row : accounts) {
      auto key = std::get<std::string>(row[0].second);
      if (!created_.count(key)) shared.push_back(key);
    }
    int n = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < n && !shared.empty(); ++k) {
      auto tx = store->transaction();
      Made m{user, "Accounts", "", "update", {}};
      int what = static_cast<int>(rng() % 10);
      if (what < 7) {
        m.record = shared[rng() % std::min<size_t>(shared.size(), 12)];
        std::string column = rng() % 2 ? "Name" : "City";
        m.values = {{column, fmt::format("{}-{}-{}", user, trial, k)}};
        tx.update("Accounts", m.record, m.values);
      } else if (what < 9 || mine_[user].empty()) {
        m.action = "create";
        m.values = {{"Name", fmt::format("created by {} in {}.{}", user, trial, k)}};
        m.record = tx.create("Accounts", m.values);
        created_.insert(m.record);
        mine_[user].push_back(m.record);
      } else {
        m.action = "delete";
        m.record = mine_[user].back();
        mine_[user].pop_back();
        tx.remove("Accounts", m.record);
      }
      tx.commit();
      int64_t queue_id = store->queue().back().id;
      made_[fmt::format("{}:{}", host::sync_binding(*store).device_id, queue_id)] = m;
    }
  }

  pid_t server_ = -1;
  std::set<std::string> created_;
  std::map<std::string, std::vector<std::string>> mine_;
  std::map<std::string, Made> made_;  // by change id
};

TEST_F(KillTrials, DeviceAndServerAgreeAfterSigkillsInTheMiddleOfSyncs) {
  const int n = trials();
  std::mt19937 rng(20240601);
  // First syncs (not killed): the devices have their ids and their rows.
  for (const char* user : {"alice", "bob"}) {
    pid_t p = start_sync(user);
    int status = 0;
    waitpid(p, &status, 0);
    ASSERT_EQ(WEXITSTATUS(status), 0) << user;
  }
  int64_t versions_before = service_->current_version();
  int organization_changes = 0, kills[3] = {0, 0, 0}, cut_short = 0;
  int64_t sync_ms = 200;

  for (int trial = 0; trial < n; ++trial) {
    edit("alice", trial, rng);
    edit("bob", trial, rng);
    {
      // A new scope for one of them: its next pass is a full one.
      const char* who = trial % 2 ? "alice" : "bob";
      std::vector<std::string> teams;
      if (trial % 4 < 2) teams.push_back("Head Office Team 1");
      service_->set_memberships(who, "Contoso", teams);
      ++organization_changes;
    }
    auto started = std::chrono::steady_clock::now();
    pid_t a = start_sync("alice"), b = start_sync("bob");
    // Somewhere within the time a sync takes (measured on the syncs that were not killed).
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % (sync_ms * 5 / 4 + 1)));
    int victim = static_cast<int>(rng() % 3);
    ++kills[victim];
    if (victim == 0) kill(a, SIGKILL);
    if (victim == 1) kill(b, SIGKILL);
    if (victim == 2) stop_server_process();
    int status_a = 0, status_b = 0;
    waitpid(a, &status_a, 0);
    waitpid(b, &status_b, 0);
    if (victim < 2)
      sync_ms = (sync_ms + std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - started)
                               .count()) /
                2;
    if (victim == 2) start_server_process();
    // Did the kill cut a run short? A killed device leaves its run "running";
    // a killed server fails the device runs that were talking to it.
    if (victim < 2) {
      auto store = host::Store::open(dir_ / (victim == 0 ? "alice.db" : "bob.db"));
      if (store->running_sync()) ++cut_short;
    } else if (WEXITSTATUS(status_a) != 0 || WEXITSTATUS(status_b) != 0) {
      ++cut_short;
    }
  }

  // Syncs that are not killed, until both devices are done.
  for (int round = 0; round < 3; ++round)
    for (const char* user : {"alice", "bob"}) {
      pid_t p = start_sync(user);
      waitpid(p, nullptr, 0);
    }
  std::printf(
      "%d trials: %d kills of alice's sync, %d of bob's, %d of the server; %d cut a run "
      "short; %zu changes\n",
      n, kills[0], kills[1], kills[2], cut_short, made_.size());
  EXPECT_GE(cut_short, n / 3) << "too few kills landed in the middle of a sync";

  // Nothing lost: every queued change is on the server, once, accepted.
  std::map<int64_t, std::string> accepted;  // version -> change id
  for (const SqlRow& r : server_query("SELECT change_id, result FROM _cfx_applied_changes")) {
    std::string id = as_text(r[0]);
    json result = json::parse(as_text(r[1]));
    ASSERT_TRUE(made_.count(id)) << "the server applied a change no device made: " << id;
    EXPECT_EQ(result["status"], "accepted") << id << ": " << result.dump();
    accepted[result.value("version", int64_t{0})] = id;
  }
  EXPECT_EQ(accepted.size(), made_.size()) << "changes were lost";
  for (const char* user : {"alice", "bob"})
    EXPECT_EQ(host::Store::open(dir_ / (std::string(user) + ".db"))->queue_size(), 0) << user;

  // Nothing applied twice: one version per accepted change and organization change.
  EXPECT_EQ(service_->current_version() - versions_before,
            static_cast<int64_t>(accepted.size()) + organization_changes);
  // Replaying the accepted changes once, in the server's order, gives the rows.
  std::map<std::pair<std::string, std::string>, std::string> expected;
  std::map<std::string, bool> deleted;
  for (const auto& [version, id] : accepted) {
    const Made& m = made_[id];
    if (m.action == "delete") deleted[m.record] = true;
    for (const auto& [column, cell] : m.values)
      expected[{m.record, column}] = std::get<std::string>(cell);
  }
  for (const auto& [key, value] : expected) {
    auto row = server_query(fmt::format("SELECT \"{}\", _cfx_deleted FROM \"Accounts\" WHERE "
                                        "\"AccountId\" = ?",
                                        key.second),
                            {key.first});
    ASSERT_EQ(row.size(), 1u) << key.first;
    EXPECT_EQ(as_text(row[0][0]), value) << key.first << "." << key.second;
    EXPECT_EQ(as_int(row[0][1]) != 0, deleted[key.first]) << key.first;
  }

  // Both devices hold exactly their scope, as the server has it now.
  for (const char* user : {"alice", "bob"}) {
    auto store = host::Store::open(dir_ / (std::string(user) + ".db"));
    expect_exact(*store, user);
    EXPECT_EQ(host::connection_sync_of(*store), host::ConnectionSync::Connected) << user;
  }
}

}  // namespace
}  // namespace canvasfx::sync::testing
