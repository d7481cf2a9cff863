// Untyped ("Dynamic") values made from JSON, shared by untyped.cpp (ParseJSON,
// AsType, IsType and the untyped overloads) and json.cpp (JSON()).
#pragma once

#include <optional>
#include <string_view>

#include "canvasfx/engine.h"
#include "canvasfx/function.h"

namespace canvasfx::stdlib {

FunctionTable untyped_functions();                   // untyped.cpp
FunctionTable json_functions();                      // json.cpp
std::shared_ptr<const EnumInfo> json_format_enum();  // json.cpp

// An Untyped value over the parsed JSON text; nullopt when it is not valid JSON.
// Numbers keep their source text (UntypedObject::number_text) so that JSON()
// writes them back exactly.
std::optional<Value> parse_json(std::string_view text);

}  // namespace canvasfx::stdlib
