// The sync server's storage: one small SQL interface, two implementations.
//
// The server's logic (organization, row scopes, per-column merges) is written
// once, as SQL over this interface; a backend only runs statements. SQLite is
// the embedded default (one file, WAL, one connection per request thread);
// PostgreSQL (libpqxx over libpq) serves many devices. The differences the
// logic must know about are few and live in `Dialect`: the SQL type of a column
// kind, GREATEST, the text functions, how a write transaction starts.
//
// Every value is a parameter. SQL text uses `?` placeholders, bound in order;
// the PostgreSQL backend rewrites them to $1, $2 ... . Identifiers (table and
// column names from the server's catalog) reach SQL text only through
// `quote_name`, after the catalog validated them.
//
// A Storage is a pool of connections: `lease()` hands one to a request thread
// and takes it back when the Lease goes out of scope. Connection-local state
// (temporary tables) therefore survives between the requests that use it, and
// two requests never share a connection.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace canvasfx::sync {

// A storage failure: the database is unreachable, a statement failed.
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bytes of a file or image column (BLOB / BYTEA), distinct from text.
struct Blob {
  std::string bytes;
  friend bool operator==(const Blob&, const Blob&) = default;
};

// A SQL value: NULL, integer, real, text, bytes.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string, Blob>;
using SqlRow = std::vector<SqlValue>;
using SqlParams = std::vector<SqlValue>;

bool is_null(const SqlValue& v);
int64_t as_int(const SqlValue& v);  // NULL -> 0; a real is truncated; text is parsed
std::string as_text(const SqlValue& v);

enum class Dialect : uint8_t { SQLite, PostgreSQL };

// What the SQL the server writes depends on.
struct DialectInfo {
  Dialect dialect;
  const char* integer;  // 64-bit integer column type
  const char* real;     // double column type
  const char* blob;     // bytes column type
  // greatest(a, b, ...) of integer expressions.
  std::string greatest(const std::vector<std::string>& exprs) const;
  // Case-insensitive text tests of `column` against a bound text parameter (one `?`
  // per call, except ends_with which binds it twice).
  std::string begins_with(const std::string& column) const;
  std::string ends_with(const std::string& column) const;
  std::string contains(const std::string& column) const;
};
const DialectInfo& dialect_info(Dialect d);

// "name" with embedded quotes doubled. The catalog validates names first.
std::string quote_name(std::string_view name);

// One database connection; not thread-safe (one request at a time).
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Dialect dialect() const = 0;
  const DialectInfo& info() const { return dialect_info(dialect()); }

  // Runs a statement; returns the number of rows it changed.
  virtual int64_t execute(std::string_view sql, const SqlParams& params = {}) = 0;
  // Runs a query and returns every row.
  std::vector<SqlRow> query(std::string_view sql, const SqlParams& params = {});
  // Runs a query, handing each row to `on_row` (large results); stop by returning false.
  virtual void each(std::string_view sql, const SqlParams& params,
                    const std::function<bool(const SqlRow&)>& on_row) = 0;
  // Several statements without parameters (schema creation).
  virtual void script(std::string_view sql) = 0;

  // Transactions. A read transaction sees one snapshot of the database for all
  // its statements; a write transaction excludes other writers from the start
  // (SQLite: BEGIN IMMEDIATE; PostgreSQL: the caller locks the version counter).
  virtual void begin_read() = 0;
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // The connection is unusable (the server went away): the pool drops it.
  virtual bool broken() const { return false; }

  // The first column of the first row, or NULL.
  SqlValue scalar(std::string_view sql, const SqlParams& params = {});
};

class Storage;

// A connection borrowed from a Storage; given back on destruction.
class Lease {
 public:
  Lease(Storage& pool, std::unique_ptr<SqlConnection> connection);
  ~Lease();
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  SqlConnection& operator*() const { return *connection_; }
  SqlConnection* operator->() const { return connection_.get(); }

 private:
  Storage* pool_;
  std::unique_ptr<SqlConnection> connection_;
};

class Storage {
 public:
  virtual ~Storage() = default;
  virtual Dialect dialect() const = 0;
  // A human-readable name of where the data is ("sqlite:/path", "postgresql://…").
  virtual std::string describe() const = 0;
  // A connection for this thread; a new one when none is idle.
  Lease lease();

 protected:
  virtual std::unique_ptr<SqlConnection> connect() = 0;

 private:
  friend class Lease;
  void give_back(std::unique_ptr<SqlConnection> c);
  std::mutex mutex_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;
};

// Runs `body` in a transaction (write or read), committing when it returns and
// rolling back when it throws. (Writers never wait for each other in a cycle:
// every write transaction starts by taking the one write lock, so there is no
// deadlock or serialization failure to retry.)
void in_transaction(SqlConnection& c, bool write, const std::function<void()>& body);

// SQLite file (created when missing). Throws StorageError.
std::unique_ptr<Storage> open_sqlite_storage(const std::string& path);
// A libpq connection string or URL ("postgresql://user@/db?host=/tmp/x&port=5433").
std::unique_ptr<Storage> open_postgres_storage(const std::string& url);

}  // namespace canvasfx::sync
