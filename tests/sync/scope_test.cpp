// Downsync holds exactly the rows the profile selects: two users in different
// business units, one profile (organization rows of the user and the business
// unit; the contacts related to the downloaded accounts; a custom filter on
// orders); each device is compared with an independent SQL query over the
// server's tables — after the first sync, and again after the organization
// changed rows, owners, deletions and a user's business unit.
#include <fmt/format.h>

#include "sync_fixture.h"

namespace canvasfx::sync::testing {
namespace {

using host::ColumnType;

class SyncScope : public SyncTest {
 protected:
  std::string first_key(const std::string& sql, const SqlParams& params) {
    auto rows = server_query(sql, params);
    EXPECT_FALSE(rows.empty()) << sql;
    return rows.empty() ? "" : as_text(rows[0][0]);
  }
};

TEST_F(SyncScope, TwoUsersInDifferentBusinessUnitsHoldExactlyTheirRows) {
  seed_small();
  publish(kAcceptanceProfile);
  // user004 is in the first business unit, user005 in the second (round robin).
  auto ua = service_->find_user("user004"), ub = service_->find_user("user005");
  ASSERT_TRUE(ua && ub);
  ASSERT_NE(ua->business_unit, ub->business_unit);

  Device a = device("user004"), b = device("user005");
  auto ra = a.sync(), rb = b.sync();
  ASSERT_TRUE(ra.ok) << ra.error;
  ASSERT_TRUE(rb.ok) << rb.error;
  for (const auto& t : ra.tables) EXPECT_TRUE(t.full) << t.table;
  expect_exact(*a.store, "user004");
  expect_exact(*b.store, "user005");
  EXPECT_NE(local_rows(*a.store, "Accounts"), local_rows(*b.store, "Accounts"));

  // The organization changes: values, an owner moving an account between the
  // two business units, deletions, an order entering the filter through its
  // account's city, and user004 moving to a third business unit.
  std::string a_account = first_key(
      "SELECT \"AccountId\" FROM \"Accounts\" WHERE _cfx_bu = ? AND _cfx_deleted = 0 ORDER BY "
      "\"AccountId\"",
      {ua->business_unit});
  service_->update_row("Accounts", a_account, {{"Name", std::string("Renamed Ltd")}});
  std::string moved = first_key(
      "SELECT \"AccountId\" FROM \"Accounts\" WHERE _cfx_bu = ? AND _cfx_deleted = 0 AND "
      "\"AccountId\" <> ? AND \"AccountId\" IN (SELECT \"Account\" FROM \"Contacts\") ORDER BY "
      "\"AccountId\"",
      {ua->business_unit, a_account});
  service_->set_owner("Accounts", moved, {"user005", ""});
  service_->delete_row(
      "Contacts", first_key("SELECT c.\"ContactId\" FROM \"Contacts\" c JOIN \"Accounts\" a ON "
                            "a.\"AccountId\" = c.\"Account\" WHERE a._cfx_bu = ? ORDER BY 1",
                            {ub->business_unit}));
  service_->delete_row("Accounts", first_key("SELECT \"AccountId\" FROM \"Accounts\" WHERE _cfx_bu "
                                             "= ? AND _cfx_deleted = 0 ORDER BY \"AccountId\" DESC",
                                             {ub->business_unit}));
  std::string small_open = first_key(
      "SELECT \"OrderId\" FROM \"Sales Orders\" WHERE \"Status\" = 'Open' AND \"Amount\" <= 10000 "
      "ORDER BY 1",
      {});
  std::string its_account = as_text(server_query(
      "SELECT \"Account\" FROM \"Sales Orders\" WHERE \"OrderId\" = ?", {small_open})[0][0]);
  service_->update_row("Accounts", its_account, {{"City", std::string("Seattle")}});
  service_->update_row("Sales Orders",
                       first_key("SELECT \"OrderId\" FROM \"Sales Orders\" WHERE \"Status\" = "
                                 "'Open' AND \"Amount\" > 10000 ORDER BY 1",
                                 {}),
                       {{"Status", std::string("Shipped")}});

  ra = a.sync();
  rb = b.sync();
  ASSERT_TRUE(ra.ok) << ra.error;
  ASSERT_TRUE(rb.ok) << rb.error;
  for (const auto& t : rb.tables) EXPECT_FALSE(t.full) << t.table;  // deltas
  expect_exact(*a.store, "user004");
  expect_exact(*b.store, "user005");
  EXPECT_TRUE(local_rows(*b.store, "Accounts").count(moved));

  service_->set_memberships("user004", "Contoso South", {});
  ra = a.sync();
  ASSERT_TRUE(ra.ok) << ra.error;
  for (const auto& t : ra.tables) EXPECT_TRUE(t.full) << t.table;  // a new scope: full passes
  expect_exact(*a.store, "user004");
}

TEST_F(SyncScope, ADeltaSendsOnlyWhatChanged) {
  seed_small();
  publish(kAcceptanceProfile);
  Device a = device("user004");
  ASSERT_TRUE(a.sync().ok);
  auto again = a.sync();
  ASSERT_TRUE(again.ok) << again.error;
  for (const auto& t : again.tables) EXPECT_EQ(t.downloaded + t.removed, 0) << t.table;

  auto ua = service_->find_user("user004");
  std::string key = first_key(
      "SELECT \"AccountId\" FROM \"Accounts\" WHERE _cfx_owner_user = ? ORDER BY 1", {ua->id});
  service_->update_row("Accounts", key, {{"Revenue", 42.5}});
  auto delta = a.sync();
  ASSERT_TRUE(delta.ok) << delta.error;
  EXPECT_EQ(delta.tables[0].table, "Accounts");
  EXPECT_EQ(delta.tables[0].downloaded, 1);
  EXPECT_NE(local_rows(*a.store, "Accounts")[key].find("Revenue=42.5"), std::string::npos);
  expect_exact(*a.store, "user004");
}

TEST_F(SyncScope, TablesWaitForTheirIntervalUnlessForced) {
  seed_small();
  publish(kAcceptanceProfile);
  Device a = device("user004");
  int64_t now = 1'800'000'000'000;
  a.store->set_clock([&] { return now; });
  ASSERT_TRUE(a.sync(false).ok);
  now += 16 * 60'000;  // Accounts (15 min) is due, Contacts (30) and orders (60) are not
  auto r = a.sync(false);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.tables.size(), 3u);
  EXPECT_TRUE(r.tables[0].synced);
  EXPECT_FALSE(r.tables[1].synced);
  EXPECT_FALSE(r.tables[2].synced);
  r = a.sync(true);
  for (const auto& t : r.tables) EXPECT_TRUE(t.synced) << t.table;
}

}  // namespace
}  // namespace canvasfx::sync::testing

namespace canvasfx::sync::testing {
namespace {

// Every operator of a custom filter, three levels deep, with a lookup column,
// against a query written by hand (text compared without regard to case).
TEST_F(SyncScope, CustomFiltersUseEveryOperatorThreeLevelsDeep) {
  seed_small();
  publish(R"yaml(
name: Operators
tables:
  - name: Accounts
    can_be_taken_offline: true
    key: AccountId
    columns:
      - { name: AccountId, type: guid }
      - { name: Name, type: text }
      - { name: City, type: text }
      - { name: Revenue, type: number }
      - { name: Active, type: boolean }
      - { name: CreatedOn, type: datetime }
    rows:
      custom:
        or:
          - and:
              - { column: City, op: begins_with, value: SEA }
              - { column: Active, op: eq, value: true }
              - or:
                  - { column: Revenue, op: ge, value: 2500000 }
                  - { column: Name, op: contains, value: "coffee" }
          - and:
              - { column: City, op: ends_with, value: "ON" }
              - { column: Revenue, op: lt, value: 1000000 }
              - { column: CreatedOn, op: le, value: "2023-06-30T00:00:00Z" }
          - { column: Name, op: "null" }
  - name: Contacts
    can_be_taken_offline: true
    key: ContactId
    columns:
      - { name: ContactId, type: guid }
      - { name: FullName, type: text }
      - { name: Email, type: text }
      - { name: Account, type: lookup, target: Accounts }
    rows:
      custom:
        and:
          - { column: Account.City, op: ne, value: paris }
          - { column: Email, op: not_null }
          - { column: FullName, op: gt, value: "m" }
)yaml");
  Device d = device("user004");
  auto r = d.sync();
  ASSERT_TRUE(r.ok) << r.error;
  using host::ColumnType;
  auto accounts = server_rows(
      "SELECT \"AccountId\", \"Name\", \"City\", \"Revenue\", \"Active\", \"CreatedOn\" FROM "
      "\"Accounts\" WHERE _cfx_deleted = 0 AND ((lower(\"City\") LIKE 'sea%' AND \"Active\" = 1 "
      "AND (\"Revenue\" >= 2500000 OR lower(\"Name\") LIKE '%coffee%')) OR (lower(\"City\") LIKE "
      "'%on' AND \"Revenue\" < 1000000 AND \"CreatedOn\" <= 1688083200000) OR \"Name\" IS NULL)",
      {}, {"Name", "City", "Revenue", "Active", "CreatedOn"},
      {ColumnType::Text, ColumnType::Text, ColumnType::Number, ColumnType::Boolean,
       ColumnType::DateTime});
  auto contacts = server_rows(
      "SELECT c.\"ContactId\", c.\"FullName\", c.\"Email\", c.\"Account\" FROM \"Contacts\" c "
      "LEFT JOIN \"Accounts\" a ON a.\"AccountId\" = c.\"Account\" AND a._cfx_deleted = 0 WHERE "
      "c._cfx_deleted = 0 AND lower(a.\"City\") <> 'paris' AND c.\"Email\" IS NOT NULL AND "
      "lower(c.\"FullName\") > 'm'",
      {}, {"FullName", "Email", "Account"},
      {ColumnType::Text, ColumnType::Text, ColumnType::Lookup});
  EXPECT_EQ(local_rows(*d.store, "Accounts"), accounts);
  EXPECT_EQ(local_rows(*d.store, "Contacts"), contacts);
  EXPECT_GT(accounts.size(), 5u);
  EXPECT_GT(contacts.size(), 5u);
  // Both branches of the top-level "or" select rows.
  int seattle = 0, on = 0;
  for (const auto& [key, text] : accounts) {
    seattle += text.find("City=\"Seattle\"") != std::string::npos;
    on += text.find("on\"|") != std::string::npos;
  }
  EXPECT_GT(seattle, 0);
  EXPECT_GT(on, 0);
}

}  // namespace
}  // namespace canvasfx::sync::testing

namespace canvasfx::sync::testing {
namespace {

// Relationships that form a cycle: accounts bring their contacts, contacts
// bring their account. The scope is the fixpoint; a delta brings the rows
// that entered it through the other table.
TEST_F(SyncScope, RelationshipsInACycleReachTheirFixpoint) {
  seed_small();
  publish(R"yaml(
name: Cycle
tables:
  - name: Accounts
    can_be_taken_offline: true
    key: AccountId
    columns:
      - { name: AccountId, type: guid }
      - { name: Name, type: text }
    rows:
      organization: [user]
    relationships:
      - { name: account_contacts, table: Contacts, type: one_to_many }
  - name: Contacts
    can_be_taken_offline: true
    key: ContactId
    columns:
      - { name: ContactId, type: guid }
      - { name: FullName, type: text }
      - { name: Account, type: lookup, target: Accounts }
    rows:
      custom: { column: FullName, op: begins_with, value: ana }
    relationships:
      - { name: contact_account, table: Accounts, type: many_to_one }
)yaml");
  auto u = service_->find_user("user004");
  using host::ColumnType;
  const std::string accounts_sql =
      "SELECT \"AccountId\" FROM \"Accounts\" WHERE _cfx_deleted = 0 AND (_cfx_owner_user = ? OR "
      "\"AccountId\" IN (SELECT \"Account\" FROM \"Contacts\" WHERE _cfx_deleted = 0 AND "
      "lower(\"FullName\") LIKE 'ana%'))";
  auto expect_cycle = [&](Device& d) {
    auto accounts =
        server_rows("SELECT \"AccountId\", \"Name\" FROM \"Accounts\" WHERE \"AccountId\" IN (" +
                        accounts_sql + ")",
                    {u->id}, {"Name"}, {ColumnType::Text});
    auto contacts = server_rows(
        "SELECT \"ContactId\", \"FullName\", \"Account\" FROM \"Contacts\" WHERE _cfx_deleted = 0 "
        "AND (lower(\"FullName\") LIKE 'ana%' OR \"Account\" IN (" +
            accounts_sql + "))",
        {u->id}, {"FullName", "Account"}, {ColumnType::Text, ColumnType::Lookup});
    EXPECT_EQ(local_rows(*d.store, "Accounts"), accounts);
    EXPECT_EQ(local_rows(*d.store, "Contacts"), contacts);
    return std::pair{accounts.size(), contacts.size()};
  };
  Device d = device("user004");
  ASSERT_TRUE(d.sync().ok);
  auto [accounts, contacts] = expect_cycle(d);
  EXPECT_GT(accounts, 20u);
  EXPECT_GT(contacts, accounts);

  // An "Ana" contact moves to an account outside the scope: that account, and
  // its other contacts, enter it although none of them changed.
  auto outside =
      server_query("SELECT \"AccountId\" FROM \"Accounts\" WHERE \"AccountId\" NOT IN (" +
                       accounts_sql + ") ORDER BY 1",
                   {u->id});
  auto ana = server_query(
      "SELECT \"ContactId\" FROM \"Contacts\" WHERE lower(\"FullName\") LIKE 'ana%' ORDER BY 1",
      {});
  ASSERT_FALSE(outside.empty());
  ASSERT_FALSE(ana.empty());
  service_->update_row("Contacts", as_text(ana[0][0]), {{"Account", outside[0][0]}});
  auto r = d.sync();
  ASSERT_TRUE(r.ok) << r.error;
  for (const auto& t : r.tables) EXPECT_FALSE(t.full) << t.table;
  expect_cycle(d);
  EXPECT_TRUE(d.store->get_row("Accounts", as_text(outside[0][0])));
}

}  // namespace
}  // namespace canvasfx::sync::testing
