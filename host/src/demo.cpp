// The demo profile and data a new default store is seeded with: Accounts,
// Contacts (a lookup to Accounts) and 'Sales Orders' (a name with a space).
// Rows are generated from a fixed-seed PRNG (sample_data.h), so every new
// store holds the same data.
#include <fmt/format.h>

#include <array>
#include <random>

#include "canvasfx/host/profile.h"
#include "canvasfx/host/sample_data.h"
#include "store_impl.h"

namespace canvasfx::host {

namespace {

using namespace sample;

constexpr int kAccounts = 3000;
constexpr int kContacts = 6000;
constexpr int kOrders = 4000;

constexpr std::string_view kDemoProfile = R"yaml(# The canvasfx demo profile (see host/PROFILE.md).
name: Field Sales (demo)
description: Accounts with their contacts and sales orders.
tables:
  - name: Accounts
    can_be_taken_offline: true
    key: AccountId
    sync_interval: 15
    columns:
      - { name: AccountId, type: guid }
      - { name: Name, type: text }
      - { name: City, type: text }
      - { name: Revenue, type: number }
      - { name: Employees, type: number }
      - { name: Active, type: boolean }
      - { name: CreatedOn, type: datetime }
      - { name: Logo, type: image }
    rows:
      organization: [user, team]
    relationships:
      - { name: account_contacts, table: Contacts, type: one_to_many }
      - { name: account_orders, table: Sales Orders, type: one_to_many }
    files: none
    images: [Logo]
  - name: Contacts
    can_be_taken_offline: true
    key: ContactId
    sync_interval: 30
    columns:
      - { name: ContactId, type: guid }
      - { name: FullName, type: text }
      - { name: Email, type: text }
      - { name: Phone, type: text }
      - { name: Account, type: lookup, target: Accounts }
    rows:
      related: [Accounts]
  - name: Sales Orders
    can_be_taken_offline: true
    key: OrderId
    sync_interval: 60
    columns:
      - { name: OrderId, type: guid }
      - { name: OrderNumber, type: text }
      - { name: Account, type: lookup, target: Accounts }
      - { name: Amount, type: number }
      - { name: OrderDate, type: datetime }
      - { name: Status, type: text }
    rows:
      custom:
        and:
          - { column: Status, op: ne, value: Cancelled }
          - or:
              - { column: Amount, op: gt, value: 0 }
              - { column: Account.City, op: eq, value: Seattle }
)yaml";

}  // namespace

std::string_view demo_profile_yaml() { return kDemoProfile; }

void seed_demo(Store& store) {
  Store::Impl& impl = store.impl();
  Profile profile = parse_profile(kDemoProfile, "demo profile");
  Prng rng(20240501);

  impl.atomically("seed the demo profile and data", [&] {
    // Another process creating the same store at the same time may have seeded it.
    if (!store.app_settings().profile_name.empty()) return;
    apply(profile, store);
    AppSettings app = store.app_settings();
    app.app_name = "Offline demo";
    app.offline_enabled = true;
    store.set_app_settings(app);
    DeviceState device;
    device.user_agent = "Mozilla/5.0 (X11; Linux x86_64) canvasfx/0.1";
    device.session_id = new_guid();
    device.tenant_id = "6b1f0a8e-3c2d-4e5f-9a7b-0c1d2e3f4a5b";
    store.set_device_state(device);

    int64_t run = store.begin_sync(/*initial=*/true);
    std::vector<Row> rows;
    rows.reserve(kContacts);
    std::vector<std::string> account_ids;
    for (int i = 0; i < kAccounts; ++i) {
      std::string id = rng.guid();
      account_ids.push_back(id);
      rows.push_back({{"AccountId", id},
                      {"Name", fmt::format("{} {} {}", rng.pick(kCompanyPrefixes),
                                           rng.pick(kCompanySuffixes), i + 1)},
                      {"City", std::string(rng.pick(kCities))},
                      {"Revenue", static_cast<double>(rng.below(5'000'000)) + 1000.0},
                      {"Employees", static_cast<double>(1 + rng.below(10'000))},
                      {"Active", rng.below(5) != 0},
                      {"CreatedOn", kEpoch2023 + static_cast<int64_t>(rng.below(700)) * kDayMs},
                      {"Logo", std::monostate{}}});
    }
    store.download_rows(run, "Accounts", rows);
    rows.clear();
    for (int i = 0; i < kContacts; ++i) {
      std::string first = rng.pick(kFirstNames), last = rng.pick(kLastNames);
      rows.push_back({{"ContactId", rng.guid()},
                      {"FullName", first + " " + last},
                      {"Email", fmt::format("{}.{}{}@example.com", first, last, i + 1)},
                      {"Phone", fmt::format("+1 555 {:04}", rng.below(10000))},
                      {"Account", account_ids[rng.below(account_ids.size())]}});
    }
    store.download_rows(run, "Contacts", rows);
    rows.clear();
    for (int i = 0; i < kOrders; ++i) {
      rows.push_back({{"OrderId", rng.guid()},
                      {"OrderNumber", fmt::format("SO-{:05}", i + 1)},
                      {"Account", account_ids[rng.below(account_ids.size())]},
                      {"Amount", static_cast<double>(rng.below(100'000)) / 4.0},
                      {"OrderDate", kEpoch2023 + static_cast<int64_t>(rng.below(700)) * kDayMs},
                      {"Status", std::string(rng.pick(kOrderStatuses))}});
    }
    store.download_rows(run, "Sales Orders", rows);
    SyncRunResult result;
    result.tables = {{"Accounts", true, kAccounts, 0},
                     {"Contacts", true, kContacts, 0},
                     {"Sales Orders", true, kOrders, 0}};
    store.end_sync(run, result);
  });
}

}  // namespace canvasfx::host
