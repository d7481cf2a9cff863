// Engine state shared by the binder, the evaluator and the public Engine.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "bind/ir.h"
#include "canvasfx/engine.h"
#include "eval/compact.h"

namespace canvasfx {

// A named formula (App.Formulas `Name = expression;`): a read-only symbol whose
// value is computed when first read and kept until something it reads changes
// (Engine::Impl::symbol_changed). Definitions reject cycles, so reading one
// never recurses into itself.
struct NamedFormula {
  // What computing it reads comes first (recalculating a long chain of
  // formulas is bound by the memory each one touches).
  bool volatile_value = false;  // reads a computed symbol (a host signal): never cached
  bool evaluating = false;
  bool has_compact = false;  // `compact` is root's compact form
  Value value;
  CompactFormula compact;                // its hot fields first: right after the value
  std::shared_ptr<const ir::Node> root;  // null when it no longer checks (set_root)
  void set_root(std::shared_ptr<const ir::Node> r) {
    root = std::move(r);
    std::optional<CompactFormula> c = root ? CompactFormula::compile(*root) : std::nullopt;
    has_compact = c.has_value();
    compact = c ? std::move(*c) : CompactFormula{};
  }
  std::string source;               // the expression, to rebind it when what it reads is redefined
  std::string failure;              // why root is null
  std::vector<size_t> reads;        // symbols it reads, directly or in the functions it calls
  std::vector<std::string> called;  // the user-defined functions it calls
};

struct Symbol {
  // What reading a symbol touches comes first, in one cache line: a chain of
  // named formulas reads one symbol per link.
  std::shared_ptr<NamedFormula> formula;  // named formulas
  // Whether formula->value is current. Kept here rather than in the formula:
  // a change walks the formulas reading it and reads this flag of each, and
  // the symbols are one array where the formulas are scattered over the heap.
  bool formula_cached = false;
  SymbolFlags flags;
  std::vector<size_t> dependents;  // named formulas that read this symbol directly
  Value value;
  SymbolGetter getter;  // computed symbols (host signals)
  std::string name;
  Type type;
  // An object's members (Engine::set_members), sorted by name.
  std::vector<std::pair<std::string, size_t>> members;
  const size_t* member(std::string_view name) const;
};

inline Symbol make_symbol(std::string name, Type type, Value initial, SymbolFlags flags) {
  Symbol s;
  s.name = std::move(name);
  s.type = std::move(type);
  s.value = std::move(initial);
  s.flags = flags;
  return s;
}

// A user-defined function `Name(p: Type, ...): Type = body;`. The engine owns
// every definition it ever had (compiled calls point at them), so that a
// redefinition leaves formulas compiled before it working.
struct UserFunction {
  std::string name;
  std::vector<std::pair<std::string, Type>> params;
  std::vector<std::string> type_names;  // as written: the parameters', then the return type's
  Type scope;                           // the record of the parameters: the body's outermost scope
  Type returns;                         // Void: a behavior function without a value
  bool behavior = false;
  std::shared_ptr<const ir::Node> body;  // null until bound, or when it does not check
  std::vector<size_t> reads;             // symbols read, also through the functions it calls
  std::vector<const UserFunction*> calls;
  std::string source;             // the body (inside the braces of a behavior body), to rebind it
  std::string signature() const;  // "Add(a: Number, b: Number): Number"
};

// Resolves the definitions of a block being defined (Engine::define) when a
// formula first refers to them, so that definitions may come in any order.
class DefinitionResolver {
 public:
  enum class Status { NotPending, Resolved, Failed };
  virtual ~DefinitionResolver() = default;
  // A named formula of the block: binds and declares it (Resolved), or it
  // does not check (Failed: its diagnostics are reported already).
  virtual Status resolve_formula(const std::string& name) = 0;
  // A named type of the block, or of the engine.
  virtual std::optional<Type> resolve_type(const std::string& name) = 0;
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
  // Set by Engine::cancel() (any thread, or a signal handler: a lock-free store);
  // read by the evaluator where it checks the time limit; cleared when the
  // outermost evaluation ends.
  std::atomic<bool> cancel_requested{false};
  int running_evaluations = 0;  // CompiledFormula::eval calls on the stack
  std::unordered_map<std::string, HostHandler> host_handlers;
  // Definitions (definitions.cpp).
  std::unordered_map<std::string, const UserFunction*> user_functions;
  std::vector<std::unique_ptr<UserFunction>> user_function_store;
  std::unordered_map<std::string, Type> user_types;
  DefinitionResolver* resolver = nullptr;  // while a block is defined
  // Engine::set_change_listener (either form), told of every change symbol_changed sees.
  std::function<void(SymbolId)> change_listener;

  // A symbol's value changed: the named formulas that read it, transitively,
  // are stale; the embedder's listener hears of it.
  void symbol_changed(size_t slot);
  // Named formulas reading `slot`, transitively, in an order where each comes
  // after the formulas it reads.
  std::vector<size_t> formulas_reading(size_t slot) const;
  // Rebuilds every symbol's `dependents` from the formulas' reads.
  void rebuild_dependents();
  const UserFunction* find_user_function(std::string_view name) const {
    auto it = user_functions.find(std::string(name));
    return it == user_functions.end() ? nullptr : it->second;
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
  std::vector<const UserFunction*> calls;  // user-defined functions it calls
  // It reads a definition of the block being defined that does not check (no
  // diagnostic of its own: that definition's explain it).
  bool reads_failed_definition = false;
};

// What a user-defined function's body binds against.
struct FunctionBodyScope {
  const UserFunction* function;
};

namespace ast {
struct Node;
}
BindResult bind(Engine::Impl& engine, const ast::Node& root, const CheckOptions& options,
                const FunctionBodyScope* body_of = nullptr);

// Thrown by the evaluator when an evaluation runs past the engine's time limit,
// or when Engine::cancel() was called; CompiledFormula::eval turns them into
// ErrorKind.Timeout values. (The memory budget's is memory::EvaluationOutOfMemory.)
// Not std::exceptions, so that no builtin's catch can swallow them.
struct EvaluationTimeout {};
struct EvaluationCancelled {};

// Runs a bound formula; `row` is the record of a formula checked with a row scope.
Value evaluate(Engine::Impl& engine, const ir::Node& root, bool behavior,
               const Value* row = nullptr);
// A named formula's value: the cached one, or evaluated now.
Value read_formula(Engine::Impl& engine, size_t slot);

}  // namespace canvasfx
