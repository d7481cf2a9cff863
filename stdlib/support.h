// Helpers shared by the families' type checks and implementations.
#pragma once

#include <string>

#include "canvasfx/coerce.h"
#include "canvasfx/function.h"

namespace canvasfx::stdlib {

// For If/Switch/Coalesce-like functions: the type of the first result argument
// that is not Blank; every other result argument is coerced to it. Reports
// Power Fx's "Argument type mismatch" at the call when one cannot be.
// `results` lists the argument indexes that are results.
Type unify_results(CheckContext& ctx, const std::vector<size_t>& results);

// The record type IfError's fallbacks see: FirstError and AllErrors.
Type error_scope_type();
Type error_record_type();
// The row value for that scope, from an Error value.
Value error_scope_row(const Value& error);

}  // namespace canvasfx::stdlib
