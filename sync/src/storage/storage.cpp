// The parts of storage.h shared by both backends: values, dialects, the pool.
#include "canvasfx/sync/storage.h"

#include <fmt/format.h>

#include <charconv>

namespace canvasfx::sync {

bool is_null(const SqlValue& v) { return std::holds_alternative<std::monostate>(v); }

int64_t as_int(const SqlValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

std::string as_text(const SqlValue& v) {
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  if (auto* b = std::get_if<Blob>(&v)) return b->bytes;
  return {};
}

std::string DialectInfo::greatest(const std::vector<std::string>& exprs) const {
  if (exprs.size() == 1) return exprs[0];
  std::string list;
  for (const auto& e : exprs) list += (list.empty() ? "" : ", ") + e;
  // SQLite's multi-argument max() is the scalar maximum.
  return fmt::format("{}({})", dialect == Dialect::SQLite ? "max" : "GREATEST", list);
}

// Text tests compare lower-cased text, as Dataverse compares text without
// regard to case. (Both backends lower ASCII letters; PostgreSQL clusters are
// created with the C locale by the tests, so the two agree byte for byte.)
std::string DialectInfo::begins_with(const std::string& column) const {
  return fmt::format("substr(lower({0}), 1, length(CAST(? AS TEXT))) = lower(CAST(? AS TEXT))",
                     column);
}

std::string DialectInfo::ends_with(const std::string& column) const {
  if (dialect == Dialect::SQLite)
    return fmt::format("substr(lower({0}), -length(CAST(? AS TEXT))) = lower(CAST(? AS TEXT))",
                       column);
  return fmt::format("right(lower({0}), length(CAST(? AS TEXT))) = lower(CAST(? AS TEXT))", column);
}

std::string DialectInfo::contains(const std::string& column) const {
  if (dialect == Dialect::SQLite)
    return fmt::format("instr(lower({}), lower(CAST(? AS TEXT))) > 0", column);
  return fmt::format("strpos(lower({}), lower(CAST(? AS TEXT))) > 0", column);
}

const DialectInfo& dialect_info(Dialect d) {
  static const DialectInfo sqlite{Dialect::SQLite, "INTEGER", "REAL", "BLOB"};
  static const DialectInfo postgres{Dialect::PostgreSQL, "BIGINT", "DOUBLE PRECISION", "BYTEA"};
  return d == Dialect::SQLite ? sqlite : postgres;
}

std::string quote_name(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::vector<SqlRow> SqlConnection::query(std::string_view sql, const SqlParams& params) {
  std::vector<SqlRow> out;
  each(sql, params, [&](const SqlRow& r) {
    out.push_back(r);
    return true;
  });
  return out;
}

SqlValue SqlConnection::scalar(std::string_view sql, const SqlParams& params) {
  SqlValue out;
  each(sql, params, [&](const SqlRow& row) {
    if (!row.empty()) out = row[0];
    return false;
  });
  return out;
}

Lease::Lease(Storage& pool, std::unique_ptr<SqlConnection> c)
    : pool_(&pool), connection_(std::move(c)) {}

Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_));
}

Lease Storage::lease() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  return Lease(*this, connect());
}

void Storage::give_back(std::unique_ptr<SqlConnection> c) {
  if (c->broken()) return;
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(c));
}

void in_transaction(SqlConnection& c, bool write, const std::function<void()>& body) {
  if (write)
    c.begin_write();
  else
    c.begin_read();
  try {
    body();
    c.commit();
  } catch (...) {
    c.rollback();
    throw;
  }
}

}  // namespace canvasfx::sync
