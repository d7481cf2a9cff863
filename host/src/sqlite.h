// Small RAII wrappers over sqlite3* and sqlite3_stmt*, private to the host.
//
// Every value reaches SQLite through bind(); SQL text is only ever built from
// constants and from identifiers that went through quote_identifier() (see
// store.h), never from data. Failures throw sql::Error with SQLite's message.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace canvasfx::host::sql {

class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& message, int system_errno = 0)
      : std::runtime_error(message), code_(code), system_errno_(system_errno) {}
  int code() const { return code_; }  // extended result code
  int primary_code() const { return code_ & 0xff; }
  // The errno of the failed system call (sqlite3_system_errno), or 0.
  int system_errno() const { return system_errno_; }

 private:
  int code_;
  int system_errno_;
};

class Stmt;

class Db {
 public:
  Db() = default;
  // flags: SQLITE_OPEN_* (READONLY, or READWRITE | CREATE).
  Db(const std::string& path, int flags);
  ~Db();
  Db(Db&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* get() const { return db_; }
  explicit operator bool() const { return db_ != nullptr; }
  void close();

  // Statements without parameters (DDL, BEGIN/COMMIT, PRAGMA with constants).
  void exec(std::string_view sql);
  Stmt prepare(std::string_view sql) const;
  int64_t changes() const { return sqlite3_changes64(db_); }
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  std::string errmsg() const { return sqlite3_errmsg(db_); }

  // The first column of the first row of a parameterless query.
  std::optional<int64_t> scalar_int(std::string_view sql) const;
  std::optional<std::string> scalar_text(std::string_view sql) const;

 private:
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& o) noexcept : db_(o.db_), st_(std::exchange(o.st_, nullptr)) {}
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Parameters are 1-based, as in SQLite.
  Stmt& bind_null(int i);
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, bool v) { return bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, std::nullptr_t) { return bind_null(i); }
  template <typename T>
  Stmt& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }
  // Binds the arguments to parameters 1, 2, ...
  template <typename... Args>
  Stmt& bind_all(const Args&... args) {
    int i = 0;
    (bind(++i, args), ...);
    return *this;
  }

  // Advances; true when a row is available.
  bool step();
  // Runs a statement that returns no rows.
  void run() {
    while (step()) {
    }
  }
  Stmt& reset();  // also clears bindings

  int column_count() const { return sqlite3_column_count(st_); }
  int column_type(int i) const { return sqlite3_column_type(st_, i); }
  bool is_null(int i) const { return column_type(i) == SQLITE_NULL; }
  int64_t int64(int i) const { return sqlite3_column_int64(st_, i); }
  double real(int i) const { return sqlite3_column_double(st_, i); }
  std::string text(int i) const;
  std::optional<int64_t> opt_int64(int i) const {
    return is_null(i) ? std::nullopt : std::optional<int64_t>(int64(i));
  }
  std::optional<std::string> opt_text(int i) const {
    return is_null(i) ? std::nullopt : std::optional<std::string>(text(i));
  }
  sqlite3_stmt* get() const { return st_; }

 private:
  void check(int rc) const;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* st_ = nullptr;
};

}  // namespace canvasfx::host::sql
