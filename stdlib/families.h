// The function families of the standard library, each defined in its own file
// as a static table of FunctionDef rows, and listed once in install.cpp.
#pragma once

#include "canvasfx/engine.h"
#include "canvasfx/function.h"

namespace canvasfx::stdlib {

FunctionTable math_functions(), aggregate_functions();  // math.cpp, aggregates.cpp
FunctionTable
logic_functions();  // logic.cpp: If Switch And Or Not IsBlank Coalesce IfError With Set ...
FunctionTable text_functions(), text_format_functions(), conversion_functions(), color_functions();
std::optional<uint32_t> named_color(std::string_view name);  // enums.cpp: CSS names, any case
void install_mutation(Engine& engine);  // mutation.cpp: Collect Patch Remove ... RemoveFlags
void install_enums(Engine& engine);     // enums.cpp: Color, ErrorKind ...
std::shared_ptr<const EnumInfo> error_kind_enum();  // enums.cpp: the one ErrorKind enum
Value error_kind_value(int kind);                   // its member for a kind number
void install_tables(Engine& engine);      // tables*.cpp: Filter Sort AddColumns Summarize ...
void install_json_regex(Engine& engine);  // json.cpp untyped.cpp regex.cpp and their enums
void install_datetime(Engine& engine);    // datetime*.cpp: Date DateAdd Weekday ..., TimeUnit ...

}  // namespace canvasfx::stdlib
