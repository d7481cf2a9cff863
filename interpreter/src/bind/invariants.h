// Row-invariant subtrees of lambda arguments.
//
// In `Filter(Accounts, Name = Concat(Big, Value))` the argument `Concat(Big,
// Value)` reads nothing of the row the lambda is evaluated for, so its value
// is the same for every row. mark_row_invariants() finds the largest such
// subtrees of every lambda argument and points them at their call
// (Node::invariant_in); the evaluator evaluates each once per invocation of
// the call and reuses the value for the other rows.
//
// A subtree qualifies when it reads no field of the call's row (lambda scope
// depth 0 where it stands, deeper inside its own lambdas) and is pure: no
// behavior function, nothing volatile (Rand, Now), and no operation this pass
// does not know. A call qualifies when none of its lambda arguments can change
// state (no behavior function), so nothing can change a cached value's inputs
// between two rows.
#pragma once

#include "bind/ir.h"

namespace canvasfx {

void mark_row_invariants(ir::Node& root);

}  // namespace canvasfx
