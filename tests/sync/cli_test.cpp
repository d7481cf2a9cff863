// The sync commands as a user runs them: README.md's "Syncing with a server"
// through the `canvasfx` binary — seed an organization, serve it, publish
// examples/sync_profile.yaml, sync a device, read the globe's state — and the
// command line's answers when something is wrong.
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>

#include "cli_runner.h"
#include "processes.h"
#include "sync_fixture.h"

namespace canvasfx::sync::testing {
namespace {

using host::testing::run;
using host::testing::shell_word;

class SyncCli : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    stop_server();  // the organization is served by a `canvasfx server` process
  }
  void TearDown() override {
    if (server_ > 0) {
      kill(server_, SIGTERM);
      int status = 0;
      waitpid(server_, &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "the server did not stop cleanly on SIGTERM";
    }
    SyncTest::TearDown();
  }
  std::string storage_option() const {
    return (use_postgres() ? "--postgres " : "--data ") + shell_word(storage_location_);
  }
  std::string tokens() const { return shell_word((dir_ / "tokens.tsv").string()); }
  std::string device(const std::string& name) const {
    return "--store " + shell_word((dir_ / (name + ".db")).string());
  }
  std::string server_url() const { return fmt::format("http://127.0.0.1:{}", port_); }
  void serve() {
    port_ = free_port();
    server_ = spawn_server_process(port_, (dir_ / "server.log").string());
  }

  pid_t server_ = -1;
};

const std::string kExampleProfile =
    std::string(CANVASFX_SOURCE_DIR) + "/examples/sync_profile.yaml";

TEST_F(SyncCli, TheReadmeWalkthroughSyncsADevice) {
  auto seeded = run(fmt::format(
      "server {} seed --business-units 3 --teams 6 --users 12 --accounts 300 --contacts 900 "
      "--orders 600 --tokens {}",
      storage_option(), tokens()));
  ASSERT_EQ(seeded.status, 0) << seeded.out;
  EXPECT_NE(seeded.out.find("Seeded 12 users"), std::string::npos) << seeded.out;
  serve();

  auto published = run(fmt::format("profile publish {} --server {} --user admin --token-file {}",
                                   shell_word(kExampleProfile), server_url(), tokens()));
  ASSERT_EQ(published.status, 0) << published.out;
  EXPECT_NE(published.out.find("Published profile 'Field Sales' (3 tables)"), std::string::npos)
      << published.out;

  auto synced = run(fmt::format("{} sync --server {} --user user004 --token-file {}",
                                device("device"), server_url(), tokens()));
  ASSERT_EQ(synced.status, 0) << synced.out;
  EXPECT_NE(synced.out.find("Uploaded 0 change(s), 0 rejected"), std::string::npos) << synced.out;
  EXPECT_NE(synced.out.find("(full)"), std::string::npos) << synced.out;

  auto state = run(device("device") + " eval Connection.Sync");
  EXPECT_EQ(state.status, 0) << state.out;
  EXPECT_EQ(state.out, "ConnectionSync.Connected\n");

  // The device holds the accounts the profile selects for user004: its own
  // and its business unit's (an independent query over the server's tables).
  auto u = service_->find_user("user004");
  ASSERT_TRUE(u);
  int64_t expected = as_int(server_query(
      "SELECT count(*) FROM \"Accounts\" WHERE _cfx_deleted = 0 AND (_cfx_owner_user = ? OR "
      "_cfx_bu = ?)",
      {u->id, u->business_unit})[0][0]);
  ASSERT_GT(expected, 0);
  auto count = run(device("device") + " eval 'CountRows(Accounts)'");
  EXPECT_EQ(count.out, fmt::format("{}\n", expected));

  // An edit made on the device (a formula, as an app makes it) reaches the
  // server at the next sync.
  std::string account;
  {
    auto store = host::Store::open(dir_ / "device.db");
    auto rows = store->rows("Accounts", 1);
    ASSERT_EQ(rows.size(), 1u);
    account = std::get<std::string>(rows[0][0].second);
  }
  auto edited =
      run(device("device") +
          fmt::format(" eval 'Patch(Accounts, LookUp(Accounts, AccountId = GUID(\"{}\")), "
                      "{{Name: \"Renamed on the device\"}})'",
                      account));
  ASSERT_EQ(edited.status, 0) << edited.out;
  auto uploaded = run(fmt::format("{} sync --server {} --user user004 --token-file {} --quiet",
                                  device("device"), server_url(), tokens()));
  ASSERT_EQ(uploaded.status, 0) << uploaded.out;
  auto name = server_query("SELECT \"Name\" FROM \"Accounts\" WHERE \"AccountId\" = ?", {account});
  ASSERT_EQ(name.size(), 1u) << account;
  EXPECT_EQ(as_text(name[0][0]), "Renamed on the device");
}

TEST_F(SyncCli, MistakesGetAReasonAndAnExitStatus) {
  auto seeded =
      run(fmt::format("server {} seed --users 3 --accounts 10 --contacts 10 --orders 10 "
                      "--tokens {}",
                      storage_option(), tokens()));
  ASSERT_EQ(seeded.status, 0) << seeded.out;
  auto again = run(fmt::format("server {} seed --users 3", storage_option()));
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.out.find("already holds an organization"), std::string::npos) << again.out;
  serve();

  // Publishing: a profile that breaks the seeds' rules, a user who is not an administrator.
  std::string broken = (dir_ / "broken.yaml").string();
  std::ofstream(broken) << "name: Broken\ntables:\n  - name: Accounts\n    key: AccountId\n"
                           "    columns:\n      - { name: AccountId, type: guid }\n";
  auto refused = run(fmt::format("profile publish {} --server {} --user admin --token-file {}",
                                 shell_word(broken), server_url(), tokens()));
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.out.find("cannot be published"), std::string::npos) << refused.out;
  auto not_admin =
      run(fmt::format("profile publish {} --server {} --user manager01 --token-file {}",
                      shell_word(kExampleProfile), server_url(), tokens()));
  EXPECT_EQ(not_admin.status, 1);
  EXPECT_NE(not_admin.out.find("HTTP 403"), std::string::npos) << not_admin.out;

  // Syncing: a wrong token, an unknown user's token, no server, a bad page size.
  auto wrong = run(fmt::format("{} sync --server {} --user manager01 --token nonsense", device("a"),
                               server_url()));
  EXPECT_EQ(wrong.status, 1);
  EXPECT_NE(wrong.out.find("canvasfx sync:"), std::string::npos) << wrong.out;
  auto no_token = run(fmt::format("{} sync --server {} --user nobody --token-file {}", device("b"),
                                  server_url(), tokens()));
  EXPECT_EQ(no_token.status, 1);
  EXPECT_NE(no_token.out.find("no token for user 'nobody'"), std::string::npos) << no_token.out;
  auto unreachable =
      run(fmt::format("{} sync --server http://127.0.0.1:{} --user manager01 --token-file {}",
                      device("c"), free_port(), tokens()));
  EXPECT_EQ(unreachable.status, 1);
  auto sync_state = run(device("c") + " eval Connection.Sync");
  EXPECT_EQ(sync_state.out, "ConnectionSync.ConnectedError\n") << unreachable.out;
  auto page = run(fmt::format("{} sync --server {} --user manager01 --token-file {} --page-size 0",
                              device("d"), server_url(), tokens()));
  EXPECT_EQ(page.status, 2) << page.out;
  auto scope = run(fmt::format("server {} user add eve --business-unit Contoso --write-scope all",
                               storage_option()));
  EXPECT_EQ(scope.status, 1);
  EXPECT_NE(scope.out.find("user, business_unit or organization"), std::string::npos) << scope.out;
}

}  // namespace
}  // namespace canvasfx::sync::testing
