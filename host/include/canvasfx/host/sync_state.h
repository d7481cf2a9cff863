// State derived from the sync store: Connection.Sync, sync warnings,
// Host.OfflineEnabled and the device status page (ShowHostInfo(HostInfo.OfflineSync)).
//
// The derivations are pure functions over small input structs so that every
// rule of OFFLINE.md can be tested in a table; the *_of(store) helpers read the
// inputs from a Store. The Power Fx signals (Connection.Sync, Host.*) are thin
// wrappers over these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "canvasfx/host/store.h"
#include "canvasfx/host/sync_journal.h"

namespace canvasfx::host {

// The ConnectionSync enum: exactly nine members, in the order of OFFLINE.md.
enum class ConnectionSync : uint8_t {
  Connected,
  ConnectedWithWarning,
  ConnectedPendingUpsync,
  ConnectedError,
  ConnectedRefresh,
  NotConnected,
  NotConnectedWithWarning,
  NotConnectedPendingUpsync,
  NotConnectedSyncError,
};
inline constexpr int kConnectionSyncCount = 9;
const char* connection_sync_name(ConnectionSync s);     // "ConnectedPendingUpsync"
const char* connection_sync_meaning(ConnectionSync s);  // "online, local changes wait ..."

// ---------------------------------------------------------------- warnings

enum class WarningKind : uint8_t {
  TableOverdue,           // not synced within twice its sync interval
  InitialSyncIncomplete,  // a profile table was never synced
  TooManyRecords,         // more than 200,000 records on the device
  TooMuchData,            // more than 1 GB on the device
  HardLimitExceeded,      // more than 3,000,000 records (the hard limit)
  Recorded,               // recorded by the sync engine (SyncWarning)
};

inline constexpr int64_t kRecordGuideline = 200'000;
inline constexpr int64_t kRecordHardLimit = 3'000'000;
inline constexpr int64_t kStorageGuidelineBytes = 1'000'000'000;  // 1 GB

struct Warning {
  WarningKind kind;
  std::string table;    // "" when store-wide
  std::string code;     // "table-overdue", "initial-sync-incomplete", "too-many-records",
                        // "too-much-data", "hard-limit-exceeded", or a recorded code
  std::string message;  // exact, stable text
  friend bool operator==(const Warning&, const Warning&) = default;
};

struct TableSyncFacts {
  std::string name;
  int sync_interval_minutes = 5;
  std::optional<int64_t> last_synced_at;  // ms UTC
  int64_t rows = 0;
};

struct WarningInputs {
  int64_t now = 0;  // ms UTC
  std::vector<TableSyncFacts> tables;
  int64_t storage_bytes = 0;
  std::vector<SyncWarning> recorded;  // from the last completed run
};

// Warnings in a stable order: initial sync, per table overdue (profile order),
// record counts, storage, then recorded ones.
std::vector<Warning> compute_warnings(const WarningInputs& in);
WarningInputs warning_inputs_of(const Store& store);

// ---------------------------------------------------------------- Connection.Sync

struct SyncStateInputs {
  bool connected = true;
  bool sync_running = false;
  int64_t last_sync_unresolved_errors = 0;
  int64_t pending_upsync = 0;
  int64_t active_warnings = 0;
};

// OFFLINE.md order, first match wins:
//   1. connected and a sync is running     -> ConnectedRefresh
//   2. unresolved errors from the last sync -> ConnectedError / NotConnectedSyncError
//   3. pending upsync changes               -> ConnectedPendingUpsync / NotConnectedPendingUpsync
//   4. active warnings                      -> ConnectedWithWarning / NotConnectedWithWarning
//   5. otherwise                            -> Connected / NotConnected
ConnectionSync derive_connection_sync(const SyncStateInputs& in);
SyncStateInputs sync_state_inputs_of(const Store& store);
ConnectionSync connection_sync_of(const Store& store);

// ---------------------------------------------------------------- Host.OfflineEnabled

// False for apps not enabled for offline; for offline apps false in the web
// player, true in native players and in Studio.
bool host_offline_enabled(bool app_offline_enabled, PlayerKind player);
bool host_offline_enabled_of(const Store& store);

// ---------------------------------------------------------------- device status page

struct PendingChanges {
  int64_t added = 0;
  int64_t updated = 0;
  int64_t removed = 0;
  int64_t files = 0;
  int64_t images = 0;
  int64_t total() const { return added + updated + removed + files + images; }
};
PendingChanges pending_changes(const std::vector<QueueEntry>& queue);

struct TableStatus {
  std::string name;
  int64_t rows = 0;
  std::optional<int64_t> last_synced_at;
  int sync_interval_minutes = 5;
};

struct DeviceStatus {
  ConnectionSync state = ConnectionSync::Connected;
  std::string state_name;
  std::string meaning;
  bool offline_enabled = false;  // Host.OfflineEnabled
  std::string profile_name;
  std::optional<int64_t> last_sync;  // end of the last completed run
  bool sync_running = false;
  std::vector<SyncProgress> progress;  // tables a running sync is downloading
  PendingChanges pending;
  std::vector<SyncError> errors;  // unresolved, newest first
  std::vector<Warning> warnings;
  std::vector<TableStatus> tables;
  int64_t storage_bytes = 0;
};

DeviceStatus device_status_of(const Store& store);
// The page as plain text (the REPL prints this for ShowHostInfo).
std::string render_device_status(const DeviceStatus& status);

// "2024-05-01 12:00:00Z"; "never" for nullopt.
std::string format_utc(std::optional<int64_t> utc_ms);
// "512 B", "1.5 KB", "3.2 MB", "1.0 GB" (powers of 1024).
std::string format_bytes(int64_t bytes);
// "5 min", "1 h", "1 h 30 min", "1 day".
std::string format_interval(int minutes);

}  // namespace canvasfx::host
