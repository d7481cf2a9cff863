// The standard library: every builtin function and enum of the canvas
// configuration, registered into an Engine as tables of FunctionDef rows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/engine.h"

namespace canvasfx::stdlib {

// Registers every family (logic, text, math, tables, ...) and the builtin enums.
void install(Engine& engine);

// The families install() registers, each with its function names (sorted), in
// the order Help() lists them: how Help() groups the functions. A name several
// families overload belongs to the first that has it.
struct FunctionFamily {
  std::string_view name;
  std::vector<std::string> functions;
};
std::vector<FunctionFamily> function_families();

}  // namespace canvasfx::stdlib
