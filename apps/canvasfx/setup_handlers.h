// The #SETUP handlers canvasfx's conformance runner supports — the one place
// to add one. A handler not listed here makes its file a skip ("unsupported
// handler"), which is how a test file asks for something canvasfx lacks.
//
// To add a handler (RegEx, EnableJsonFunctions, MutationFunctionsTestSetup
// ...), add a row to the table in setup_handlers.cpp: its apply function runs
// on every fresh engine of the file (after stdlib::install) and may declare
// symbols or adjust the CheckOptions the file's cases are checked with.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "canvasfx/engine.h"

namespace canvasfx::cli {

struct SetupHandler {
  std::string_view name;
  std::string_view what;  // one line, for `canvasfx test --list-handlers`
  void (*apply)(Engine& engine, const std::optional<std::string>& argument, CheckOptions& options);
};

std::span<const SetupHandler> setup_handlers();
// What every mutation-folder session (REPL script) has: the immutable `User` record.
void declare_session_symbols(Engine& engine);
const SetupHandler* find_setup_handler(std::string_view name);

}  // namespace canvasfx::cli
