// Registers the standard library into an engine: every family, listed once,
// in kFamilies (install() and function_families() both read it).
#include "canvasfx/stdlib.h"
#include "families.h"

namespace canvasfx::stdlib {
namespace {

template <FunctionTable (*... tables)()>
void add_tables(Engine& engine) {
  (engine.add_functions(tables()), ...);
}

struct FamilyInstaller {
  std::string_view name;
  void (*install)(Engine&);
};

// Registration order is overload order where two families share a name: keep it.
constexpr FamilyInstaller kFamilies[] = {
    {"Changing data", install_mutation},  // Collect Patch Remove ..., and RemoveFlags
    {"Tables", install_tables},           // and SortOrder JoinType
    {"JSON, untyped values and regular expressions",
     install_json_regex},                 // and JSONFormat Match MatchOptions
    {"Date and time", install_datetime},  // and TimeUnit StartOfWeek DateTimeFormat
    {"Logic and variables", add_tables<logic_functions>},
    {"Math", add_tables<math_functions>},
    {"Aggregates", add_tables<aggregate_functions>},
    {"Text", add_tables<text_functions, text_format_functions>},
    {"Conversion", add_tables<conversion_functions>},
    {"Color", add_tables<color_functions>},
};

}  // namespace

void install(Engine& engine) {
  install_enums(engine);  // Color, ErrorKind ...: the families' checks may name them
  for (const FamilyInstaller& family : kFamilies) family.install(engine);
}

std::vector<FunctionFamily> function_families() {
  std::vector<FunctionFamily> out;
  for (const FamilyInstaller& family : kFamilies) {
    Engine scratch;  // what this family alone registers
    install_enums(scratch);
    family.install(scratch);
    out.push_back({family.name, scratch.function_names()});
  }
  return out;
}

}  // namespace canvasfx::stdlib
