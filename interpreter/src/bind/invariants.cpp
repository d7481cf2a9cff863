#include "bind/invariants.h"

#include <cstdint>
#include <unordered_map>

#include "bind/params.h"

namespace canvasfx {
namespace {

using ir::Node;
using ir::Op;

struct Facts {
  // Bit d: reads the row of the lambda scope d levels out from the node
  // (bit 63 also stands for every deeper scope).
  uint64_t reads_scopes = 0;
  bool changes_state = false;  // a behavior function, or an operation unknown here
  bool volatile_value = false;
};

constexpr uint64_t scope_bit(int depth) {
  return depth >= 63 ? ~uint64_t{0} << 63 : uint64_t{1} << depth;
}

bool is_lambda_arg(const Node& call, size_t i) {
  return call.op == Op::Call && i < call.arg_modes.size() &&
         call.arg_modes[i] == static_cast<uint8_t>(ParamMode::Lambda);
}

// Nodes whose evaluation costs less than a cache lookup.
bool trivial(const Node& n) {
  return n.op == Op::Constant || n.op == Op::Global || n.op == Op::ScopeRecord ||
         n.op == Op::ScopeField;
}

// Facts of every node, computed once bottom-up (formulas may be large).
class Analysis {
 public:
  void mark_from(Node& root) { mark(root, nullptr); }

 private:
  const Facts& facts_of(const Node& n) {
    if (auto it = facts_.find(&n); it != facts_.end()) return it->second;
    Facts f;
    for (size_t i = 0; i < n.kids.size(); ++i) {
      Facts k = facts_of(*n.kids[i]);
      // Inside a lambda argument, depth 0 is that lambda's own row.
      uint64_t outer = is_lambda_arg(n, i)
                           ? (k.reads_scopes >> 1) | (k.reads_scopes & scope_bit(63))
                           : k.reads_scopes;
      f.reads_scopes |= outer;
      f.changes_state |= k.changes_state;
      f.volatile_value |= k.volatile_value;
    }
    switch (n.op) {
      case Op::ScopeRecord:
      case Op::ScopeField:
        f.reads_scopes |= scope_bit(n.depth);
        break;
      case Op::Call:
        f.changes_state |= n.fn == nullptr || n.fn->behavior;
        f.volatile_value |= n.fn == nullptr || n.fn->volatile_result;
        break;
      case Op::Constant:
      case Op::Global:
      case Op::Field:
      case Op::Negate:
      case Op::Not:
      case Op::Percent:
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div:
      case Op::Power:
      case Op::DateArith:
      case Op::Concat:
      case Op::And:
      case Op::Or:
      case Op::Compare:
      case Op::InText:
      case Op::ExactInText:
      case Op::InTable:
      case Op::ExactInTable:
      case Op::Coerce:
      case Op::MakeRecord:
      case Op::MakeTable:
      case Op::Chain:
        break;
      default:
        // An operation added after this pass was written: assume the worst.
        f.changes_state = f.volatile_value = true;
        break;
    }
    return facts_[&n] = f;
  }

  // `owner`: the call whose lambda argument `n` is part of (depth 0 is its
  // row), or null when there is none that qualifies, or `n` is inside a
  // subtree already marked.
  void mark(Node& n, Node* owner) {
    if (owner && !trivial(n)) {
      const Facts& f = facts_of(n);
      if (!(f.reads_scopes & 1) && !f.changes_state && !f.volatile_value) {
        n.invariant_in = owner;
        owner->caches_invariants = true;
        owner = nullptr;  // evaluated once as a whole: nothing inside needs marking for owner
      }
    }
    bool qualifies = n.op == Op::Call && n.fn && !n.fn->behavior;
    for (size_t i = 0; i < n.kids.size() && qualifies; ++i)
      if (is_lambda_arg(n, i) && facts_of(*n.kids[i]).changes_state) qualifies = false;
    for (size_t i = 0; i < n.kids.size(); ++i)
      mark(*n.kids[i], is_lambda_arg(n, i) ? (qualifies ? &n : nullptr) : owner);
  }

  std::unordered_map<const Node*, Facts> facts_;
};

}  // namespace

void mark_row_invariants(ir::Node& root) { Analysis().mark_from(root); }

}  // namespace canvasfx
