// Engine state shared by the binder, the evaluator and the public Engine.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bind/ir.h"
#include "canvasfx/engine.h"

namespace canvasfx {

struct Symbol {
  std::string name;
  Type type;
  Value value;
  SymbolGetter getter;  // computed symbols (host signals)
  SymbolFlags flags;
};

struct Engine::Impl {
  Features features;
  std::unordered_map<std::string, std::vector<const FunctionDef*>> functions;
  std::unordered_map<std::string, std::shared_ptr<const EnumInfo>> enums;
  std::vector<Symbol> symbols;
  std::unordered_map<std::string, size_t> symbol_index;
  std::string time_zone;
  std::function<int64_t()> clock;
  std::function<double()> random;
  int64_t time_limit_ms = 0;       // 0: evaluations may run as long as they need
  int64_t memory_limit_bytes = 0;  // 0: no per-evaluation budget
  // README "Limits": bounds on input, cheap to check, on by default.
  size_t max_formula_length = Engine::kDefaultMaxFormulaLength;
  size_t max_literal_length = Engine::kDefaultMaxLiteralLength;
  // Set by Engine::cancel() (any thread, signal handlers); cleared when an
  // outermost evaluation starts.
  std::atomic<bool> cancel_requested{false};
  int eval_depth = 0;  // evaluations running (host handlers may nest them)
  std::unordered_map<std::string, HostHandler> host_handlers;

  const Symbol* find(std::string_view name) const {
    auto it = symbol_index.find(std::string(name));
    return it == symbol_index.end() ? nullptr : &symbols[it->second];
  }
};

class CompiledFormulaImpl {
 public:
  ir::NodePtr root;
  Type type;
  std::vector<std::string> dependencies;
  bool behavior = false;
};

// Binds a parsed formula. Declarations made by the REPL's Set are returned in
// `declared` and added to the engine only when binding succeeds.
struct BindResult {
  ir::NodePtr root;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> dependencies;
  std::vector<Symbol> declared;
};

namespace ast {
struct Node;
}
BindResult bind(Engine::Impl& engine, const ast::Node& root, const CheckOptions& options);

// Thrown by the evaluator when an evaluation runs past the engine's time limit,
// or when Engine::cancel() was called; CompiledFormula::eval turns them into
// ErrorKind.Timeout values. (The memory budget's is memory::EvaluationOutOfMemory.)
// Not std::exceptions, so that no builtin's catch can swallow them.
struct EvaluationTimeout {};
struct EvaluationCancelled {};

// Runs a bound formula.
Value evaluate(Engine::Impl& engine, const ir::Node& root, bool behavior);

}  // namespace canvasfx
