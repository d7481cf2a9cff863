// The offline profile (profile.h, PROFILE.md): YAML parsing, rule checks, apply.
#include "canvasfx/host/profile.h"

#include <fmt/format.h>
#include <unicode/utf8.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "store_impl.h"

namespace canvasfx::host {

using json = nlohmann::json;

ProfileParseError::ProfileParseError(std::string source, int line, int column,
                                     const std::string& what)
    : std::runtime_error(line > 0 ? fmt::format("{}:{}:{}: {}", source, line, column, what)
                                  : fmt::format("{}: {}", source, what)),
      source_(std::move(source)),
      line_(line),
      column_(column) {}

ProfileInvalid::ProfileInvalid(std::vector<Violation> v)
    : std::runtime_error([&] {
        std::string s = fmt::format("the offline profile has {} violation{}:", v.size(),
                                    v.size() == 1 ? "" : "s");
        for (const auto& x : v) s += "\n  " + x.message;
        return s;
      }()),
      violations_(std::move(v)) {}

// ---------------------------------------------------------------- parsing

namespace {

class Parser {
 public:
  explicit Parser(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& what) const {
    auto m = at.Mark();
    if (m.is_null()) throw ProfileParseError(source_, 0, 0, what);
    throw ProfileParseError(source_, m.line + 1, m.column + 1, what);
  }

  void expect_map(const YAML::Node& n, std::string_view what) const {
    if (!n.IsMap()) fail(n, fmt::format("{} must be a mapping", what));
  }
  void expect_seq(const YAML::Node& n, std::string_view what) const {
    if (!n.IsSequence()) fail(n, fmt::format("{} must be a list", what));
  }
  void only_keys(const YAML::Node& map, std::initializer_list<std::string_view> keys,
                 std::string_view where) const {
    for (const auto& kv : map) {
      std::string k = kv.first.Scalar();
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        fail(kv.first, fmt::format("unknown key '{}' in {}", k, where));
    }
  }
  std::string scalar(const YAML::Node& n, std::string_view what) const {
    if (!n.IsScalar()) fail(n, fmt::format("{} must be a scalar", what));
    return n.Scalar();
  }
  bool boolean(const YAML::Node& n, std::string_view what) const {
    if (n.IsScalar()) {
      try {
        return n.as<bool>();
      } catch (const YAML::Exception&) {
      }
    }
    fail(n, fmt::format("{} must be true or false", what));
  }
  int64_t integer(const YAML::Node& n, std::string_view what) const {
    if (n.IsScalar()) {
      try {
        return n.as<int64_t>();
      } catch (const YAML::Exception&) {
      }
    }
    fail(n, fmt::format("{} must be an integer", what));
  }
  std::vector<std::string> scalars(const YAML::Node& n, std::string_view what) const {
    std::vector<std::string> out;
    if (n.IsScalar()) return {n.Scalar()};
    expect_seq(n, what);
    for (const auto& x : n) out.push_back(scalar(x, what));
    return out;
  }

  FilterNode filter(const YAML::Node& n) const {
    expect_map(n, "a custom filter node");
    FilterNode f;
    f.line = n.Mark().line + 1;
    if (n["and"] || n["or"]) {
      only_keys(n, {"and", "or"}, "a custom filter group");
      if (n.size() != 1) fail(n, "a custom filter group has exactly one key, 'and' or 'or'");
      bool is_and = static_cast<bool>(n["and"]);
      f.kind = is_and ? FilterNode::Kind::And : FilterNode::Kind::Or;
      YAML::Node items = n[is_and ? "and" : "or"];
      expect_seq(items, "a custom filter group");
      for (const auto& c : items) f.children.push_back(filter(c));
      return f;
    }
    only_keys(n, {"column", "op", "value"}, "a custom filter condition");
    if (!n["column"]) fail(n, "a custom filter condition needs 'column'");
    if (!n["op"]) fail(n, "a custom filter condition needs 'op'");
    f.column = scalar(n["column"], "'column'");
    f.op = scalar(n["op"], "'op'");
    if (n["value"]) {
      f.value = scalar(n["value"], "'value'");
      f.has_value = true;
    }
    return f;
  }

  ProfileTable table(const YAML::Node& n) const {
    expect_map(n, "a table");
    only_keys(n,
              {"name", "can_be_taken_offline", "key", "sync_interval", "columns", "rows",
               "relationships", "files", "images"},
              "a table");
    ProfileTable t;
    t.line = n.Mark().line + 1;
    if (n["name"]) t.name = scalar(n["name"], "'name'");
    if (n["can_be_taken_offline"])
      t.can_be_taken_offline = boolean(n["can_be_taken_offline"], "'can_be_taken_offline'");
    if (n["key"]) t.key = scalar(n["key"], "'key'");
    if (n["sync_interval"]) {
      t.sync_interval_set = true;
      t.sync_interval_raw = integer(n["sync_interval"], "'sync_interval'");
      t.sync_interval_minutes =
          static_cast<int>(std::clamp<int64_t>(t.sync_interval_raw, 0, 1 << 30));
    }
    if (YAML::Node cols = n["columns"]) {
      expect_seq(cols, "'columns'");
      for (const auto& c : cols) {
        expect_map(c, "a column");
        only_keys(c, {"name", "type", "target"}, "a column");
        if (!c["name"]) fail(c, "a column needs 'name'");
        if (!c["type"]) fail(c, "a column needs 'type'");
        ProfileColumn col;
        col.name = scalar(c["name"], "'name'");
        col.type = scalar(c["type"], "'type'");
        if (c["target"]) col.target = scalar(c["target"], "'target'");
        t.columns.push_back(std::move(col));
      }
    }
    if (YAML::Node rows = n["rows"]) {
      expect_map(rows, "'rows'");
      only_keys(rows, {"all", "organization", "related", "custom"}, "'rows'");
      if (rows["all"]) t.all_rows = boolean(rows["all"], "'all'");
      if (YAML::Node org = rows["organization"]) {
        t.organization_rows = true;
        if (!org.IsNull()) t.organization = scalars(org, "'organization'");
      }
      if (YAML::Node rel = rows["related"]) {
        t.related_rows = true;
        if (!rel.IsNull()) t.related = scalars(rel, "'related'");
      }
      if (rows["custom"]) t.custom = filter(rows["custom"]);
    }
    if (YAML::Node rels = n["relationships"]) {
      expect_seq(rels, "'relationships'");
      for (const auto& r : rels) {
        expect_map(r, "a relationship");
        only_keys(r, {"name", "table", "type"}, "a relationship");
        if (!r["table"]) fail(r, "a relationship needs 'table'");
        Relationship rel;
        rel.table = scalar(r["table"], "'table'");
        rel.name = r["name"] ? scalar(r["name"], "'name'") : rel.table;
        std::string type = r["type"] ? scalar(r["type"], "'type'") : "one_to_many";
        if (type == "many_to_one")
          rel.type = RelationshipType::ManyToOne;
        else if (type == "one_to_many")
          rel.type = RelationshipType::OneToMany;
        else if (type == "many_to_many")
          rel.type = RelationshipType::ManyToMany;
        else
          fail(r["type"], fmt::format("unknown relationship type '{}' (expected many_to_one, "
                                      "one_to_many or many_to_many)",
                                      type));
        t.relationships.push_back(std::move(rel));
      }
    }
    if (YAML::Node files = n["files"]) {
      if (files.IsSequence())
        t.files_is_list = true;
      else
        t.files = scalar(files, "'files'");
    }
    if (YAML::Node images = n["images"]) t.images = scalars(images, "'images'");
    return t;
  }

  Profile profile(const YAML::Node& root) const {
    if (!root.IsDefined() || root.IsNull())
      throw ProfileParseError(source_, 0, 0, "the profile is empty");
    expect_map(root, "the profile");
    only_keys(root, {"name", "description", "tables"}, "the profile");
    Profile p;
    if (root["name"]) p.name = scalar(root["name"], "'name'");
    if (root["description"]) p.description = scalar(root["description"], "'description'");
    if (YAML::Node tables = root["tables"]) {
      expect_seq(tables, "'tables'");
      for (const auto& t : tables) p.tables.push_back(table(t));
    }
    return p;
  }

 private:
  std::string source_;
};

}  // namespace

namespace {
// The offset of the first byte of `text` that is not well-formed UTF-8, if any
// (ICU's U8_NEXT, a header-only macro).
std::optional<size_t> first_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int64_t n = static_cast<int64_t>(text.size());
  for (int64_t i = 0; i < n;) {
    int64_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, n, c);
    if (c < 0) return static_cast<size_t>(start);
  }
  return std::nullopt;
}
}  // namespace

Profile parse_profile(std::string_view yaml, std::string_view source_name) {
  // Names and values end up in the store and in JSON, which hold UTF-8 only.
  if (auto bad = first_invalid_utf8(yaml)) {
    std::string_view before = yaml.substr(0, *bad);
    size_t line_start = before.rfind('\n');
    int line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
    int column =
        static_cast<int>(*bad - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
    throw ProfileParseError(std::string(source_name), line, column,
                            fmt::format("the profile is not valid UTF-8 (byte 0x{:02X})",
                                        static_cast<unsigned char>(yaml[*bad])));
  }
  Parser parser{std::string(source_name)};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw ProfileParseError(std::string(source_name), e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  Profile p = parser.profile(root);
  p.source = std::string(yaml);
  return p;
}

Profile load_profile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ProfileParseError(path, 0, 0, "cannot read the file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_profile(ss.str(), path);
}

// ---------------------------------------------------------------- checks

namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const ProfileTable* find_table(const Profile& p, std::string_view name) {
  for (const auto& t : p.tables)
    if (iequal(t.name, name)) return &t;
  return nullptr;
}

const ProfileColumn* find_column(const ProfileTable& t, std::string_view name) {
  for (const auto& c : t.columns)
    if (iequal(c.name, name)) return &c;
  return nullptr;
}

const std::set<std::string, std::less<>> kOperators = {
    "eq", "ne", "gt", "ge", "lt", "le", "begins_with", "ends_with", "contains", "null", "not_null"};

int count_from(const Profile& p, const ProfileTable& t, std::vector<const ProfileTable*>& path) {
  int n = 0;
  for (const auto& r : t.relationships) {
    n += 1;
    const ProfileTable* target = find_table(p, r.table);
    if (!target || std::find(path.begin(), path.end(), target) != path.end()) continue;
    path.push_back(target);
    n += count_from(p, *target, path);
    path.pop_back();
  }
  return n;
}

class Checker {
 public:
  explicit Checker(const Profile& p) : p_(p) {}

  std::vector<Violation> run() {
    if (p_.name.empty()) add("", "profile.name", "The profile has no name.");
    if (p_.tables.empty()) add("", "profile.tables", "The profile has no tables.");
    std::set<std::string> seen;
    for (size_t i = 0; i < p_.tables.size(); ++i) {
      const ProfileTable& t = p_.tables[i];
      if (t.name.empty()) {
        add("", "table.name", fmt::format("Table #{} (line {}) has no name.", i + 1, t.line));
        continue;
      }
      if (!valid_name(t.name)) {
        bad(t, "table.name", "the name is not a valid table name");
        continue;
      }
      std::string lower = t.name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!seen.insert(lower).second) {
        bad(t, "table.duplicate", "the table appears more than once in the profile");
        continue;
      }
      table(t);
    }
    return std::move(out_);
  }

 private:
  void add(std::string table, std::string rule, std::string message) {
    out_.push_back({std::move(table), std::move(rule), std::move(message)});
  }
  void bad(const ProfileTable& t, std::string rule, const std::string& what) {
    add(t.name, std::move(rule), fmt::format("Table '{}': {}.", t.name, what));
  }

  void table(const ProfileTable& t) {
    if (!t.can_be_taken_offline)
      bad(t, "table.offline", "the table is not marked 'Can be taken offline'");
    columns(t);
    if (t.sync_interval_raw <= 0)
      bad(t, "table.sync-interval",
          fmt::format("the sync interval must be a positive number of minutes (got {})",
                      t.sync_interval_raw));
    filters(t);
    relationships(t);
    if (t.files_is_list || (t.files != "all" && t.files != "none"))
      bad(t, "files.all-or-none",
          "file columns are downloaded all or none ('files: all' or 'files: none'), not chosen "
          "one by one");
    for (const auto& img : t.images) {
      const ProfileColumn* c = find_column(t, img);
      if (!c || c->type != "image")
        bad(t, "images.unknown", fmt::format("'{}' is not an image column of the table", img));
    }
  }

  void columns(const ProfileTable& t) {
    if (t.columns.empty()) bad(t, "table.columns", "the table has no columns");
    std::set<std::string> seen;
    for (const auto& c : t.columns) {
      if (!valid_name(c.name)) {
        bad(t, "column.name", fmt::format("'{}' is not a valid column name", c.name));
        continue;
      }
      std::string lower = c.name;
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (!seen.insert(lower).second)
        bad(t, "column.duplicate", fmt::format("column '{}' is declared more than once", c.name));
      if (!parse_column_type(c.type)) {
        bad(t, "column.type",
            fmt::format("column '{}' has unknown type '{}' (expected text, number, boolean, "
                        "datetime, guid, lookup, file or image)",
                        c.name, c.type));
        continue;
      }
      if (c.type == "lookup") {
        if (c.target.empty())
          bad(t, "lookup.target", fmt::format("lookup column '{}' has no target table", c.name));
        else if (iequal(c.target, t.name))
          bad(t, "lookup.self-reference",
              fmt::format("lookup column '{}' refers to its own table; self-referencing lookups "
                          "are not supported offline",
                          c.name));
        else if (!find_table(p_, c.target))
          bad(t, "lookup.not-in-profile",
              fmt::format("lookup column '{}' refers to table '{}', which is not in the profile",
                          c.name, c.target));
      }
    }
    if (t.key.empty()) {
      bad(t, "key.missing", "the key column is missing (set 'key')");
    } else if (const ProfileColumn* k = find_column(t, t.key); !k) {
      bad(t, "key.unknown",
          fmt::format("key column '{}' is not one of the table's columns", t.key));
    } else if (k->type != "guid" && k->type != "text") {
      bad(t, "key.type", fmt::format("key column '{}' must be a text or guid column", k->name));
    }
  }

  void filters(const ProfileTable& t) {
    bool any = t.all_rows || t.organization_rows || t.related_rows || t.custom.has_value();
    if (!any) {
      bad(t, "filter.none",
          "at least one row filter rule is required (all, organization, related or custom)");
      return;
    }
    if (t.all_rows && (t.organization_rows || t.related_rows || t.custom))
      bad(t, "filter.all-rows-exclusive", "'All rows' cannot be combined with other filter rules");
    if (t.organization_rows) {
      if (t.organization.empty())
        bad(t, "filter.organization-empty",
            "'Organization rows' requires at least one of user's rows, team rows or business "
            "unit rows");
      for (const auto& o : t.organization)
        if (o != "user" && o != "team" && o != "business_unit")
          bad(t, "filter.organization-option",
              fmt::format("unknown organization rows option '{}' (expected user, team or "
                          "business_unit)",
                          o));
    }
    if (t.related_rows) {
      if (t.related.empty())
        bad(t, "filter.related-empty", "'Related rows only' names no related table");
      for (const auto& r : t.related)
        if (!find_table(p_, r))
          bad(t, "filter.related-not-in-profile",
              fmt::format("'Related rows only' refers to table '{}', which is not in the profile",
                          r));
    }
    if (t.custom) {
      int depth = 0;
      std::set<std::string> related;
      custom(t, *t.custom, 1, depth, related);
      if (depth > kMaxCustomFilterDepth)
        bad(t, "filter.custom-depth",
            fmt::format("the custom filter is nested {} levels deep (at most {})", depth,
                        kMaxCustomFilterDepth));
      if (static_cast<int>(related.size()) > kMaxFilterRelatedTables)
        bad(t, "filter.custom-related-tables",
            fmt::format("the custom filter refers to {} related tables (at most {})",
                        related.size(), kMaxFilterRelatedTables));
    }
  }

  // level: the level of the group (or root condition) `n` sits at.
  void custom(const ProfileTable& t, const FilterNode& n, int level, int& depth,
              std::set<std::string>& related) {
    depth = std::max(depth, level);
    if (n.kind != FilterNode::Kind::Condition) {
      if (n.children.empty())
        bad(t, "filter.custom-empty-group",
            fmt::format("the custom filter group at line {} has no conditions", n.line));
      for (const auto& c : n.children)
        custom(t, c, c.kind == FilterNode::Kind::Condition ? level : level + 1, depth, related);
      return;
    }
    if (!kOperators.count(n.op))
      bad(t, "filter.custom-operator",
          fmt::format("the custom filter condition on '{}' has unknown operator '{}'", n.column,
                      n.op));
    else if (n.op != "null" && n.op != "not_null" && !n.has_value)
      bad(t, "filter.custom-value",
          fmt::format("the custom filter condition on '{}' with operator '{}' needs a value",
                      n.column, n.op));
    std::vector<std::string> path;
    size_t start = 0;
    for (size_t dot; (dot = n.column.find('.', start)) != std::string::npos; start = dot + 1)
      path.push_back(n.column.substr(start, dot - start));
    path.push_back(n.column.substr(start));
    if (path.size() > 2) {
      bad(t, "filter.custom-lookup-depth",
          fmt::format("the custom filter condition on '{}' follows lookups more than one level "
                      "deep, which is not supported offline",
                      n.column));
      return;
    }
    const ProfileColumn* c = find_column(t, path[0]);
    if (!c) {
      bad(t, "filter.custom-column",
          fmt::format("the custom filter uses unknown column '{}'", path[0]));
      return;
    }
    if (path.size() == 2) {
      if (c->type != "lookup") {
        bad(t, "filter.custom-lookup",
            fmt::format("the custom filter condition on '{}' uses '{}', which is not a lookup "
                        "column",
                        n.column, c->name));
        return;
      }
      related.insert(c->target);
      const ProfileTable* target = find_table(p_, c->target);
      if (target && !find_column(*target, path[1]))
        bad(t, "filter.custom-column",
            fmt::format("the custom filter uses unknown column '{}'", n.column));
    }
  }

  void relationships(const ProfileTable& t) {
    for (const auto& r : t.relationships) {
      if (r.type == RelationshipType::ManyToMany) {
        bad(t, "relationship.many-to-many",
            fmt::format("relationship '{}' is many-to-many; many-to-many relationships are not "
                        "supported offline",
                        r.name));
        continue;
      }
      if (iequal(r.table, t.name))
        bad(t, "relationship.self-reference",
            fmt::format("relationship '{}' refers to its own table; self-referencing "
                        "relationships are not supported offline",
                        r.name));
      else if (!find_table(p_, r.table))
        bad(t, "relationship.not-in-profile",
            fmt::format("relationship '{}' refers to table '{}', which is not in the profile",
                        r.name, r.table));
    }
    int n = relationship_count(p_, t.name);
    if (n > kMaxRelationships)
      bad(t, "relationship.limit",
          fmt::format("{} relationships counted transitively (at most {})", n, kMaxRelationships));
  }

  const Profile& p_;
  std::vector<Violation> out_;
};

}  // namespace

int relationship_count(const Profile& p, std::string_view table) {
  const ProfileTable* t = find_table(p, table);
  if (!t) return 0;
  std::vector<const ProfileTable*> path{t};
  return count_from(p, *t, path);
}

std::vector<Violation> check(const Profile& profile) { return Checker(profile).run(); }

// ---------------------------------------------------------------- apply

TableSchema table_schema(const ProfileTable& t) {
  TableSchema s;
  s.name = t.name;
  s.key_column = t.key;
  s.sync_interval_minutes = t.sync_interval_minutes;
  for (const auto& c : t.columns)
    s.columns.push_back({c.name, parse_column_type(c.type).value_or(ColumnType::Text), c.target});
  return s;
}

namespace {

json filter_json(const FilterNode& n) {
  if (n.kind == FilterNode::Kind::Condition) {
    json j{{"column", n.column}, {"op", n.op}};
    if (n.has_value) j["value"] = n.value;
    return j;
  }
  json items = json::array();
  for (const auto& c : n.children) items.push_back(filter_json(c));
  return json{{n.kind == FilterNode::Kind::And ? "and" : "or", items}};
}

std::string settings_json(const ProfileTable& t) {
  json rows = json::object();
  if (t.all_rows) rows["all"] = true;
  if (t.organization_rows) rows["organization"] = t.organization;
  if (t.related_rows) rows["related"] = t.related;
  if (t.custom) rows["custom"] = filter_json(*t.custom);
  json rels = json::array();
  for (const auto& r : t.relationships)
    rels.push_back(
        {{"name", r.name},
         {"table", r.table},
         {"type", r.type == RelationshipType::ManyToOne ? "many_to_one" : "one_to_many"}});
  json j{{"can_be_taken_offline", t.can_be_taken_offline},
         {"rows", rows},
         {"relationships", rels},
         {"files", t.files},
         {"images", t.images}};
  return j.dump();
}

}  // namespace

void apply(const Profile& profile, Store& store) {
  auto violations = check(profile);
  if (!violations.empty()) throw ProfileInvalid(std::move(violations));
  std::vector<TableSchema> schemas;
  std::vector<std::string> settings;
  for (const auto& t : profile.tables) {
    schemas.push_back(table_schema(t));
    settings.push_back(settings_json(t));
  }
  store.impl().replace_profile(profile.name, profile.source, schemas, settings);
}

}  // namespace canvasfx::host
