#include "bind/messages.h"

#include <cstdint>

#include "canvasfx/value.h"

namespace canvasfx::msg {

std::string type_name(const Type& t) {
  if (t.is(TypeKind::Enum) && t.enum_info()) return "Enum (" + t.enum_info()->name + ")";
  if (t.is(TypeKind::Number)) return "Number";
  return t.name();
}

std::string invalid_name(const std::string& name) {
  return "Name isn't valid. '" + name + "' isn't recognized.";
}
std::string unknown_function(const std::string& name) {
  return "'" + name + "' is an unknown or unsupported function.";
}
std::string invalid_args(const std::string& function) {
  return "The function '" + function + "' has some invalid arguments.";
}
std::string bad_arity(size_t received, size_t min, size_t max) {
  std::string r =
      "Invalid number of arguments: received " + std::to_string(received) + ", expected ";
  if (max == SIZE_MAX) return r + std::to_string(min) + " or more.";
  if (min == max) return r + std::to_string(min) + ".";
  return r + std::to_string(min) + "-" + std::to_string(max) + ".";
}
std::string bad_type(const Type& expected, const Type& provided) {
  return "Invalid argument type (" + type_name(provided) + "). Expecting a " + type_name(expected) +
         " value instead.";
}
std::string column_type(const Type& expected, const std::string& column) {
  return "Invalid schema, expected a column of " + type_name(expected) + " values for '" + column +
         "'.";
}
std::string bad_operator_types(const Type& left, const Type& right) {
  return "This operation isn't valid on these types: " + type_name(left) + ", " + type_name(right) +
         ".";
}
std::string bad_operator_types_unary(const Type& operand) {
  return "This operation isn't valid on this type: " + type_name(operand) + ".";
}
std::string incompatible_comparison(const Type& left, const Type& right) {
  return "Incompatible types for comparison. These types can't be compared: " + type_name(left) +
         ", " + type_name(right) + ".";
}
std::string invalid_dot(const Type& t) {
  return "The '.' operator cannot be used on " + type_name(t) + " values.";
}
std::string cannot_change(const std::string& function) {
  return "The value passed to the '" + function + "' function cannot be changed.";
}
std::string duplicate_field(const std::string& name) {
  return "A record field named '" + name + "' is already defined.";
}
std::string expected_text_literal(const std::string& source) {
  return "Argument '" + source + "' is invalid, expected a text literal.";
}

}  // namespace canvasfx::msg
