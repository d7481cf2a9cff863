#include "eval/compact.h"

namespace canvasfx {

namespace {

using Code = CompactFormula::Code;
using From = CompactFormula::From;

std::optional<Code> operator_code(ir::Op op) {
  switch (op) {
    case ir::Op::Add:
      return Code::Add;
    case ir::Op::Sub:
      return Code::Sub;
    case ir::Op::Mul:
      return Code::Mul;
    case ir::Op::Div:
      return Code::Div;
    case ir::Op::Power:
      return Code::Power;
    case ir::Op::Negate:
      return Code::Negate;
    case ir::Op::Percent:
      return Code::Percent;
    default:
      return std::nullopt;
  }
}

// Where `n`'s value will be, appending the steps that compute it (its
// operands' first, left before right: the tree's order); false when it
// cannot be compact.
bool operand_of(const ir::Node& n, CompactFormula& out, CompactFormula::Operand& where) {
  if (n.invariant_in) return false;
  if (n.op == ir::Op::Constant) {
    if (out.constant_count == CompactFormula::kMaxConstants) return false;
    where = {From::Constant, out.constant_count};
    out.constants[out.constant_count++] = n.constant;
    return true;
  }
  if (n.op == ir::Op::Global) {
    if (n.slot > UINT32_MAX) return false;
    where = {From::Global, static_cast<uint32_t>(n.slot)};
    return true;
  }
  auto code = operator_code(n.op);
  if (!code || n.kids.size() != (CompactFormula::unary(*code) ? 1u : 2u)) return false;
  CompactFormula::Step step;
  step.code = *code;
  step.span = n.span;
  if (!operand_of(*n.kids[0], out, step.left)) return false;
  if (n.kids.size() == 2 && !operand_of(*n.kids[1], out, step.right)) return false;
  if (out.step_count == CompactFormula::kMaxSteps) return false;
  where = {From::Step, out.step_count};
  out.steps[out.step_count++] = step;
  return true;
}

}  // namespace

std::optional<CompactFormula> CompactFormula::compile(const ir::Node& root) {
  CompactFormula out;
  if (!operand_of(root, out, out.result)) return std::nullopt;
  out.numeric = true;
  for (uint8_t i = 0; i < out.constant_count; ++i) {
    if (!out.constants[i].is_number())
      out.numeric = false;
    else
      out.numbers[i] = out.constants[i].as_number();
  }
  for (uint8_t i = 0; i < out.step_count; ++i)
    if (out.steps[i].code == Code::Power) out.numeric = false;
  return out;
}

}  // namespace canvasfx
