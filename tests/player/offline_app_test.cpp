// The offline example app (examples/offline-app), as a user and the device
// would drive it: the globe icon follows the sync store, written by another
// process; the search box filters the gallery; a form submitted offline
// becomes a pending change.
#include <chrono>
#include <cstdlib>
#include <thread>

#include "player_fixture.h"

namespace canvasfx::player::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path example() { return fs::path(CANVASFX_SOURCE_DIR) / "examples" / "offline-app"; }

class OfflineApp : public ::testing::Test {
 protected:
  OfflineApp() {
    store_path_ = dir_.path() / "store.db";
    store_ = host::Store::open(store_path_, host::OpenOptions{.create = true, .seed_demo = true});
    // An app enabled for offline use, on a native player: the icon is visible.
    host::AppSettings settings = store_->app_settings();
    settings.offline_enabled = true;
    store_->set_app_settings(settings);
    host::DeviceState device = store_->device_state();
    device.player = host::PlayerKind::Native;
    store_->set_device_state(device);
    RuntimeOptions options;
    options.store = store_.get();
    options.output = [this](const std::string& line) { output_ += line + "\n"; };
    runtime_ = Runtime::create(load_app(example()), options);
  }

  std::string value(const std::string& control, const std::string& property, int row = -1) {
    return print_value(runtime_->value(control, property, row));
  }

  // `canvasfx store set ...` in another process, as a sync engine or the OS would.
  void store_set_elsewhere(const std::string& what, const std::string& value) {
    std::string command = std::string(CANVASFX_BINARY) + " --store '" + store_path_.string() +
                          "' store set " + what + " " + value;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  TempDir dir_;
  fs::path store_path_;
  std::unique_ptr<host::Store> store_;
  std::unique_ptr<Runtime> runtime_;
  std::string output_;
};

TEST_F(OfflineApp, ChecksWithoutErrors) { EXPECT_EQ(errors_of(*runtime_), ""); }

TEST_F(OfflineApp, GlobeFollowsAnotherProcessWithinASecond) {
  runtime_->start();
  EXPECT_EQ(runtime_->active_screen(), "HomeScreen");
  EXPECT_EQ(value("GlobeIcon", "Visible"), "true");
  EXPECT_EQ(value("GlobeIcon", "Icon"), "Icon.Globe");
  EXPECT_EQ(value("AccountName", "Text", 0).front(), '"');  // the gallery is shown too
  runtime_->poll();                                         // nothing changed yet

  store_set_elsewhere("connected", "false");
  auto start = Clock::now();
  std::vector<std::string> recomputed;
  std::vector<PropertyRef> changed;
  // A shell polls a few times a second; the change must arrive within one.
  while (Clock::now() - start < std::chrono::seconds(1)) {
    changed = runtime_->poll();
    if (!changed.empty()) {
      recomputed = runtime_->stats().last_recomputed;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto elapsed = Clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(1));
  EXPECT_EQ(value("GlobeIcon", "Icon"), "Icon.GlobeNotConnected");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].text(), "GlobeIcon.Icon");
  // Only what reads Connection was recomputed: not the gallery, not the search.
  EXPECT_EQ(recomputed, std::vector<std::string>{"HomeScreen.GlobeIcon.Icon"});
}

TEST_F(OfflineApp, TypingIntoTheSearchBoxChangesTheGalleryItems) {
  runtime_->start();
  std::string first = value("AccountName", "Text", 0);
  std::string count = value("AccountsGallery", "AllItemsCount");
  EXPECT_EQ(count, "10");
  auto changed = runtime_->type_text("SearchBox", "Contoso");
  bool items_changed = false;
  for (const auto& p : changed)
    items_changed = items_changed || p.text() == "AccountsGallery.Items";
  EXPECT_TRUE(items_changed);
  std::string now = value("AccountName", "Text", 0);
  EXPECT_NE(now, first);
  EXPECT_EQ(now.rfind("\"Contoso", 0), 0u) << now;
  // A search nothing matches empties the gallery.
  runtime_->type_text("SearchBox", "zzz-nothing");
  EXPECT_EQ(value("AccountsGallery", "AllItemsCount"), "0");
}

TEST_F(OfflineApp, SubmittingOfflineQueuesAPendingChange) {
  runtime_->start();
  store_->set_connected(false);
  runtime_->poll();
  EXPECT_EQ(value("GlobeIcon", "Icon"), "Icon.GlobeNotConnected");
  int64_t queued = store_->queue_size();
  // Pick an account, edit its city, save.
  runtime_->set_input("AccountsGallery", Value::number(2));
  runtime_->select("AccountsGallery", 2);
  EXPECT_EQ(runtime_->active_screen(), "EditScreen");
  std::string name = value("AccountsGallery", "Selected");
  EXPECT_EQ(value("NameValue", "Text"), print_value(runtime_->value("AccountName", "Text", 2)));
  runtime_->type_text("CityValue", "Reykjavik");
  EXPECT_EQ(value("AccountForm", "Unsaved"), "true");
  runtime_->select("SaveButton");
  EXPECT_EQ(store_->queue_size(), queued + 1) << output_;
  auto entry = store_->queue().back();
  EXPECT_EQ(entry.table, "Accounts");
  EXPECT_NE(entry.changes_json.find("Reykjavik"), std::string::npos);
  // OnSuccess went back; the icon says a change waits to be uploaded.
  EXPECT_EQ(runtime_->active_screen(), "HomeScreen");
  EXPECT_EQ(value("GlobeIcon", "Icon"), "Icon.GlobeChangesPending");
  EXPECT_EQ(value("PendingButton", "Text"), "\"Pending (" + std::to_string(queued + 1) + ")\"");
  EXPECT_NE(output_.find("Saved on this device"), std::string::npos);
}

TEST_F(OfflineApp, NewRecordOffline) {
  runtime_->start();
  store_->set_connected(false);
  runtime_->poll();
  runtime_->select("NewButton");
  EXPECT_EQ(runtime_->active_screen(), "EditScreen");
  EXPECT_EQ(value("AccountForm", "Mode"), "FormMode.New");
  EXPECT_EQ(value("SaveButton", "DisplayMode"), value("SaveButton", "DisplayMode"));
  EXPECT_EQ(value("AccountForm", "Valid"), "false");  // Name is required
  runtime_->type_text("NameValue", "Zeta Offline Ltd");
  runtime_->type_text("CityValue", "Oslo");
  EXPECT_EQ(value("AccountForm", "Valid"), "true");
  int64_t before = store_->count_rows("Accounts");
  runtime_->select("SaveButton");
  EXPECT_EQ(store_->count_rows("Accounts"), before + 1) << output_;
  EXPECT_EQ(store_->queue().back().action, host::QueueAction::Create);
  runtime_->select("PendingButton");
  EXPECT_EQ(runtime_->active_screen(), "PendingScreen");
  EXPECT_EQ(value("PendingGallery", "AllItemsCount"), "1");
}

}  // namespace
}  // namespace canvasfx::player::testing
