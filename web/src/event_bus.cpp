// Server-sent event fan-out (event_bus.h).
#include "event_bus.h"

namespace canvasfx::web {

std::optional<int> EventBus::subscribe(std::vector<BusMessage> initial) {
  std::lock_guard lock(mutex_);
  if (closed_) return std::nullopt;
  // A page that reloads leaves its old stream open until a write fails: the
  // oldest stream gives way.
  if (queues_.size() >= kMaxSubscribers) queues_.erase(queues_.begin());
  int id = next_id_++;
  auto& queue = queues_[id];
  for (auto& m : initial) queue.push_back(std::move(m));
  changed_.notify_all();
  return id;
}

void EventBus::unsubscribe(int id) {
  std::lock_guard lock(mutex_);
  queues_.erase(id);
}

EventBus::Wait EventBus::next(int id, std::chrono::milliseconds timeout, BusMessage& out) {
  std::unique_lock lock(mutex_);
  auto ready = [&] {
    auto it = queues_.find(id);
    return closed_ || it == queues_.end() || !it->second.empty();
  };
  if (!changed_.wait_for(lock, timeout, ready)) return Wait::Timeout;
  auto it = queues_.find(id);
  if (closed_ || it == queues_.end()) return Wait::Closed;
  out = std::move(it->second.front());
  it->second.pop_front();
  return Wait::Message;
}

void EventBus::publish(BusMessage message) {
  {
    std::lock_guard lock(mutex_);
    for (auto it = queues_.begin(); it != queues_.end();) {
      if (it->second.size() >= kMaxQueued) {
        it = queues_.erase(it);  // next() reports Closed: the page reconnects
        continue;
      }
      it->second.push_back(message);
      ++it;
    }
  }
  changed_.notify_all();
}

void EventBus::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

size_t EventBus::subscribers() const {
  std::lock_guard lock(mutex_);
  return queues_.size();
}

}  // namespace canvasfx::web
