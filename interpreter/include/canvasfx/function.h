// Builtin functions as declarative rows.
//
// Every overload of every function (stdlib's and the host's) is one
// FunctionDef row: its name, its parameters, the type it returns and the C++
// function that implements it. The binder reads the row to check and coerce
// the arguments; the evaluator reads it to decide which arguments to evaluate
// eagerly and applies the blank/error policy once, before every call, so that
// implementations stay a few lines long.
//
// Parameter strings, one letter per parameter:
//   n Number   s Text   b Boolean   d Date   D DateTime   t Time   c Color
//   g GUID     r Record T Table     u Untyped  a any scalar/aggregate value
//   e an enum member (any enum)     i column name ("Name", or Name with the
//   SupportColumnNamesAsIdentifiers feature)  v a variable/collection reference
//   y a type argument (Number, Type({a: Text})): arrives as a Blank whose arg_type is that type
// Prefixes: ~ lazy (evaluated on demand: If, Switch, And, Coalesce ...)
//           @ lambda: evaluated per row of argument 0 (Filter, ForAll, Sum(t, e))
// Suffixes: ? optional   + the remaining arguments repeat the last parameter,
//           or the group that `|` opens ("a|~a~a+": Switch's match/result pairs);
//           "?+" zero or more.
// e.g. Filter = "T@b+", Left = "sn", Concatenate = "s+", Table = "r?+".
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/diagnostic.h"
#include "canvasfx/types.h"
#include "canvasfx/value.h"

namespace canvasfx {

struct Features;
class CallContext;
class CheckContext;

enum class BlankPolicy : uint8_t {
  ToDefault,  // Blank arguments arrive as 0, "", false, ... of their parameter type
  Keep,       // the implementation sees Blank
};

enum class ErrorPolicy : uint8_t {
  Propagate,  // an Error argument is the result (the first one, left to right)
  Keep,       // the implementation sees Error values (IsError, IfError ...)
};

using InvokeFn = Value (*)(CallContext& ctx);
// Custom type rule: checks what the parameter string cannot express, reports
// diagnostics through ctx and returns the result type.
using CheckFn = Type (*)(CheckContext& ctx);
// Picks an overload by the type of its first argument (Sum(1,2) vs Sum(t, e)).
using MatchFn = bool (*)(const Type& first_arg);
// The row type `@` parameters see, when it is not argument 0's row (IfError's
// FirstError/AllErrors).
using ScopeFn = Type (*)(const Type& first_arg);
// The row type built from several arguments (Join's LeftRecord and RightRecord,
// Summarize's group columns). The binder binds every argument that is not a
// lambda first and passes them all (lambdas with an Unknown type); an `As` on a
// table argument then names that table's rows for this function to interpret
// (the binder does not scope the row under the name).
struct ScopeArg {
  Type type;
  const Value* constant = nullptr;  // when the argument is a constant
  std::string_view as_name;         // "" without `As`
  bool lambda = false;
};
using ScopeArgsFn = Type (*)(std::span<const ScopeArg> args);

struct FunctionDef {
  std::string_view name;
  std::string_view params;   // see the header comment
  std::string_view returns;  // one parameter letter, or "" when `check` decides
  InvokeFn invoke = nullptr;
  CheckFn check = nullptr;  // runs after the generic checks of `params`
  MatchFn match = nullptr;
  ScopeFn scope = nullptr;
  ScopeArgsFn scope_args = nullptr;  // instead of `scope`
  BlankPolicy blanks = BlankPolicy::ToDefault;
  ErrorPolicy errors = ErrorPolicy::Propagate;
  bool behavior = false;         // only in behavior formulas (Set, Collect, Notify ...)
  bool table_overload = false;   // F(table) maps F over a one-column table's rows
  bool volatile_result = false;  // Rand, Now: never constant-folded
  // Arguments after the first may be `expr As name` (Summarize, Join): such an
  // argument is a lambda over argument 0's rows whatever its letter, and the
  // check reads its name with CheckContext::arg_name.
  bool named_args = false;
  // Its `a` arguments may be Void, a value nobody can use (If's results, IsError's
  // test, ForAll's formula): the function passes it on or ignores it. In formulas
  // that are not behavior, the binder still reports such an argument. Any other
  // function rejects a Void argument ("Invalid argument type.").
  bool void_args = false;
  std::string_view page;  // reference page in power-fx-docs, for Help()
};

// What a custom check sees: the call's arguments, already bound.
class CheckContext {
 public:
  virtual ~CheckContext() = default;
  virtual size_t arg_count() const = 0;
  virtual const Type& arg_type(size_t i) const = 0;
  virtual Span arg_span(size_t i) const = 0;
  virtual Span call_span() const = 0;  // the whole call
  virtual Span name_span() const = 0;  // the function name
  virtual std::string_view function_name() const = 0;
  // The argument's value if it is a constant (a literal, or folded from literals).
  virtual const Value* arg_constant(size_t i) const = 0;
  // Its value if it can be computed while checking: a constant, or calls of pure
  // functions and concatenations over constants ("a" & Char(10)).
  virtual const Value* arg_folded(size_t i) const = 0;
  // Whether the argument is written as a literal ("abc", $"a{b}", 12, true): Power Fx
  // validates some arguments (Text's format) only then.
  virtual bool arg_is_literal(size_t i) const = 0;
  // Coerce argument i to `to`; reports the Power Fx message and returns false
  // when that coercion does not exist.
  virtual bool coerce(size_t i, const Type& to) = 0;
  virtual void error(Span span, std::string message) = 0;
  // A warning on an argument that still makes the call invalid (Power Fx
  // reports "A column named 'x' already exists." as a warning).
  virtual void warning(Span span, std::string message) = 0;
  // `expr As name` arguments: the name ("" when the argument has none) and the
  // span of the `As` keyword.
  virtual std::string_view arg_name(size_t i) const = 0;
  virtual Span arg_name_span(size_t i) const = 0;
  virtual const Features& features() const = 0;
  // Data a check computes once for the implementation (column names ...).
  virtual void set_payload(std::shared_ptr<const void> payload) = 0;
  // When argument i (a lambda) is a name of its row or a field of one (`Price`,
  // `LeftRecord.a`): those names, outermost first, and the last one's span.
  struct ScopePath {
    std::vector<std::string> names;
    Span span;
  };
  virtual ScopePath arg_scope_path(size_t i) const = 0;
  // Argument i's row scope type (for `@` parameters), if any.
  virtual Type scope_type(size_t i) const = 0;
  // Behavior context (OnSelect, the REPL, expression chaining): results that
  // nobody can use may have mismatched types (If's result becomes Void).
  virtual bool behavior() const = 0;
};

// What an implementation sees at run time.
class CallContext {
 public:
  virtual ~CallContext() = default;
  virtual size_t arg_count() const = 0;
  // An eager argument, already evaluated and coerced to its parameter type.
  virtual const Value& arg(size_t i) const = 0;
  // A lazy argument, evaluated now.
  virtual Value eval(size_t i) = 0;
  // A lambda argument, evaluated with `row` (a record) as ThisRecord.
  virtual Value eval_in_row(size_t i, const Value& row) = 0;
  virtual const Type& arg_type(size_t i) const = 0;
  virtual const Type& return_type() const = 0;
  virtual Span span() const = 0;
  virtual Span arg_span(size_t i) const = 0;
  virtual const void* payload() const = 0;
  virtual const Features& features() const = 0;
  // Writes a `v` argument (Set's variable, Collect's collection).
  virtual Value assign(size_t i, Value value) = 0;
  // Engine services that make results reproducible in tests.
  virtual double random() = 0;                          // [0, 1)
  virtual int64_t now_utc_ms() = 0;                     // wall clock, UTC
  virtual int utc_offset_minutes(int64_t wall_ms) = 0;  // of the engine's time zone
  virtual const std::string& time_zone() const = 0;     // IANA id
  virtual bool behavior() const = 0;
  // Behavior functions reach the host through named handlers (ShowHostInfo, Notify).
  virtual Value call_host(std::string_view handler, std::span<const Value> args) = 0;

  // Error helpers: a value of that kind at the call's span.
  Value error(ErrorKind kind, std::string message = {}) const;
};

using FunctionTable = std::span<const FunctionDef>;

}  // namespace canvasfx
