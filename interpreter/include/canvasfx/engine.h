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
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "canvasfx/diagnostic.h"
#include "canvasfx/function.h"
#include "canvasfx/types.h"
#include "canvasfx/value.h"
#include "canvasfx/version.h"  // CANVASFX_VERSION for embedders

namespace canvasfx {

// Engine features. The defaults are the Power Fx V1 set that canvas apps run
// with (what the REPL, `eval` and embedders get); conformance() is the reference
// configuration the conformance suite is judged with (CONFORMANCE.md), whose
// files switch the optional features on one by one.
struct Features {
  bool power_fx_v1 = true;                       // PowerFxV1CompatibilityRules
  bool table_syntax_doesnt_wrap_records = true;  // [{a:1}] is a table of records
  bool consistent_one_column_table_result = true;
  bool number_is_float = true;
  bool strongly_typed_builtin_enums = true;
  bool support_column_names_as_identifiers = true;  // ShowColumns(t, Name)
  bool restricted_is_empty_arguments = true;
  bool first_last_n_requires_second_arguments = true;
  bool disable_row_scope_disambiguation_syntax = true;  // no `T[@Column]` in a row scope
  bool text_first = false;
  bool disable_reserved_keywords = false;
  bool enable_expression_chaining = false;  // `a; b` in any formula
  // Canvas apps accept an enum member without its enum (`Fill: =Black`,
  // `Sort(t, c, Ascending)`) when the name means one value: a member of one
  // enum, or of several that agree on its value. Looked up after every other name.
  bool unqualified_enum_members = false;

  // The canvas V1 set (the defaults above).
  static Features canvas() { return {}; }
  // TableSyntaxDoesntWrapRecords, ConsistentOneColumnTableResult,
  // PowerFxV1CompatibilityRules and NumberIsFloat only.
  static Features conformance() {
    Features f;
    f.strongly_typed_builtin_enums = false;
    f.support_column_names_as_identifiers = false;
    f.restricted_is_empty_arguments = false;
    f.first_last_n_requires_second_arguments = false;
    f.disable_row_scope_disambiguation_syntax = false;
    return f;
  }
};

class Engine;
class CompiledFormulaImpl;
class ParsedFormulaImpl;
using SymbolId = size_t;

// Names an embedder defines per formula rather than engine-wide: a canvas
// player's `Self` and `Parent` (asked by those words), the controls local to
// a component, a screen's context variables. The binder asks after lambda
// scopes and before the engine's own symbols; nullopt means "not mine".
class NameScope {
 public:
  virtual ~NameScope() = default;
  virtual std::optional<SymbolId> find(std::string_view name) const = 0;
};

// What the binder saw of one function call, for an embedder that infers the
// types of variables from their uses (a canvas player types a collection from
// every Collect in the app). Arguments that failed to bind have type Unknown.
struct CallObservation {
  std::string function;
  std::vector<Type> arg_types;
  std::vector<std::string> arg_names;  // an argument written as a plain name: that name, else ""
  std::vector<Span> arg_spans;
  Span span;
};
using CallObserver = std::function<void(const CallObservation&)>;

struct CheckOptions {
  // Behavior formulas (OnSelect, the REPL) may call behavior functions and chain with `;`.
  bool behavior = false;
  // REPL: `Set(x, value)` on an unknown name declares x.
  bool allow_set_declarations = false;
  // Per-formula names (see NameScope); not owned, used only during the check.
  const NameScope* names = nullptr;
  // The formula runs inside a record scope, as a lambda body does: a gallery
  // template's ThisItem, a form card's record. ThisItem/ThisRecord and the
  // record's field names resolve to the row passed to CompiledFormula::eval.
  std::optional<Type> row_scope;
  // Called for every function call the binder checks.
  CallObserver on_call;
};

// A formula parsed once, to be checked many times (an embedder that binds an
// app's formulas again as the types of its variables become known).
class ParsedFormula {
 public:
  explicit ParsedFormula(std::shared_ptr<const ParsedFormulaImpl> impl);
  const std::vector<Diagnostic>& diagnostics() const;  // syntax errors
  bool behavior() const;                               // parsed with `;` chaining

 private:
  friend class Engine;
  std::shared_ptr<const ParsedFormulaImpl> impl_;
};

class CompiledFormula {
 public:
  explicit CompiledFormula(std::shared_ptr<const CompiledFormulaImpl> impl);
  // Evaluates against the engine's current symbol values.
  Value eval(Engine& engine) const;
  // Evaluates a formula checked with CheckOptions::row_scope, with `row` as its record.
  Value eval(Engine& engine, const Value& row) const;
  const Type& type() const;
  // Names of the engine symbols the formula reads (for a player's dependency graph).
  const std::vector<std::string>& dependencies() const;
  // The same, as symbol ids; an object member read as `Label1.Text` is that
  // member's symbol, not the object's.
  const std::vector<SymbolId>& dependency_ids() const;

 private:
  Value run(Engine& engine, const Value* row) const;
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

// Definitions: the text of App.Formulas (or a REPL line), a list of
//   Name = expression;                           named formula
//   Name(p: Type, ...): Type = expression;       user-defined function
//   Name(p: Type, ...): Void = { a; b };         behavior function
//   Name := Type({Field: Text, ...});            user-defined type
enum class DefinitionKind : uint8_t { Formula, Function, Type };

struct DefinedName {
  DefinitionKind kind;
  std::string name;
  Span span;  // of the name, in the text given to define()
};

struct DefineOptions {
  // The REPL: the last definition may end without its `;`.
  bool final_semicolon_optional = false;
};

struct DefineResult {
  // Errors and warnings with spans into the text; also a definition whose
  // formula no longer checks after a redefinition of what it reads (a warning).
  std::vector<Diagnostic> diagnostics;
  // What the text (re)defined, in source order. A definition with errors is
  // not defined (a redefinition keeps the previous one); the others are.
  std::vector<DefinedName> defined;
  bool ok() const { return !has_errors(diagnostics); }
};

class ParsedDefinitionsImpl;

// Definitions parsed once, to be defined again as often as needed (an
// embedder that redefines an app's formulas as the types of its variables
// become known).
class ParsedDefinitions {
 public:
  explicit ParsedDefinitions(std::shared_ptr<const ParsedDefinitionsImpl> impl);

 private:
  friend class Engine;
  std::shared_ptr<const ParsedDefinitionsImpl> impl_;
};

struct SymbolFlags {
  bool can_set = true;         // Set(x, ...)
  bool can_mutate = true;      // Collect/Patch/Remove on it or on a part of it
  bool can_set_mutate = true;  // Set(x.field, ...): Set on a part of it
  // Not found by name: reached only as a member of an object (set_members) or
  // through a NameScope. Each declaration makes a new symbol.
  bool hidden = false;
  // A computed symbol whose changes the embedder reports (invalidate): named
  // formulas reading it may keep their value until then, instead of being
  // recomputed on every read as over a host signal.
  bool announces_changes = false;
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
  // The rows (overloads) registered under a name, for help texts; empty when unknown.
  std::vector<const FunctionDef*> function_overloads(std::string_view name) const;
  std::vector<std::string> enum_names() const;  // sorted

  // Symbols (global variables, collections, host objects).
  using SymbolId = canvasfx::SymbolId;
  SymbolId declare(std::string name, Type type, Value initial = {}, SymbolFlags flags = {});
  // Room for `count` more symbols, for an embedder about to declare many (a
  // canvas player: every control property is a symbol).
  void reserve_symbols(size_t count);
  SymbolId declare_computed(std::string name, Type type, SymbolGetter getter,
                            SymbolFlags flags = {
                                .can_set = false, .can_mutate = false, .can_set_mutate = false});
  // Declares with the value's type when unknown; otherwise replaces the value.
  SymbolId set_value(std::string_view name, Value value);
  void set_value(SymbolId id, Value value);
  std::optional<SymbolId> find_symbol(std::string_view name) const;
  Value value(std::string_view name) const;
  Value value(SymbolId id) const;
  // A named formula's value (value(id) without a copy), computed now when
  // what it reads changed; null when `id` is no named formula. What a player
  // recomputing its graph reads for each formula; valid until the formula is
  // computed again.
  const Value* formula_value(SymbolId id);
  const Type& symbol_type(SymbolId id) const;
  // Changes a symbol's type (an embedder refining an inferred type); formulas
  // checked before keep the type they saw.
  void set_type(SymbolId id, Type type);
  std::string_view symbol_name(SymbolId id) const;
  size_t symbol_count() const;
  // Makes `object` an object whose members are symbols of their own (a
  // canvas control and its properties): `object.member` binds to the member's
  // symbol, so a formula depends on exactly the members it reads. The object
  // symbol's own value is what a bare `object` means.
  void set_members(SymbolId object, std::vector<std::pair<std::string, SymbolId>> members);

  // --- Definitions (named formulas, user-defined functions and types) -------
  //
  // A named formula is a read-only symbol: formulas read it by name (and
  // CompiledFormula::dependencies() lists it), Set cannot change it. Its value
  // is computed when first read and cached; when a symbol it reads changes
  // (set_value, Set/Collect/Patch/Remove, invalidate), it and the formulas
  // reading it are recomputed on their next read. A formula that reads a
  // computed symbol (declare_computed) is recomputed on every read.
  // Definitions may refer to each other in any order; a cycle
  // (`a = b; b = a;`) is an error naming it: "Circular reference: a → b → a."
  // Redefining a name replaces it.
  DefineResult define(std::string_view definitions, const DefineOptions& options = {});
  // define() in two steps: parse once, then define as often as needed.
  ParsedDefinitions parse_definitions(std::string_view definitions,
                                      const DefineOptions& options = {});
  DefineResult define(const ParsedDefinitions& parsed);
  // Whether the text starts like a definition (`Name =`, `Name :=`,
  // `Name(p: T): T =`) rather than an expression: the REPL's test.
  static bool is_definition(std::string_view text);

  bool is_formula(std::string_view name) const;
  // In the order they were declared: a formula after the formulas it reads.
  std::vector<std::string> formula_names() const;
  // The value (evaluated now if stale); an Error value when no formula has the name.
  Value formula_value(std::string_view name);
  // The symbols a named formula reads: variables, data sources, host objects,
  // other named formulas; also those that the functions it calls read.
  std::vector<std::string> formula_dependencies(std::string_view name) const;
  // The named formulas that a change of `symbol` makes stale, transitively, in
  // an order where each comes after every formula of the list it reads (the
  // order to recalculate them in).
  std::vector<std::string> invalidated_by(std::string_view symbol) const;
  // Tells the engine that a symbol changed behind its back (a computed
  // symbol's source, a data source written by another process): the named
  // formulas reading it are recomputed on their next read.
  void invalidate(std::string_view symbol);
  void invalidate(SymbolId id);
  // Called with the name of every symbol whose value changes (set_value, the
  // behavior functions, invalidate), after the formulas reading it are marked stale.
  // The engine has one listener: setting one replaces the other form.
  void set_change_listener(std::function<void(std::string_view symbol)> listener);
  // The same, by id: for an embedder that tracks hidden symbols, which have no
  // usable name (a canvas player's control properties).
  void set_change_listener(std::function<void(SymbolId symbol)> listener);

  bool is_user_function(std::string_view name) const;
  // "Add(a: Number, b: Number): Number", or "" when no such function.
  std::string user_function_signature(std::string_view name) const;
  // A user-defined type (`Name := Type(...)`), if one has the name.
  std::optional<Type> user_type(std::string_view name) const;

  CheckResult check(std::string_view formula, const CheckOptions& options = {});
  // check() in two steps: parse once (the `behavior` option decides whether
  // `;` chains), then bind as often as needed.
  ParsedFormula parse(std::string_view formula, const CheckOptions& options = {});
  CheckResult check(const ParsedFormula& parsed, const CheckOptions& options = {});
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
  // Cancellation: the evaluation running on this engine stops soon after (it
  // checks where it checks the time limit) and returns an ErrorKind.Timeout
  // error saying it was cancelled; the engine stays usable. Safe to call from
  // another thread or from a signal handler (a lock-free atomic store). The
  // request stands until an evaluation ends, so a call made while a formula is
  // being checked, or just before it runs, stops it too: call it while an
  // evaluation runs or is about to (a call made when the engine is idle stops
  // the next evaluation).
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
// The canonical form with what people need to read besides: an error shows its
// message, Error({Kind:ErrorKind.Div0,Message:"Invalid operation: division by zero."}).
// (The conformance runner compares the canonical form, which has no message.)
struct PrintOptions {
  bool error_messages = false;
};
std::string print_value(const Value& v, const PrintOptions& options);
// The first max_bytes bytes of print_value(v, options), without printing the
// rest: a table can hold one large table in each of its rows and print as gigabytes.
struct BoundedPrint {
  std::string text;
  bool complete = true;  // text is all of print_value(v, options)
};
BoundedPrint print_value_bounded(const Value& v, size_t max_bytes,
                                 const PrintOptions& options = {});
std::string print_number(double n);

}  // namespace canvasfx
