// The typed intermediate representation: what the binder produces and the
// evaluator runs. Every decision that depends on types (which operator, which
// coercion, which overload, which scope a name comes from) is made by the
// binder and recorded here, so the evaluator never inspects types to decide
// what an operation means.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "canvasfx/function.h"
#include "canvasfx/types.h"
#include "canvasfx/value.h"

namespace canvasfx {
struct UserFunction;
}

namespace canvasfx::ir {

enum class Op : uint8_t {
  Constant,     // `constant`
  Global,       // engine symbol `slot`
  ScopeRecord,  // the row of lambda scope `depth` (0 = innermost)
  ScopeField,   // field `name` of the row of lambda scope `depth`
  Field,        // kids[0].name; on a table: the one-column table of that column
  Negate,
  Not,
  Percent,
  // Arithmetic on numbers
  Add,
  Sub,
  Mul,
  Div,
  Power,
  // Date/time arithmetic: `arith` says how (see DateArith)
  DateArith,
  Concat,  // text & text
  And,
  Or,       // lazy, boolean operands
  Compare,  // `compare` on `compare_kind` operands
  InText,
  ExactInText,  // substring tests
  InTable,
  ExactInTable,  // membership in a table's values / records
  Coerce,        // kids[0] converted to `type` (`coerce_from` says from what)
  MakeRecord,    // fields `names[i]` = kids[i]
  MakeTable,     // rows kids[i] (records), or a one-column Value table when wrap_value
  Call,          // fn(kids...)
  UserCall,      // user-defined function `user`(kids...): its body with the arguments as scope
  Chain,         // kids evaluated in order, value of the last
};

enum class CompareOp : uint8_t { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

enum class DateArith : uint8_t {
  DatePlusDays,           // Date + Number -> Date
  DateTimePlusDays,       // DateTime + Number -> DateTime
  DatePlusTime,           // Date + Time -> DateTime
  DateTimePlusTime,       // DateTime + Time -> DateTime
  TimePlusTime,           // Time + Time -> Time
  TimePlusDays,           // Time + Number (days) -> Time
  DateMinusDate,          // Date - Date -> Number (days)
  DateTimeMinusDateTime,  // DateTime - DateTime -> Number (days)
  TimeMinusTime,          // Time - Time -> Number? (days fraction)
  DateMinusDays,          // Date - Number -> Date
  DateTimeMinusDays,      // DateTime - Number -> DateTime
  DateMinusTime,          // Date - Time -> DateTime
  DateTimeMinusTime,      // DateTime - Time -> DateTime
  NumberMinusDate,        // Number - Date/DateTime/Time: binds, fails with NotSupported
  TimeMinusDays,          // Time - Number -> Time
};

struct Node;
using NodePtr = std::unique_ptr<Node>;

// The fields are ordered so that what evaluating a node reads first (op,
// slot, invariant_in, kids, the small flags) shares its first cache line:
// evaluating a long chain of short formulas is bound by memory, not by work.
struct Node {
  Op op;
  bool folded = false;  // not a Constant, but `constant` is its value, known while checking
  CompareOp compare = CompareOp::Equal;
  TypeKind compare_kind = TypeKind::Number;
  DateArith arith = DateArith::DatePlusDays;
  TypeKind coerce_from = TypeKind::Unknown;
  bool wrap_value = false;  // MakeTable: [1,2] -> Table({Value:1},{Value:2})
  bool tabular = false;     // Call: scalar function mapped over one-column table arguments
  bool lambda_pushes_scope = true;
  bool caches_invariants = false;  // Call: some of its lambda subtrees point at it
  int depth = 0;                   // ScopeRecord/ScopeField
  size_t slot = 0;                 // Global

  // Row-invariant subtrees (invariants.h): a subtree of a lambda argument that
  // does not read the lambda's row points at the call it belongs to, and is
  // evaluated once per invocation of that call instead of once per row.
  const Node* invariant_in = nullptr;

  std::vector<NodePtr> kids;

  Value constant;
  Span span;                           // for runtime errors
  const FunctionDef* fn = nullptr;     // Call
  const UserFunction* user = nullptr;  // UserCall

  Type type;                       // the static type of the result
  std::string name;                // ScopeField/Field
  std::vector<std::string> names;  // MakeRecord field names
  std::vector<uint8_t> arg_modes;  // Call, per argument: 0 eager, 1 lazy, 2 lambda
  std::vector<char> arg_letters;  // Call, per argument: the parameter letter it was checked against
  std::shared_ptr<const void> payload;
};

}  // namespace canvasfx::ir
