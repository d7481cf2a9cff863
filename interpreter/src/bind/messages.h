// Diagnostic texts: the Power Fx en-US messages (PowerFxResources.en-US.resx)
// that the binder reports, in one place.
#pragma once

#include <string>

#include "canvasfx/types.h"

namespace canvasfx::msg {

inline constexpr const char* kAsNotAllowed = "The 'As' operator is not valid in this context.";
inline constexpr const char* kChainingNotAllowed =
    "Expression chaining is not allowed in this context.";
inline constexpr const char* kSelfParentNotSupported =
    "Name isn't valid. This identifier isn't recognized.";
inline constexpr const char* kBehaviorOnly =
    "Behavior function in a non-behavior property. You can't use this property to change values "
    "elsewhere in the app.";
inline constexpr const char* kBehaviorInDataFunction =
    "Behavior function in a non-behavior user-defined function (UDF). Please wrap the "
    "user-defined function body with curly braces ({...}) to declare a behavior UDF.";
inline constexpr const char* kTableIncompatibleType =
    "Incompatible type. The item you are trying to put into a table has a type that is not "
    "compatible with the table.";
inline constexpr const char* kExpectingOrderable =
    "Invalid argument type. Expecting one of the following: Number, Decimal, Date, Time, "
    "DateTime, Dynamic.";
inline constexpr const char* kInterpolationPartNotText =
    "Expressions which appear inside an interpolated string must evaluate to a Text value or to a "
    "compatible type.";
inline constexpr const char* kRecordNotAllowed =
    "Invalid argument type. Cannot use Record values in this context.";
inline constexpr const char* kExpectingLogical =
    "Invalid argument type. Expecting one of the following: Boolean, Number, Decimal, Text, "
    "Dynamic.";
inline constexpr const char* kExpectingArithmetic =
    "Invalid argument type. Expecting one of the following: Decimal, Number, Text, Boolean, Date, "
    "Time, DateTimeNoTimeZone, DateTime, Dynamic.";
inline constexpr const char* kExpectingPowerOperand =
    "Invalid argument type. Expecting one of the following: Number, Decimal, Text, Boolean, "
    "Dynamic.";
inline constexpr const char* kExpectedIdentifier = "Expected identifier name";
inline constexpr const char* kBadType = "Invalid argument type.";
inline constexpr const char* kDeprecated = "This feature is deprecated and is no longer supported.";
inline constexpr const char* kExpectingOneColumnTable =
    "Invalid schema, expected a one-column table.";
inline constexpr const char* kNumberTooLarge = "Numeric value is too large.";
inline constexpr const char* kVoidInRecord = "Invalid argument type. Expecting a value.";
inline constexpr const char* kIfTypeMismatch =
    "Argument type mismatch. The types of all result arguments must agree with or be coercible "
    "to the first result argument.";

// A type as the messages name it: "Number", "Text", "Enum (StartOfWeek)" ...
std::string type_name(const Type& t);

std::string invalid_name(const std::string& name);
std::string unknown_function(const std::string& name);
std::string invalid_args(const std::string& function);
std::string bad_arity(size_t received, size_t min, size_t max);
std::string bad_type(const Type& expected, const Type& provided);
// A one-column table whose column is not of the expected type (Abs(table) ...).
std::string column_type(const Type& expected, const std::string& column);
std::string bad_operator_types(const Type& left, const Type& right);
std::string bad_operator_types_unary(const Type& operand);
std::string incompatible_comparison(const Type& left, const Type& right);
std::string invalid_dot(const Type& t);
std::string cannot_change(const std::string& function);  // a `v` argument that is not a place
std::string duplicate_field(const std::string& name);
std::string expected_text_literal(const std::string& source);

}  // namespace canvasfx::msg
