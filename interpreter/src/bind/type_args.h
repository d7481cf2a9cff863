// Type arguments: the `y` parameter letter (AsType, IsType, ParseJSON's second
// argument). Such an argument is not an expression but a type written as a
// type name (Number, Text, Dynamic ...) or an inline type expression
// Type({a: Number, b: [Text]}). The binder translates it here, never binds it
// as an expression, and hands the function a constant Blank whose static type
// is the designated type (CheckContext::arg_type / CallContext::arg_type).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "canvasfx/diagnostic.h"
#include "canvasfx/types.h"
#include "parse/ast.h"

namespace canvasfx {

using ReportFn = std::function<void(Span, std::string)>;
// User-defined types (`Book := Type({...})`) by name; nullopt when none has it.
using TypeResolver = std::function<std::optional<Type>(const std::string&)>;

// The type `arg` designates; reports Power Fx's diagnostics and returns
// Type::unknown() when it designates none. `call_span` is the whole call.
Type bind_type_argument(const ast::Node& arg, Span call_span, const ReportFn& report,
                        const TypeResolver& user_types = {});

// A builtin type name (Number, Text, Dynamic ...) or a user-defined type.
std::optional<Type> type_by_name(const std::string& name, const TypeResolver& user_types);
// Whether `name` is a builtin type name (no user-defined type may take it).
bool is_builtin_type_name(std::string_view name);

// The body of `Name := Type(...)`: the type it declares, or nullopt after a
// diagnostic. `RecordOf(TableType)` is allowed inside.
std::optional<Type> declared_type(const ast::Node& body, const std::string& name,
                                  const ReportFn& report, const TypeResolver& user_types);

}  // namespace canvasfx
