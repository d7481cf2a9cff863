// Registers the standard library into an engine: every family, listed once.
#include "canvasfx/stdlib.h"
#include "families.h"

namespace canvasfx::stdlib {

void install(Engine& engine) {
  install_enums(engine);
  for (FunctionTable family : {
           logic_functions(),
       })
    engine.add_functions(family);
}

}  // namespace canvasfx::stdlib
