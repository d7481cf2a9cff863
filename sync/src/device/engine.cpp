// The device's sync engine (device.h).
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <map>
#include <set>

#include "canvasfx/host/profile.h"
#include "canvasfx/host/sync_journal.h"
#include "canvasfx/sync/device.h"
#include "client.h"

namespace canvasfx::sync {

namespace {

using host::QueueAction;
using host::QueueContent;

// An exclusive lock on "<store>.sync-lock" for the whole run: two engines on
// one store would interleave their pages. The kernel drops it when the
// process dies, however it dies.
class SyncLock {
 public:
  explicit SyncLock(const std::filesystem::path& store) {
    if (store == ":memory:") {
      held_ = true;
      return;
    }
    fd_ = ::open((store.string() + ".sync-lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    held_ = fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
  }
  ~SyncLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

class Run {
 public:
  Run(host::Store& store, const DeviceSyncOptions& o, DeviceSyncReport& report)
      : store_(store), o_(o), report_(report) {}

  void execute() {
    SyncLock lock(store_.path());
    if (!lock.held()) {
      report_.error = "another sync of this store is running";
      return;
    }
    if (auto stale = store_.running_sync())
      host::fail_abandoned_sync(store_, stale->id,
                                "The previous sync was interrupted before it finished.");
    if (!store_.device_state().connected) {
      report_.error = "the device is offline";
      return;
    }
    host::SyncBinding binding = host::sync_binding(store_);
    bool rebind =
        !binding.user.empty() && (binding.user != o_.user || binding.url != o_.server_url);
    if (rebind && store_.queue_size() > 0) {
      report_.error = fmt::format(
          "the store holds {} change(s) of user '{}' for {} that are not uploaded yet; sync them "
          "as that user first",
          store_.queue_size(), binding.user, binding.url);
      return;
    }
    if (binding.device_id.empty()) binding.device_id = random_guid();
    binding.user = o_.user;
    binding.url = o_.server_url;
    host::set_sync_binding(store_, binding);
    device_id_ = binding.device_id;

    bool initial = true;
    for (const auto& t : store_.tables())
      if (host::table_pass(store_, t.name).last_pass_at) initial = false;
    run_id_ = store_.begin_sync(initial);
    report_.started = true;
    host::SyncRunResult result;
    try {
      client_ = std::make_unique<SyncClient>(o_.server_url, o_.token, o_.timeout_seconds);
      json profile = fetch_profile();
      profile_epoch_ = profile.value("profile_epoch", int64_t{0});
      epoch_ = profile.value("epoch", int64_t{0});
      profile_name_ = profile.value("name", "");
      std::string yaml = profile.value("yaml", "");
      if (rebind || yaml != store_.app_settings().profile_yaml) {
        upload();  // the changes made under the old profile go up first
        host::apply(host::parse_profile(yaml, profile_name_), store_);
        schemas_.clear();
      }
      upload();
      if (!o_.upload_only)
        for (const auto& t : store_.tables()) download(t);
      report_.ok = true;
    } catch (const SyncFailure& f) {
      fail(result, f.type(), f.code(), f.what());
    } catch (const host::ProfileParseError& e) {
      fail(result, "server", "profile",
           fmt::format("The published profile is malformed: {}", e.what()));
    } catch (const std::exception& e) {
      fail(result, "device", "", e.what());
    }
    for (auto& [table, t] : outcomes_) result.tables.push_back(t);
    for (const auto& table : rejected_tables_) {
      auto it = outcomes_.find(table);
      if (it == outcomes_.end()) result.tables.push_back({table, false, 0, 0});
    }
    for (auto& t : result.tables)
      if (rejected_tables_.count(t.table)) t.succeeded = false;
    if (!rejected_tables_.empty()) report_.ok = false;
    store_.end_sync(run_id_, result);
  }

 private:
  void fail(host::SyncRunResult& result, const std::string& type, const std::string& code,
            const std::string& message) {
    report_.ok = false;
    report_.error = message;
    host::SyncError e;
    e.message = message;
    e.error_type = type;
    e.table = current_table_;
    e.error_code = code;
    result.errors.push_back(e);
    if (!current_table_.empty()) {
      auto& o = outcomes_[current_table_];
      o.table = current_table_;
      o.succeeded = false;
    }
  }

  void ensure_online() {
    if (!store_.device_state().connected)
      throw SyncFailure("offline", 0, "offline", "The device went offline during the sync.");
  }

  json request(const std::string& path, const json& body) {
    ensure_online();
    return client_->post(path, body);
  }

  json fetch_profile() {
    ensure_online();
    std::string name = o_.profile.empty() ? store_.app_settings().profile_name : o_.profile;
    auto query = [&](const std::string& n) {
      return client_->get("/v1/profile" + (n.empty() ? std::string() : "?name=" + url_encode(n)));
    };
    try {
      return query(name);
    } catch (const SyncFailure& f) {
      // The store's demo or old profile is not on the server: take the published one.
      if (f.status() == 404 && o_.profile.empty() && !name.empty()) return query("");
      throw;
    }
  }

  static std::string url_encode(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
        out += static_cast<char>(c);
      else
        out += fmt::format("%{:02X}", c);
    }
    return out;
  }

  const host::TableSchema& schema(const std::string& table) {
    auto it = schemas_.find(table);
    if (it == schemas_.end()) {
      auto t = store_.table(table);
      if (!t) throw host::StoreError(fmt::format("no local table '{}'", table));
      it = schemas_.emplace(table, *t).first;
    }
    return it->second;
  }

  // ---------------------------------------------------------------- upsync

  json change_of(const host::QueueEntry& e) {
    const host::TableSchema& t = schema(e.table);
    json values = json::object();
    std::string action = host::queue_action_name(e.action);
    json stored = json::parse(e.changes_json, nullptr, false);
    auto local_cell = [&](const host::ColumnSchema& c) -> json {
      auto row = store_.get_row(t.name, e.record_id);
      if (!row) return nullptr;
      for (const auto& [name, cell] : *row)
        if (name == c.name) return cell_to_json(c.type, cell);
      return nullptr;
    };
    if (e.content == QueueContent::Row) {
      if (e.action != QueueAction::Delete && stored.is_object())
        for (const auto& [name, v] : stored.items()) {
          const host::ColumnSchema* c = t.column(name);
          if (!c) continue;
          if (c->type == host::ColumnType::File || c->type == host::ColumnType::Image) {
            values[c->name] = local_cell(*c);  // the queue holds only their size
            continue;
          }
          auto cell = cell_from_json(c->type, v);
          values[c->name] = cell ? cell_to_json(c->type, *cell) : v;
        }
    } else {
      // A file or image column's content: an update of that column.
      const host::ColumnSchema* c =
          stored.is_object() ? t.column(stored.value("column", "")) : nullptr;
      if (c) values[c->name] = e.action == QueueAction::Delete ? json(nullptr) : local_cell(*c);
      action = "update";
    }
    json change = {{"id", fmt::format("{}:{}", device_id_, e.id)},
                   {"table", t.name},
                   {"record", e.record_id},
                   {"action", action},
                   {"values", values}};
    auto base = host::row_version(store_, t.name, e.record_id);
    change["base_version"] = base ? json(*base) : json(nullptr);
    return change;
  }

  void upload() {
    auto queue = store_.queue();
    int64_t total = static_cast<int64_t>(queue.size()), done = 0;
    while (!queue.empty()) {
      std::vector<host::QueueEntry> batch(
          queue.begin(),
          queue.begin() + std::min<size_t>(queue.size(), static_cast<size_t>(o_.push_batch)));
      json changes = json::array();
      for (const auto& e : batch) changes.push_back(change_of(e));
      current_table_ = batch.front().table;
      json answer = request(
          "/v1/push", {{"profile", profile_name_}, {"device", device_id_}, {"changes", changes}});
      const json& results = answer["results"];
      if (!results.is_array() || results.size() != batch.size())
        throw SyncFailure("server", 0, "bad-answer",
                          "The sync server's answer to an upload does not match the changes sent.");
      for (size_t i = 0; i < batch.size(); ++i) settle(batch[i], changes[i], results[i]);
      done += static_cast<int64_t>(batch.size());
      if (o_.progress) o_.progress({"", "upload", done, std::max(total, done)});
      queue = store_.queue();
    }
    current_table_.clear();
  }

  void settle(const host::QueueEntry& e, const json& change, const json& r) {
    if (!r.is_object() || r.value("id", "") != change["id"])
      throw SyncFailure("server", 0, "bad-answer",
                        "The sync server's answer to an upload does not match the changes sent.");
    bool deleted = e.content == QueueContent::Row && e.action == QueueAction::Delete;
    if (r.value("status", "") == "accepted") {
      int64_t version = r.value("version", int64_t{0});
      host::accept_change(store_, e, deleted ? std::nullopt : std::optional<int64_t>(version));
      ++report_.uploaded;
      ++outcomes_uploaded_[e.table];
      return;
    }
    host::SyncError err;
    err.message = r.value("message", "The server rejected the change.");
    err.error_type = r.value("type", "rejected");
    err.error_code = r.value("code", "");
    err.table = e.table;
    err.record_id = e.record_id;
    err.owner = o_.user;
    err.action = e.action;
    err.action_data_json = e.changes_json;
    err.request_data_json = change.dump(-1, ' ', false, json::error_handler_t::replace);
    std::optional<host::DownloadedRow> server_row;
    if (r.contains("row") && r["row"].is_object()) {
      const json& row = r["row"];
      server_row = host::DownloadedRow{
          row_of(schema(e.table), e.record_id, row.value("values", json::object())),
          row.value("version", int64_t{0})};
    }
    host::reject_change(store_, run_id_, e, err, server_row);
    ++report_.rejected;
    rejected_tables_.insert(e.table);
  }

  // ---------------------------------------------------------------- downsync

  host::Row row_of(const host::TableSchema& t, const std::string& key, const json& values) {
    host::Row row{{t.key_column, key}};
    if (!values.is_object())
      throw SyncFailure("server", 0, "bad-answer", "The sync server sent a row without values.");
    for (const auto& [name, v] : values.items()) {
      const host::ColumnSchema* c = t.column(name);
      if (!c || c->name == t.key_column) continue;
      auto cell = cell_from_json(c->type, v);
      if (!cell)
        throw SyncFailure("server", 0, "bad-answer",
                          fmt::format("The sync server sent a value of '{}'.'{}' that is not a {}.",
                                      t.name, c->name, host::column_type_name(c->type)));
      row.emplace_back(c->name, std::move(*cell));
    }
    return row;
  }

  bool due(const host::TableSchema& t, const host::TablePass& p) const {
    if (o_.force || p.since || p.needs_full || !p.last_pass_at) return true;
    return store_.now() - *p.last_pass_at >= int64_t{t.sync_interval_minutes} * 60'000;
  }

  host::TablePass start_pass(host::TablePass p, bool full) {
    p.since = full ? 0 : p.watermark;
    p.full = full;
    p.phase = "rows";
    p.after.reset();
    p.snapshot = 0;
    p.progress_done = p.progress_total = 0;
    if (full) ++p.generation;
    return p;
  }

  void download(const host::TableSchema& t) {
    current_table_ = t.name;
    TableSyncReport rep;
    rep.table = t.name;
    host::TablePass p = host::table_pass(store_, t.name);
    if (!due(t, p)) {
      report_.tables.push_back(rep);
      current_table_.clear();
      return;
    }
    rep.synced = true;
    // At most two passes: a delta pass whose check fails is followed by a full one.
    for (int pass_number = 0; pass_number < 2; ++pass_number) {
      if (!p.since)
        p = start_pass(p, p.needs_full || p.watermark == 0 || p.watermark < epoch_);
      else if (p.snapshot != 0 && epoch_ > p.snapshot)
        p = start_pass(p, true);  // the scope changed under a pass in progress
      rep.full = rep.full || p.full;
      if (run_pass(t, p, rep)) break;
      p.needs_full = true;
    }
    auto& o = outcomes_[t.name];
    o.table = t.name;
    o.rows_downloaded += rep.downloaded;
    o.rows_uploaded = outcomes_uploaded_[t.name];
    report_.tables.push_back(rep);
    current_table_.clear();
  }

  // Runs (or resumes) pass `p` to its end. Returns false when its check failed.
  bool run_pass(const host::TableSchema& t, host::TablePass& p, TableSyncReport& rep) {
    while (p.phase == "rows") {
      json req = {{"profile", profile_name_},
                  {"table", t.name},
                  {"since", *p.since},
                  {"phase", "rows"},
                  {"limit", o_.page_size}};
      req["after"] = p.after ? json(*p.after) : json(nullptr);
      json page = request("/v1/pull", req);
      check_epochs(page);
      if (p.snapshot == 0) p.snapshot = page.value("snapshot", int64_t{0});
      if (page.value("epoch", int64_t{0}) > p.snapshot) {
        p = start_pass(p, true);
        rep.full = true;
        continue;
      }
      if (page.contains("total")) p.progress_total = page["total"].get<int64_t>();
      std::vector<host::DownloadedRow> rows;
      for (const json& r : page.value("rows", json::array()))
        rows.push_back({row_of(t, r.value("key", ""), r.value("values", json::object())),
                        r.value("version", int64_t{0})});
      p.progress_done += static_cast<int64_t>(rows.size());
      if (page["next"].is_string()) {
        p.after = page["next"].get<std::string>();
      } else {
        p.after.reset();
        p.phase = p.full ? "finish" : "removals";
      }
      auto out = host::apply_page(store_, run_id_, p, rows, {});
      rep.downloaded += out.applied;
      if (o_.progress) o_.progress({t.name, "rows", p.progress_done, p.progress_total});
    }
    while (p.phase == "removals") {
      json req = {{"profile", profile_name_},
                  {"table", t.name},
                  {"since", *p.since},
                  {"phase", "removals"},
                  {"limit", o_.page_size}};
      req["after"] = p.after ? json(*p.after) : json(nullptr);
      json page = request("/v1/pull", req);
      check_epochs(page);
      if (page.value("epoch", int64_t{0}) > p.snapshot) {
        p = start_pass(p, true);
        rep.full = true;
        return run_pass(t, p, rep);
      }
      std::vector<std::string> keys;
      for (const json& k : page.value("keys", json::array()))
        if (k.is_string()) keys.push_back(k.get<std::string>());
      if (page["next"].is_string()) {
        p.after = page["next"].get<std::string>();
      } else {
        p.after.reset();
        p.phase = "finish";
      }
      auto out = host::apply_page(store_, run_id_, p, {}, keys);
      rep.removed += out.applied;
      if (o_.progress) o_.progress({t.name, "removals", p.progress_done, p.progress_total});
    }

    bool consistent = true;
    if (p.full) {
      p = finished(p);
      rep.removed += host::sweep_full_pass(store_, run_id_, p);
    } else {
      consistent = check(t, p);
      p = finished(p);
      p.needs_full = !consistent;
      host::save_table_pass(store_, p);
    }
    return consistent;
  }

  host::TablePass finished(host::TablePass p) const {
    p.watermark = p.snapshot;
    p.since.reset();
    p.phase = "rows";
    p.after.reset();
    p.needs_full = false;
    p.progress_done = p.progress_total;
    p.last_pass_at = store_.now();
    return p;
  }

  // The check phase: the server's digest of the scope against this device's rows.
  bool check(const host::TableSchema& t, const host::TablePass& p) {
    if (host::has_pending_changes(store_, t.name)) return true;  // checked at a later sync
    json answer = request("/v1/pull", {{"profile", profile_name_},
                                       {"table", t.name},
                                       {"since", *p.since},
                                       {"phase", "check"},
                                       {"snapshot", p.snapshot}});
    check_epochs(answer);
    if (answer.value("skipped", false)) return true;
    std::set<std::string> excluded;
    for (const json& k : answer.value("excluded", json::array()))
      if (k.is_string()) excluded.insert(k.get<std::string>());
    ScopeDigest local;
    host::each_synced_row(store_, t.name, [&](const std::string& key, int64_t version) {
      if (!excluded.count(key)) local.add(key, version);
    });
    if (o_.progress) o_.progress({t.name, "check", p.progress_total, p.progress_total});
    return local.count == answer.value("count", int64_t{-1}) &&
           local.hex() == answer.value("digest", std::string());
  }

  void check_epochs(const json& page) {
    if (page.value("profile_epoch", int64_t{0}) != profile_epoch_)
      throw SyncFailure("server", 0, "profile-changed",
                        "The offline profile was published again during the sync; the next sync "
                        "applies it.");
    epoch_ = std::max(epoch_, page.value("epoch", int64_t{0}));
  }

  host::Store& store_;
  const DeviceSyncOptions& o_;
  DeviceSyncReport& report_;
  std::unique_ptr<SyncClient> client_;
  std::string device_id_, profile_name_, current_table_;
  int64_t run_id_ = 0, profile_epoch_ = 0, epoch_ = 0;
  std::map<std::string, host::TableSchema> schemas_;
  std::map<std::string, host::TableSyncOutcome> outcomes_;
  std::map<std::string, int64_t> outcomes_uploaded_;
  std::set<std::string> rejected_tables_;
};

}  // namespace

DeviceSync::DeviceSync(host::Store& store, DeviceSyncOptions options)
    : store_(store), options_(std::move(options)) {}

DeviceSyncReport DeviceSync::run() {
  DeviceSyncReport report;
  Run(store_, options_, report).execute();
  return report;
}

}  // namespace canvasfx::sync
