// Row scopes: which rows of a table a profile selects for a user, computed in
// SQL on the server's storage.
//
// A published profile is first *resolved* against the catalog: each profile
// table gets its server table, its filter rules become SQL predicates (values
// typed by their column), and its relationships and "related rows" rules
// become edges between tables:
//
//   child edge   from X to Y through Y.lookup -> X   (Y rows whose lookup points
//                                                      at a selected X row)
//   parent edge  from X to Y through X.lookup -> Y   (Y rows a selected X row
//                                                      points at)
//
// "relationships: one_to_many" from A to B is a child edge A -> B,
// "many_to_one" a parent edge; "related: [R]" on T adds both kinds between R
// and T, whichever lookups exist.
//
// The scope of a table is the least fixpoint of "rows its own rules select"
// plus "rows an edge brings from a selected row": computed per request in a
// temporary table per profile table (k = key, eff = effective version),
// starting from the rules and applying the edges — once, in topological
// order, when the tables' edges have no cycle; else until no row is added
// and no effective version falls. The effective version of a row is the smallest,
// over the ways it is selected, of the newest version on the way (the row and
// the rows that select it): a device whose watermark is at or above it already
// holds the row as it is now (protocol.h).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "canvasfx/host/profile.h"
#include "canvasfx/sync/server.h"

namespace canvasfx::sync {

// A SQL fragment with its parameters, in order.
struct SqlPart {
  std::string sql;
  SqlParams params;
  void append(const SqlPart& o) {
    sql += o.sql;
    params.insert(params.end(), o.params.begin(), o.params.end());
  }
};

struct ResolvedTable {
  const host::ProfileTable* profile = nullptr;
  ServerTable server;                        // the catalog's table
  std::vector<const ServerColumn*> columns;  // the profile's columns, in profile order
  std::vector<bool> downloaded;              // per column: files/images not chosen are not sent
  // The row rules other than "related": SQL over alias x (and lookup aliases),
  // the joins they need, and the versions of the joined rows (for eff).
  bool has_rules = false;
  bool all_rows = false;
  std::vector<std::string> organization;  // user, team, business_unit
  std::optional<host::FilterNode> custom;
  struct LookupJoin {
    std::string alias;  // l0, l1, ...
    const ServerColumn* column;
    const ServerTable* target;
  };
  std::vector<LookupJoin> joins;  // for custom conditions on Lookup.Column
};

struct Edge {
  int from = 0, to = 0;
  std::string lookup;  // the lookup column
  bool child = true;   // child: to.lookup -> from; parent: from.lookup -> to
};

class ResolvedProfile {
 public:
  // Resolves a profile (already free of rule violations) against the catalog;
  // what does not fit the catalog is returned as violations (rule ids
  // "server.*"), and the result is then unusable.
  static std::shared_ptr<ResolvedProfile> resolve(const host::Profile& profile,
                                                  const std::vector<ServerTable>& catalog,
                                                  std::vector<host::Violation>& violations);

  const host::Profile& profile() const { return profile_; }
  const std::vector<ResolvedTable>& tables() const { return tables_; }
  const std::vector<Edge>& edges() const { return edges_; }
  int index_of(std::string_view table) const;  // -1 when absent (case-insensitive)
  // The tables whose scope table `t`'s scope depends on, `t` included.
  std::vector<int> closure(int t) const;

  int64_t epoch = 0;  // the version at which it was published

 private:
  void add_edge(Edge e);
  host::Profile profile_;
  std::vector<ResolvedTable> tables_;
  std::vector<Edge> edges_;
};

// Materializes scopes on one connection (inside the caller's transaction).
class ScopeComputation {
 public:
  ScopeComputation(SqlConnection& c, const ResolvedProfile& p, const User& user);
  // Fills the temporary scope tables of `t` and of the tables it depends on.
  void compute(int t);
  // The temporary table holding table t's scope: columns k (key), eff.
  std::string scope_table(int t) const;

 private:
  SqlPart rules(int t) const;  // SELECT key, eff FROM table WHERE rules
  SqlPart condition(const ResolvedTable& t, const host::FilterNode& n) const;
  std::string edge_statement(const Edge& e) const;
  SqlConnection& c_;
  const ResolvedProfile& p_;
  const User& user_;
};

// The SQL for a column of a table row alias: alias."Name".
std::string column_ref(std::string_view alias, std::string_view column);

// Parses a custom filter's value for a column type: number, boolean (true/false),
// datetime (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z]), text. nullopt when it does not parse.
std::optional<SqlValue> filter_value(host::ColumnType type, const std::string& text);

}  // namespace canvasfx::sync
