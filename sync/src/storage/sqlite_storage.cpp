// The SQLite backend of storage.h: one file in WAL mode, one connection per
// request thread. Readers see a snapshot and never block the writer; writers
// take the database's write lock at BEGIN IMMEDIATE and wait for each other
// through the busy timeout.
#include <fmt/format.h>
#include <sqlite3.h>

#include "canvasfx/sync/storage.h"

namespace canvasfx::sync {
namespace {

// A writer may wait this long for another writer (a large upsync batch).
constexpr int kBusyTimeoutMs = 60'000;

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(const std::string& path) {
    int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw StorageError(fmt::format("cannot open the SQLite database '{}': {}", path, msg));
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    // Scopes are computed in temporary tables at every request: keep them in memory.
    script(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
        "PRAGMA temp_store = MEMORY;");
  }
  ~SqliteConnection() override {
    if (db_) sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::SQLite; }

  int64_t execute(std::string_view sql, const SqlParams& params) override {
    Statement st(*this, sql, params);
    while (st.step()) {
    }
    return sqlite3_changes64(db_);
  }

  void each(std::string_view sql, const SqlParams& params,
            const std::function<bool(const SqlRow&)>& on_row) override {
    Statement st(*this, sql, params);
    SqlRow row;
    while (st.step()) {
      int n = sqlite3_column_count(st.get());
      row.assign(static_cast<size_t>(n), SqlValue{});
      for (int i = 0; i < n; ++i) row[static_cast<size_t>(i)] = column(st.get(), i);
      if (!on_row(row)) break;
    }
  }

  void script(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw StorageError(msg);
    }
  }

  void begin_read() override { script("BEGIN DEFERRED"); }
  void begin_write() override { script("BEGIN IMMEDIATE"); }
  void commit() override { script("COMMIT"); }
  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  class Statement {
   public:
    Statement(SqliteConnection& c, std::string_view sql, const SqlParams& params) : c_(c) {
      if (sqlite3_prepare_v2(c.db_, sql.data(), static_cast<int>(sql.size()), &st_, nullptr) !=
          SQLITE_OK)
        c.fail("prepare", sql);
      if (sqlite3_bind_parameter_count(st_) != static_cast<int>(params.size()))
        throw StorageError(fmt::format("statement has {} parameters, {} given: {}",
                                       sqlite3_bind_parameter_count(st_), params.size(), sql));
      for (size_t i = 0; i < params.size(); ++i) bind(static_cast<int>(i + 1), params[i]);
      sql_ = sql;
    }
    ~Statement() { sqlite3_finalize(st_); }
    sqlite3_stmt* get() const { return st_; }
    bool step() {
      int rc = sqlite3_step(st_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      c_.fail("run", sql_);
    }

   private:
    void bind(int i, const SqlValue& v) {
      int rc = std::visit(
          [&](const auto& x) -> int {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
              return sqlite3_bind_null(st_, i);
            else if constexpr (std::is_same_v<T, int64_t>)
              return sqlite3_bind_int64(st_, i, x);
            else if constexpr (std::is_same_v<T, double>)
              return sqlite3_bind_double(st_, i, x);
            else if constexpr (std::is_same_v<T, std::string>)
              return sqlite3_bind_text64(st_, i, x.data(), x.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            else
              return sqlite3_bind_blob64(st_, i, x.bytes.data(), x.bytes.size(), SQLITE_TRANSIENT);
          },
          v);
      if (rc != SQLITE_OK) c_.fail("bind", sql_);
    }
    SqliteConnection& c_;
    sqlite3_stmt* st_ = nullptr;
    std::string_view sql_;
  };

  static SqlValue column(sqlite3_stmt* st, int i) {
    switch (sqlite3_column_type(st, i)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(st, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(st, i);
      case SQLITE_TEXT:
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                           static_cast<size_t>(sqlite3_column_bytes(st, i)));
      case SQLITE_BLOB: {
        auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
        return Blob{std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st, i)))};
      }
      default:
        return std::monostate{};
    }
  }

  [[noreturn]] void fail(const char* what, std::string_view sql) {
    throw StorageError(fmt::format("SQLite could not {} a statement: {} ({})", what,
                                   sqlite3_errmsg(db_), sql.substr(0, 200)));
  }

  sqlite3* db_ = nullptr;
};

class SqliteStorage final : public Storage {
 public:
  explicit SqliteStorage(std::string path) : path_(std::move(path)) {
    // Opening once here reports a bad path at startup rather than at the first request.
    give_back_first(connect());
  }
  Dialect dialect() const override { return Dialect::SQLite; }
  std::string describe() const override { return "sqlite:" + path_; }

 protected:
  std::unique_ptr<SqlConnection> connect() override {
    return std::make_unique<SqliteConnection>(path_);
  }

 private:
  void give_back_first(std::unique_ptr<SqlConnection> c) { Lease keep(*this, std::move(c)); }
  std::string path_;
};

}  // namespace

std::unique_ptr<Storage> open_sqlite_storage(const std::string& path) {
  return std::make_unique<SqliteStorage>(path);
}

}  // namespace canvasfx::sync
