// The function families of the standard library, each defined in its own file
// as a static table of FunctionDef rows, and listed once in install.cpp.
#pragma once

#include "canvasfx/engine.h"
#include "canvasfx/function.h"

namespace canvasfx::stdlib {

FunctionTable logic_functions();   // logic.cpp: If Switch And Or Not IsBlank Coalesce IfError With Set ...
void install_enums(Engine& engine);  // enums.cpp: Color, ErrorKind ...

}  // namespace canvasfx::stdlib
