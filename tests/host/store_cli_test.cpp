// The store and profile commands keep a device's data safe and say what they
// mean: profile apply refuses to drop pending changes, sync errors resolve
// when their table syncs again, --error/--warning are validated, the settings
// have names that say what they set; and every command-line mistake is exit
// status 2 (exit_codes.h), every error value of eval status 4.
#ifdef CANVASFX_HAVE_HOST
#include <gtest/gtest.h>

#include "cli_runner.h"

namespace canvasfx::host::testing {
namespace {

class StoreCli : public HostCli {
 protected:
  CliResult eval(const std::string& formula) {
    return run(store() + " eval " + shell_word(formula));
  }
  std::string sync_state() { return eval("Connection.Sync").out; }
  std::filesystem::path profile() {
    auto path = dir_ / "tiny.yaml";
    write_file(path, kTinyProfile);
    return path;
  }
};

TEST_F(StoreCli, ProfileApplyKeepsPendingChanges) {
  ASSERT_EQ(eval("Patch(Accounts, First(Accounts), {Name: \"edited offline\"}).Name").status, 0);
  CliResult refused = run(store() + " profile apply " + profile().string());
  EXPECT_EQ(refused.status, 5) << refused.out;
  EXPECT_NE(refused.out.find("1 pending change"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("--discard-pending"), std::string::npos) << refused.out;
  // Nothing changed: the change still waits, the tables are the old ones.
  EXPECT_EQ(sync_state(), "ConnectionSync.ConnectedPendingUpsync\n");
  EXPECT_EQ(eval("First(Accounts).Name").out, "\"edited offline\"\n");
  EXPECT_EQ(eval("CountRows(Notes)").status, 1);

  CliResult applied = run(store() + " profile apply --discard-pending " + profile().string());
  EXPECT_EQ(applied.status, 0) << applied.out;
  EXPECT_NE(applied.out.find("Discarded 1 pending change"), std::string::npos) << applied.out;
  EXPECT_EQ(eval("CountRows(Notes)").out, "0\n");
  // Nothing pending now; the new table waits for its first sync (a warning).
  EXPECT_EQ(sync_state(), "ConnectionSync.ConnectedWithWarning\n");
}

TEST_F(StoreCli, ProfileApplyKeepsUnresolvedSyncErrors) {
  run(store() + " store sync begin");
  ASSERT_EQ(run(store() + " store sync end --error 'Accounts:Conflict on save'").status, 0);
  CliResult refused = run(store() + " profile apply " + profile().string());
  EXPECT_EQ(refused.status, 5) << refused.out;
  EXPECT_NE(refused.out.find("1 unresolved sync error"), std::string::npos) << refused.out;
  EXPECT_EQ(sync_state(), "ConnectionSync.ConnectedError\n");
  EXPECT_EQ(run(store() + " profile apply --discard-pending " + profile().string()).status, 0);
  EXPECT_NE(run(store() + " store status").out.find("Sync errors: 0"), std::string::npos);
}

TEST_F(StoreCli, ASuccessfulSyncOfItsTableResolvesAnError) {
  run(store() + " store sync begin");
  run(store() + " store sync end --error 'Accounts:Conflict' --error 'Contacts:Not found'");
  EXPECT_NE(run(store() + " store status").out.find("Sync errors: 2"), std::string::npos);
  // Accounts fails again, Contacts syncs: only the Contacts error is resolved.
  run(store() + " store sync begin");
  run(store() + " store sync end --error 'Accounts:Conflict again'");
  CliResult status = run(store() + " store status");
  EXPECT_NE(status.out.find("Sync errors: 2"), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("Not found"), std::string::npos) << status.out;
  // Everything syncs: no error is left, the globe is back to normal.
  run(store() + " store sync begin");
  run(store() + " store sync end");
  EXPECT_NE(run(store() + " store status").out.find("Sync errors: 0"), std::string::npos);
  EXPECT_EQ(sync_state(), "ConnectionSync.Connected\n");
}

TEST_F(StoreCli, SyncEntriesAreValidated) {
  run(store() + " store sync begin");
  CliResult no_colon = run(store() + " store sync end --error 'no colon here'");
  EXPECT_EQ(no_colon.status, 1);
  EXPECT_NE(no_colon.out.find("TABLE:MESSAGE"), std::string::npos) << no_colon.out;
  CliResult unknown = run(store() + " store sync end --error 'Invoices:Conflict'");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.out.find("no table 'Invoices'"), std::string::npos) << unknown.out;
  EXPECT_NE(unknown.out.find("Accounts"), std::string::npos) << unknown.out;  // the known ones
  EXPECT_EQ(run(store() + " store sync end --error 'Accounts:'").status, 1);
  EXPECT_EQ(run(store() + " store sync end --error ':Conflict'").status, 1);  // errors need a table
  EXPECT_EQ(sync_state(), "ConnectionSync.ConnectedRefresh\n");  // refused: still running
  EXPECT_EQ(run(store() + " store sync end --warning ':Storage almost full'").status, 0);
  EXPECT_EQ(sync_state(), "ConnectionSync.ConnectedWithWarning\n");
}

TEST_F(StoreCli, SettingsSayWhatTheySet) {
  CliResult old = run(store() + " store set offline true");
  EXPECT_EQ(old.status, 1);
  EXPECT_NE(old.out.find("app-offline-enabled"), std::string::npos) << old.out;
  EXPECT_NE(old.out.find("connected false"), std::string::npos) << old.out;
  EXPECT_EQ(eval("Host.OfflineEnabled").out, "true\n");  // unchanged
  EXPECT_EQ(run(store() + " store set app-offline-enabled false").status, 0);
  EXPECT_EQ(eval("Host.OfflineEnabled").out, "false\n");
  EXPECT_EQ(eval("Connection.Connected").out, "true\n");
  EXPECT_EQ(run(store() + " store set connected false").status, 0);
  EXPECT_EQ(eval("Connection.Connected").out, "false\n");
  EXPECT_EQ(run(store() + " store set metered true").status, 0);
  EXPECT_EQ(eval("Connection.Metered").out, "true\n");
  CliResult bogus = run(store() + " store set speed 5");
  EXPECT_EQ(bogus.status, 1);
  EXPECT_NE(bogus.out.find("app-offline-enabled true|false"), std::string::npos) << bogus.out;
  EXPECT_EQ(run(store() + " store set connected maybe").status, 1);
}

TEST_F(StoreCli, CommandLineMistakesAreUsageErrors) {
  for (const char* args : {"--no-such-option", "store set connected", "eval --format xml 1",
                           "store", "profile apply", "frobnicate", "store sync end --error"}) {
    CliResult r = run(store() + " " + args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.out;
    EXPECT_FALSE(r.out.empty()) << args;
  }
  CliResult version = run("--version");
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out.rfind("canvasfx ", 0), 0u) << version.out;
  CliResult help = run("--help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("Exit status:"), std::string::npos) << help.out;
}

TEST_F(StoreCli, ErrorValuesAreShownAndFailEval) {
  CliResult div = eval("1/0");
  EXPECT_EQ(div.status, 4);
  EXPECT_EQ(div.out,
            "Error({Kind:ErrorKind.Div0,Message:\"Invalid operation: division by zero.\"})\n");
  CliResult custom = eval("Error({Kind: ErrorKind.Validation, Message: \"bad\"})");
  EXPECT_EQ(custom.status, 4);
  EXPECT_NE(custom.out.find("\"bad\""), std::string::npos) << custom.out;
  EXPECT_EQ(eval("1 +").status, 1);
  EXPECT_EQ(eval("IfError(1/0, 2)").status, 0);
}

}  // namespace
}  // namespace canvasfx::host::testing
#endif
