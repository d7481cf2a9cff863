// The sync protocol's HTTP client (client.h).
#include "client.h"

#include <fmt/format.h>
#include <httplib.h>

namespace canvasfx::sync {

SyncClient::SyncClient(const std::string& url, const std::string& token, int timeout_seconds)
    : url_(url), token_(token) {
  client_ = std::make_unique<httplib::Client>(url);
  if (!client_->is_valid())
    throw SyncFailure("device", 0, "bad-url",
                      fmt::format("'{}' is not a server URL (http://HOST:PORT)", url));
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);
  client_->set_connection_timeout(10, 0);
  client_->set_read_timeout(timeout_seconds, 0);
  client_->set_write_timeout(timeout_seconds, 0);
  client_->set_default_headers({{"Authorization", "Bearer " + token}});
}

SyncClient::~SyncClient() = default;

json SyncClient::get(const std::string& path) {
  auto r = client_->Get(path.c_str());
  return answer(path, r);
}

json SyncClient::post(const std::string& path, const json& body) {
  auto r = client_->Post(path.c_str(), body.dump(-1, ' ', false, json::error_handler_t::replace),
                         "application/json");
  return answer(path, r);
}

json SyncClient::answer(const std::string& what, const httplib::Result& r) {
  if (!r)
    throw SyncFailure("network", 0, "unreachable",
                      fmt::format("The sync server at {} cannot be reached ({}).", url_,
                                  httplib::to_string(r.error())));
  json body = json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  if (r->status >= 200 && r->status < 300) {
    if (body.is_discarded() || !body.is_object())
      throw SyncFailure("server", r->status, "bad-answer",
                        fmt::format("The sync server answered {} with something that is not a "
                                    "JSON object.",
                                    what));
    return body;
  }
  std::string code = "http-" + std::to_string(r->status), message;
  if (!body.is_discarded() && body.is_object() && body.contains("error") &&
      body["error"].is_object()) {
    code = body["error"].value("code", code);
    message = body["error"].value("message", "");
  }
  if (r->status == 401)
    throw SyncFailure("server", 401, code,
                      fmt::format("The sync server refused the token ({}).", message));
  throw SyncFailure("server", r->status, code,
                    fmt::format("The sync server answered {} with HTTP {}{}{}.", what, r->status,
                                message.empty() ? "" : ": ", message));
}

}  // namespace canvasfx::sync
