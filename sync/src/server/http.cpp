// The HTTP layer (server.h's HttpServer): cpp-httplib on 127.0.0.1, JSON in
// and out, every refusal a JSON error {"error": {"code", "message"}} with a
// 4xx status. Nothing a client sends can stop the server: bodies are bounded,
// JSON nesting is bounded, and an exception in a handler becomes a 500.
#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <thread>

#include "server_impl.h"

namespace canvasfx::sync {

namespace {

// Deeper JSON than this is refused before it is built (no request needs it).
constexpr int kMaxJsonDepth = 32;

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& code,
                const std::string& message) {
  send_json(res, status, {{"error", {{"code", code}, {"message", message}}}});
}

json parse_body(const httplib::Request& req) {
  auto type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0)
    throw ApiError(415, "unsupported-media-type", "the request body must be application/json");
  try {
    return json::parse(req.body, [](int depth, json::parse_event_t, json&) {
      if (depth > kMaxJsonDepth)
        throw ApiError(400, "bad-json",
                       fmt::format("the JSON body is nested more than {} levels", kMaxJsonDepth));
      return true;
    });
  } catch (const json::parse_error& e) {
    throw ApiError(400, "bad-json", fmt::format("the body is not valid JSON (at byte {})", e.byte));
  }
}

}  // namespace

struct HttpServer::Impl {
  SyncService& service;
  httplib::Server server;
  int port = 0;
  // httplib's stop() does nothing until listen has begun, so a stop() racing
  // with run() (a SIGTERM just after start) would leave run() serving forever.
  std::atomic<bool> stopping{false}, run_entered{false}, run_done{false};

  explicit Impl(SyncService& s) : service(s) {}

  bool host_allowed(const httplib::Request& req) const {
    // A browser page from another origin can reach 127.0.0.1 by DNS
    // rebinding; it cannot send a Host header naming our loopback address.
    std::string host = req.get_header_value("Host");
    for (const char* name : {"127.0.0.1", "localhost", "[::1]"})
      if (host == fmt::format("{}:{}", name, port)) return true;
    return false;
  }

  User authenticate(const httplib::Request& req) {
    std::string auth = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (auth.rfind(prefix, 0) != 0)
      throw ApiError(401, "unauthorized", "the request needs 'Authorization: Bearer TOKEN'");
    auto user = service.authenticate(std::string_view(auth).substr(prefix.size()));
    if (!user) throw ApiError(401, "unauthorized", "the token is not valid");
    return *user;
  }

  // Runs a handler body, turning every failure into a JSON error response.
  template <typename F>
  void guarded(httplib::Response& res, F&& body) {
    try {
      body();
    } catch (const ApiError& e) {
      send_error(res, e.status(), e.code(), e.what());
    } catch (const StorageError& e) {
      send_error(res, 503, "storage", e.what());
    } catch (const std::exception& e) {
      send_error(res, 500, "internal", e.what());
    }
  }

  void routes() {
    server.Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
      send_json(res, 200, {{"status", "ok"}, {"protocol", kProtocolVersion}});
    });
    server.Get("/v1/me", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] { send_json(res, 200, service.me(authenticate(req))); });
    });
    server.Get("/v1/profile", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        User u = authenticate(req);
        send_json(res, 200, service.get_profile(u, req.get_param_value("name")));
      });
    });
    server.Put("/v1/profile", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        User u = authenticate(req);
        json out = service.put_profile(u, parse_body(req));
        send_json(res, out.value("published", false) ? 200 : 422, out);
      });
    });
    server.Post("/v1/pull", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        User u = authenticate(req);
        json body = parse_body(req);
        if (!body.is_object()) throw ApiError(400, "bad-request", "the body must be an object");
        send_json(res, 200, service.pull(u, body));
      });
    });
    server.Post("/v1/push", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        User u = authenticate(req);
        json body = parse_body(req);
        if (!body.is_object()) throw ApiError(400, "bad-request", "the body must be an object");
        send_json(res, 200, service.push(u, body));
      });
    });
  }
};

HttpServer::HttpServer(SyncService& service, int port, int threads)
    : impl_(std::make_unique<Impl>(service)) {
  auto& s = impl_->server;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  s.set_payload_max_length(kMaxRequestBytes);
  s.set_keep_alive_max_count(1000);
  s.set_tcp_nodelay(true);  // small JSON answers: no Nagle delay
  s.set_read_timeout(30, 0);
  s.set_write_timeout(30, 0);
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (impl_->host_allowed(req)) return httplib::Server::HandlerResponse::Unhandled;
    send_error(res, 421, "foreign-host",
               fmt::format("this server answers only to 127.0.0.1:{} (Host: '{}')", impl_->port,
                           req.get_header_value("Host")));
    return httplib::Server::HandlerResponse::Handled;
  });
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* code = "bad-request";
    const char* what = "the request is malformed";
    if (res.status == 404) code = "not-found", what = "there is no such endpoint";
    if (res.status == 405) code = "method-not-allowed", what = "the method is not allowed here";
    if (res.status == 413)
      code = "too-large", what = "the request body is larger than the server accepts";
    if (res.status == 414) code = "uri-too-long", what = "the request URI is too long";
    send_error(res, res.status, code, what);
  });
  s.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        send_error(res, 500, "internal", what);
      });
  impl_->routes();
  if (port == 0) {
    impl_->port = s.bind_to_any_port("127.0.0.1");
    if (impl_->port < 0) throw ServerError("cannot bind a port on 127.0.0.1");
  } else {
    if (!s.bind_to_port("127.0.0.1", port))
      throw ServerError(fmt::format("cannot listen on 127.0.0.1:{} (is it in use?)", port));
    impl_->port = port;
  }
}

HttpServer::~HttpServer() { stop(); }

int HttpServer::port() const { return impl_->port; }

void HttpServer::run() {
  impl_->run_entered = true;
  if (!impl_->stopping) impl_->server.listen_after_bind();
  impl_->run_done = true;
}

void HttpServer::stop() {
  impl_->stopping = true;
  // run() not entered yet: it will see `stopping` (both flags are sequentially
  // consistent, so at least one side sees the other's store).
  if (!impl_->run_entered) return;
  while (!impl_->run_done && !impl_->server.is_running()) std::this_thread::yield();
  impl_->server.stop();
}

}  // namespace canvasfx::sync
