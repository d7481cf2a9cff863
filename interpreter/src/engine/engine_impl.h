// Engine state shared by the binder, the evaluator and the public Engine.
#pragma once

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
  // An object's members (Engine::set_members), sorted by name.
  std::vector<std::pair<std::string, size_t>> members;
  const size_t* member(std::string_view name) const;
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
  std::unordered_map<std::string, HostHandler> host_handlers;
  std::function<void(SymbolId)> write_listener;

  void written(size_t slot) {
    if (write_listener) write_listener(slot);
  }

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
  std::vector<SymbolId> dependency_ids;
  bool behavior = false;
};

namespace ast {
struct ParseResult;
}
class ParsedFormulaImpl {
 public:
  std::shared_ptr<const ast::ParseResult> parsed;
  bool behavior = false;
};

// Binds a parsed formula. Declarations made by the REPL's Set are returned in
// `declared` and added to the engine only when binding succeeds.
struct BindResult {
  ir::NodePtr root;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> dependencies;
  std::vector<SymbolId> dependency_ids;
  std::vector<Symbol> declared;
};

namespace ast {
struct Node;
}
BindResult bind(Engine::Impl& engine, const ast::Node& root, const CheckOptions& options);

// Thrown by the evaluator when an evaluation runs past the engine's time limit;
// CompiledFormula::eval turns it into an ErrorKind.Timeout value.
struct EvaluationTimeout {};

// Runs a bound formula; `row` is the record of a formula checked with a row scope.
Value evaluate(Engine::Impl& engine, const ir::Node& root, bool behavior,
               const Value* row = nullptr);

}  // namespace canvasfx
