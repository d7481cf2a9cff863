#include "cli_options.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "canvasfx/stdlib.h"
#ifdef CANVASFX_HAVE_HOST
#include "canvasfx/host/host.h"
#endif

namespace canvasfx::cli {

#ifdef CANVASFX_HAVE_HOST
std::unique_ptr<host::Store> open_store(const CliOptions& options) {
  if (!options.store) return host::Store::open_default();
  if (*options.store == ":memory:") return host::Store::open_memory(/*seed_demo=*/true);
  return host::Store::open(*options.store, host::OpenOptions{.create = true, .seed_demo = true});
}
#endif

void configure_engine(Engine& engine, const CliOptions& options) {
  stdlib::install(engine);
  engine.set_time_limit(
      std::chrono::milliseconds(static_cast<int64_t>(options.time_limit_s * 1000)));
  engine.set_memory_limit(options.memory_budget_bytes());
  engine.set_formula_limits(options.max_formula_length, options.max_literal_length);
#ifdef CANVASFX_HAVE_HOST
  // The command's engine lives until the process ends; so do its store and host.
  static std::unique_ptr<host::Store> store;
  static std::unique_ptr<host::Host> installed;
  try {
    store = open_store(options);
  } catch (const host::StoreError& e) {
    std::fprintf(stderr, "canvasfx: %s\n", e.what());
    std::exit(kExitStore);
  }
  installed = host::install_host(engine, *store);
  if (options.explain)
    installed->set_statement_listener(
        [](const std::string& sql) { std::fprintf(stderr, "SQL: %s\n", sql.c_str()); });
#else
  (void)options;
#endif
}

}  // namespace canvasfx::cli
