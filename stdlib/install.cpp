// Registers the standard library into an engine: every family, listed once,
// in kFamilies (install() and function_families() both read it).
#include <algorithm>

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
  // Where Help() lists the family; a function several families overload is
  // listed under the first (CountRows under Aggregates, not under its Dynamic
  // overload's family).
  int help_position;
};

// Registration order is overload order where two families share a name: keep it.
constexpr FamilyInstaller kFamilies[] = {
    {"Changing data", install_mutation, 3},  // Collect Patch Remove ..., and RemoveFlags
    {"Tables", install_tables, 1},           // and SortOrder JoinType
    {"JSON, Dynamic values and regular expressions", install_json_regex,
     9},                                     // and JSONFormat Match MatchOptions
    {"Date and time", install_datetime, 6},  // and TimeUnit StartOfWeek DateTimeFormat
    {"Logic and variables", add_tables<logic_functions>, 0},
    {"Math", add_tables<math_functions>, 4},
    {"Aggregates", add_tables<aggregate_functions>, 2},
    {"Text", add_tables<text_functions, text_format_functions>, 5},
    {"Conversion", add_tables<conversion_functions>, 7},
    {"Color", add_tables<color_functions>, 8},
};

}  // namespace

void install(Engine& engine) {
  install_enums(engine);  // Color, ErrorKind ...: the families' checks may name them
  for (const FamilyInstaller& family : kFamilies) family.install(engine);
}

std::vector<FunctionFamily> function_families() {
  std::vector<const FamilyInstaller*> order;
  for (const FamilyInstaller& family : kFamilies) order.push_back(&family);
  std::sort(order.begin(), order.end(),
            [](auto* a, auto* b) { return a->help_position < b->help_position; });
  std::vector<FunctionFamily> out;
  for (const FamilyInstaller* family_ptr : order) {
    const FamilyInstaller& family = *family_ptr;
    Engine scratch;  // what this family alone registers
    install_enums(scratch);
    family.install(scratch);
    out.push_back({family.name, scratch.function_names()});
  }
  return out;
}

}  // namespace canvasfx::stdlib
