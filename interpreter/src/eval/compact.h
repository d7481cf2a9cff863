// The compact form of a short arithmetic formula (`a + 1`, `Price * (1 -
// Discount) / 100`, `-Offset`): its steps in postfix order, held inside the
// named formula itself.
//
// Why: a change at the start of a long chain of named formulas recomputes
// every link, and walking each link's tree of IR nodes (scattered over the
// heap, one cache miss per node) costs far more than the arithmetic. A formula
// of constants, names and the arithmetic operators runs from these steps
// instead, with the tree evaluator's semantics (the evaluator runs both, and
// shares the operators' code). Any other formula keeps only its tree.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "bind/ir.h"

namespace canvasfx {

struct CompactFormula {
  enum class Code : uint8_t { Constant, Global, Add, Sub, Mul, Div, Power, Negate, Percent };
  struct Step {
    Code code = Code::Constant;
    uint8_t constant = 0;  // Constant: the index in constants
    uint32_t slot = 0;     // Global
    Span span;             // where an operator's error points
  };
  // Larger formulas are rare among those this form can hold, and the steps
  // live inline (one allocation with the formula), so the bounds are small.
  static constexpr size_t kMaxSteps = 7;
  static constexpr size_t kMaxConstants = 2;
  static constexpr size_t kMaxStack = 4;

  std::array<Step, kMaxSteps> steps;
  std::array<Value, kMaxConstants> constants;
  uint8_t step_count = 0;
  uint8_t constant_count = 0;

  // The compact form of `root`, or nothing when it has anything else than
  // constants, global names and arithmetic, or does not fit.
  static std::optional<CompactFormula> compile(const ir::Node& root);
};

}  // namespace canvasfx
