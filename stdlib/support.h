// Helpers shared by the families' type checks and implementations.
#pragma once

#include <string>

#include "canvasfx/coerce.h"
#include "canvasfx/function.h"

namespace canvasfx::stdlib {

// How unify_results reports a result that fits no common type.
enum class Mismatch : uint8_t {
  AtCall,      // "Argument type mismatch ..." at the whole call (If, Switch, IfError)
  AtArgument,  // "Invalid argument type (X). Expecting a Y value instead." (Coalesce)
};

// For If/Switch/Coalesce-like functions: the type of the first result argument
// that is not Blank; every other scalar result is coerced to it, and records or
// tables merge into the union of their fields. In behavior formulas a mismatch
// makes the result Void instead of an error (nobody can use the value).
// `results` lists the argument indexes that are results.
Type unify_results(CheckContext& ctx, const std::vector<size_t>& results,
                   Mismatch report = Mismatch::AtCall);

// A result value shaped as the unified type: missing record fields (and table
// columns) become Blank; a Void type discards the value.
Value conform(const Value& v, const Type& type);

// The record type IfError's fallbacks see: FirstError and AllErrors.
Type error_scope_type();
Type error_record_type();
// The row value for that scope, from an Error value.
Value error_scope_row(const Value& error);

// Appends to a text result under construction. Before the buffer grows it asks
// the evaluation's memory budget for the new size (CallContext::require_memory),
// so a runaway Concat ends at the budget rather than after a huge allocation.
void append_text(const CallContext& ctx, std::string& out, std::string_view piece);

}  // namespace canvasfx::stdlib
