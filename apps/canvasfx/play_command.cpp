// `canvasfx play` (play_command.h): wiring of web::PlayServer.
#ifdef CANVASFX_HAVE_HOST
#include "play_command.h"

#include <pthread.h>
#include <spawn.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "canvasfx/host/store.h"
#include "canvasfx/web/play_server.h"
#include "exit_codes.h"

extern char** environ;

namespace canvasfx::cli {

namespace {

struct PlayArgs {
  std::string path;
  int port = 0;
  bool open = false;
};

// xdg-open URL, without a shell; a missing opener is not an error.
void open_in_browser(const std::string& url) {
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char* const*>(argv), environ) !=
      0)
    std::fprintf(stderr, "canvasfx play: could not start xdg-open; open the URL yourself\n");
}

int run_play(const PlayArgs& args, const CliOptions& cli) {
  web::PlayOptions options;
  options.app_path = args.path;
  options.port = args.port;
  options.time_limit = std::chrono::milliseconds(static_cast<int64_t>(cli.time_limit_s * 1000));
  if (cli.store && *cli.store == ":memory:") {
    std::fprintf(stderr,
                 "canvasfx play: the device panel writes the store as another process would, "
                 "so play needs a store file, not :memory:\n");
    return kExitUsage;
  }
  options.store_path = cli.store ? std::filesystem::path(*cli.store) : host::Store::default_path();
  std::error_code ec;
  if (options.store_path.has_parent_path())
    std::filesystem::create_directories(options.store_path.parent_path(), ec);
  std::unique_ptr<web::PlayServer> server;
  try {
    server = web::PlayServer::create(options);
  } catch (const web::PlayError& e) {
    std::fprintf(stderr, "canvasfx play: %s\n", e.what());
    return e.cause() == web::PlayError::Cause::Store ? kExitStore : kExitFailure;
  }
  size_t errors = 0;
  for (const auto& d : server->diagnostics())
    if (d.severity == Severity::Error) ++errors;
  if (errors)
    std::fprintf(stderr,
                 "canvasfx play: the app has %zu errors (canvasfx app check lists them); "
                 "playing it anyway\n",
                 errors);
  std::printf("canvasfx play: %s\n  %s\n  (Ctrl-C stops it)\n", args.path.c_str(),
              server->url().c_str());
  std::fflush(stdout);
  if (args.open) open_in_browser(server->url());
  // Ctrl-C and SIGTERM stop the server: blocked here, before the server's
  // threads exist, so that only the waiter receives them (stop() is not
  // async-signal-safe, so no handler calls it).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server->stop();
  });
  server->run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // the app exited: release the waiter
  waiter.join();
  // Ctrl-C is how a server is stopped, not an interruption of work: success.
  return kExitOk;
}

}  // namespace

HostCommand add_play_command(CLI::App& app, const CliOptions& cli) {
  auto args = std::make_shared<PlayArgs>();
  auto* play = app.add_subcommand("play", "Play an app in the browser (a local web server)");
  play->add_option("path", args->path, "The app: a folder, a .pa.yaml or a .msapp")->required();
  play->add_option("--port", args->port, "The port on 127.0.0.1 (default: a free one)")
      ->check(CLI::Range(0, 65535));
  play->add_flag("--open", args->open, "Open the page in the default browser");
  return {play, [args, &cli] { return run_play(*args, cli); }};
}

}  // namespace canvasfx::cli
#endif
