// Text(date/time, format, language): Excel-style date/time format strings and
// the DateTimeFormat enum's predefined formats. Text() (text_format.cpp) owns
// the function and hands date/time formats here.
#pragma once

#include <optional>
#include <string_view>

#include "canvasfx/function.h"
#include "canvasfx/value.h"

namespace canvasfx::stdlib {

// `v` (a Date, DateTime, Time, a serial day Number, or Blank = 1899-12-30)
// rendered with a format such as "dddd, mmmm d, yyyy hh:mm:ss AM/PM": y m d h s
// placeholders in any case (m is minutes after h or before s), AM/PM, A/P,
// .000 fractions, "quoted" and \escaped literals, every other character
// literal. Names come from the language ("" is en-US). InvalidArgument for an
// unsupported placeholder (mmmmm, a/p, Am/Pm).
Value format_datetime_text(CallContext& ctx, const Value& v, std::string_view format,
                           std::string_view language);

// A DateTimeFormat member's value ("'shortdate'", "'longdatetime24'", "utc"):
// the language's predefined format; "utc" is ISO 8601 in UTC
// ("2023-03-25T02:12:34.567Z"). nullopt when `name` is not a member's value.
// Power Fx V1 applies these only when the argument IS the enum member: a text
// "'shortdate'" is an ordinary format.
std::optional<Value> format_datetime_predefined(CallContext& ctx, const Value& v,
                                                std::string_view name, std::string_view language);

}  // namespace canvasfx::stdlib
