// The sync store (store.h): opening and validating the file, device/app state,
// local tables, app writes with their queue entries, sync runs.
#include "canvasfx/host/store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "store_impl.h"

namespace canvasfx::host {

namespace fs = std::filesystem;
using json = nlohmann::json;

// ---------------------------------------------------------------- names

namespace {

// The names the store writes for its enums, indexed by the enum's value.
constexpr std::array<const char*, 8> kColumnTypeNames = {"text", "number", "boolean", "datetime",
                                                         "guid", "lookup", "file",    "image"};
constexpr std::array<const char*, 3> kPlayerKindNames = {"native", "web", "studio"};
constexpr std::array<const char*, 3> kQueueActionNames = {"create", "update", "delete"};
constexpr std::array<const char*, 3> kQueueContentNames = {"row", "file", "image"};
constexpr std::array<const char*, 3> kSyncOutcomeNames = {"running", "succeeded", "failed"};

template <typename Enum, size_t N>
const char* enum_name(const std::array<const char*, N>& names, Enum value) {
  return names[static_cast<size_t>(value)];
}

template <typename Enum, size_t N>
std::optional<Enum> parse_enum(const std::array<const char*, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i)
    if (name == names[i]) return static_cast<Enum>(i);
  return std::nullopt;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// prefix is lower-case.
bool ieq_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

// Quotes without the valid_name check: for index names built from valid names.
std::string quote_raw(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

const char* column_type_name(ColumnType t) { return enum_name(kColumnTypeNames, t); }

std::optional<ColumnType> parse_column_type(std::string_view name) {
  return parse_enum<ColumnType>(kColumnTypeNames, name);
}

const ColumnSchema* TableSchema::column(std::string_view n) const {
  for (const auto& c : columns)
    if (iequals(c.name, n)) return &c;
  return nullptr;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  if (name.front() == ' ' || name.back() == ' ') return false;
  if (ieq_prefix(name, "_cfx") || ieq_prefix(name, "sqlite_")) return false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return false;
    if (c == '"' || c == '\'' || c == '[' || c == ']' || c == '`') return false;
  }
  return true;
}

std::string quote_identifier(std::string_view name) {
  if (!valid_name(name)) throw StoreError(fmt::format("invalid table or column name '{}'", name));
  return quote_raw(name);
}

const char* player_kind_name(PlayerKind k) { return enum_name(kPlayerKindNames, k); }
std::optional<PlayerKind> parse_player_kind(std::string_view n) {
  return parse_enum<PlayerKind>(kPlayerKindNames, n);
}
const char* queue_action_name(QueueAction a) { return enum_name(kQueueActionNames, a); }
const char* queue_content_name(QueueContent c) { return enum_name(kQueueContentNames, c); }
const char* sync_outcome_name(SyncOutcome o) { return enum_name(kSyncOutcomeNames, o); }

static std::optional<QueueAction> parse_action(std::string_view n) {
  return parse_enum<QueueAction>(kQueueActionNames, n);
}
static QueueContent parse_content(std::string_view n) {
  return parse_enum<QueueContent>(kQueueContentNames, n).value_or(QueueContent::Row);
}
static SyncOutcome parse_outcome(std::string_view n) {
  return parse_enum<SyncOutcome>(kSyncOutcomeNames, n).value_or(SyncOutcome::Running);
}

std::string new_guid() {
  // Seeded again in a forked child: a copied generator would give the child
  // the parent's next GUIDs, and two devices the same record keys.
  static thread_local std::mt19937_64 rng;
  static thread_local pid_t seeded_for = 0;
  if (seeded_for != getpid()) {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    rng.seed(seed);
    seeded_for = getpid();
  }
  uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xffff,
                     b >> 48, b & 0xffffffffffffULL);
}

namespace {

json cell_to_json(const Cell& c) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return nullptr;
        else
          return v;
      },
      c);
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Queue JSON: file and image contents are summarized by their size.
std::string changes_json(const TableSchema& schema, const Row& row) {
  json j = json::object();
  for (const auto& [name, cell] : row) {
    const ColumnSchema* col = schema.column(name);
    if (col && (col->type == ColumnType::File || col->type == ColumnType::Image) &&
        std::holds_alternative<std::string>(cell))
      j[col->name] = json{{"bytes", std::get<std::string>(cell).size()}};
    else
      j[col ? col->name : name] = cell_to_json(cell);
  }
  return dump(j);
}

}  // namespace

std::string row_to_json(const Row& row) {
  json j = json::object();
  for (const auto& [name, cell] : row) j[name] = cell_to_json(cell);
  return dump(j);
}

// ---------------------------------------------------------------- cells <-> SQL

namespace {

[[noreturn]] void bad_cell(const TableSchema& t, const ColumnSchema& c) {
  throw StoreError(fmt::format("column '{}' of table '{}' expects a {} value", c.name, t.name,
                               column_type_name(c.type)));
}

void bind_cell(sql::Stmt& st, int i, const TableSchema& t, const ColumnSchema& c,
               const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) {
    st.bind_null(i);
    return;
  }
  switch (c.type) {
    case ColumnType::Text:
    case ColumnType::Guid:
    case ColumnType::Lookup:
      if (auto* s = std::get_if<std::string>(&cell)) {
        st.bind(i, *s);
        return;
      }
      break;
    case ColumnType::File:
    case ColumnType::Image:
      if (auto* s = std::get_if<std::string>(&cell)) {
        if (sqlite3_bind_blob64(st.get(), i, s->data(), s->size(), SQLITE_TRANSIENT) != SQLITE_OK)
          throw StoreError("cannot bind a blob");
        return;
      }
      break;
    case ColumnType::Number:
      if (auto* d = std::get_if<double>(&cell)) {
        st.bind(i, *d);
        return;
      }
      if (auto* n = std::get_if<int64_t>(&cell)) {
        st.bind(i, static_cast<double>(*n));
        return;
      }
      break;
    case ColumnType::Boolean:
      if (auto* b = std::get_if<bool>(&cell)) {
        st.bind(i, *b);
        return;
      }
      break;
    case ColumnType::DateTime:
      if (auto* n = std::get_if<int64_t>(&cell)) {
        st.bind(i, *n);
        return;
      }
      break;
  }
  bad_cell(t, c);
}

Cell read_cell(const sql::Stmt& st, int i, ColumnType type) {
  if (st.is_null(i)) return std::monostate{};
  switch (type) {
    case ColumnType::Number:
      return st.real(i);
    case ColumnType::Boolean:
      return st.int64(i) != 0;
    case ColumnType::DateTime:
      return st.int64(i);
    case ColumnType::File:
    case ColumnType::Image: {
      auto* p = static_cast<const char*>(sqlite3_column_blob(st.get(), i));
      return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st.get(), i)));
    }
    default:
      return st.text(i);
  }
}

std::string select_list(const TableSchema& t) {
  std::string s;
  for (const auto& c : t.columns) {
    if (!s.empty()) s += ", ";
    s += quote_identifier(c.name);
  }
  return s;
}

Row read_row(const sql::Stmt& st, const TableSchema& t) {
  Row row;
  row.reserve(t.columns.size());
  for (size_t i = 0; i < t.columns.size(); ++i)
    row.emplace_back(t.columns[i].name, read_cell(st, static_cast<int>(i), t.columns[i].type));
  return row;
}

std::string cell_key_text(const Cell& c) {
  if (auto* s = std::get_if<std::string>(&c)) return *s;
  return {};
}

}  // namespace

// ---------------------------------------------------------------- failures

namespace {

struct Meaning {
  StoreError::Cause cause;
  std::string hint;  // what SQLite's message means for the user, or ""
};

Meaning meaning_of(const sql::Error& e, int busy_timeout_ms) {
  using Cause = StoreError::Cause;
  int code = e.primary_code();
  // The errno is only about this failure when SQLite says a system call failed.
  if (code == SQLITE_IOERR || code == SQLITE_CANTOPEN) {
    switch (e.system_errno()) {
      case ENOSPC:
      case EDQUOT:
      case EFBIG:
        return {Cause::Full, "no space is left for the file"};
      case EROFS:
      case EACCES:
      case EPERM:
        return {Cause::ReadOnly, "the file or its folder cannot be written"};
      default:
        break;
    }
  }
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {Cause::Busy, fmt::format("another process is writing to it; gave up after {} s",
                                       busy_timeout_ms / 1000.0)};
    case SQLITE_READONLY:
      return {Cause::ReadOnly, "the file or its folder is read-only"};
    case SQLITE_FULL:
      return {Cause::Full, "the disk is full"};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return {Cause::Damaged, "the file is damaged"};
    case SQLITE_CANTOPEN:
      return {Cause::Io, "the file, or the -wal or -shm file beside it, cannot be opened"};
    case SQLITE_IOERR:
      if (e.code() == SQLITE_IOERR_WRITE || e.code() == SQLITE_IOERR_FSYNC ||
          e.code() == SQLITE_IOERR_TRUNCATE || e.code() == SQLITE_IOERR_SHMSIZE)
        return {Cause::Io, "the file system refused a write: a full disk or a file size limit"};
      return {Cause::Io, ""};
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return {Cause::Invalid, ""};
    default:
      return {Cause::Io, ""};
  }
}

// "attempt to write a readonly database (the file or its folder is read-only)"
std::string reason_of(const sql::Error& e, const Meaning& m) {
  return m.hint.empty() ? std::string(e.what()) : fmt::format("{} ({})", e.what(), m.hint);
}

}  // namespace

StoreError store_failure(const fs::path& path, std::string_view operation, const sql::Error& e,
                         int busy_timeout_ms, bool creating) {
  Meaning m = meaning_of(e, busy_timeout_ms);
  if (creating)
    return StoreError(fmt::format("cannot create store '{}' ({}): {}; nothing was left behind",
                                  path.string(), operation, reason_of(e, m)),
                      m.cause);
  return StoreError(
      fmt::format("cannot {} in store '{}': {}", operation, path.string(), reason_of(e, m)),
      m.cause);
}

// ---------------------------------------------------------------- opening

namespace {

int64_t system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

[[noreturn]] void open_error(const fs::path& path, std::string_view what,
                             StoreError::Cause cause = StoreError::Cause::Damaged) {
  throw StoreError(fmt::format("cannot open store '{}': {}", path.string(), what), cause);
}

// A path as a file: URI path (percent-encoding what URIs reserve).
std::string uri_path(const fs::path& p) {
  std::string abs = fs::absolute(p).string(), out;
  for (unsigned char c : abs) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// One read-only look at the file; throws StoreError with SQLite's verdict.
int validate_once(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) open_error(path, ec.message(), StoreError::Cause::Io);
  if (size == 0) open_error(path, "the file is empty (0 bytes): it is not a canvasfx store");

  try {
    // Read-only, and without creating a -wal/-shm beside a file that may not be
    // ours: `immutable` when there is no WAL to read (no locks, no side files).
    bool has_wal = fs::exists(path.string() + "-wal", ec);
    std::string uri = "file:" + uri_path(path) + (has_wal ? "?mode=ro" : "?mode=ro&immutable=1");
    sql::Db ro(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    auto check = ro.prepare("PRAGMA quick_check");
    std::string first;
    if (check.step()) first = check.text(0);
    if (first != "ok")
      open_error(path,
                 fmt::format("the database is damaged or truncated (SQLite's check: {})", first));
    int64_t app_id = ro.scalar_int("PRAGMA application_id").value_or(0);
    int64_t version = ro.scalar_int("PRAGMA user_version").value_or(0);
    if (app_id == kApplicationId) {
      // quick_check does not compare indexes with their tables; a catalog
      // index that disagrees makes tables lose columns (their key, even). The
      // catalog is small: check it fully.
      for (const char* catalog : {"_cfx_tables", "_cfx_columns"}) {
        auto exists = ro.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
        exists.bind_all(catalog);
        if (!exists.step()) continue;
        auto full = ro.prepare(fmt::format("PRAGMA integrity_check({})", catalog));
        std::string verdict;
        if (full.step()) verdict = full.text(0);
        if (verdict != "ok")
          open_error(path, fmt::format("the database is damaged (SQLite's check of {}: {})",
                                       catalog, verdict));
      }
      if (version > latest_schema_version())
        open_error(path,
                   fmt::format("store schema version {} is newer than this canvasfx "
                               "supports (version {})",
                               version, latest_schema_version()),
                   StoreError::Cause::Invalid);
      return static_cast<int>(version);
    }
    int64_t objects = ro.scalar_int("SELECT count(*) FROM sqlite_schema").value_or(0);
    if (objects == 0)
      open_error(path,
                 "an empty SQLite database, not a canvasfx store (what an interrupted creation "
                 "of a store by an older canvasfx leaves behind)");
    open_error(path, "a SQLite database of another application (it is not a canvasfx store)");
  } catch (const sql::Error& e) {
    if (e.primary_code() == SQLITE_NOTADB)
      open_error(path, "not a SQLite database (it is not a canvasfx store)");
    if (e.primary_code() == SQLITE_CORRUPT)
      open_error(path, fmt::format("the database is damaged or truncated (SQLite: {})", e.what()));
    Meaning m = meaning_of(e, 0);
    open_error(path, fmt::format("it cannot be read ({})", reason_of(e, m)), m.cause);
  }
}

// Validates an existing file without writing to it and returns its schema
// version. What is damaged is SQLite's verdict: a file cut short, a page of
// garbage, a header that lies are all found by reading the file through SQLite
// (with its WAL, when there is one), never by our own reading of its bytes.
// An `immutable` read takes no lock: another process checkpointing into the
// file at that moment can make a sound store look damaged, so that verdict is
// only given when a second look, a moment later, agrees.
int validate_existing(const fs::path& path) {
  for (int attempt = 1;; ++attempt) {
    try {
      return validate_once(path);
    } catch (const StoreError& e) {
      if (e.cause() != StoreError::Cause::Damaged || attempt == 2) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

void configure(sql::Db& db, bool file, int busy_timeout_ms) {
  sqlite3_busy_timeout(db.get(), busy_timeout_ms);
  db.exec("PRAGMA foreign_keys = ON");
  if (file) {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
  }
}

void remove_quietly(const fs::path& p) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(p.string() + suffix, ec);
}

// The temporary files of creations whose process is gone (killed while
// building a store): ".<name>.new-<pid>-XXXXXX" and its -wal and -shm. A live
// process's (another canvasfx creating the same store) are left alone.
void remove_abandoned_creations(const fs::path& folder, const std::string& prefix) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    pid_t pid = static_cast<pid_t>(std::strtol(name.c_str() + prefix.size(), nullptr, 10));
    if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH)) fs::remove(entry.path(), ec);
  }
}

void fsync_path(const fs::path& p, int flags) {
  int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

int Store::schema_version() { return latest_schema_version(); }

fs::path Store::default_path() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return fs::path(xdg) / "canvasfx" / "store.db";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : ".") / ".local" / "share" / "canvasfx" / "store.db";
}

std::unique_ptr<Store> Store::open_default() {
  fs::path p = default_path();
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec)
    open_error(p, fmt::format("cannot create its directory ({})", ec.message()),
               StoreError::Cause::Io);
  return open(p, OpenOptions{.create = true, .seed_demo = true});
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

// Builds a new store (schema, and the demo when asked) in a temporary file in
// the target's folder, and links it into place only when it is complete and on
// disk: a full disk, a crash or a kill leaves no half-made store (at worst a
// hidden temporary file, removed here on failure). Returns false when another
// process created the target first (it is then opened like any existing store).
bool Store::create_atomically(const fs::path& path, const OpenOptions& options) {
  fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::string prefix = "." + path.filename().string() + ".new-";
  remove_abandoned_creations(folder, prefix);
  std::string name = (folder / (prefix + std::to_string(::getpid()) + "-XXXXXX")).string();
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    int err = errno;
    StoreError::Cause cause = err == ENOSPC || err == EDQUOT ? StoreError::Cause::Full
                              : err == EACCES || err == EROFS || err == EPERM
                                  ? StoreError::Cause::ReadOnly
                                  : StoreError::Cause::Io;
    throw StoreError(
        fmt::format("cannot create store '{}': cannot create a file in its folder ({})",
                    path.string(), std::strerror(err)),
        cause);
  }
  // mkstemp makes the file private (0600); a store gets the mode SQLite would
  // give it (0666 less the umask), which its -wal and -shm files copy.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  fs::path temp = name;
  try {
    {
      auto impl = std::make_unique<Impl>();
      impl->path = path;  // messages name the store the user asked for
      impl->clock = system_now;
      impl->busy_timeout_ms = options.busy_timeout_ms;
      impl->creating = true;
      impl->guarded("setting up its schema", [&] {
        impl->db = sql::Db(temp.string(), SQLITE_OPEN_READWRITE);
        configure(impl->db, true, options.busy_timeout_ms);
        migrate(impl->db, 0);
      });
      Store building(std::move(impl));
      if (options.seed_demo) seed_demo(building);
      // Everything into the main file, so that it is complete on its own.
      building.impl_->guarded("writing it to its file",
                              [&] { building.impl_->db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); });
    }
    fsync_path(temp, O_RDONLY);
    if (::link(temp.c_str(), path.c_str()) != 0) {
      int err = errno;
      if (err != EEXIST)
        throw StoreError(
            fmt::format("cannot create store '{}': {}", path.string(), std::strerror(err)),
            StoreError::Cause::Io);
      remove_quietly(temp);
      return false;
    }
    remove_quietly(temp);
    fsync_path(folder, O_RDONLY | O_DIRECTORY);
    return true;
  } catch (...) {
    remove_quietly(temp);
    throw;
  }
}

std::unique_ptr<Store> Store::open(const fs::path& path, OpenOptions options) {
  std::error_code ec;
  bool created = false;
  if (!fs::exists(path, ec)) {
    if (!options.create) open_error(path, "the file does not exist", StoreError::Cause::Io);
    created = create_atomically(path, options);
  }
  if (!fs::is_regular_file(path, ec)) open_error(path, "not a regular file");
  int version = validate_existing(path);
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->clock = system_now;
  impl->busy_timeout_ms = options.busy_timeout_ms;
  impl->created = created;
  try {
    impl->db = sql::Db(path.string(), SQLITE_OPEN_READWRITE);
    configure(impl->db, true, options.busy_timeout_ms);
    migrate(impl->db, version);
  } catch (const sql::Error& e) {
    Meaning m = meaning_of(e, options.busy_timeout_ms);
    open_error(path, reason_of(e, m), m.cause);
  }
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

std::unique_ptr<Store> Store::open_memory(bool seed) {
  auto impl = std::make_unique<Impl>();
  impl->path = ":memory:";
  impl->clock = system_now;
  impl->db = sql::Db(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  configure(impl->db, false, impl->busy_timeout_ms);
  migrate(impl->db, 0);
  impl->created = true;
  std::unique_ptr<Store> store(new Store(std::move(impl)));
  if (seed) seed_demo(*store);
  return store;
}

const fs::path& Store::path() const { return impl_->path; }
bool Store::created() const { return impl_->created; }
void Store::set_clock(std::function<int64_t()> utc_ms) { impl_->clock = std::move(utc_ms); }
int64_t Store::now() const { return impl_->clock(); }

// ---------------------------------------------------------------- device and app

DeviceState Store::device_state() const {
  return impl_->guarded("read the device state", [&]() -> DeviceState {
    auto st = impl_->db.prepare(
        "SELECT connected, metered, os_type, user_agent, player_kind, player_version, session_id, "
        "tenant_id, screen_width, screen_height, latitude, longitude, altitude, accel_x, accel_y, "
        "accel_z, heading FROM _cfx_device WHERE id = 1");
    DeviceState d;
    if (!st.step()) return d;
    d.connected = st.int64(0) != 0;
    d.metered = st.int64(1) != 0;
    d.os_type = st.text(2);
    d.user_agent = st.text(3);
    d.player = parse_player_kind(st.text(4)).value_or(PlayerKind::Studio);
    d.player_version = st.text(5);
    d.session_id = st.text(6);
    d.tenant_id = st.text(7);
    double* sensors[] = {&d.screen_width, &d.screen_height, &d.latitude, &d.longitude, &d.altitude,
                         &d.accel_x,      &d.accel_y,       &d.accel_z,  &d.heading};
    for (int i = 0; i < 9; ++i) *sensors[i] = st.real(8 + i);
    return d;
  });
}

void Store::set_device_state(const DeviceState& d) {
  return impl_->guarded("change the device state", [&]() -> void {
    impl_->db
        .prepare(
            "UPDATE _cfx_device SET connected = ?1, metered = ?2, os_type = ?3, user_agent = ?4, "
            "player_kind = ?5, player_version = ?6, session_id = ?7, tenant_id = ?8, "
            "screen_width = ?9, screen_height = ?10, latitude = ?11, longitude = ?12, "
            "altitude = ?13, accel_x = ?14, accel_y = ?15, accel_z = ?16, heading = ?17 WHERE id = "
            "1")
        .bind_all(d.connected, d.metered, d.os_type, d.user_agent, player_kind_name(d.player),
                  d.player_version, d.session_id, d.tenant_id, d.screen_width, d.screen_height,
                  d.latitude, d.longitude, d.altitude, d.accel_x, d.accel_y, d.accel_z, d.heading)
        .run();
  });
}

void Store::set_connected(bool connected) {
  return impl_->guarded("change the device state", [&]() -> void {
    impl_->db.prepare("UPDATE _cfx_device SET connected = ?1 WHERE id = 1")
        .bind_all(connected)
        .run();
  });
}

AppSettings Store::app_settings() const {
  return impl_->guarded("read the app settings", [&]() -> AppSettings {
    auto st = impl_->db.prepare(
        "SELECT app_name, offline_enabled, profile_name, profile_yaml FROM _cfx_app WHERE id = 1");
    AppSettings a;
    if (!st.step()) return a;
    a.app_name = st.text(0);
    a.offline_enabled = st.int64(1) != 0;
    a.profile_name = st.text(2);
    a.profile_yaml = st.text(3);
    return a;
  });
}

void Store::set_app_settings(const AppSettings& a) {
  return impl_->guarded("change the app settings", [&]() -> void {
    impl_->db
        .prepare(
            "UPDATE _cfx_app SET app_name = ?1, offline_enabled = ?2, profile_name = ?3, "
            "profile_yaml = ?4 WHERE id = 1")
        .bind_all(a.app_name, a.offline_enabled, a.profile_name, a.profile_yaml)
        .run();
  });
}

// ---------------------------------------------------------------- local tables

namespace {
void read_columns(const sql::Db& db, const fs::path& path, TableSchema& t) {
  auto cols = db.prepare(
      "SELECT name, type, lookup_table FROM _cfx_columns WHERE table_name = ?1 ORDER BY position");
  cols.bind_all(t.name);
  while (cols.step()) {
    ColumnSchema c;
    c.name = cols.text(0);
    c.type = parse_column_type(cols.text(1)).value_or(ColumnType::Text);
    c.lookup_table = cols.opt_text(2).value_or("");
    t.columns.push_back(std::move(c));
  }
  // The store wrote the key among the columns; a table without it is damaged
  // (every read and write of its rows goes through the key).
  if (!t.column(t.key_column))
    throw StoreError(fmt::format("store '{}' is damaged: table '{}' has no key column '{}'",
                                 path.string(), t.name, t.key_column),
                     StoreError::Cause::Damaged);
}
}  // namespace

std::vector<TableSchema> Store::tables() const {
  return impl_->guarded("read the list of tables", [&]() -> std::vector<TableSchema> {
    std::vector<TableSchema> out;
    auto st = impl_->db.prepare(
        "SELECT name, key_column, sync_interval_minutes FROM _cfx_tables ORDER BY position, name");
    while (st.step()) {
      TableSchema t;
      t.name = st.text(0);
      t.key_column = st.text(1);
      t.sync_interval_minutes = static_cast<int>(st.int64(2));
      out.push_back(std::move(t));
    }
    for (auto& t : out) read_columns(impl_->db, impl_->path, t);
    return out;
  });
}

std::optional<TableSchema> Store::table(std::string_view name) const {
  for (auto& t : tables())
    if (iequals(t.name, name)) return t;
  return std::nullopt;
}

TableSchema Store::Impl::require_table(std::string_view name) const {
  return guarded(fmt::format("read the table '{}'", name), [&]() -> TableSchema {
    auto st = db.prepare(
        "SELECT name, key_column, sync_interval_minutes FROM _cfx_tables WHERE name = ?1");
    st.bind_all(name);
    if (!st.step()) throw StoreError(fmt::format("no local table '{}'", name));
    TableSchema t;
    t.name = st.text(0);
    t.key_column = st.text(1);
    t.sync_interval_minutes = static_cast<int>(st.int64(2));
    read_columns(db, path, t);
    return t;
  });
}

namespace {

const char* sql_type(ColumnType t) {
  switch (t) {
    case ColumnType::Number:
      return "REAL";
    case ColumnType::Boolean:
    case ColumnType::DateTime:
      return "INTEGER";
    case ColumnType::File:
    case ColumnType::Image:
      return "BLOB";
    default:
      return "TEXT";
  }
}

void validate_schema(const TableSchema& s) {
  if (!valid_name(s.name)) throw StoreError(fmt::format("invalid table name '{}'", s.name));
  if (s.sync_interval_minutes <= 0)
    throw StoreError(fmt::format("table '{}': the sync interval must be positive", s.name));
  const ColumnSchema* key = s.column(s.key_column);
  if (!key)
    throw StoreError(
        fmt::format("table '{}': key column '{}' is not a column", s.name, s.key_column));
  if (key->type != ColumnType::Guid && key->type != ColumnType::Text)
    throw StoreError(
        fmt::format("table '{}': key column '{}' must be text or guid", s.name, key->name));
  for (const auto& c : s.columns) {
    if (!valid_name(c.name))
      throw StoreError(fmt::format("table '{}': invalid column name '{}'", s.name, c.name));
    if (c.type == ColumnType::Lookup && !valid_name(c.lookup_table))
      throw StoreError(
          fmt::format("table '{}': lookup column '{}' needs a target table", s.name, c.name));
  }
}

void create_table_in(sql::Db& db, const TableSchema& s, int position, const std::string& settings) {
  validate_schema(s);
  db.exec(fmt::format("DROP TABLE IF EXISTS {}", quote_identifier(s.name)));
  db.prepare("DELETE FROM _cfx_tables WHERE name = ?1").bind_all(s.name).run();
  std::string ddl = fmt::format("CREATE TABLE {} (", quote_identifier(s.name));
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const auto& c = s.columns[i];
    if (i) ddl += ", ";
    ddl += fmt::format("{} {}", quote_identifier(c.name), sql_type(c.type));
    if (c.name == s.column(s.key_column)->name) ddl += " NOT NULL PRIMARY KEY";
  }
  ddl += ")";
  db.exec(ddl);
  for (const auto& c : s.columns)
    if (c.type == ColumnType::Lookup)
      db.exec(fmt::format("CREATE INDEX {} ON {} ({})", quote_raw("ix:" + s.name + ":" + c.name),
                          quote_identifier(s.name), quote_identifier(c.name)));
  db.prepare(
        "INSERT INTO _cfx_tables (name, position, key_column, sync_interval_minutes, "
        "settings_json) "
        "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind_all(s.name, position, s.column(s.key_column)->name, s.sync_interval_minutes, settings)
      .run();
  auto ins = db.prepare(
      "INSERT INTO _cfx_columns (table_name, position, name, type, lookup_table) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const auto& c = s.columns[i];
    ins.reset()
        .bind_all(s.name, static_cast<int64_t>(i), c.name, column_type_name(c.type),
                  c.type == ColumnType::Lookup ? std::optional<std::string>(c.lookup_table)
                                               : std::nullopt)
        .run();
  }
  install_change_counter(db, s.name);
}

void drop_all_tables(sql::Db& db) {
  std::vector<std::string> names;
  auto st = db.prepare("SELECT name FROM _cfx_tables");
  while (st.step()) names.push_back(st.text(0));
  for (const auto& n : names) db.exec(fmt::format("DROP TABLE IF EXISTS {}", quote_identifier(n)));
  db.exec("DELETE FROM _cfx_queue; DELETE FROM _cfx_tables;");
}

}  // namespace

void Store::create_table(const TableSchema& schema) {
  impl_->atomically(fmt::format("create table '{}'", schema.name), [&] {
    auto pos = impl_->db.scalar_int("SELECT coalesce(max(position) + 1, 0) FROM _cfx_tables");
    create_table_in(impl_->db, schema, static_cast<int>(pos.value_or(0)), "{}");
  });
}

// Every SQLite failure of these becomes a StoreError (guarded): a damaged or
// locked file is a clear message to the command or the formula, not an
// exception nobody expects.
void Store::save_data(std::string_view app, std::string_view name, std::string_view json) {
  impl_->guarded(fmt::format("save the data '{}'", name), [&] {
    impl_->db
        .prepare(
            "INSERT INTO _cfx_saved_data (app, name, json, saved_at) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (app, name) DO UPDATE SET json = excluded.json, saved_at = "
            "excluded.saved_at")
        .bind_all(std::string(app), std::string(name), std::string(json), now())
        .run();
  });
}

std::optional<std::string> Store::load_data(std::string_view app, std::string_view name) const {
  return impl_->guarded(
      fmt::format("load the data '{}'", name), [&]() -> std::optional<std::string> {
        auto st =
            impl_->db.prepare("SELECT json FROM _cfx_saved_data WHERE app = ?1 AND name = ?2");
        st.bind_all(std::string(app), std::string(name));
        if (!st.step()) return std::nullopt;
        return st.text(0);
      });
}

void Store::clear_data(std::string_view app, std::optional<std::string_view> name) {
  impl_->guarded("clear saved data", [&] {
    if (name)
      impl_->db.prepare("DELETE FROM _cfx_saved_data WHERE app = ?1 AND name = ?2")
          .bind_all(std::string(app), std::string(*name))
          .run();
    else
      impl_->db.prepare("DELETE FROM _cfx_saved_data WHERE app = ?1")
          .bind_all(std::string(app))
          .run();
  });
}

std::vector<std::pair<std::string, int64_t>> Store::table_versions() const {
  return impl_->guarded(
      "read the tables' versions", [&]() -> std::vector<std::pair<std::string, int64_t>> {
        std::vector<std::pair<std::string, int64_t>> out;
        auto st = impl_->db.prepare("SELECT name, version FROM _cfx_table_versions ORDER BY name");
        while (st.step()) out.emplace_back(st.text(0), st.int64(1));
        return out;
      });
}

void Store::drop_tables() {
  impl_->atomically("drop the local tables", [&] { drop_all_tables(impl_->db); });
}

void Store::Impl::replace_profile(const std::string& profile_name, const std::string& yaml,
                                  const std::vector<TableSchema>& tables,
                                  const std::vector<std::string>& settings) {
  atomically(fmt::format("apply profile '{}'", profile_name), [&] {
    drop_all_tables(db);
    for (size_t i = 0; i < tables.size(); ++i)
      create_table_in(db, tables[i], static_cast<int>(i), i < settings.size() ? settings[i] : "{}");
    db.prepare(
          "UPDATE _cfx_app SET profile_name = ?1, profile_yaml = ?2, applied_at = ?3 WHERE id = 1")
        .bind_all(profile_name, yaml, clock())
        .run();
  });
}

int64_t Store::count_rows(std::string_view table) const {
  return impl_->guarded(fmt::format("count the rows of '{}'", table), [&]() -> int64_t {
    TableSchema t = impl_->require_table(table);
    return impl_->db.scalar_int(fmt::format("SELECT count(*) FROM {}", quote_identifier(t.name)))
        .value_or(0);
  });
}

std::optional<Row> Store::get_row(std::string_view table, std::string_view record_id) const {
  return impl_->guarded(fmt::format("read a record of '{}'", table), [&]() -> std::optional<Row> {
    TableSchema t = impl_->require_table(table);
    auto st =
        impl_->db.prepare(fmt::format("SELECT {} FROM {} WHERE {} = ?1", select_list(t),
                                      quote_identifier(t.name), quote_identifier(t.key_column)));
    st.bind_all(record_id);
    if (!st.step()) return std::nullopt;
    return read_row(st, t);
  });
}

std::vector<Row> Store::rows(std::string_view table, int64_t limit) const {
  return impl_->guarded(fmt::format("read the rows of '{}'", table), [&]() -> std::vector<Row> {
    TableSchema t = impl_->require_table(table);
    auto st = impl_->db.prepare(fmt::format("SELECT {} FROM {} ORDER BY rowid LIMIT ?1",
                                            select_list(t), quote_identifier(t.name)));
    st.bind_all(limit);
    std::vector<Row> out;
    while (st.step()) out.push_back(read_row(st, t));
    return out;
  });
}

std::vector<TableInfo> Store::table_infos() const {
  return impl_->guarded("read the list of tables", [&]() -> std::vector<TableInfo> {
    std::vector<TableInfo> out;
    auto last = impl_->db.prepare(
        "SELECT max(r.ended_at) FROM _cfx_sync_run_tables t JOIN _cfx_sync_runs r ON r.id = "
        "t.run_id "
        "WHERE t.table_name = ?1 AND t.succeeded = 1 AND r.ended_at IS NOT NULL");
    for (auto& t : tables()) {
      TableInfo info;
      info.rows =
          impl_->db.scalar_int(fmt::format("SELECT count(*) FROM {}", quote_identifier(t.name)))
              .value_or(0);
      last.reset().bind_all(t.name);
      if (last.step()) info.last_synced_at = last.opt_int64(0);
      info.schema = std::move(t);
      out.push_back(std::move(info));
    }
    return out;
  });
}

void Store::Impl::upsert_rows(const TableSchema& t, const std::vector<Row>& rows) {
  const ColumnSchema* key = t.column(t.key_column);
  sql::Stmt st;
  std::string signature;
  std::vector<const ColumnSchema*> cols;
  for (const Row& row : rows) {
    std::string sig;
    for (const auto& [name, _] : row) sig += name + '\x1f';
    if (sig != signature || !st.get()) {
      signature = sig;
      cols.clear();
      std::string names, params, updates;
      bool has_key = false;
      for (const auto& [name, _] : row) {
        const ColumnSchema* c = t.column(name);
        if (!c) throw StoreError(fmt::format("table '{}' has no column '{}'", t.name, name));
        if (c == key) has_key = true;
        cols.push_back(c);
        if (!names.empty()) names += ", ", params += ", ";
        names += quote_identifier(c->name);
        params += fmt::format("?{}", cols.size());
        if (c != key) {
          if (!updates.empty()) updates += ", ";
          updates += fmt::format("{0} = excluded.{0}", quote_identifier(c->name));
        }
      }
      if (!has_key) throw StoreError(fmt::format("a server row of '{}' has no key", t.name));
      st = db.prepare(fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO {}",
                                  quote_identifier(t.name), names, params,
                                  quote_identifier(key->name),
                                  updates.empty() ? "NOTHING" : "UPDATE SET " + updates));
    }
    st.reset();
    for (size_t i = 0; i < row.size(); ++i)
      bind_cell(st, static_cast<int>(i + 1), t, *cols[i], row[i].second);
    st.run();
  }
}

// ---------------------------------------------------------------- transactions

Transaction Store::transaction() {
  if (impl_->in_transaction()) throw StoreError("a transaction is already open on this store");
  return Transaction(*this);
}

Transaction::Transaction(Store& store) : store_(&store) {
  store.impl_->guarded("start a write", [&] { store.impl_->db.exec("BEGIN IMMEDIATE"); });
}

Transaction::Transaction(Transaction&& o) noexcept : store_(std::exchange(o.store_, nullptr)) {}

Transaction::~Transaction() {
  if (store_) sqlite3_exec(store_->impl_->db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  if (!store_) throw StoreError("the transaction is no longer active");
  // A COMMIT that fails (a full disk) leaves the transaction open or rolled
  // back; either way it is over: the destructor rolls back what is left.
  Store* store = std::exchange(store_, nullptr);
  try {
    store->impl_->guarded("save a write", [&] { store->impl_->db.exec("COMMIT"); });
  } catch (...) {
    if (store->impl_->in_transaction())
      sqlite3_exec(store->impl_->db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void Transaction::rollback() {
  if (!store_) return;
  Store* store = std::exchange(store_, nullptr);
  if (store->impl_->in_transaction())
    store->impl_->guarded("roll back a write", [&] { store->impl_->db.exec("ROLLBACK"); });
}

int64_t Transaction::enqueue(std::string_view table, std::string_view record_id, QueueAction action,
                             QueueContent content, const std::string& changes) {
  auto& db = store_->impl_->db;
  db.prepare(
        "INSERT INTO _cfx_queue (table_name, record_id, action, content, changes_json, queued_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind_all(table, record_id, queue_action_name(action), queue_content_name(content), changes,
                store_->now())
      .run();
  return db.last_insert_rowid();
}

std::string Transaction::create(std::string_view table, const Row& values) {
  if (!store_) throw StoreError("the transaction is no longer active");
  return store_->impl_->guarded(fmt::format("add a record to '{}'", table), [&]() -> std::string {
    auto& impl = *store_->impl_;
    TableSchema t = impl.require_table(table);
    const ColumnSchema* key = t.column(t.key_column);
    Row row;
    std::string id;
    for (const auto& [name, cell] : values) {
      const ColumnSchema* c = t.column(name);
      if (!c) throw StoreError(fmt::format("table '{}' has no column '{}'", t.name, name));
      if (c == key) {
        id = cell_key_text(cell);
        if (id.empty() && !std::holds_alternative<std::monostate>(cell)) bad_cell(t, *c);
        continue;
      }
      row.emplace_back(c->name, cell);
    }
    if (id.empty()) id = new_guid();
    row.insert(row.begin(), {key->name, id});
    {
      std::string names, params;
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) names += ", ", params += ", ";
        names += quote_identifier(row[i].first);
        params += fmt::format("?{}", i + 1);
      }
      auto st = impl.db.prepare(
          fmt::format("INSERT INTO {} ({}) VALUES ({})", quote_identifier(t.name), names, params));
      for (size_t i = 0; i < row.size(); ++i)
        bind_cell(st, static_cast<int>(i + 1), t, *t.column(row[i].first), row[i].second);
      try {
        st.run();
      } catch (const sql::Error& e) {
        if ((e.code() & 0xff) == SQLITE_CONSTRAINT)
          throw StoreError(fmt::format("table '{}' already has a record '{}'", t.name, id),
                           StoreError::Cause::Duplicate);
        throw;
      }
    }
    enqueue(t.name, id, QueueAction::Create, QueueContent::Row, changes_json(t, row));
    return id;
  });
}

void Transaction::update(std::string_view table, std::string_view record_id, const Row& changes) {
  if (!store_) throw StoreError("the transaction is no longer active");
  return store_->impl_->guarded(fmt::format("change a record of '{}'", table), [&]() -> void {
    auto& impl = *store_->impl_;
    TableSchema t = impl.require_table(table);
    const ColumnSchema* key = t.column(t.key_column);
    Row row;
    for (const auto& [name, cell] : changes) {
      const ColumnSchema* c = t.column(name);
      if (!c) throw StoreError(fmt::format("table '{}' has no column '{}'", t.name, name));
      if (c == key) throw StoreError(fmt::format("the key column '{}' cannot be changed", c->name));
      row.emplace_back(c->name, cell);
    }
    std::string sets;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) sets += ", ";
      sets += fmt::format("{} = ?{}", quote_identifier(row[i].first), i + 1);
    }
    if (!row.empty()) {
      auto st =
          impl.db.prepare(fmt::format("UPDATE {} SET {} WHERE {} = ?{}", quote_identifier(t.name),
                                      sets, quote_identifier(key->name), row.size() + 1));
      for (size_t i = 0; i < row.size(); ++i)
        bind_cell(st, static_cast<int>(i + 1), t, *t.column(row[i].first), row[i].second);
      st.bind(static_cast<int>(row.size() + 1), record_id);
      st.run();
      if (impl.db.changes() != 1)
        throw StoreError(fmt::format("table '{}' has no record '{}'", t.name, record_id),
                         StoreError::Cause::NotFound);
    } else if (!store_->get_row(t.name, record_id)) {
      throw StoreError(fmt::format("table '{}' has no record '{}'", t.name, record_id),
                       StoreError::Cause::NotFound);
    }
    enqueue(t.name, record_id, QueueAction::Update, QueueContent::Row, changes_json(t, row));
  });
}

void Transaction::remove(std::string_view table, std::string_view record_id) {
  if (!store_) throw StoreError("the transaction is no longer active");
  return store_->impl_->guarded(fmt::format("remove a record of '{}'", table), [&]() -> void {
    auto& impl = *store_->impl_;
    TableSchema t = impl.require_table(table);
    impl.db
        .prepare(fmt::format("DELETE FROM {} WHERE {} = ?1", quote_identifier(t.name),
                             quote_identifier(t.key_column)))
        .bind_all(record_id)
        .run();
    if (impl.db.changes() != 1)
      throw StoreError(fmt::format("table '{}' has no record '{}'", t.name, record_id),
                       StoreError::Cause::NotFound);
    enqueue(t.name, record_id, QueueAction::Delete, QueueContent::Row, "{}");
  });
}

void Transaction::queue_attachment(std::string_view table, std::string_view record_id,
                                   std::string_view column, QueueContent content,
                                   QueueAction action) {
  if (!store_) throw StoreError("the transaction is no longer active");
  TableSchema t = store_->impl_->require_table(table);
  const ColumnSchema* c = t.column(column);
  ColumnType want = content == QueueContent::Image ? ColumnType::Image : ColumnType::File;
  if (content == QueueContent::Row || !c || c->type != want)
    throw StoreError(
        fmt::format("table '{}' has no {} column '{}'", t.name, column_type_name(want), column));
  if (action != QueueAction::Delete && !store_->get_row(t.name, record_id))
    throw StoreError(fmt::format("table '{}' has no record '{}'", t.name, record_id),
                     StoreError::Cause::NotFound);
  store_->impl_->guarded(fmt::format("queue an upload of '{}'", t.name), [&] {
    enqueue(t.name, record_id, action, content, dump(json{{"column", c->name}}));
  });
}

// ---------------------------------------------------------------- queue

std::vector<QueueEntry> Store::queue() const {
  return impl_->guarded("read the upsync queue", [&]() -> std::vector<QueueEntry> {
    std::vector<QueueEntry> out;
    auto st = impl_->db.prepare(
        "SELECT id, table_name, record_id, action, content, changes_json, queued_at FROM "
        "_cfx_queue "
        "ORDER BY id");
    while (st.step()) {
      QueueEntry e;
      e.id = st.int64(0);
      e.table = st.text(1);
      e.record_id = st.text(2);
      e.action = parse_action(st.text(3)).value_or(QueueAction::Update);
      e.content = parse_content(st.text(4));
      e.changes_json = st.text(5);
      e.queued_at = st.int64(6);
      out.push_back(std::move(e));
    }
    return out;
  });
}

int64_t Store::queue_size() const {
  return impl_->guarded("read the upsync queue", [&]() -> int64_t {
    return impl_->db.scalar_int("SELECT count(*) FROM _cfx_queue").value_or(0);
  });
}

void Store::acknowledge(const std::vector<int64_t>& ids) {
  impl_->atomically("remove uploaded entries from the upsync queue", [&] {
    auto st = impl_->db.prepare("DELETE FROM _cfx_queue WHERE id = ?1");
    for (int64_t id : ids) st.reset().bind_all(id).run();
  });
}

// ---------------------------------------------------------------- sync runs

int64_t Store::begin_sync(bool initial) {
  return impl_->guarded("begin a sync run", [&]() -> int64_t {
    if (running_sync()) throw StoreError("a sync is already running");
    impl_->db.prepare("INSERT INTO _cfx_sync_runs (started_at, initial) VALUES (?1, ?2)")
        .bind_all(now(), initial)
        .run();
    return impl_->db.last_insert_rowid();
  });
}

namespace {

void require_running(const sql::Db& db, int64_t run_id) {
  auto st = db.prepare("SELECT outcome FROM _cfx_sync_runs WHERE id = ?1");
  st.bind_all(run_id);
  if (!st.step() || st.text(0) != "running")
    throw StoreError(fmt::format("sync run {} is not running", run_id));
}

std::string json_or_empty(const std::string& s, const char* what) {
  if (s.empty()) return s;
  if (!json::accept(s))
    throw StoreError(fmt::format("the sync error's {} is not valid JSON", what));
  return s;
}

}  // namespace

void Store::end_sync(int64_t run_id, const SyncRunResult& r) {
  impl_->atomically(fmt::format("end sync run {}", run_id), [&] {
    auto& db = impl_->db;
    require_running(db, run_id);
    int64_t t = now();
    bool failed = !r.errors.empty();
    auto tab = db.prepare(
        "INSERT OR REPLACE INTO _cfx_sync_run_tables "
        "(run_id, table_name, succeeded, rows_downloaded, rows_uploaded) VALUES (?1, ?2, ?3, ?4, "
        "?5)");
    for (const auto& o : r.tables) {
      if (!o.succeeded) failed = true;
      tab.reset().bind_all(run_id, o.table, o.succeeded, o.rows_downloaded, o.rows_uploaded).run();
    }
    // A table that synced successfully has no outstanding errors any more: the
    // changes they were about went up this time, or were given up.
    auto resolve = db.prepare(
        "UPDATE _cfx_sync_errors SET resolved = 1 WHERE resolved = 0 AND table_name = ?1 "
        "AND run_id IS NOT ?2");
    for (const auto& o : r.tables)
      if (o.succeeded) resolve.reset().bind_all(o.table, run_id).run();
    auto err = db.prepare(
        "INSERT INTO _cfx_sync_errors (run_id, error_time, message, error_type, table_name, "
        "record_id, owner, action, action_data, request_data, error_code, resolved) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    for (const auto& e : r.errors) {
      err.reset().bind_all(
          run_id, e.error_time ? e.error_time : t, e.message, e.error_type, e.table, e.record_id,
          e.owner,
          e.action ? std::optional<std::string>(queue_action_name(*e.action)) : std::nullopt,
          json_or_empty(e.action_data_json, "action data"),
          json_or_empty(e.request_data_json, "request data"), e.error_code, e.resolved);
      err.run();
    }
    auto warn = db.prepare(
        "INSERT INTO _cfx_sync_warnings (run_id, created_at, code, table_name, message) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const auto& w : r.warnings)
      warn.reset().bind_all(run_id, t, w.code, w.table, w.message).run();
    db.prepare("UPDATE _cfx_sync_runs SET ended_at = ?1, outcome = ?2 WHERE id = ?3")
        .bind_all(t, failed ? "failed" : "succeeded", run_id)
        .run();
  });
}

void Store::download_rows(int64_t run_id, std::string_view table, const std::vector<Row>& rows) {
  impl_->atomically(fmt::format("store downloaded rows of '{}'", table), [&] {
    require_running(impl_->db, run_id);
    impl_->upsert_rows(impl_->require_table(table), rows);
  });
}

namespace {

std::vector<SyncRun> read_runs(const sql::Db& db, std::string_view where) {
  std::vector<SyncRun> out;
  auto st = db.prepare(fmt::format(
      "SELECT id, started_at, ended_at, initial, outcome FROM _cfx_sync_runs {} ORDER BY id DESC",
      where));
  while (st.step()) {
    SyncRun r;
    r.id = st.int64(0);
    r.started_at = st.int64(1);
    r.ended_at = st.opt_int64(2);
    r.initial = st.int64(3) != 0;
    r.outcome = parse_outcome(st.text(4));
    out.push_back(std::move(r));
  }
  auto tabs = db.prepare(
      "SELECT table_name, succeeded, rows_downloaded, rows_uploaded FROM _cfx_sync_run_tables "
      "WHERE run_id = ?1 ORDER BY rowid");
  for (auto& r : out) {
    tabs.reset().bind_all(r.id);
    while (tabs.step())
      r.tables.push_back({tabs.text(0), tabs.int64(1) != 0, tabs.int64(2), tabs.int64(3)});
  }
  return out;
}

std::vector<SyncError> read_errors(const sql::Db& db, std::string_view where) {
  std::vector<SyncError> out;
  auto st = db.prepare(fmt::format(
      "SELECT id, run_id, error_time, message, error_type, table_name, record_id, owner, action, "
      "action_data, request_data, error_code, resolved FROM _cfx_sync_errors {} ORDER BY id DESC",
      where));
  while (st.step()) {
    SyncError e;
    e.id = st.int64(0);
    e.run_id = st.opt_int64(1);
    e.error_time = st.int64(2);
    e.message = st.text(3);
    e.error_type = st.text(4);
    e.table = st.text(5);
    e.record_id = st.text(6);
    e.owner = st.text(7);
    if (auto a = st.opt_text(8)) e.action = parse_action(*a);
    e.action_data_json = st.text(9);
    e.request_data_json = st.text(10);
    e.error_code = st.text(11);
    e.resolved = st.int64(12) != 0;
    out.push_back(std::move(e));
  }
  return out;
}

constexpr const char* kLastCompleted =
    "(SELECT id FROM _cfx_sync_runs WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT 1)";

}  // namespace

std::optional<SyncRun> Store::running_sync() const {
  return impl_->guarded("read the sync runs", [&]() -> std::optional<SyncRun> {
    auto runs = read_runs(impl_->db, "WHERE outcome = 'running'");
    if (runs.empty()) return std::nullopt;
    return runs.front();
  });
}

std::optional<SyncRun> Store::last_completed_sync() const {
  return impl_->guarded("read the sync runs", [&]() -> std::optional<SyncRun> {
    auto runs = read_runs(impl_->db, fmt::format("WHERE id = {}", kLastCompleted));
    if (runs.empty()) return std::nullopt;
    return runs.front();
  });
}

std::vector<SyncRun> Store::sync_runs() const {
  return impl_->guarded("read the sync runs", [&] { return read_runs(impl_->db, ""); });
}

std::vector<SyncError> Store::sync_errors(bool unresolved_only) const {
  return impl_->guarded("read the sync errors", [&]() -> std::vector<SyncError> {
    return read_errors(impl_->db, unresolved_only ? "WHERE resolved = 0" : "");
  });
}

std::vector<SyncError> Store::last_sync_errors() const {
  return impl_->guarded("read the sync errors", [&]() -> std::vector<SyncError> {
    return read_errors(impl_->db,
                       fmt::format("WHERE resolved = 0 AND run_id = {}", kLastCompleted));
  });
}

void Store::resolve_error(int64_t error_id) {
  return impl_->guarded(fmt::format("resolve sync error {}", error_id), [&]() -> void {
    impl_->db.prepare("UPDATE _cfx_sync_errors SET resolved = 1 WHERE id = ?1")
        .bind_all(error_id)
        .run();
    if (impl_->db.changes() != 1) throw StoreError(fmt::format("no sync error {}", error_id));
  });
}

std::vector<SyncWarning> Store::recorded_warnings() const {
  return impl_->guarded("read the sync warnings", [&]() -> std::vector<SyncWarning> {
    std::vector<SyncWarning> out;
    auto st = impl_->db.prepare(fmt::format(
        "SELECT id, run_id, created_at, code, table_name, message FROM _cfx_sync_warnings "
        "WHERE run_id = {} ORDER BY id",
        kLastCompleted));
    while (st.step())
      out.push_back(
          {st.int64(0), st.opt_int64(1), st.int64(2), st.text(3), st.text(4), st.text(5)});
    return out;
  });
}

int64_t Store::storage_bytes() const {
  return impl_->guarded("measure its storage", [&]() -> int64_t {
    int64_t pages = impl_->db.scalar_int("PRAGMA page_count").value_or(0);
    int64_t size = impl_->db.scalar_int("PRAGMA page_size").value_or(0);
    return pages * size;
  });
}

}  // namespace canvasfx::host
