// `canvasfx store`:
//   store status                          the device status page (ShowHostInfo's)
//   store set connected|metered|offline BOOL
//   store set player native|web|studio
//   store sync begin [--initial]          a sync run starts (Connection.Sync: ConnectedRefresh)
//   store sync end [--error TABLE:MESSAGE]... [--warning TABLE:MESSAGE]...
//                                         it ends; a table with an error failed
// A store that cannot be opened (empty, corrupt or truncated, not SQLite,
// another application's) is reported with its reason and exit status
// kStoreErrorExit, untouched; so is a store the command cannot write
// (read-only, locked by another writer, a full disk), unchanged.
#ifdef CANVASFX_HAVE_HOST
#include "store_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "canvasfx/host/sync_state.h"

namespace canvasfx::cli {
namespace {

struct StoreArgs {
  std::string what, value;
  bool initial = false;
  std::vector<std::string> errors, warnings;
  CLI::App *status, *set, *begin, *end;
};

std::optional<bool> parse_bool(const std::string& s) {
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return std::nullopt;
}

int fail(const std::string& message, int code = 1) {
  std::fprintf(stderr, "canvasfx store: %s\n", message.c_str());
  return code;
}

int set(host::Store& store, const StoreArgs& a) {
  if (a.what == "player") {
    auto kind = host::parse_player_kind(a.value);
    if (!kind) return fail("the player is native, web or studio, not '" + a.value + "'");
    host::DeviceState d = store.device_state();
    d.player = *kind;
    store.set_device_state(d);
    return 0;
  }
  auto b = parse_bool(a.value);
  if (!b) return fail("expected true or false, not '" + a.value + "'");
  if (a.what == "connected") {
    store.set_connected(*b);
  } else if (a.what == "metered") {
    host::DeviceState d = store.device_state();
    d.metered = *b;
    store.set_device_state(d);
  } else if (a.what == "offline") {
    host::AppSettings s = store.app_settings();
    s.offline_enabled = *b;
    store.set_app_settings(s);
  } else {
    return fail("cannot set '" + a.what + "' (connected, metered, offline or player)");
  }
  return 0;
}

// "TABLE:MESSAGE" (the table may be empty for a store-wide entry).
std::pair<std::string, std::string> split_entry(const std::string& s) {
  auto colon = s.find(':');
  if (colon == std::string::npos) return {"", s};
  return {s.substr(0, colon), s.substr(colon + 1)};
}

int end_sync(host::Store& store, const StoreArgs& a) {
  auto run = store.running_sync();
  if (!run) return fail("no sync is running (store sync begin)");
  host::SyncRunResult result;
  for (const auto& e : a.errors) {
    auto [table, message] = split_entry(e);
    host::SyncError err;
    err.table = table;
    err.message = message;
    err.error_type = "sync error";
    result.errors.push_back(std::move(err));
  }
  for (const auto& w : a.warnings) {
    auto [table, message] = split_entry(w);
    result.warnings.push_back({.code = "recorded", .table = table, .message = message});
  }
  for (const auto& t : store.tables()) {
    bool failed = std::any_of(result.errors.begin(), result.errors.end(),
                              [&](const host::SyncError& e) { return e.table == t.name; });
    result.tables.push_back({.table = t.name, .succeeded = !failed});
  }
  store.end_sync(run->id, result);
  return 0;
}

}  // namespace

HostCommand add_store_command(CLI::App& app, const CliOptions& cli) {
  auto args = std::make_shared<StoreArgs>();
  auto* store_cmd =
      app.add_subcommand("store", "The host's sync store: status, device state, sync runs");
  store_cmd->require_subcommand(1);
  args->status = store_cmd->add_subcommand("status", "Print the device status page");
  args->set = store_cmd->add_subcommand(
      "set", "Set connected|metered|offline BOOL, or player native|web|studio");
  args->set->add_option("what", args->what)->required();
  args->set->add_option("value", args->value)->required();
  auto* sync = store_cmd->add_subcommand("sync", "Record a sync run as a sync engine would");
  sync->require_subcommand(1);
  args->begin = sync->add_subcommand("begin", "A sync run starts");
  args->begin->add_flag("--initial", args->initial, "The initial (full) sync");
  args->end = sync->add_subcommand("end", "The running sync ends");
  args->end->add_option("--error", args->errors, "A sync error, TABLE:MESSAGE (repeatable)");
  args->end->add_option("--warning", args->warnings, "A warning, TABLE:MESSAGE (repeatable)");

  return {store_cmd, [args, &cli]() -> int {
            std::unique_ptr<host::Store> store;
            try {
              store = open_store(cli);
              if (*args->status) {
                std::fputs(host::render_device_status(host::device_status_of(*store)).c_str(),
                           stdout);
                return 0;
              }
              if (*args->set) return set(*store, *args);
              if (*args->begin) {
                store->begin_sync(args->initial);
                return 0;
              }
              return end_sync(*store, *args);
            } catch (const host::StoreError& e) {
              // The store failed (cannot be opened, read-only, locked, disk full): 3;
              // the request was refused (a sync already running ...): 1.
              return fail(e.what(), !store || e.is_fault() ? kStoreErrorExit : 1);
            }
          }};
}

}  // namespace canvasfx::cli
#endif
