// The offline profile: which tables a device downloads, which of their rows,
// and how often it syncs them. Read from YAML (yaml-cpp), checked against the
// rules of the Power Apps offline docs (OFFLINE.md, reference/seeds), applied
// to a Store. The full schema, with an example, is in host/PROFILE.md.
//
//   name: Field Sales                  # required
//   description: ...                   # optional
//   tables:                            # required, at least one
//     - name: Accounts                 # required, unique
//       can_be_taken_offline: true     # the table's "Can be taken offline" (default false)
//       key: AccountId                 # required: a text or guid column
//       sync_interval: 15              # minutes, a positive integer (default 5)
//       columns:                       # required: name + type [+ target for lookups]
//         - { name: AccountId, type: guid }
//         - { name: Name, type: text }        # text number boolean datetime guid
//         - { name: Parent, type: lookup, target: Accounts }   # lookup file image
//       rows:                          # the row filter; at least one rule
//         all: true                    #   All rows (no other rule allowed with it)
//         organization: [user, team, business_unit]   # Organization rows: >= 1 of these
//         related: [Contacts]          #   Related rows only: tables in the profile
//         custom:                      #   Custom: a condition group, <= 3 levels deep
//           and:
//             - { column: City, op: eq, value: Seattle }
//             - or:
//                 - { column: Revenue, op: gt, value: 1000 }
//                 - { column: Parent.City, op: eq, value: Paris }  # one lookup level
//       relationships:                 # related rows downloaded too
//         - { name: contact_account, table: Contacts, type: one_to_many }
//       files: none                    # all | none
//       images: [Logo]                 # image columns, chosen one by one
//
// check() never throws on a well-formed document: it returns every violation.
// parse_profile() throws ProfileParseError (with 1-based line and column) for
// YAML that is not well-formed or has the wrong shape (a list where a map is
// expected, a non-integer interval, unknown keys ...).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/host/store.h"

namespace canvasfx::host {

class ProfileParseError : public std::runtime_error {
 public:
  ProfileParseError(std::string source, int line, int column, const std::string& what);
  const std::string& source() const { return source_; }
  int line() const { return line_; }      // 1-based; 0 when unknown
  int column() const { return column_; }  // 1-based; 0 when unknown

 private:
  std::string source_;
  int line_, column_;
};

// A custom filter: a tree of groups (and/or) and conditions.
struct FilterNode {
  enum class Kind : uint8_t { And, Or, Condition } kind = Kind::Condition;
  std::vector<FilterNode> children;  // And / Or
  std::string column;                // Condition: "City" or "Parent.City" (lookup path)
  std::string op;                    // eq ne gt ge lt le like begins_with contains null not_null in
  std::string value;                 // the YAML scalar as written ("" for null/not_null)
  bool has_value = false;
  int line = 0;
};

enum class RelationshipType : uint8_t { ManyToOne, OneToMany, ManyToMany };

struct Relationship {
  std::string name;
  std::string table;  // the related table
  RelationshipType type = RelationshipType::OneToMany;
};

struct ProfileColumn {
  std::string name;
  std::string type;    // as written; validated by check()
  std::string target;  // lookup target table
};

struct ProfileTable {
  std::string name;
  bool can_be_taken_offline = false;
  std::string key;
  int sync_interval_minutes = 5;
  bool sync_interval_set = false;
  int64_t sync_interval_raw = 5;  // as written, for the message when it is invalid
  std::vector<ProfileColumn> columns;

  // Row filter rules (all absent: a violation).
  bool all_rows = false;
  bool organization_rows = false;         // the key is present
  std::vector<std::string> organization;  // user, team, business_unit
  bool related_rows = false;
  std::vector<std::string> related;  // tables
  std::optional<FilterNode> custom;

  std::vector<Relationship> relationships;
  std::string files = "none";  // "all" or "none" as written
  bool files_is_list = false;  // a list was given (violates all-or-none)
  std::vector<std::string> images;
  int line = 0;  // where the table starts in the YAML
};

struct Profile {
  std::string name;
  std::string description;
  std::vector<ProfileTable> tables;
  std::string source;  // the YAML text
};

// Parses YAML text. `source_name` names it in errors ("profile.yaml").
Profile parse_profile(std::string_view yaml, std::string_view source_name = "profile");
Profile load_profile(const std::string& path);

struct Violation {
  std::string table;    // "" for profile-wide rules
  std::string rule;     // stable rule id, e.g. "filter.all-rows-exclusive"
  std::string message;  // exact, stable text, starting with "Table 'X': " for table rules
  friend bool operator==(const Violation&, const Violation&) = default;
};

inline constexpr int kMaxRelationships = 15;  // per table, counted transitively
inline constexpr int kMaxFilterRelatedTables = 15;
inline constexpr int kMaxCustomFilterDepth = 3;

// Every rule violation, in table order then rule order.
std::vector<Violation> check(const Profile& profile);
// The transitive relationship count of a table (see PROFILE.md).
int relationship_count(const Profile& profile, std::string_view table);

// Thrown by apply() for a profile with violations; holds them all.
class ProfileInvalid : public std::runtime_error {
 public:
  explicit ProfileInvalid(std::vector<Violation> violations);
  const std::vector<Violation>& violations() const { return violations_; }

 private:
  std::vector<Violation> violations_;
};

// The local table schema a profile table declares.
TableSchema table_schema(const ProfileTable& table);

// Applies a valid profile: replaces the store's local tables (and drops their
// pending queue entries) with the profile's tables, and records the profile
// name, its YAML and the per-table intervals/settings. Throws ProfileInvalid
// when check() finds violations; the store is then untouched.
void apply(const Profile& profile, Store& store);

// The demo profile seeded into a new default store (Accounts, Contacts,
// 'Sales Orders').
std::string_view demo_profile_yaml();

}  // namespace canvasfx::host
