// `canvasfx store`:
//   store status                          the device status page (ShowHostInfo's)
//   store set SETTING VALUE               a device or app setting (kSettings)
//   store sync begin [--initial]          a sync run starts (Connection.Sync: ConnectedRefresh)
//   store sync end [--error TABLE:MESSAGE]... [--warning [TABLE]:MESSAGE]...
//                                         it ends; a table with an error failed, the
//                                         others succeeded (resolving their old errors)
// A store that cannot be opened (corrupt, not SQLite, another application's)
// is reported with its reason and exit status kStoreErrorExit, untouched.
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

int fail(const std::string& message, int code = kExitFailure) {
  std::fprintf(stderr, "canvasfx store: %s\n", message.c_str());
  return code;
}

// The settings `store set` changes, named after what they are.
struct Setting {
  const char* name;
  const char* values;
  const char* what;
  void (*apply)(host::Store&, bool);
};

const Setting kSettings[] = {
    {"connected", "true|false", "the device has a network connection (Connection.Connected)",
     [](host::Store& s, bool b) { s.set_connected(b); }},
    {"metered", "true|false", "the connection is metered (Connection.Metered)",
     [](host::Store& s, bool b) {
       host::DeviceState d = s.device_state();
       d.metered = b;
       s.set_device_state(d);
     }},
    {"app-offline-enabled", "true|false",
     "the app's \"Can be used offline\" setting (Host.OfflineEnabled, but not on the web player)",
     [](host::Store& s, bool b) {
       host::AppSettings a = s.app_settings();
       a.offline_enabled = b;
       s.set_app_settings(a);
     }},
    {"player", "native|web|studio", "the player the app runs in", nullptr},
};

// Names that were ambiguous once, refused with what to use instead.
struct RenamedSetting {
  const char* old_name;
  const char* hint;
};
const RenamedSetting kRenamed[] = {
    {"offline",
     "'offline' is ambiguous: use 'app-offline-enabled' for the app's offline setting, or "
     "'connected false' for a device without network"},
};

std::string settings_help() {
  std::string out;
  for (const Setting& s : kSettings)
    out += std::string("\n  ") + s.name + " " + s.values + ": " + s.what;
  return out;
}

int set(host::Store& store, const StoreArgs& a) {
  for (const RenamedSetting& r : kRenamed)
    if (a.what == r.old_name) return fail(r.hint);
  const Setting* setting = nullptr;
  for (const Setting& s : kSettings)
    if (a.what == s.name) setting = &s;
  if (!setting)
    return fail("there is no setting '" + a.what + "'; the settings are:" + settings_help());
  if (!setting->apply) {  // player
    auto kind = host::parse_player_kind(a.value);
    if (!kind) return fail("the player is native, web or studio, not '" + a.value + "'");
    host::DeviceState d = store.device_state();
    d.player = *kind;
    store.set_device_state(d);
    return kExitOk;
  }
  auto b = parse_bool(a.value);
  if (!b) return fail(a.what + " is true or false, not '" + a.value + "'");
  setting->apply(store, *b);
  return kExitOk;
}

// "TABLE:MESSAGE": the table must be one of the store's (or empty when
// `table_optional`, for a store-wide warning) and the message not empty.
std::optional<std::pair<std::string, std::string>> parse_entry(const host::Store& store,
                                                               const std::string& option,
                                                               const std::string& s,
                                                               bool table_optional,
                                                               std::string& problem) {
  auto colon = s.find(':');
  if (colon == std::string::npos) {
    problem = option + " '" + s + "': write TABLE:MESSAGE, e.g. 'Accounts:Conflict on save'";
    return std::nullopt;
  }
  std::string table = s.substr(0, colon), message = s.substr(colon + 1);
  if (message.empty()) {
    problem = option + " '" + s + "': the message after the colon is empty";
    return std::nullopt;
  }
  if (table.empty() && table_optional) return std::make_pair(table, message);
  if (!store.table(table)) {
    std::string known;
    for (const auto& t : store.tables()) known += (known.empty() ? "" : ", ") + t.name;
    problem = option + " '" + s + "': the store has no table '" + table +
              "' (its tables: " + (known.empty() ? "none" : known) + ")";
    return std::nullopt;
  }
  return std::make_pair(table, message);
}

int end_sync(host::Store& store, const StoreArgs& a) {
  auto run = store.running_sync();
  if (!run) return fail("no sync is running (store sync begin)");
  host::SyncRunResult result;
  std::string problem;
  for (const auto& e : a.errors) {
    auto entry = parse_entry(store, "--error", e, false, problem);
    if (!entry) return fail(problem);
    host::SyncError err;
    err.table = entry->first;
    err.message = entry->second;
    err.error_type = "sync error";
    result.errors.push_back(std::move(err));
  }
  for (const auto& w : a.warnings) {
    auto entry = parse_entry(store, "--warning", w, true, problem);
    if (!entry) return fail(problem);
    host::SyncWarning warning;
    warning.code = "recorded";
    warning.table = entry->first;
    warning.message = entry->second;
    result.warnings.push_back(std::move(warning));
  }
  for (const auto& t : store.tables()) {
    bool failed = std::any_of(result.errors.begin(), result.errors.end(),
                              [&](const host::SyncError& e) { return e.table == t.name; });
    result.tables.push_back({.table = t.name, .succeeded = !failed});
  }
  store.end_sync(run->id, result);
  return kExitOk;
}

}  // namespace

int store_set(host::Store& store, const std::string& what, const std::string& value) {
  StoreArgs a;
  a.what = what;
  a.value = value;
  return set(store, a);
}

HostCommand add_store_command(CLI::App& app, const CliOptions& cli) {
  auto args = std::make_shared<StoreArgs>();
  auto* store_cmd =
      app.add_subcommand("store", "The host's sync store: status, device state, sync runs");
  store_cmd->require_subcommand(1);
  args->status = store_cmd->add_subcommand("status", "Print the device status page");
  args->set = store_cmd->add_subcommand("set", "Change a device or app setting:" + settings_help());
  args->set->add_option("setting", args->what, "connected, metered, app-offline-enabled or player")
      ->required();
  args->set->add_option("value", args->value, "true|false, or the player's kind")->required();
  auto* sync = store_cmd->add_subcommand("sync", "Record a sync run as a sync engine would");
  sync->require_subcommand(1);
  args->begin = sync->add_subcommand("begin", "A sync run starts");
  args->begin->add_flag("--initial", args->initial, "The initial (full) sync");
  args->end = sync->add_subcommand("end", "The running sync ends");
  args->end->add_option("--error", args->errors,
                        "A sync error, TABLE:MESSAGE with one of the store's tables (repeatable)");
  args->end->add_option("--warning", args->warnings,
                        "A warning, TABLE:MESSAGE, or :MESSAGE for the whole store (repeatable)");

  return {store_cmd, [args, &cli]() -> int {
            std::unique_ptr<host::Store> store;
            try {
              store = open_store(cli);
              if (*args->status) {
                std::fputs(host::render_device_status(host::device_status_of(*store)).c_str(),
                           stdout);
                return kExitOk;
              }
              if (*args->set) return store_set(*store, args->what, args->value);
              if (*args->begin) {
                store->begin_sync(args->initial);
                return kExitOk;
              }
              return end_sync(*store, *args);
            } catch (const host::StoreError& e) {
              return fail(e.what(), store ? kExitFailure : kExitStore);
            }
          }};
}

}  // namespace canvasfx::cli
#endif
