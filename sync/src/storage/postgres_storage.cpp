// The PostgreSQL backend of storage.h, over libpqxx 6.4 (and libpq beneath it).
//
// Statements run through one long-lived pqxx::nontransaction per connection;
// transactions are opened with explicit BEGIN/COMMIT so that the SQL interface
// stays the same as SQLite's. Read transactions are REPEATABLE READ (one
// snapshot for every statement); write transactions take a transaction-level
// advisory lock first, so writers run one at a time as they do on SQLite, and
// a reader's snapshot never shows a row version above the counter it read.
//
// Parameters are sent as text (libpq parses them into the column's type);
// bytes go as bytea hex text ("\x…").
#include <fmt/format.h>

#include <pqxx/pqxx>

#include "canvasfx/sync/storage.h"

namespace canvasfx::sync {
namespace {

// The advisory lock key every writer takes ("CFXS").
constexpr int64_t kWriteLock = 0x43465853;

// PostgreSQL type OIDs (pg_type.h) of the columns the server reads.
constexpr pqxx::oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26,
                    kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

// `?` placeholders become $1, $2 … (outside quoted literals and identifiers).
std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += fmt::format("${}", ++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string hex_bytes(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(const std::string& url) {
    try {
      conn_ = std::make_unique<pqxx::connection>(url);
      tx_ = std::make_unique<pqxx::nontransaction>(*conn_);
      tx_->exec("SET client_min_messages = warning");
    } catch (const std::exception& e) {
      throw StorageError(fmt::format("cannot connect to PostgreSQL: {}", e.what()));
    }
  }
  ~PostgresConnection() override {
    tx_.reset();
    conn_.reset();
  }

  Dialect dialect() const override { return Dialect::PostgreSQL; }
  bool broken() const override { return broken_ || !conn_->is_open(); }

  int64_t execute(std::string_view sql, const SqlParams& params) override {
    return static_cast<int64_t>(run(sql, params).affected_rows());
  }

  void each(std::string_view sql, const SqlParams& params,
            const std::function<bool(const SqlRow&)>& on_row) override {
    pqxx::result r = run(sql, params);
    std::vector<pqxx::oid> types;
    for (pqxx::row::size_type i = 0; i < r.columns(); ++i) types.push_back(r.column_type(i));
    SqlRow row;
    for (const auto& pr : r) {
      row.assign(types.size(), SqlValue{});
      for (size_t i = 0; i < types.size(); ++i) row[i] = value(pr[static_cast<int>(i)], types[i]);
      if (!on_row(row)) break;
    }
  }

  void script(std::string_view sql) override { run(sql, {}); }

  void begin_read() override { script("BEGIN ISOLATION LEVEL REPEATABLE READ"); }
  void begin_write() override {
    script("BEGIN");
    run("SELECT pg_advisory_xact_lock(?)", {kWriteLock});
  }
  void commit() override { script("COMMIT"); }
  void rollback() noexcept override {
    try {
      if (!broken()) tx_->exec("ROLLBACK");
    } catch (...) {
      broken_ = true;
    }
  }

 private:
  pqxx::result run(std::string_view sql, const SqlParams& params) {
    try {
      std::vector<const char*> values;
      std::vector<std::string> texts(params.size());
      for (size_t i = 0; i < params.size(); ++i) {
        const SqlValue& v = params[i];
        if (is_null(v)) {
          values.push_back(nullptr);
          continue;
        }
        if (auto* d = std::get_if<double>(&v))
          texts[i] = fmt::format("{}", *d);  // shortest text that reads back exactly
        else if (auto* b = std::get_if<Blob>(&v))
          texts[i] = hex_bytes(b->bytes);
        else
          texts[i] = as_text(v);
        values.push_back(texts[i].c_str());
      }
      std::string text = params.empty() ? std::string(sql) : number_placeholders(sql);
      if (params.empty()) return tx_->exec(text);
      return tx_->exec_params(text, pqxx::prepare::make_dynamic_params(values));
    } catch (const pqxx::broken_connection& e) {
      broken_ = true;
      throw StorageError(fmt::format("the PostgreSQL connection was lost: {}", e.what()));
    } catch (const pqxx::sql_error& e) {
      throw StorageError(fmt::format("PostgreSQL: {}", e.what()));
    } catch (const pqxx::failure& e) {
      broken_ = true;
      throw StorageError(fmt::format("PostgreSQL: {}", e.what()));
    }
  }

  static SqlValue value(const pqxx::field& f, pqxx::oid type) {
    if (f.is_null()) return std::monostate{};
    switch (type) {
      case kInt8:
      case kInt4:
      case kInt2:
      case kOid:
        return f.as<int64_t>();
      case kBool:
        return static_cast<int64_t>(f.as<bool>() ? 1 : 0);
      case kFloat4:
      case kFloat8:
      case kNumeric:
        return f.as<double>();
      case kBytea:
        return Blob{pqxx::binarystring(f).str()};
      default:
        return std::string(f.c_str(), f.size());
    }
  }

  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::nontransaction> tx_;
  bool broken_ = false;
};

class PostgresStorage final : public Storage {
 public:
  explicit PostgresStorage(std::string url) : url_(std::move(url)) {
    Lease first(*this, connect());  // reports a bad URL at startup
  }
  Dialect dialect() const override { return Dialect::PostgreSQL; }
  std::string describe() const override { return "postgresql"; }

 protected:
  std::unique_ptr<SqlConnection> connect() override {
    return std::make_unique<PostgresConnection>(url_);
  }

 private:
  std::string url_;
};

}  // namespace

std::unique_ptr<Storage> open_postgres_storage(const std::string& url) {
  return std::make_unique<PostgresStorage>(url);
}

}  // namespace canvasfx::sync
