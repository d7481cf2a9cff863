// Options that apply to every subcommand, and the single place where an
// engine is prepared for the command line (stdlib, and the host).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "canvasfx/engine.h"
#include "exit_codes.h"
#ifdef CANVASFX_HAVE_HOST
#include "canvasfx/host/store.h"
#endif

namespace canvasfx::cli {

struct CliOptions {
  // --store FILE: the host's sync store (SQLite); the default store when absent,
  // ":memory:" for a private in-memory one.
  std::optional<std::string> store;
  // --explain: print each SQL statement a data source runs, to stderr.
  bool explain = false;
  // --time-limit SECONDS: an evaluation that runs longer returns a Timeout error
  // (the REPL must not hang on a formula that would run for hours); 0: no limit.
  double time_limit_s = 60;
  // --max-rows N: rows of a table the REPL (and eval --format table) shows; 0: all.
  // Unset: 10 at the REPL, all in a script or eval.
  std::optional<size_t> max_rows;
};

// Exit status of a command that could not open its store.
inline constexpr int kStoreErrorExit = kExitStore;

// Installs the standard library, and the canvas host when built with it
// (CANVASFX_HAVE_HOST): opens the store (exiting with a message and
// kStoreErrorExit when it cannot) and installs the host for the rest of the
// process. eval and the REPL use this; the conformance runner does not (the
// suite expects a plain engine).
void configure_engine(Engine& engine, const CliOptions& options);

#ifdef CANVASFX_HAVE_HOST
// The store that --store names (created and seeded with the demo when the
// file does not exist). Throws host::StoreError.
std::unique_ptr<host::Store> open_store(const CliOptions& options);
#endif

}  // namespace canvasfx::cli
