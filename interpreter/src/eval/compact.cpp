#include "eval/compact.h"

namespace canvasfx {

namespace {

using Code = CompactFormula::Code;

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

// Appends the steps of `n` (postfix); false when it cannot be compact.
// `depth` is the evaluation stack's height once `n` is computed.
bool append(const ir::Node& n, CompactFormula& out, size_t depth) {
  if (out.step_count == CompactFormula::kMaxSteps || depth > CompactFormula::kMaxStack ||
      n.invariant_in)
    return false;
  CompactFormula::Step step;
  step.span = n.span;
  if (n.op == ir::Op::Constant) {
    if (out.constant_count == CompactFormula::kMaxConstants) return false;
    step.code = Code::Constant;
    step.constant = out.constant_count;
    out.constants[out.constant_count++] = n.constant;
  } else if (n.op == ir::Op::Global && n.slot <= UINT32_MAX) {
    step.code = Code::Global;
    step.slot = static_cast<uint32_t>(n.slot);
  } else if (auto code = operator_code(n.op)) {
    bool unary = *code == Code::Negate || *code == Code::Percent;
    if (n.kids.size() != (unary ? 1u : 2u)) return false;
    for (size_t i = 0; i < n.kids.size(); ++i)
      if (!append(*n.kids[i], out, depth + i)) return false;
    if (out.step_count == CompactFormula::kMaxSteps) return false;
    step.code = *code;
  } else {
    return false;
  }
  out.steps[out.step_count++] = step;
  return true;
}

}  // namespace

std::optional<CompactFormula> CompactFormula::compile(const ir::Node& root) {
  CompactFormula out;
  if (!append(root, out, 1)) return std::nullopt;
  return out;
}

}  // namespace canvasfx
