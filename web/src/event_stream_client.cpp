// A reader of /api/events (event_stream_client.h).
#include "canvasfx/web/event_stream_client.h"

#include <httplib.h>

namespace canvasfx::web {

struct EventStreamClient::Connection {
  explicit Connection(int port) : http("127.0.0.1", port) {}
  httplib::Client http;
  std::string buffer;
};

EventStreamClient::EventStreamClient(int port, std::string token)
    : connection_(std::make_unique<Connection>(port)) {
  connection_->http.set_read_timeout(std::chrono::seconds(30));
  connection_->http.set_tcp_nodelay(true);
  reader_ = std::thread([this, token] {
    connection_->http.Get("/api/events?token=" + token, [this](const char* data, size_t size) {
      std::string& buffer = connection_->buffer;
      buffer.append(data, size);
      // An event ends with a blank line: "event: NAME\ndata: JSON\n\n".
      for (size_t end; (end = buffer.find("\n\n")) != std::string::npos;) {
        std::string block = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        Event e;
        size_t at = 0;
        while (at < block.size()) {
          size_t eol = block.find('\n', at);
          if (eol == std::string::npos) eol = block.size();
          std::string line = block.substr(at, eol - at);
          if (line.starts_with("event: ")) e.name = line.substr(7);
          if (line.starts_with("data: ")) e.data += line.substr(6);
          at = eol + 1;
        }
        if (!e.name.empty()) {
          e.received = std::chrono::steady_clock::now();
          add(std::move(e));
        }
      }
      return true;
    });
  });
}

EventStreamClient::~EventStreamClient() {
  connection_->http.stop();
  if (reader_.joinable()) reader_.join();
}

void EventStreamClient::add(Event e) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(e));
  }
  arrived_.notify_all();
}

std::optional<EventStreamClient::Event> EventStreamClient::wait_for(
    const std::function<bool(const Event&)>& match, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (size_t i = taken_; i < events_.size(); ++i)
      if (match(events_[i])) {
        taken_ = i + 1;
        return events_[i];
      }
    size_t seen = events_.size();
    if (!arrived_.wait_until(lock, deadline, [&] { return events_.size() > seen; }))
      return std::nullopt;
  }
}

std::vector<EventStreamClient::Event> EventStreamClient::received() const {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace canvasfx::web
