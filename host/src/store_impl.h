// Store internals shared by store.cpp, migrations.cpp, demo.cpp and profile.cpp.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>

#include "canvasfx/host/store.h"
#include "sqlite.h"

namespace canvasfx::host {

// PRAGMA application_id of a canvasfx store: "CFXS".
inline constexpr int32_t kApplicationId = 0x43465853;

// Brings the schema from `from` up to Store::schema_version(), one migration
// per transaction. Implemented in migrations.cpp.
void migrate(sql::Db& db, int from);
int latest_schema_version();
// Counts the writes to a local table (triggers bumping _cfx_table_versions).
void install_change_counter(sql::Db& db, const std::string& table);
// "name" with embedded double quotes doubled, for internal names (store.cpp).
std::string quote_raw(std::string_view name);

// Applies the demo profile and data to a freshly migrated store (demo.cpp).
void seed_demo(Store& store);

// The StoreError for a SQLite failure while doing `operation` on the store at
// `path`: "cannot <operation> in store '<path>': <SQLite's message> (<what it means>)".
// While a new store is being built (`creating`): "cannot create store '<path>'
// (<operation>): ...; nothing was left behind".
StoreError store_failure(const std::filesystem::path& path, std::string_view operation,
                         const sql::Error& e, int busy_timeout_ms, bool creating = false);

struct Store::Impl {
  sql::Db db;
  std::filesystem::path path;
  bool created = false;
  bool creating = false;  // a new store being built in its temporary file
  int busy_timeout_ms = 5000;
  std::function<int64_t()> clock;

  bool in_transaction() const { return sqlite3_get_autocommit(db.get()) == 0; }

  // Runs f; a SQLite failure becomes a StoreError saying what was being done.
  template <typename F>
  auto guarded(std::string_view operation, F&& f) const -> decltype(f()) {
    try {
      return f();
    } catch (const sql::Error& e) {
      throw store_failure(path, operation, e, busy_timeout_ms, creating);
    }
  }

  // Runs f inside a transaction, or inside the caller's when one is open. On
  // any failure (including COMMIT's: a full disk) everything is rolled back.
  template <typename F>
  auto atomically(std::string_view operation, F&& f) -> decltype(f()) {
    return guarded(operation, [&]() -> decltype(f()) {
      if (in_transaction()) return f();
      db.exec("BEGIN IMMEDIATE");
      try {
        if constexpr (std::is_void_v<decltype(f())>) {
          f();
          db.exec("COMMIT");
        } else {
          auto r = f();
          db.exec("COMMIT");
          return r;
        }
      } catch (...) {
        if (in_transaction()) sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
      }
    });
  }

  TableSchema require_table(std::string_view name) const;
  // Upserts server rows (no queue entries).
  void upsert_rows(const TableSchema& schema, const std::vector<Row>& rows);
  // Records a profile: replaces local tables, stores settings. Inside a transaction.
  void replace_profile(const std::string& profile_name, const std::string& yaml,
                       const std::vector<TableSchema>& tables,
                       const std::vector<std::string>& settings_json);
};

}  // namespace canvasfx::host
