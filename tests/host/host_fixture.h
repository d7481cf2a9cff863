// An engine with the standard library and the host installed over a store:
// what the host tests evaluate formulas against.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/host/host.h"
#include "canvasfx/host/store.h"
#include "canvasfx/stdlib.h"

namespace canvasfx::host::testing {

struct HostedEngine {
  explicit HostedEngine(std::unique_ptr<Store> s = Store::open_memory(/*seed_demo=*/true))
      : store(std::move(s)) {
    stdlib::install(engine);
    host = install_host(engine, *store);
    host->set_output([this](const std::string& text) { output += text; });
  }
  // Evaluates a behavior formula (the REPL's context) and prints the result.
  std::string run(std::string_view formula) {
    CheckOptions options;
    options.behavior = true;
    return print_value(engine.eval(formula, options));
  }

  std::unique_ptr<Store> store;
  Engine engine;
  std::unique_ptr<Host> host;
  std::string output;  // what ShowHostInfo and Notify wrote
};

// The Offline template's globe icon (OFFLINE.md).
inline constexpr std::string_view kGlobeFormula =
    "Switch(Connection.Sync,"
    " ConnectionSync.Connected, Icon.Globe,"
    " ConnectionSync.ConnectedWithWarning, Icon.GlobeWarning,"
    " ConnectionSync.ConnectedPendingUpsync, Icon.GlobeChangesPending,"
    " ConnectionSync.ConnectedError, Icon.GlobeError,"
    " ConnectionSync.ConnectedRefresh, Icon.GlobeRefresh,"
    " ConnectionSync.NotConnected, Icon.GlobeNotConnected,"
    " ConnectionSync.NotConnectedWithWarning, Icon.GlobeWarning,"
    " ConnectionSync.NotConnectedPendingUpsync, Icon.GlobeChangesPending,"
    " ConnectionSync.NotConnectedSyncError, Icon.GlobeError)";

}  // namespace canvasfx::host::testing
