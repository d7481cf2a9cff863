// The web player's server without a browser: /api/screen, the request guard,
// the event stream, events, the device panel and the host surfaces, on
// examples/offline-app over a demo store in a temporary folder.
#include "canvasfx/web/play_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "canvasfx/web/event_stream_client.h"
#include "web_test_support.h"

namespace canvasfx::web {
namespace {

using nlohmann::json;
using testing::TempStore;

class PlayServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PlayOptions options;
    options.app_path = std::filesystem::path(CANVASFX_SOURCE_DIR) / "examples/offline-app";
    options.store_path = store.path;
    options.poll_interval = std::chrono::milliseconds(50);
    options.sync_shown = std::chrono::minutes(5);  // a "sync now" stays running while a test looks
    server = PlayServer::create(options);
    server->start();
    http = std::make_unique<httplib::Client>("127.0.0.1", server->port());
  }
  void TearDown() override {
    http.reset();
    server->stop();
  }

  std::string with_token(const std::string& path) const {
    return path + (path.find('?') == std::string::npos ? "?" : "&") + "token=" + server->token();
  }
  json get_json(const std::string& path) {
    auto res = http->Get(with_token(path));
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    return json::parse(res->body);
  }
  // A property of a control on the active screen, as GET /api/screen shows it.
  json property(const std::string& control, const std::string& name) {
    json screen = get_json("/api/screen");
    const json* found = testing::find_control(screen, control);
    if (!found) return "no control " + control;
    return (*found)["properties"].value(name, json("no property " + name));
  }
  json post_event(const json& event, int expected_status = 200) {
    auto res = http->Post(with_token("/api/event"), event.dump(), "application/json");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, expected_status) << res->body;
    return json::parse(res->body);
  }

  TempStore store;
  std::unique_ptr<PlayServer> server;
  std::unique_ptr<httplib::Client> http;
};

TEST_F(PlayServerTest, ScreenShowsTheGlobeAsEvaluated) {
  json screen = get_json("/api/screen");
  EXPECT_EQ(screen["screen"], "HomeScreen");
  const json* globe = testing::find_control(screen, "GlobeIcon");
  ASSERT_NE(globe, nullptr) << screen.dump(2);
  EXPECT_EQ((*globe)["type"], "Icon");
  EXPECT_EQ((*globe)["properties"]["Icon"], "Icon.Globe");
  EXPECT_EQ((*globe)["properties"]["Visible"], true);
  EXPECT_EQ((*globe)["properties"]["Color"], "rgba(255, 255, 255, 1)");
  // A gallery: its template once per row, keyed under the row.
  const json* gallery = testing::find_control(screen, "AccountsGallery");
  ASSERT_NE(gallery, nullptr);
  ASSERT_EQ((*gallery)["rows"].size(), 10u);
  EXPECT_EQ((*gallery)["rows"][0][0]["key"], "AccountsGallery#0/AccountName");
  EXPECT_TRUE((*gallery)["rows"][0][0]["properties"]["Text"].is_string());
  EXPECT_EQ(property("Title", "Text"), "Field Sales");
}

TEST_F(PlayServerTest, RequestsWithoutTheTokenOrFromAnotherSiteAreRefused) {
  auto no_token = http->Get("/api/screen");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 403);
  EXPECT_EQ(http->Get("/?token=0123")->status, 403);
  EXPECT_EQ(http->Get("/api/events")->status, 403);
  auto evil_origin = http->Get(with_token("/api/screen"), {{"Origin", "http://evil.example"}});
  ASSERT_TRUE(evil_origin);
  EXPECT_EQ(evil_origin->status, 403);
  auto evil_post = http->Post(with_token("/api/event"), {{"Origin", "http://evil.example"}},
                              R"({"kind":"select","control":"NewButton"})", "application/json");
  ASSERT_TRUE(evil_post);
  EXPECT_EQ(evil_post->status, 403);
  // DNS rebinding: the right port under a name that is not this machine's.
  httplib::Client rebound("127.0.0.1", server->port());
  auto evil_host = rebound.Get(with_token("/api/screen"), {{"Host", "evil.example"}});
  ASSERT_TRUE(evil_host);
  EXPECT_EQ(evil_host->status, 403);
  // The page's own origin passes.
  auto own = http->Get(with_token("/api/screen"),
                       {{"Origin", "http://127.0.0.1:" + std::to_string(server->port())}});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200);
}

TEST_F(PlayServerTest, ThePageCarriesItsTokenAndAContentSecurityPolicy) {
  auto page = http->Get(with_token("/"));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("player.js?token=" + server->token()), std::string::npos);
  EXPECT_EQ(page->body.find("{{TOKEN}}"), std::string::npos);
  std::string csp = page->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  auto script = http->Get(with_token("/player.js"));
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_NE(script->get_header_value("Content-Type").find("javascript"), std::string::npos);
  EXPECT_EQ(http->Get(with_token("/nothing.js"))->status, 404);
}

TEST_F(PlayServerTest, AStoreChangeByAnotherProcessReachesTheEventStream) {
  EventStreamClient events(server->port(), server->token());
  auto first =
      events.wait_for([](const auto& e) { return e.name == "screen"; }, std::chrono::seconds(10));
  ASSERT_TRUE(first);
  auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(
      testing::run_canvasfx({"--store", store.path.string(), "store", "set", "connected", "false"}),
      0);
  auto written = std::chrono::steady_clock::now();
  auto patch = events.wait_for(
      [](const auto& e) {
        return e.name == "patch" && e.data.find("Icon.GlobeNotConnected") != std::string::npos;
      },
      std::chrono::seconds(10));
  ASSERT_TRUE(patch) << "no patch with Icon.GlobeNotConnected";
  json data = json::parse(patch->data);
  bool found = false;
  for (const auto& change : data["set"])
    if (change["key"] == "GlobeIcon" && change["property"] == "Icon") {
      EXPECT_EQ(change["value"], "Icon.GlobeNotConnected");
      found = true;
    }
  EXPECT_TRUE(found) << data.dump(2);
  // Only what changed is sent: not the gallery's rows, not the title.
  EXPECT_EQ(data.dump().find("AccountsGallery#"), std::string::npos);
  EXPECT_TRUE(data["replace"].empty());
  auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  std::printf(
      "[ measured ] store set connected false (another process) -> patch on the stream: "
      "%lld ms after the command returned, %lld ms after it started\n",
      static_cast<long long>(ms(patch->received - written)),
      static_cast<long long>(ms(patch->received - started)));
  // The device panel's figures follow too.
  auto device = events.wait_for(
      [](const auto& e) {
        return e.name == "device" && e.data.find("\"connected\":false") != std::string::npos;
      },
      std::chrono::seconds(10));
  EXPECT_TRUE(device);
}

TEST_F(PlayServerTest, TypingFiltersTheGalleryAndSendsOnlyChangedProperties) {
  EventStreamClient events(server->port(), server->token());
  ASSERT_TRUE(
      events.wait_for([](const auto& e) { return e.name == "screen"; }, std::chrono::seconds(10)));
  json reply = post_event({{"kind", "text"}, {"control", "SearchBox"}, {"text", "Co"}});
  uint64_t seq = reply["seq"];
  auto patch = events.wait_for(
      [&](const auto& e) { return e.name == "patch" && json::parse(e.data)["seq"] == seq; },
      std::chrono::seconds(10));
  ASSERT_TRUE(patch);
  json data = json::parse(patch->data);
  bool search_text = false;
  for (const auto& change : data["set"]) {
    if (change["key"] == "SearchBox" && change["property"] == "Text") {
      EXPECT_EQ(change["value"], "Co");
      search_text = true;
    }
    EXPECT_NE(change["key"], "GlobeIcon");  // unchanged: not sent
  }
  EXPECT_TRUE(search_text) << data.dump(2);
  // What the page now shows: a page of names, each starting with "Co" (Contoso, Coho Winery).
  json screen = get_json("/api/screen");
  const json* gallery = testing::find_control(screen, "AccountsGallery");
  ASSERT_NE(gallery, nullptr);
  ASSERT_EQ((*gallery)["rows"].size(), 10u) << gallery->dump(1);
  for (const auto& row : (*gallery)["rows"]) {
    std::string name = row[0]["properties"]["Text"];
    EXPECT_EQ(name.substr(0, 2), "Co") << name;
  }
}

TEST_F(PlayServerTest, ShowHostInfoAndNotifyBecomeHostEvents) {
  EventStreamClient events(server->port(), server->token());
  ASSERT_TRUE(
      events.wait_for([](const auto& e) { return e.name == "screen"; }, std::chrono::seconds(10)));
  post_event({{"kind", "select"}, {"control", "GlobeIcon"}});
  auto info =
      events.wait_for([](const auto& e) { return e.name == "host"; }, std::chrono::seconds(10));
  ASSERT_TRUE(info);
  json status = json::parse(info->data);
  EXPECT_EQ(status["kind"], "hostinfo");
  EXPECT_EQ(status["status"]["state"], "Connected");
  // The figures of `canvasfx store status`.
  std::string printed =
      testing::canvasfx_output({"--store", store.path.string(), "store", "status"});
  EXPECT_EQ(status["status"]["text"], printed);
  EXPECT_EQ(status["status"]["tables"].size(), 3u);

  // A row of the gallery opens the form; saving it notifies and goes back.
  post_event({{"kind", "select"}, {"control", "AccountsGallery"}, {"row", 1}});
  auto edit =
      events.wait_for([](const auto& e) { return e.name == "screen"; }, std::chrono::seconds(10));
  ASSERT_TRUE(edit);
  EXPECT_EQ(json::parse(edit->data)["screen"]["screen"], "EditScreen");
  post_event({{"kind", "text"}, {"control", "CityValue"}, {"text", "Lisbon"}});
  post_event({{"kind", "select"}, {"control", "SaveButton"}});
  auto note = events.wait_for(
      [](const auto& e) { return e.name == "host" && e.data.find("notify") != std::string::npos; },
      std::chrono::seconds(10));
  ASSERT_TRUE(note);
  json notify = json::parse(note->data);
  EXPECT_EQ(notify["type"], "Success");
  EXPECT_NE(notify["text"].get<std::string>().find("Saved on this device"), std::string::npos);
  auto home =
      events.wait_for([](const auto& e) { return e.name == "screen"; }, std::chrono::seconds(10));
  ASSERT_TRUE(home);
  EXPECT_EQ(json::parse(home->data)["screen"]["screen"], "HomeScreen");
  EXPECT_EQ(property("PendingButton", "Text"), "Pending (1)");
}

TEST_F(PlayServerTest, TheDevicePanelWritesTheStoreAndTheAppFollows) {
  EventStreamClient events(server->port(), server->token());
  ASSERT_TRUE(
      events.wait_for([](const auto& e) { return e.name == "screen"; }, std::chrono::seconds(10)));
  post_event({{"kind", "device"}, {"set", "connected"}, {"value", false}});
  // Written to the file: another process reads it.
  std::string status =
      testing::canvasfx_output({"--store", store.path.string(), "store", "status"});
  EXPECT_NE(status.find("NotConnected"), std::string::npos) << status;
  EXPECT_EQ(property("GlobeIcon", "Icon"), "Icon.GlobeNotConnected");
  // Offline, a sync waits for the network.
  json refused = post_event({{"kind", "device"}, {"action", "sync"}}, 409);
  EXPECT_NE(refused["error"].get<std::string>().find("offline"), std::string::npos);
  post_event({{"kind", "device"}, {"set", "connected"}, {"value", true}});
  post_event({{"kind", "device"}, {"action", "sync"}});
  EXPECT_EQ(property("GlobeIcon", "Icon"), "Icon.GlobeRefresh");
  // The web player: Host.OfflineEnabled is false there, so the globe hides.
  post_event({{"kind", "device"}, {"set", "player"}, {"value", "web"}});
  EXPECT_EQ(property("GlobeIcon", "Visible"), false);
  post_event({{"kind", "device"}, {"set", "player"}, {"value", "tv"}}, 409);
}

TEST_F(PlayServerTest, SyncErrorsOfAnotherProcessReachTheDevicePanel) {
  EventStreamClient events(server->port(), server->token());
  auto first =
      events.wait_for([](const auto& e) { return e.name == "device"; }, std::chrono::seconds(10));
  ASSERT_TRUE(first);
  EXPECT_EQ(json::parse(first->data)["syncErrorCount"], 0);
  const std::string path = store.path.string();
  ASSERT_EQ(testing::run_canvasfx({"--store", path, "store", "sync", "begin"}), 0);
  ASSERT_EQ(testing::run_canvasfx({"--store", path, "store", "sync", "end", "--error",
                                   "Accounts:The record was changed on the server"}),
            0);
  auto device = events.wait_for(
      [](const auto& e) {
        return e.name == "device" && json::parse(e.data)["syncErrorCount"] == 1;
      },
      std::chrono::seconds(10));
  ASSERT_TRUE(device) << events.received().back().data
                      << testing::canvasfx_output({"--store", path, "store", "status"});
  json figures = json::parse(device->data);
  EXPECT_EQ(figures["syncErrors"][0]["table"], "Accounts");
  EXPECT_EQ(figures["syncErrors"][0]["message"], "The record was changed on the server");
  EXPECT_EQ(figures["state"], "ConnectedError");
  EXPECT_EQ(property("GlobeIcon", "Icon"), "Icon.GlobeError");
}

// Notify with its type and timeout, Launch (web pages only) and Exit reach
// the page as host events; after Exit the session refuses events and ends.
TEST(PlayHostSurfaces, NotifyLaunchAndExitBecomeHostEvents) {
  TempStore store;
  PlayOptions options;
  options.app_path = std::filesystem::path(CANVASFX_SOURCE_DIR) / "tests/web/apps/host-surfaces";
  options.store_path = store.path;
  auto server = PlayServer::create(options);
  server->start();
  httplib::Client http("127.0.0.1", server->port());
  auto select = [&](const std::string& control) {
    json event = {{"kind", "select"}, {"control", control}};
    return http.Post("/api/event?token=" + server->token(), event.dump(), "application/json");
  };
  EventStreamClient events(server->port(), server->token());
  ASSERT_TRUE(
      events.wait_for([](const auto& e) { return e.name == "screen"; }, std::chrono::seconds(10)));
  auto next_host = [&] {
    auto e =
        events.wait_for([](const auto& e) { return e.name == "host"; }, std::chrono::seconds(10));
    return e ? json::parse(e->data) : json();
  };
  ASSERT_EQ(select("WarnButton")->status, 200);
  EXPECT_EQ(next_host(), json({{"kind", "notify"},
                               {"type", "Warning"},
                               {"text", "Low on storage"},
                               {"timeout", 2500}}));
  ASSERT_EQ(select("LaunchButton")->status, 200);
  EXPECT_EQ(next_host(), json({{"kind", "launch"}, {"url", "https://example.com/docs?page=1"}}));
  // A script URL is never opened: the page shows why instead.
  ASSERT_EQ(select("ScriptLaunchButton")->status, 200);
  json refused = next_host();
  EXPECT_EQ(refused["kind"], "notify");
  EXPECT_EQ(refused["type"], "Error");
  ASSERT_EQ(select("ExitButton")->status, 200);
  EXPECT_EQ(next_host(), json({{"kind", "exit"}}));
  auto after = select("WarnButton");
  if (after) EXPECT_EQ(after->status, 410);  // or already gone: the server ends after Exit
  server->stop();
}

// The command itself, as a user starts it: it prints the URL, serves the app
// on loopback with its token, and ends cleanly on Ctrl-C.
TEST(PlayCommand, ServesTheAppUntilInterrupted) {
  TempStore store;
  testing::PlayProcess play({"play", std::string(CANVASFX_SOURCE_DIR) + "/examples/offline-app",
                             "--store", store.path.string()});
  ASSERT_FALSE(play.url().empty()) << play.printed();
  EXPECT_EQ(play.token().size(), 32u);
  httplib::Client http("127.0.0.1", play.port());
  http.set_read_timeout(std::chrono::seconds(30));
  auto screen = http.Get("/api/screen?token=" + play.token());
  ASSERT_TRUE(screen);
  ASSERT_EQ(screen->status, 200);
  json view = json::parse(screen->body);
  const json* globe = testing::find_control(view, "GlobeIcon");
  ASSERT_NE(globe, nullptr);
  EXPECT_EQ((*globe)["properties"]["Icon"], "Icon.Globe");
  EXPECT_EQ(http.Get("/api/screen")->status, 403);
  // Another process takes the device offline: the stream carries the new icon.
  EventStreamClient events(play.port(), play.token());
  ASSERT_TRUE(
      events.wait_for([](const auto& e) { return e.name == "screen"; }, std::chrono::seconds(30)));
  ASSERT_EQ(
      testing::run_canvasfx({"--store", store.path.string(), "store", "set", "connected", "false"}),
      0);
  EXPECT_TRUE(events.wait_for(
      [](const auto& e) {
        return e.name == "patch" && e.data.find("Icon.GlobeNotConnected") != std::string::npos;
      },
      std::chrono::seconds(30)));
  play.interrupt();
  EXPECT_EQ(play.wait_exit(std::chrono::seconds(30)), std::optional<int>(0));
}

TEST_F(PlayServerTest, MalformedEventsAreRefusedWithAReason) {
  auto not_json = http->Post(with_token("/api/event"), "{", "application/json");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);
  auto form =
      http->Post(with_token("/api/event"), "kind=select", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  post_event(json::array(), 400);
  post_event({{"kind", "select"}}, 400);
  post_event({{"kind", "teleport"}, {"control", "GlobeIcon"}}, 400);
  post_event({{"kind", "input"}, {"control", "SearchBox"}, {"value", "x"}, {"type", "date"}}, 400);
  // An unknown control is no error of the page's: nothing happens.
  post_event({{"kind", "select"}, {"control", "NoSuchControl"}});
}

}  // namespace
}  // namespace canvasfx::web
