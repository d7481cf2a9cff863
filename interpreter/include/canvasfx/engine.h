// The embedding API: configure an Engine, check a formula once, evaluate the
// compiled formula many times.
//
//   canvasfx::Engine engine;                       // features, builtins
//   canvasfx::stdlib::install(engine);             // the standard library
//   engine.set_value("x", canvasfx::Value::number(4));
//   auto result = engine.check("If(x > 5, x * 2 + 1, x / 3)");
//   if (!result.ok()) { for (auto& d : result.diagnostics) ...; }
//   canvasfx::Value v = result.formula->eval(engine);
//
// An Engine is not thread-safe; use one per thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "canvasfx/diagnostic.h"
#include "canvasfx/function.h"
#include "canvasfx/types.h"
#include "canvasfx/value.h"

namespace canvasfx {

// Engine features. The defaults are the canvas configuration of CONFORMANCE.md;
// the others are switched on per conformance file.
struct Features {
  bool power_fx_v1 = true;                       // PowerFxV1CompatibilityRules
  bool table_syntax_doesnt_wrap_records = true;  // [{a:1}] is a table of records
  bool consistent_one_column_table_result = true;
  bool number_is_float = true;
  bool strongly_typed_builtin_enums = false;
  bool support_column_names_as_identifiers = false;
  bool restricted_is_empty_arguments = false;
  bool first_last_n_requires_second_arguments = false;
  bool text_first = false;
  bool disable_reserved_keywords = false;
  bool enable_expression_chaining = false;  // `a; b` in any formula
};

struct CheckOptions {
  // Behavior formulas (OnSelect, the REPL) may call behavior functions and chain with `;`.
  bool behavior = false;
  // REPL: `Set(x, value)` on an unknown name declares x.
  bool allow_set_declarations = false;
};

class Engine;
class CompiledFormulaImpl;

class CompiledFormula {
 public:
  explicit CompiledFormula(std::shared_ptr<const CompiledFormulaImpl> impl);
  // Evaluates against the engine's current symbol values.
  Value eval(Engine& engine) const;
  const Type& type() const;
  // Names of the engine symbols the formula reads (for a player's dependency graph).
  const std::vector<std::string>& dependencies() const;

 private:
  std::shared_ptr<const CompiledFormulaImpl> impl_;
};

struct CheckResult {
  std::vector<Diagnostic> diagnostics;       // errors and warnings, in source order
  std::shared_ptr<CompiledFormula> formula;  // null when there are errors
  Type type;
  bool ok() const { return formula != nullptr; }
  // When the REPL's Set declared a variable: its name.
  std::string declared;
  // When the formula (or the last formula of a `;` chain) is Set(x, ...): x.
  std::string assigned;
};

// A symbol's value computed on demand (host signals read from the store).
using SymbolGetter = std::function<Value()>;

struct SymbolFlags {
  bool can_set = true;     // Set(x, ...)
  bool can_mutate = true;  // Collect/Patch/Remove on it
};

class Engine {
 public:
  explicit Engine(Features features = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Features& features();
  const Features& features() const;

  // Builtins. Rows must outlive the engine (static tables).
  void add_functions(FunctionTable rows);
  void add_enum(std::shared_ptr<const EnumInfo> info);
  const EnumInfo* find_enum(std::string_view name) const;
  bool has_function(std::string_view name) const;
  std::vector<std::string> function_names() const;

  // Symbols (global variables, collections, host objects).
  using SymbolId = size_t;
  SymbolId declare(std::string name, Type type, Value initial = {}, SymbolFlags flags = {});
  SymbolId declare_computed(std::string name, Type type, SymbolGetter getter);
  // Declares with the value's type when unknown; otherwise replaces the value.
  SymbolId set_value(std::string_view name, Value value);
  void set_value(SymbolId id, Value value);
  std::optional<SymbolId> find_symbol(std::string_view name) const;
  Value value(std::string_view name) const;
  Value value(SymbolId id) const;
  const Type& symbol_type(SymbolId id) const;
  std::string_view symbol_name(SymbolId id) const;
  size_t symbol_count() const;

  CheckResult check(std::string_view formula, const CheckOptions& options = {});
  // check + eval; diagnostics come back as an Error value when checking fails.
  Value eval(std::string_view formula, const CheckOptions& options = {});

  // Services, replaceable for reproducible tests.
  void set_time_zone(std::string iana_or_windows_id);  // default: the machine's
  const std::string& time_zone() const;
  void set_clock(std::function<int64_t()> utc_ms);
  void set_random(std::function<double()> random);
  // An evaluation that runs longer than this returns an ErrorKind.Timeout error
  // instead of going on (a REPL or player must not hang on ForAll(Sequence(50000), ...)
  // nested twice). 0, the default, means no limit.
  void set_time_limit(std::chrono::milliseconds limit);
  // The memory the values of one evaluation may hold at once (beyond what
  // existed when it began). Past it the evaluation ends with an
  // ErrorKind.InsufficientMemory error whose message names the budget, and the
  // memory is given back. 0, the default, means no limit.
  void set_memory_limit(size_t bytes);
  // The longest formula check() accepts, and the longest text literal in it, in
  // UTF-16 code units as Power Fx counts characters (README "Limits"); a
  // longer one is a check error (ErrTextTooLarge for the formula). The
  // defaults are kDefaultMaxFormulaLength and kDefaultMaxLiteralLength; 0 means
  // no limit.
  static constexpr size_t kDefaultMaxFormulaLength = 1'000'000;
  static constexpr size_t kDefaultMaxLiteralLength = 256 * 1024;
  void set_formula_limits(size_t max_formula_length, size_t max_literal_length);
  // Ends the evaluation running on this engine, from another thread or a
  // signal handler (Ctrl-C in a REPL, a player leaving a screen): it returns
  // an ErrorKind.Timeout error with the message "The evaluation was
  // cancelled." soon after (the check sits where the time limit's does).
  // Thread-safe and async-signal-safe. A cancel() when nothing runs is
  // forgotten when the next evaluation starts.
  void cancel();
  // Behavior functions reach the host through named handlers.
  using HostHandler = std::function<Value(std::span<const Value>)>;
  void set_host_handler(std::string name, HostHandler handler);

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// Canonical printing (CONFORMANCE.md), shared by REPL, runner and tests.
std::string print_value(const Value& v);
// The first max_bytes bytes of print_value(v), without printing the rest: a
// table can hold one large table in each of its rows and print as gigabytes.
struct BoundedPrint {
  std::string text;
  bool complete = true;  // text is all of print_value(v)
};
BoundedPrint print_value_bounded(const Value& v, size_t max_bytes);
std::string print_number(double n);

}  // namespace canvasfx
