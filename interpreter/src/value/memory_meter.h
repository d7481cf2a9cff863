// The memory meter behind the engine's per-evaluation memory budget.
//
// Every heap object a Value owns (text, record, table rows, errors) charges its
// size to a per-thread meter when it is built and gives it back when it is
// freed, so `live` is the memory that Values hold on this thread. An
// evaluation with a budget sets `limit` to live + budget while it runs; the
// first charge past it throws EvaluationOutOfMemory, which unwinds the
// evaluation to CompiledFormula::eval (the charge is refused, so the object is
// never built). Objects freed on another thread make that thread's meter go
// down: only differences within one evaluation matter, so that is harmless.
//
// Charges count the bytes Values own, not the allocator's bookkeeping or the
// temporaries of a builtin; kObjectOverhead stands for the control block and
// the allocator's headers of one object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace canvasfx::memory {

// Thrown by charge() when an evaluation's budget is exhausted.
struct EvaluationOutOfMemory {
  int64_t budget;  // bytes
};

struct Meter {
  int64_t live = 0;
  int64_t limit = std::numeric_limits<int64_t>::max();
  int64_t budget = 0;  // the active evaluation's budget, for the error message
};

// Constant-initialized: no guard on access.
inline thread_local Meter g_meter;
inline Meter& meter() { return g_meter; }

// A shared_ptr control block and the malloc headers of an object and its buffer.
inline constexpr size_t kObjectOverhead = 48;

[[noreturn]] void refuse(int64_t budget);

inline void charge(size_t bytes) {
  Meter& m = meter();
  int64_t after = m.live + static_cast<int64_t>(bytes);
  if (after > m.limit) refuse(m.budget);
  m.live = after;
}

inline void release(size_t bytes) { meter().live -= static_cast<int64_t>(bytes); }

// Throws when `bytes` more would exceed the running evaluation's budget
// (a builtin about to build a large result asks first).
inline void require(size_t bytes) {
  Meter& m = meter();
  if (m.live + static_cast<int64_t>(bytes) > m.limit) refuse(m.budget);
}

// Applies a budget for the lifetime of the guard (an evaluation). Nested
// evaluations keep the outermost limit when it is tighter.
class BudgetScope {
 public:
  explicit BudgetScope(int64_t budget_bytes) : saved_(meter()) {
    Meter& m = meter();
    if (budget_bytes > 0 && m.live + budget_bytes < m.limit) {
      m.limit = m.live + budget_bytes;
      m.budget = budget_bytes;
    }
  }
  ~BudgetScope() {
    Meter& m = meter();
    m.limit = saved_.limit;
    m.budget = saved_.budget;
  }
  BudgetScope(const BudgetScope&) = delete;
  BudgetScope& operator=(const BudgetScope&) = delete;

 private:
  Meter saved_;
};

}  // namespace canvasfx::memory
