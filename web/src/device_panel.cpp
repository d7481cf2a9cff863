// The device panel (device_panel.h).
#include "device_panel.h"

#include "canvasfx/host/sync_state.h"

namespace canvasfx::web {

DevicePanel::DevicePanel(const std::filesystem::path& store_path,
                         std::chrono::milliseconds sync_shown)
    : store_(host::Store::open(store_path, {.create = false})), sync_shown_(sync_shown) {}

nlohmann::json DevicePanel::figures() const {
  host::DeviceState d = store_->device_state();
  auto running = store_->running_sync();
  // The newest unresolved sync errors, as the device status page lists them.
  std::vector<host::SyncError> errors = store_->sync_errors(/*unresolved_only=*/true);
  nlohmann::json latest = nlohmann::json::array();
  for (size_t i = 0; i < errors.size() && i < kErrorsShown; ++i)
    latest.push_back({{"time", host::format_utc(errors[i].error_time)},
                      {"table", errors[i].table},
                      {"message", errors[i].message}});
  return {{"connected", d.connected},
          {"metered", d.metered},
          {"player", host::player_kind_name(d.player)},
          {"appOfflineEnabled", store_->app_settings().offline_enabled},
          {"hostOfflineEnabled", host::host_offline_enabled_of(*store_)},
          {"pending", store_->queue_size()},
          {"syncRunning", running.has_value()},
          {"syncErrorCount", errors.size()},
          {"syncErrors", std::move(latest)},
          {"state", host::connection_sync_name(host::connection_sync_of(*store_))}};
}

std::string DevicePanel::apply(const nlohmann::json& action) {
  if (action.contains("action")) {
    if (action["action"] != "sync") return "unknown device action";
    // A sync needs the network, as the sync engine does.
    if (!store_->device_state().connected) return "offline: a sync waits for the network";
    if (store_->running_sync()) return "a sync is already running";
    sync_run_ = store_->begin_sync();
    sync_started_ = std::chrono::steady_clock::now();
    return "";
  }
  if (!action.contains("set") || !action["set"].is_string() || !action.contains("value"))
    return "a device action needs set and value";
  const std::string what = action["set"];
  const nlohmann::json& value = action["value"];
  if (what == "player") {
    auto kind =
        value.is_string() ? host::parse_player_kind(value.get<std::string>()) : std::nullopt;
    if (!kind) return "the player is native, web or studio";
    host::DeviceState d = store_->device_state();
    d.player = *kind;
    store_->set_device_state(d);
    return "";
  }
  if (!value.is_boolean()) return what + " needs true or false";
  bool on = value.get<bool>();
  if (what == "connected") {
    store_->set_connected(on);
  } else if (what == "metered") {
    host::DeviceState d = store_->device_state();
    d.metered = on;
    store_->set_device_state(d);
  } else if (what == "offline") {
    host::AppSettings s = store_->app_settings();
    s.offline_enabled = on;
    store_->set_app_settings(s);
  } else {
    return "cannot set " + what;
  }
  return "";
}

bool DevicePanel::tick(std::chrono::steady_clock::time_point now) {
  if (!sync_run_ || now - sync_started_ < sync_shown_) return false;
  // Without a sync server the run transfers nothing; it records a completed
  // run for every table, as `canvasfx store sync end` does.
  host::SyncRunResult result;
  for (const auto& t : store_->tables()) result.tables.push_back({.table = t.name});
  store_->end_sync(*sync_run_, result);
  sync_run_.reset();
  return true;
}

}  // namespace canvasfx::web
