// The device's HTTP client for the sync protocol (cpp-httplib): JSON requests
// with the user's token, keep-alive, and every failure — the server cannot be
// reached, it answered an error, it answered something that is not JSON — as
// a SyncFailure with a message fit for the device status page.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "canvasfx/sync/protocol.h"

namespace httplib {
class Client;
class Result;
}  // namespace httplib

namespace canvasfx::sync {

class SyncFailure : public std::runtime_error {
 public:
  SyncFailure(std::string type, int status, std::string code, const std::string& message)
      : std::runtime_error(message),
        type_(std::move(type)),
        status_(status),
        code_(std::move(code)) {}
  const std::string& type() const { return type_; }  // "network", "server", "offline", "device"
  int status() const { return status_; }             // HTTP status; 0 without an answer
  const std::string& code() const { return code_; }  // the server's error code

 private:
  std::string type_;
  int status_;
  std::string code_;
};

class SyncClient {
 public:
  SyncClient(const std::string& url, const std::string& token, int timeout_seconds);
  ~SyncClient();
  json get(const std::string& path);
  json post(const std::string& path, const json& body);

 private:
  json answer(const std::string& what, const httplib::Result& r);
  std::string url_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace canvasfx::sync
