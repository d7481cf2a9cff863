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

struct Node {
  Op op;
  Type type;  // the static type of the result
  Span span;  // for runtime errors

  Value constant;
  bool folded = false;  // not a Constant, but `constant` is its value, known while checking
  size_t slot = 0;      // Global
  int depth = 0;        // ScopeRecord/ScopeField
  std::string name;     // ScopeField/Field
  std::vector<std::string> names;  // MakeRecord field names

  CompareOp compare = CompareOp::Equal;
  TypeKind compare_kind = TypeKind::Number;
  DateArith arith = DateArith::DatePlusDays;
  TypeKind coerce_from = TypeKind::Unknown;
  bool wrap_value = false;  // MakeTable: [1,2] -> Table({Value:1},{Value:2})

  // Call
  const FunctionDef* fn = nullptr;
  std::vector<uint8_t> arg_modes;  // per argument: 0 eager, 1 lazy, 2 lambda
  std::vector<char> arg_letters;   // per argument: the parameter letter it was checked against
  std::shared_ptr<const void> payload;
  bool tabular = false;  // scalar function mapped over one-column table arguments
  bool lambda_pushes_scope = true;

  const UserFunction* user = nullptr;  // UserCall

  std::vector<NodePtr> kids;
};

}  // namespace canvasfx::ir
