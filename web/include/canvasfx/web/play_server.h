// `canvasfx play`: a canvas app live in a browser.
//
//   canvasfx::web::PlayOptions options;
//   options.app_path = "examples/offline-app";
//   options.store_path = "store.db";
//   auto server = canvasfx::web::PlayServer::create(options);   // loads, binds 127.0.0.1
//   puts(server->url().c_str());                                // http://127.0.0.1:PORT/?token=...
//   server->run();                                              // until stop() or Exit()
//
// The app runs in this process, in a player::Runtime over the sync store; the
// page (web/assets/) is a thin view that draws what the runtime computed and
// sends the user's input back:
//
//   GET  /                the page (and /player.js, /player.css ...)
//   GET  /api/screen      the active screen: the control tree with every evaluated property
//   GET  /api/events      Server-Sent Events: `screen` (a whole screen), `patch` (only the
//                         properties that changed), `host` (Notify, ShowHostInfo, Launch,
//                         Exit), `device` (the device panel's figures)
//   POST /api/event       a click, typed text, a toggle ..., or a device panel action
//   GET  /api/media/NAME  an image the app carries (its Assets folder)
//
// One thread owns nothing: the runtime is not thread-safe, so every request
// and the poller (which picks up store changes made by other processes and
// runs timers) take the session's lock. After each event or poll that changed
// something the session diffs the new view against the last one it sent and
// broadcasts only the difference.
//
// Safety: the server listens on 127.0.0.1 only; every request must carry the
// random token of the URL (`?token=`, as notebook servers do); a request whose
// Host or Origin is not this server's is refused with 403 (DNS rebinding); the
// page is served with a Content-Security-Policy and draws app text only as
// text (HtmlText goes through an allow-list sanitizer).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "canvasfx/player/source.h"

namespace canvasfx::web {

struct PlayOptions {
  std::filesystem::path app_path;    // a folder, a .pa.yaml or a .msapp
  std::filesystem::path store_path;  // the sync store (created and seeded with the demo if missing)
  int port = 0;                      // 0: any free port
  std::string token;                 // "": a fresh random one
  // How often the store is checked for changes by other processes, and timers run.
  std::chrono::milliseconds poll_interval{100};
  std::chrono::milliseconds time_limit{10000};  // per evaluation
  // How long the device panel's "sync now" runs (Connection.Sync shows
  // ConnectedRefresh meanwhile); without a sync server nothing is transferred.
  std::chrono::milliseconds sync_shown{1500};
};

// The app or the store could not be opened, or the port not bound.
class PlayError : public std::runtime_error {
 public:
  enum class Cause { App, Store, Listen };
  explicit PlayError(const std::string& what, Cause cause = Cause::App)
      : std::runtime_error(what), cause_(cause) {}
  Cause cause() const { return cause_; }

 private:
  Cause cause_;
};

class PlayServer {
 public:
  static std::unique_ptr<PlayServer> create(const PlayOptions& options);
  virtual ~PlayServer() = default;

  virtual int port() const = 0;
  virtual const std::string& token() const = 0;
  // http://127.0.0.1:PORT/?token=TOKEN
  virtual std::string url() const = 0;
  // The app's loading and checking diagnostics (the page shows the app anyway).
  virtual const std::vector<player::AppDiagnostic>& diagnostics() const = 0;

  // Serves until stop() is called or the app calls Exit() (then a moment
  // longer, so that the page learns it).
  virtual void run() = 0;
  // Serves on a thread of its own; returns at once (tests, benchmarks).
  virtual void start() = 0;
  // Ends the event streams and the server; idempotent, safe from any thread.
  virtual void stop() = 0;
};

// A random token: 32 hex digits from the system's entropy source.
std::string random_token();

}  // namespace canvasfx::web
