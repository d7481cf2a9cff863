// The web player in a real browser: headless Chromium (Debian's chromium and
// chromium-driver) driven through WebDriver. One browser serves every test of
// this program (it is heavy): the offline example walked through as a user
// would (the globe, the device panel's switch, the search box, the form),
// the HtmlText sanitizer against hostile markup, and every app under
// ../shared/apps opened without an error. Screenshots (PNG) go to
// CANVASFX_SCREENSHOTS in the build folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "canvasfx/engine.h"
#include "canvasfx/host/host.h"
#include "canvasfx/host/store.h"
#include "canvasfx/stdlib.h"
#include "canvasfx/web/play_server.h"
#include "web_test_support.h"
#include "webdriver.h"

namespace canvasfx::web {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::TempDir;
using testing::WebDriver;

const fs::path kScreenshots = CANVASFX_SCREENSHOTS;

class BrowserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    profile_ = new TempDir();
    driver_ = new WebDriver(profile_->path / "profile");
  }
  static void TearDownTestSuite() {
    delete driver_;  // ends the browser
    delete profile_;
  }

  // Starts `canvasfx play` on the app (in this process) and opens its page.
  std::unique_ptr<PlayServer> play(const fs::path& app, const fs::path& store) {
    PlayOptions options;
    options.app_path = app;
    options.store_path = store;
    auto server = PlayServer::create(options);
    server->start();
    driver_->navigate(server->url());
    return server;
  }

  // Plays an app of the source tree (on a store of this test's own) and
  // waits for its page to be ready.
  std::unique_ptr<PlayServer> play_ready(const std::string& app) {
    auto server = play(fs::path(CANVASFX_SOURCE_DIR) / app, dir_.path / "store.db");
    EXPECT_TRUE(driver_->wait_until("document.body.dataset.state === 'ready'"))
        << page_errors().dump();
    return server;
  }

  static json page_errors() {
    return driver_->execute("return window.cfxPage ? window.cfxPage.errors : ['no page'];");
  }

  static std::string text_of(const std::string& css) {
    return driver_
        ->execute(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
            json::array({css}))
        .dump();
  }

  TempDir dir_;
  static TempDir* profile_;
  static WebDriver* driver_;
};
TempDir* BrowserTest::profile_ = nullptr;
WebDriver* BrowserTest::driver_ = nullptr;

TEST_F(BrowserTest, TheOfflineExampleWalkedThrough) {
  fs::path store = dir_.path / "store.db";
  // `canvasfx play` as a user starts it, in a process of its own.
  testing::PlayProcess play({"play",
                             (fs::path(CANVASFX_SOURCE_DIR) / "examples/offline-app").string(),
                             "--store", store.string()});
  ASSERT_FALSE(play.url().empty()) << play.printed();
  driver_->navigate(play.url());
  WebDriver& b = *driver_;
  ASSERT_TRUE(b.wait_until("document.body.dataset.state === 'ready'")) << page_errors().dump();
  const std::string globe = "document.querySelector('[data-name=GlobeIcon]')";
  ASSERT_TRUE(b.wait_until(globe + " && " + globe + ".dataset.icon === 'Globe'"));
  EXPECT_TRUE(b.wait_until(globe + ".querySelector('svg path') !== null"));
  EXPECT_TRUE(b.wait_until("document.querySelectorAll('[data-name=AccountName]').length === 10"));
  EXPECT_EQ(text_of("[data-name=Title]"), "\"Field Sales\"");
  b.screenshot(kScreenshots / "offline-app-home.png");

  // The globe opens the device status page over the app.
  b.click("[data-name=GlobeIcon]");
  ASSERT_TRUE(b.wait_until("!document.getElementById('hostinfo').hidden"));
  EXPECT_TRUE(
      b.wait_until("document.querySelector('#hostinfo .state').dataset.state === 'Connected'"));
  EXPECT_NE(text_of("#hostinfo-body").find("Accounts"), std::string::npos);
  b.screenshot(kScreenshots / "offline-app-device-status.png");
  b.click("#hostinfo-close");
  ASSERT_TRUE(b.wait_until("document.getElementById('hostinfo').hidden"));

  // Another process takes the device offline: the page shows the not-connected globe.
  ASSERT_EQ(
      testing::run_canvasfx({"--store", store.string(), "store", "set", "connected", "false"}), 0);
  auto written = std::chrono::steady_clock::now();
  ASSERT_TRUE(
      b.wait_until(globe + ".dataset.icon === 'GlobeNotConnected'", std::chrono::seconds(10)));
  // Reported, not asserted (a loaded machine is slow); polled through WebDriver, so an upper bound.
  std::printf(
      "[ measured ] store set connected false -> the page shows GlobeNotConnected: %lld ms\n",
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - written)
                                 .count()));
  EXPECT_TRUE(b.wait_until("!document.getElementById('dev-connected').checked"));
  b.screenshot(kScreenshots / "offline-app-not-connected.png");

  // The device panel's switch brings it back online, through the store.
  b.click("#dev-connected");
  ASSERT_TRUE(b.wait_until(globe + ".dataset.icon === 'Globe'"));
  EXPECT_NE(
      testing::canvasfx_output({"--store", store.string(), "store", "status"}).find("Connected ("),
      std::string::npos);

  // Typing filters the gallery over the demo accounts.
  b.type("[data-name=SearchBox] input", "Co");
  ASSERT_TRUE(b.wait_until(
      "(() => { const names = [...document.querySelectorAll('[data-name=AccountName]')]"
      ".map(e => e.textContent); return names.length > 0 && names.every(n => n.startsWith('Co')); "
      "})()"))
      << b.execute(
              "return [...document.querySelectorAll('[data-name=AccountName]')].map(e => "
              "e.textContent);")
             .dump()
      << b.execute("return document.querySelector('[data-name=SearchBox] input').value;").dump()
      << page_errors().dump();
  b.screenshot(kScreenshots / "offline-app-search.png");

  // A row opens the form; a changed city is saved on the device.
  b.click("[data-key='AccountsGallery#0/AccountName']");
  ASSERT_TRUE(b.wait_until("document.body.dataset.screen === 'EditScreen'"));
  ASSERT_TRUE(
      b.wait_until("document.querySelector('.cfx-enter') === null"));  // the transition ended
  ASSERT_TRUE(
      b.wait_until("document.querySelector('[data-name=CityValue] input').value.length > 0"));
  b.clear("[data-name=CityValue] input");
  b.type("[data-name=CityValue] input", "Lisbon");
  ASSERT_TRUE(b.wait_until("!document.querySelector('[data-name=SaveButton]').disabled"));
  b.screenshot(kScreenshots / "offline-app-form.png");
  b.click("[data-name=SaveButton]");
  ASSERT_TRUE(b.wait_until("document.body.dataset.screen === 'HomeScreen'"));
  EXPECT_TRUE(b.wait_until("document.querySelector('.banner[data-type=Success]') !== null"));
  EXPECT_TRUE(b.wait_until(
      "document.querySelector('[data-name=PendingButton]').textContent === 'Pending (1)'"));
  EXPECT_TRUE(b.wait_until("document.getElementById('dev-pending').textContent === '1'"));
  // The saved city, exactly as typed (the cleared box sent its empty text first).
  EXPECT_TRUE(
      b.wait_until("document.querySelector(\"[data-key='AccountsGallery#0/"
                   "AccountDetails']\").textContent.startsWith('Lisbon \u00b7')"))
      << text_of("[data-key='AccountsGallery#0/AccountDetails']");
  ASSERT_TRUE(b.wait_until("document.querySelector('.cfx-enter') === null"));
  b.screenshot(kScreenshots / "offline-app-saved.png");

  // A sync run of another process ends with an error: the device panel lists it.
  ASSERT_EQ(testing::run_canvasfx({"--store", store.string(), "store", "sync", "begin"}), 0);
  ASSERT_EQ(testing::run_canvasfx({"--store", store.string(), "store", "sync", "end", "--error",
                                   "Accounts:The record was changed on the server"}),
            0);
  EXPECT_TRUE(b.wait_until("document.getElementById('dev-error-count').textContent === '1'",
                           std::chrono::seconds(10)));
  EXPECT_EQ(text_of("#dev-errors li"), "\"Accounts: The record was changed on the server\"");
  b.screenshot(kScreenshots / "offline-app-sync-error.png");
  EXPECT_EQ(page_errors(), json::array());
}

TEST_F(BrowserTest, HtmlTextIsSanitized) {
  auto server = play_ready("examples/offline-app");
  WebDriver& b = *driver_;
  json html = b.execute(
      "const hostile = arguments[0];"
      "const d = document.createElement('div'); d.appendChild(window.cfxSanitizeHtml(hostile));"
      "document.body.appendChild(d); const out = d.innerHTML; d.remove(); return out;",
      json::array(
          {"<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>"
           "<a href=\"javascript:window.pwned=3\">link</a>"
           "<b style=\"color: red; background: url(https://evil.example/x)\">bold</b>"
           "<iframe src=\"https://evil.example\"></iframe><svg onload=\"window.pwned=4\"></svg>"
           "<p onclick=\"window.pwned=5\">para</p><font color=\"blue\" size=\"5\">big</font>"}));
  std::string out = html.get<std::string>();
  for (const char* forbidden :
       {"onerror", "<script", "javascript:", "url(", "<iframe", "<svg", "onclick", "onload"})
    EXPECT_EQ(out.find(forbidden), std::string::npos) << forbidden << " in " << out;
  EXPECT_NE(out.find("<b style=\"color: red;\">bold</b>"), std::string::npos) << out;
  EXPECT_NE(out.find("<p>para</p>"), std::string::npos) << out;
  EXPECT_NE(out.find("color: blue"), std::string::npos) << out;
  EXPECT_NE(out.find("<a>link</a>"), std::string::npos) << out;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(b.execute("return window.pwned === undefined;").get<bool>());
}

// Notify's banner has its type and goes after its timeout; Launch opens a new
// tab (web pages only); Exit ends the session page.
TEST_F(BrowserTest, NotifyLaunchAndExitInThePage) {
  auto server = play_ready("tests/web/apps/host-surfaces");
  WebDriver& b = *driver_;
  b.click("[data-name=WarnButton]");
  ASSERT_TRUE(b.wait_until("document.querySelector('.banner[data-type=Warning]') !== null"));
  EXPECT_EQ(text_of(".banner[data-type=Warning] .banner-text"), "\"Low on storage\"");
  // Its timeout (2.5 s) removes it; waited for generously.
  EXPECT_TRUE(b.wait_until("document.querySelector('.banner[data-type=Warning]') === null",
                           std::chrono::seconds(60)));
  size_t windows = b.window_count();
  b.click("[data-name=LaunchButton]");
  EXPECT_TRUE(b.wait_for_windows(windows + 1));
  b.click("[data-name=ScriptLaunchButton]");
  ASSERT_TRUE(b.wait_until("document.querySelector('.banner[data-type=Error]') !== null"));
  EXPECT_EQ(b.window_count(), windows + 1);  // no tab for the script URL
  b.click("[data-name=ExitButton]");
  EXPECT_TRUE(b.wait_until("document.body.dataset.state === 'exited'"));
  EXPECT_TRUE(b.wait_until("!document.getElementById('ended').hidden"));
  EXPECT_EQ(page_errors(), json::array());
}

// The input controls as a user works them: each writes its output property
// on the server (the Summary label reads them all back); a timer runs.
TEST_F(BrowserTest, InputControlsWriteTheirOutputs) {
  auto server = play_ready("tests/web/apps/inputs");
  WebDriver& b = *driver_;
  const std::string summary = "document.querySelector('[data-name=Summary]').textContent";
  ASSERT_TRUE(b.wait_until(summary + " === 'false|false|3|Red|2024-05-01|1|'"))
      << text_of("[data-name=Summary]");
  b.click("[data-name=Toggle1] .cfx-check");
  b.click("[data-name=Check1] .cfx-check");
  b.click("[data-name=Drop1] select option[value='2']");
  b.click("[data-name=Rating1] svg[data-index='4']");
  b.click("[data-name=Radio1] label:nth-of-type(2) input");
  // A range and a date box take their value as a user's drag or picker sets it.
  b.execute(
      "for (const [css, value] of [['[data-name=Slider1] input', '7'], "
      "['[data-name=Date1] input', '2025-02-14']]) {"
      "  const input = document.querySelector(css); input.value = value;"
      "  input.dispatchEvent(new Event('change', {bubbles: true})); }");
  EXPECT_TRUE(b.wait_until(summary + " === 'true|true|7|Blue|2025-02-14|4|Large'"))
      << text_of("[data-name=Summary]");
  // The timer (AutoStart, 300 ms) runs on the server; its OnTimerEnd shows here.
  EXPECT_TRUE(
      b.wait_until("document.querySelector('[data-name=TimerLabel]').textContent === 'ended'",
                   std::chrono::seconds(30)));
  b.screenshot(kScreenshots / "inputs.png");
  EXPECT_EQ(page_errors(), json::array());
}

// Every member of the host's Icon enum has its drawing (no dashed placeholder).
TEST_F(BrowserTest, EveryIconOfTheEnumIsDrawn) {
  auto store = host::Store::open_memory(/*seed=*/false);
  Engine engine;
  stdlib::install(engine);
  host::Host host(engine, *store);
  const EnumInfo* icons = engine.find_enum("Icon");
  ASSERT_NE(icons, nullptr);
  json names = json::array();
  for (const auto& [name, value] : icons->members) names.push_back(name);
  ASSERT_GE(names.size(), 150u);
  auto server = play_ready("examples/offline-app");
  WebDriver& b = *driver_;
  json missing = b.execute(
      "return arguments[0].filter((n) => !Array.isArray(window.CFX_ICONS[n]) || "
      "window.CFX_ICONS[n].length === 0);",
      json::array({names}));
  EXPECT_EQ(missing, json::array());
}

// The apps of ../shared/apps: a folder with Src/ or a manifest, or one of
// the pa.yaml samples' apps.
std::vector<fs::path> shared_apps() {
  std::vector<fs::path> apps;
  fs::path root = CANVASFX_SHARED_APPS;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return apps;
  auto is_app = [](const fs::path& d) {
    return fs::exists(d / "Src") || fs::exists(d / "CanvasManifest.json") ||
           fs::exists(d / "Header.json") || fs::exists(d / "App.pa.yaml");
  };
  for (const auto& e : fs::directory_iterator(root)) {
    if (!e.is_directory()) continue;
    if (is_app(e.path()) || e.path().extension() == ".msapp") {
      apps.push_back(e.path());
      continue;
    }
    for (const auto& inner : fs::directory_iterator(e.path()))
      if (inner.is_directory() && is_app(inner.path())) apps.push_back(inner.path());
  }
  std::sort(apps.begin(), apps.end());
  return apps;
}

// Pieces of the pa.yaml schema's own tests (not apps): loading may give diagnostics.
bool is_schema_piece(const fs::path& app) {
  return app.parent_path().filename() == "pa-yaml-samples" &&
         (app.filename() == "FullSchemaUses" || app.filename() == "ValidYaml-CI");
}

TEST_F(BrowserTest, TheSharedAppsOpenWithoutAnError) {
  auto apps = shared_apps();
  if (apps.empty()) GTEST_SKIP() << "no apps under " << CANVASFX_SHARED_APPS;
  WebDriver& b = *driver_;
  for (const auto& app : apps) {
    SCOPED_TRACE(app.string());
    std::unique_ptr<PlayServer> server;
    try {
      server = play(app, dir_.path / "store.db");
    } catch (const PlayError& e) {
      // The schema test pieces of the pa.yaml samples may be refused with a reason; apps may not.
      if (!is_schema_piece(app)) ADD_FAILURE() << e.what();
      std::printf("[ refused  ] %s: %.200s\n", app.filename().c_str(), e.what());
      continue;
    }
    ASSERT_TRUE(b.wait_until("document.body.dataset.state === 'ready'", std::chrono::seconds(60)))
        << page_errors().dump();
    // The screen is drawn, and each of its top-level controls has its element.
    EXPECT_TRUE(b.wait_until(
        "document.querySelector('#canvas .cfx-screen') !== null && "
        "window.cfxPage.screen.children.every("
        "(c) => document.querySelector(`[data-key=\"${CSS.escape(c.key)}\"]`) !== null)"));
    EXPECT_EQ(page_errors(), json::array());
    std::string name = app.parent_path().filename() == "pa-yaml-samples"
                           ? "pa-yaml-" + app.filename().string()
                           : app.filename().string();
    b.screenshot(kScreenshots / ("shared-" + name + ".png"));
    std::printf(
        "[ opened   ] %s: screen %s, %s controls drawn\n", name.c_str(),
        b.execute("return document.body.dataset.screen;").dump().c_str(),
        b.execute("return document.querySelectorAll('#canvas .cfx').length;").dump().c_str());
    server->stop();
  }
}

}  // namespace
}  // namespace canvasfx::web
