// The standard library: every builtin function and enum of the canvas
// configuration, registered into an Engine as tables of FunctionDef rows.
#pragma once

#include "canvasfx/engine.h"

namespace canvasfx::stdlib {

// Registers every family (logic, text, math, tables, ...) and the builtin enums.
void install(Engine& engine);

}  // namespace canvasfx::stdlib
