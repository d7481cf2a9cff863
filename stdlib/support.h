// Helpers shared by the families' type checks and implementations.
#pragma once

#include <string>

#include "canvasfx/coerce.h"
#include "canvasfx/function.h"

namespace canvasfx::stdlib {

// How unify_results reports a result that fits no common type.
enum class Mismatch : uint8_t {
  AtCall,      // the result is Void (If, Switch, IfError); the binder reports its use
  AtArgument,  // "Invalid argument type (X). Expecting a Y value instead." (Coalesce)
};

// For If/Switch/Coalesce-like functions: the type of the first result argument
// that is not Blank; every other scalar result is coerced to it, and records or
// tables merge into the union of their fields. A mismatch makes the result
// Void (see Mismatch).
// `results` lists the argument indexes that are results.
Type unify_results(CheckContext& ctx, const std::vector<size_t>& results,
                   Mismatch report = Mismatch::AtCall);

// "The specified column 'x' does not exist.", naming the column of `row` with
// the most similar name when one is close enough to be a typo.
std::string missing_column(const Type& row, const std::string& name);

// A result value shaped as the unified type: missing record fields (and table
// columns) become Blank; a Void type discards the value.
Value conform(const Value& v, const Type& type);

// A `match` for the overloads that take an untyped value (ColorValue(untyped) ...).
bool is_untyped(const Type& t);

// Where Power Fx reports a problem with argument i: at its operator when it
// is an operator expression (the `/` of 1/0, the last `&` of a & b & c),
// otherwise over the whole argument.
Span argument_error_span(CheckContext& ctx, size_t i);

// The record type IfError's fallbacks see: FirstError and AllErrors.
Type error_scope_type();
Type error_record_type();
// The row value for that scope, from an Error value.
Value error_scope_row(const Value& error);

}  // namespace canvasfx::stdlib
