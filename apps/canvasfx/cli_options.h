// Options that apply to every subcommand, and the single place where an
// engine is prepared for the command line (stdlib, and later the host).
#pragma once

#include <optional>
#include <string>

#include "canvasfx/engine.h"

namespace canvasfx::cli {

struct CliOptions {
  // --store FILE: the host's sync store (SQLite). Used once the host lands.
  std::optional<std::string> store;
};

// Installs the standard library, and the canvas host when built with it
// (CANVASFX_HAVE_HOST). eval and the REPL use this; the conformance runner
// does not (the suite expects a plain engine).
void configure_engine(Engine& engine, const CliOptions& options);

}  // namespace canvasfx::cli
