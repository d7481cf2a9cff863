// The offline profile: one test per rule, each with a violating profile and
// the exact message; YAML errors; apply().
#include "canvasfx/host/profile.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace canvasfx::host {
namespace {

// A table in flow style with defaults that satisfy every rule; `extra` adds or
// overrides keys (later keys in a YAML flow map must not repeat, so the
// defaults are switched off by passing them in `extra`).
std::string table(const std::string& name, const std::string& extra = "",
                  const std::string& columns = "[{name: Id, type: guid}, {name: City, type: text}]",
                  bool offline = true, const std::string& rows = "{all: true}") {
  std::string s = "  - {name: " + name + ", key: Id, columns: " + columns;
  if (offline) s += ", can_be_taken_offline: true";
  if (!rows.empty()) s += ", rows: " + rows;
  if (!extra.empty()) s += ", " + extra;
  return s + "}\n";
}

std::vector<Violation> violations(const std::string& tables) {
  return check(parse_profile("name: P\ntables:\n" + tables));
}

std::vector<std::string> messages(const std::string& tables) {
  std::vector<std::string> out;
  for (const auto& v : violations(tables)) out.push_back(v.message);
  return out;
}

using Msgs = std::vector<std::string>;

TEST(ProfileRules, AValidProfileHasNoViolations) {
  EXPECT_EQ(messages(table("Accounts")), Msgs{});
  EXPECT_EQ(check(parse_profile(demo_profile_yaml())), std::vector<Violation>{});
}

// ---------------------------------------------------------------- profile

TEST(ProfileRules, ProfileName) {
  auto v = check(parse_profile("tables:\n" + table("A")));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "profile.name");
  EXPECT_EQ(v[0].table, "");
  EXPECT_EQ(v[0].message, "The profile has no name.");
}

TEST(ProfileRules, ProfileTables) {
  auto v = check(parse_profile("name: P\ntables: []\n"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "profile.tables");
  EXPECT_EQ(v[0].message, "The profile has no tables.");
}

// ---------------------------------------------------------------- tables and columns

TEST(ProfileRules, TableName) {
  EXPECT_EQ(messages("  - {key: Id, columns: [{name: Id, type: guid}], rows: {all: true}}\n"),
            Msgs{"Table #1 (line 3) has no name."});
  EXPECT_EQ(messages(table("_cfx_queue")),
            Msgs{"Table '_cfx_queue': the name is not a valid table name."});
}

TEST(ProfileRules, TableDuplicate) {
  auto v = violations(table("Accounts") + table("accounts"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "table.duplicate");
  EXPECT_EQ(v[0].message, "Table 'accounts': the table appears more than once in the profile.");
}

TEST(ProfileRules, TableMustBeTakenOffline) {
  auto v = violations(table("Accounts", "", "[{name: Id, type: guid}]", /*offline=*/false));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "table.offline");
  EXPECT_EQ(v[0].table, "Accounts");
  EXPECT_EQ(v[0].message, "Table 'Accounts': the table is not marked 'Can be taken offline'.");
}

TEST(ProfileRules, TableColumns) {
  EXPECT_EQ(messages(table("A", "", "[]")),
            (Msgs{"Table 'A': the table has no columns.",
                  "Table 'A': key column 'Id' is not one of the table's columns."}));
}

TEST(ProfileRules, ColumnName) {
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: guid}, {name: 'x\"y', type: text}]")),
            Msgs{"Table 'A': 'x\"y' is not a valid column name."});
}

TEST(ProfileRules, ColumnDuplicate) {
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: guid}, {name: id, type: text}]")),
            Msgs{"Table 'A': column 'id' is declared more than once."});
}

TEST(ProfileRules, ColumnType) {
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: guid}, {name: N, type: decimal}]")),
            Msgs{"Table 'A': column 'N' has unknown type 'decimal' (expected text, number, "
                 "boolean, datetime, guid, lookup, file or image)."});
}

TEST(ProfileRules, KeyMissing) {
  EXPECT_EQ(messages("  - {name: A, can_be_taken_offline: true, columns: [{name: Id, type: guid}], "
                     "rows: {all: true}}\n"),
            Msgs{"Table 'A': the key column is missing (set 'key')."});
}

TEST(ProfileRules, KeyUnknown) {
  EXPECT_EQ(messages(table("A", "", "[{name: AccountId, type: guid}]")),
            Msgs{"Table 'A': key column 'Id' is not one of the table's columns."});
}

TEST(ProfileRules, KeyType) {
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: number}]")),
            Msgs{"Table 'A': key column 'Id' must be a text or guid column."});
}

TEST(ProfileRules, SyncInterval) {
  auto v = violations(table("A", "sync_interval: 0"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "table.sync-interval");
  EXPECT_EQ(v[0].message,
            "Table 'A': the sync interval must be a positive number of minutes (got 0).");
}

// ---------------------------------------------------------------- lookups

TEST(ProfileRules, LookupTarget) {
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: guid}, {name: P, type: lookup}]")),
            Msgs{"Table 'A': lookup column 'P' has no target table."});
}

TEST(ProfileRules, LookupTargetMustBeInTheProfile) {
  EXPECT_EQ(
      messages(table("A", "", "[{name: Id, type: guid}, {name: P, type: lookup, target: B}]")),
      Msgs{"Table 'A': lookup column 'P' refers to table 'B', which is not in the profile."});
}

TEST(ProfileRules, SelfReferencingLookupsAreNotSupported) {
  auto v = violations(
      table("A", "", "[{name: Id, type: guid}, {name: Parent, type: lookup, target: A}]"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "lookup.self-reference");
  EXPECT_EQ(v[0].message,
            "Table 'A': lookup column 'Parent' refers to its own table; self-referencing lookups "
            "are not supported offline.");
}

// ---------------------------------------------------------------- row filters

TEST(ProfileRules, EveryTableNeedsAFilterRule) {
  auto v = violations(table("A", "", "[{name: Id, type: guid}]", true, ""));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "filter.none");
  EXPECT_EQ(v[0].message,
            "Table 'A': at least one row filter rule is required (all, organization, related or "
            "custom).");
}

TEST(ProfileRules, AllRowsAllowsNoOtherRule) {
  auto v = violations(
      table("A", "", "[{name: Id, type: guid}]", true, "{all: true, organization: [user]}"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "filter.all-rows-exclusive");
  EXPECT_EQ(v[0].message, "Table 'A': 'All rows' cannot be combined with other filter rules.");
}

TEST(ProfileRules, OrganizationRowsNeedsAnOption) {
  auto v = violations(table("A", "", "[{name: Id, type: guid}]", true, "{organization: []}"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "filter.organization-empty");
  EXPECT_EQ(v[0].message,
            "Table 'A': 'Organization rows' requires at least one of user's rows, team rows or "
            "business unit rows.");
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: guid}]", true, "{organization: ~}")),
            Msgs{v[0].message});
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: guid}]", true,
                           "{organization: [user, team, business_unit]}")),
            Msgs{});
}

TEST(ProfileRules, OrganizationRowsOptions) {
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: guid}]", true, "{organization: [owner]}")),
            Msgs{"Table 'A': unknown organization rows option 'owner' (expected user, team or "
                 "business_unit)."});
}

TEST(ProfileRules, RelatedRowsNeedsATable) {
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: guid}]", true, "{related: []}")),
            Msgs{"Table 'A': 'Related rows only' names no related table."});
}

TEST(ProfileRules, RelatedRowsTableMustBeInTheProfile) {
  auto v = violations(table("A", "", "[{name: Id, type: guid}]", true, "{related: [B]}"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "filter.related-not-in-profile");
  EXPECT_EQ(v[0].message,
            "Table 'A': 'Related rows only' refers to table 'B', which is not in the profile.");
  EXPECT_EQ(messages(table("A", "", "[{name: Id, type: guid}]", true, "{related: B}") + table("B")),
            Msgs{});
}

std::string custom_table(const std::string& custom, const std::string& columns =
                                                        "[{name: Id, type: guid}, {name: City, "
                                                        "type: text}, {name: N, type: number}, "
                                                        "{name: P, type: lookup, target: B}]") {
  return "  - name: A\n    can_be_taken_offline: true\n    key: Id\n    columns: " + columns +
         "\n    rows:\n      custom:\n" + custom +
         table("B", "",
               "[{name: Id, type: guid}, {name: City, type: text}, {name: Q, type: "
               "lookup, target: A}]");
}

TEST(ProfileRules, CustomFilterAtMostThreeLevelsDeep) {
  std::string three =
      "        and:\n"
      "          - {column: City, op: eq, value: Seattle}\n"
      "          - or:\n"
      "              - {column: N, op: gt, value: 1}\n"
      "              - and:\n"
      "                  - {column: N, op: lt, value: 9}\n";
  EXPECT_EQ(messages(custom_table(three)), Msgs{});
  std::string four =
      "        and:\n"
      "          - {column: City, op: eq, value: Seattle}\n"
      "          - or:\n"
      "              - {column: N, op: gt, value: 1}\n"
      "              - and:\n"
      "                  - or:\n"
      "                      - {column: N, op: lt, value: 9}\n";
  auto v = violations(custom_table(four));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "filter.custom-depth");
  EXPECT_EQ(v[0].message, "Table 'A': the custom filter is nested 4 levels deep (at most 3).");
}

TEST(ProfileRules, CustomFilterLookupsOnlyOneLevelDeep) {
  EXPECT_EQ(messages(custom_table("        {column: P.City, op: eq, value: Paris}\n")), Msgs{});
  auto v = violations(custom_table("        {column: P.Q.City, op: eq, value: Paris}\n"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "filter.custom-lookup-depth");
  EXPECT_EQ(v[0].message,
            "Table 'A': the custom filter condition on 'P.Q.City' follows lookups more than one "
            "level deep, which is not supported offline.");
}

TEST(ProfileRules, CustomFilterLookupPathNeedsALookup) {
  EXPECT_EQ(messages(custom_table("        {column: City.Name, op: eq, value: x}\n")),
            Msgs{"Table 'A': the custom filter condition on 'City.Name' uses 'City', which is not "
                 "a lookup column."});
}

TEST(ProfileRules, CustomFilterColumns) {
  EXPECT_EQ(messages(custom_table("        {column: Town, op: eq, value: x}\n")),
            Msgs{"Table 'A': the custom filter uses unknown column 'Town'."});
  EXPECT_EQ(messages(custom_table("        {column: P.Town, op: eq, value: x}\n")),
            Msgs{"Table 'A': the custom filter uses unknown column 'P.Town'."});
}

TEST(ProfileRules, CustomFilterOperators) {
  EXPECT_EQ(messages(custom_table("        {column: City, op: like, value: x}\n")),
            Msgs{"Table 'A': the custom filter condition on 'City' has unknown operator 'like'."});
}

TEST(ProfileRules, CustomFilterValues) {
  EXPECT_EQ(messages(custom_table("        {column: City, op: eq}\n")),
            Msgs{"Table 'A': the custom filter condition on 'City' with operator 'eq' needs a "
                 "value."});
  EXPECT_EQ(messages(custom_table("        {column: City, op: not_null}\n")), Msgs{});
}

TEST(ProfileRules, CustomFilterGroupsAreNotEmpty) {
  EXPECT_EQ(messages(custom_table("        {and: []}\n")),
            Msgs{"Table 'A': the custom filter group at line 9 has no conditions."});
}

TEST(ProfileRules, CustomFilterAtMost15RelatedTables) {
  std::string columns = "[{name: Id, type: guid}";
  std::string conds = "        or:\n";
  std::string others;
  for (int i = 1; i <= 16; ++i) {
    columns +=
        ", {name: L" + std::to_string(i) + ", type: lookup, target: T" + std::to_string(i) + "}";
    conds += "          - {column: L" + std::to_string(i) + ".Id, op: not_null}\n";
    others += table("T" + std::to_string(i));
  }
  columns += "]";
  std::string yaml =
      "  - name: A\n    can_be_taken_offline: true\n    key: Id\n    columns: " + columns +
      "\n    rows:\n      custom:\n" + conds + others;
  auto v = violations(yaml);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "filter.custom-related-tables");
  EXPECT_EQ(v[0].message, "Table 'A': the custom filter refers to 16 related tables (at most 15).");
}

// ---------------------------------------------------------------- relationships

TEST(ProfileRules, ManyToManyRelationshipsAreNotSupported) {
  auto v = violations(table("A", "relationships: [{name: a_b, table: B, type: many_to_many}]") +
                      table("B"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "relationship.many-to-many");
  EXPECT_EQ(v[0].message,
            "Table 'A': relationship 'a_b' is many-to-many; many-to-many relationships are not "
            "supported offline.");
}

TEST(ProfileRules, RelationshipTableMustBeInTheProfile) {
  EXPECT_EQ(
      messages(table("A", "relationships: [{name: a_b, table: B}]")),
      Msgs{"Table 'A': relationship 'a_b' refers to table 'B', which is not in the profile."});
}

TEST(ProfileRules, SelfReferencingRelationshipsAreNotSupported) {
  EXPECT_EQ(messages(table("A", "relationships: [{name: parent, table: A, type: many_to_one}]")),
            Msgs{"Table 'A': relationship 'parent' refers to its own table; self-referencing "
                 "relationships are not supported offline."});
}

// B links to N tables; linking A to B adds N + 1 to A's count.
std::string chain(int b_links, int a_direct) {
  std::string yaml;
  std::string a_rels = "relationships: [{table: B}";
  for (int i = 0; i < a_direct; ++i) a_rels += ", {table: D" + std::to_string(i) + "}";
  yaml += table("A", a_rels + "]");
  std::string b_rels = "relationships: [";
  for (int i = 0; i < b_links; ++i)
    b_rels += std::string(i ? ", " : "") + "{table: C" + std::to_string(i) + "}";
  yaml += table("B", b_links ? b_rels + "]" : "");
  for (int i = 0; i < b_links; ++i) yaml += table("C" + std::to_string(i));
  for (int i = 0; i < a_direct; ++i) yaml += table("D" + std::to_string(i));
  return yaml;
}

TEST(ProfileRules, RelationshipsAreCountedTransitively) {
  Profile p = parse_profile("name: P\ntables:\n" + chain(2, 0));
  EXPECT_EQ(relationship_count(p, "B"), 2);
  EXPECT_EQ(relationship_count(p, "A"), 3);  // the seeds' example: 1 for B + 2 of B's
  // 15 is allowed: B has 10, A links B (11) and 4 more.
  EXPECT_EQ(messages(chain(10, 4)), Msgs{});
  auto v = violations(chain(10, 5));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "relationship.limit");
  EXPECT_EQ(v[0].table, "A");
  EXPECT_EQ(v[0].message, "Table 'A': 16 relationships counted transitively (at most 15).");
}

TEST(ProfileRules, RelationshipCyclesCountOnce) {
  Profile p = parse_profile("name: P\ntables:\n" + table("A", "relationships: [{table: B}]") +
                            table("B", "relationships: [{table: A}]"));
  EXPECT_EQ(relationship_count(p, "A"), 2);
  EXPECT_EQ(check(p), std::vector<Violation>{});
}

// ---------------------------------------------------------------- files and images

TEST(ProfileRules, FileColumnsAllOrNone) {
  std::string cols = "[{name: Id, type: guid}, {name: Doc, type: file}]";
  EXPECT_EQ(messages(table("A", "files: all", cols)), Msgs{});
  EXPECT_EQ(messages(table("A", "files: none", cols)), Msgs{});
  auto v = violations(table("A", "files: [Doc]", cols));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "files.all-or-none");
  EXPECT_EQ(v[0].message,
            "Table 'A': file columns are downloaded all or none ('files: all' or 'files: none'), "
            "not chosen one by one.");
  EXPECT_EQ(messages(table("A", "files: some", cols)), Msgs{v[0].message});
}

TEST(ProfileRules, ImageColumnsChosenOneByOne) {
  std::string cols = "[{name: Id, type: guid}, {name: Logo, type: image}, {name: Doc, type: file}]";
  EXPECT_EQ(messages(table("A", "images: [Logo]", cols)), Msgs{});
  EXPECT_EQ(messages(table("A", "images: [Logo, Doc, Photo]", cols)),
            (Msgs{"Table 'A': 'Doc' is not an image column of the table.",
                  "Table 'A': 'Photo' is not an image column of the table."}));
}

TEST(ProfileRules, EveryViolationIsReported) {
  auto v = violations(
      table("A", "sync_interval: -5, files: [x]", "[{name: Id, type: guid}]", false, ""));
  std::vector<std::string> rules;
  for (const auto& x : v) rules.push_back(x.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"table.offline", "table.sync-interval", "filter.none",
                                             "files.all-or-none"}));
}

// ---------------------------------------------------------------- YAML errors

TEST(ProfileYaml, MalformedYamlReportsLineAndColumn) {
  try {
    parse_profile("name: P\ntables:\n  - {name: A, key: [\n", "p.yaml");
    FAIL();
  } catch (const ProfileParseError& e) {
    EXPECT_EQ(e.source(), "p.yaml");
    EXPECT_EQ(e.line(), 4);
    EXPECT_GT(e.column(), 0);
    EXPECT_EQ(std::string(e.what()).rfind("p.yaml:4:", 0), 0u) << e.what();
  }
}

TEST(ProfileYaml, WrongShapesReportLineAndColumn) {
  try {
    parse_profile("name: P\ntables:\n  - name: A\n    columns: {Id: guid}\n", "p.yaml");
    FAIL();
  } catch (const ProfileParseError& e) {
    EXPECT_STREQ(e.what(), "p.yaml:4:14: 'columns' must be a list");
  }
  try {
    parse_profile("name: P\ntables:\n  - name: A\n    colums: []\n", "p.yaml");
    FAIL();
  } catch (const ProfileParseError& e) {
    EXPECT_STREQ(e.what(), "p.yaml:4:5: unknown key 'colums' in a table");
  }
  try {
    parse_profile("name: P\ntables:\n  - name: A\n    sync_interval: often\n", "p.yaml");
    FAIL();
  } catch (const ProfileParseError& e) {
    EXPECT_STREQ(e.what(), "p.yaml:4:20: 'sync_interval' must be an integer");
  }
  try {
    parse_profile("", "p.yaml");
    FAIL();
  } catch (const ProfileParseError& e) {
    EXPECT_STREQ(e.what(), "p.yaml: the profile is empty");
  }
}

// Found by profile_fuzzer: a value with bytes that are not UTF-8 reached the
// store's JSON and threw from nlohmann_json.
TEST(ProfileYaml, TextThatIsNotUtf8IsRefusedWhereItStands) {
  try {
    parse_profile("name: P\ntables:\n  - name: A\xFF\xFE\n", "p.yaml");
    FAIL();
  } catch (const ProfileParseError& e) {
    EXPECT_STREQ(e.what(), "p.yaml:3:12: the profile is not valid UTF-8 (byte 0xFF)");
  }
  EXPECT_EQ(parse_profile("name: Caf\xC3\xA9\ntables: []\n", "p.yaml").name, "Caf\xC3\xA9");
}

// ---------------------------------------------------------------- apply

TEST(ProfileApply, CreatesLocalTablesAndRecordsSettings) {
  auto store = Store::open_memory();
  Profile p = parse_profile(demo_profile_yaml());
  apply(p, *store);
  auto tables = store->tables();
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[2].name, "Sales Orders");
  EXPECT_EQ(tables[2].sync_interval_minutes, 60);
  EXPECT_EQ(tables[2].columns.size(), 6u);
  EXPECT_EQ(tables[2].column("OrderDate")->type, ColumnType::DateTime);
  EXPECT_EQ(store->app_settings().profile_name, "Field Sales (demo)");
  EXPECT_EQ(store->count_rows("Sales Orders"), 0);
}

TEST(ProfileApply, AnInvalidProfileIsRefusedAndTheStoreUntouched) {
  auto store = Store::open_memory(true);
  try {
    apply(parse_profile("name: P\ntables:\n" + table("A", "", "[{name: Id, type: guid}]", false)),
          *store);
    FAIL();
  } catch (const ProfileInvalid& e) {
    ASSERT_EQ(e.violations().size(), 1u);
    EXPECT_STREQ(e.what(),
                 "the offline profile has 1 violation:\n"
                 "  Table 'A': the table is not marked 'Can be taken offline'.");
  }
  EXPECT_EQ(store->tables().size(), 3u);
  EXPECT_EQ(store->count_rows("Accounts"), 3000);
}

TEST(ProfileApply, ReapplyingReplacesTablesAndDropsTheirQueue) {
  auto store = Store::open_memory(true);
  {
    auto tx = store->transaction();
    tx.create("Accounts", {{"Name", std::string("x")}});
    tx.commit();
  }
  apply(parse_profile("name: Small\ntables:\n" + table("Visits")), *store);
  auto tables = store->tables();
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].name, "Visits");
  EXPECT_EQ(store->queue_size(), 0);
  EXPECT_EQ(store->app_settings().profile_name, "Small");
  EXPECT_FALSE(store->table("Accounts"));
}

}  // namespace
}  // namespace canvasfx::host
