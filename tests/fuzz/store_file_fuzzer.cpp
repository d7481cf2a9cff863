// A store file (libFuzzer): the bytes are written to a file, which every
// command then opens and uses the way it does (`store status`, `store set`,
// `store sync begin|end`, `eval` of formulas that read and write the data
// sources and signals, `profile apply`). A file that is not a store must be
// refused with a StoreError and stay untouched; one that opens must work or
// fail with StoreError. Seeds: small valid stores (tests/fuzz/run_fuzzers.sh).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "canvasfx/host/host.h"
#include "canvasfx/host/sync_state.h"
#include "canvasfx/stdlib.h"
#include "fuzz_support.h"

namespace {

namespace fs = std::filesystem;

const fs::path& folder() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "canvasfx-store-fuzz-XXXXXX").string();
    return fs::path(::mkdtemp(tmpl.data()));
  }();
  return dir;
}

void write(const fs::path& path, const uint8_t* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void remove_store(const fs::path& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    fs::remove(path.string() + suffix, ec);
}

// What each command does after opening the store.
void use(canvasfx::host::Store& store) {
  using namespace canvasfx;
  (void)host::render_device_status(host::device_status_of(store));  // store status
  store.set_connected(false);                                       // store set connected
  int64_t run = store.begin_sync();                                 // store sync begin
  store.end_sync(run, {});                                          // store sync end
  Engine engine;                                                    // eval
  stdlib::install(engine);
  auto installed = host::install_host(engine, store);
  installed->set_output([](const std::string&) {});
  fuzz::limit(engine);
  CheckOptions behavior;
  behavior.behavior = true;
  for (const auto& t : store.tables()) {
    std::string name = "'" + t.name + "'";
    (void)engine.eval("CountRows(" + name + ")");
    (void)engine.eval("Concat(FirstN(" + name + ", 5), 1)");
    (void)engine.eval("Patch(" + name + ", First(" + name + "), {})", behavior);
    (void)engine.eval("Collect(" + name + ", {})", behavior);
  }
  (void)engine.eval("Connection.Sync");
  (void)engine.eval("ShowHostInfo(HostInfo.OfflineSync)", behavior);
  host::apply(host::parse_profile(fuzz::kTinyProfile), store);  // profile apply
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace canvasfx;
  fs::path path = folder() / "store.db";
  remove_store(path);
  write(path, data, size);
  std::string before(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<host::Store> store;
  try {
    store = host::Store::open(path, {.create = false, .busy_timeout_ms = 0});
  } catch (const host::StoreError&) {
    // Refused: the file must be as it was, with nothing beside it.
    if (read(path) != before || fs::exists(path.string() + "-wal") ||
        fs::exists(path.string() + "-journal"))
      __builtin_trap();
    return 0;
  }
  try {
    use(*store);
  } catch (const host::StoreError&) {
  }
  store.reset();
  remove_store(path);
  return 0;
}
