// The HTTP side of the web player (play_server.h): routes, the request guard
// (token, Host, Origin), server-sent events, and the poller thread.
#include "canvasfx/web/play_server.h"

#include <fmt/format.h>
#include <httplib.h>

#include <condition_variable>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "assets.h"
#include "session.h"

namespace canvasfx::web {

namespace {

// What every response carries. The page loads its own scripts and styles
// only; images may come from the app (data:, https:) as in a player.
const char* const kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https:; "
    "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

// A stream with nothing to say sends a comment this often, which also finds
// pages that have gone away.
constexpr std::chrono::seconds kKeepAlive{5};
// After Exit() the server stays up this long, so that the page learns it.
constexpr std::chrono::milliseconds kExitGrace{1000};

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string media_type_of(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".gif") return "image/gif";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".webp") return "image/webp";
  if (ext == ".bmp") return "image/bmp";
  return "application/octet-stream";
}

std::string asset_media_type(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

class PlayServerImpl final : public PlayServer {
 public:
  explicit PlayServerImpl(const PlayOptions& options)
      : options_(options), token_(options.token.empty() ? random_token() : options.token) {
    session_ = std::make_unique<Session>(options_, bus_);
    install_routes();
    port_ = options_.port == 0
                ? http_.bind_to_any_port("127.0.0.1")
                : (http_.bind_to_port("127.0.0.1", options_.port) ? options_.port : -1);
    if (port_ <= 0)
      throw PlayError(options_.port == 0
                          ? std::string("cannot listen on 127.0.0.1")
                          : fmt::format("cannot listen on 127.0.0.1:{} (in use?)", options_.port),
                      PlayError::Cause::Listen);
  }

  ~PlayServerImpl() override {
    stop();
    if (serve_thread_.joinable()) serve_thread_.join();
  }

  int port() const override { return port_; }
  const std::string& token() const override { return token_; }
  std::string url() const override {
    return fmt::format("http://127.0.0.1:{}/?token={}", port_, token_);
  }
  const std::vector<player::AppDiagnostic>& diagnostics() const override {
    return session_->diagnostics();
  }

  void run() override {
    std::thread poller([this] { poll_loop(); });
    http_.listen_after_bind();
    stop();
    poller.join();
  }

  void start() override {
    serve_thread_ = std::thread([this] { run(); });
    // Returns once the server accepts connections.
    while (!http_.is_running() && !stopping_)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  void stop() override {
    {
      std::lock_guard lock(stop_mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    stop_changed_.notify_all();
    bus_.close();  // ends the event streams, which hold server threads
    http_.stop();
  }

 private:
  // Loopback names this server answers to: anything else in Host is a
  // rebinding attempt, anything else in Origin another site.
  bool own_host(std::string_view host) const {
    return host == fmt::format("127.0.0.1:{}", port_) || host == fmt::format("localhost:{}", port_);
  }
  bool own_origin(std::string_view origin) const {
    return origin == fmt::format("http://127.0.0.1:{}", port_) ||
           origin == fmt::format("http://localhost:{}", port_);
  }

  bool allowed(const httplib::Request& req) const {
    if (!own_host(req.get_header_value("Host"))) return false;
    if (req.has_header("Origin") && !own_origin(req.get_header_value("Origin"))) return false;
    return equal_in_constant_time(req.get_param_value("token"), token_);
  }

  void install_routes() {
    http_.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                               {"X-Content-Type-Options", "nosniff"},
                               {"X-Frame-Options", "DENY"},
                               {"Referrer-Policy", "no-referrer"},
                               {"Cross-Origin-Resource-Policy", "same-origin"},
                               {"Cache-Control", "no-store"}});
    http_.set_payload_max_length(1 << 20);
    // Events are small writes answered at once: without TCP_NODELAY, Nagle's
    // algorithm and the peer's delayed ACK hold each one back ~40 ms.
    http_.set_tcp_nodelay(true);
    http_.set_keep_alive_timeout(2);  // stop() waits for idle connections this long at most
    http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (allowed(req)) return httplib::Server::HandlerResponse::Unhandled;
      res.status = 403;
      res.set_content(
          "403 forbidden: this server answers its own page only (token, Host, Origin)\n",
          "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    });

    http_.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      const Asset* page = find_asset("index.html");
      std::string html(page->data);
      // The page's own requests carry the token too; it is hex, safe in HTML.
      for (size_t at; (at = html.find("{{TOKEN}}")) != std::string::npos;)
        html.replace(at, 9, token_);
      res.set_content(html, asset_media_type("index.html"));
    });
    http_.Get(R"(/([a-z]+\.(?:js|css)))", [](const httplib::Request& req, httplib::Response& res) {
      const Asset* asset = find_asset(req.matches[1].str());
      if (!asset) {
        res.status = 404;
        return;
      }
      res.set_content(std::string(asset->data), asset_media_type(asset->name));
    });
    http_.Get("/api/screen", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(session_->screen().dump(), "application/json");
    });
    http_.Post("/api/event", [this](const httplib::Request& req, httplib::Response& res) {
      // JSON only: a cross-site form cannot send it without a preflight.
      if (req.get_header_value("Content-Type").find("application/json") != 0) {
        res.status = 415;
        res.set_content(R"({"error":"events are application/json"})", "application/json");
        return;
      }
      nlohmann::json event = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
      if (event.is_discarded()) {
        res.status = 400;
        res.set_content(R"({"error":"an event is a JSON object"})", "application/json");
        return;
      }
      auto result = session_->event(event);
      res.status = result.status;
      res.set_content(result.body.dump(), "application/json");
    });
    http_.Get("/api/events", [this](const httplib::Request&, httplib::Response& res) {
      auto id = session_->subscribe();
      if (!id) {
        res.status = 503;
        return;
      }
      res.set_chunked_content_provider(
          "text/event-stream",
          [this, id = *id](size_t, httplib::DataSink& sink) {
            BusMessage m;
            switch (bus_.next(id, kKeepAlive, m)) {
              case EventBus::Wait::Message: {
                std::string text = fmt::format("event: {}\ndata: {}\n\n", m.event, m.data);
                return sink.write(text.data(), text.size());
              }
              case EventBus::Wait::Timeout:
                return sink.write(": keep-alive\n\n", 14);
              case EventBus::Wait::Closed:
                sink.done();
                return true;
            }
            return false;
          },
          [this, id = *id](bool) { bus_.unsubscribe(id); });
    });
    http_.Get("/api/media/(.+)", [this](const httplib::Request& req, httplib::Response& res) {
      auto file = session_->media_file(req.matches[1].str());
      std::ifstream in;
      if (file) in.open(*file, std::ios::binary);
      if (!in) {
        res.status = 404;
        return;
      }
      std::ostringstream bytes;
      bytes << in.rdbuf();
      res.set_content(bytes.str(), media_type_of(*file));
    });
  }

  void poll_loop() {
    auto last = std::chrono::steady_clock::now();
    std::optional<std::chrono::steady_clock::time_point> exited_at;
    std::unique_lock lock(stop_mutex_);
    while (!stopping_) {
      stop_changed_.wait_for(lock, options_.poll_interval, [this] { return stopping_.load(); });
      if (stopping_) break;
      lock.unlock();
      auto now = std::chrono::steady_clock::now();
      session_->tick(std::chrono::duration_cast<std::chrono::milliseconds>(now - last));
      last = now;
      if (session_->exited() && !exited_at) exited_at = now;
      lock.lock();
      if (exited_at && now - *exited_at >= kExitGrace) {
        lock.unlock();
        stop();
        return;
      }
    }
  }

  PlayOptions options_;
  std::string token_;
  EventBus bus_;
  std::unique_ptr<Session> session_;
  httplib::Server http_;
  int port_ = -1;
  std::thread serve_thread_;
  std::mutex stop_mutex_;
  std::condition_variable stop_changed_;
  std::atomic<bool> stopping_{false};
};

}  // namespace

std::string random_token() {
  std::random_device entropy;  // /dev/urandom on Linux
  std::string token;
  for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", entropy());
  return token;
}

std::unique_ptr<PlayServer> PlayServer::create(const PlayOptions& options) {
  return std::make_unique<PlayServerImpl>(options);
}

}  // namespace canvasfx::web
