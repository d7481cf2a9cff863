// `canvasfx server seed`: a realistic organization (server.h, seed_organization).
// Rows come from a fixed-seed PRNG (host/sample_data.h): the same options give
// the same organization, so that tests and benchmarks can rely on its shape.
#include <fmt/format.h>

#include <array>
#include <random>

#include "canvasfx/host/sample_data.h"
#include "server_impl.h"

namespace canvasfx::sync {

namespace {

using host::ColumnType;
using namespace host::sample;

// Rows are written in chunks of this many (one transaction each).
constexpr size_t kChunk = 5000;

constexpr std::array<const char*, 8> kRegions = {"North",   "South",   "East",     "West",
                                                 "Central", "Pacific", "Atlantic", "Mountain"};
std::string region(int i) {
  if (i < static_cast<int>(kRegions.size())) return kRegions[static_cast<size_t>(i)];
  return fmt::format("Region {}", i + 1);
}

}  // namespace

std::vector<ServerTable> seed_catalog() {
  auto col = [](const char* name, ColumnType type, const char* target = "", bool required = false) {
    return ServerColumn{name, type, target, required};
  };
  return {
      {"Accounts",
       "AccountId",
       true,
       {col("AccountId", ColumnType::Guid), col("Name", ColumnType::Text, "", true),
        col("City", ColumnType::Text), col("Revenue", ColumnType::Number),
        col("Employees", ColumnType::Number), col("Active", ColumnType::Boolean),
        col("CreatedOn", ColumnType::DateTime), col("Logo", ColumnType::Image)}},
      {"Contacts",
       "ContactId",
       true,
       {col("ContactId", ColumnType::Guid), col("FullName", ColumnType::Text, "", true),
        col("Email", ColumnType::Text), col("Phone", ColumnType::Text),
        col("Account", ColumnType::Lookup, "Accounts")}},
      {"Sales Orders",
       "OrderId",
       true,
       {col("OrderId", ColumnType::Guid), col("OrderNumber", ColumnType::Text, "", true),
        col("Account", ColumnType::Lookup, "Accounts"), col("Amount", ColumnType::Number),
        col("OrderDate", ColumnType::DateTime), col("Status", ColumnType::Text)}},
  };
}

SeedResult seed_organization(SyncService& service, const SeedOptions& o) {
  if (o.business_units < 1 || o.teams < 0 || o.users < 1 || o.accounts < 0 || o.contacts < 0 ||
      o.orders < 0)
    throw ServerError("seed sizes must be positive (at least one business unit and one user)");
  {
    Lease c = service.storage().lease();
    if (as_int(c->scalar("SELECT count(*) FROM _cfx_business_units")) > 0)
      throw ServerError("the server already holds an organization; seed an empty storage");
  }
  Prng rng(o.random_seed);
  SeedResult result;

  // Business units: a root and its children.
  std::vector<std::string> bus{"Contoso"};
  service.add_business_unit(bus[0]);
  for (int i = 1; i < o.business_units; ++i) {
    bus.push_back("Contoso " + region(i - 1));
    service.add_business_unit(bus.back(), bus[0]);
  }
  // Teams, spread over the business units.
  std::vector<std::vector<std::string>> teams_of(bus.size());
  std::vector<std::string> teams;
  for (int i = 0; i < o.teams; ++i) {
    size_t bu = static_cast<size_t>(i) % bus.size();
    teams.push_back(fmt::format(
        "{} Team {}", bu == 0 ? std::string("Head Office") : region(static_cast<int>(bu) - 1),
        teams_of[bu].size() + 1));
    teams_of[bu].push_back(teams.back());
    service.add_team(teams.back(), bus[bu]);
  }
  // Users: an administrator, a manager per business unit, the rest in one or
  // two teams of their business unit.
  std::vector<std::string> users;  // owners of rows (not the administrator)
  result.tokens.emplace_back(
      "admin", service.add_user({"admin", bus[0], {}, WriteScope::Organization, true}));
  for (int i = 1; i < o.users; ++i) {
    size_t bu = static_cast<size_t>(i - 1) % bus.size();
    UserSpec u;
    u.business_unit = bus[bu];
    if (static_cast<size_t>(i) <= bus.size()) {
      u.name = fmt::format("manager{:02}", i);
      u.write_scope = WriteScope::BusinessUnit;
    } else {
      u.name = fmt::format("user{:03}", i);
    }
    const auto& pool = teams_of[bu];
    if (!pool.empty()) {
      u.teams.push_back(pool[rng.below(pool.size())]);
      if (pool.size() > 1 && rng.below(3) == 0) u.teams.push_back(pool[rng.below(pool.size())]);
    }
    result.tokens.emplace_back(u.name, service.add_user(u));
    users.push_back(u.name);
  }
  if (users.empty()) users.push_back("admin");

  for (const auto& t : seed_catalog()) service.define_table(t);

  auto owner = [&]() -> RowOwner {
    if (!teams.empty() && rng.below(5) == 0) return {"", teams[rng.below(teams.size())]};
    return {users[rng.below(users.size())], ""};
  };
  auto write = [&](const char* table, int64_t total, auto&& make_row) {
    std::vector<ServerRow> rows;
    std::vector<RowOwner> owners;
    for (int64_t i = 0; i < total; ++i) {
      auto [row, who] = make_row(i);
      rows.push_back(std::move(row));
      owners.push_back(std::move(who));
      if (rows.size() == kChunk || i + 1 == total) {
        service.write_rows(table, rows, owners);
        rows.clear();
        owners.clear();
        if (o.progress) o.progress(table, i + 1, total);
      }
    }
  };

  std::vector<std::string> account_ids;
  std::vector<RowOwner> account_owners;
  write("Accounts", o.accounts, [&](int64_t i) {
    std::string id = rng.guid();
    RowOwner who = owner();
    account_ids.push_back(id);
    account_owners.push_back(who);
    ServerRow row{{"AccountId", id},
                  {"Name", fmt::format("{} {} {}", rng.pick(kCompanyPrefixes),
                                       rng.pick(kCompanySuffixes), i + 1)},
                  {"City", std::string(rng.pick(kCities))},
                  {"Revenue", static_cast<double>(rng.below(5'000'000)) + 1000.0},
                  {"Employees", static_cast<double>(1 + rng.below(10'000))},
                  {"Active", int64_t{rng.below(5) != 0}},
                  {"CreatedOn", kEpoch2023 + static_cast<int64_t>(rng.below(700)) * kDayMs},
                  {"Logo", SqlValue{}}};
    return std::pair{std::move(row), who};
  });
  // Contacts and orders belong to an account and to its owner.
  auto account = [&]() -> size_t { return rng.below(account_ids.size()); };
  write("Contacts", account_ids.empty() ? 0 : o.contacts, [&](int64_t i) {
    std::string first = rng.pick(kFirstNames), last = rng.pick(kLastNames);
    size_t a = account();
    ServerRow row{{"ContactId", rng.guid()},
                  {"FullName", first + " " + last},
                  {"Email", fmt::format("{}.{}{}@example.com", first, last, i + 1)},
                  {"Phone", fmt::format("+1 555 {:04}", rng.below(10000))},
                  {"Account", account_ids[a]}};
    return std::pair{std::move(row), account_owners[a]};
  });
  write("Sales Orders", account_ids.empty() ? 0 : o.orders, [&](int64_t i) {
    size_t a = account();
    ServerRow row{{"OrderId", rng.guid()},
                  {"OrderNumber", fmt::format("SO-{:06}", i + 1)},
                  {"Account", account_ids[a]},
                  {"Amount", static_cast<double>(rng.below(100'000)) / 4.0},
                  {"OrderDate", kEpoch2023 + static_cast<int64_t>(rng.below(700)) * kDayMs},
                  {"Status", std::string(rng.pick(kOrderStatuses))}};
    return std::pair{std::move(row), account_owners[a]};
  });
  return result;
}

}  // namespace canvasfx::sync
