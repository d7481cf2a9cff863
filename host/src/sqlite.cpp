#include "sqlite.h"

#include <fmt/format.h>

namespace canvasfx::host::sql {

Db::Db(const std::string& path, int flags) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    int sys = db_ ? sqlite3_system_errno(db_) : 0;
    close();
    throw Error(rc, msg, sys);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() { close(); }

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    close();
    db_ = std::exchange(o.db_, nullptr);
  }
  return *this;
}

void Db::close() {
  if (db_) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
}

void Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw Error(sqlite3_extended_errcode(db_), msg, sqlite3_system_errno(db_));
  }
}

Stmt Db::prepare(std::string_view sql) const { return Stmt(db_, sql); }

std::optional<int64_t> Db::scalar_int(std::string_view sql) const {
  Stmt st(db_, sql);
  if (!st.step() || st.is_null(0)) return std::nullopt;
  return st.int64(0);
}

std::optional<std::string> Db::scalar_text(std::string_view sql) const {
  Stmt st(db_, sql);
  if (!st.step() || st.is_null(0)) return std::nullopt;
  return st.text(0);
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &st_, nullptr);
  if (rc == SQLITE_OK) return;
  // A statement SQLite cannot compile is a bug worth its text; a busy or
  // damaged database is not about the statement.
  std::string message = sqlite3_errmsg(db);
  if ((rc & 0xff) == SQLITE_ERROR) message += fmt::format(" (in: {})", sql);
  throw Error(rc, message, sqlite3_system_errno(db));
}

Stmt::~Stmt() {
  if (st_) sqlite3_finalize(st_);
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (st_) sqlite3_finalize(st_);
    db_ = o.db_;
    st_ = std::exchange(o.st_, nullptr);
  }
  return *this;
}

void Stmt::check(int rc) const {
  if (rc != SQLITE_OK) throw Error(rc, sqlite3_errmsg(db_), sqlite3_system_errno(db_));
}

Stmt& Stmt::bind_null(int i) {
  check(sqlite3_bind_null(st_, i));
  return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
  check(sqlite3_bind_int64(st_, i, v));
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  check(sqlite3_bind_double(st_, i, v));
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  check(sqlite3_bind_text64(st_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw Error(rc, sqlite3_errmsg(db_), sqlite3_system_errno(db_));
}

Stmt& Stmt::reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
  return *this;
}

std::string Stmt::text(int i) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, i));
  if (!p) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, i)));
}

}  // namespace canvasfx::host::sql
