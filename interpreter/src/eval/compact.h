// The compact form of a short arithmetic formula (`a + 1`, `Price * (1 -
// Discount) / 100`, `-Offset`): its operators as three-address steps, held
// inside the named formula itself.
//
// Why: a change at the start of a long chain of named formulas recomputes
// every link, and walking each link's tree of IR nodes (scattered over the
// heap, one cache miss per node) costs far more than the arithmetic. A formula
// of constants, names and the arithmetic operators runs from these steps
// instead, with the tree evaluator's semantics (the evaluator runs both, and
// shares the operators' code). `a1 = a0 + 1` is one step whose operands are
// read where they are. Any other formula keeps only its tree.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "bind/ir.h"

namespace canvasfx {

struct CompactFormula {
  enum class Code : uint8_t { Add, Sub, Mul, Div, Power, Negate, Percent };
  // Where an operand is: a constant, a global symbol (a variable or a named
  // formula) or the result of an earlier step.
  enum class From : uint8_t { Constant, Global, Step };
  struct Operand {
    From from = From::Constant;
    uint32_t index = 0;  // in constants, the engine's symbols, or steps
  };
  struct Step {
    Code code = Code::Add;
    Operand left, right;  // right: binary operators only
    Span span;            // where the operator's error points
  };
  // Larger formulas are rare among those this form can hold, and the steps
  // live inline (one allocation with the formula), so the bounds are small.
  static constexpr size_t kMaxSteps = 4;
  static constexpr size_t kMaxConstants = 2;

  // In the order a formula over numbers reads them (a chain of formulas is
  // bound by the cache lines each link touches); `constants` last, for the
  // evaluator's path.
  uint8_t step_count = 0;
  uint8_t constant_count = 0;
  // Whether the steps can run on plain doubles when every name they read
  // holds a number: the constants are numbers (`numbers` holds them) and no
  // step is a Power (whose special cases only the evaluator knows).
  bool numeric = false;
  Operand result;  // the last step, or a constant or a name alone
  std::array<double, kMaxConstants> numbers{};
  std::array<Step, kMaxSteps> steps;
  std::array<Value, kMaxConstants> constants;

  static bool unary(Code code) { return code == Code::Negate || code == Code::Percent; }

  // The compact form of `root`, or nothing when it has anything else than
  // constants, global names and arithmetic, or does not fit.
  static std::optional<CompactFormula> compile(const ir::Node& root);
};

}  // namespace canvasfx
