// The offline canvas host's Power Fx glue: what a formula sees of the device
// and of the sync store (OFFLINE.md), installed into an Engine through the
// interpreter's public API only.
//
//   auto store = canvasfx::host::Store::open_default();
//   canvasfx::Engine engine;
//   canvasfx::stdlib::install(engine);
//   auto host = canvasfx::host::install_host(engine, *store);
//   engine.eval("Switch(Connection.Sync, ConnectionSync.Connected, Icon.Globe, ...)");
//
// It registers
//   - signals, computed symbols read from the store on every evaluation:
//     Connection (Connected, Metered, Sync), Host (OfflineEnabled, OSType,
//     BrowserUserAgent, SessionID, TenantID, Version), App (Width, Height),
//     Location, Acceleration, Compass; and canvasfx's own PendingChanges and
//     SyncErrors, the tables of the device status page;
//   - the strongly typed enums ConnectionSync (nine members), HostInfo, Icon
//     (docs/icons.txt) and NotificationType;
//   - the behavior functions ShowHostInfo(HostInfo) and Notify(text [, type [, timeout]]),
//     which reach the embedder through Engine host handlers. The defaults
//     installed here write the device status page / the message to the
//     Host's output; an embedder may replace them with set_host_handler;
//   - one data source per local table (Accounts, 'Sales Orders' ...): a Table
//     whose rows are read lazily, whose Filter/CountRows/... run as SQL
//     (data_source.h, delegation.h), and whose Collect/Patch/Remove ... write
//     the table and the upsync queue in one transaction (mutable_source.h).
//
// Signal changes: a player subscribes to a signal and calls poll() when it
// may have changed (after a formula ran, on a timer). poll() re-reads the
// signals when the store changed, through this connection (sqlite3_total_changes)
// or another one (PRAGMA data_version), and calls the subscribers of those whose
// value differs; CompiledFormula::dependencies() tells which formulas to recompute.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "canvasfx/engine.h"
#include "canvasfx/host/store.h"

namespace canvasfx::host {

struct SourceContext;

class Host {
 public:
  // Registers everything into `engine`. The store and the engine must outlive the Host.
  Host(Engine& engine, Store& store);
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  Store& store() { return store_; }

  // Where the default ShowHostInfo and Notify handlers write (default: stdout).
  void set_output(std::function<void(const std::string&)> output);

  // The SQL statements the data sources ran, oldest first (the last 50),
  // each with its bound parameters; and a listener called for each (--explain).
  const std::deque<std::string>& statements() const;
  void set_statement_listener(std::function<void(const std::string&)> listener);

  // The signal symbols: "Connection", "Host", "App", "Location", "Acceleration", "Compass",
  // "PendingChanges", "SyncErrors".
  static const std::vector<std::string>& signal_names();
  using SignalCallback = std::function<void(const std::string& signal, const Value& value)>;
  // Returns a token for unsubscribe().
  size_t subscribe(std::string signal, SignalCallback callback);
  void unsubscribe(size_t token);
  // Calls the subscribers of the signals that changed since the last poll
  // (or since subscribing), and gives fresh handles to the data source symbols
  // whose tables changed (Engine::set_value, which the engine's write listener
  // hears). Returns the names of the changed signals.
  std::vector<std::string> poll();

 private:
  void install_signals();
  void install_data_sources();
  Value signal_value(const std::string& name) const;

  Engine& engine_;
  Store& store_;
  std::shared_ptr<SourceContext> sources_;
  std::function<void(const std::string&)> output_;
  struct Subscription {
    size_t token;
    std::string signal;
    SignalCallback callback;
  };
  std::vector<Subscription> subscriptions_;
  size_t next_token_ = 1;
  std::vector<std::pair<std::string, Value>> last_values_;  // per signal, at the last poll
  std::pair<int64_t, int64_t> version_{-1, -1};  // data_version, total_changes at the last poll
  std::vector<std::pair<Engine::SymbolId, std::string>> data_sources_;  // symbol, table
  // Each table's change counter when its data source was last refreshed.
  std::vector<std::pair<std::string, int64_t>> table_versions_;
};

// Installs the host into an engine (convenience for `std::make_unique<Host>`).
std::unique_ptr<Host> install_host(Engine& engine, Store& store);

}  // namespace canvasfx::host
