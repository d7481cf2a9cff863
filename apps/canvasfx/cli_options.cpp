#include "cli_options.h"

#include "canvasfx/stdlib.h"

namespace canvasfx::cli {

void configure_engine(Engine& engine, const CliOptions& options) {
  stdlib::install(engine);
#ifdef CANVASFX_HAVE_HOST
  // The host hooks in here: open options.store (when given) and register the
  // signals, enums, data sources and behavior functions on `engine`.
  (void)options;
#else
  (void)options;
#endif
}

}  // namespace canvasfx::cli
