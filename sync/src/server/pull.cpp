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

}  // namespace

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
    out = {{"snapshot", as_int(c->scalar("SELECT version FROM _cfx_counter WHERE id = 1"))},
           {"epoch", std::max(p->epoch, user.scope_epoch)},
           {"profile_epoch", p->epoch}};
    ScopeComputation scope(*c, *p, user);
    scope.compute(ti);
    std::string s = scope.scope_table(ti);
    std::string key = column_ref("x", t.server.key);

    if (phase == "rows") {
      SqlParams params{since};
      std::string cursor;
      if (after) {
        cursor = " AND s.k > ?";
        params.push_back(*after);
      }
      params.push_back(limit);
      json rows = json::array();
      std::string last;
      c->each(
          fmt::format("SELECT {}, x._cfx_version, {} FROM {} s JOIN {} x ON {} = s.k WHERE "
                      "s.eff > ?{} ORDER BY s.k LIMIT ?",
                      key, profile_select_list(t), s, quote_name(t.server.name), key, cursor),
          params, [&](const SqlRow& r) {
            last = as_text(r[0]);
            rows.push_back(
                {{"key", last}, {"version", as_int(r[1])}, {"values", row_values_json(t, r, 2)}});
            return true;
          });
      out["next"] = static_cast<int64_t>(rows.size()) == limit ? json(last) : json(nullptr);
      out["rows"] = std::move(rows);
      if (!after)
        out["total"] =
            as_int(c->scalar(fmt::format("SELECT count(*) FROM {} WHERE eff > ?", s), {since}));
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
      params.push_back(limit);
      json keys = json::array();
      c->each(fmt::format("SELECT {0} FROM {1} x WHERE {2}{3} AND NOT EXISTS (SELECT 1 FROM {4} s "
                          "WHERE s.k = {0}) ORDER BY {0} LIMIT ?",
                          key, quote_name(t.server.name), moved.sql, cursor, s),
              params, [&](const SqlRow& r) {
                keys.push_back(as_text(r[0]));
                return true;
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
    c->each(fmt::format("SELECT s.k, x._cfx_version, s.eff FROM {} s JOIN {} x ON {} = s.k", s,
                        quote_name(t.server.name), key),
            {}, [&](const SqlRow& r) {
              std::string k = as_text(r[0]);
              if (as_int(r[2]) > snapshot_s0) {
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
