// Internals shared by the server's source files: the service's caches and the
// helpers every part of it uses.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "canvasfx/sync/server.h"
#include "scope.h"

namespace canvasfx::sync {

// A table's scope for one user, as computed at one counter version: its keys
// in byte order with their effective versions. The pages of a pass read it
// instead of computing the scope again for each page, as long as nothing was
// written since: every write takes a version from the counter, so an equal
// counter means the same rows. Pages are cut from it in byte order whether it
// was just computed or not, so that a pass's cursor means one order throughout.
struct CachedScope {
  int64_t counter = 0;
  std::vector<std::pair<std::string, int64_t>> keys;  // sorted by key
  uint64_t last_used = 0;
  // The effective version of `key`, if it is in the scope.
  std::optional<int64_t> eff(const std::string& key) const {
    auto it = std::lower_bound(keys.begin(), keys.end(), std::make_pair(key, INT64_MIN));
    if (it == keys.end() || it->first != key) return std::nullopt;
    return it->second;
  }
};

// The cached scopes, least recently used dropped beyond a total of keys.
class ScopeCache {
 public:
  static constexpr size_t kMaxKeys = 1'000'000;  // about 100 MB of GUID keys
  std::shared_ptr<const CachedScope> find(const std::string& id, int64_t counter);
  void put(const std::string& id, std::shared_ptr<CachedScope> scope);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<CachedScope>> scopes_;
  size_t keys_ = 0;
  uint64_t clock_ = 0;
};

struct ServiceState {
  std::mutex mutex;
  ScopeCache scopes;
  std::vector<ServerTable> catalog;  // loaded at start, changed by define_table
  // Published profiles resolved against the catalog, by name; an entry is
  // replaced when its epoch (the version it was published at) is newer.
  std::map<std::string, std::shared_ptr<ResolvedProfile>> profiles;
};

int64_t now_ms();

// Takes `count` new versions from the counter (inside a write transaction);
// returns the last one (the versions are last - count + 1 ... last).
int64_t take_versions(SqlConnection& c, int64_t count = 1);

// The table of the catalog (case-insensitive), or nullptr.
const ServerTable* find_table(const std::vector<ServerTable>& catalog, std::string_view name);

// A row of a server table as the device sees it: the profile's columns.
json row_values_json(const ResolvedTable& t, const SqlRow& row, size_t first_column);
// The SELECT list of a ResolvedTable's profile columns, for alias x.
std::string profile_select_list(const ResolvedTable& t);
// A server SQL value <-> a device cell, by column type.
host::Cell to_cell(host::ColumnType type, const SqlValue& v);
SqlValue from_cell(host::ColumnType type, const host::Cell& c);

}  // namespace canvasfx::sync

namespace canvasfx::sync {

// The published profile `name` ("" for the most recently published one),
// resolved against the catalog (cached by epoch). Throws ApiError 404.
std::shared_ptr<const ResolvedProfile> published_profile(SqlConnection& c, ServiceState& state,
                                                         const std::string& name);

// Request fields, checked: a missing or mistyped field is a 400 naming it.
const std::string& text_field(const json& body, const char* name);
std::optional<std::string> optional_text_field(const json& body, const char* name);
int64_t int_field(const json& body, const char* name, int64_t min, int64_t max,
                  std::optional<int64_t> fallback = std::nullopt);

}  // namespace canvasfx::sync
