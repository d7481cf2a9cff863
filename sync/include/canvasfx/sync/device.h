// The device's sync engine: syncs a host::Store with a sync server.
//
// One run (DeviceSync::run):
//
//   1. takes the store's sync lock (a second engine on the same store gives
//      up at once); a run left "running" by an engine that was killed is
//      ended as failed ("interrupted");
//   2. does nothing when the device is offline (`store set connected false`);
//   3. records a sync run (Connection.Sync is ConnectedRefresh meanwhile);
//   4. fetches the published profile; when it differs from the store's, the
//      queue goes up first and the new profile is applied (a full sync follows);
//   5. upsync: the queue, in order, in batches; each change carries the row's
//      base version and an id (device id : queue id) that the server
//      remembers. Accepted changes leave the queue; a rejected change leaves
//      it too, its row is put back to the server's version, and it becomes a
//      sync error (time, table, record, action, message, code);
//   6. downsync: each table whose interval has passed (or all, when forced,
//      and any table with a pass in progress) runs a pass (protocol.h):
//      pages applied each in one transaction with the pass state they bring,
//      so a killed run resumes where it stopped;
//   7. ends the run: failed when the server could not be reached, the device
//      went offline, or a change was rejected (its table failed).
//
// Network and server failures never throw: they end the run as failed and
// are in the report and in the store's sync errors.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "canvasfx/host/store.h"

namespace canvasfx::sync {

struct SyncProgressEvent {
  std::string table;
  std::string phase;  // "upload", "rows", "removals", "check"
  int64_t done = 0;
  int64_t total = 0;  // 0 when unknown
};

struct DeviceSyncOptions {
  std::string server_url;  // http://127.0.0.1:PORT
  std::string user;        // the user the token belongs to (a store syncs for one user)
  std::string token;
  std::string profile;  // the profile to sync ("" : the store's, else the latest published)
  bool force = false;   // sync every table, whatever its interval
  bool upload_only = false;
  int page_size = 1000;
  int push_batch = 100;
  int timeout_seconds = 120;
  std::function<void(const SyncProgressEvent&)> progress;
};

struct TableSyncReport {
  std::string table;
  bool synced = false;  // false: not due yet (its interval has not passed)
  bool full = false;    // a full pass ran
  int64_t downloaded = 0, removed = 0;
};

struct DeviceSyncReport {
  bool ok = false;
  bool started = false;  // a sync run was recorded (false: offline, locked, refused)
  std::string error;     // why it failed
  int64_t uploaded = 0, rejected = 0;
  std::vector<TableSyncReport> tables;
};

class DeviceSync {
 public:
  DeviceSync(host::Store& store, DeviceSyncOptions options);
  DeviceSyncReport run();

 private:
  host::Store& store_;
  DeviceSyncOptions options_;
};

}  // namespace canvasfx::sync
