// One running app behind the web player: the runtime over the sync store, the
// view last sent to the pages, the device panel, and the host surfaces
// (Notify, ShowHostInfo, Launch, Exit) turned into `host` events.
//
// The runtime is not thread-safe; every public member takes the session's
// lock, so HTTP handlers and the poller may call them from any thread.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "canvasfx/host/store.h"
#include "canvasfx/player/runtime.h"
#include "canvasfx/web/play_server.h"
#include "device_panel.h"
#include "event_bus.h"
#include "view_json.h"

namespace canvasfx::web {

class Session {
 public:
  // Galleries show at most this many rows (a page of a long list, as a player
  // loads them); the rest is counted in "rowCount".
  static constexpr size_t kMaxGalleryRows = 100;

  // Loads the app and starts it (App.OnStart, the start screen). Throws PlayError.
  Session(const PlayOptions& options, EventBus& bus);
  ~Session();

  const std::vector<player::AppDiagnostic>& diagnostics() const { return diagnostics_; }

  // GET /api/screen: the active screen, freshly computed.
  nlohmann::json screen();
  // A new event stream: subscribed with the current screen and device figures
  // as its first messages (under the lock, so no patch falls in between).
  std::optional<int> subscribe();

  struct EventResult {
    int status = 200;  // 400: a malformed event, 409: the device refused, 410: the app exited
    nlohmann::json body;
  };
  // POST /api/event: {"kind": "select"|"text"|"toggle"|"input"|"navigate", "control",
  // "row"?, "text"?, "value"?, "type"?, "screen"?} or {"kind": "device", ...} (DevicePanel).
  EventResult event(const nlohmann::json& event);
  // The poller: store changes made by other processes, timers, a running "sync now".
  void tick(std::chrono::milliseconds elapsed);

  // The file of a media name the app carries, if it has one on disk.
  std::optional<std::filesystem::path> media_file(std::string_view name) const;
  bool exited() const { return exited_; }
  // The sequence number of the last screen or patch event sent.
  uint64_t sequence() const { return sequence_; }

 private:
  void install_host_surfaces();
  void publish_changes(bool force_screen = false);
  void publish_device(bool force = false);
  void publish_host(nlohmann::json message);
  std::vector<BusMessage> snapshot();

  std::mutex mutex_;
  EventBus& bus_;
  PlayOptions options_;
  std::unique_ptr<host::Store> store_;
  std::unique_ptr<player::Runtime> runtime_;
  std::unique_ptr<DevicePanel> panel_;
  std::vector<player::AppDiagnostic> diagnostics_;
  std::map<std::string, SourceFacts, std::less<>> facts_;
  ScreenView sent_;  // what the pages show
  nlohmann::json device_sent_;
  std::atomic<uint64_t> sequence_{0};
  std::atomic<bool> exited_{false};
};

}  // namespace canvasfx::web
