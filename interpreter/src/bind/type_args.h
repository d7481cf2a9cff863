// Type arguments: the `y` parameter letter (AsType, IsType, ParseJSON's second
// argument). Such an argument is not an expression but a type written as a
// type name (Number, Text, Dynamic ...) or an inline type expression
// Type({a: Number, b: [Text]}). The binder translates it here, never binds it
// as an expression, and hands the function a constant Blank whose static type
// is the designated type (CheckContext::arg_type / CallContext::arg_type).
#pragma once

#include <functional>
#include <string>

#include "canvasfx/diagnostic.h"
#include "canvasfx/types.h"
#include "parse/ast.h"

namespace canvasfx {

using ReportFn = std::function<void(Span, std::string)>;

// The type `arg` designates; reports Power Fx's diagnostics and returns
// Type::unknown() when it designates none. `call_span` is the whole call.
Type bind_type_argument(const ast::Node& arg, Span call_span, const ReportFn& report);

}  // namespace canvasfx
