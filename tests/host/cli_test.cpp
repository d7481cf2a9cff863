// The `canvasfx` command over a store: the globe sequence of the acceptance
// through `eval` and `store set`, sync runs, profile commands, --explain, and
// corrupt or foreign store files (a clear message, a non-zero exit status, the
// file untouched). Runs the binary built beside this test.
#ifdef CANVASFX_HAVE_HOST
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "host_fixture.h"

namespace canvasfx::host::testing {
namespace {

TEST_F(HostCli, TheGlobeSequence) {
  std::string globe = "eval " + shell_word(kGlobeFormula);
  EXPECT_EQ(run(store() + " " + globe).out, "Icon.Globe\n");
  EXPECT_EQ(run(store() + " store set connected false").status, 0);
  EXPECT_EQ(run(store() + " " + globe).out, "Icon.GlobeNotConnected\n");
  CliResult patch =
      run(store() + " eval " + shell_word("Patch(Accounts, First(Accounts), {Name: \"x\"}).Name"));
  EXPECT_EQ(patch.out, "\"x\"\n");
  EXPECT_EQ(run(store() + " " + globe).out, "Icon.GlobeChangesPending\n");
  EXPECT_EQ(run(store() + " store set connected true").status, 0);
  EXPECT_EQ(run(store() + " " + globe).out, "Icon.GlobeChangesPending\n");
}

TEST_F(HostCli, SyncRunsAndStatus) {
  std::string state = "eval 'Connection.Sync'";
  EXPECT_EQ(run(store() + " store sync begin").status, 0);
  EXPECT_EQ(run(store() + " " + state).out, "ConnectionSync.ConnectedRefresh\n");
  EXPECT_NE(run(store() + " store sync begin").status, 0);  // one at a time
  EXPECT_EQ(run(store() + " store sync end --error 'Accounts:Conflict on save'").status, 0);
  EXPECT_EQ(run(store() + " " + state).out, "ConnectionSync.ConnectedError\n");
  CliResult status = run(store() + " store status");
  EXPECT_EQ(status.status, 0);
  EXPECT_NE(status.out.find("Sync errors: 1"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("Accounts - (-): Conflict on save"), std::string::npos) << status.out;
  run(store() + " store sync begin");
  EXPECT_EQ(run(store() + " store sync end --warning 'Contacts:Slow network'").status, 0);
  EXPECT_EQ(run(store() + " " + state).out, "ConnectionSync.ConnectedWithWarning\n");
  EXPECT_EQ(run(store() + " store set player web").status, 0);
  EXPECT_EQ(run(store() + " eval Host.OfflineEnabled").out, "false\n");
  EXPECT_EQ(run(store() + " store set player sideways").status, 1);
}

TEST_F(HostCli, ExplainShowsTheSql) {
  CliResult r = run(store() + " --explain eval " +
                    shell_word("CountRows(Filter(Accounts, City = \"Seattle\"))"));
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("SQL: SELECT count(*) FROM \"Accounts\" WHERE (\"City\" = ?)  -- params: "
                       "'Seattle'"),
            std::string::npos)
      << r.out;
}

TEST_F(HostCli, ShowHostInfoAndItsDataFlowError) {
  CliResult page = run(store() + " eval 'ShowHostInfo(HostInfo.OfflineSync)'");
  EXPECT_EQ(page.status, 0);
  EXPECT_NE(page.out.find("Device status"), std::string::npos) << page.out;
  EXPECT_NE(page.out.find("Accounts           3000"), std::string::npos) << page.out;
  CliResult flow = run(store() + " eval --data-flow 'ShowHostInfo(HostInfo.OfflineSync)'");
  EXPECT_EQ(flow.status, 1);
  EXPECT_NE(flow.out.find("Error 0-34: Behavior function in a non-behavior property"),
            std::string::npos)
      << flow.out;
}

TEST_F(HostCli, BadStoreFilesAreRefusedUntouched) {
  struct Case {
    const char* name;
    std::string bytes;
    const char* reason;
  };
  std::string sqlite_garbage = std::string("SQLite format 3\0", 16) + std::string(4080, '\x7f');
  const Case cases[] = {
      {"text.db", "just some text, not a database\n", "not a SQLite database"},
      {"garbage.db", sqlite_garbage, "cannot open store"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto path = dir_ / c.name;
    write_file(path, c.bytes);
    uint64_t before = hash_file(path);
    for (const char* cmd : {"eval 1", "store status", "store set connected false"}) {
      CliResult r = run("--store " + path.string() + " " + cmd);
      EXPECT_EQ(r.status, 3) << cmd << ": " << r.out;
      EXPECT_NE(r.out.find(c.reason), std::string::npos) << r.out;
      EXPECT_NE(r.out.find(path.string()), std::string::npos) << r.out;
    }
    EXPECT_EQ(hash_file(path), before);
    EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
  }
  auto foreign = dir_ / "foreign.db";
  raw_exec(foreign, "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine');");
  uint64_t before = hash_file(foreign);
  CliResult r = run("--store " + foreign.string() + " eval 1");
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.out.find("another application"), std::string::npos) << r.out;
  EXPECT_EQ(hash_file(foreign), before);
}

TEST_F(HostCli, ProfileCheckAndApply) {
  auto bad = dir_ / "bad.yaml";
  write_file(bad, R"(name: Bad
tables:
  - name: Accounts
    can_be_taken_offline: true
    key: Id
    columns:
      - { name: Id, type: guid }
    rows:
      all: true
      organization: [user]
)");
  CliResult check = run("profile check " + bad.string());
  EXPECT_EQ(check.status, 1);
  EXPECT_NE(check.out.find("Accounts [filter.all-rows-exclusive]: Table 'Accounts': "),
            std::string::npos)
      << check.out;
  auto good = dir_ / "good.yaml";
  write_file(good, kTinyProfile);
  EXPECT_EQ(run("profile check " + good.string()).status, 0);
  EXPECT_EQ(run(store() + " profile apply " + bad.string()).status, 1);
  CliResult apply = run(store() + " profile apply " + good.string());
  EXPECT_EQ(apply.status, 0) << apply.out;
  EXPECT_EQ(run(store() + " eval 'CountRows(Notes)'").out, "0\n");
  EXPECT_EQ(run(store() + " eval 'Collect(Notes, {Id: \"n1\", Body: \"hi\"}).Body'").out,
            "\"hi\"\n");
  EXPECT_EQ(run(store() + " eval 'LookUp(Notes, Id = \"n1\").Body'").out, "\"hi\"\n");
}

}  // namespace
}  // namespace canvasfx::host::testing
#endif
