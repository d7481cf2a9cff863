// The sync engine's journal in the store: what a device must remember between
// syncs, and the writes a sync makes, each in one SQLite transaction so that a
// sync killed at any point leaves the store consistent and resumable.
//
//   - the binding: the server, the user and this device's id (the prefix of
//     the ids of its upsync changes);
//   - per table, its pass (TablePass): the watermark the last complete pass
//     reached, a pass in progress (from which version, its snapshot, its phase,
//     the key its last applied page ended at), the generation full passes mark
//     rows with, progress for the status page, when the last pass completed;
//   - per local row, the server version it holds (the base version of an
//     upsync change, the digest of a check).
//
// A downloaded page is applied with the pass state it brings (apply_page): a
// page is either entirely applied and recorded, or not at all. A row with a
// pending upsync change is never overwritten or removed by a download: the
// change goes up first, and the row comes back with the next pass.
//
// sync/ (the device engine) is the writer of all of this; the status page
// reads the progress (sync_progress).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/host/store.h"

namespace canvasfx::host {

struct SyncBinding {
  std::string url;
  std::string user;
  std::string device_id;  // a GUID made on first use
};
SyncBinding sync_binding(const Store& store);
void set_sync_binding(Store& store, const SyncBinding& binding);

struct TablePass {
  std::string table;
  int64_t watermark = 0;   // the version the last complete pass reached
  bool needs_full = true;  // the next pass sends every row (first sync, failed check)
  // A pass in progress (resumed by the next sync):
  std::optional<int64_t> since;      // the watermark it started from; nullopt: none
  int64_t snapshot = 0;              // the server's version when it started
  bool full = false;                 // a full pass (rows it does not bring are swept)
  std::string phase = "rows";        // "rows", "removals", "finish" (every page applied)
  std::optional<std::string> after;  // the last key of the last applied page
  int64_t generation = 0;            // full passes mark the rows they bring with it
  int64_t progress_done = 0, progress_total = 0;
  std::optional<int64_t> last_pass_at;  // ms UTC, the end of the last complete pass
};
// The table's pass state (a default one for a table never synced).
TablePass table_pass(const Store& store, std::string_view table);
void save_table_pass(Store& store, const TablePass& pass);

struct DownloadedRow {
  Row values;  // the key column and the downloaded columns
  int64_t version = 0;
};

struct PageOutcome {
  int64_t applied = 0;  // rows written or removed
  int64_t skipped = 0;  // rows left alone because they have pending upsync changes
};

// Applies one downloaded page during running sync run `run_id`, in one
// transaction: upserts `rows` and records their versions (and the pass's
// generation when it is a full pass), removes the rows of `removed`, and saves
// `pass` (the state after this page). Throws StoreError when the run is not
// running or a row does not fit the table.
PageOutcome apply_page(Store& store, int64_t run_id, const TablePass& pass,
                       const std::vector<DownloadedRow>& rows,
                       const std::vector<std::string>& removed);

// Ends a full pass: removes the local rows the pass did not bring (except
// rows with pending changes) and saves `pass`, in one transaction. Returns
// the number of rows removed.
int64_t sweep_full_pass(Store& store, int64_t run_id, const TablePass& pass);

// The server version a local row holds (nullopt: never downloaded or created).
std::optional<int64_t> row_version(const Store& store, std::string_view table,
                                   std::string_view record_id);
// Every local row of `table` that has no pending change, with its version (0
// when it has none): what a check's digest is computed from.
void each_synced_row(const Store& store, std::string_view table,
                     const std::function<void(const std::string& key, int64_t version)>& f);
bool has_pending_changes(const Store& store, std::string_view table);

// The server accepted queue entry `queue_id`: it leaves the queue and the row
// records the server's version (`version` nullopt: the row was deleted).
void accept_change(Store& store, const QueueEntry& entry, std::optional<int64_t> version);
// The server rejected it: it leaves the queue, the local row is put back to
// the server's row (`server_row`; nullopt: the user may not have the row, so
// it is removed) and the error is recorded with run `run_id`. One transaction.
void reject_change(Store& store, int64_t run_id, const QueueEntry& entry, const SyncError& error,
                   const std::optional<DownloadedRow>& server_row);

// Marks a running sync run that no process runs any more (its engine was
// killed) as failed, with an error saying so. No-op without such a run.
void fail_abandoned_sync(Store& store, int64_t run_id, const std::string& message);

// Progress of the tables a running sync is downloading, for the status page.
struct SyncProgress {
  std::string table;
  int64_t done = 0, total = 0;
};
std::vector<SyncProgress> sync_progress(const Store& store);

}  // namespace canvasfx::host
