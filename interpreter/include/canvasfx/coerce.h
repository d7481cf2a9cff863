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
// Date/time text as DateTimeValue reads it, in the language's conventions:
// ISO 8601 ("2021-01-31T10:00:00Z"), "1/31/2021 10:00 AM", "31 janvier 2021" (fr-FR),
// "10:30". A missing date is 1899-12-30 (serial day 0), a missing time midnight.
struct ParsedDateTime {
  int64_t wall_ms = 0;  // as written, ms since 1970-01-01
  bool has_date = false;
  bool has_time = false;
  std::optional<int> utc_offset_minutes;  // when the text names its zone ("Z", "-08:00")
};
std::optional<ParsedDateTime> parse_datetime(std::string_view text,
                                             std::string_view language = "en-US");
// parse_datetime's result as a Date, DateTime or Time value (a named zone is ignored).
std::optional<Value> parse_datetime_text(std::string_view text, TypeKind target);

Value to_number(const Value& v, Span span = {});
Value to_text(const Value& v, Span span = {});
Value to_boolean(const Value& v, Span span = {});
// To Date, DateTime, Time, Color, Guid, Number, Text, Boolean.
Value coerce_to(const Value& v, TypeKind to, Span span = {});

// A value shaped as `type`: record fields the type has and the value lacks
// become Blank (recursively), scalars are converted to the field's kind
// ([{a:1}, {a:"2"}] is a table of numbers). Errors and Blank pass through.
Value conform_to_type(const Value& v, const Type& type);

// The union of two record types, as a table of both has: the first type of a
// field wins and later values are converted to it (conform_to_type); nested
// records and tables merge the same way. `compatible` turns false when a
// field's types cannot meet.
Type union_record_type(const Type& into, const Type& from, bool& compatible);

// The value a Blank argument takes for a parameter of this kind (0, "", false), or Blank.
Value default_for(TypeKind kind);

}  // namespace canvasfx
