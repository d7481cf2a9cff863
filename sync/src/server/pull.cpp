// Downsync (POST /v1/pull): one page of one phase of a table's pass, computed
// in one read transaction (one snapshot) — see protocol.h for the phases.
//
//   request   {"profile": name|null, "table": T, "since": V, "phase": "rows" |
//              "removals" | "check", "after": key|null, "limit": n,
//              "snapshot": S0 (check only)}
//   rows      {"rows": [{"key", "version", "values"}], "next": key|null, "total"}
//   removals  {"keys": [...], "next": key|null}
//   check     {"count", "digest", "excluded": [...]} or {"skipped": true}
//   always    {"snapshot": the counter now, "epoch", "profile_epoch"}
#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "server_impl.h"

namespace canvasfx::sync {

namespace {

// Rows of table t that may have left a device's scope since version `since`:
// the row changed, or a row next to it (its lookup targets, the rows whose
// lookups point at it) changed. One `?` (since) per term.
SqlPart moved_since(const ResolvedProfile& p, int ti, int64_t since) {
  const ResolvedTable& t = p.tables()[static_cast<size_t>(ti)];
  SqlPart out{"(x._cfx_version > ?", {since}};
  for (const ServerColumn& c : t.server.columns) {
    if (c.type != host::ColumnType::Lookup) continue;
    int target = p.index_of(c.target);
    if (target < 0) continue;
    const ServerTable& tt = p.tables()[static_cast<size_t>(target)].server;
    out.sql += fmt::format(" OR {} IN (SELECT {} FROM {} WHERE _cfx_version > ?)",
                           column_ref("x", c.name), quote_name(tt.key), quote_name(tt.name));
    out.params.push_back(since);
  }
  for (const ResolvedTable& other : p.tables())
    for (const ServerColumn& c : other.server.columns)
      if (c.type == host::ColumnType::Lookup && p.index_of(c.target) == ti) {
        out.sql += fmt::format(" OR {} IN (SELECT {} FROM {} WHERE _cfx_version > ?)",
                               column_ref("x", t.server.key), quote_name(c.name),
                               quote_name(other.server.name));
        out.params.push_back(since);
      }
  out.sql += ")";
  return out;
}

// What a cached scope is for: the user, with what decides their scope, the
// published profile and its epoch, the table.
std::string scope_cache_id(const User& user, const ResolvedProfile& p, int ti) {
  std::string id =
      fmt::format("{}|{}|{}|{}|{}|", user.id, user.business_unit, p.profile().name, p.epoch, ti);
  for (const auto& team : user.teams) id += team + ",";
  return id;
}

// One page of the rows phase from a cached scope: the keys after `after` whose
// effective version is above `since`, then their rows, in key order.
void rows_page(SqlConnection& c, const ResolvedTable& t, const CachedScope& scope, int64_t since,
               const std::optional<std::string>& after, int64_t limit, json& out) {
  auto it = after ? std::upper_bound(scope.keys.begin(), scope.keys.end(),
                                     std::make_pair(*after, INT64_MAX))
                  : scope.keys.begin();
  std::vector<std::string> page;
  for (; it != scope.keys.end() && static_cast<int64_t>(page.size()) < limit; ++it)
    if (it->second > since) page.push_back(it->first);
  std::map<std::string, json> found;
  // Chunks keep the statement under every backend's limit of parameters.
  constexpr size_t kChunk = 500;
  for (size_t i = 0; i < page.size(); i += kChunk) {
    SqlParams params;
    std::string marks;
    for (size_t j = i; j < std::min(page.size(), i + kChunk); ++j) {
      marks += marks.empty() ? "?" : ", ?";
      params.push_back(page[j]);
    }
    std::string key = column_ref("x", t.server.key);
    c.each(fmt::format("SELECT {}, x._cfx_version, {} FROM {} x WHERE {} IN ({})", key,
                       profile_select_list(t), quote_name(t.server.name), key, marks),
           params, [&](const SqlRow& r) {
             found[as_text(r[0])] = {{"key", as_text(r[0])},
                                     {"version", as_int(r[1])},
                                     {"values", row_values_json(t, r, 2)}};
             return true;
           });
  }
  json rows = json::array();
  for (const auto& k : page)
    if (auto f = found.find(k); f != found.end()) rows.push_back(std::move(f->second));
  out["next"] = static_cast<int64_t>(page.size()) == limit ? json(page.back()) : json(nullptr);
  out["rows"] = std::move(rows);
  if (!after) {
    int64_t total = 0;
    for (const auto& [k, eff] : scope.keys) total += eff > since;
    out["total"] = total;
  }
}

}  // namespace

std::shared_ptr<const CachedScope> ScopeCache::find(const std::string& id, int64_t counter) {
  std::lock_guard lock(mutex_);
  auto it = scopes_.find(id);
  if (it == scopes_.end() || it->second->counter != counter) return nullptr;
  it->second->last_used = ++clock_;
  return it->second;
}

void ScopeCache::put(const std::string& id, std::shared_ptr<CachedScope> scope) {
  std::lock_guard lock(mutex_);
  if (scope->keys.size() > kMaxKeys) return;
  scope->last_used = ++clock_;
  if (auto it = scopes_.find(id); it != scopes_.end()) keys_ -= it->second->keys.size();
  keys_ += scope->keys.size();
  scopes_[id] = std::move(scope);
  while (keys_ > kMaxKeys) {
    auto oldest = std::min_element(
        scopes_.begin(), scopes_.end(),
        [](const auto& a, const auto& b) { return a.second->last_used < b.second->last_used; });
    keys_ -= oldest->second->keys.size();
    scopes_.erase(oldest);
  }
}

json SyncService::pull(const User& user, const json& body) {
  std::string profile_name = optional_text_field(body, "profile").value_or("");
  const std::string& table = text_field(body, "table");
  int64_t since = int_field(body, "since", 0, INT64_MAX);
  std::string phase = optional_text_field(body, "phase").value_or("rows");
  std::optional<std::string> after = optional_text_field(body, "after");
  int64_t limit = int_field(body, "limit", 1, kMaxPageSize, kDefaultPageSize);
  if (phase != "rows" && phase != "removals" && phase != "check")
    throw ApiError(400, "bad-request", "the phase is rows, removals or check");
  int64_t snapshot_s0 = phase == "check" ? int_field(body, "snapshot", 0, INT64_MAX) : 0;

  Lease c = storage_->lease();
  json out;
  in_transaction(*c, false, [&] {
    auto p = published_profile(*c, *state_, profile_name);
    int ti = p->index_of(table);
    if (ti < 0)
      throw ApiError(
          404, "not-in-profile",
          fmt::format("table '{}' is not in the profile '{}'", table, p->profile().name));
    const ResolvedTable& t = p->tables()[static_cast<size_t>(ti)];
    int64_t counter = as_int(c->scalar("SELECT version FROM _cfx_counter WHERE id = 1"));
    out = {{"snapshot", counter},
           {"epoch", std::max(p->epoch, user.scope_epoch)},
           {"profile_epoch", p->epoch}};
    // The scope, computed (in temporary tables) only when no page since the
    // last write has computed it.
    std::string id = scope_cache_id(user, *p, ti);
    std::shared_ptr<const CachedScope> scope = state_->scopes.find(id, counter);
    if (!scope) {
      ScopeComputation computation(*c, *p, user);
      computation.compute(ti);
      auto fresh = std::make_shared<CachedScope>();
      fresh->counter = counter;
      c->each(fmt::format("SELECT k, eff FROM {}", computation.scope_table(ti)), {},
              [&](const SqlRow& r) {
                fresh->keys.emplace_back(as_text(r[0]), as_int(r[1]));
                return true;
              });
      std::sort(fresh->keys.begin(), fresh->keys.end());
      state_->scopes.put(id, fresh);
      scope = std::move(fresh);
    }
    std::string key = column_ref("x", t.server.key);

    if (phase == "rows") {
      rows_page(*c, t, *scope, since, after, limit, out);
      return;
    }

    if (phase == "removals") {
      SqlPart moved = moved_since(*p, ti, since);
      SqlParams params = moved.params;
      std::string cursor;
      if (after) {
        cursor = fmt::format(" AND {} > ?", key);
        params.push_back(*after);
      }
      json keys = json::array();
      c->each(fmt::format("SELECT {0} FROM {1} x WHERE {2}{3} ORDER BY {0}", key,
                          quote_name(t.server.name), moved.sql, cursor),
              params, [&](const SqlRow& r) {
                std::string k = as_text(r[0]);
                if (!scope->eff(k)) keys.push_back(std::move(k));
                return static_cast<int64_t>(keys.size()) < limit;
              });
      out["next"] = static_cast<int64_t>(keys.size()) == limit ? keys.back() : json(nullptr);
      out["keys"] = std::move(keys);
      return;
    }

    // check: the digest of what a device at snapshot S0 must hold, leaving out
    // the rows that moved since S0 (the device's next pass brings them).
    SqlPart moved = moved_since(*p, ti, snapshot_s0);
    std::unordered_set<std::string> excluded;
    bool too_many = false;
    moved.params.push_back(static_cast<int64_t>(kMaxCheckExclusions + 1));
    c->each(fmt::format("SELECT {} FROM {} x WHERE {} LIMIT ?", key, quote_name(t.server.name),
                        moved.sql),
            moved.params, [&](const SqlRow& r) {
              excluded.insert(as_text(r[0]));
              return true;
            });
    ScopeDigest digest;
    c->each(fmt::format("SELECT {}, x._cfx_version FROM {} x WHERE x._cfx_deleted = 0", key,
                        quote_name(t.server.name)),
            {}, [&](const SqlRow& r) {
              std::string k = as_text(r[0]);
              std::optional<int64_t> eff = scope->eff(k);
              if (!eff) return true;
              if (*eff > snapshot_s0) {
                excluded.insert(std::move(k));
                too_many = excluded.size() > kMaxCheckExclusions;
                return !too_many;
              }
              if (!excluded.count(k)) digest.add(k, as_int(r[1]));
              return true;
            });
    if (too_many || excluded.size() > kMaxCheckExclusions) {
      out["skipped"] = true;
      return;
    }
    out["count"] = digest.count;
    out["digest"] = digest.hex();
    json list = json::array();
    for (const auto& k : excluded) list.push_back(k);
    out["excluded"] = std::move(list);
  });
  return out;
}

}  // namespace canvasfx::sync
