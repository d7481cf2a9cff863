// Internals shared by the server's source files: the service's caches and the
// helpers every part of it uses.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "canvasfx/sync/server.h"
#include "scope.h"

namespace canvasfx::sync {

struct ServiceState {
  std::mutex mutex;
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
