// What the libFuzzer harnesses of tests/fuzz share: a tiny offline profile
// with a few rows, and the engine limits a fuzzed formula runs under.
//
// A harness's contract is the project's: any input gives a value, a
// diagnostic or a documented exception (StoreError, ProfileParseError,
// ProfileInvalid); anything else escaping, a crash, a sanitizer report, a
// hang (libFuzzer -timeout) or runaway memory (-rss_limit_mb) is a finding.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include "canvasfx/engine.h"
#include "canvasfx/host/profile.h"
#include "canvasfx/host/store.h"

namespace canvasfx::fuzz {

// Two tables of a few rows: small enough to build for every input.
inline constexpr std::string_view kTinyProfile = R"(name: Fuzz
tables:
  - name: Accounts
    can_be_taken_offline: true
    key: Id
    columns:
      - { name: Id, type: text }
      - { name: Name, type: text }
      - { name: City, type: text }
      - { name: Revenue, type: number }
      - { name: Active, type: boolean }
      - { name: CreatedOn, type: datetime }
    rows:
      all: true
  - name: Contacts
    can_be_taken_offline: true
    key: Id
    columns:
      - { name: Id, type: guid }
      - { name: FullName, type: text }
      - { name: Account, type: lookup, target: Accounts }
    rows:
      all: true
)";

// A store with the tiny profile and a few rows (with queue entries).
inline void fill_tiny_store(host::Store& store) {
  host::apply(host::parse_profile(kTinyProfile), store);
  auto txn = store.transaction();
  const char* cities[] = {"Seattle", "Paris", "", "Tokyo"};
  for (int i = 0; i < 6; ++i)
    txn.create("Accounts", {{"Id", std::string("a") + std::to_string(i)},
                            {"Name", std::string("Account ") + std::to_string(i)},
                            {"City", std::string(cities[i % 4])},
                            {"Revenue", static_cast<double>(i * 1000)},
                            {"Active", i % 2 == 0},
                            {"CreatedOn", int64_t{1700000000000} + i * 86400000}});
  for (int i = 0; i < 4; ++i)
    txn.create("Contacts", {{"FullName", std::string("Contact ") + std::to_string(i)},
                            {"Account", std::string("a") + std::to_string(i)}});
  txn.commit();
}

// The limits a formula runs under: a runaway formula ends as an error value
// well before libFuzzer's own timeout and memory limits.
inline void limit(Engine& engine) {
  engine.set_time_limit(std::chrono::milliseconds(2000));
  engine.set_memory_limit(256u << 20);
}

}  // namespace canvasfx::fuzz
