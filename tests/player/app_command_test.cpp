// `canvasfx app check|run` as a user runs them: the example app scripted end
// to end (the globe icon following `store set` from another process, the
// search box, a form submitted offline), and every app under ../shared/apps
// checked with no error that is not about a connector or a mistake in the
// app's own source.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "../host/cli_runner.h"
#include "player_fixture.h"

namespace canvasfx::player::testing {
namespace {

namespace fs = std::filesystem;
using host::testing::run;
using host::testing::shell_word;

const fs::path kSource = CANVASFX_SOURCE_DIR;

TEST(AppCommand, CheckPrintsOneLinePerDiagnosticAndACount) {
  TempDir dir;
  write_file(dir.path() / "Src/Home.pa.yaml",
             "Screens:\n  Home:\n    Children:\n      - Title:\n          Control: Label\n"
             "          Properties:\n            Text: =Nope + 1\n");
  auto r = run("app check " + shell_word(dir.path().string()));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("Src/Home.pa.yaml:7:20: error: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[Home.Title.Text]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 formulas, 1 errors, 0 warnings"), std::string::npos) << r.out;
  r = run("app check --json " + shell_word(dir.path().string()));
  EXPECT_NE(r.out.find("\"control\": \"Title\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"formulas\": 1"), std::string::npos) << r.out;
}

TEST(AppCommand, ExampleAppChecksClean) {
  auto r = run("app check " + shell_word((kSource / "examples/offline-app").string()));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(" 0 errors"), std::string::npos) << r.out;
}

// The issue's scenario, scripted: `store set` in a script opens a connection
// of its own to the store file, as another process does.
TEST(AppCommand, ExampleAppScripted) {
  TempDir dir;
  fs::path store = dir.path() / "store.db";
  ASSERT_EQ(
      run("--store " + shell_word(store.string()) + " store set app-offline-enabled true").status,
      0);
  write_file(dir.path() / "steps.txt",
             "show GlobeIcon.Icon\n"
             "store set connected false\n"
             "wait 1s\n"
             "show GlobeIcon.Icon\n"
             "stats\n"
             "show AccountsGallery.AllItemsCount\n"
             "type SearchBox \"Contoso\"\n"
             "changes\n"
             "show AccountName.Text[1]\n"
             "type SearchBox \"\"\n"
             "select AccountsGallery 3\n"
             "type CityValue \"Reykjavik\"\n"
             "select SaveButton\n"
             "show GlobeIcon.Icon\n"
             "eval CountRows(PendingChanges)\n");
  auto r = run("--store " + shell_word(store.string()) + " app run " +
               shell_word((kSource / "examples/offline-app").string()) + " --script " +
               shell_word((dir.path() / "steps.txt").string()));
  EXPECT_EQ(r.status, 0) << r.out;
  std::istringstream lines(r.out);
  std::vector<std::string> out;
  for (std::string l; std::getline(lines, l);) out.push_back(l);
  ASSERT_GE(out.size(), 9u) << r.out;
  EXPECT_EQ(out[0], "GlobeIcon.Icon = Icon.Globe");
  EXPECT_EQ(out[1], "GlobeIcon.Icon = Icon.GlobeNotConnected");
  // Only the property reading Connection was recomputed.
  EXPECT_EQ(out[2], "recomputed 1: HomeScreen.GlobeIcon.Icon");
  EXPECT_EQ(out[3], "AccountsGallery.AllItemsCount = 10");
  EXPECT_NE(out[4].find("AccountsGallery.Items"), std::string::npos) << out[4];
  EXPECT_EQ(out[5].rfind("AccountName.Text[1] = \"Contoso", 0), 0u) << out[5];
  // SubmitForm's OnSuccess notifies; the change waits in the store's queue.
  EXPECT_EQ(out[6].rfind("[Success] Saved on this device", 0), 0u) << out[6];
  EXPECT_EQ(out[7], "GlobeIcon.Icon = Icon.GlobeChangesPending");
  EXPECT_EQ(out[8], "1");
}

// Every app the project was given: it loads, and each error is about a
// connector the app calls or names the app's own mistake. The counts are
// printed for the record.
TEST(AppCommand, SharedAppsCheck) {
  fs::path apps = kSource / ".." / "shared" / "apps";
  if (!fs::is_directory(apps)) GTEST_SKIP() << "no ../shared/apps";
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(apps))
    if (fs::is_directory(e.path() / "Src")) paths.push_back(e.path());
  paths.push_back(apps / "pa-yaml-samples" / "Examples");
  paths.push_back(apps / "pa-yaml-samples" / "HelloWorld.msapp");
  // Mistakes in the sample sources themselves (Studio reports them too): a
  // name no data source or control has, a control name used twice, a
  // function property whose parameters the source does not declare.
  const std::regex own_mistake(
      "'CustomGallerySample' isn't recognized|'MyHeaderComponent_2' is used by another "
      "control|'(lhs|rhs)' isn't recognized");
  const std::regex summary(R"((\d+) formulas, (\d+) errors, (\d+) warnings)");
  for (const auto& path : paths) {
    if (!fs::exists(path)) continue;
    auto r = run("app check " + shell_word(path.string()));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, summary)) << path << "\n" << r.out;
    std::cout << path.filename().string() << ": " << m[0] << "\n";
    std::vector<std::string> errors;
    std::istringstream lines(r.out);
    for (std::string l; std::getline(lines, l);)
      if (l.find(": error: ") != std::string::npos) errors.push_back(l);
    auto is_connector = [](const std::string& l) {
      return l.find("is a connector") != std::string::npos ||
             l.find(".Predict' is an unknown") != std::string::npos;
    };
    auto where = [](const std::string& l) { return l.substr(l.rfind('[')); };
    std::set<std::string> calling_connectors;
    for (const auto& l : errors)
      if (is_connector(l)) calling_connectors.insert(where(l));
    for (const auto& l : errors) {
      // An error in a formula that calls a connector follows from that call.
      bool follows = calling_connectors.count(where(l)) > 0;
      EXPECT_TRUE(follows || std::regex_search(l, own_mistake)) << l;
    }
  }
}

}  // namespace
}  // namespace canvasfx::player::testing
