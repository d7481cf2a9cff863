// Conversions between value kinds, as Power Fx performs them implicitly
// (operators, arguments) and explicitly (Value, Text, Boolean ...).
//
// Blank and Error values pass through unchanged: what a Blank means for a
// given function is that function's blank policy, not the coercion's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "canvasfx/types.h"
#include "canvasfx/value.h"

namespace canvasfx {

// Statically: may a value of type `from` be used where `to` is expected?
bool can_coerce(const Type& from, const Type& to);

// en-US number text: "12", "-1.5e3", "1,234.5", " 12 ", "50%". nullopt when not a number.
std::optional<double> parse_number(std::string_view text);
// Number to text as `&` and Concatenate do it.
std::string number_to_text(double n);
// ISO-like date/time text ("2021-01-31", "2021-01-31T10:00:00Z", "10:30").
std::optional<Value> parse_datetime_text(std::string_view text, TypeKind target);

Value to_number(const Value& v, Span span = {});
Value to_text(const Value& v, Span span = {});
Value to_boolean(const Value& v, Span span = {});
// To Date, DateTime, Time, Color, Guid, Number, Text, Boolean.
Value coerce_to(const Value& v, TypeKind to, Span span = {});

// The value a Blank argument takes for a parameter of this kind (0, "", false), or Blank.
Value default_for(TypeKind kind);

}  // namespace canvasfx
