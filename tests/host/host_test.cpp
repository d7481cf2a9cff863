// The host's Power Fx surface: signals, enums, behavior functions, signal
// subscriptions, and data-source writes with their queue entries, all through
// formulas evaluated against a store.
#ifdef CANVASFX_HAVE_HOST
#include <gtest/gtest.h>

#include "canvasfx/host/sync_state.h"
#include "host_fixture.h"

namespace canvasfx::host::testing {
namespace {

// ---------------------------------------------------------------- Connection.Sync

// How a state is reached through the store (and a formula, for pending changes).
enum class Setup { None, Warning, Pending, Error, Running };

struct StateCase {
  bool connected;
  Setup setup;
  const char* state;
  const char* icon;
};

const StateCase kStates[] = {
    {true, Setup::None, "Connected", "Icon.Globe"},
    {true, Setup::Warning, "ConnectedWithWarning", "Icon.GlobeWarning"},
    {true, Setup::Pending, "ConnectedPendingUpsync", "Icon.GlobeChangesPending"},
    {true, Setup::Error, "ConnectedError", "Icon.GlobeError"},
    {true, Setup::Running, "ConnectedRefresh", "Icon.GlobeRefresh"},
    {false, Setup::None, "NotConnected", "Icon.GlobeNotConnected"},
    {false, Setup::Warning, "NotConnectedWithWarning", "Icon.GlobeWarning"},
    {false, Setup::Pending, "NotConnectedPendingUpsync", "Icon.GlobeChangesPending"},
    {false, Setup::Error, "NotConnectedSyncError", "Icon.GlobeError"},
};

void finish_sync(Store& store, std::vector<SyncError> errors, std::vector<SyncWarning> warnings) {
  int64_t run = store.begin_sync();
  SyncRunResult r;
  for (const auto& t : store.tables()) r.tables.push_back({.table = t.name, .succeeded = true});
  r.errors = std::move(errors);
  r.warnings = std::move(warnings);
  store.end_sync(run, r);
}

TEST(ConnectionSync, EveryStateThroughFormulas) {
  for (const StateCase& c : kStates) {
    SCOPED_TRACE(c.state);
    HostedEngine h;
    switch (c.setup) {
      case Setup::None:
        break;
      case Setup::Warning:
        finish_sync(*h.store, {}, {{.code = "recorded", .table = "Accounts", .message = "slow"}});
        break;
      case Setup::Pending:
        EXPECT_EQ(h.run("Patch(Accounts, First(Accounts), {City: \"Bergen\"}).City"), "\"Bergen\"");
        break;
      case Setup::Error: {
        SyncError e;
        e.message = "The record was changed on the server";
        e.table = "Accounts";
        finish_sync(*h.store, {e}, {});
        break;
      }
      case Setup::Running:
        h.store->begin_sync();
        break;
    }
    h.store->set_connected(c.connected);
    EXPECT_EQ(h.run("Connection.Sync"), std::string("ConnectionSync.") + c.state);
    EXPECT_EQ(h.run(std::string("Connection.Sync = ConnectionSync.") + c.state), "true");
    EXPECT_EQ(h.run(kGlobeFormula), c.icon);
    EXPECT_EQ(h.run("Connection.Connected"), c.connected ? "true" : "false");
  }
}

TEST(ConnectionSync, HasExactlyNineMembers) {
  HostedEngine h;
  const EnumInfo* e = h.engine.find_enum("ConnectionSync");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->members.size(), 9u);
  EXPECT_TRUE(e->strongly_typed);
  // Strongly typed: not comparable to a number.
  EXPECT_FALSE(h.engine.check("Connection.Sync = 0").ok());
}

TEST(ConnectionSync, TheAcceptanceSequence) {
  HostedEngine h;
  EXPECT_EQ(h.run(kGlobeFormula), "Icon.Globe");
  h.store->set_connected(false);
  EXPECT_EQ(h.run(kGlobeFormula), "Icon.GlobeNotConnected");
  h.run("Patch(Accounts, First(Accounts), {Name: \"x\"})");
  EXPECT_EQ(h.run(kGlobeFormula), "Icon.GlobeChangesPending");
}

// ---------------------------------------------------------------- Host

TEST(HostSignal, OfflineEnabledPerPlayerKind) {
  struct Case {
    bool app_offline;
    PlayerKind player;
    const char* expected;
  };
  const Case cases[] = {
      {true, PlayerKind::Native, "true"},   {true, PlayerKind::Studio, "true"},
      {true, PlayerKind::Web, "false"},     {false, PlayerKind::Native, "false"},
      {false, PlayerKind::Studio, "false"}, {false, PlayerKind::Web, "false"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(player_kind_name(c.player)) + (c.app_offline ? " offline" : ""));
    HostedEngine h;
    AppSettings app = h.store->app_settings();
    app.offline_enabled = c.app_offline;
    h.store->set_app_settings(app);
    DeviceState d = h.store->device_state();
    d.player = c.player;
    d.player_version = "PowerApps-Native/3.23084.8(iOS)";
    h.store->set_device_state(d);
    EXPECT_EQ(h.run("Host.OfflineEnabled"), c.expected);
    EXPECT_EQ(h.run("Host.Version"),
              c.player == PlayerKind::Studio ? "\"\"" : "\"PowerApps-Native/3.23084.8(iOS)\"");
  }
}

TEST(HostSignal, DeviceFieldsComeFromTheStore) {
  HostedEngine h;
  DeviceState d = h.store->device_state();
  d.os_type = "iOS";
  d.metered = true;
  d.screen_width = 390;
  d.latitude = 47.591;
  d.heading = 270;
  d.accel_z = -1;
  h.store->set_device_state(d);
  EXPECT_EQ(h.run("Host.OSType"), "\"iOS\"");
  EXPECT_EQ(h.run("Connection.Metered"), "true");
  EXPECT_EQ(h.run("App.Width"), "390");
  EXPECT_EQ(h.run("Location.Latitude"), "47.591");
  EXPECT_EQ(h.run("Compass.Heading"), "270");
  EXPECT_EQ(h.run("Acceleration.Z"), "-1");
  EXPECT_EQ(h.run("Location.Altitude"), "0");
  EXPECT_EQ(h.run("IsBlank(Host.SessionID)"), "false");
}

// ---------------------------------------------------------------- enums and functions

TEST(HostEnums, IconHasEveryMemberOfTheList) {
  HostedEngine h;
  const EnumInfo* icon = h.engine.find_enum("Icon");
  ASSERT_NE(icon, nullptr);
  EXPECT_EQ(icon->members.size(), 192u);
  for (const char* m : {"Globe", "GlobeChangesPending", "GlobeError", "GlobeNotConnected",
                        "GlobeRefresh", "GlobeWarning", "Add", "Trash"})
    EXPECT_TRUE(icon->find(m).has_value()) << m;
  EXPECT_EQ(h.run("Icon.Globe = Icon.Globe"), "true");
  EXPECT_EQ(h.run("HostInfo.OfflineSync"), "HostInfo.OfflineSync");
}

TEST(ShowHostInfo, PrintsThePageWithTheStoresFigures) {
  HostedEngine h;
  h.run("Patch(Accounts, First(Accounts), {City: \"Paris\"})");
  h.run("Collect(Contacts, {FullName: \"Ada\"}); Collect(Contacts, {FullName: \"Grace\"})");
  h.run("Remove('Sales Orders', First('Sales Orders'))");
  h.store->set_connected(false);
  EXPECT_EQ(h.run("ShowHostInfo(HostInfo.OfflineSync)"), "true");
  const std::string& page = h.output;
  EXPECT_NE(page.find("NotConnectedPendingUpsync"), std::string::npos) << page;
  EXPECT_NE(page.find("Pending changes: 4"), std::string::npos) << page;
  EXPECT_NE(page.find("Rows added 2, updated 1, removed 1"), std::string::npos) << page;
  EXPECT_NE(page.find("Field Sales (demo)"), std::string::npos) << page;
  for (const auto& t : h.store->table_infos()) {
    auto line = page.find("  " + t.schema.name + " ");
    ASSERT_NE(line, std::string::npos) << t.schema.name;
    EXPECT_NE(page.substr(line, 40).find(std::to_string(t.rows)), std::string::npos) << page;
  }
  EXPECT_NE(page.find("Contacts"), std::string::npos);
  EXPECT_NE(page.find(std::to_string(h.store->count_rows("Contacts"))), std::string::npos);
}

TEST(ShowHostInfo, IsACompileErrorInADataFlowFormula) {
  HostedEngine h;
  auto r = h.engine.check("1 + If(true, ShowHostInfo(HostInfo.OfflineSync))");
  ASSERT_FALSE(r.ok());
  bool found = false;
  for (const auto& d : r.diagnostics)
    if (d.span.min == 13 && d.span.lim == 47) found = true;
  EXPECT_TRUE(found) << format_diagnostic(r.diagnostics.front());
  CheckOptions behavior;
  behavior.behavior = true;
  EXPECT_TRUE(h.engine.check("ShowHostInfo(HostInfo.OfflineSync)", behavior).ok());
  EXPECT_FALSE(h.engine.check("ShowHostInfo(Icon.Globe)", behavior).ok());
}

TEST(Notify, WritesTheMessageWithItsType) {
  HostedEngine h;
  EXPECT_EQ(h.run("Notify(\"Saved\", NotificationType.Success)"), "true");
  EXPECT_EQ(h.run("Notify(\"Plain\")"), "true");
  EXPECT_EQ(h.output, "[Success] Saved[Information] Plain");
  EXPECT_FALSE(h.engine.check("Notify(\"x\")").ok());  // a behavior function
}

TEST(Notify, TakesATimeoutInMilliseconds) {
  HostedEngine h;
  EXPECT_EQ(h.run("Notify(\"Saved\", NotificationType.Success, 3000)"), "true");
  EXPECT_EQ(h.output, "[Success] Saved");
  CheckOptions behavior;
  behavior.behavior = true;
  EXPECT_FALSE(h.engine.check("Notify(\"x\", NotificationType.Error, {a:1})", behavior).ok());
  EXPECT_FALSE(h.engine.check("Notify(\"x\", NotificationType.Error, 1, 2)", behavior).ok());
}

// ---------------------------------------------------------------- subscriptions

TEST(HostSignals, SubscribersHearChanges) {
  HostedEngine h;
  std::vector<std::string> heard;
  h.host->subscribe("Connection", [&](const std::string& name, const Value& v) {
    heard.push_back(name + "=" + print_value(*v.field("Sync")));
  });
  EXPECT_TRUE(h.host->poll().empty());
  h.store->set_connected(false);
  EXPECT_EQ(h.host->poll(), std::vector<std::string>{"Connection"});
  h.run("Patch(Accounts, First(Accounts), {Name: \"y\"})");
  h.host->poll();
  EXPECT_EQ(heard,
            (std::vector<std::string>{"Connection=ConnectionSync.NotConnected",
                                      "Connection=ConnectionSync.NotConnectedPendingUpsync"}));
}

TEST(HostSignals, FormulasListTheSignalsTheyRead) {
  HostedEngine h;
  auto r = h.engine.check("If(Connection.Connected, App.Width, 0)");
  ASSERT_TRUE(r.ok());
  const auto& deps = r.formula->dependencies();
  EXPECT_NE(std::find(deps.begin(), deps.end(), "Connection"), deps.end());
  EXPECT_NE(std::find(deps.begin(), deps.end(), "App"), deps.end());
}

// ---------------------------------------------------------------- writes

TEST(DataSourceWrites, EachWriteHasItsQueueEntry) {
  HostedEngine h;
  int64_t rows = h.store->count_rows("Accounts");
  h.run("Collect(Accounts, {Name: \"A1\", City: \"Oslo\", Revenue: 10})");
  h.run("Patch(Accounts, LookUp(Accounts, Name = \"A1\"), {Revenue: 20})");
  EXPECT_EQ(h.run("LookUp(Accounts, Name = \"A1\").Revenue"), "20");
  h.run("Remove(Accounts, LookUp(Accounts, Name = \"A1\"))");
  EXPECT_EQ(h.store->count_rows("Accounts"), rows);
  auto q = h.store->queue();
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].action, QueueAction::Create);
  EXPECT_EQ(q[1].action, QueueAction::Update);
  EXPECT_EQ(q[1].changes_json, "{\"Revenue\":20.0}");
  EXPECT_EQ(q[2].action, QueueAction::Delete);
  EXPECT_EQ(q[0].record_id, q[2].record_id);
}

TEST(DataSourceWrites, AFailedWriteLeavesNothing) {
  HostedEngine h;
  std::string first = h.run("First(Accounts).AccountId");
  // Changing the key is refused, and the whole Patch with it.
  CheckOptions behavior;
  behavior.behavior = true;
  Value v =
      h.engine.eval("Patch(Accounts, First(Accounts), {AccountId: GUID(), Name: \"z\"})", behavior);
  ASSERT_TRUE(v.is_error());
  EXPECT_EQ(v.errors().front().kind, static_cast<int>(ErrorKind::Validation));
  EXPECT_EQ(h.run("First(Accounts).AccountId"), first);
  EXPECT_NE(h.run("First(Accounts).Name"), "\"z\"");
  EXPECT_EQ(h.store->queue_size(), 0);
}

}  // namespace
}  // namespace canvasfx::host::testing
#endif
