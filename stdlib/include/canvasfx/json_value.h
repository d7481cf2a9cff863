// Values as JSON and back, for tools and other languages (`canvasfx eval
// --format json`, the C API's cfx_eval_to_json / cfx_set_json).
//
// Power Fx's own JSON() function is not this: it must print exactly what the
// reference prints (numbers as ParseJSON read them, its escapes and indents),
// so it has its own writer in json.cpp. This one is nlohmann_json's, with the
// mapping a program reading the output expects:
//
//   Blank → null          Boolean, Number → JSON (a non-finite number → null)
//   Text, GUID → string   Date → "2024-05-01"   Time → "08:30:00.000"
//   DateTime → ISO 8601 in UTC, "2024-05-01T15:30:00.000Z" (the value is a wall
//              time of `time_zone`, the engine's zone)
//   Color → "#rrggbbaa"   enum member → its name ("Connected")
//   record → object       table → array (a row that is an error: {"error": …})
//   Untyped → the JSON it holds
//   error → {"error": {"kind": "Div0", "message": "…"}}; several errors:
//           {"errors": [{"kind": …, "message": …}, …]}
#pragma once

#include <string>
#include <string_view>

#include "canvasfx/value.h"

namespace canvasfx {

// indent < 0: one line; otherwise pretty-printed with that many spaces.
std::string value_to_json(const Value& value, const std::string& time_zone, int indent = -1);

// JSON text → Value, to declare variables from JSON: null → Blank, true/false,
// numbers, strings (Text, even when they look like dates), object → record,
// array → table: an array of objects is a table of records with every field
// any of them has (Blank where one lacks it); an array of anything else is a
// one-column table (column Value). Throws std::invalid_argument with the
// parser's message (it has the byte position) when the text is not JSON, or
// when a field holds values of different types in different rows.
Value value_from_json(std::string_view json);

}  // namespace canvasfx
