// The sync server and the device sync engine from the command line (see
// sync_commands.h for the commands and sync/README.md for what they do).
#ifdef CANVASFX_HAVE_SYNC
#include "sync_commands.h"

#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "canvasfx/host/profile.h"
#include "canvasfx/sync/device.h"
#include "canvasfx/sync/server.h"
#include "exit_codes.h"

namespace canvasfx::cli {
namespace {

int fail(const char* command, const std::string& message, int code = kExitFailure) {
  std::fprintf(stderr, "canvasfx %s: %s\n", command, message.c_str());
  return code;
}

std::string default_server_data() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base =
      xdg && *xdg ? std::filesystem::path(xdg)
                  : std::filesystem::path(home && *home ? home : ".") / ".local" / "share";
  std::filesystem::create_directories(base / "canvasfx");
  return (base / "canvasfx" / "server.db").string();
}

struct ServerArgs {
  std::string data, postgres;
  int port = 8787, threads = 8;
  sync::SeedOptions seed;
  std::string tokens_file;
  std::string user_name, business_unit, write_scope = "user";
  std::vector<std::string> teams;
  bool admin = false;
  CLI::App *server, *seed_cmd, *user_add, *user_token;
};

std::unique_ptr<sync::SyncService> open_service(const ServerArgs& a) {
  if (!a.postgres.empty())
    return std::make_unique<sync::SyncService>(sync::open_postgres_storage(a.postgres));
  return std::make_unique<sync::SyncService>(
      sync::open_sqlite_storage(a.data.empty() ? default_server_data() : a.data));
}

int serve(const ServerArgs& a) {
  // SIGINT and SIGTERM stop the server: blocked here (every server thread
  // inherits the mask) and taken by one thread that waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto service = open_service(a);
  sync::HttpServer http(*service, a.port, a.threads);
  std::printf("canvasfx server: listening on http://127.0.0.1:%d (%s)\n", http.port(),
              service->storage().describe().c_str());
  std::fflush(stdout);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    http.stop();
  });
  http.run();
  // run() also returns when the server fails: wake the waiter to end it.
  kill(getpid(), SIGTERM);
  waiter.join();
  return kExitOk;
}

int seed(ServerArgs& a) {
  auto service = open_service(a);
  bool tty = isatty(fileno(stderr));
  a.seed.progress = [tty](const std::string& table, int64_t done, int64_t total) {
    if (tty)
      std::fprintf(stderr, "\r  %-14s %9lld / %lld", table.c_str(), (long long)done,
                   (long long)total);
    if (done == total)
      std::fprintf(stderr, tty ? "\n" : "  %s: %lld rows\n", table.c_str(), (long long)total);
  };
  auto result = sync::seed_organization(*service, a.seed);
  std::string lines;
  for (const auto& [user, token] : result.tokens) lines += user + "\t" + token + "\n";
  if (a.tokens_file.empty()) {
    std::fputs(lines.c_str(), stdout);
  } else {
    std::ofstream out(a.tokens_file, std::ios::trunc);
    out << lines;
    if (!out) return fail("server seed", "cannot write the tokens to " + a.tokens_file);
    std::printf("Seeded %zu users; their tokens are in %s\n", result.tokens.size(),
                a.tokens_file.c_str());
  }
  return kExitOk;
}

int user_add(const ServerArgs& a) {
  auto scope = sync::parse_write_scope(a.write_scope);
  if (!scope)
    return fail("server user add", "the write scope is user, business_unit or organization, not '" +
                                       a.write_scope + "'");
  auto service = open_service(a);
  std::string token = service->add_user({a.user_name, a.business_unit, a.teams, *scope, a.admin});
  std::printf("%s\t%s\n", a.user_name.c_str(), token.c_str());
  return kExitOk;
}

// --token, else the user's line of --token-file ("NAME<TAB>TOKEN", as `server
// seed` writes), else $CANVASFX_SYNC_TOKEN.
std::optional<std::string> find_token(const std::string& token, const std::string& file,
                                      const std::string& user) {
  if (!token.empty()) return token;
  if (!file.empty()) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string name, value;
      if (fields >> name >> value && name == user) return value;
    }
    return std::nullopt;
  }
  if (const char* env = std::getenv("CANVASFX_SYNC_TOKEN"); env && *env) return std::string(env);
  return std::nullopt;
}

struct SyncArgs {
  std::string server, user, token, token_file, profile;
  bool force = false, upload_only = false, quiet = false;
  int page_size = sync::kDefaultPageSize;
};

// A progress bar on stderr: "[#######.............] Accounts  1200/5000".
void draw_progress(const sync::SyncProgressEvent& e) {
  constexpr int kWidth = 30;
  int filled = e.total > 0 ? static_cast<int>(kWidth * std::min(e.done, e.total) / e.total) : 0;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::string what = e.phase == "upload" ? std::string("upload") : e.table;
  std::fprintf(stderr, "\r[%s] %-16.16s %8lld/%-8lld %-8s", bar.c_str(), what.c_str(),
               (long long)e.done, (long long)e.total, e.phase.c_str());
  std::fflush(stderr);
}

int run_sync(const SyncArgs& a, const CliOptions& cli) {
  auto token = find_token(a.token, a.token_file, a.user);
  if (!token)
    return fail("sync", "no token for user '" + a.user +
                            "' (--token, --token-file or $CANVASFX_SYNC_TOKEN)");
  std::unique_ptr<host::Store> store;
  try {
    store = open_store(cli);
  } catch (const host::StoreError& e) {
    return fail("sync", e.what(), kExitStore);
  }
  sync::DeviceSyncOptions o;
  o.server_url = a.server;
  o.user = a.user;
  o.token = *token;
  o.profile = a.profile;
  o.force = a.force;
  o.upload_only = a.upload_only;
  o.page_size = a.page_size;
  bool bar = !a.quiet && isatty(fileno(stderr));
  if (bar) o.progress = draw_progress;
  sync::DeviceSyncReport r;
  try {
    r = sync::DeviceSync(*store, o).run();
  } catch (const host::StoreError& e) {
    return fail("sync", e.what(), kExitStore);
  } catch (const std::exception& e) {
    return fail("sync", e.what(), kExitInternal);
  }
  if (bar) std::fputs("\r\033[K", stderr);
  if (!a.quiet) {
    std::printf("Uploaded %lld change(s), %lld rejected\n", (long long)r.uploaded,
                (long long)r.rejected);
    for (const auto& t : r.tables)
      if (t.synced)
        std::printf("  %-20s %lld row(s) downloaded, %lld removed%s\n", t.table.c_str(),
                    (long long)t.downloaded, (long long)t.removed, t.full ? " (full)" : "");
      else
        std::printf("  %-20s not due yet (its sync interval has not passed)\n", t.table.c_str());
  }
  if (!r.ok) {
    if (r.rejected > 0 && r.error.empty())
      return fail("sync", "the server rejected some changes (see `canvasfx store status`)");
    return fail("sync", r.error);
  }
  return kExitOk;
}

struct PublishArgs {
  std::string file, server, user, token, token_file;
};

int publish(const PublishArgs& a) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) return fail("profile publish", "cannot read " + a.file);
  std::stringstream text;
  text << in.rdbuf();
  // The same rules as `profile check`, here first; the server checks again,
  // with its catalog.
  try {
    auto violations = host::check(host::parse_profile(text.str(), a.file));
    for (const auto& v : violations)
      std::fprintf(stderr, "%s [%s]: %s\n", v.table.empty() ? "(profile)" : v.table.c_str(),
                   v.rule.c_str(), v.message.c_str());
    if (!violations.empty())
      return fail("profile publish", fmt::format("{} violation(s): the profile cannot be published",
                                                 violations.size()));
  } catch (const host::ProfileParseError& e) {
    return fail("profile publish", e.what());
  }
  auto token = find_token(a.token, a.token_file, a.user);
  if (!token) return fail("profile publish", "no token for user '" + a.user + "'");
  httplib::Client client(a.server);
  if (!client.is_valid()) return fail("profile publish", "'" + a.server + "' is not a server URL");
  client.set_default_headers({{"Authorization", "Bearer " + *token}});
  auto res = client.Put("/v1/profile", sync::json{{"yaml", text.str()}}.dump(), "application/json");
  if (!res)
    return fail("profile publish", fmt::format("the server at {} cannot be reached ({})", a.server,
                                               httplib::to_string(res.error())));
  auto body = sync::json::parse(res->body, nullptr, false);
  if (res->status == 200) {
    std::printf("Published profile '%s' (%s tables) to %s\n", body.value("name", "").c_str(),
                body.value("tables", sync::json(0)).dump().c_str(), a.server.c_str());
    return kExitOk;
  }
  if (body.is_object() && body.contains("violations")) {
    for (const auto& v : body["violations"])
      std::fprintf(stderr, "%s [%s]: %s\n", v.value("table", "").c_str(),
                   v.value("rule", "").c_str(), v.value("message", "").c_str());
    return fail("profile publish", "the server refused the profile");
  }
  std::string message =
      body.is_object() && body.contains("error") ? body["error"].value("message", "") : res->body;
  return fail("profile publish", fmt::format("HTTP {}: {}", res->status, message));
}

}  // namespace

HostCommand add_server_command(CLI::App& app) {
  auto a = std::make_shared<ServerArgs>();
  auto* cmd = app.add_subcommand("server", "The sync server: serve, seed an organization, users");
  cmd->require_subcommand(0, 1);
  cmd->fallthrough();
  auto* data =
      cmd->add_option("--data", a->data, "SQLite file of the server (the default storage)");
  cmd->add_option("--postgres", a->postgres, "PostgreSQL connection URL instead of --data")
      ->excludes(data);
  cmd->add_option("--port", a->port, "Port on 127.0.0.1 (0: any free port)")->capture_default_str();
  cmd->add_option("--threads", a->threads, "Request threads")->capture_default_str();
  a->server = cmd;

  a->seed_cmd = cmd->add_subcommand("seed", "Create a realistic organization in an empty storage");
  auto& s = a->seed;
  a->seed_cmd->add_option("--business-units", s.business_units)->capture_default_str();
  a->seed_cmd->add_option("--teams", s.teams)->capture_default_str();
  a->seed_cmd->add_option("--users", s.users)->capture_default_str();
  a->seed_cmd->add_option("--accounts", s.accounts)->capture_default_str();
  a->seed_cmd->add_option("--contacts", s.contacts)->capture_default_str();
  a->seed_cmd->add_option("--orders", s.orders)->capture_default_str();
  a->seed_cmd->add_option("--random-seed", s.random_seed)->capture_default_str();
  a->seed_cmd->add_option("--tokens", a->tokens_file, "Write the users' tokens here (else stdout)");

  auto* user = cmd->add_subcommand("user", "Users of the organization");
  user->require_subcommand(1);
  a->user_add = user->add_subcommand("add", "Add a user; prints their token");
  a->user_add->add_option("name", a->user_name)->required();
  a->user_add->add_option("--business-unit", a->business_unit)->required();
  a->user_add->add_option("--team", a->teams, "A team of the user (repeatable)");
  a->user_add->add_option("--write-scope", a->write_scope, "user, business_unit or organization")
      ->capture_default_str();
  a->user_add->add_flag("--admin", a->admin, "May publish offline profiles");
  a->user_token =
      user->add_subcommand("token", "Give a user a new token (the old one stops working)");
  a->user_token->add_option("name", a->user_name)->required();

  return {cmd, [a]() -> int {
            try {
              if (*a->seed_cmd) return seed(*a);
              if (*a->user_add) return user_add(*a);
              if (*a->user_token) {
                std::printf("%s\t%s\n", a->user_name.c_str(),
                            open_service(*a)->new_token(a->user_name).c_str());
                return kExitOk;
              }
              return serve(*a);
            } catch (const std::exception& e) {
              return fail("server", e.what());
            }
          }};
}

HostCommand add_sync_command(CLI::App& app, const CliOptions& cli) {
  auto a = std::make_shared<SyncArgs>();
  auto* cmd = app.add_subcommand("sync", "Sync the store with a sync server (upload, download)");
  cmd->add_option("--server", a->server, "The server, http://127.0.0.1:PORT")->required();
  cmd->add_option("--user", a->user, "The user this device syncs for")->required();
  cmd->add_option("--token", a->token, "The user's token");
  cmd->add_option("--token-file", a->token_file, "A file of NAME<TAB>TOKEN lines (server seed's)");
  cmd->add_option("--profile", a->profile, "The published profile to use (default: the store's)");
  cmd->add_flag("--force", a->force, "Sync every table now, whatever its sync interval");
  cmd->add_flag("--upload-only", a->upload_only, "Upload the queue; download nothing");
  cmd->add_option("--page-size", a->page_size, "Rows per downloaded page")
      ->check(CLI::Range(1, sync::kMaxPageSize))
      ->capture_default_str();
  cmd->add_flag("--quiet", a->quiet, "No progress bar and no summary");
  return {cmd, [a, &cli] { return run_sync(*a, cli); }};
}

HostCommand add_profile_publish_command(CLI::App& app) {
  auto a = std::make_shared<PublishArgs>();
  CLI::App* profile = app.get_subcommand("profile");
  auto* cmd = profile->add_subcommand("publish", "Check a profile and publish it on a sync server");
  cmd->add_option("file", a->file)->required()->check(CLI::ExistingFile);
  cmd->add_option("--server", a->server, "The server, http://127.0.0.1:PORT")->required();
  cmd->add_option("--user", a->user, "An administrator")->required();
  cmd->add_option("--token", a->token, "The administrator's token");
  cmd->add_option("--token-file", a->token_file, "A file of NAME<TAB>TOKEN lines");
  return {cmd, [a] { return publish(*a); }};
}

}  // namespace canvasfx::cli
#endif
