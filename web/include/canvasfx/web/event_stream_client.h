// A reader of a play server's event stream (GET /api/events) on a thread of
// its own, for tools, tests and benchmarks that watch what a page would
// receive:
//
//   canvasfx::web::EventStreamClient events(server->port(), server->token());
//   auto e = events.wait_for([](const auto& e) { return e.name == "patch"; },
//                            std::chrono::seconds(5));
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace canvasfx::web {

class EventStreamClient {
 public:
  struct Event {
    std::string name;  // "screen", "patch", "host", "device"
    std::string data;  // its JSON
    std::chrono::steady_clock::time_point received;
  };

  EventStreamClient(int port, std::string token);
  ~EventStreamClient();  // disconnects
  EventStreamClient(const EventStreamClient&) = delete;
  EventStreamClient& operator=(const EventStreamClient&) = delete;

  // The first event not yet taken that `match` accepts (taking it and those
  // before it), waiting up to `timeout`.
  std::optional<Event> wait_for(const std::function<bool(const Event&)>& match,
                                std::chrono::milliseconds timeout);
  // Every event received so far, taken or not.
  std::vector<Event> received() const;

 private:
  struct Connection;
  void add(Event e);

  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Event> events_;
  size_t taken_ = 0;
  std::unique_ptr<Connection> connection_;
  std::thread reader_;
};

}  // namespace canvasfx::web
