// The sync engine's journal (sync_journal.h) over the store's SQLite database.
#include "canvasfx/host/sync_journal.h"

#include <fmt/format.h>

#include "store_impl.h"

namespace canvasfx::host {

namespace {

bool pending(const sql::Db& db, std::string_view table, std::string_view key) {
  auto st = db.prepare("SELECT 1 FROM _cfx_queue WHERE table_name = ?1 AND record_id = ?2 LIMIT 1");
  st.bind_all(table, key);
  return st.step();
}

void require_running(const sql::Db& db, int64_t run_id) {
  auto st = db.prepare("SELECT outcome FROM _cfx_sync_runs WHERE id = ?1");
  st.bind_all(run_id);
  if (!st.step() || st.text(0) != "running")
    throw StoreError(fmt::format("sync run {} is not running", run_id));
}

std::string key_text(const TableSchema& t, const Row& row) {
  for (const auto& [name, cell] : row)
    if (t.column(name) == t.column(t.key_column))
      if (auto* s = std::get_if<std::string>(&cell)) return *s;
  throw StoreError(fmt::format("a downloaded row of '{}' has no key", t.name));
}

void set_version(sql::Db& db, const std::string& table, const std::string& key, int64_t version,
                 int64_t generation) {
  db.prepare(
        "INSERT INTO _cfx_sync_rows (table_name, record_id, version, generation) VALUES (?1, ?2, "
        "?3, ?4) ON CONFLICT (table_name, record_id) DO UPDATE SET version = excluded.version, "
        "generation = excluded.generation")
      .bind_all(table, key, version, generation)
      .run();
}

// Returns whether the local table had the row.
bool remove_row(sql::Db& db, const TableSchema& t, std::string_view key) {
  db.prepare(fmt::format("DELETE FROM {} WHERE {} = ?1", quote_identifier(t.name),
                         quote_identifier(t.key_column)))
      .bind_all(key)
      .run();
  bool had = db.changes() > 0;
  db.prepare("DELETE FROM _cfx_sync_rows WHERE table_name = ?1 AND record_id = ?2")
      .bind_all(t.name, key)
      .run();
  return had;
}

void save_pass(sql::Db& db, const TablePass& p) {
  db.prepare(
        "INSERT INTO _cfx_sync_tables (table_name, watermark, needs_full, pass_since, "
        "pass_snapshot, pass_full, pass_phase, pass_after, generation, progress_done, "
        "progress_total, last_pass_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
        "ON CONFLICT (table_name) DO UPDATE SET watermark = excluded.watermark, needs_full = "
        "excluded.needs_full, pass_since = excluded.pass_since, pass_snapshot = "
        "excluded.pass_snapshot, pass_full = excluded.pass_full, pass_phase = excluded.pass_phase, "
        "pass_after = excluded.pass_after, generation = excluded.generation, progress_done = "
        "excluded.progress_done, progress_total = excluded.progress_total, last_pass_at = "
        "excluded.last_pass_at")
      .bind_all(p.table, p.watermark, p.needs_full, p.since, p.snapshot, p.full, p.phase, p.after,
                p.generation, p.progress_done, p.progress_total, p.last_pass_at)
      .run();
}

}  // namespace

SyncBinding sync_binding(const Store& store) {
  auto st = store.impl().db.prepare(
      "SELECT url, user_name, device_id FROM _cfx_sync_server WHERE id = 1");
  SyncBinding b;
  if (st.step()) b = {st.text(0), st.text(1), st.text(2)};
  return b;
}

void set_sync_binding(Store& store, const SyncBinding& b) {
  store.impl()
      .db
      .prepare("UPDATE _cfx_sync_server SET url = ?1, user_name = ?2, device_id = ?3 WHERE id = 1")
      .bind_all(b.url, b.user, b.device_id)
      .run();
}

TablePass table_pass(const Store& store, std::string_view table) {
  TableSchema t = store.impl().require_table(table);
  auto st = store.impl().db.prepare(
      "SELECT watermark, needs_full, pass_since, pass_snapshot, pass_full, pass_phase, pass_after, "
      "generation, progress_done, progress_total, last_pass_at FROM _cfx_sync_tables WHERE "
      "table_name = ?1");
  st.bind_all(t.name);
  TablePass p;
  p.table = t.name;
  if (!st.step()) return p;
  p.watermark = st.int64(0);
  p.needs_full = st.int64(1) != 0;
  p.since = st.opt_int64(2);
  p.snapshot = st.int64(3);
  p.full = st.int64(4) != 0;
  p.phase = st.text(5);
  p.after = st.opt_text(6);
  p.generation = st.int64(7);
  p.progress_done = st.int64(8);
  p.progress_total = st.int64(9);
  p.last_pass_at = st.opt_int64(10);
  return p;
}

void save_table_pass(Store& store, const TablePass& pass) {
  Store::Impl& impl = store.impl();
  impl.atomically(fmt::format("save the sync pass of '{}'", pass.table), [&] {
    impl.require_table(pass.table);
    save_pass(impl.db, pass);
  });
}

PageOutcome apply_page(Store& store, int64_t run_id, const TablePass& pass,
                       const std::vector<DownloadedRow>& rows,
                       const std::vector<std::string>& removed) {
  Store::Impl& impl = store.impl();
  PageOutcome out;
  impl.atomically(fmt::format("store a downloaded page of '{}'", pass.table), [&] {
    require_running(impl.db, run_id);
    TableSchema t = impl.require_table(pass.table);
    std::vector<Row> upserts;
    upserts.reserve(rows.size());
    for (const DownloadedRow& r : rows) {
      std::string key = key_text(t, r.values);
      if (pending(impl.db, t.name, key)) {
        ++out.skipped;
        continue;
      }
      set_version(impl.db, t.name, key, r.version, pass.generation);
      upserts.push_back(r.values);
    }
    impl.upsert_rows(t, upserts);
    out.applied += static_cast<int64_t>(upserts.size());
    for (const std::string& key : removed) {
      if (pending(impl.db, t.name, key)) {
        ++out.skipped;
        continue;
      }
      out.applied += remove_row(impl.db, t, key);
    }
    save_pass(impl.db, pass);
  });
  return out;
}

int64_t sweep_full_pass(Store& store, int64_t run_id, const TablePass& pass) {
  Store::Impl& impl = store.impl();
  int64_t removed = 0;
  impl.atomically(fmt::format("remove rows the server no longer has from '{}'", pass.table), [&] {
    require_running(impl.db, run_id);
    TableSchema t = impl.require_table(pass.table);
    std::string table = quote_identifier(t.name), key = quote_identifier(t.key_column);
    // Local rows this pass did not bring: rows that left the scope, rows that
    // were never downloaded (a demo store's), except rows with pending changes.
    impl.db
        .prepare(fmt::format(
            "DELETE FROM {0} WHERE NOT EXISTS (SELECT 1 FROM _cfx_sync_rows r WHERE r.table_name = "
            "?1 AND r.record_id = {0}.{1} AND r.generation = ?2) AND NOT EXISTS (SELECT 1 FROM "
            "_cfx_queue q WHERE q.table_name = ?1 AND q.record_id = {0}.{1})",
            table, key))
        .bind_all(t.name, pass.generation)
        .run();
    removed = impl.db.changes();
    impl.db
        .prepare(fmt::format(
            "DELETE FROM _cfx_sync_rows WHERE table_name = ?1 AND generation <> ?2 AND NOT EXISTS "
            "(SELECT 1 FROM {0} WHERE {0}.{1} = _cfx_sync_rows.record_id)",
            table, key))
        .bind_all(t.name, pass.generation)
        .run();
    save_pass(impl.db, pass);
  });
  return removed;
}

std::optional<int64_t> row_version(const Store& store, std::string_view table,
                                   std::string_view record_id) {
  auto st = store.impl().db.prepare(
      "SELECT version FROM _cfx_sync_rows WHERE table_name = ?1 AND record_id = ?2");
  st.bind_all(table, record_id);
  if (!st.step()) return std::nullopt;
  return st.int64(0);
}

void each_synced_row(const Store& store, std::string_view table,
                     const std::function<void(const std::string&, int64_t)>& f) {
  const Store::Impl& impl = store.impl();
  TableSchema t = impl.require_table(table);
  std::string name = quote_identifier(t.name), key = quote_identifier(t.key_column);
  auto st = impl.db.prepare(fmt::format(
      "SELECT {1}, coalesce(r.version, 0) FROM {0} LEFT JOIN _cfx_sync_rows r ON r.table_name = "
      "?1 AND r.record_id = {0}.{1} WHERE NOT EXISTS (SELECT 1 FROM _cfx_queue q WHERE "
      "q.table_name = ?1 AND q.record_id = {0}.{1})",
      name, key));
  st.bind_all(t.name);
  while (st.step()) f(st.text(0), st.int64(1));
}

bool has_pending_changes(const Store& store, std::string_view table) {
  auto st = store.impl().db.prepare("SELECT 1 FROM _cfx_queue WHERE table_name = ?1 LIMIT 1");
  st.bind_all(table);
  return st.step();
}

void accept_change(Store& store, const QueueEntry& entry, std::optional<int64_t> version) {
  Store::Impl& impl = store.impl();
  impl.atomically("record an accepted change", [&] {
    impl.db.prepare("DELETE FROM _cfx_queue WHERE id = ?1").bind_all(entry.id).run();
    if (version)
      set_version(impl.db, entry.table, entry.record_id, *version,
                  table_pass(store, entry.table).generation);
    else
      impl.db.prepare("DELETE FROM _cfx_sync_rows WHERE table_name = ?1 AND record_id = ?2")
          .bind_all(entry.table, entry.record_id)
          .run();
  });
}

void reject_change(Store& store, int64_t run_id, const QueueEntry& entry, const SyncError& e,
                   const std::optional<DownloadedRow>& server_row) {
  Store::Impl& impl = store.impl();
  impl.atomically("record a rejected change", [&] {
    require_running(impl.db, run_id);
    TableSchema t = impl.require_table(entry.table);
    impl.db.prepare("DELETE FROM _cfx_queue WHERE id = ?1").bind_all(entry.id).run();
    // Later changes of the same row still wait in the queue: leave the row to them.
    if (!pending(impl.db, t.name, entry.record_id)) {
      if (server_row) {
        impl.upsert_rows(t, {server_row->values});
        set_version(impl.db, t.name, entry.record_id, server_row->version,
                    table_pass(store, t.name).generation);
      } else {
        remove_row(impl.db, t, entry.record_id);
      }
    }
    impl.db
        .prepare(
            "INSERT INTO _cfx_sync_errors (run_id, error_time, message, error_type, table_name, "
            "record_id, owner, action, action_data, request_data, error_code) VALUES (?1, ?2, ?3, "
            "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        .bind_all(
            run_id, e.error_time ? e.error_time : store.now(), e.message, e.error_type, e.table,
            e.record_id, e.owner,
            e.action ? std::optional<std::string>(queue_action_name(*e.action)) : std::nullopt,
            e.action_data_json, e.request_data_json, e.error_code)
        .run();
  });
}

void fail_abandoned_sync(Store& store, int64_t run_id, const std::string& message) {
  SyncRunResult result;
  SyncError e;
  e.message = message;
  e.error_type = "interrupted";
  result.errors.push_back(e);
  store.end_sync(run_id, result);
}

std::vector<SyncProgress> sync_progress(const Store& store) {
  std::vector<SyncProgress> out;
  auto st = store.impl().db.prepare(
      "SELECT table_name, progress_done, progress_total FROM _cfx_sync_tables WHERE pass_since IS "
      "NOT NULL AND EXISTS (SELECT 1 FROM _cfx_sync_runs WHERE outcome = 'running') ORDER BY "
      "table_name");
  while (st.step()) out.push_back({st.text(0), st.int64(1), st.int64(2)});
  return out;
}

}  // namespace canvasfx::host
