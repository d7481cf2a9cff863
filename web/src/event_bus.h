// Fan-out of server-sent events: each open /api/events stream is a
// subscriber with its own queue. Publishing never blocks on a slow page; a
// subscriber that falls kMaxQueued messages behind is dropped (its page
// reconnects and starts again from a whole screen).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace canvasfx::web {

struct BusMessage {
  std::string event;  // "screen", "patch", "host", "device"
  std::string data;   // one line of JSON
};

class EventBus {
 public:
  static constexpr size_t kMaxQueued = 1000;
  static constexpr size_t kMaxSubscribers = 4;  // each holds one of the server's threads

  // A new subscriber that first receives `initial` (the oldest one is dropped
  // when there are kMaxSubscribers already); nullopt when the bus is closed.
  std::optional<int> subscribe(std::vector<BusMessage> initial);
  void unsubscribe(int id);

  enum class Wait { Message, Timeout, Closed };
  // The subscriber's next message, waiting up to `timeout`.
  Wait next(int id, std::chrono::milliseconds timeout, BusMessage& out);

  void publish(BusMessage message);
  // Wakes every subscriber with Closed, and refuses new ones.
  void close();
  size_t subscribers() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int, std::deque<BusMessage>> queues_;
  int next_id_ = 1;
  bool closed_ = false;
};

}  // namespace canvasfx::web
