// Row scopes (scope.h): resolving a profile against the catalog, and the SQL
// that materializes a table's scope for a user.
#include "scope.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>
#include <set>

namespace canvasfx::sync {

using host::ColumnType;
using host::FilterNode;

namespace {

// A scope's fixpoint needs a round per "hop" between tables; far fewer than
// this in any profile the rules allow (15 relationships per table).
constexpr int kMaxRounds = 256;

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool text_like(ColumnType t) {
  return t == ColumnType::Text || t == ColumnType::Guid || t == ColumnType::Lookup;
}

int column_index(const ServerTable& t, std::string_view name) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (iequal(t.columns[i].name, name)) return static_cast<int>(i);
  return -1;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> parse_datetime(std::string_view s) {
  auto num = [&](size_t pos, size_t len, int& out) {
    if (pos + len > s.size()) return false;
    auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return r.ec == std::errc() && r.ptr == s.data() + pos + len;
  };
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!num(0, 4, y) || s.size() < 10 || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' ||
      !num(8, 2, d))
    return std::nullopt;
  size_t pos = 10;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!num(pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' || !num(pos + 4, 2, mi))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!num(pos + 1, 2, sec)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        if (!num(pos + 1, 3, ms)) return std::nullopt;
        pos += 4;
      }
    }
  }
  if (pos < s.size() && s[pos] == 'Z') ++pos;
  if (pos != s.size()) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return ((days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 24 + h) * 60 +
          mi) *
             60000 +
         sec * 1000 + ms;
}

// The violation helper: messages follow host/PROFILE.md's "Table 'X': ..." form.
struct Violations {
  std::vector<host::Violation>& out;
  void add(const std::string& table, const char* rule, const std::string& what) {
    out.push_back({table, rule, fmt::format("Table '{}': {}.", table, what)});
  }
};

}  // namespace

std::string column_ref(std::string_view alias, std::string_view column) {
  return fmt::format("{}.{}", alias, quote_name(column));
}

std::optional<SqlValue> filter_value(ColumnType type, const std::string& text) {
  switch (type) {
    case ColumnType::Number: {
      double d = 0;
      auto r = std::from_chars(text.data(), text.data() + text.size(), d);
      if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(d))
        return std::nullopt;
      return d;
    }
    case ColumnType::Boolean:
      if (text == "true") return int64_t{1};
      if (text == "false") return int64_t{0};
      return std::nullopt;
    case ColumnType::DateTime:
      if (auto ms = parse_datetime(text)) return *ms;
      return std::nullopt;
    case ColumnType::File:
    case ColumnType::Image:
      return std::nullopt;
    default:
      return text;
  }
}

// ---------------------------------------------------------------- resolving

int ResolvedProfile::index_of(std::string_view table) const {
  for (size_t i = 0; i < tables_.size(); ++i)
    if (iequal(tables_[i].server.name, table)) return static_cast<int>(i);
  return -1;
}

void ResolvedProfile::add_edge(Edge e) {
  // "relationships" and "related" often name the same link: keep it once.
  for (const Edge& o : edges_)
    if (o.from == e.from && o.to == e.to && o.lookup == e.lookup && o.child == e.child) return;
  edges_.push_back(std::move(e));
}

std::vector<int> ResolvedProfile::closure(int t) const {
  std::vector<int> out{t};
  std::deque<int> todo{t};
  while (!todo.empty()) {
    int cur = todo.front();
    todo.pop_front();
    for (const Edge& e : edges_)
      if (e.to == cur && std::find(out.begin(), out.end(), e.from) == out.end()) {
        out.push_back(e.from);
        todo.push_back(e.from);
      }
  }
  return out;
}

std::shared_ptr<ResolvedProfile> ResolvedProfile::resolve(const host::Profile& profile,
                                                          const std::vector<ServerTable>& catalog,
                                                          std::vector<host::Violation>& out) {
  auto rp = std::make_shared<ResolvedProfile>();
  rp->profile_ = profile;
  Violations v{out};
  size_t before = out.size();

  for (const host::ProfileTable& pt : rp->profile_.tables) {
    auto it = std::find_if(catalog.begin(), catalog.end(),
                           [&](const ServerTable& s) { return iequal(s.name, pt.name); });
    if (it == catalog.end()) {
      v.add(pt.name, "server.table-unknown", "the server has no such table");
      continue;
    }
    ResolvedTable rt;
    rt.profile = &pt;
    rt.server = *it;
    if (!it->can_be_taken_offline)
      v.add(pt.name, "server.table-offline",
            "the server's table is not enabled for offline ('Can be taken offline')");
    if (!iequal(pt.key, it->key))
      v.add(pt.name, "server.key",
            fmt::format("key column '{}' is not the server table's key ('{}')", pt.key, it->key));
    for (const host::ProfileColumn& pc : pt.columns) {
      int ci = column_index(*it, pc.name);
      if (ci < 0) {
        v.add(pt.name, "server.column-unknown",
              fmt::format("column '{}' is not a column of the server's table", pc.name));
        continue;
      }
      const ServerColumn& sc = it->columns[static_cast<size_t>(ci)];
      auto type = host::parse_column_type(pc.type);
      if (!type || *type != sc.type) {
        v.add(pt.name, "server.column-type",
              fmt::format("column '{}' is a {} column on the server, not {}", pc.name,
                          host::column_type_name(sc.type), pc.type));
        continue;
      }
      if (sc.type == ColumnType::Lookup && !iequal(sc.target, pc.target))
        v.add(pt.name, "server.lookup-target",
              fmt::format("lookup column '{}' refers to '{}' on the server, not '{}'", pc.name,
                          sc.target, pc.target));
    }
    rp->tables_.push_back(std::move(rt));
  }
  if (out.size() > before) return rp;

  // Columns, rules and joins, now that every table has its server table.
  for (ResolvedTable& rt : rp->tables_) {
    const host::ProfileTable& pt = *rt.profile;
    for (const host::ProfileColumn& pc : pt.columns) {
      int ci = column_index(rt.server, pc.name);
      const ServerColumn* sc = &rt.server.columns[static_cast<size_t>(ci)];
      rt.columns.push_back(sc);
      bool sent = true;
      if (sc->type == ColumnType::File) sent = pt.files == "all";
      if (sc->type == ColumnType::Image)
        sent = std::any_of(pt.images.begin(), pt.images.end(),
                           [&](const std::string& i) { return iequal(i, sc->name); });
      rt.downloaded.push_back(sent);
    }
    rt.all_rows = pt.all_rows;
    rt.organization = pt.organization;
    rt.custom = pt.custom;
    rt.has_rules = pt.all_rows || pt.organization_rows || pt.custom.has_value();

    // Custom conditions: typed values, lookup joins.
    std::function<void(const FilterNode&)> walk = [&](const FilterNode& n) {
      if (n.kind != FilterNode::Kind::Condition) {
        for (const auto& c : n.children) walk(c);
        return;
      }
      auto dot = n.column.find('.');
      const ServerTable* table = &rt.server;
      std::string column = n.column;
      if (dot != std::string::npos) {
        const ServerColumn* lookup = rt.server.column(n.column.substr(0, dot));
        int target = lookup ? rp->index_of(lookup->target) : -1;
        if (!lookup || target < 0) return;  // the profile check reported it
        table = &rp->tables_[static_cast<size_t>(target)].server;
        column = n.column.substr(dot + 1);
        bool joined = std::any_of(rt.joins.begin(), rt.joins.end(),
                                  [&](const auto& j) { return j.column == lookup; });
        if (!joined) rt.joins.push_back({fmt::format("l{}", rt.joins.size()), lookup, table});
      }
      const ServerColumn* c = table->column(column);
      if (!c) {
        v.add(pt.name, "server.column-unknown",
              fmt::format("the custom filter uses '{}', which is not a column on the server",
                          n.column));
        return;
      }
      bool text_op = n.op == "begins_with" || n.op == "ends_with" || n.op == "contains";
      if (c->type == ColumnType::File || c->type == ColumnType::Image ||
          (text_op && !text_like(c->type))) {
        v.add(pt.name, "server.filter-operator",
              fmt::format("the custom filter operator '{}' does not apply to '{}', a {} column",
                          n.op, n.column, host::column_type_name(c->type)));
        return;
      }
      if (n.has_value && n.op != "null" && n.op != "not_null" && !filter_value(c->type, n.value))
        v.add(pt.name, "server.filter-value",
              fmt::format("the custom filter value '{}' of '{}' is not a valid {}", n.value,
                          n.column, host::column_type_name(c->type)));
    };
    if (rt.custom) walk(*rt.custom);
  }

  // Edges.
  auto lookups = [&](int from, int to) {  // lookup columns of `from` that point at `to`
    std::vector<std::string> out;
    for (const auto& c : rp->tables_[static_cast<size_t>(from)].server.columns)
      if (c.type == ColumnType::Lookup &&
          iequal(c.target, rp->tables_[static_cast<size_t>(to)].server.name))
        out.push_back(c.name);
    return out;
  };
  for (size_t a = 0; a < rp->tables_.size(); ++a) {
    const host::ProfileTable& pt = *rp->tables_[a].profile;
    int ai = static_cast<int>(a);
    for (const host::Relationship& r : pt.relationships) {
      int b = rp->index_of(r.table);
      if (b < 0 || r.type == host::RelationshipType::ManyToMany) continue;
      bool many_to_one = r.type == host::RelationshipType::ManyToOne;
      auto cols = many_to_one ? lookups(ai, b) : lookups(b, ai);
      if (cols.empty())
        v.add(pt.name, "server.relationship",
              fmt::format("relationship '{}' needs a lookup {} on the server, and there is none",
                          r.name,
                          many_to_one ? fmt::format("from '{}' to '{}'", pt.name, r.table)
                                      : fmt::format("from '{}' to '{}'", r.table, pt.name)));
      for (auto& c : cols) rp->add_edge({ai, b, c, !many_to_one});
    }
    for (const std::string& related : pt.related) {
      int r = rp->index_of(related);
      if (r < 0) continue;
      auto children = lookups(ai, r);  // this table's lookups to the related table
      auto parents = lookups(r, ai);   // the related table's lookups to this one
      if (children.empty() && parents.empty())
        v.add(pt.name, "server.related",
              fmt::format("'Related rows only' needs a lookup between '{}' and '{}' on the "
                          "server, and there is none",
                          pt.name, related));
      for (auto& c : children) rp->add_edge({r, ai, c, true});
      for (auto& c : parents) rp->add_edge({r, ai, c, false});
    }
  }
  return rp;
}

// ---------------------------------------------------------------- computing

ScopeComputation::ScopeComputation(SqlConnection& c, const ResolvedProfile& p, const User& user)
    : c_(c), p_(p), user_(user) {}

std::string ScopeComputation::scope_table(int t) const { return fmt::format("_cfx_scope_{}", t); }

SqlPart ScopeComputation::condition(const ResolvedTable& t, const FilterNode& n) const {
  SqlPart out;
  if (n.kind != FilterNode::Kind::Condition) {
    out.sql = "(";
    for (size_t i = 0; i < n.children.size(); ++i) {
      if (i) out.sql += n.kind == FilterNode::Kind::And ? " AND " : " OR ";
      out.append(condition(t, n.children[i]));
    }
    out.sql += n.children.empty() ? "1 = 1)" : ")";
    return out;
  }
  std::string alias = "x", column = n.column;
  const ServerTable* table = &t.server;
  if (auto dot = n.column.find('.'); dot != std::string::npos) {
    const ServerColumn* lookup = t.server.column(n.column.substr(0, dot));
    for (const auto& j : t.joins)
      if (j.column == lookup) alias = j.alias, table = j.target;
    column = n.column.substr(dot + 1);
  }
  const ServerColumn* c = table->column(column);
  std::string ref = column_ref(alias, c->name);
  if (n.op == "null") return {ref + " IS NULL", {}};
  if (n.op == "not_null") return {ref + " IS NOT NULL", {}};
  SqlValue value = *filter_value(c->type, n.value);
  const DialectInfo& d = c_.info();
  if (n.op == "begins_with") return {d.begins_with(ref), {value, value}};
  if (n.op == "ends_with") return {d.ends_with(ref), {value, value}};
  if (n.op == "contains") return {d.contains(ref), {value}};
  static const std::map<std::string, const char*, std::less<>> kCompare = {
      {"eq", "="}, {"ne", "<>"}, {"gt", ">"}, {"ge", ">="}, {"lt", "<"}, {"le", "<="}};
  const char* op = kCompare.at(n.op);
  if (text_like(c->type))
    return {fmt::format("lower({}) {} lower(CAST(? AS TEXT))", ref, op), {value}};
  return {fmt::format("{} {} ?", ref, op), {value}};
}

SqlPart ScopeComputation::rules(int ti) const {
  const ResolvedTable& t = p_.tables()[static_cast<size_t>(ti)];
  const DialectInfo& d = c_.info();
  std::vector<std::string> versions{"x._cfx_version"};
  std::string joins;
  for (const auto& j : t.joins) {
    joins += fmt::format(" LEFT JOIN {0} {1} ON {2} = {3} AND {1}._cfx_deleted = 0",
                         quote_name(j.target->name), j.alias, column_ref(j.alias, j.target->key),
                         column_ref("x", j.column->name));
    versions.push_back(fmt::format("coalesce({}._cfx_version, 0)", j.alias));
  }
  SqlPart out;
  out.sql = fmt::format("SELECT {}, {} FROM {} x{} WHERE x._cfx_deleted = 0 AND (",
                        column_ref("x", t.server.key), d.greatest(versions),
                        quote_name(t.server.name), joins);
  std::vector<SqlPart> parts;
  if (t.all_rows) parts.push_back({"1 = 1", {}});
  for (const auto& o : t.organization) {
    if (o == "user") parts.push_back({"x._cfx_owner_user = ?", {user_.id}});
    if (o == "team")
      parts.push_back(
          {"x._cfx_owner_team IN (SELECT team_id FROM _cfx_team_members WHERE user_id = ?)",
           {user_.id}});
    if (o == "business_unit") parts.push_back({"x._cfx_bu = ?", {user_.business_unit}});
  }
  if (t.custom) parts.push_back(condition(t, *t.custom));
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.sql += " OR ";
    out.append(parts[i]);
  }
  if (parts.empty()) out.sql += "1 = 0";
  out.sql += ")";
  return out;
}

std::string ScopeComputation::edge_statement(const Edge& e) const {
  const DialectInfo& d = c_.info();
  const ServerTable& from = p_.tables()[static_cast<size_t>(e.from)].server;
  const ServerTable& to = p_.tables()[static_cast<size_t>(e.to)].server;
  std::string target = scope_table(e.to), key = column_ref("y", to.key);
  // The scope table comes first: SQLite keeps the order of a CROSS JOIN, and
  // walking the (small) scope through the lookup's index beats scanning the
  // table; PostgreSQL plans it as an inner join either way.
  if (e.child)  // a child row matches one scope row: no duplicates to group
    return fmt::format(
        "INSERT INTO {0} (k, eff) SELECT {1}, {2} FROM {3} s CROSS JOIN {4} y WHERE {5} = s.k "
        "AND y._cfx_deleted = 0 ON CONFLICT (k) DO UPDATE SET eff = excluded.eff WHERE "
        "excluded.eff < {0}.eff",
        target, key, d.greatest({"y._cfx_version", "s.eff"}), scope_table(e.from),
        quote_name(to.name), column_ref("y", e.lookup));
  return fmt::format(
      "INSERT INTO {0} (k, eff) SELECT {1}, MIN({2}) FROM {3} s CROSS JOIN {4} x CROSS JOIN {5} y "
      "WHERE {6} = s.k AND {1} = {7} AND y._cfx_deleted = 0 GROUP BY {1} ON CONFLICT (k) DO "
      "UPDATE SET eff = excluded.eff WHERE excluded.eff < {0}.eff",
      target, key, d.greatest({"y._cfx_version", "s.eff"}), scope_table(e.from),
      quote_name(from.name), quote_name(to.name), column_ref("x", from.key),
      column_ref("x", e.lookup));
}

void ScopeComputation::compute(int t) {
  const DialectInfo& d = c_.info();
  std::vector<int> tables = p_.closure(t);
  auto in_closure = [&](int i) {
    return std::find(tables.begin(), tables.end(), i) != tables.end();
  };
  std::vector<const Edge*> edges;
  for (const Edge& e : p_.edges())
    if (in_closure(e.to)) edges.push_back(&e);
  for (int i : tables) {
    std::string s = scope_table(i);
    c_.execute(fmt::format(
        "CREATE TEMP TABLE IF NOT EXISTS {} (k TEXT PRIMARY KEY, eff {} NOT NULL)", s, d.integer));
    c_.execute(fmt::format("DELETE FROM {}", s));
    if (p_.tables()[static_cast<size_t>(i)].has_rules) {
      SqlPart r = rules(i);
      c_.execute(fmt::format("INSERT INTO {} (k, eff) {}", s, r.sql), r.params);
    }
  }
  // PostgreSQL plans a join with a temporary table well only with its statistics.
  auto analyze = [&](int i) {
    if (d.dialect == Dialect::PostgreSQL) c_.execute(fmt::format("ANALYZE {}", scope_table(i)));
  };

  // Without a cycle among the tables, one pass in topological order reaches
  // the fixpoint: every table's scope is complete before an edge reads it.
  std::map<int, int> indegree;
  for (int i : tables) indegree[i] = 0;
  for (const Edge* e : edges) ++indegree[e->to];
  std::vector<int> order;
  for (int i : tables)
    if (indegree[i] == 0) order.push_back(i);
  for (size_t next = 0; next < order.size(); ++next)
    for (const Edge* e : edges)
      if (e->from == order[next] && --indegree[e->to] == 0) order.push_back(e->to);
  if (order.size() == tables.size()) {
    for (int i : order) {
      for (const Edge* e : edges)
        if (e->to == i) c_.execute(edge_statement(*e));
      if (std::any_of(edges.begin(), edges.end(), [&](const Edge* e) { return e->from == i; }))
        analyze(i);
    }
    return;
  }
  // A cycle (say, contacts related to accounts, and accounts to contacts):
  // apply every edge until nothing is added and no effective version falls.
  for (int i : tables) analyze(i);
  for (int round = 0;; ++round) {
    if (round == kMaxRounds)
      throw StorageError(fmt::format("the scope of '{}' did not settle after {} rounds",
                                     p_.tables()[static_cast<size_t>(t)].server.name, kMaxRounds));
    int64_t changed = 0;
    for (const Edge* e : edges) changed += c_.execute(edge_statement(*e));
    if (changed == 0) break;
  }
}

}  // namespace canvasfx::sync
