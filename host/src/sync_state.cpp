// Derived sync state (sync_state.h): Connection.Sync, warnings,
// Host.OfflineEnabled and the device status page.
#include "canvasfx/host/sync_state.h"

#include <fmt/format.h>

#include <ctime>

namespace canvasfx::host {

namespace {

struct SyncName {
  const char* name;
  const char* meaning;
};

// OFFLINE.md, "ConnectionSync – exactly nine members".
constexpr SyncName kSyncNames[kConnectionSyncCount] = {
    {"Connected", "online, ready to work offline"},
    {"ConnectedWithWarning", "online, with a warning"},
    {"ConnectedPendingUpsync", "online, local changes wait to be uploaded"},
    {"ConnectedError", "online, the last sync attempt failed"},
    {"ConnectedRefresh", "online, a sync is running"},
    {"NotConnected", "offline"},
    {"NotConnectedWithWarning", "offline, with a warning from the last sync"},
    {"NotConnectedPendingUpsync", "offline, local changes wait to be uploaded"},
    {"NotConnectedSyncError", "offline, the last sync failed"},
};

constexpr int64_t kMinuteMs = 60'000;

}  // namespace

const char* connection_sync_name(ConnectionSync s) { return kSyncNames[static_cast<int>(s)].name; }
const char* connection_sync_meaning(ConnectionSync s) {
  return kSyncNames[static_cast<int>(s)].meaning;
}

// ---------------------------------------------------------------- warnings

std::vector<Warning> compute_warnings(const WarningInputs& in) {
  std::vector<Warning> out;
  std::vector<std::string> never;
  int64_t records = 0;
  for (const auto& t : in.tables) {
    records += t.rows;
    if (!t.last_synced_at) never.push_back(t.name);
  }
  if (!never.empty()) {
    std::string list;
    for (const auto& n : never) list += (list.empty() ? "'" : ", '") + n + "'";
    out.push_back({WarningKind::InitialSyncIncomplete, "", "initial-sync-incomplete",
                   fmt::format("The initial sync has not completed: {} never synced.", list)});
  }
  for (const auto& t : in.tables) {
    if (!t.last_synced_at) continue;
    int64_t limit = 2 * static_cast<int64_t>(t.sync_interval_minutes) * kMinuteMs;
    if (in.now - *t.last_synced_at > limit)
      out.push_back({WarningKind::TableOverdue, t.name, "table-overdue",
                     fmt::format("Table '{}' has not synced within twice its sync interval ({}).",
                                 t.name, format_interval(t.sync_interval_minutes))});
  }
  if (records > kRecordHardLimit)
    out.push_back({WarningKind::HardLimitExceeded, "", "hard-limit-exceeded",
                   fmt::format("{} records are on the device, more than the hard limit of "
                               "3,000,000.",
                               records)});
  else if (records > kRecordGuideline)
    out.push_back({WarningKind::TooManyRecords, "", "too-many-records",
                   fmt::format("{} records are on the device, more than the recommended "
                               "200,000.",
                               records)});
  if (in.storage_bytes > kStorageGuidelineBytes)
    out.push_back({WarningKind::TooMuchData, "", "too-much-data",
                   fmt::format("The app stores {} on the device, more than the recommended 1 GB.",
                               format_bytes(in.storage_bytes))});
  for (const auto& w : in.recorded)
    out.push_back({WarningKind::Recorded, w.table, w.code, w.message});
  return out;
}

WarningInputs warning_inputs_of(const Store& store) {
  WarningInputs in;
  in.now = store.now();
  for (const auto& t : store.table_infos())
    in.tables.push_back({t.schema.name, t.schema.sync_interval_minutes, t.last_synced_at, t.rows});
  in.storage_bytes = store.storage_bytes();
  in.recorded = store.recorded_warnings();
  return in;
}

// ---------------------------------------------------------------- Connection.Sync

ConnectionSync derive_connection_sync(const SyncStateInputs& in) {
  using S = ConnectionSync;
  const bool c = in.connected;
  if (c && in.sync_running) return S::ConnectedRefresh;
  if (in.last_sync_unresolved_errors > 0) return c ? S::ConnectedError : S::NotConnectedSyncError;
  if (in.pending_upsync > 0) return c ? S::ConnectedPendingUpsync : S::NotConnectedPendingUpsync;
  if (in.active_warnings > 0) return c ? S::ConnectedWithWarning : S::NotConnectedWithWarning;
  return c ? S::Connected : S::NotConnected;
}

SyncStateInputs sync_state_inputs_of(const Store& store) {
  SyncStateInputs in;
  in.connected = store.device_state().connected;
  in.sync_running = store.running_sync().has_value();
  in.last_sync_unresolved_errors = static_cast<int64_t>(store.last_sync_errors().size());
  in.pending_upsync = store.queue_size();
  in.active_warnings = static_cast<int64_t>(compute_warnings(warning_inputs_of(store)).size());
  return in;
}

ConnectionSync connection_sync_of(const Store& store) {
  return derive_connection_sync(sync_state_inputs_of(store));
}

// ---------------------------------------------------------------- Host.OfflineEnabled

bool host_offline_enabled(bool app_offline_enabled, PlayerKind player) {
  return app_offline_enabled && player != PlayerKind::Web;
}

bool host_offline_enabled_of(const Store& store) {
  return host_offline_enabled(store.app_settings().offline_enabled, store.device_state().player);
}

// ---------------------------------------------------------------- device status page

PendingChanges pending_changes(const std::vector<QueueEntry>& queue) {
  PendingChanges p;
  for (const auto& e : queue) {
    if (e.content == QueueContent::File)
      ++p.files;
    else if (e.content == QueueContent::Image)
      ++p.images;
    else if (e.action == QueueAction::Create)
      ++p.added;
    else if (e.action == QueueAction::Update)
      ++p.updated;
    else
      ++p.removed;
  }
  return p;
}

DeviceStatus device_status_of(const Store& store) {
  DeviceStatus s;
  auto infos = store.table_infos();
  WarningInputs win;
  win.now = store.now();
  for (const auto& t : infos) {
    win.tables.push_back({t.schema.name, t.schema.sync_interval_minutes, t.last_synced_at, t.rows});
    s.tables.push_back({t.schema.name, t.rows, t.last_synced_at, t.schema.sync_interval_minutes});
  }
  s.storage_bytes = store.storage_bytes();
  win.storage_bytes = s.storage_bytes;
  win.recorded = store.recorded_warnings();
  s.warnings = compute_warnings(win);

  SyncStateInputs in;
  in.connected = store.device_state().connected;
  auto running = store.running_sync();
  in.sync_running = running.has_value();
  in.last_sync_unresolved_errors = static_cast<int64_t>(store.last_sync_errors().size());
  auto queue = store.queue();
  in.pending_upsync = static_cast<int64_t>(queue.size());
  in.active_warnings = static_cast<int64_t>(s.warnings.size());
  s.state = derive_connection_sync(in);
  s.state_name = connection_sync_name(s.state);
  s.meaning = connection_sync_meaning(s.state);
  s.offline_enabled = host_offline_enabled_of(store);
  s.profile_name = store.app_settings().profile_name;
  if (auto last = store.last_completed_sync()) s.last_sync = last->ended_at;
  s.sync_running = in.sync_running;
  if (s.sync_running) s.progress = sync_progress(store);
  s.pending = pending_changes(queue);
  s.errors = store.sync_errors(/*unresolved_only=*/true);
  return s;
}

std::string format_utc(std::optional<int64_t> utc_ms) {
  if (!utc_ms) return "never";
  std::time_t secs = static_cast<std::time_t>(*utc_ms / 1000 - (*utc_ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string format_bytes(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  const char* units[] = {"KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = -1;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    ++u;
  }
  return fmt::format("{:.1f} {}", v, units[u]);
}

std::string format_interval(int minutes) {
  if (minutes % 1440 == 0)
    return fmt::format("{} day{}", minutes / 1440, minutes == 1440 ? "" : "s");
  if (minutes < 60) return fmt::format("{} min", minutes);
  if (minutes % 60 == 0) return fmt::format("{} h", minutes / 60);
  return fmt::format("{} h {} min", minutes / 60, minutes % 60);
}

std::string render_device_status(const DeviceStatus& s) {
  std::string out;
  auto line = [&]<typename... Args>(fmt::format_string<Args...> f, Args&&... args) {
    out += fmt::format(f, std::forward<Args>(args)...);
    out += '\n';
  };
  line("Device status");
  line("  Status:       {} ({})", s.state_name, s.meaning);
  if (!s.profile_name.empty()) line("  Profile:      {}", s.profile_name);
  line("  Last sync:    {}{}", format_utc(s.last_sync),
       s.sync_running ? " (a sync is running)" : "");
  for (const auto& p : s.progress)
    line("  Downloading:  {} {} of {} rows", p.table, p.done, p.total);
  line("  Storage used: {}", format_bytes(s.storage_bytes));
  line("");
  line("Pending changes: {}", s.pending.total());
  line("  Rows added {}, updated {}, removed {}; files {}, images {}", s.pending.added,
       s.pending.updated, s.pending.removed, s.pending.files, s.pending.images);
  line("");
  line("Sync errors: {}", s.errors.size());
  for (const auto& e : s.errors) {
    line("  {}  {} {} ({}): {}{}", format_utc(e.error_time), e.table.empty() ? "-" : e.table,
         e.record_id.empty() ? "-" : e.record_id, e.action ? queue_action_name(*e.action) : "-",
         e.message, e.error_code.empty() ? "" : fmt::format(" [{}]", e.error_code));
  }
  if (!s.warnings.empty()) {
    line("");
    line("Warnings: {}", s.warnings.size());
    for (const auto& w : s.warnings) line("  {}", w.message);
  }
  line("");
  line("Tables: {}", s.tables.size());
  size_t width = 5;
  for (const auto& t : s.tables) width = std::max(width, t.name.size());
  line("  {:<{}}  {:>9}  {:<21}  {}", "Table", width, "Rows", "Last sync", "Interval");
  for (const auto& t : s.tables)
    line("  {:<{}}  {:>9}  {:<21}  {}", t.name, width, t.rows, format_utc(t.last_synced_at),
         format_interval(t.sync_interval_minutes));
  return out;
}

}  // namespace canvasfx::host
