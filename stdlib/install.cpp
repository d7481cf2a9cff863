// Registers the standard library into an engine: every family, listed once.
#include "canvasfx/stdlib.h"
#include "families.h"

namespace canvasfx::stdlib {

void install(Engine& engine) {
  install_enums(engine);
  install_mutation(engine);  // mutation.cpp: functions and the RemoveFlags enum
  install_tables(engine);    // tables*.cpp: functions and the SortOrder enum
  install_json_regex(
      engine);  // json.cpp untyped.cpp regex.cpp: functions, JSONFormat Match MatchOptions
  install_datetime(engine);  // datetime*.cpp: functions, TimeUnit StartOfWeek DateTimeFormat
  for (FunctionTable family : {
           logic_functions(),
           math_functions(),
           aggregate_functions(),
           text_functions(),
           text_format_functions(),
           conversion_functions(),
           color_functions(),
       })
    engine.add_functions(family);
}

}  // namespace canvasfx::stdlib
