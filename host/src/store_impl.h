// Store internals shared by store.cpp, migrations.cpp, demo.cpp and profile.cpp.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <string>
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

struct Store::Impl {
  sql::Db db;
  std::filesystem::path path;
  bool created = false;
  std::function<int64_t()> clock;

  bool in_transaction() const { return sqlite3_get_autocommit(db.get()) == 0; }

  // Runs f inside a transaction, or inside the caller's when one is open.
  template <typename F>
  auto atomically(F&& f) -> decltype(f()) {
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
