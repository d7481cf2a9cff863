// Delegation: a host data source answering a call on it itself.
//
// When a function's first argument is a Table whose source() also implements
// DelegatingSource, the evaluator first offers the call to the source:
// Filter(Accounts, City = "Seattle") can then run as one SQL statement instead
// of the evaluator pulling every row. The source sees the function's name, its
// eager arguments (after the blank/error policy, as the implementation would)
// and, for lambda arguments, the body as a DelegationExpr tree when the body
// can be described: columns of the row, constants, comparisons, And/Or/Not,
// `in`/`exactin` and calls of functions on those. Parts of a body that do not
// read the row (a variable, `Today()`, "Sea" & "ttle") are evaluated once,
// before the offer, and arrive as constants; bodies that depend on outer
// lambda scopes, call behavior or volatile functions, or raise an error while
// folding are not described (nullopt).
//
// The contract is strict: a source that answers must give exactly the result
// the function would compute row by row; when in doubt it returns nullopt and
// the function runs as usual. Values are data, never SQL text: a source binds
// them as parameters.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/diagnostic.h"
#include "canvasfx/types.h"
#include "canvasfx/value.h"

namespace canvasfx {

enum class DelegationCompare : uint8_t { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

struct DelegationExpr {
  enum class Kind : uint8_t {
    Column,    // the row's field `name`
    Constant,  // `constant` (Blank included)
    Compare,   // kids[0] `compare` kids[1]; operands of kind `compare_kind`
    And,
    Or,
    Not,          // Power Fx semantics: a Blank operand counts as false
    InText,       // kids[0] in kids[1] (case-insensitive substring)
    ExactInText,  // kids[0] exactin kids[1]
    Call,         // function `name` applied to kids (all eager arguments)
  };
  Kind kind = Kind::Constant;
  Type type;  // the static type of the result
  std::string name;
  Value constant;
  DelegationCompare compare = DelegationCompare::Equal;
  TypeKind compare_kind = TypeKind::Unknown;
  std::vector<DelegationExpr> kids;
};

struct DelegationRequest {
  std::string_view function;    // "Filter", "CountRows" ...
  std::span<const Value> args;  // eager arguments; lazy and lambda ones are Blank
  // Per argument: the body of a lambda argument, when it can be described.
  std::vector<std::optional<DelegationExpr>> lambdas;
  Type result_type;  // the call's static type
  Span span;         // the call, for error values
};

class DelegatingSource {
 public:
  virtual ~DelegatingSource() = default;
  // The call's result, or nullopt to let the function compute it row by row.
  virtual std::optional<Value> delegate(const DelegationRequest& request) const = 0;
};

}  // namespace canvasfx
