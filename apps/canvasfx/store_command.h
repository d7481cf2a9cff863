// `canvasfx store ...`: the sync store from the command line, the way a device
// and a sync engine would change it (see store_command.cpp for the commands).
#pragma once

#include <functional>
#include <string>

#include "cli_options.h"

namespace CLI {
class App;
}

namespace canvasfx::cli {

// A subcommand registered on the app, and what runs it once it was chosen.
struct HostCommand {
  CLI::App* command = nullptr;
  std::function<int()> run;
};

HostCommand add_store_command(CLI::App& app, const CliOptions& cli);

}  // namespace canvasfx::cli

namespace canvasfx::host {
class Store;
}

namespace canvasfx::cli {

// `store set SETTING VALUE` (connected, metered, app-offline-enabled, player); prints
// the problem and returns 1 when the value is not valid.
int store_set(host::Store& store, const std::string& what, const std::string& value);

}  // namespace canvasfx::cli
