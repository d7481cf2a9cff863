// The device panel beside the app's canvas: the figures of the sync store
// (online, metered, player kind, pending changes, sync errors, the sync state) and the
// actions that change them. The panel has a store connection of its own and
// writes exactly what `canvasfx store set` / `store sync` write from another
// process, so the running app sees the change the way it sees any other:
// through the runtime's polling of the store.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "canvasfx/host/store.h"

namespace canvasfx::web {

class DevicePanel {
 public:
  // `sync_shown`: how long a "sync now" run stays running, so that the app
  // can show it (Connection.Sync is ConnectedRefresh meanwhile).
  DevicePanel(const std::filesystem::path& store_path, std::chrono::milliseconds sync_shown);

  // The newest unresolved sync errors the panel lists (it counts them all).
  static constexpr size_t kErrorsShown = 5;

  // {"connected", "metered", "player", "appOfflineEnabled", "hostOfflineEnabled",
  //  "pending", "syncRunning", "syncErrorCount", "syncErrors": [{"time", "table",
  //  "message"}], "state"}
  nlohmann::json figures() const;
  // {"set": "connected"|"metered"|"offline", "value": BOOL}, {"set": "player",
  // "value": "native"|"web"|"studio"} or {"action": "sync"}. Returns "" or why not.
  std::string apply(const nlohmann::json& action);
  // Ends a "sync now" run that has been shown long enough; true when it did.
  bool tick(std::chrono::steady_clock::time_point now);

 private:
  std::unique_ptr<host::Store> store_;
  std::chrono::milliseconds sync_shown_;
  std::optional<int64_t> sync_run_;
  std::chrono::steady_clock::time_point sync_started_;
};

}  // namespace canvasfx::web
