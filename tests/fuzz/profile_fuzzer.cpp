// Offline profile YAML (libFuzzer): parsed, checked against the offline rules
// and, when valid, applied to a fresh in-memory store, whose tables are then
// read through the host as a formula reads them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "canvasfx/host/host.h"
#include "canvasfx/stdlib.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace canvasfx;
  std::string_view yaml(reinterpret_cast<const char*>(data), size);
  host::Profile profile;
  try {
    profile = host::parse_profile(yaml, "fuzz");
  } catch (const host::ProfileParseError& e) {
    return 0;
  }
  auto violations = host::check(profile);
  if (!violations.empty()) return 0;
  auto store = host::Store::open_memory();
  try {
    host::apply(profile, *store);
  } catch (const host::StoreError&) {
    return 0;  // a valid profile the store cannot hold is refused with its reason
  }
  Engine engine;
  stdlib::install(engine);
  auto installed = host::install_host(engine, *store);
  fuzz::limit(engine);
  for (const auto& table : store->tables()) {
    std::string name = "'" + table.name + "'";
    (void)engine.eval("CountRows(" + name + ")");
    (void)engine.eval("First(" + name + ")");
  }
  return 0;
}
