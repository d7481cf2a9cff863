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
  int64_t time_limit_ms = 0;  // 0: evaluations may run as long as they need
  // Set by Engine::cancel() (any thread, or a signal handler: a lock-free store);
  // read by the evaluator where it checks the time limit; cleared when the
  // outermost evaluation ends.
  std::atomic<bool> cancel_requested{false};
  int running_evaluations = 0;  // CompiledFormula::eval calls on the stack
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

// Thrown by the evaluator when an evaluation runs past the engine's time limit;
// CompiledFormula::eval turns it into an ErrorKind.Timeout value.
struct EvaluationTimeout {};
// Thrown by the evaluator when Engine::cancel() was called; also a Timeout error value.
struct EvaluationCancelled {};

// Runs a bound formula.
Value evaluate(Engine::Impl& engine, const ir::Node& root, bool behavior);

}  // namespace canvasfx
